"""JSON API of the ar app, mounted under /api/v1/workspaces/{slug}/.

GET  invoices                    invoices (?state=open|partially_paid|paid|unpaid&customer=&page=)
GET  invoices/{id}               one invoice with its lines and the payments recorded here
GET  invoices/{id}/image         Intacct's PDF of the invoice (404 when the image setting is off)
GET  payments                    payments with their Intacct state and error (?state=)
GET  payments/{id}               one payment
POST payments                    record a payment; ``Idempotency-Key``: same key + same body → the first
                                 payment (200), another body → 409 key_reused; bad input → 422
POST payments/{id}/retry         send a failed (or unknown) payment again
GET  adjustments / POST adjustments   credit adjustments (404 while the module is off)
GET  ar/settings / PUT ar/settings     the accounting configuration (PUT: admins / read-write tokens)

Reads need any token of the workspace or a member's session; recording and retrying payments need a
read-write token or an admin/controller session.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from intacct_bridge.api.auth import workspace_for
from intacct_bridge.api.errors import ApiError, forbidden, not_found
from intacct_bridge.api.schemas import ErrorOut
from intacct_bridge.ar import adjustments as adjustment_flow
from intacct_bridge.ar import config, images
from intacct_bridge.ar import payments as payment_flow
from intacct_bridge.ar.models import Adjustment, ArSettings, Invoice, InvoiceState, Payment, PaymentState
from intacct_bridge.records.currencies import OptionalCurrency
from intacct_bridge.sync.models import Link
from intacct_bridge.workspaces.access import membership_for
from intacct_bridge.workspaces.models import ApiToken, Profile, Workspace

router = Router(tags=["ar"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 502: ErrorOut}
STATUS = {"invalid": 422, "key_reused": 409, "not_retryable": 409, "not_found": 404}


class ApplicationIn(Schema):
    invoice_id: int
    amount: Decimal


class PaymentIn(Schema):
    applications: list[ApplicationIn]
    method: str = "Printed Check"
    date: dt.date | None = None
    reference: str = ""
    amount: Decimal | None = None
    currency: OptionalCurrency = ""


class AdjustmentLineIn(Schema):
    account_id: int
    amount: Decimal
    memo: str = ""


class AdjustmentIn(Schema):
    customer_id: str
    invoice_id: int | None = None
    date: dt.date | None = None
    memo: str = ""
    lines: list[AdjustmentLineIn]


class SettingsIn(Schema):
    ar_account_id: int | None = None
    undeposited_account_id: int | None = None
    use_intacct_image: bool = False
    adjustments_enabled: bool = False
    adjustment_entity_id: str = ""


def _money_writer(request: HttpRequest, slug: str) -> Workspace:
    """A read-write token, or the session of an admin or controller of the workspace."""
    ws = workspace_for(request, slug, write=True)
    if not isinstance(getattr(request, "auth", None), ApiToken):
        membership = membership_for(request.user, slug)
        if membership is None or membership.profile not in (Profile.ADMIN, Profile.CONTROLLER):
            raise forbidden("Only admins and controllers can record or retry payments")
    return ws


def _refused(exc: payment_flow.PaymentRefused) -> ApiError:
    return ApiError(STATUS.get(exc.code, 422), exc.code, exc.message)


# ---- invoices -------------------------------------------------------------------------------------


def invoice_dict(invoice: Invoice, link: Link | None, *, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": invoice.pk,
        "number": invoice.number,
        "customer_id": invoice.customer_id,
        "customer_name": invoice.customer_name,
        "client_id": invoice.client_id,
        "date": invoice.date.isoformat() if invoice.date else None,
        "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
        "paid_on": invoice.paid_on.isoformat() if invoice.paid_on else None,
        "total": f"{invoice.total:.2f}",
        "amount_paid": f"{invoice.amount_paid:.2f}",
        "amount_due": f"{invoice.amount_due:.2f}",
        "state": invoice.state,
        "currency": invoice.currency,
        "intacct_recordno": link.recordno if link is not None and link.is_linked else None,
        "entity": link.entity if link is not None else "",
    }
    if detail:
        out["description"] = invoice.description
        out["lines"] = [
            {
                "line_no": line.line_no,
                "intacct_recordno": line.recordno,
                "account_number": line.account_number,
                "description": line.description,
                "amount": f"{line.amount:.2f}",
                "amount_paid": f"{line.amount_paid:.2f}",
                "department_id": line.department_id,
                "location_id": line.location_id,
            }
            for line in invoice.lines.all()
        ]
        payments = {a.payment for a in invoice.applications.select_related("payment")}
        payment_flow.settle(payments)
        out["payments"] = [
            {"id": a.payment_id, "amount": f"{a.amount:.2f}", "state": a.payment.state}
            for a in invoice.applications.select_related("payment")
        ]
    return out


def _links(ws: Workspace, family: str, ids: list[int]) -> dict[int, Link]:
    return {ln.local_id: ln for ln in Link.objects.filter(workspace=ws, family=family, local_id__in=ids)}


@router.get("invoices", response={200: dict[str, Any], **ERRORS})
def list_invoices(
    request: HttpRequest, slug: str, state: str = "", customer: str = "", page: int = 1, per_page: int = 100
) -> Any:
    ws = workspace_for(request, slug)
    rows = Invoice.objects.filter(workspace=ws)
    if state == "unpaid":
        rows = rows.filter(state__in=[InvoiceState.OPEN, InvoiceState.PARTIALLY_PAID])
    elif state:
        if state not in InvoiceState.values:
            raise ApiError(422, "invalid", f"state: one of unpaid, {', '.join(InvoiceState.values)}")
        rows = rows.filter(state=state)
    if customer:
        rows = rows.filter(customer_id=customer)
    paged = Paginator(rows.order_by("-date", "-id"), max(1, min(per_page, 500))).get_page(page)
    links = _links(ws, "invoices", [i.pk for i in paged])
    return {
        "page": paged.number,
        "has_next": paged.has_next(),
        "count": paged.paginator.count,
        "results": [invoice_dict(i, links.get(i.pk)) for i in paged],
    }


def _invoice(ws: Workspace, invoice_id: int) -> Invoice:
    invoice = Invoice.objects.filter(workspace=ws, pk=invoice_id).first()
    if invoice is None:
        raise not_found("No such invoice")
    return invoice


@router.get("invoices/{int:invoice_id}", response={200: dict[str, Any], **ERRORS})
def get_invoice(request: HttpRequest, slug: str, invoice_id: int) -> Any:
    ws = workspace_for(request, slug)
    invoice = _invoice(ws, invoice_id)
    return invoice_dict(invoice, _links(ws, "invoices", [invoice.pk]).get(invoice.pk), detail=True)


@router.get("invoices/{int:invoice_id}/image", response={200: None, **ERRORS})
def get_invoice_image(request: HttpRequest, slug: str, invoice_id: int) -> Any:
    """The Sage Intacct PDF of the invoice (application/pdf), cached until the invoice changes."""
    ws = workspace_for(request, slug)
    invoice = _invoice(ws, invoice_id)
    if not ArSettings.of(ws).use_intacct_image:
        raise not_found("The Intacct invoice image is turned off for this workspace")
    try:
        pdf = images.pdf_for(invoice)
    except images.ImageUnavailable as exc:
        raise ApiError(404 if exc.code == "unlinked" else 502, f"image_{exc.code}", exc.message) from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="invoice-{invoice.number or invoice.pk}.pdf"'
    return response


# ---- payments -------------------------------------------------------------------------------------


@router.get("payments", response={200: list[dict[str, Any]], **ERRORS})
def list_payments(
    request: HttpRequest, slug: str, state: str = "", page: int = 1, per_page: int = 100
) -> Any:
    """Newest first, ``per_page`` (at most 500) a page."""
    ws = workspace_for(request, slug)
    per_page = max(1, min(per_page, 500))
    start = (max(1, page) - 1) * per_page
    payment_flow.settle_open(ws)
    rows = Payment.objects.filter(workspace=ws)
    if state:
        if state not in PaymentState.values:
            raise ApiError(422, "invalid", f"state: one of {', '.join(PaymentState.values)}")
        rows = rows.filter(state=state)
    payments = list(rows.order_by("-created_at", "-id")[start : start + per_page])
    payment_flow.settle(payments)
    return [payment_flow.payment_dict(p) for p in payments]


def _payment(ws: Workspace, payment_id: int) -> Payment:
    payment = Payment.objects.filter(workspace=ws, pk=payment_id).first()
    if payment is None:
        raise not_found("No such payment")
    return payment


@router.get("payments/{int:payment_id}", response={200: dict[str, Any], **ERRORS})
def get_payment(request: HttpRequest, slug: str, payment_id: int) -> Any:
    payment = _payment(workspace_for(request, slug), payment_id)
    payment_flow.settle([payment])
    return payment_flow.payment_dict(payment)


@router.post("payments", response={200: dict[str, Any], 201: dict[str, Any], **ERRORS})
def create_payment(request: HttpRequest, slug: str, body: PaymentIn) -> Any:
    """Record a payment against one or more invoices of one customer; it is pushed to Intacct at once.
    Answers 201 with the payment (its ``state`` says whether Intacct applied it already)."""
    ws = _money_writer(request, slug)
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 200:
        raise ApiError(422, "invalid", "Idempotency-Key: at most 200 characters")
    data = payment_flow.PaymentInput(
        applications=[(a.invoice_id, a.amount) for a in body.applications],
        method=body.method,
        date=body.date,
        reference=body.reference,
        amount=body.amount,
        currency=body.currency,
    )
    by = request.user.get_username() if request.user.is_authenticated else "api"
    try:
        payment, created = payment_flow.record_payment(ws, data, by=by, key=key)
    except payment_flow.PaymentRefused as exc:
        raise _refused(exc) from None
    return Status(201 if created else 200, payment_flow.payment_dict(payment))


@router.post("payments/{int:payment_id}/retry", response={200: dict[str, Any], **ERRORS})
def retry_payment(request: HttpRequest, slug: str, payment_id: int) -> Any:
    ws = _money_writer(request, slug)
    try:
        payment = payment_flow.retry(ws, _payment(ws, payment_id))
    except payment_flow.PaymentRefused as exc:
        raise _refused(exc) from None
    return payment_flow.payment_dict(payment)


# ---- adjustments ----------------------------------------------------------------------------------


def _adjustments_on(ws: Workspace) -> None:
    if not ArSettings.of(ws).adjustments_enabled:
        raise not_found("Adjustments are turned off for this workspace")


@router.get("adjustments", response={200: list[dict[str, Any]], **ERRORS})
def list_adjustments(request: HttpRequest, slug: str) -> Any:
    ws = workspace_for(request, slug)
    _adjustments_on(ws)
    rows = list(Adjustment.objects.filter(workspace=ws).order_by("-created_at", "-id")[:500])
    adjustment_flow.settle(rows)
    return [adjustment_flow.adjustment_dict(a) for a in rows]


@router.post("adjustments", response={201: dict[str, Any], **ERRORS})
def create_adjustment(request: HttpRequest, slug: str, body: AdjustmentIn) -> Any:
    ws = _money_writer(request, slug)
    _adjustments_on(ws)
    data = adjustment_flow.AdjustmentInput(
        customer_id=body.customer_id,
        lines=[(line.account_id, line.amount, line.memo) for line in body.lines],
        invoice_id=body.invoice_id,
        date=body.date,
        memo=body.memo,
    )
    by = request.user.get_username() if request.user.is_authenticated else "api"
    try:
        adjustment = adjustment_flow.record_adjustment(ws, data, by=by)
    except payment_flow.PaymentRefused as exc:
        raise _refused(exc) from None
    return Status(201, adjustment_flow.adjustment_dict(adjustment))


# ---- settings -------------------------------------------------------------------------------------


@router.get("ar/settings", response={200: dict[str, Any], **ERRORS})
def get_settings(request: HttpRequest, slug: str) -> Any:
    return config.settings_dict(ArSettings.of(workspace_for(request, slug)))


@router.put("ar/settings", response={200: dict[str, Any], **ERRORS})
def put_settings(request: HttpRequest, slug: str, body: SettingsIn) -> Any:
    ws = workspace_for(request, slug, write=True, admin=True)
    by = request.user.get_username() if request.user.is_authenticated else "api"
    settings, problems = config.save(
        ws,
        config.SettingsInput(
            ar_account_id=body.ar_account_id,
            undeposited_account_id=body.undeposited_account_id,
            use_intacct_image=body.use_intacct_image,
            adjustments_enabled=body.adjustments_enabled,
            adjustment_entity_id=body.adjustment_entity_id,
        ),
        by=by,
    )
    if problems:
        raise ApiError(422, "invalid", " ".join(text for _, text in problems))
    return config.settings_dict(settings)


# ---- the generic family routes that make no sense here ---------------------------------------------
# Payments and adjustments are made in the app and written to Intacct once; importing Intacct's AR
# payments as app payments, linking them by hand or creating them without the payment rules would
# break that, so these generic routes (mounted after this router) are answered here with 405.


def _push_only(family: str) -> ApiError:
    where = "POST payments" if family == "payments" else "POST adjustments"
    return ApiError(
        405,
        "push_only",
        f"{family.capitalize()} are recorded here ({where}) and written to Intacct once; "
        "they are not imported, linked or created through the generic family routes.",
    )


def _refuse_generic(family: str) -> None:
    def records(request: HttpRequest, slug: str) -> Any:
        workspace_for(request, slug)
        raise _push_only(family)

    def per_record(request: HttpRequest, slug: str, local_id: int) -> Any:
        workspace_for(request, slug)
        raise _push_only(family)

    router.post(f"{family}/records", response={405: ErrorOut, **ERRORS}, operation_id=f"ar_{family}_records")(
        records
    )
    router.post(f"{family}/import", response={405: ErrorOut, **ERRORS}, operation_id=f"ar_{family}_import")(
        records
    )
    for action in ("link", "unlink"):
        router.post(
            f"{family}/{{local_id}}/{action}",
            response={405: ErrorOut, **ERRORS},
            operation_id=f"ar_{family}_{action}",
        )(per_record)


for _family in ("payments", "adjustments"):
    _refuse_generic(_family)
