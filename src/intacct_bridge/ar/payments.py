"""Payments: recorded here (page or API), checked, pushed promptly, applied in Intacct exactly once.

Life of a payment (``Payment.state``):

* **pending**: recorded after passing ``rules.payment_problems``; ``push_now`` queues a family-only run.
* **sent**: ``create_params`` built the create_arpayment call; Intacct's answer is awaited.
* **applied**: the engine linked it to the ARPYMT Intacct created; ``after_push`` reads the paid
  invoices back (``ctx.refresh_locals("invoices", ...)``) so their amount due and state follow Intacct.
* **unknown**: the answer was lost (reset after commit, 524); the engine looks the payment up by its
  deterministic key (DOCNUMBER) before sending anything again, so it is never applied twice.
* **failed**: our checks or Intacct refused it (e.g. the invoice was paid in Intacct since the last
  sync). It is **not** sent again by itself: an admin fixes the cause and presses *Retry*.

The engine reports what happened to a push as run issues; ``settle`` turns the newest issue of a
payment into its state, so a refusal is shown with Intacct's errorno and text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from intacct import errors
from intacct_bridge.ar.models import (
    ArSettings,
    Invoice,
    InvoiceState,
    Payment,
    PaymentApplication,
    PaymentMethod,
    PaymentState,
)
from intacct_bridge.ar.rules import Application, Problems, payment_problems
from intacct_bridge.jobs import tasks as jobs
from intacct_bridge.sync.context import RunContext
from intacct_bridge.sync.models import IdempotentCreate, Link, LinkState, PendingPush, RunIssue
from intacct_bridge.sync.registry import get_family
from intacct_bridge.sync.remote import Remote
from intacct_bridge.sync.spec import hash_values
from intacct_bridge.workspaces.connection import client_for
from intacct_bridge.workspaces.models import Workspace

FAMILY = "payments"
#: states in which Intacct's answer is still awaited
IN_FLIGHT = (PaymentState.PENDING, PaymentState.SENT, PaymentState.UNKNOWN)
#: run issue codes that mean "the outcome is not known yet" rather than "refused"
UNKNOWN_CODES = ("IB-UNKNOWN",)


class PaymentRefused(Exception):
    """``code``: invalid (422), key_reused (409), not_found (404), not_retryable (409)."""
    def __init__(self, code: str, message: str, problems: Problems | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.problems = code, message, problems or []


@dataclass(frozen=True)
class PaymentInput:
    """A payment as a page form or the API submits it (amounts as text or Decimal)."""
    applications: Sequence[tuple[int, Any]]  # (invoice id, amount)
    method: str = PaymentMethod.CHECK
    date: date | None = None
    reference: str = ""
    amount: Any = None  # optional: must equal the sum applied when given
    currency: str = ""

    def digest(self) -> str:
        return hash_values(
            {
                "family": FAMILY,
                "applications": ";".join(f"{i}={_money_text(a)}" for i, a in sorted(self.applications)),
                "method": self.method,
                "date": self.date.isoformat() if self.date else "",
                "reference": self.reference,
                "amount": _money_text(self.amount) if self.amount not in (None, "") else "",
                "currency": self.currency.upper(),
            }
        )


def _money_text(value: Any) -> str:
    try:
        return f"{Decimal(str(value)):.2f}"
    except (InvalidOperation, ValueError):
        return str(value)


def parse_amount(value: Any, what: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError, AttributeError):
        raise PaymentRefused("invalid", f"{what}: {value!r} is not an amount.") from None
    if not amount.is_finite():
        raise PaymentRefused("invalid", f"{what}: {value!r} is not an amount.")
    return amount


def _applications(workspace: Workspace, data: PaymentInput) -> list[Application]:
    ids = [int(i) for i, _ in data.applications]
    found = Invoice.objects.filter(workspace=workspace, pk__in=ids).in_bulk()
    out = []
    for invoice_id, amount in data.applications:
        invoice = found.get(int(invoice_id))
        if invoice is None:
            # another workspace's invoice is reported exactly like one that does not exist
            raise PaymentRefused("invalid", f"Invoice {invoice_id} is not an invoice of this workspace.")
        out.append(Application(invoice, parse_amount(amount, f"amount for invoice {invoice.number}")))
    return out


def record_payment(
    workspace: Workspace, data: PaymentInput, *, by: str = "", key: str = "", push: bool = True
) -> tuple[Payment, bool]:
    """(payment, created). Validates everything first (PaymentRefused "invalid" with every problem),
    saves the payment and its applications in one transaction and asks for a prompt push.

    ``key`` (an Idempotency-Key): the same key with the same body answers the first payment; with
    another body it is refused ("key_reused")."""
    digest = data.digest()
    if key:
        earlier = _replay(workspace, key, digest)
        if earlier is not None:
            return earlier, False
    amount = parse_amount(data.amount, "amount") if data.amount not in (None, "") else None
    currency = (data.currency or "").upper()
    try:
        with transaction.atomic():
            # the invoices are locked while their amount due is checked and the payment saved, so two
            # payments recorded at the same moment cannot together pay more than is due
            list(
                Invoice.objects.select_for_update()
                .filter(workspace=workspace, pk__in=[int(i) for i, _ in data.applications])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            apps = _applications(workspace, data)
            problems = payment_problems(
                workspace, amount=amount, currency=currency, method=data.method, applications=apps
            )
            if problems:
                raise PaymentRefused("invalid", " ".join(text for _, text in problems), problems)
            first = apps[0].invoice
            payment = Payment.objects.create(
                workspace=workspace,
                customer_id=first.customer_id,
                customer_name=first.customer_name,
                client_id=first.client_id,
                method=data.method,
                date=data.date or timezone.localdate(),
                reference=data.reference.strip()[:60],
                amount=sum((a.amount for a in apps), Decimal("0.00")),
                currency=currency or first.currency,
                created_by=by,
            )
            PaymentApplication.objects.bulk_create(
                [PaymentApplication(payment=payment, invoice=a.invoice, amount=a.amount) for a in apps]
            )
            if key:
                IdempotentCreate.objects.create(
                    workspace=workspace, key=key, family=FAMILY, request_hash=digest, local_id=payment.pk
                )
            PendingPush.objects.get_or_create(workspace=workspace, family=FAMILY, local_id=payment.pk)
    except IntegrityError:
        # the same key won a race with us: answer with its payment, as a retry would get
        earlier = _replay(workspace, key, digest) if key else None
        if earlier is None:
            raise
        return earlier, False
    if push:
        push_now(workspace, [payment.pk])
        payment.refresh_from_db()
    return payment, True


def _replay(workspace: Workspace, key: str, digest: str) -> Payment | None:
    done = IdempotentCreate.objects.filter(workspace=workspace, key=key).first()
    if done is None:
        return None
    if done.family != FAMILY or done.request_hash != digest:
        raise PaymentRefused("key_reused", f"Idempotency-Key {key!r} was already used for another request.")
    payment = Payment.objects.filter(workspace=workspace, pk=done.local_id).first()
    if payment is None:
        raise PaymentRefused("key_reused", f"The payment made under Idempotency-Key {key!r} is gone.")
    return payment


def push_now(workspace: Workspace, ids: Iterable[int]) -> None:
    """Ask for a payments-only run now (runs inline when Huey is immediate), then show its outcome."""
    wanted = list(ids)
    jobs.push_now(workspace, FAMILY, wanted)
    settle(Payment.objects.filter(workspace=workspace, pk__in=wanted))


def retry(workspace: Workspace, payment: Payment, *, push: bool = True) -> Payment:
    """An admin's explicit retry of a failed (or unknown) payment: checked again, then sent again."""
    settle([payment])
    payment.refresh_from_db()
    if not payment.retryable:
        raise PaymentRefused(
            "not_retryable",
            f"Payment {payment.pk} is {payment.get_state_display().lower()}; only failed "
            "or unknown payments can be retried.",
        )
    # the same checks as at creation, on the invoices as they are now: a retry that would be refused
    # again says so at once and sends nothing
    if recheck(payment):
        return payment
    # an unknown payment stays unknown, so it is read back by its key before it is sent again
    state = PaymentState.UNKNOWN if payment.state == PaymentState.UNKNOWN else PaymentState.PENDING
    with transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(
            state=state, last_error="", last_errorno="", updated_at=timezone.now()
        )
        PendingPush.objects.update_or_create(
            workspace=workspace, family=FAMILY, local_id=payment.pk, defaults={"last_error": ""}
        )
    if push:
        push_now(workspace, [payment.pk])
    payment.refresh_from_db()
    return payment


