"""JSON API of the timesheets app, mounted under /api/v1/workspaces/{slug}/.

GET   time/settings                       Use the app for timesheets, the cut-off, the entry location
PUT   time/settings                       change them (admin session or read-write token)
GET   timesheets?state=&person=           timesheets with approval and export state
POST  timesheets                          enter a week of time; ``Idempotency-Key`` honoured
GET   timesheets/{id}                     one timesheet with its entries
POST  timesheets/{id}/submit              submit for approval
POST  timesheets/{id}/approve             approve; exported to Intacct at once (409 when already approved)
POST  timesheets/{id}/reject              {"note"}; an exported sheet is deleted in Intacct first
GET   project-invoices                    project invoices with export and payment status
POST  project-invoices                    raise one; ``Idempotency-Key`` honoured
GET   project-invoices/{id}               one invoice
POST  project-invoices/{id}/export        {"customer", "account", "location"}: Export to Sage Intacct, once
POST  project-invoices/{id}/synchronize   pull its payment status now
GET   events?kind=timesheet.              the event feed (the shared webhook outbox; api/sync.py)

Reads need any token of the workspace; writes a read-write token or a signed-in member; approving
and rejecting a signed-in admin, controller or project manager (or a read-write token).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from intacct_bridge.api.auth import ADMIN_AUTH, actor, workspace_for
from intacct_bridge.api.errors import ApiError, not_found
from intacct_bridge.api.schemas import ErrorOut
from intacct_bridge.records.models import Account, Client
from intacct_bridge.timesheets import invoicing, workflow
from intacct_bridge.timesheets.models import ProjectInvoice, TimeSettings, Timesheet
from intacct_bridge.timesheets.rules import forget_settings
from intacct_bridge.timesheets.schemas import (
    ExportIn,
    ProjectInvoiceIn,
    ProjectInvoiceOut,
    RejectIn,
    TimeSettingsIn,
    TimeSettingsOut,
    TimesheetIn,
    TimesheetOut,
)
from intacct_bridge.timesheets.serialize import invoice_dict, settings_dict, timesheet_dict
from intacct_bridge.timesheets.status import export_status, export_statuses
from intacct_bridge.workspaces.models import Workspace

router = Router(tags=["timesheets"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 502: ErrorOut}
MAX_KEY = 200


def _key(request: HttpRequest) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > MAX_KEY:
        raise ApiError(422, "invalid", f"Idempotency-Key: at most {MAX_KEY} characters")
    return key


def _who(request: HttpRequest) -> workflow.Actor:
    user, via = actor(request)
    return workflow.Actor(user, user.get_username() if user is not None else via)


def _refused(exc: workflow.TimeRefused | invoicing.InvoiceRefused) -> ApiError:
    message = exc.message
    remedy = getattr(exc, "remedy", "")
    errorno = getattr(exc, "errorno", "")
    if errorno:
        message = f"{message} [{errorno}]"
    if remedy:
        message = f"{message} Remedy: {remedy}"
    return ApiError(exc.status, exc.code, message)


def _sheet(ws: Workspace, sheet_id: int) -> Timesheet:
    sheet = (
        Timesheet.objects.filter(workspace=ws, pk=sheet_id).select_related("person", "approved_by").first()
    )
    if sheet is None:
        raise not_found("No such timesheet")
    return sheet


def _invoice(ws: Workspace, invoice_id: int) -> ProjectInvoice:
    invoice = ProjectInvoice.objects.filter(workspace=ws, pk=invoice_id).first()
    if invoice is None:
        raise not_found("No such project invoice")
    return invoice


# ---- settings ------------------------------------------------------------------------------------


@router.get("time/settings", response={200: TimeSettingsOut, **ERRORS})
def get_settings(request: HttpRequest, slug: str) -> Any:
    return settings_dict(TimeSettings.of(workspace_for(request, slug)))


@router.put("time/settings", response={200: TimeSettingsOut, **ERRORS}, auth=ADMIN_AUTH)
def put_settings(request: HttpRequest, slug: str, payload: TimeSettingsIn) -> Any:
    ws = workspace_for(request, slug, write=True, admin=True)
    settings, _ = TimeSettings.objects.get_or_create(workspace=ws)
    if payload.use_app_for_timesheets is not None:
        settings.use_app_for_timesheets = payload.use_app_for_timesheets
    if payload.clear_cutoff:
        settings.cutoff = None
    elif payload.cutoff is not None:
        settings.cutoff = payload.cutoff
    if payload.entry_location is not None:
        settings.entry_location = payload.entry_location.strip()[:40]
    settings.save()
    forget_settings(ws.pk)
    return settings_dict(settings)


# ---- timesheets ----------------------------------------------------------------------------------


@router.get("timesheets", response={200: list[TimesheetOut], **ERRORS})
def list_timesheets(request: HttpRequest, slug: str, state: str = "", person: int | None = None) -> Any:
    ws = workspace_for(request, slug)
    rows = (
        Timesheet.objects.filter(workspace=ws)
        .select_related("person", "approved_by")
        .prefetch_related("lines")
    )
    if state:
        rows = rows.filter(state=state)
    if person is not None:
        rows = rows.filter(person_id=person)
    sheets = list(rows.order_by("-begin_date", "pk")[:500])
    statuses = export_statuses(ws, sheets)
    return [timesheet_dict(s, statuses[s.pk]) for s in sheets]


@router.post("timesheets", response={200: TimesheetOut, 201: TimesheetOut, **ERRORS})
def create_timesheet(request: HttpRequest, slug: str, payload: TimesheetIn) -> Any:
    ws = workspace_for(request, slug, write=True)
    data = payload.dict()
    data["entries"] = [{**e, "date": e["date"].isoformat(), "hours": e["hours"]} for e in data["entries"]]
    data["begin_date"] = payload.begin_date.isoformat()
    try:
        sheet, created = workflow.create_timesheet(ws, data, key=_key(request), actor=_who(request))
    except workflow.TimeRefused as exc:
        raise _refused(exc) from None
    return Status(201 if created else 200, timesheet_dict(sheet, export_status(sheet)))


@router.get("timesheets/{int:sheet_id}", response={200: TimesheetOut, **ERRORS})
def get_timesheet(request: HttpRequest, slug: str, sheet_id: int) -> Any:
    ws = workspace_for(request, slug)
    sheet = _sheet(ws, sheet_id)
    return timesheet_dict(sheet, export_status(sheet))


def _act(request: HttpRequest, slug: str, sheet_id: int, action: str, note: str = "") -> Any:
    ws = workspace_for(request, slug, write=True)
    sheet = _sheet(ws, sheet_id)
    try:
        if action == "submit":
            sheet = workflow.submit(sheet, _who(request))
        elif action == "approve":
            sheet = workflow.approve(sheet, _who(request))
        else:
            sheet = workflow.reject(sheet, _who(request), note)
    except workflow.TimeRefused as exc:
        raise _refused(exc) from None
    sheet = _sheet(ws, sheet.pk)
    return timesheet_dict(sheet, export_status(sheet))


@router.post("timesheets/{int:sheet_id}/submit", response={200: TimesheetOut, **ERRORS})
def submit_timesheet(request: HttpRequest, slug: str, sheet_id: int) -> Any:
    return _act(request, slug, sheet_id, "submit")


@router.post("timesheets/{int:sheet_id}/approve", response={200: TimesheetOut, **ERRORS})
def approve_timesheet(request: HttpRequest, slug: str, sheet_id: int) -> Any:
    """Approve; app → Intacct workspaces export it at once (the answer shows the export state)."""
    return _act(request, slug, sheet_id, "approve")


@router.post("timesheets/{int:sheet_id}/reject", response={200: TimesheetOut, **ERRORS})
def reject_timesheet(request: HttpRequest, slug: str, sheet_id: int, payload: RejectIn) -> Any:
    """Reject; a sheet already in Intacct is deleted there first (502 with Intacct's words if refused)."""
    return _act(request, slug, sheet_id, "reject", payload.note)


# ---- project invoices ----------------------------------------------------------------------------


@router.get("project-invoices", response={200: list[ProjectInvoiceOut], **ERRORS})
def list_invoices(request: HttpRequest, slug: str) -> Any:
    ws = workspace_for(request, slug)
    invoicing.settle_exports(ws)
    return [
        invoice_dict(i) for i in ProjectInvoice.objects.filter(workspace=ws).order_by("-date", "-pk")[:500]
    ]


@router.post("project-invoices", response={200: ProjectInvoiceOut, 201: ProjectInvoiceOut, **ERRORS})
def create_invoice(request: HttpRequest, slug: str, payload: ProjectInvoiceIn) -> Any:
    ws = workspace_for(request, slug, write=True)
    data = payload.dict()
    for name in ("date", "due_date"):
        data[name] = data[name].isoformat() if data[name] else None
    try:
        invoice, created = invoicing.create_invoice(ws, data, key=_key(request))
    except invoicing.InvoiceRefused as exc:
        raise _refused(exc) from None
    return Status(201 if created else 200, invoice_dict(invoice))


@router.get("project-invoices/{int:invoice_id}", response={200: ProjectInvoiceOut, **ERRORS})
def get_invoice(request: HttpRequest, slug: str, invoice_id: int) -> Any:
    ws = workspace_for(request, slug)
    invoicing.settle_exports(ws)
    return invoice_dict(_invoice(ws, invoice_id))


@router.post("project-invoices/{int:invoice_id}/export", response={200: ProjectInvoiceOut, **ERRORS})
def export_invoice(request: HttpRequest, slug: str, invoice_id: int, payload: ExportIn) -> Any:
    """Export to Sage Intacct. Exactly once: asking again (with or without the same
    ``Idempotency-Key``) answers with the invoice as exported, and sends nothing."""
    ws = workspace_for(request, slug, write=True)
    invoice = _invoice(ws, invoice_id)
    _key(request)
    client = None
    customer = payload.customer if payload.customer is not None else invoice.client_id
    if customer is not None:
        client = Client.objects.filter(workspace=ws, pk=customer).first()
        if client is None:
            raise ApiError(422, "invalid", "customer: no such client in this workspace.")
    account = None
    if payload.account is not None:
        account = Account.objects.filter(workspace=ws, pk=payload.account).first()
        if account is None:
            raise ApiError(422, "invalid", "account: no such GL account in this workspace.")
    try:
        invoice = invoicing.request_export(
            invoice, client=client, account=account, location=payload.location, by=_who(request).label
        )
    except invoicing.InvoiceRefused as exc:
        raise _refused(exc) from None
    invoicing.settle_exports(ws)
    return invoice_dict(_invoice(ws, invoice.pk))


@router.post("project-invoices/{int:invoice_id}/synchronize", response={200: ProjectInvoiceOut, **ERRORS})
def synchronize_invoice(request: HttpRequest, slug: str, invoice_id: int) -> Any:
    ws = workspace_for(request, slug, write=True)
    invoice = invoicing.synchronize(_invoice(ws, invoice_id), by=_who(request).label)
    return invoice_dict(invoice)
