"""Bad input on the way to Intacct: each case gets a specific issue (or refusal) with the remedy,
and nothing reaches Intacct twice (or at all)."""

from __future__ import annotations

from typing import Any

import pytest
from time_support import a_person, admin_actor, intacct_sheets, make_sheet, monday, open_task

from intacct_bridge.psa.models import BillingType, TaskStatus
from intacct_bridge.records.models import Person
from intacct_bridge.sync import service
from intacct_bridge.sync.models import PendingPush, RunIssue
from intacct_bridge.timesheets import workflow
from intacct_bridge.timesheets.checks import test_connection_check as api_proxy_check
from intacct_bridge.timesheets.models import ExportState, TimeSettings
from intacct_bridge.timesheets.rules import forget_settings
from intacct_bridge.timesheets.status import export_status
from intacct_bridge.workspaces.connection import client_for

pytestmark = pytest.mark.django_db


def _issues(ws: Any, sheet: Any) -> list[tuple[str, str, str]]:
    rows = RunIssue.objects.filter(run__workspace=ws, family="timesheets", local_id=sheet.pk)
    return [(i.errorno, i.text, i.remedy) for i in rows]


def _approve(ws: Any, owner: Any, sheet: Any, run_commits: Any) -> Any:
    with run_commits():
        workflow.approve(sheet, admin_actor(owner))
    sheet.refresh_from_db()
    return sheet


def test_time_of_a_person_not_linked_to_an_employee_is_not_sent(
    time_ws: Any, owner: Any, remote: Any, run_commits: Any
) -> None:
    task = open_task(time_ws)
    newcomer = Person.objects.create(workspace=time_ws, first_name="Nina", last_name="New")
    before = len(remote("TIMESHEET"))
    sheet = _approve(
        time_ws, owner, make_sheet(time_ws, newcomer, monday(2), [(0, "8", task.project, task)]), run_commits
    )
    ((code, text, _remedy),) = _issues(time_ws, sheet)
    assert code == "IB-PERSON" and "Nina New is not linked to a Sage Intacct employee" in text
    status = export_status(sheet)
    assert status.state == ExportState.BLOCKED and "Team members" in status.message
    assert len(remote("TIMESHEET")) == before
    assert PendingPush.objects.filter(workspace=time_ws, family="timesheets", local_id=sheet.pk).exists()


def test_time_on_a_closed_task_is_not_sent(time_ws: Any, owner: Any, remote: Any, run_commits: Any) -> None:
    task = open_task(time_ws)
    task.status = TaskStatus.COMPLETED
    task.save(update_fields=["status"])
    before = len(remote("TIMESHEET"))
    sheet = make_sheet(time_ws, a_person(time_ws), monday(2), [(0, "3", task.project, task)])
    sheet = _approve(time_ws, owner, sheet, run_commits)
    codes = [code for code, _, _ in _issues(time_ws, sheet)]
    assert "IB-TASK-CLOSED" in codes
    (closed,) = [t for c, t, _ in _issues(time_ws, sheet) if c == "IB-TASK-CLOSED"]
    assert "is Completed" in closed and "Reopen the task" in closed
    assert len(remote("TIMESHEET")) == before


def test_a_billable_project_needs_a_client(time_ws: Any, owner: Any, remote: Any, run_commits: Any) -> None:
    task = open_task(time_ws)
    project = task.project
    project.client = None
    project.billing_type = BillingType.TIME_AND_MATERIALS
    project.save(update_fields=["client", "billing_type"])
    sheet = make_sheet(time_ws, a_person(time_ws), monday(2), [(0, "2", project, task)])
    sheet = _approve(time_ws, owner, sheet, run_commits)
    texts = [t for c, t, _ in _issues(time_ws, sheet) if c == "IB-CLIENT"]
    assert texts and "is billable but has no client" in texts[0]
    assert intacct_sheets(remote, sheet) == []


def test_only_zero_or_negative_hours_send_nothing(
    time_ws: Any, owner: Any, remote: Any, run_commits: Any
) -> None:
    task = open_task(time_ws)
    sheet = make_sheet(
        time_ws, a_person(time_ws), monday(2), [(0, "0", task.project, task), (1, "-2", task.project, task)]
    )
    sheet = _approve(time_ws, owner, sheet, run_commits)
    assert [c for c, _, _ in _issues(time_ws, sheet)] == ["IB-NO-HOURS"]
    assert intacct_sheets(remote, sheet) == []


