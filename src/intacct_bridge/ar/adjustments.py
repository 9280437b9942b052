"""Credit adjustments (optional module): recorded here, written once to Intacct as an ARADJUSTMENT
(a credit memo) with ``create_aradjustment``, in the entity the settings name.

Amounts are entered positive (the credit given); Intacct receives negative line amounts, which is how
create_aradjustment tells a credit memo from a debit memo (docs/intacct/objects.md §13). Like payments, a
refused adjustment is marked failed with Intacct's words and waits for an explicit retry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from intacct_bridge.ar.models import (
    ZERO,
    Adjustment,
    AdjustmentLine,
    AdjustmentState,
    ArSettings,
    Invoice,
)
from intacct_bridge.ar.payments import PaymentRefused, parse_amount
from intacct_bridge.ar.rules import CENT, Problems
from intacct_bridge.jobs import tasks as jobs
from intacct_bridge.records.models import Account
from intacct_bridge.sync.context import RunContext
from intacct_bridge.sync.models import Link, LinkState, PendingPush, RunIssue
from intacct_bridge.sync.remote import WriteOp
from intacct_bridge.workspaces.models import Workspace

FAMILY = "adjustments"


@dataclass(frozen=True)
class AdjustmentInput:
    customer_id: str
    lines: Sequence[tuple[int, Any, str]]  # (account id, amount, memo)
    invoice_id: int | None = None
    date: date | None = None
    memo: str = ""


def module_problems(settings: ArSettings) -> Problems:
    if not settings.adjustments_enabled:
        return [
            (
                "IB-AR-ADJUSTMENTS",
                "Adjustments are turned off; turn them on under Configurations > Billing > Accounting.",
            )
        ]
    return []


def adjustment_problems(
    workspace: Workspace,
    *,
    customer_id: str,
    invoice: Invoice | None,
    lines: Sequence[tuple[Account | None, Decimal, str]],
) -> Problems:
    problems = module_problems(ArSettings.of(workspace))
    if not customer_id:
        problems.append(("IB-AR-CUSTOMER", "Name the customer the credit is for."))
    elif (
        not Invoice.objects.filter(workspace=workspace, customer_id=customer_id).exists()
        and not Link.objects.filter(
            workspace=workspace, family="clients", business_id=customer_id, state=LinkState.LINKED
        ).exists()
    ):
        problems.append(
            ("IB-AR-CUSTOMER", f"Customer {customer_id!r} is not known here (no invoice, no linked client).")
        )
    if invoice is not None and invoice.customer_id != customer_id:
        problems.append(
            (
                "IB-AR-FOREIGN",
                f"Invoice {invoice.number} belongs to {invoice.customer_id}, not {customer_id}.",
            )
        )
    if not lines:
        problems.append(
            ("IB-AR-LINES", "An adjustment needs at least one line with a GL account and an amount.")
        )
    for number, (account, amount, _memo) in enumerate(lines, start=1):
        if account is None or account.workspace_id != workspace.pk:
            problems.append(
                ("IB-AR-ACCOUNT", f"Line {number}: choose a GL account from the chart of accounts.")
            )
        elif not account.active:
            problems.append(("IB-AR-ACCOUNT", f"Line {number}: GL account {account} is inactive in Intacct."))
        if amount <= ZERO:
            problems.append(
                ("IB-AR-AMOUNT", f"Line {number}: the credit must be more than zero (got {amount}).")
            )
        elif amount != amount.quantize(CENT):
            problems.append(("IB-AR-AMOUNT", f"Line {number}: the amount has more than two decimals."))
    return problems


def record_adjustment(
    workspace: Workspace, data: AdjustmentInput, *, by: str = "", push: bool = True
) -> Adjustment:
    settings = ArSettings.of(workspace)
    invoice = None
    if data.invoice_id is not None:
        invoice = Invoice.objects.filter(workspace=workspace, pk=data.invoice_id).first()
        if invoice is None:
            raise PaymentRefused("invalid", f"Invoice {data.invoice_id} is not an invoice of this workspace.")
    accounts = Account.objects.filter(workspace=workspace, pk__in=[a for a, _, _ in data.lines]).in_bulk()
    lines = [
        (accounts.get(int(a)), parse_amount(amount, f"line {n} amount"), memo)
        for n, (a, amount, memo) in enumerate(data.lines, start=1)
    ]
    problems = adjustment_problems(
        workspace, customer_id=data.customer_id.strip(), invoice=invoice, lines=lines
    )
    if problems:
        raise PaymentRefused("invalid", " ".join(text for _, text in problems), problems)
    name = invoice.customer_name if invoice else ""
    if not name:
        name = (
            Invoice.objects.filter(workspace=workspace, customer_id=data.customer_id)
            .values_list("customer_name", flat=True)
            .first()
            or ""
        )
    with transaction.atomic():
        adjustment = Adjustment.objects.create(
            workspace=workspace,
            customer_id=data.customer_id.strip(),
            customer_name=name,
            invoice=invoice,
            invoice_number=invoice.number if invoice else "",
            date=data.date or timezone.localdate(),
            memo=data.memo.strip()[:1000],
            entity_id=settings.adjustment_entity_id,
            currency=invoice.currency if invoice else "",
            created_by=by,
        )
        AdjustmentLine.objects.bulk_create(
            [
                AdjustmentLine(
                    adjustment=adjustment, line_no=n, account=account, amount=amount, memo=memo[:1000]
                )
                for n, (account, amount, memo) in enumerate(lines, start=1)
                if account is not None
            ]
        )
        PendingPush.objects.get_or_create(workspace=workspace, family=FAMILY, local_id=adjustment.pk)
    if push:
        push_now(workspace, [adjustment.pk])
        adjustment.refresh_from_db()
    return adjustment


def push_now(workspace: Workspace, ids: Iterable[int]) -> None:

    wanted = list(ids)
    jobs.push_now(workspace, FAMILY, wanted)
    settle(Adjustment.objects.filter(workspace=workspace, pk__in=wanted))


# ---- engine hooks -------------------------------------------------------------------------------


def ready_to_push(adjustment: Adjustment) -> bool:
    settle([adjustment])
    if not ArSettings.of(adjustment.workspace).adjustments_enabled:
        return False
    return adjustment.state in (AdjustmentState.PENDING, AdjustmentState.SENT, AdjustmentState.UNKNOWN)


def check_push(ctx: RunContext, adjustment: Adjustment) -> Problems:
    lines = [(line.account, line.amount, line.memo) for line in adjustment.lines.select_related("account")]
    problems = adjustment_problems(
        adjustment.workspace, customer_id=adjustment.customer_id, invoice=adjustment.invoice, lines=lines
    )
    if problems:
        _mark(adjustment, AdjustmentState.FAILED, problems[0][0], " ".join(t for _, t in problems))
    return problems


def create_params(workspace: Workspace, adjustment: Adjustment, key: str) -> dict[str, Any]:
    """create_aradjustment's parameters in Intacct's order (intacct-sdk-php ArAdjustmentCreate)."""
    params: dict[str, Any] = {"customerid": adjustment.customer_id, "datecreated": adjustment.date}
    if adjustment.invoice_number:
        params["invoiceno"] = adjustment.invoice_number
    if adjustment.memo:
        params["description"] = adjustment.memo
    params["externalid"] = key
    if adjustment.currency:
        params["currency"] = adjustment.currency
    items = []
    for line in adjustment.lines.select_related("account"):
        item: dict[str, Any] = {"glaccountno": line.account.number, "amount": f"{-line.amount:.2f}"}
        if line.memo:
            item["memo"] = line.memo
        if adjustment.entity_id:
            item["locationid"] = adjustment.entity_id
        items.append(item)
    params["aradjustmentitems"] = {"lineitem": items}
    _mark(adjustment, AdjustmentState.SENT)
    return params


def after_push(ctx: RunContext, adjustments: list[Adjustment]) -> None:
    """Posted: a credit memo for an invoice is then applied to it the way Intacct applies credits
    (``apply_arpayment`` with the memo's RECORDNO, docs/intacct/objects.md §12-§13), and the invoice
    is read back, so its amount due changes in Intacct and here."""
    now = timezone.now()
    Adjustment.objects.filter(pk__in=[a.pk for a in adjustments]).update(
        state=AdjustmentState.POSTED, last_error="", last_errorno="", updated_at=now
    )
    for adjustment in adjustments:
        if adjustment.invoice_id:
            _apply_to_invoice(ctx, adjustment)
    ctx.refresh_locals("invoices", [a.invoice_id for a in adjustments if a.invoice_id])


def _apply_to_invoice(ctx: RunContext, adjustment: Adjustment) -> None:
    if adjustment.invoice is None:
        return
    linked = Link.objects.filter(workspace=adjustment.workspace, state=LinkState.LINKED)
    memo = linked.filter(family=FAMILY, local_id=adjustment.pk).first()
    invoice = linked.filter(family="invoices", local_id=adjustment.invoice.pk).first()
    if memo is None or invoice is None:
        return
    credit = sum((line.amount for line in adjustment.lines.all()), ZERO)
    # never more than is still due (Intacct refuses an application above the invoice's balance)
    amount = min(credit, adjustment.invoice.amount_due)
    if amount <= ZERO:
        return
    params = {
        "arpaymentkey": str(memo.recordno),
        "paymentdate": adjustment.date,
        "arpaymentitems": {
            "arpaymentitem": [{"invoicekey": str(invoice.recordno), "amount": f"{amount:.2f}"}]
        },
    }
    controlid = f"{adjustment.workspace.pk}-adjustments-apply-{adjustment.pk}"
    outcome = ctx.remote.write([WriteOp("call", "apply_arpayment", params, controlid)])[0]
    if not outcome.ok:
        assert outcome.error is not None
        issue = ctx.issues.issue_from(
            FAMILY, outcome.error, local_id=adjustment.pk, recordno=memo.recordno, action="apply"
        )
        text = f"Posted as credit memo {memo.recordno}, not applied to invoice {adjustment.invoice_number}: "
        Adjustment.objects.filter(pk=adjustment.pk).update(
            last_errorno=issue.errorno[:40], last_error=text + issue.text
        )


def _mark(adjustment: Adjustment, state: str, errorno: str = "", error: str = "") -> None:
    changes: dict[str, Any] = {"state": state, "updated_at": timezone.now()}
    if state in (AdjustmentState.FAILED, AdjustmentState.UNKNOWN):
        changes["last_errorno"], changes["last_error"] = errorno[:40], error
    Adjustment.objects.filter(pk=adjustment.pk).update(**changes)
    for name, value in changes.items():
        setattr(adjustment, name, value)


def settle(adjustments: Iterable[Adjustment]) -> None:
    rows = {a.pk: a for a in adjustments if a.state in (AdjustmentState.SENT, AdjustmentState.UNKNOWN)}
    if not rows:
        return
    linked = set(
        Link.objects.filter(family=FAMILY, local_id__in=list(rows), state=LinkState.LINKED).values_list(
            "local_id", flat=True
        )
    )
    issues = {
        int(i.local_id or 0): i
        for i in RunIssue.objects.filter(family=FAMILY, local_id__in=list(rows)).order_by("id")
    }
    for pk, adjustment in rows.items():
        if pk in linked:
            _mark(adjustment, AdjustmentState.POSTED)
        elif pk in issues and issues[pk].created_at >= adjustment.updated_at:
            issue = issues[pk]
            state = AdjustmentState.UNKNOWN if issue.errorno == "IB-UNKNOWN" else AdjustmentState.FAILED
            _mark(adjustment, state, issue.errorno, f"{issue.text} {issue.correction}".strip())


def adjustment_dict(adjustment: Adjustment) -> dict[str, Any]:
    link = Link.objects.filter(workspace=adjustment.workspace, family=FAMILY, local_id=adjustment.pk).first()
    return {
        "id": adjustment.pk,
        "customer_id": adjustment.customer_id,
        "customer_name": adjustment.customer_name,
        "invoice_id": adjustment.invoice_id,
        "invoice_number": adjustment.invoice_number,
        "date": adjustment.date.isoformat(),
        "memo": adjustment.memo,
        "entity_id": adjustment.entity_id,
        "state": adjustment.state,
        "last_errorno": adjustment.last_errorno,
        "last_error": adjustment.last_error,
        "intacct_recordno": link.recordno if link and link.is_linked else None,
        "total": f"{adjustment.total:.2f}",
        "lines": [
            {
                "line_no": ln.line_no,
                "account": ln.account.number,
                "amount": f"{ln.amount:.2f}",
                "memo": ln.memo,
            }
            for ln in adjustment.lines.select_related("account")
        ],
    }


def input_from(body: Mapping[str, Any]) -> AdjustmentInput:
    lines = []
    for n, item in enumerate(body.get("lines") or [], start=1):
        if not isinstance(item, Mapping) or "account_id" not in item or "amount" not in item:
            raise PaymentRefused("invalid", f"lines[{n}]: each line needs account_id and amount.")
        try:
            lines.append((int(item["account_id"]), item["amount"], str(item.get("memo") or "")))
        except (TypeError, ValueError):
            raise PaymentRefused("invalid", f"lines[{n}]: account_id is not a number.") from None
    when = body.get("date")
    if isinstance(when, str) and when:
        try:
            when = date.fromisoformat(when)
        except ValueError:
            raise PaymentRefused("invalid", f"date: {when!r} is not a date (YYYY-MM-DD).") from None
    invoice_id = body.get("invoice_id")
    return AdjustmentInput(
        customer_id=str(body.get("customer_id") or ""),
        lines=lines,
        invoice_id=int(invoice_id) if invoice_id not in (None, "") else None,
        date=when or None,
        memo=str(body.get("memo") or ""),
    )
