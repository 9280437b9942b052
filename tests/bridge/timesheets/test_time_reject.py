"""Rejecting an exported timesheet deletes it in Intacct (re-approval exports exactly one); after
export, Intacct's edits do not flow back, but an entry deleted in Intacct deletes the app's entry."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from time_support import (
    a_person,
    admin_actor,
    entries_of,
    intacct_sheets,
    linked,
    make_sheet,
    monday,
    open_task,
)

from intacct_bridge.sync import service
from intacct_bridge.sync.models import Event, Link
from intacct_bridge.timesheets import workflow
from intacct_bridge.timesheets.models import ExportState, TimeEntry, TimesheetState
from intacct_bridge.timesheets.status import export_status

pytestmark = pytest.mark.django_db


def _approved(ws: Any, owner: Any, run_commits: Any, hours: tuple[str, ...] = ("8", "6")) -> Any:
    task = open_task(ws)
    sheet = make_sheet(ws, a_person(ws), monday(3), [(n, h, task.project, task) for n, h in enumerate(hours)])
    with run_commits():
        return workflow.approve(sheet, admin_actor(owner))


def test_reject_after_approve_deletes_the_intacct_timesheet_and_reapproval_exports_one(
    time_ws: Any, owner: Any, remote: Any, run_commits: Any
) -> None:
    sheet = _approved(time_ws, owner, run_commits)
    (first,) = intacct_sheets(remote, sheet)
    total = len(remote("TIMESHEET"))
    sheet = workflow.reject(sheet, admin_actor(owner), "wrong project")
    assert sheet.state == TimesheetState.REJECTED
    assert intacct_sheets(remote, sheet) == []  # gone from Intacct
    assert len(remote("TIMESHEET")) == total - 1
    assert not Link.objects.filter(workspace=time_ws, family="timesheets", local_id=sheet.pk).exists()
    status = export_status(sheet)
    assert status.state == ExportState.WITHDRAWN and str(first["RECORDNO"]) in status.message
    # rejected twice: refused, nothing sent
    with pytest.raises(workflow.TimeRefused) as again:
        workflow.reject(sheet, admin_actor(owner))
    assert again.value.code == "already_rejected"
    # approved again: exactly one timesheet in Intacct, a new one
    with run_commits():
        sheet = workflow.approve(sheet, admin_actor(owner))
    (second,) = intacct_sheets(remote, sheet)
    assert second["RECORDNO"] != first["RECORDNO"] and second["STATE"] == "Approved"
    assert len(remote("TIMESHEET")) == total
    assert [Decimal(e["QTY"]) for e in entries_of(second)] == [Decimal("8"), Decimal("6")]
    assert export_status(sheet).state == ExportState.EXPORTED
    assert service.sync_now(time_ws, "timesheets").pushed == 0
    assert len(intacct_sheets(remote, sheet)) == 1


def test_rejecting_before_export_sends_nothing(time_ws: Any, owner: Any, remote: Any) -> None:
    task = open_task(time_ws)
    sheet = make_sheet(time_ws, a_person(time_ws), monday(3), [(0, "5", task.project, task)])
    before = len(remote("TIMESHEET"))
    sheet = workflow.reject(sheet, admin_actor(owner), "not this week")
    assert sheet.state == TimesheetState.REJECTED
    assert len(remote("TIMESHEET")) == before
    assert export_status(sheet).state == ExportState.NOT_APPROVED


def test_an_entry_deleted_in_intacct_deletes_the_app_entry(
    time_ws: Any, owner: Any, remote: Any, intacct_sandbox: Any, company: str, run_commits: Any
) -> None:
    sheet = _approved(time_ws, owner, run_commits, ("8", "6", "4"))
    (created,) = intacct_sheets(remote, sheet)
    gone = entries_of(created)[1]
    intacct_sandbox.control.delete_record(company, "TIMESHEETENTRY", int(gone["RECORDNO"]))
    run = service.sync_now(time_ws, "timesheets")
    assert run.status == "succeeded", [(i.errorno, i.text) for i in run.issues.all()]
    left = list(sheet.lines.order_by("line_no"))
    assert [line.hours for line in left] == [Decimal("8.00"), Decimal("4.00")]
    assert not TimeEntry.objects.filter(recordno=int(gone["RECORDNO"])).exists()
    (event,) = Event.objects.filter(workspace=time_ws, kind="time_entry.deleted_in_intacct")
    assert event.payload["intacct_recordno"] == int(gone["RECORDNO"]) and event.payload["hours"] == "6.00"
    # the sheet itself stays exported and approved
    sheet.refresh_from_db()
    assert sheet.state == TimesheetState.APPROVED
    assert linked(time_ws, "timesheets", sheet) is not None


def test_edits_in_intacct_after_export_do_not_flow_back(
    time_ws: Any, owner: Any, remote: Any, run_commits: Any
) -> None:
    from datetime import timedelta

    from intacct_bridge.workspaces.connection import client_for

    sheet = _approved(time_ws, owner, run_commits, ("8", "6"))
    (created,) = intacct_sheets(remote, sheet)
    earlier = (monday(3) - timedelta(days=1)).strftime("%m/%d/%Y")
    with client_for(time_ws) as intacct:
        result = intacct.update([("TIMESHEET", {"RECORDNO": created["RECORDNO"], "BEGINDATE": earlier})])[0]
    assert result.ok, result.error
    (edited,) = [t for t in remote("TIMESHEET") if t["RECORDNO"] == created["RECORDNO"]]
    assert edited["BEGINDATE"] == earlier
    run = service.sync_now(time_ws, "timesheets")
    assert run.status == "succeeded", [(i.errorno, i.text) for i in run.issues.all()]
    sheet.refresh_from_db()
    assert [line.hours for line in sheet.lines.order_by("line_no")] == [Decimal("8.00"), Decimal("6.00")]
    assert sheet.begin_date == monday(3)
    assert sheet.state == TimesheetState.APPROVED
