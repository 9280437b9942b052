"""The rules a payment (and an adjustment) must pass, checked twice with the same code: when it is
recorded (page or API: a clear 422, nothing saved) and again just before it is sent to Intacct
(``check_push``: the invoice may have changed since). Each problem is ``(code, text)``; the codes are
remedy-catalogue errornos (``IB-AR-...``) so a refused push shows the same words as a refused form.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from intacct_bridge.ar.models import (
    ZERO,
    ArSettings,
    Invoice,
    InvoiceState,
    PaymentApplication,
    PaymentMethod,
    PaymentState,
)
from intacct_bridge.records.models import Account
from intacct_bridge.sync.models import Link, LinkState
from intacct_bridge.workspaces.models import Workspace

Problems = list[tuple[str, str]]
CENT = Decimal("0.01")
# payments whose money is not in the invoices' amount due yet (Intacct has not confirmed them)
IN_FLIGHT = (PaymentState.PENDING, PaymentState.SENT, PaymentState.UNKNOWN)
# words of GL account categories that hold cash: "Cash and Cash Equivalents", "Bank", "Undeposited Funds"
CASH_WORDS = ("cash", "bank", "undeposited")

CONFIGURE = "Choose them under Configurations > Billing > Accounting."


def is_cash_account(account: Account) -> bool:
    """A bank/cash-type account, judged from the GLACCOUNT fields Intacct returns: a balance-sheet
    account with a debit normal balance whose category names cash, a bank or undeposited funds."""
    category = (account.category or "").lower()
    return (
        account.account_type.lower() == "balancesheet"
        and account.normal_balance.lower() == "debit"
        and any(word in category for word in CASH_WORDS)
    )


def undeposited_account_problems(account: Account | None) -> Problems:
    if account is None:
        return [("IB-AR-ACCOUNTS", f"No undeposited-funds account is chosen. {CONFIGURE}")]
    if not account.active:
        return [
            (
                "IB-AR-UNDEPOSITED",
                f"The undeposited-funds account {account} is inactive in Intacct. "
                "Choose an active cash account, or reactivate it in Intacct and sync the chart.",
            )
        ]
    if not is_cash_account(account):
        return [
            (
                "IB-AR-UNDEPOSITED",
                f"The undeposited-funds account {account} is not a bank/cash-type account "
                f"(type {account.account_type or '?'}, category {account.category or 'none'}). "
                "Choose a balance-sheet cash account such as Undeposited Funds.",
            )
        ]
    return []


def settings_problems(settings: ArSettings) -> Problems:
    """Payments cannot be recorded until both accounts are chosen and usable."""
    problems: Problems = []
    if settings.ar_account_id is None:
        problems.append(("IB-AR-ACCOUNTS", f"No accounts-receivable GL account is chosen. {CONFIGURE}"))
    elif settings.ar_account is not None and not settings.ar_account.active:
        problems.append(
            (
                "IB-AR-ACCOUNTS",
                f"The accounts-receivable account {settings.ar_account} is inactive in Intacct.",
            )
        )
    problems += undeposited_account_problems(settings.undeposited_account)
    return problems


@dataclass(frozen=True)
class Application:
    invoice: Invoice
    amount: Decimal


def in_flight_amounts(invoices: Iterable[Invoice], exclude_payment: int | None = None) -> dict[int, Decimal]:
    """invoice id -> amount of payments recorded here but not yet confirmed by Intacct."""
    applied = PaymentApplication.objects.filter(invoice__in=list(invoices), payment__state__in=IN_FLIGHT)
    if exclude_payment is not None:
        applied = applied.exclude(payment_id=exclude_payment)
    rows = applied.values("invoice_id").annotate(total=Sum("amount"))
    return {r["invoice_id"]: r["total"] or ZERO for r in rows}


def invoice_entities(workspace: Workspace, invoices: Iterable[Invoice]) -> dict[int, str]:
    """invoice id -> the Intacct entity it belongs to ("" = top level), for invoices still linked to
    Intacct (an invoice removed there is absent)."""
    rows = Link.objects.filter(
        workspace=workspace, family="invoices", local_id__in=[i.pk for i in invoices], state=LinkState.LINKED
    ).values_list("local_id", "entity")
    return {local_id: entity or "" for local_id, entity in rows}


def connection_entity(workspace: Workspace) -> str:
    conn = workspace.connection_or_none
    return (conn.entity_id or "") if conn is not None else ""


def payment_problems(
    workspace: Workspace,
    *,
    amount: Decimal | None,
    currency: str,
    method: str,
    applications: Sequence[Application],
    settings: ArSettings | None = None,
    payment_id: int | None = None,
) -> Problems:
    """Every reason this payment must not reach Intacct, or [] (nothing is sent when any is found)."""
    settings = settings or ArSettings.of(workspace)
    problems = settings_problems(settings)
    if method not in PaymentMethod.values:
        problems.append(
            (
                "IB-AR-METHOD",
                f"Unknown payment method {method!r}; use one of {', '.join(PaymentMethod.values)}.",
            )
        )
    if not applications:
        problems.append(("IB-AR-INVOICE", "Name at least one invoice to apply the payment to."))
        return problems
    applied = sum((a.amount for a in applications), ZERO)
    if amount is not None and amount <= ZERO:
        problems.append(("IB-AR-AMOUNT", f"The payment amount must be more than zero (got {amount})."))
    elif amount is not None and amount != applied:
        problems.append(
            (
                "IB-AR-AMOUNT",
                f"The payment amount {amount} differs from the {applied} applied to invoices; "
                "every cent must be applied (unapplied money would become an advance in Intacct).",
            )
        )
    customers = {a.invoice.customer_id for a in applications}
    if len(customers) > 1:
        problems.append(
            (
                "IB-AR-FOREIGN",
                f"The invoices belong to several customers ({', '.join(sorted(customers))}); "
                "a payment comes from one customer.",
            )
        )
    currencies = {a.invoice.currency for a in applications}
    if len(currencies) > 1:
        problems.append(("IB-AR-CURRENCY", "The invoices are in different currencies; pay them separately."))
    elif currency and currency not in currencies:
        problems.append(
            (
                "IB-AR-CURRENCY",
                f"The payment is in {currency} but the invoice is in "
                f"{next(iter(currencies)) or 'the base currency'}.",
            )
        )
    seen: set[int] = set()
    pending = in_flight_amounts([a.invoice for a in applications], exclude_payment=payment_id)
    entities = invoice_entities(workspace, [a.invoice for a in applications])
    ours = connection_entity(workspace)
    for app in applications:
        inv = app.invoice
        label = f"Invoice {inv.number or inv.pk}"
        if inv.workspace_id != workspace.pk:
            problems.append(("IB-AR-FOREIGN", f"{label} is not an invoice of this workspace."))
            continue
        if inv.pk in seen:
            problems.append(("IB-AR-INVOICE", f"{label} is named twice; apply one amount per invoice."))
            continue
        seen.add(inv.pk)
        if app.amount <= ZERO:
            problems.append(("IB-AR-AMOUNT", f"The amount applied to {label} must be more than zero."))
            continue
        if app.amount != app.amount.quantize(CENT):
            problems.append(("IB-AR-AMOUNT", f"The amount applied to {label} has more than two decimals."))
        if inv.state == InvoiceState.PAID or (inv.amount_due <= ZERO and inv.state != InvoiceState.DRAFT):
            problems.append(("IB-AR-PAID", f"{label} is paid in full already."))
            continue
        if inv.state in (InvoiceState.DRAFT, InvoiceState.REVERSED):
            problems.append(
                ("IB-AR-INVOICE", f"{label} is {inv.get_state_display().lower()} and cannot be paid.")
            )
            continue
        if inv.pk not in entities:
            problems.append(("IB-AR-INVOICE", f"{label} is no longer in Sage Intacct (removed there)."))
            continue
        theirs = entities[inv.pk]
        if theirs != ours:
            # Intacct refuses to apply a payment to an invoice its session's entity cannot see
            where = f"entity {ours}" if ours else "the top level"
            problems.append(
                (
                    "IB-AR-ENTITY",
                    f"{label} belongs to {f'entity {theirs}' if theirs else 'the top level'}, but this "
                    f"workspace connects to Intacct at {where}; record the payment in Intacct or in a "
                    "workspace connected to that entity.",
                )
            )
            continue
        open_amount = inv.amount_due - pending.get(inv.pk, ZERO)
        if app.amount > open_amount:
            waiting = pending.get(inv.pk, ZERO)
            extra = f" ({waiting} is already recorded in payments not yet applied)" if waiting else ""
            problems.append(
                (
                    "IB-AR-OVERPAY",
                    f"{app.amount} is more than the {max(open_amount, ZERO)} still due on {label}{extra}.",
                )
            )
    return problems
