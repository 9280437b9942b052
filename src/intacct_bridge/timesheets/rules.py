"""The export rules of the time families: what is ready, what blocks an export (with the remedy in the
words of the problem), and the parameters Intacct gets.

Timesheets (Sage PSA's rules): only approved sheets, only weeks from the cut-off on, only people
linked to an employee and projects/tasks linked to Intacct's; entries with zero or negative hours
are left out; billable comes from the task; a billable project needs a client linked to a customer;
time on a Completed task is refused. Project invoices: exported when someone asked for it, to a
linked customer, on an active GL account, once.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

import intacct.errors as ie
from intacct_bridge.psa.models import BillingType, TaskStatus
from intacct_bridge.sync.context import RunContext
from intacct_bridge.sync.family import CreateContext, Problems
from intacct_bridge.sync.models import Link, LinkState
from intacct_bridge.sync.spec import date_in, date_out
from intacct_bridge.timesheets import events
from intacct_bridge.timesheets.models import (
    InvoiceExportState,
    ProjectInvoice,
    TimeSettings,
    Timesheet,
    TimesheetState,
)
from intacct_bridge.workspaces.models import Workspace

#: the entry field naming its task: TASKKEY, the task's RECORDNO (TASKID is unique only per project)
TASK_FIELD = "TASKKEY"
ZERO = Decimal("0")
_SETTINGS_TTL = 5.0
_settings_cache: dict[int, tuple[float, Any]] = {}


def settings_of(workspace_id: int) -> Any:
    """The workspace's TimeSettings, cached a few seconds: ready_to_push runs once per timesheet."""
    now = time.monotonic()
    hit = _settings_cache.get(workspace_id)
    if hit is not None and now - hit[0] < _SETTINGS_TTL:
        return hit[1]
    settings = TimeSettings.of(Workspace.objects.get(pk=workspace_id))
    _settings_cache[workspace_id] = (now, settings)
    return settings


def forget_settings(workspace_id: int) -> None:
    _settings_cache.pop(workspace_id, None)


def linked_id(workspace_id: int, family: str, local_id: int | None) -> str:
    """The Intacct business ID of a linked local record ("" when not linked)."""
    if local_id is None:
        return ""
    link = (
        Link.objects.filter(
            workspace_id=workspace_id, family=family, local_id=local_id, state=LinkState.LINKED
        )
        .only("business_id")
        .first()
    )
    return link.business_id if link is not None else ""


def linked_recordno(workspace_id: int, family: str, local_id: int) -> int | None:
    link = Link.objects.filter(
        workspace_id=workspace_id, family=family, local_id=local_id, state=LinkState.LINKED
    ).first()
    return link.recordno if link is not None else None


# ---- timesheets -----------------------------------------------------------------------------------


def timesheet_key(sheet: Any) -> str:
    """The DESCRIPTION an exported sheet carries in Intacct: readable, and the key a lost answer is
    read back by. Built from fields that cannot change while the sheet is approved; the export round
    makes a re-export after a rejection a new key."""
    return f"Week of {sheet.begin_date:%m/%d/%Y} (IBT{sheet.pk}-{sheet.export_round})"


def timesheet_attempt(sheet: Any) -> str:
    """Part of the create's controlid: Intacct never runs a controlid twice, and a sheet re-approved
    after its Intacct twin was deleted must be created again."""
    return str(sheet.export_round)


def timesheet_ready(sheet: Any) -> bool:
    if sheet.state != TimesheetState.APPROVED:
        return False
    settings = settings_of(sheet.workspace_id)
    return bool(settings.use_app_for_timesheets) and sheet.begin_date >= settings.effective_cutoff()


def timesheet_imports(ctx: RunContext, record: Mapping[str, Any]) -> bool:
    """Which Intacct timesheets a pull brings in: none when the app owns timesheets (it only follows
    those it exported); otherwise those whose week begins on or after the cut-off."""
    settings = settings_of(ctx.workspace.pk)
    if settings.use_app_for_timesheets:
        return False
    try:
        begin = date_in(record.get("BEGINDATE"))
    except ValueError:
        return True  # imported, so the bad value becomes an issue on the record
    return begin is None or begin >= settings.effective_cutoff()


