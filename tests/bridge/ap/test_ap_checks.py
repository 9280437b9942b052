"""Test connection with the AP families on: vendor numbering in Intacct and an empty chart are named."""

from __future__ import annotations

from typing import Any

import pytest
from ap_support import enable_ap

from intacct_bridge.workspaces.connection import client_for
from intacct_bridge.workspaces.setup_check import run_test_connection

pytestmark = pytest.mark.django_db


def _notes(test: Any) -> dict[str, str]:
    return {n["title"]: n["level"] for n in test.notes}


def test_vendor_numbering_in_intacct_is_a_warning(ws: Any, intacct_sandbox: Any, company: str) -> None:
    enable_ap(ws, sync=False)
    quiet = run_test_connection(ws)
    assert quiet.ok, (quiet.title, quiet.message)
    assert "Sage Intacct numbers vendors itself" not in _notes(quiet)
    intacct_sandbox.control.set_autonumber(company, "VENDOR", True, prefix="V-")
    warned = run_test_connection(ws)
    assert warned.ok  # a warning, not a failure
    assert _notes(warned)["Sage Intacct numbers vendors itself"] == "warning"


def test_a_chart_without_active_accounts_fails_for_bills(ws: Any, remote: Any) -> None:
    enable_ap(ws, sync=False)
    with client_for(ws) as c:
        for gl in remote("GLACCOUNT"):
            c.update([("GLACCOUNT", {"ACCOUNTNO": gl["ACCOUNTNO"], "STATUS": "inactive"})])[
                0
            ].raise_for_error()
    failed = run_test_connection(ws)
    assert not failed.ok
    assert _notes(failed)["The chart of accounts has no active account"] == "error"
    ws.families = [f for f in ws.families if f != "bills"]
    ws.save()
    assert run_test_connection(ws).ok  # vendors alone do not need the chart