# ---- engine hooks -------------------------------------------------------------------------------


def _applications_of(payment: Payment) -> list[Application]:
    return [Application(a.invoice, a.amount) for a in payment.applications.select_related("invoice")]


def ready_to_push(payment: Payment) -> bool:
    """Only pending payments are sent as they are; a failed payment waits for an explicit retry, so an
    Intacct refusal is never repeated every hour. A payment sent before without a confirmed answer
    (the run died after sending, or the answer was lost) is first looked up in Intacct by its key."""
    settle([payment])
    if payment.state in (PaymentState.SENT, PaymentState.UNKNOWN):
        return not _found_in_intacct(payment)
    return payment.state == PaymentState.PENDING


def _found_in_intacct(payment: Payment) -> bool:
    """Read the payment back by its deterministic key (DOCNUMBER); link it when Intacct has it.
    True also when Intacct could not be asked: nothing is sent until the question is answered."""
    spec = get_family(FAMILY).spec
    key = spec.created_business_id(payment.pk)
    try:
        with client_for(payment.workspace) as client:
            found = Remote(client).read_by_business_ids(spec, [key], field=spec.key_field)
    except errors.IntacctError:
        return True
    if not found:
        return False
    recordno = int(found[0]["RECORDNO"])
    values = {f.app: getattr(payment, f.app) for f in spec.fields}
    Link.objects.get_or_create(
        workspace=payment.workspace,
        family=FAMILY,
        local_id=payment.pk,
        defaults={
            "recordno": recordno,
            "business_id": str(recordno),
            "last_seen_hash": hash_values(values),
            "origin": "created",
            "last_synced_at": timezone.now(),
        },
    )
    now = timezone.now()
    Payment.objects.filter(pk=payment.pk).update(
        state=PaymentState.APPLIED, applied_at=now, last_error="", last_errorno="", updated_at=now
    )
    payment.state = PaymentState.APPLIED
    # (this runs inside a payments run, which holds the workspace: its invoices are read by the
    # next invoices sync, at the latest within the hour)
    return True