def exportable(line: Any) -> bool:
    """Entries with zero or negative hours are not sent (Sage PSA)."""
    return line.hours is not None and line.hours > ZERO


def check_timesheet(ctx: RunContext, sheet: Any) -> Problems:
    """What stops an approved sheet from going to Intacct; each problem says what to do."""
    problems: Problems = []
    ws = sheet.workspace_id
    if sheet.person_id is None:
        problems.append(("IB-REQUIRED", "The timesheet has no team member."))
    elif not linked_id(ws, "people", sheet.person_id):
        problems.append(
            (
                "IB-PERSON",
                f"{sheet.person.full_name} is not linked to a Sage Intacct employee: import or link them "
                "under Team members, then sync timesheets again.",
            )
        )
    lines = list(sheet.lines.select_related("project", "project__client", "task").order_by("line_no", "pk"))
    sent = [line for line in lines if exportable(line)]
    if not sent:
        problems.append(
            (
                "IB-NO-HOURS",
                "Every entry has zero or negative hours, so there is nothing to send to Sage Intacct.",
            )
        )
    for line in sent:
        where = f"Entry {line.line_no} ({line.date:%Y-%m-%d}, {line.hours} h)"
        project = line.project
        if project is None:
            problems.append(("IB-REQUIRED", f"{where} has no project."))
            continue
        if not project.intacct_active:
            problems.append(
                (
                    "IB-PROJECT-INACTIVE",
                    f"{where}: project {project} is inactive in Sage Intacct, which refuses time on it. "
                    "Activate the project (stage Running) or move the time to an active project.",
                )
            )
        task = line.task
        if task is not None and task.project_id != project.pk:
            problems.append(
                ("IB-TASK", f"{where}: task {task.name} belongs to another project than {project}.")
            )
        if task is not None and task.status == TaskStatus.COMPLETED:
            problems.append(
                (
                    "IB-TASK-CLOSED",
                    f"{where}: task {task.name} of {project} is Completed, and time cannot be charged to a "
                    "closed task. Reopen the task (In Progress) or move the time to an open task.",
                )
            )
        if project.billing_type != BillingType.NON_BILLABLE:
            if project.client_id is None:
                problems.append(
                    (
                        "IB-CLIENT",
                        f"{where}: project {project} is billable but has no client. Give it a client "
                        "linked to a Sage Intacct customer, or make it non-billable.",
                    )
                )
            elif not linked_id(ws, "clients", project.client_id):
                problems.append(
                    (
                        "IB-CLIENT",
                        f"{where}: the client {project.client} of billable project {project} is not linked "
                        "to a Sage Intacct customer: import or link it under Clients.",
                    )
                )
    return problems


def build_timesheet(ctx: CreateContext[Timesheet]) -> Mapping[str, Any]:
    """The generic create of a TIMESHEET with its entries, state Submitted (approved right after)."""
    sheet = ctx.local
    settings = settings_of(sheet.workspace_id)
    location = settings.location_for_entries()
    lines = {line.pk: line for line in sheet.lines.select_related("task")}
    entries = []
    for row in ctx.lines:
        line = lines[row["id"]]
        if not exportable(line):
            continue
        entry: dict[str, Any] = {
            "ENTRYDATE": date_out(row["date"]),
            "QTY": format(Decimal(row["hours"]).normalize(), "f"),
            "PROJECTID": row["project"],
        }
        if row.get("task"):
            entry[TASK_FIELD] = row["task"]
        # billable is the task's flag (Sage PSA); without a task, the entry's own
        entry["BILLABLE"] = "true" if (line.task.billable if line.task else line.billable) else "false"
        if location:
            entry["LOCATIONID"] = location
        if row.get("notes"):
            entry["NOTES"] = row["notes"]
        entries.append(entry)
    return {
        "TIMESHEET": {
            "EMPLOYEEID": ctx.values["person"],
            "BEGINDATE": date_out(ctx.values["begin_date"]),
            "DESCRIPTION": ctx.key,
            "STATE": "Submitted",
            "TIMESHEETENTRIES": {"TIMESHEETENTRY": entries},
        }
    }


