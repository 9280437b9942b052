"""Removals are noticed by every sync a person starts, cheaply (issue #15, second bullet).

A record deleted in Intacct is unlinked by the next Sync now (service, API or CLI) for every family
that unlinks; with nothing deleted the check costs one AUDITHISTORY request per family and no
key-only scan, and the first sync after an import scans no keys either.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from test_nothing_missed import PULLED, _first_sync

from intacct_bridge.cli import main as cli_main
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Cursor, Link, LinkState, RunStatus
from intacct_bridge.sync.remote import Remote
from intacct_bridge.workspaces.models import Workspace
from intacct_sandbox.control import ModelError

pytestmark = pytest.mark.django_db


@pytest.fixture
def queries(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[list[str]]]:
    """The field lists of every query the engine sent, per object (observed, not changed)."""
    sent: dict[str, list[list[str]]] = defaultdict(list)
    original = Remote._pages

    def observed(self: Remote, obj: str, fields: list[str], *args: Any, **kw: Any) -> Iterator[Any]:
        sent[obj].append(list(fields))
        yield from original(self, obj, fields, *args, **kw)

    monkeypatch.setattr(Remote, "_pages", observed)
    return sent


def _delete_a_linked(ws: Workspace, family: str, obj: str, sandbox: Any, company: str) -> int:
    """Delete, as a user in Intacct would, the first linked record Intacct lets go of."""
    for recordno in Link.objects.filter(workspace=ws, family=family, state=LinkState.LINKED).order_by(
        "-recordno"
    ).values_list("recordno", flat=True):
        try:
            sandbox.control.delete_record(company, obj, recordno)
        except ModelError:
            continue  # still used by another record
        return int(recordno)
    raise AssertionError(f"no deletable linked {obj}")


def _a_fresh_linked(ws: Workspace, family: str, obj: str, sandbox: Any, company: str) -> int:
    """A record made in Intacct now (nothing refers to it yet), imported into the app."""
    for seed in range(11, 60):
        added = int(sandbox.control.mutate(company, obj, add=1, seed=seed)["added"][0])
        row = next(r for r in sandbox.control.records(company, obj) if int(r["RECORDNO"]) == added)
        if str(row.get("TOTALPAID") or "0") in ("0", "0.00"):
            break  # a copy of a paid document cannot be deleted: another seed
    run = service.import_records(ws, family, [added])
    # a timesheet's lines may point at tasks nobody imported: the sheet still comes in
    assert run.status in (RunStatus.SUCCEEDED, RunStatus.PARTIAL), run.message
    assert Link.objects.filter(workspace=ws, family=family, recordno=added, state=LinkState.LINKED).exists()
    return added


def _key_scans(sent: dict[str, list[list[str]]], obj: str) -> int:
    return sum(1 for fields in sent.get(obj, []) if fields == ["RECORDNO"])


@pytest.mark.parametrize("family", list(PULLED))
def test_a_removal_in_intacct_is_noticed_by_sync_now_with_one_request(
    family: str,
    ws: Workspace,
    remote: Any,
    intacct_sandbox: Any,
    company: str,
    queries: dict[str, list[list[str]]],
) -> None:
    obj, _, imports_all = PULLED[family]
    _first_sync(ws, family, obj, imports_all, remote)
    fresh = _a_fresh_linked(ws, family, obj, intacct_sandbox, company)
    queries.clear()
    quiet = service.sync_now(ws, family)
    assert quiet.unlinked == 0
    # nothing deleted: one AUDITHISTORY read, no key scan
    assert len(queries["AUDITHISTORY"]) == 1 and _key_scans(queries, obj) == 0, dict(queries)
    intacct_sandbox.control.delete_record(company, obj, fresh)
    queries.clear()
    run = service.sync_now(ws, family)
    assert run.status in (RunStatus.SUCCEEDED, RunStatus.PARTIAL), run.message
    assert run.unlinked == 1, run.message
    assert len(queries["AUDITHISTORY"]) == 1 and _key_scans(queries, obj) == 0
    link = Link.objects.get(workspace=ws, family=family, recordno=fresh)
    assert link.state == LinkState.UNLINKED and link.unlinked_reason == "removed in Intacct"


def test_the_first_sync_after_an_import_scans_no_keys(
    ws: Workspace, remote: Any, queries: dict[str, list[list[str]]]
) -> None:
    ws.families = ["clients"]
    ws.save(update_fields=["families"])
    keys = sorted(int(r["RECORDNO"]) for r in remote("CUSTOMER"))[:5]
    service.import_records(ws, "clients", keys)
    cursor = Cursor.objects.get(workspace=ws, family="clients")
    assert cursor.audit_position and cursor.key_scan_at is not None
    queries.clear()
    run = service.sync_now(ws, "clients")
    assert run.status == RunStatus.SUCCEEDED
    assert _key_scans(queries, "CUSTOMER") == 0 and len(queries["AUDITHISTORY"]) == 1
    # the whole sync: the two incremental passes and the AUDITHISTORY read
    assert run.api_requests <= 4, run.api_requests


def test_sync_now_from_the_api_and_the_cli_notice_a_removal(
    ws: Workspace, remote: Any, intacct_sandbox: Any, company: str, api_client: Any, capsys: Any
) -> None:
    ws.families = ["clients"]
    ws.save(update_fields=["families"])
    keys = sorted(int(r["RECORDNO"]) for r in remote("CUSTOMER"))[-6:]
    service.import_records(ws, "clients", keys)
    first = _delete_a_linked(ws, "clients", "CUSTOMER", intacct_sandbox, company)
    answer = api_client(ws, write=True).post(
        f"/api/v1/workspaces/{ws.slug}/sync?wait=true", {"family": "clients"}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["counts"]["unlinked"] == 1
    assert Link.objects.get(workspace=ws, family="clients", recordno=first).state == LinkState.UNLINKED
    second = _delete_a_linked(ws, "clients", "CUSTOMER", intacct_sandbox, company)
    capsys.readouterr()
    assert cli_main(["sync", ws.slug, "--family", "clients", "--json"]) == 0
    out = capsys.readouterr().out
    printed = json.loads(out[out.index("{") :])
    assert printed["counts"]["unlinked"] == 1
    assert Link.objects.get(workspace=ws, family="clients", recordno=second).state == LinkState.UNLINKED


def test_the_removal_flag_is_gone_from_the_cli(ws: Workspace, capsys: Any) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli_main(["sync", ws.slug, "--check-removals"])
    assert stopped.value.code == 2
