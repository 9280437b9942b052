"""Setup and permission problems mid-life: each gets a specific, recorded issue or a clear refusal,
and nothing already synced is lost."""

from __future__ import annotations

from typing import Any

import pytest
from sync_support import delete_one, do_import, keys_of

from intacct_bridge.records.models import Client
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Cursor, Link, RunStatus
from intacct_bridge.workspaces.connection import client_for
from intacct_bridge.workspaces.models import Connection

pytestmark = pytest.mark.django_db


def _use_role(ws: Any, intacct_sandbox: Any, company: str, permissions: dict[str, str]) -> None:
    """Point the workspace at a new Web Services user holding only ``permissions``."""
    control = intacct_sandbox.control
    control.create_role(company, "limited", permissions)
    control.create_user(company, "limited_ws", "limited-password-1", roles=["limited"])
    conn = Connection.objects.get(workspace=ws)
    conn.user_id = "limited_ws"
    conn.set_password("limited-password-1")
    conn.save()


def test_a_family_the_role_may_not_read_fails_alone(
    ws: Any, remote: Any, intacct_sandbox: Any, company: str
) -> None:
    do_import(ws, "clients", keys_of(remote("CUSTOMER"), 2))
    do_import(ws, "people", keys_of(remote("EMPLOYEE"), 1), assign_department=False)
    _use_role(ws, intacct_sandbox, company, {"CUSTOMER": "LV", "DEPARTMENT": "LV", "AUDITHISTORY": "LV"})
    run = service.sync_now(ws)
    assert run.status == RunStatus.PARTIAL, run.message
    issue = run.issues.get()
    assert issue.family == "people" and issue.remedy_code == "missing-permission"
    assert "role" in issue.setup_step.lower()
    assert Client.objects.filter(workspace=ws).count() == 2


def test_without_audithistory_removals_come_from_a_key_scan(
    ws: Any, remote: Any, intacct_sandbox: Any, company: str
) -> None:
    modified = sorted((int(c["RECORDNO"]) for c in remote("CUSTOMER") if c.get("WHENMODIFIED")), reverse=True)
    do_import(ws, "clients", modified[:10])
    service.sync_now(ws, "clients")
    delete_one(ws, "CUSTOMER", modified[:10])
    _use_role(ws, intacct_sandbox, company, {"CUSTOMER": "LV"})
    run = service.sync_now(ws, "clients")
    assert run.unlinked == 1, run.message
    cursor = Cursor.objects.get(workspace=ws, family="clients")
    assert cursor.audit_denied and cursor.key_scan_at is not None


def test_removals_read_from_audithistory_when_permitted(ws: Any, remote: Any, intacct_sandbox: Any) -> None:
    targets = keys_of(remote("CUSTOMER"), 2)
    do_import(ws, "clients", targets)
    service.sync_now(ws, "clients")  # first check: audit + the periodic key scan
    with client_for(ws) as intacct:
        intacct.delete("CUSTOMER", [targets[0]])[0].raise_for_error()
    before = intacct_sandbox.control.stats()["functions"]
    run = service.sync_now(ws, "clients")
    after = intacct_sandbox.control.stats()["functions"]
    assert run.unlinked == 1
    cursor = Cursor.objects.get(workspace=ws, family="clients")
    assert not cursor.audit_denied and cursor.audit_position
    # no key scan this time: only the incremental pull and the AUDITHISTORY read
    assert sum(after.get(k, 0) - before.get(k, 0) for k in ("query", "readByQuery", "readMore")) <= 3


def test_changed_credentials_fail_the_run_and_pause_the_workspace(
    ws: Any, remote: Any, intacct_sandbox: Any, company: str
) -> None:
    do_import(ws, "clients", keys_of(remote("CUSTOMER"), 2))
    conn = Connection.objects.get(workspace=ws)
    conn.set_password("not-the-password")
    conn.save()
    run = service.sync_now(ws, "clients")
    assert run.status == RunStatus.FAILED
    assert "refused" in run.message.lower()
    assert run.issues.get().remedy_code == "sign-in-failed"
    conn.refresh_from_db()
    assert conn.paused
    skipped = service.sync_now(ws, "clients")
    assert skipped.status == RunStatus.SKIPPED  # paused: no login attempts that could lock the user out
    assert Link.objects.filter(workspace=ws, state="linked").count() == 2
