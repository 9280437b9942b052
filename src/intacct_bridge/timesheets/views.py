"""Pages: Time (timesheets with approval and export state, approve/reject, a week's entry form, the
time settings) and project invoices (list, page, the *Export to Sage Intacct* dialog, Synchronize).

Every page needs a member of the workspace; approving and rejecting an admin, controller or
project manager; the settings an admin.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from intacct_bridge.jobs.queueing import QueueUnavailable
from intacct_bridge.jobs.tasks import queue_import
from intacct_bridge.psa.models import Project, Task
from intacct_bridge.records.models import Account, Client, Person
from intacct_bridge.sync.models import Link, LinkState
from intacct_bridge.timesheets import invoicing, workflow
from intacct_bridge.timesheets.models import ProjectInvoice, TimeSettings, Timesheet, TimesheetState
from intacct_bridge.timesheets.rules import forget_settings
from intacct_bridge.timesheets.status import export_status, export_statuses
from intacct_bridge.workspaces.access import workspace_view

ENTRY_ROWS = 7


def _actor(request: HttpRequest) -> workflow.Actor:
    return workflow.Actor(request.user, request.user.get_username())


def _linked_ids(ws: Any, family: str) -> set[int]:
    rows = Link.objects.filter(workspace=ws, family=family, state=LinkState.LINKED).values_list(
        "local_id", flat=True
    )
    return set(rows)


def _say_refused(request: HttpRequest, exc: workflow.TimeRefused | invoicing.InvoiceRefused) -> None:
    text = exc.message
    if getattr(exc, "errorno", ""):
        text = f"{text} [{exc.errorno}]"  # type: ignore[union-attr]
    if getattr(exc, "remedy", ""):
        text = f"{text} — {exc.remedy}"  # type: ignore[union-attr]
    messages.error(request, text)


# ---- time -----------------------------------------------------------------------------------------


@workspace_view()
def time_list(request: HttpRequest, slug: str) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    state = request.GET.get("state", "")
    # the lines are prefetched: each row shows its total hours
    sheets = (
        Timesheet.objects.filter(workspace=ws)
        .select_related("person", "approved_by")
        .prefetch_related("lines")
    )
    if state in TimesheetState.values:
        sheets = sheets.filter(state=state)
    page = Paginator(sheets.order_by("-begin_date", "pk"), 50).get_page(request.GET.get("page"))
    statuses = export_statuses(ws, list(page))
    rows = [{"sheet": s, "export": statuses[s.pk]} for s in page]
    return render(
        request,
        "timesheets/time_list.html",
        {
            "rows": rows,
            "page": page,
            "state": state,
            "states": TimesheetState.choices,
            "settings": TimeSettings.of(ws),
            "can_approve": workflow.may_approve(ws, request.user),
            "is_admin": request.membership.is_admin,  # type: ignore[attr-defined]
        },
    )


def _sheet(request: HttpRequest, pk: int) -> Timesheet:
    sheet = (
        Timesheet.objects.filter(workspace=request.workspace, pk=pk)  # type: ignore[attr-defined]
        .select_related("person", "approved_by", "rejected_by")
        .first()
    )
    if sheet is None:
        raise Http404("No such timesheet")
    return sheet


@workspace_view()
def timesheet_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    sheet = _sheet(request, pk)
    lines = list(sheet.lines.select_related("project", "task").order_by("line_no", "pk"))
    return render(
        request,
        "timesheets/timesheet_detail.html",
        {
            "sheet": sheet,
            "lines": lines,
            "export": export_status(sheet),
            "link": Link.objects.filter(workspace=ws, family="timesheets", local_id=sheet.pk).first(),
            "can_approve": workflow.may_approve(ws, request.user),
            "settings": TimeSettings.of(ws),
        },
    )


@require_POST
@workspace_view()
def timesheet_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    sheet = _sheet(request, pk)
    try:
        if action == "submit":
            workflow.submit(sheet, _actor(request))
            messages.success(request, "Timesheet submitted for approval.")
        elif action == "approve":
            sheet = workflow.approve(sheet, _actor(request))
            status = export_status(sheet)
            messages.success(request, f"Timesheet approved. Sage Intacct: {status.label}.")
        elif action == "reject":
            workflow.reject(sheet, _actor(request), request.POST.get("note", ""))
            messages.success(request, "Timesheet rejected.")
        else:
            raise Http404("No such action")
    except workflow.TimeRefused as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from None
        _say_refused(request, exc)
    target = request.POST.get("next", "")
    if target.startswith(f"/w/{slug}/"):
        return redirect(target)
    return redirect("timesheets:timesheet", slug, sheet.pk)


@workspace_view()
def timesheet_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Enter a week of time: who, the week, up to seven entries (date, hours, project, task, notes)."""
    ws = request.workspace  # type: ignore[attr-defined]
    people = Person.objects.filter(workspace=ws).order_by("last_name", "first_name")
    projects = Project.objects.filter(workspace=ws).order_by("name")
    tasks = Task.objects.filter(workspace=ws).select_related("project").order_by("project__name", "name")
    today = timezone.localdate()
    values: dict[str, Any] = {"begin_date": (today - timedelta(days=today.weekday())).isoformat()}
    if request.method == "POST":
        values = request.POST.dict()
        entries = []
        for n in range(1, ENTRY_ROWS + 1):
            hours = request.POST.get(f"hours_{n}", "").strip()
            if not hours:
                continue
            entries.append(
                {
                    "date": request.POST.get(f"date_{n}", ""),
                    "hours": hours,
                    "project": request.POST.get(f"project_{n}") or None,
                    "task": request.POST.get(f"task_{n}") or None,
                    "notes": request.POST.get(f"notes_{n}", ""),
                }
            )
        data = {
            "person": request.POST.get("person") or None,
            "begin_date": request.POST.get("begin_date", ""),
            "description": request.POST.get("description", ""),
            "entries": entries,
            "submit": bool(request.POST.get("submit")),
        }
        try:
            sheet, _ = workflow.create_timesheet(ws, data, actor=_actor(request))
        except workflow.TimeRefused as exc:
            _say_refused(request, exc)
        else:
            messages.success(request, "Timesheet saved.")
            return redirect("timesheets:timesheet", slug, sheet.pk)
    return render(
        request,
        "timesheets/timesheet_form.html",
        {
            "people": people,
            "projects": projects,
            "tasks": tasks,
            "values": values,
            "rows": range(1, ENTRY_ROWS + 1),
        },
    )