def timesheet_imported(local: Any, options: Mapping[str, Any]) -> None:
    """A sheet pulled from Intacct (Intacct → app): the app's state follows Intacct's."""
    state = (local.intacct_state or "").lower()
    if state == "approved":
        local.state = TimesheetState.APPROVED
    elif state in ("submitted", "partially approved", "partially declined"):
        local.state = TimesheetState.SUBMITTED
    elif state == "declined":
        local.state = TimesheetState.REJECTED
    else:
        local.state = TimesheetState.DRAFT


def timesheets_exported(ctx: RunContext, sheets: list[Any]) -> None:
    """Just created in Intacct (Submitted): approve them there, on each employee's behalf (this is
    what needs the Projects API Proxy permission). A refusal is an issue on the sheet; it stays
    Submitted in Intacct and can be approved there."""
    workspace = ctx.workspace
    todo = []
    for sheet in sheets:
        recordno = linked_recordno(workspace.pk, "timesheets", sheet.pk)
        if recordno is not None:
            todo.append((sheet, recordno))
    if not todo:
        return
    handles = []
    with ctx.remote.client.batch(transaction=False) as batch:
        for sheet, recordno in todo:
            controlid = f"{workspace.pk}-timesheets-approve-{sheet.pk}-{sheet.export_round}"
            handles.append(
                batch.call("approve", {"TIMESHEET": {"RECORDNO": str(recordno)}}, controlid=controlid)
            )
    now = timezone.now()
    for (sheet, recordno), handle in zip(todo, handles, strict=True):
        result = handle.result
        error = None if result.ok else result.error
        if error is not None and not isinstance(error, ie.AlreadyExecuted):
            if isinstance(error, ie.SetupError):
                raise error
            ctx.issues.issue_from("timesheets", error, local_id=sheet.pk, recordno=recordno, action="push")
            Timesheet.objects.filter(pk=sheet.pk).update(exported_at=now)
            events.emit(
                workspace,
                events.TIMESHEET_EXPORT_BLOCKED,
                {"timesheet": sheet.pk, "intacct_recordno": recordno, "reason": str(error)},
            )
            continue
        Timesheet.objects.filter(pk=sheet.pk).update(intacct_state="Approved", exported_at=now)
        events.emit(
            workspace, events.TIMESHEET_EXPORTED, {"timesheet": sheet.pk, "intacct_recordno": recordno}
        )


# ---- project invoices --------------------------------------------------------------------------------


def invoice_ready(invoice: Any) -> bool:
    return bool(invoice.export_state == InvoiceExportState.QUEUED)


def invoice_problems(invoice: Any) -> Problems:
    """What stops an invoice from being exported (also checked when the export is asked for)."""
    problems: Problems = []
    ws = invoice.workspace_id
    if invoice.export_client_id is None:
        problems.append(("IB-REQUIRED", "Choose the Sage Intacct customer to invoice."))
    elif not linked_id(ws, "clients", invoice.export_client_id):
        problems.append(
            (
                "IB-CLIENT",
                f"The client {invoice.export_client} is not linked to a Sage Intacct customer: import or "
                "link it under Clients first.",
            )
        )
    lines = list(invoice.lines.select_related("account"))
    if not lines:
        problems.append(("IB-REQUIRED", "The invoice has no lines."))
    default = invoice.export_account
    for line in lines:
        account = line.account or default
        if account is None:
            problems.append(
                ("IB-REQUIRED", f"Line {line.line_no} has no GL account: choose one in the export.")
            )
        elif not account.active:
            problems.append(
                ("IB-ACCOUNT", f"GL account {account} is inactive in Sage Intacct: choose an active account.")
            )
        elif not linked_id(ws, "accounts", account.pk):
            problems.append(("IB-ACCOUNT", f"GL account {account} is not in the synced chart of accounts."))
        if line.amount == 0:
            problems.append(("IB-VALUE", f"Line {line.line_no} has a zero amount."))
    if invoice.due_date and invoice.date and invoice.due_date < invoice.date:
        problems.append(("IB-VALUE", "The due date is before the invoice date."))
    return problems