def recheck(payment: Payment) -> Problems:
    """The creation rules again, on the invoices as they are now: nothing is sent when any fails
    (before each push, and before an admin's retry)."""
    problems = payment_problems(
        payment.workspace,
        amount=payment.amount,
        currency=payment.currency,
        method=payment.method,
        applications=_applications_of(payment),
        payment_id=payment.pk,
    )
    if problems:
        code, _ = problems[0]
        _mark(payment, PaymentState.FAILED, code, " ".join(text for _, text in problems))
    return problems


def create_params(workspace: Workspace, payment: Payment, key: str) -> dict[str, Any]:
    """create_arpayment's parameters, in the order Intacct expects (intacct-sdk-php ArPaymentCreate)."""
    settings = ArSettings.of(workspace)
    assert settings.undeposited_account is not None  # check_push refused it otherwise
    items = []
    for app in payment.applications.select_related("invoice"):
        link = Link.objects.filter(
            workspace=workspace, family="invoices", local_id=app.invoice_id, state=LinkState.LINKED
        ).first()
        if link is None:
            raise ValueError(f"invoice {app.invoice} is not linked to Intacct")
        items.append({"invoicekey": str(link.recordno), "amount": f"{app.amount:.2f}"})
    params: dict[str, Any] = {
        "customerid": payment.customer_id,
        "paymentamount": f"{payment.amount:.2f}",
        "undepfundsacct": settings.undeposited_account.number,
        "refid": key,
        "datereceived": payment.date,
        "paymentmethod": payment.method,
    }
    if payment.currency:
        params["currency"] = payment.currency
    params["arpaymentitem"] = items
    _mark(payment, PaymentState.SENT)
    return params


def after_push(ctx: RunContext, payments: list[Payment]) -> None:
    """Intacct confirmed these payments: mark them applied and read their invoices back now."""
    now = timezone.now()
    ids = [p.pk for p in payments]
    Payment.objects.filter(pk__in=ids).update(
        state=PaymentState.APPLIED, applied_at=now, last_error="", last_errorno="", updated_at=now
    )
    invoice_ids = set(
        PaymentApplication.objects.filter(payment_id__in=ids).values_list("invoice_id", flat=True)
    )
    ctx.refresh_locals("invoices", invoice_ids)


def push_refused(ctx: RunContext, payment: Payment, error: Exception) -> str:
    """Intacct refused the payment: its invoices may have changed there (paid meanwhile), so they are
    read back at once and shown as Intacct has them. An invoice now paid in full is named by its
    number in the payment's message (Intacct's own text names its RECORDNO)."""
    invoice_ids = list(
        PaymentApplication.objects.filter(payment=payment).values_list("invoice_id", flat=True)
    )
    ctx.refresh_locals("invoices", invoice_ids)
    paid = list(
        Invoice.objects.filter(pk__in=invoice_ids, state=InvoiceState.PAID).order_by("number", "pk")
    )
    if not paid:
        return ""
    names = ", ".join(invoice.number or f"#{invoice.pk}" for invoice in paid)
    which = "Invoice" if len(paid) == 1 else "Invoices"
    is_ = "is" if len(paid) == 1 else "are"
    text = (
        f"{which} {names} {is_} paid in full in Sage Intacct already; {'it' if len(paid) == 1 else 'they'} "
        f"now show{'s' if len(paid) == 1 else ''} Paid here. This payment was not recorded: nothing is "
        "left to pay."
    )
    errorno = str(getattr(error, "errorno", "") or type(error).__name__)
    _mark(payment, PaymentState.FAILED, errorno, text)
    return text