def test_weeks_before_the_cutoff_are_not_sent(
    time_ws: Any, owner: Any, remote: Any, run_commits: Any
) -> None:
    settings = TimeSettings.objects.get(workspace=time_ws)
    settings.cutoff = monday(1)
    settings.save()
    forget_settings(time_ws.pk)
    task = open_task(time_ws)
    old = make_sheet(time_ws, a_person(time_ws), monday(3), [(0, "8", task.project, task)])
    old = _approve(time_ws, owner, old, run_commits)
    status = export_status(old)
    assert status.state == ExportState.BEFORE_CUTOFF and f"{monday(1):%Y-%m-%d}" in status.message
    assert service.sync_now(time_ws, "timesheets").pushed == 0
    assert intacct_sheets(remote, old) == []
    # the default cut-off is the connection date: last week's sheet is before it
    settings.cutoff = None
    settings.save()
    conn = time_ws.connection
    from django.utils import timezone

    conn.connected_at = timezone.now()
    conn.save(update_fields=["connected_at"])
    forget_settings(time_ws.pk)
    assert TimeSettings.of(time_ws).effective_cutoff() == timezone.localdate()
    recent = make_sheet(time_ws, a_person(time_ws), monday(1), [(0, "8", task.project, task)])
    recent = _approve(time_ws, owner, recent, run_commits)
    assert export_status(recent).state == ExportState.BEFORE_CUTOFF
    assert intacct_sheets(remote, recent) == []


def test_a_smart_rule_rejecting_timesheets_is_shown_with_its_message(
    time_ws: Any, owner: Any, remote: Any, intacct_sandbox: Any, company: str, run_commits: Any
) -> None:
    intacct_sandbox.control.add_smart_rule(
        company, "TIMESHEET", "add", "HOURS > 10", "Weekly timesheets over 10 hours need a manager's review"
    )
    task = open_task(time_ws)
    sheet = make_sheet(
        time_ws, a_person(time_ws), monday(2), [(0, "8", task.project, task), (1, "8", task.project, task)]
    )
    sheet = _approve(time_ws, owner, sheet, run_commits)
    issues = _issues(time_ws, sheet)
    assert any("over 10 hours need a manager's review" in text for _, text, _ in issues), issues
    assert all(remedy for _, _, remedy in issues), issues
    status = export_status(sheet)
    assert status.state == ExportState.BLOCKED and "manager's review" in status.message
    assert intacct_sheets(remote, sheet) == []
    # still refused on the next sync: still not in Intacct, and never twice
    service.sync_now(time_ws, "timesheets")
    assert intacct_sheets(remote, sheet) == []


def test_without_the_api_proxy_permission_test_connection_says_so_and_the_export_is_refused(
    time_ws: Any, owner: Any, remote: Any, intacct_sandbox: Any, company: str, run_commits: Any
) -> None:
    creds = intacct_sandbox.credentials
    control = intacct_sandbox.control
    # everything but Projects > API Proxy ('*' and 'module:PA' would grant it)
    every = {f"module:{m}": "LVAED" for m in ("AR", "AP", "GL", "CO")}
    control.create_role(
        company,
        "No proxy",
        {**every, **{o: "LVAED" for o in ("PROJECT", "TASK", "TIMESHEET", "TIMESHEETENTRY")}},
    )
    control.set_user(company, creds["user_id"], roles=["No proxy"])
    with client_for(time_ws) as intacct:
        notes = api_proxy_check(intacct, time_ws)
    ((level, title, message),) = notes
    assert level == "error" and title == "The role lacks Projects > API Proxy"
    assert "tick API Proxy" in message
    task = open_task(time_ws)
    sheet = make_sheet(time_ws, a_person(time_ws), monday(2), [(0, "8", task.project, task)])
    sheet = _approve(time_ws, owner, sheet, run_commits)
    issues = _issues(time_ws, sheet)
    assert any("API Proxy" in text for _, text, _ in issues), issues
    assert intacct_sheets(remote, sheet) == []
    # granted again: the check passes and the next sync sends the sheet, once
    control.set_user(company, creds["user_id"], roles=["Full Access"])
    with client_for(time_ws) as intacct:
        assert [level for level, _, _ in api_proxy_check(intacct, time_ws)] == ["info"]
    service.sync_now(time_ws, "timesheets")
    assert len(intacct_sheets(remote, sheet)) == 1
    service.sync_now(time_ws, "timesheets")
    assert len(intacct_sheets(remote, sheet)) == 1
