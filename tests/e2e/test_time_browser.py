"""In a browser: approve a submitted timesheet on the Time page (it is exported to Intacct, and the
row says so), reject it again (deleted in Intacct), and export a project invoice through the
*Export to Sage Intacct* dialog, then Synchronize its payment status."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from intacct_bridge.psa.models import Project, Task
from intacct_bridge.records.models import Person
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link, LinkState
from intacct_bridge.timesheets import invoicing
from intacct_bridge.timesheets.models import TimeEntry, TimeSettings, Timesheet, TimesheetState
from intacct_bridge.workspaces.models import Connection, Membership, Profile, Workspace

pytestmark = pytest.mark.browser
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


@pytest.fixture
def time_workspace(e2e_user: Any, settings: Any, intacct_sandbox: Any, immediate_huey: Any) -> Workspace:
    """Acme, connected to the sandbox's demo company, with its people, projects and one task linked."""
    creds = intacct_sandbox.credentials
    settings.INTACCT_SENDER_ID = creds["sender_id"]
    settings.INTACCT_SENDER_PASSWORD = creds["sender_password"]
    # its projects bring in their customers (the workspace's "Bring in referenced records")
    ws = Workspace.objects.create(
        slug="acme", name="Acme Consulting", families=FAMILIES, bring_in_references=True
    )
    Membership.objects.create(workspace=ws, user=e2e_user, profile=Profile.ADMIN)
    conn = Connection(
        workspace=ws, company_id=creds["company_id"], user_id=creds["user_id"], endpoint=creds["endpoint"]
    )
    conn.set_password(creds["user_password"])
    conn.save()
    service.import_records(ws, "departments", None)
    service.import_records(ws, "people", None)
    service.sync_now(ws, "accounts")
    service.sync_now(ws, "projects")
    service.sync_now(ws, "tasks")
    TimeSettings.objects.create(workspace=ws, cutoff=timezone.localdate() - timedelta(days=90))
    return ws


def _open_task(ws: Workspace, intacct_sandbox: Any) -> Task:
    """Link one open task of an active project whose client is linked."""
    clients = set(
        Link.objects.filter(workspace=ws, family="clients", state=LinkState.LINKED).values_list(
            "local_id", flat=True
        )
    )
    projects = {
        ln.business_id: ln.local_id
        for ln in Link.objects.filter(workspace=ws, family="projects", state="linked")
    }
    company = intacct_sandbox.credentials["company_id"]
    for row in intacct_sandbox.control.records(company, "TASK"):
        project = Project.objects.filter(pk=projects.get(str(row["PROJECTID"]))).first()
        if project is None or not project.intacct_active or project.client_id not in clients:
            continue
        if row["TASKSTATUS"] == "Completed":
            continue
        known = Link.objects.filter(workspace=ws, family="tasks", recordno=int(row["RECORDNO"])).first()
        if known is not None:  # the projects sync brought it along
            return Task.objects.get(pk=known.local_id)
        task = Task.objects.create(workspace=ws, project=project, name=str(row["NAME"]))
        service.link(ws, "tasks", task, int(row["RECORDNO"]))
        task.refresh_from_db()
        return task
    raise AssertionError("no open task")


def _person(ws: Workspace) -> Person:
    ids = Link.objects.filter(workspace=ws, family="people", state="linked").values_list(
        "local_id", flat=True
    )
    return Person.objects.filter(pk__in=list(ids)).order_by("pk").first()  # type: ignore[return-value]


def _sheets_in_intacct(intacct_sandbox: Any, sheet: Timesheet) -> list[dict[str, Any]]:
    company = intacct_sandbox.credentials["company_id"]
    return [
        t
        for t in intacct_sandbox.control.records(company, "TIMESHEET")
        if f"(IBT{sheet.pk}-" in str(t["DESCRIPTION"])
    ]


def test_approve_and_export_time_then_reject(
    signed_in_page: Any, time_workspace: Workspace, intacct_sandbox: Any
) -> None:
    ws = time_workspace
    task = _open_task(ws, intacct_sandbox)
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday() + 14)
    sheet = Timesheet.objects.create(
        workspace=ws, person=_person(ws), begin_date=monday, state=TimesheetState.SUBMITTED
    )
    for n, hours in enumerate(("7.5", "6"), 1):
        TimeEntry.objects.create(
            timesheet=sheet,
            line_no=n,
            date=monday + timedelta(days=n - 1),
            hours=Decimal(hours),
            project=task.project,
            task=task,
            billable=task.billable,
        )
    page = signed_in_page
    page.goto(f"{page.base_url}/w/acme/")
    page.click("nav.sidenav >> text=Time")
    row = page.locator(f"#timesheets tr[data-id='{sheet.pk}']")
    assert "Submitted" in row.inner_text() and "Not approved yet" in row.inner_text()
    row.locator("button.approve").click()
    page.wait_for_selector(".toast")
    row = page.locator(f"#timesheets tr[data-id='{sheet.pk}']")
    assert "Approved" in row.inner_text()
    assert "Exported" in row.locator("td.export").inner_text()
    (created,) = _sheets_in_intacct(intacct_sandbox, sheet)
    assert created["STATE"] == "Approved"
    # its page shows the entries with their Intacct RECORDNOs; rejecting deletes it in Intacct
    row.locator("a").first.click()
    assert "#" in page.inner_text("#entries")
    page.fill("#sheet-actions input[name=note]", "hours on the wrong project")
    page.click("#reject-sheet")
    page.wait_for_selector(".toast")
    assert "Removed from Sage Intacct" in page.inner_text("#export-state")
    assert _sheets_in_intacct(intacct_sandbox, sheet) == []


def test_export_an_invoice_through_the_dialog(
    signed_in_page: Any, time_workspace: Workspace, intacct_sandbox: Any
) -> None:
    ws = time_workspace
    clients = Link.objects.filter(workspace=ws, family="clients", state="linked").values_list(
        "local_id", flat=True
    )
    project = Project.objects.filter(workspace=ws, client_id__in=list(clients)).order_by("pk").first()
    assert project is not None
    invoice, _ = invoicing.create_invoice(
        ws,
        {
            "project": project.pk,
            "number": "PI-9001",
            "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "lines": [{"description": "Discovery workshop", "amount": "1450.00"}],
        },
    )
    page = signed_in_page
    page.goto(f"{page.base_url}/w/acme/project-invoices/{invoice.pk}/")
    page.click("#open-export")
    dialog = page.locator(f"#export-dialog-{invoice.pk}")
    dialog.wait_for()
    assert dialog.locator(".export-customer").input_value() == str(project.client_id)
    option = dialog.locator(".export-account option", has_text="4000").first
    dialog.locator(".export-account").select_option(value=option.get_attribute("value"))
    dialog.locator(".export-location").fill("E100")
    dialog.locator(".confirm-export").click()
    page.wait_for_selector(".toast")
    assert "Exported" in page.inner_text("#invoice-export")
    assert "Unpaid" in page.inner_text("#invoice-payment")
    company = intacct_sandbox.credentials["company_id"]
    (created,) = [
        r for r in intacct_sandbox.control.records(company, "ARINVOICE") if r.get("RECORDID") == "PI-9001"
    ]
    intacct_sandbox.control.pay_invoice(company, int(created["RECORDNO"]), "450.00")
    page.click("#synchronize")
    page.wait_for_selector(".toast")
    assert "Partially paid" in page.inner_text("#invoice-payment")
    assert "due 1000.00" in page.inner_text("#invoice-payment")