def check_invoice(ctx: RunContext, invoice: Any) -> Problems:
    problems = invoice_problems(invoice)
    if problems:
        ProjectInvoice.objects.filter(pk=invoice.pk).update(
            export_state=InvoiceExportState.FAILED, export_message=" ".join(text for _, text in problems)
        )
    return problems


def _ymd(day: date) -> dict[str, str]:
    return {"year": f"{day.year:04d}", "month": f"{day.month:02d}", "day": f"{day.day:02d}"}


def build_invoice(ctx: CreateContext[ProjectInvoice]) -> Mapping[str, Any]:
    """create_invoice parameters, in the order its DTD wants them."""
    invoice = ctx.local
    ws = invoice.workspace_id
    project_id = linked_id(ws, "projects", invoice.project_id) if invoice.project_id else ""
    items = []
    for line in invoice.lines.select_related("account").order_by("line_no", "pk"):
        account = line.account or invoice.export_account
        assert account is not None  # check_invoice refused a line without one: nothing was sent
        item: dict[str, Any] = {"glaccountno": account.number, "amount": f"{line.amount:.2f}"}
        if line.description:
            item["memo"] = line.description
        if invoice.export_location:
            item["locationid"] = invoice.export_location
        if project_id:
            item["projectid"] = project_id
        items.append(item)
    params: dict[str, Any] = {
        "customerid": linked_id(ws, "clients", invoice.export_client_id),
        "datecreated": _ymd(invoice.date),
        "datedue": _ymd(invoice.due_date),
        "invoiceno": invoice.number,
    }
    if invoice.description:
        params["description"] = invoice.description
    params["externalid"] = ctx.key
    params["currency"] = invoice.currency
    params["invoiceitems"] = {"lineitem": items}
    return params


def invoices_exported(ctx: RunContext, invoices: list[Any]) -> None:
    now = timezone.now()
    for invoice in invoices:
        recordno = linked_recordno(invoice.workspace_id, "project-invoices", invoice.pk)
        ProjectInvoice.objects.filter(pk=invoice.pk).update(
            export_state=InvoiceExportState.EXPORTED, export_message="", exported_at=now
        )
        events.emit(
            ctx.workspace,
            events.INVOICE_EXPORTED,
            {"project_invoice": invoice.pk, "number": invoice.number, "intacct_recordno": recordno},
        )


def report_payment_changes(ctx: RunContext, created: list[Any], updated: list[Any]) -> None:
    """A pull that changed an exported invoice's state or amounts paid/due is an event, whichever
    run brought it (the hourly one, Synchronize, any sync); the first read-back after the export only
    sets the baseline."""
    for invoice in [*created, *updated]:
        signature = invoice.payment_signature
        if signature == invoice.payment_reported:
            continue
        if invoice.payment_reported:
            events.emit(
                ctx.workspace,
                events.INVOICE_PAYMENT_CHANGED,
                {
                    "project_invoice": invoice.pk,
                    "number": invoice.number,
                    "status": invoice.payment_status,
                    "intacct_state": invoice.intacct_state,
                    "amount_paid": str(invoice.amount_paid),
                    "amount_due": str(invoice.amount_due),
                },
                origin="intacct",
            )
        ProjectInvoice.objects.filter(pk=invoice.pk).update(payment_reported=signature)
        invoice.payment_reported = signature


def report_entries_deleted(ctx: RunContext, entries: list[Any]) -> None:
    """Entries a pull deletes because they are gone from Intacct: each is an event."""
    for entry in entries:
        events.emit(
            ctx.workspace,
            events.TIME_ENTRY_DELETED_IN_INTACCT,
            {
                "timesheet": entry.timesheet_id,
                "entry": entry.pk,
                "intacct_recordno": entry.recordno,
                "date": entry.date.isoformat(),
                "hours": str(entry.hours),
            },
            origin="intacct",
        )
