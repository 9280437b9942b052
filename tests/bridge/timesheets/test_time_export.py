"""Approved app timesheets go to Intacct once (app → Intacct workspaces), with Sage PSA's rules."""

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

from intacct_bridge.sync.models import PendingPush
from intacct_bridge.timesheets import workflow
from intacct_bridge.timesheets.models import ExportState, Timesheet, TimesheetState
from intacct_bridge.timesheets.status import export_status

pytestmark = pytest.mark.django_db


def test_an_approved_timesheet_is_exported_once_and_approved_in_intacct(
    time_ws: Any, owner: Any, remote: Any, run_commits: Any
) -> None:
    ws = time_ws
    task = open_task(ws)
    before = len(remote("TIMESHEET"))
    sheet = make_sheet(
        ws,
        a_person(ws),
        monday(2),
        [
            (0, "7.5", task.project, task),
            (1, "0", task.project, task),
            (2, "-1", task.project, task),
            (3, "4", task.project, task),
        ],
    )
    with run_commits():
        sheet = workflow.approve(sheet, admin_actor(owner))
    assert sheet.state == TimesheetState.APPROVED
    (created,) = intacct_sheets(remote, sheet)
    assert len(remote("TIMESHEET")) == before + 1
    assert created["STATE"] == "Approved"
    assert created["EMPLOYEEID"] == linked(ws, "people", sheet.person).business_id
    # zero and negative hours are not sent; billable is the task's flag
    rows = entries_of(created)
    assert [Decimal(r["QTY"]) for r in rows] == [Decimal("7.5"), Decimal("4")]
    assert {r["BILLABLE"] for r in rows} == {"true" if task.billable else "false"}
    assert {r["PROJECTID"] for r in rows} == {task.project.project_id}
    assert {int(r["TASKKEY"]) for r in rows} == {linked(ws, "tasks", task).recordno}
    # the app's entries learnt their Intacct RECORDNOs; the skipped ones stay local only
    lines = list(sheet.lines.order_by("line_no"))
    assert [line.recordno is not None for line in lines] == [True, False, False, True]
    sheet.refresh_from_db()
    assert sheet.intacct_state == "Approved"
    assert export_status(sheet).state == ExportState.EXPORTED
    assert not PendingPush.objects.filter(workspace=ws, family="timesheets").exists()
    # a second sync sends nothing more
    from intacct_bridge.sync import service

    again = service.sync_now(ws, "timesheets")
    assert again.pushed == 0, again.message
    assert len(intacct_sheets(remote, sheet)) == 1
    assert sheet.lines.count() == 4
    # Intacct's own timesheets never come in while the app owns timesheets
    assert list(Timesheet.objects.filter(workspace=ws)) == [sheet]


def test_approving_twice_is_refused_and_sends_nothing_more(
    time_ws: Any, owner: Any, remote: Any, run_commits: Any
) -> None:
    task = open_task(time_ws)
    sheet = make_sheet(time_ws, a_person(time_ws), monday(2), [(0, "8", task.project, task)])
    with run_commits():
        workflow.approve(sheet, admin_actor(owner))
    with pytest.raises(workflow.TimeRefused) as refused:
        workflow.approve(sheet, admin_actor(owner))
    assert refused.value.code == "already_approved"
    assert "already approved by alice" in refused.value.message
    assert len(intacct_sheets(remote, sheet)) == 1
