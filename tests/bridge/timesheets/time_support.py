"""Fixtures and helpers shared by the time tests (imported by name from the test_time_* modules).

``time_ws``: the demo company's people, clients, projects and tasks imported and linked, the
workspace using the app for timesheets with a cut-off 120 days back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from intacct_bridge.psa.models import BillingType, Project, Task, TaskStatus
from intacct_bridge.records.models import Person
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link, LinkState
from intacct_bridge.timesheets.models import TimeEntry, TimeSettings, Timesheet, TimesheetState
from intacct_bridge.timesheets.rules import forget_settings
from intacct_bridge.timesheets.workflow import Actor

FAMILIES = [
    "clients",
    "departments",
    "people",
    "accounts",
    "projects",
    "tasks",
    "timesheets",
    "project-invoices",
]


def monday(weeks_ago: int = 2) -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday() + 7 * weeks_ago)


def linked(ws: Any, family: str, local: Any) -> Link | None:
    return Link.objects.filter(workspace=ws, family=family, local_id=local.pk, state=LinkState.LINKED).first()


def prepare_time_ws(ws: Any) -> Any:
    """Call from a ``time_ws`` fixture: the engine pieces the time tests build on."""
    # the time tests' workspace brings in what its projects refer to (their customers)
    ws.families, ws.bring_in_references = FAMILIES, True
    ws.save(update_fields=["families", "bring_in_references"])
    for family in ("departments", "people"):
        run = service.import_records(ws, family, None)
        assert run.status == "succeeded", (family, run.message, list(run.issues.values("text")))
    for family in ("accounts", "projects", "tasks"):
        run = service.sync_now(ws, family)
        assert run.status in ("succeeded", "partial"), (family, run.message)
    link_tasks(ws)
    TimeSettings.objects.update_or_create(
        workspace=ws,
        defaults={"use_app_for_timesheets": True, "cutoff": timezone.localdate() - timedelta(days=120)},
    )
    forget_settings(ws.pk)
    return ws


def link_tasks(ws: Any) -> None:
    """Link the demo tasks of linked projects to app tasks (through the engine's link)."""
    from intacct_bridge.workspaces.connection import client_for

    projects = {
        ln.business_id: ln.local_id
        for ln in Link.objects.filter(workspace=ws, family="projects", state=LinkState.LINKED)
    }
    with client_for(ws) as intacct:
        rows = list(intacct.query("TASK", ["RECORDNO", "PROJECTID", "NAME"]))
    done = set(Link.objects.filter(workspace=ws, family="tasks").values_list("recordno", flat=True))
    for row in rows:
        project_id = projects.get(str(row["PROJECTID"]))
        if project_id is None or int(row["RECORDNO"]) in done:
            continue
        task = Task.objects.create(workspace=ws, project_id=project_id, name=str(row["NAME"]))
        service.link(ws, "tasks", task, int(row["RECORDNO"]))


def a_person(ws: Any) -> Person:
    ids = Link.objects.filter(workspace=ws, family="people", state=LinkState.LINKED).values_list(
        "local_id", flat=True
    )
    return Person.objects.filter(pk__in=list(ids)).order_by("pk").first()  # type: ignore[return-value]


def open_task(ws: Any, *, billable: bool = True) -> Task:
    """A linked, open task of a linked project whose client is linked (so billable time may go)."""
    linked_tasks = Link.objects.filter(workspace=ws, family="tasks", state=LinkState.LINKED)
    linked_clients = set(
        Link.objects.filter(workspace=ws, family="clients", state=LinkState.LINKED).values_list(
            "local_id", flat=True
        )
    )
    for task in Task.objects.filter(
        pk__in=list(linked_tasks.values_list("local_id", flat=True))
    ).select_related("project"):
        if task.status == TaskStatus.COMPLETED or task.billable != billable:
            continue
        if not task.project.intacct_active:
            continue
        if task.project.client_id in linked_clients and linked(ws, "projects", task.project):
            return task
    raise AssertionError("the demo company has no open linked task")


def make_sheet(
    ws: Any,
    person: Person,
    begin: date,
    entries: Sequence[tuple[int, str, Project | None, Task | None]],
    state: str = TimesheetState.SUBMITTED,
) -> Timesheet:
    """entries: (day offset in the week, hours, project, task)."""
    sheet = Timesheet.objects.create(workspace=ws, person=person, begin_date=begin, state=state)
    for n, (offset, hours, project, task) in enumerate(entries, 1):
        TimeEntry.objects.create(
            timesheet=sheet,
            line_no=n,
            date=begin + timedelta(days=offset),
            hours=Decimal(hours),
            project=project,
            task=task,
            billable=task.billable if task else False,
            notes=f"work {n}",
        )
    return sheet


def admin_actor(user: Any) -> Actor:
    return Actor(user, user.get_username())


def intacct_sheets(remote: Any, sheet: Timesheet) -> list[dict[str, Any]]:
    """The Intacct timesheets the app created for ``sheet`` (any export round)."""
    return [t for t in remote("TIMESHEET") if f"(IBT{sheet.pk}-" in str(t.get("DESCRIPTION") or "")]


def entries_of(record: dict[str, Any]) -> list[dict[str, Any]]:
    rows = (record.get("TIMESHEETENTRIES") or {}).get("TIMESHEETENTRY") or []
    return rows if isinstance(rows, list) else [rows]


__all__ = [
    "BillingType",
    "a_person",
    "admin_actor",
    "entries_of",
    "intacct_sheets",
    "linked",
    "make_sheet",
    "monday",
    "open_task",
    "prepare_time_ws",
]
