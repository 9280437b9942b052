"""Pages of the ar app: Invoices (list with a state filter, detail with lines, payments, the Intacct
image and *Record payment*), Payments (Intacct state and error, *Retry*), Adjustments (when turned on)
and Configurations > Billing > Accounting."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from intacct_bridge.ar import adjustments as adjustment_flow
from intacct_bridge.ar import config, images
from intacct_bridge.ar import payments as payment_flow
from intacct_bridge.ar.models import (
    Adjustment,
    ArSettings,
    Invoice,
    InvoiceState,
    Payment,
    PaymentApplication,
    PaymentMethod,
    PaymentState,
)
from intacct_bridge.ar.rules import connection_entity, invoice_entities, settings_problems
from intacct_bridge.records.models import Account
from intacct_bridge.sync.models import Link, LinkState
from intacct_bridge.workspaces.access import workspace_view
from intacct_bridge.workspaces.models import Profile

#: who may record payments and retry them
MONEY_PROFILES = (Profile.ADMIN, Profile.CONTROLLER)


def _ws(request: HttpRequest) -> Any:
    return request.workspace  # type: ignore[attr-defined]


def can_handle_money(request: HttpRequest) -> bool:
    return request.membership.profile in MONEY_PROFILES  # type: ignore[attr-defined]


def _require_money(request: HttpRequest) -> None:
    if not can_handle_money(request):
        raise PermissionDenied("Only admins and controllers can record or retry payments.")


def _by(request: HttpRequest) -> str:
    return request.user.get_username()


# ---- invoices -----------------------------------------------------------------------------------


@workspace_view()
def invoice_list(request: HttpRequest, slug: str) -> HttpResponse:
    ws = _ws(request)
    state = request.GET.get("state", "")
    search = request.GET.get("q", "").strip()
    rows = Invoice.objects.filter(workspace=ws)
    if state == "unpaid":
        rows = rows.filter(state__in=[InvoiceState.OPEN, InvoiceState.PARTIALLY_PAID])
    elif state in InvoiceState.values:
        rows = rows.filter(state=state)
    if search:
        rows = rows.filter(
            Q(number__icontains=search)
            | Q(customer_id__icontains=search)
            | Q(customer_name__icontains=search)
        )
    page = Paginator(rows.order_by("-date", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "ar/invoice_list.html",
        {
            "page": page,
            "state": state,
            "search": search,
            "states": [("", "All"), ("unpaid", "Unpaid"), *InvoiceState.choices],
        },
    )


def _invoice(request: HttpRequest, invoice_id: int) -> Invoice:
    return get_object_or_404(Invoice, workspace=_ws(request), pk=invoice_id)


@workspace_view()
def invoice_detail(request: HttpRequest, slug: str, invoice_id: int) -> HttpResponse:
    ws = _ws(request)
    invoice = _invoice(request, invoice_id)
    settings = ArSettings.of(ws)
    link = Link.objects.filter(workspace=ws, family="invoices", local_id=invoice.pk).first()
    applications = (
        PaymentApplication.objects.filter(invoice=invoice)
        .select_related("payment")
        .order_by("-payment__created_at")
    )
    payment_flow.settle([a.payment for a in applications])
    entity = invoice_entities(ws, [invoice]).get(invoice.pk, "")
    return render(
        request,
        "ar/invoice_detail.html",
        {
            "entity_mismatch": entity != connection_entity(ws),
            "entity": entity,
            "invoice": invoice,
            "lines": invoice.lines.all(),
            "applications": applications,
            "link": link if link and link.state == LinkState.LINKED else None,
            "settings": settings,
            "setup_problems": settings_problems(settings),
            "can_pay": can_handle_money(request),
            "methods": PaymentMethod.choices,
            "today": date.today().isoformat(),
            "image_cached": images.cached(invoice) is not None if settings.use_intacct_image else False,
            "adjustments": invoice.adjustments.all() if settings.adjustments_enabled else [],
            # a payment on its way to Intacct: the page looks again until Intacct has answered
            "in_flight": any(a.payment.state in payment_flow.IN_FLIGHT for a in applications),
        },
    )


@workspace_view()
def invoice_image(request: HttpRequest, slug: str, invoice_id: int) -> HttpResponse:
    invoice = _invoice(request, invoice_id)
    if not ArSettings.of(_ws(request)).use_intacct_image:
        raise Http404("The Intacct invoice image is turned off for this workspace.")
    try:
        pdf = images.pdf_for(invoice)
    except images.ImageUnavailable as exc:
        return render(request, "ar/image_error.html", {"invoice": invoice, "error": exc.message}, status=502)
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="invoice-{invoice.number or invoice.pk}.pdf"'
    return response


@require_POST
@workspace_view()
def record_payment(request: HttpRequest, slug: str, invoice_id: int) -> HttpResponse:
    _require_money(request)
    invoice = _invoice(request, invoice_id)
    when = request.POST.get("date", "").strip()
    try:
        data = payment_flow.PaymentInput(
            applications=[(invoice.pk, request.POST.get("amount", "").strip())],
            method=request.POST.get("method", PaymentMethod.CHECK),
            date=date.fromisoformat(when) if when else None,
            reference=request.POST.get("reference", ""),
        )
        payment, _ = payment_flow.record_payment(_ws(request), data, by=_by(request))
    except ValueError:
        messages.error(request, f"Date: {when!r} is not a date.")
    except payment_flow.PaymentRefused as exc:
        messages.error(request, f"Payment not recorded: {exc.message}")
    else:
        _announce(request, payment)
    return redirect("ar:invoice", slug, invoice.pk)


def _announce(request: HttpRequest, payment: Payment) -> None:
    if payment.state == PaymentState.APPLIED:
        messages.success(request, f"Payment of {payment.amount} applied in Sage Intacct.")
    elif payment.state == PaymentState.FAILED:
        messages.error(request, f"Sage Intacct refused the payment: {payment.last_error}")
    else:
        messages.info(request, f"Payment of {payment.amount} recorded; it is being sent to Sage Intacct.")


# ---- payments -----------------------------------------------------------------------------------


@workspace_view()
def payment_list(request: HttpRequest, slug: str) -> HttpResponse:
    ws = _ws(request)
    state = request.GET.get("state", "")
    # what the engine recorded since (applied, refused) before filtering by state
    payment_flow.settle_open(ws)
    rows = Payment.objects.filter(workspace=ws)
    if state in PaymentState.values:
        rows = rows.filter(state=state)
    page = Paginator(rows.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    payment_flow.settle(list(page))
    links = {
        ln.local_id: ln
        for ln in Link.objects.filter(workspace=ws, family="payments", local_id__in=[p.pk for p in page])
    }
    return render(
        request,
        "ar/payment_list.html",
        {
            "page": page,
            "rows": [{"payment": p, "link": links.get(p.pk)} for p in page],
            "state": state,
            "states": [("", "All"), *PaymentState.choices],
            "can_retry": can_handle_money(request),
        },
    )


@workspace_view()
def payment_detail(request: HttpRequest, slug: str, payment_id: int) -> HttpResponse:
    payment = get_object_or_404(Payment, workspace=_ws(request), pk=payment_id)
    payment_flow.settle([payment])
    return render(
        request,
        "ar/payment_detail.html",
        {
            "payment": payment,
            "data": payment_flow.payment_dict(payment),
            "can_retry": can_handle_money(request),
        },
    )


@require_POST
@workspace_view()
def payment_retry(request: HttpRequest, slug: str, payment_id: int) -> HttpResponse:
    _require_money(request)
    payment = get_object_or_404(Payment, workspace=_ws(request), pk=payment_id)
    try:
        payment = payment_flow.retry(_ws(request), payment)
    except payment_flow.PaymentRefused as exc:
        messages.error(request, exc.message)
    else:
        _announce(request, payment)
    back = request.POST.get("next", "")
    # only back to a page of this workspace (never an outside address)
    if back.startswith(f"/w/{slug}/") and "//" not in back:
        return redirect(back)
    return redirect("ar:payments", slug)


# ---- adjustments --------------------------------------------------------------------------------


@workspace_view()
def adjustment_list(request: HttpRequest, slug: str) -> HttpResponse:
    ws = _ws(request)
    settings = ArSettings.of(ws)
    if not settings.adjustments_enabled:
        # not found, but say why and where to turn them on
        return render(request, "ar/adjustments_off.html", {}, status=404)
    if request.method == "POST":
        _require_money(request)
        accounts = request.POST.getlist("account")
        amounts = request.POST.getlist("line_amount")
        memos = request.POST.getlist("line_memo")
        lines = [
            (int(a), amt, m)
            for a, amt, m in zip(accounts, amounts, memos + [""] * len(accounts), strict=False)
            if a.isdigit() and amt.strip()
        ]
        invoice = request.POST.get("invoice", "")
        when = request.POST.get("date", "").strip()
        try:
            data = adjustment_flow.AdjustmentInput(
                customer_id=request.POST.get("customer_id", ""),
                lines=lines,
                invoice_id=int(invoice) if invoice.isdigit() else None,
                date=date.fromisoformat(when) if when else None,
                memo=request.POST.get("memo", ""),
            )
            adjustment = adjustment_flow.record_adjustment(ws, data, by=_by(request))
        except ValueError:
            messages.error(request, f"Date: {when!r} is not a date.")
        except payment_flow.PaymentRefused as exc:
            messages.error(request, f"Adjustment not recorded: {exc.message}")
        else:
            if adjustment.state == "failed":
                messages.error(request, f"Sage Intacct refused the adjustment: {adjustment.last_error}")
            else:
                messages.success(request, f"Credit adjustment of {adjustment.total} recorded.")
        return redirect("ar:adjustments", slug)
    adjustment_flow.settle(Adjustment.objects.filter(workspace=ws))
    customers = (
        Invoice.objects.filter(workspace=ws)
        .values_list("customer_id", "customer_name")
        .distinct()
        .order_by("customer_name")
    )
    return render(
        request,
        "ar/adjustment_list.html",
        {
            "rows": Adjustment.objects.filter(workspace=ws).prefetch_related("lines__account")[:200],
            "settings": settings,
            "customers": customers,
            "invoices": Invoice.objects.filter(workspace=ws).order_by("-date")[:500],
            "accounts": Account.objects.filter(workspace=ws, active=True).order_by("number"),
            "can_create": can_handle_money(request),
            "today": date.today().isoformat(),
        },
    )


# ---- configuration --------------------------------------------------------------------------------


def _optional_int(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


@workspace_view()
def settings_page(request: HttpRequest, slug: str) -> HttpResponse:
    ws = _ws(request)
    is_admin = request.membership.is_admin  # type: ignore[attr-defined]
    settings = ArSettings.of(ws)
    problems: list[tuple[str, str]] = []
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied("Only workspace admins can change the accounting configuration.")
        data = config.SettingsInput(
            ar_account_id=_optional_int(request.POST.get("ar_account", "")),
            undeposited_account_id=_optional_int(request.POST.get("undeposited_account", "")),
            use_intacct_image=request.POST.get("use_intacct_image") == "on",
            adjustments_enabled=request.POST.get("adjustments_enabled") == "on",
            adjustment_entity_id=request.POST.get("adjustment_entity_id", ""),
        )
        settings, problems = config.save(ws, data, by=_by(request))
        if not problems:
            messages.success(request, "Accounting configuration saved.")
            return redirect("ar:settings", slug)
    accounts = Account.objects.filter(workspace=ws).order_by("number")
    return render(
        request,
        "ar/settings.html",
        {
            "settings": settings,
            "accounts": accounts,
            "problems": problems,
            "setup_problems": settings_problems(settings) if not problems else [],
            "is_admin": is_admin,
            "posted": request.POST if request.method == "POST" else None,
        },
    )


@workspace_view()
def not_for_push_families(request: HttpRequest, slug: str, **_: Any) -> HttpResponse:
    raise Http404("Payments are recorded from an invoice's page and adjustments on the Adjustments page.")
