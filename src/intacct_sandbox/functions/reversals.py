"""reverse_bill, reverse_invoice, reverse_arpayment, reverse_appayment, reverse_cctransaction
(docs/intacct/payables-receivables.md §3).

Shape (intacct-sdk-php BillReverseTest, InvoiceReverseTest, ArPaymentReverseTest, ApPaymentReverseTest,
ChargeCardTransactionReverseTest): ``<reverse_x key="1234"><datereversed><year/><month/><day/>
</datereversed><description/></reverse_x>``. The answer is ``<key>`` = the reversed record.

A document (bill, invoice, charge card transaction) is reversed by a new *reversal* document with the
lines negated, dated ``datereversed``; the original becomes Reversed and owes nothing. Only a posted
document with nothing paid can be reversed. A payment is reversed in place: what it paid is due again
on every document it paid (amounts and STATE restored).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.functions.common import child, child_text, unwrapped
from intacct_sandbox.functions.legacy import legacy_date
from intacct_sandbox.objects import get_object
from intacct_sandbox.objects.base import ObjectDef
from intacct_sandbox.objects.documents import ZERO, money
from intacct_sandbox.objects.values import parse_date
from intacct_sandbox.objects.writes import WriteContext, audit, check_open_period, touch
from intacct_sandbox.record_faults import RecordNotFound, ValidationFailed


def _request(
    ctx: CallContext, el: etree._Element, obj_name: str
) -> tuple[WriteContext, ObjectDef, dict[str, Any], date]:
    obj = get_object(obj_name)
    assert obj is not None
    ctx.require(obj.name, "E")
    key = (el.get("key") or child_text(el, "key") or "").strip()
    if not key:
        raise ValidationFailed(
            f"Required attribute key is missing on <{el.tag}>: name the record to reverse."
        )
    wc = WriteContext.of(ctx)
    row = wc.get(obj.name, int(key)) if key.isdigit() else None
    if row is None:
        raise RecordNotFound(f"Cannot find {obj.lower} with key '{key}' to reverse.")
    raw = legacy_date(child(el, "datereversed"))
    when = parse_date(raw) if raw else None
    if when is None:
        raise ValidationFailed(
            "Required field datereversed is missing.", correction="Send the reversal date as year/month/day."
        )
    return wc, obj, row, when


def _check_date(wc: WriteContext, label: str, row: dict[str, Any], when: date, own_date: Any) -> None:
    if isinstance(own_date, date) and when < own_date:
        raise ValidationFailed(
            f"The reversal date {when.strftime('%m/%d/%Y')} is before the {label.lower()} date "
            f"{own_date.strftime('%m/%d/%Y')}.",
            correction="Reverse on or after the date of the original.",
        )
    check_open_period(wc, when, "reversal date")


def reverse_document(
    wc: WriteContext, obj: ObjectDef, row: dict[str, Any], when: date, memo: str | None, after: Any = None
) -> dict[str, Any]:
    """Write the reversal of a posted, unpaid document and mark the original Reversed."""
    state = row.get("STATE")
    number = row["RECORDNO"]
    if state == "Draft":
        raise ValidationFailed(f"{obj.label} {number} is a draft.", correction="Delete a draft instead.")
    if state in ("Reversed", "Reversal"):
        raise ValidationFailed(
            f"{obj.label} {number} is {state} already and cannot be reversed.",
            correction="Nothing to do: the document is already cancelled.",
        )
    if money(row.get("TOTALPAID")) != ZERO:
        raise ValidationFailed(
            f"{obj.label} {number} has payments applied ({money(row.get('TOTALPAID'))}) and cannot be "
            "reversed.",
            correction="Reverse the payments first.",
        )
    if money(row.get("TOTALSELECTED")) != ZERO:
        raise ValidationFailed(
            f"{obj.label} {number} is selected on an open payment request and cannot be reversed.",
            correction="Decline or void the payment request first.",
        )
    _check_date(wc, obj.label, row, when, row.get("WHENCREATED"))
    total = money(row.get("TOTALENTERED"))
    reversal = {
        **row,
        "WHENCREATED": when,
        "WHENPOSTED": when,
        "DESCRIPTION": memo if memo else row.get("DESCRIPTION"),
        "TOTALENTERED": -total,
        "TOTALPAID": ZERO,
        "TOTALDUE": ZERO,
        "TOTALSELECTED": ZERO,
        "STATE": "Reversal",
        "REVERSEDKEY": number,
        "REVERSALKEY": None,
        "REVERSALDATE": None,
        "WHENPAID": None,
        "AUWHENCREATED": wc.now,
        "WHENMODIFIED": None,
        "CREATEDBY": wc.user_recordno(),
        "MODIFIEDBY": None,
    }
    reversal.pop("RECORDNO")
    new_no = wc.store.insert(wc.company_id, obj.name, reversal)
    if obj.lines is not None:
        line_def = get_object(obj.lines.line_object)
        parent = (line_def.parent_field if line_def else None) or "RECORDKEY"
        for line in wc.store.children(wc.company_id, obj.lines.line_object, number):
            copy = {**line, parent: new_no, "WHENCREATED": wc.now, "WHENMODIFIED": None}
            copy.pop("RECORDNO")
            for amount in ("TRX_AMOUNT", "AMOUNT"):
                if copy.get(amount) is not None:
                    copy[amount] = -money(copy[amount])
            copy["TOTALPAID"] = ZERO
            wc.store.insert(wc.company_id, obj.lines.line_object, copy)
    audit(wc, obj, new_no, "C")
    updated = touch(
        wc,
        obj,
        number,
        {"STATE": "Reversed", "TOTALDUE": ZERO, "REVERSALKEY": new_no, "REVERSALDATE": when},
    )
    if after is not None:
        after(wc, updated)
    return updated


@function("reverse_bill")
@unwrapped
def reverse_bill(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    from intacct_sandbox.objects.apbill import _after

    wc, obj, row, when = _request(ctx, el, "APBILL")
    reverse_document(wc, obj, row, when, child_text(el, "description"), _after)
    return FunctionOutcome(key=str(row["RECORDNO"]))


@function("reverse_invoice")
@unwrapped
def reverse_invoice(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    from intacct_sandbox.objects.arinvoice import _after

    wc, obj, row, when = _request(ctx, el, "ARINVOICE")
    reverse_document(wc, obj, row, when, child_text(el, "description"), _after)
    return FunctionOutcome(key=str(row["RECORDNO"]))


@function("reverse_cctransaction")
@unwrapped
def reverse_cctransaction(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    wc, obj, row, when = _request(ctx, el, "CCTRANSACTION")
    reverse_document(wc, obj, row, when, child_text(el, "description"))
    return FunctionOutcome(key=str(row["RECORDNO"]))


def _payment_state_checks(label: str, row: dict[str, Any], complete: str) -> None:
    state = row.get("STATE")
    if state == "Reversed":
        raise ValidationFailed(
            f"{label} {row['RECORDNO']} is reversed already.",
            correction="Nothing to do: it is already undone.",
        )
    if state != complete:
        raise ValidationFailed(
            f"{label} {row['RECORDNO']} is {state}: only a {complete.lower()} payment can be reversed.",
            correction="Delete a draft; decline or void an open payment request.",
        )


@function("reverse_arpayment")
@unwrapped
def reverse_arpayment(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    from intacct_sandbox.objects.arpayment import apply_to
    from intacct_sandbox.objects.prbatch import refresh_batch

    wc, obj, row, when = _request(ctx, el, "ARPYMT")
    _payment_state_checks("AR payment", row, "Complete")
    _check_date(wc, "receipt", row, when, row.get("RECEIPTDATE"))
    for detail in wc.store.children(wc.company_id, "ARPYMTDETAIL", row["RECORDNO"]):
        apply_to(
            wc, detail.get("RECORDKEY"), detail.get("POSADJKEY"), -money(detail.get("TRX_PAYMENTAMOUNT"))
        )
    touch(
        wc,
        obj,
        row["RECORDNO"],
        {"STATE": "Reversed", "REVERSALDATE": when, "TOTALPAID": ZERO, "TOTALDUE": ZERO},
    )
    refresh_batch(wc, row.get("PRBATCHKEY"))
    return FunctionOutcome(key=str(row["RECORDNO"]))


@function("reverse_appayment")
@unwrapped
def reverse_appayment(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    from intacct_sandbox.objects.appymt import apply_effects

    wc, obj, row, when = _request(ctx, el, "APPYMT")
    _payment_state_checks("AP payment", row, "Complete")
    _check_date(wc, "payment", row, when, row.get("PAYMENTDATE"))
    apply_effects(wc, row, "pay", -1)
    touch(
        wc,
        obj,
        row["RECORDNO"],
        {"STATE": "Reversed", "REVERSALDATE": when, "REVERSALDESCRIPTION": child_text(el, "description")},
    )
    return FunctionOutcome(key=str(row["RECORDNO"]))