def _mark(payment: Payment, state: str, errorno: str = "", error: str = "") -> None:
    changes: dict[str, Any] = {"state": state, "updated_at": timezone.now()}
    if state == PaymentState.SENT:
        changes["sent_at"] = timezone.now()
        changes["attempts"] = payment.attempts + 1
    if state in (PaymentState.FAILED, PaymentState.UNKNOWN):
        changes["last_errorno"], changes["last_error"] = errorno[:40], error
    Payment.objects.filter(pk=payment.pk).update(**changes)
    for name, value in changes.items():
        setattr(payment, name, value)


def settle(payments: Iterable[Payment]) -> None:
    """Bring each payment's state in line with what the engine recorded: linked → applied; the newest
    push issue since it was last sent → failed (Intacct's words) or unknown."""
    rows = [
        p
        for p in payments
        if p.state not in (PaymentState.APPLIED, PaymentState.PENDING, PaymentState.FAILED)
    ]
    if not rows:
        return
    by_id = {p.pk: p for p in rows}
    workspace_ids = {p.workspace_id for p in rows}
    linked = set(
        Link.objects.filter(
            workspace_id__in=workspace_ids, family=FAMILY, local_id__in=list(by_id), state=LinkState.LINKED
        ).values_list("local_id", flat=True)
    )
    issues: dict[int, RunIssue] = {}
    for issue in RunIssue.objects.filter(
        run__workspace_id__in=workspace_ids, family=FAMILY, local_id__in=list(by_id)
    ).order_by("id"):
        issues[int(issue.local_id or 0)] = issue
    for pk, payment in by_id.items():
        if pk in linked:
            _mark(payment, PaymentState.APPLIED)
            continue
        newest = issues.get(pk)
        if newest is None or (payment.sent_at and newest.created_at < payment.sent_at):
            continue
        issue = newest
        state = PaymentState.UNKNOWN if issue.errorno in UNKNOWN_CODES else PaymentState.FAILED
        text = issue.text + (f" {issue.correction}" if issue.correction else "")
        _mark(payment, state, issue.errorno, text.strip())


def settle_open(workspace: Workspace) -> None:
    """Settle every payment of the workspace still waiting for Intacct's answer (before a list is
    filtered by state)."""
    settle(Payment.objects.filter(workspace=workspace, state__in=[PaymentState.SENT, PaymentState.UNKNOWN]))


def payment_dict(payment: Payment) -> dict[str, Any]:
    link = Link.objects.filter(workspace=payment.workspace, family=FAMILY, local_id=payment.pk).first()
    return {
        "id": payment.pk,
        "customer_id": payment.customer_id,
        "customer_name": payment.customer_name,
        "method": payment.method,
        "date": payment.date.isoformat(),
        "reference": payment.reference,
        "amount": f"{payment.amount:.2f}",
        "currency": payment.currency,
        "state": payment.state,
        "last_errorno": payment.last_errorno,
        "last_error": payment.last_error,
        "attempts": payment.attempts,
        "intacct_recordno": link.recordno if link and link.is_linked else None,
        "created_by": payment.created_by,
        "created_at": payment.created_at.isoformat(),
        "applied_at": payment.applied_at.isoformat() if payment.applied_at else None,
        "applications": [
            {"invoice_id": a.invoice_id, "invoice_number": a.invoice.number, "amount": f"{a.amount:.2f}"}
            for a in payment.applications.select_related("invoice")
        ],
    }


def input_from(body: Mapping[str, Any]) -> PaymentInput:
    """A PaymentInput from an API body: {"applications": [{"invoice_id", "amount"}], ...}."""
    apps = body.get("applications") or []
    pairs = []
    for item in apps:
        if not isinstance(item, Mapping) or "invoice_id" not in item or "amount" not in item:
            raise PaymentRefused("invalid", "applications: each needs invoice_id and amount.")
        try:
            pairs.append((int(item["invoice_id"]), item["amount"]))
        except (TypeError, ValueError):
            raise PaymentRefused(
                "invalid", f"applications: invoice_id {item['invoice_id']!r} is not a number."
            ) from None
    when = body.get("date")
    if isinstance(when, str) and when:
        try:
            when = date.fromisoformat(when)
        except ValueError:
            raise PaymentRefused("invalid", f"date: {when!r} is not a date (YYYY-MM-DD).") from None
    return PaymentInput(
        applications=pairs,
        method=str(body.get("method") or PaymentMethod.CHECK),
        date=when or None,
        reference=str(body.get("reference") or ""),
        amount=body.get("amount"),
        currency=str(body.get("currency") or ""),
    )
