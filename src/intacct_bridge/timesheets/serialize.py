"""Timesheets and project invoices as the JSON API (and the pages' data attributes) show them."""

from __future__ import annotations

from typing import Any

from intacct_bridge.sync.models import Link, LinkState
from intacct_bridge.timesheets.models import ProjectInvoice, TimeSettings, Timesheet
from intacct_bridge.timesheets.status import ExportStatus


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def timesheet_dict(sheet: Timesheet, status: ExportStatus) -> dict[str, Any]:
    return {
        "id": sheet.pk,
        "person": sheet.person_id,
        "person_name": sheet.person.full_name if sheet.person else "",
        "begin_date": sheet.begin_date.isoformat(),
        "description": sheet.description,
        "state": sheet.state,
        "submitted_at": _iso(sheet.submitted_at),
        "approved_by": sheet.approved_by.get_username() if sheet.approved_by else None,
        "approved_at": _iso(sheet.approved_at),
        "rejected_at": _iso(sheet.rejected_at),
        "rejection_note": sheet.rejection_note,
        "total_hours": str(sheet.total_hours),
        "export": status.as_dict(),
        "intacct_state": sheet.intacct_state or None,
        "exported_at": _iso(sheet.exported_at),
        "entries": [
            {
                "id": line.pk,
                "line_no": line.line_no,
                "date": line.date.isoformat(),
                "hours": str(line.hours),
                "project": line.project_id,
                "task": line.task_id,
                "billable": line.billable,
                "notes": line.notes,
                "intacct_recordno": line.recordno,
                "exported": line.hours > 0,
            }
            for line in sorted(sheet.lines.all(), key=lambda line: (line.line_no, line.pk))
        ],
    }


def settings_dict(settings: TimeSettings) -> dict[str, Any]:
    return {
        "use_app_for_timesheets": settings.use_app_for_timesheets,
        "cutoff": _iso(settings.cutoff),
        "effective_cutoff": settings.effective_cutoff().isoformat(),
        "entry_location": settings.entry_location,
    }


def invoice_dict(invoice: ProjectInvoice) -> dict[str, Any]:
    link = Link.objects.filter(
        workspace_id=invoice.workspace_id,
        family="project-invoices",
        local_id=invoice.pk,
        state=LinkState.LINKED,
    ).first()
    return {
        "id": invoice.pk,
        "number": invoice.number,
        "project": invoice.project_id,
        "client": invoice.client_id,
        "date": invoice.date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "currency": invoice.currency,
        "description": invoice.description,
        "total": str(invoice.total),
        "lines": [
            {
                "line_no": line.line_no,
                "description": line.description,
                "amount": str(line.amount),
                "account": line.account_id,
            }
            for line in invoice.lines.all().order_by("line_no", "pk")
        ],
        "export": {
            "state": invoice.export_state,
            "label": invoice.get_export_state_display(),
            "message": invoice.export_message,
            "customer": invoice.export_client_id,
            "account": invoice.export_account_id,
            "location": invoice.export_location,
            "requested_at": _iso(invoice.export_requested_at),
            "exported_at": _iso(invoice.exported_at),
            "intacct_recordno": link.recordno if link else None,
        },
        "payment": {
            "status": invoice.payment_status,
            "intacct_state": invoice.intacct_state or None,
            "amount_paid": str(invoice.amount_paid),
            "amount_due": str(invoice.amount_due),
            "paid_on": _iso(invoice.paid_on),
        },
    }
