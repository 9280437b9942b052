"""The Time and project invoice pages: shown to members only, approve/reject for approvers, the
export dialog exporting once, navigation links when the families are on."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from time_support import a_person, intacct_sheets, make_sheet, monday, open_task

from intacct_bridge.records.models import Account
from intacct_bridge.timesheets import invoicing
from intacct_bridge.timesheets.models import InvoiceExportState, ProjectInvoice, TimesheetState

pytestmark = pytest.mark.django_db


def test_time_page_approve_and_reject(
    time_ws: Any, owner: Any, teammate: Any, outsider: Any, client: Any, remote: Any, run_commits: Any
) -> None:
    task = open_task(time_ws)
    sheet = make_sheet(time_ws, a_person(time_ws), monday(2), [(0, "8", task.project, task)])
    client.force_login(outsider)
    assert client.get("/w/acme/time/").status_code == 404
    client.force_login(teammate)
    page = client.get("/w/acme/time/")
    assert page.status_code == 200 and b'class="approve"' not in page.content
    assert client.post(f"/w/acme/time/{sheet.pk}/approve/").status_code == 403
    client.force_login(owner)
    page = client.get("/w/acme/time/")
    assert b">Time</a>" in page.content and b"Project invoices</a>" in page.content  # navigation
    assert b'class="approve"' in page.content
    with run_commits():
        done = client.post(f"/w/acme/time/{sheet.pk}/approve/", {"next": "/w/acme/time/"}, follow=True)
    assert done.status_code == 200
    assert b"Timesheet approved" in done.content
    sheet.refresh_from_db()
    assert sheet.state == TimesheetState.APPROVED and len(intacct_sheets(remote, sheet)) == 1
    detail = client.get(f"/w/acme/time/{sheet.pk}/")
    assert b"Exported" in detail.content and b"(deletes it in Sage Intacct)" in detail.content
    twice = client.post(f"/w/acme/time/{sheet.pk}/approve/", follow=True)
    assert b"already approved" in twice.content
    client.post(f"/w/acme/time/{sheet.pk}/reject/", {"note": "redo"}, follow=True)
    assert intacct_sheets(remote, sheet) == []
    assert b"Removed from Sage Intacct" in client.get(f"/w/acme/time/{sheet.pk}/").content


def test_enter_time_form_and_settings(time_ws: Any, owner: Any, teammate: Any, client: Any) -> None:
    task = open_task(time_ws)
    person = a_person(time_ws)
    client.force_login(owner)
    begin = monday(2)
    answer = client.post(
        "/w/acme/time/new/",
        {
            "person": person.pk,
            "begin_date": begin.isoformat(),
            "date_1": begin.isoformat(),
            "hours_1": "7",
            "project_1": task.project_id,
            "task_1": task.pk,
            "submit": "1",
        },
        follow=True,
    )
    assert b"Timesheet saved" in answer.content
    sheet = person.timesheets.get()
    assert sheet.state == TimesheetState.SUBMITTED and sheet.lines.get().billable == task.billable
    bad = client.post(
        "/w/acme/time/new/",
        {
            "person": person.pk,
            "begin_date": begin.isoformat(),
            "date_1": (begin + timedelta(days=8)).isoformat(),
            "hours_1": "3",
            "project_1": task.project_id,
        },
        follow=True,
    )
    assert b"outside the week" in bad.content
    client.force_login(teammate)
    assert client.get("/w/acme/time/settings/").status_code == 403
    client.force_login(owner)
    client.post("/w/acme/time/settings/", {"cutoff": "2026-01-05", "entry_location": "E100"})
    from intacct_bridge.timesheets.models import TimeSettings

    saved = TimeSettings.objects.get(workspace=time_ws)
    assert (saved.use_app_for_timesheets, str(saved.cutoff), saved.entry_location) == (
        False,
        "2026-01-05",
        "E100",
    )


def test_invoice_export_dialog(time_ws: Any, owner: Any, client: Any, remote: Any, run_commits: Any) -> None:
    from test_time_invoices import _billable_project

    project = _billable_project(time_ws)
    invoice, _ = invoicing.create_invoice(
        time_ws,
        {
            "project": project.pk,
            "number": "PI-500",
            "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "lines": [{"description": "Retainer", "amount": "300"}],
        },
    )
    client.force_login(owner)
    page = client.get("/w/acme/project-invoices/")
    assert b"Export to Sage Intacct" in page.content and b"4000" in page.content
    account = Account.objects.get(workspace=time_ws, number="4000")
    with run_commits():
        client.post(
            f"/w/acme/project-invoices/{invoice.pk}/export/",
            {"customer": invoice.client_id, "account": account.pk, "location": "E100"},
        )
    shown = client.get(f"/w/acme/project-invoices/{invoice.pk}/")
    invoice.refresh_from_db()
    assert invoice.export_state == InvoiceExportState.EXPORTED
    assert b"Unpaid" in shown.content and b"Synchronize" in shown.content
    assert len([r for r in remote("ARINVOICE") if r.get("RECORDID") == "PI-500"]) == 1
    assert ProjectInvoice.objects.filter(workspace=time_ws).count() == 1