@workspace_view(admin=True)
def time_settings(request: HttpRequest, slug: str) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    settings, _ = TimeSettings.objects.get_or_create(workspace=ws)
    if request.method == "POST":
        settings.use_app_for_timesheets = request.POST.get("use_app_for_timesheets") == "on"
        cutoff = request.POST.get("cutoff", "").strip()
        try:
            settings.cutoff = date.fromisoformat(cutoff) if cutoff else None
        except ValueError:
            messages.error(request, f"Cut-off: {cutoff!r} is not a date (YYYY-MM-DD).")
            return redirect("timesheets:time_settings", slug)
        settings.entry_location = request.POST.get("entry_location", "").strip()[:40]
        settings.save()
        forget_settings(ws.pk)
        messages.success(request, "Time settings saved.")
        return redirect("timesheets:time", slug)
    return render(request, "timesheets/settings.html", {"settings": settings})


@require_POST
@workspace_view(admin=True)
def time_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Intacct → app workspaces: bring in Intacct's timesheets (those not here yet)."""
    ws = request.workspace  # type: ignore[attr-defined]
    try:
        run = queue_import(ws, "timesheets", None, {}, request.user.get_username())
    except QueueUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("sync:runs", slug=slug)
    messages.success(request, "Importing timesheets from Sage Intacct…")
    return redirect(reverse("sync:run", args=[slug, run.pk]))


# ---- project invoices --------------------------------------------------------------------------------


def _export_choices(ws: Any) -> dict[str, Any]:
    linked_clients = _linked_ids(ws, "clients")
    linked_accounts = _linked_ids(ws, "accounts")
    entities = sorted(
        {e for e in Link.objects.filter(workspace=ws).exclude(entity="").values_list("entity", flat=True)}
        | {
            e
            for e in ProjectInvoice.objects.filter(workspace=ws)
            .exclude(export_location="")
            .values_list("export_location", flat=True)
        }
    )
    conn = ws.connection_or_none
    return {
        "customers": Client.objects.filter(workspace=ws, pk__in=linked_clients).order_by("name"),
        "accounts": Account.objects.filter(workspace=ws, pk__in=linked_accounts, active=True).order_by(
            "number"
        ),
        "entities": entities,
        "default_location": conn.entity_id if conn is not None else "",
    }


@workspace_view()
def invoice_list(request: HttpRequest, slug: str) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    invoicing.settle_exports(ws)
    invoices = (
        ProjectInvoice.objects.filter(workspace=ws)
        .select_related("project", "client")
        .order_by("-date", "-pk")
    )
    page = Paginator(invoices, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "timesheets/invoice_list.html",
        {"page": page, "can_export": _can_export(request), **_export_choices(ws)},
    )


def _can_export(request: HttpRequest) -> bool:
    return workflow.may_approve(request.workspace, request.user)  # type: ignore[attr-defined]


def _invoice(request: HttpRequest, pk: int) -> ProjectInvoice:
    invoice = (
        ProjectInvoice.objects.filter(workspace=request.workspace, pk=pk)  # type: ignore[attr-defined]
        .select_related("project", "client", "export_client", "export_account")
        .first()
    )
    if invoice is None:
        raise Http404("No such project invoice")
    return invoice


@workspace_view()
def invoice_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    invoicing.settle_exports(ws)
    invoice = _invoice(request, pk)
    link = Link.objects.filter(workspace=ws, family="project-invoices", local_id=invoice.pk).first()
    return render(
        request,
        "timesheets/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": invoice.lines.select_related("account").order_by("line_no"),
            "link": link,
            "can_export": _can_export(request),
            **_export_choices(ws),
        },
    )


@require_POST
@workspace_view()
def invoice_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    if not _can_export(request):
        raise PermissionDenied("Only admins, controllers and project managers export invoices")
    ws = request.workspace  # type: ignore[attr-defined]
    invoice = _invoice(request, pk)
    client = Client.objects.filter(workspace=ws, pk=request.POST.get("customer") or 0).first()
    account = Account.objects.filter(workspace=ws, pk=request.POST.get("account") or 0).first()
    try:
        invoice = invoicing.request_export(
            invoice,
            client=client,
            account=account,
            location=request.POST.get("location", ""),
            by=request.user.get_username(),
        )
    except invoicing.InvoiceRefused as exc:
        _say_refused(request, exc)
    else:
        invoicing.settle_exports(ws)
        invoice.refresh_from_db()
        messages.success(request, f"Invoice {invoice.number}: {invoice.get_export_state_display()}.")
    return redirect("timesheets:invoice", slug, invoice.pk)


@require_POST
@workspace_view()
def invoice_synchronize(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    invoice = invoicing.synchronize(_invoice(request, pk), by=request.user.get_username())
    messages.success(request, f"Invoice {invoice.number}: {invoice.payment_status}.")
    return redirect("timesheets:invoice", slug, invoice.pk)
