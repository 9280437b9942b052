"""With "Use the app for timesheets" off, Intacct's timesheets come into the app (read-only there),
and the Test connection check of the API Proxy permission runs only when it matters."""

from __future__ import annotations

from typing import Any

import pytest
from time_support import admin_actor, entries_of, prepare_time_ws

from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link, LinkState
from intacct_bridge.timesheets import workflow
from intacct_bridge.timesheets.models import ExportState, TimeSettings, Timesheet, TimesheetState
from intacct_bridge.timesheets.rules import forget_settings
from intacct_bridge.timesheets.status import export_status
from intacct_bridge.workspaces.setup_check import run_test_connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def intacct_ws(ws: Any) -> Any:
    prepare_time_ws(ws)
    TimeSettings.objects.filter(workspace=ws).update(use_app_for_timesheets=False)
    forget_settings(ws.pk)
    return ws


def test_intacct_timesheets_are_imported_with_their_entries_and_state(
    intacct_ws: Any, owner: Any, remote: Any, intacct_sandbox: Any, company: str
) -> None:
    sheets = remote("TIMESHEET")
    run = service.sync_now(intacct_ws, "timesheets")  # the daily sync brings them in
    assert run.status in ("succeeded", "partial"), run.message
    assert Timesheet.objects.filter(workspace=intacct_ws).count() == len(sheets)
    record = next(s for s in sheets if s["STATE"] == "Approved")
    link = Link.objects.get(workspace=intacct_ws, family="timesheets", recordno=int(record["RECORDNO"]))
    local = Timesheet.objects.get(pk=link.local_id)
    assert local.state == TimesheetState.APPROVED and local.intacct_state == "Approved"
    assert local.person is not None and local.begin_date.strftime("%m/%d/%Y") == record["BEGINDATE"]
    assert [str(line.hours.normalize()) for line in local.lines.order_by("line_no")] == [
        e["QTY"] for e in entries_of(record)
    ]
    assert export_status(local).state == ExportState.FROM_INTACCT
    # the app does not approve or reject Intacct's timesheets
    with pytest.raises(workflow.TimeRefused) as refused:
        workflow.reject(local, admin_actor(owner))
    assert refused.value.code == "intacct_owns_timesheets"
    # an entry deleted in Intacct goes here too; nothing is ever pushed
    gone = entries_of(record)[0]
    intacct_sandbox.control.delete_record(company, "TIMESHEETENTRY", int(gone["RECORDNO"]))
    again = service.sync_now(intacct_ws, "timesheets")
    assert again.pushed == 0 and again.status in ("succeeded", "partial"), again.message
    assert not local.lines.filter(recordno=int(gone["RECORDNO"])).exists()
    assert local.lines.count() == len(entries_of(record)) - 1
    assert Link.objects.filter(
        workspace=intacct_ws, family="timesheets", state=LinkState.LINKED
    ).count() == len(sheets)


def test_intacct_timesheets_before_the_cutoff_stay_out(intacct_ws: Any, remote: Any) -> None:
    from datetime import datetime, timedelta

    sheets = remote("TIMESHEET")
    latest = max(datetime.strptime(s["BEGINDATE"], "%m/%d/%Y").date() for s in sheets)
    TimeSettings.objects.filter(workspace=intacct_ws).update(cutoff=latest + timedelta(days=1))
    forget_settings(intacct_ws.pk)
    service.sync_now(intacct_ws, "timesheets")
    assert not Timesheet.objects.filter(workspace=intacct_ws).exists()
    # the cut-off moved back: syncs are incremental, so the older sheets come with an import
    # (Import timesheets from Sage Intacct on the Time page)
    TimeSettings.objects.filter(workspace=intacct_ws).update(cutoff=latest)
    forget_settings(intacct_ws.pk)
    run = service.import_records(intacct_ws, "timesheets", None)
    assert run.status in ("succeeded", "partial"), run.message
    assert Timesheet.objects.filter(workspace=intacct_ws).count() == len(sheets)


def test_test_connection_checks_the_api_proxy_permission_when_timesheets_are_on(
    ws: Any, intacct_sandbox: Any, company: str
) -> None:
    ws.families = ["people", "timesheets"]
    ws.save(update_fields=["families"])
    ok = run_test_connection(ws)
    assert ok.ok, (ok.title, ok.message)
    control = intacct_sandbox.control
    every = {f"module:{m}": "LVAED" for m in ("AR", "AP", "GL", "CO")}
    control.create_role(
        company,
        "No proxy",
        {**every, **{o: "LVAED" for o in ("PROJECT", "TASK", "TIMESHEET", "TIMESHEETENTRY")}},
    )
    control.set_user(company, intacct_sandbox.credentials["user_id"], roles=["No proxy"])
    failed = run_test_connection(ws)
    assert not failed.ok
    assert "API Proxy" in f"{failed.title} {failed.message} {failed.notes}"
