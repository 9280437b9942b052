"""APPYMT + APPYMTDETAIL: AP payments and payment requests (docs/intacct/payables-receivables.md
§5).

A detail pays a bill (RECORDKEY, optionally one line ENTRYKEY) or a vendor credit memo (POSADJKEY) with
cash (TRX_PAYMENTAMOUNT), a discount (DISCOUNTTOAPPLY) or credit (CREDITTOAPPLY, or a named debit memo
ADJUSTMENTKEY / negative bill INLINEKEY with its TRX_ amount). The payment moves through
Draft -> Submitted -> Approved -> Sent -> Complete (or Declined / Voided / Reversed); see
``functions/payment_requests.py`` for the transitions. While a request is open the amounts it applies
are *selected* on its bills (TOTALSELECTED: not payable twice); when it completes they are *paid*.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from intacct_sandbox.objects.base import (
    Lines,
    ObjectDef,
    boolean,
    date_,
    decimal,
    enum,
    integer,
    register,
    text,
)
from intacct_sandbox.objects.cash import BANKS, financial_entity
from intacct_sandbox.objects.documents import ZERO, money
from intacct_sandbox.objects.writes import WriteContext, check_open_period, lines_of, touch
from intacct_sandbox.record_faults import AlreadyPaid, NotInSandbox, Overpayment, ValidationFailed

#: the PHP SDK's ApPaymentInfo constants, plus the older names the legacy request still accepts
PAYMENT_METHODS = ("Printed Check", "Cash", "EFT", "Charge Card", "ACH", "Record Transfer", "Credit Card")
#: query characters: docs/intacct/objects.md §10 (D S A C V), §9 (U for Declined); N and R modelled
STATES = {
    "Draft": "D",
    "Submitted": "S",
    "Approved": "A",
    "Declined": "U",
    "Sent": "N",
    "Complete": "C",
    "Voided": "V",
    "Reversed": "R",
}
#: states in which the payment's amounts are selected on (reserved against) its bills
SELECTING = ("Submitted", "Approved", "Sent")
CREDIT_AMOUNTS = ("TRX_ADJUSTMENTAMOUNT", "TRX_INLINEAMOUNT", "TRX_POSTEDADVANCEAMOUNT")

APPYMTDETAIL = register(
    ObjectDef(
        name="APPYMTDETAIL",
        label="AP Payment Detail",
        parent_field="PAYMENTKEY",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=[
            integer("PAYMENTKEY", readonly=True),
            integer("LINE_NO", readonly=True),
            integer("RECORDKEY"),
            integer("ENTRYKEY"),
            integer("POSADJKEY"),
            integer("POSADJENTRYKEY"),
            integer("ADJUSTMENTKEY"),
            integer("ADJUSTMENTENTRYKEY"),
            integer("INLINEKEY"),
            integer("INLINEENTRYKEY"),
            integer("ADVANCEKEY"),
            integer("ADVANCEENTRYKEY"),
            date_("DISCOUNTDATE"),
            decimal("DISCOUNTTOAPPLY"),
            decimal("CREDITTOAPPLY"),
            decimal("TRX_PAYMENTAMOUNT"),
            decimal("TRX_ADJUSTMENTAMOUNT"),
            decimal("TRX_INLINEAMOUNT"),
            decimal("TRX_POSTEDADVANCEAMOUNT"),
            decimal("PAYMENTAMOUNT", readonly=True),
        ],
    )
)


def doc_state(total: Decimal, paid: Decimal) -> str:
    if paid == ZERO:
        return "Posted"
    return "Paid" if abs(paid) >= abs(total) else "Partially Paid"


def settled(detail: dict[str, Any]) -> Decimal:
    """What a detail settles on its bill or credit memo: cash, discount and credit."""
    parts = ("TRX_PAYMENTAMOUNT", "DISCOUNTTOAPPLY", "CREDITTOAPPLY", *CREDIT_AMOUNTS)
    return sum((money(detail.get(p)) for p in parts), ZERO)


def _target(wc: WriteContext, detail: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    bill, memo = detail.get("RECORDKEY"), detail.get("POSADJKEY")
    if bill is not None and memo is not None:
        raise ValidationFailed("Send RECORDKEY or POSADJKEY in a payment detail, not both.")
    if bill is None and memo is None:
        raise ValidationFailed(
            "Required field RECORDKEY is missing in a payment detail.",
            correction="Name the bill (RECORDKEY) or the credit memo (POSADJKEY) to pay.",
        )
    obj, key = ("APBILL", int(bill)) if bill is not None else ("APADJUSTMENT", int(memo or 0))
    row = wc.get(obj, key)
    if row is None:
        raise ValidationFailed(f"Invalid {'Bill' if obj == 'APBILL' else 'AP Adjustment'} '{key}' specified.")
    return obj, row


def _credit_source(wc: WriteContext, detail: dict[str, Any]) -> tuple[str, dict[str, Any], Decimal] | None:
    """The debit memo or negative bill a detail draws credit from, with the amount drawn."""
    if detail.get("ADVANCEKEY") is not None:
        raise NotInSandbox(
            f"AP advances are not modelled: advance {detail['ADVANCEKEY']} cannot be applied in the sandbox."
        )
    for key_field, obj, amount_field, what in (
        ("ADJUSTMENTKEY", "APADJUSTMENT", "TRX_ADJUSTMENTAMOUNT", "debit memo"),
        ("INLINEKEY", "APBILL", "TRX_INLINEAMOUNT", "negative bill"),
    ):
        if detail.get(key_field) is None:
            continue
        source = wc.get(obj, int(detail[key_field]))
        if source is None or money(source.get("TOTALENTERED")) >= ZERO:
            raise ValidationFailed(f"Invalid {what} '{detail[key_field]}' specified for {key_field}.")
        return obj, source, money(detail.get(amount_field))
    return None


#: (document key field, line key field, line object) of a detail
LINE_KEYS = (
    ("RECORDKEY", "ENTRYKEY", "APBILLITEM"),
    ("POSADJKEY", "POSADJENTRYKEY", "APADJUSTMENTITEM"),
    ("ADJUSTMENTKEY", "ADJUSTMENTENTRYKEY", "APADJUSTMENTITEM"),
    ("INLINEKEY", "INLINEENTRYKEY", "APBILLITEM"),
)


def _check_lines(wc: WriteContext, detail: dict[str, Any]) -> None:
    """A line key must name a line of the document the detail names beside it."""
    for doc_field, line_field, line_obj in LINE_KEYS:
        if detail.get(line_field) is None:
            continue
        line = wc.store.get(wc.company_id, line_obj, int(detail[line_field]))
        if line is None or detail.get(doc_field) is None or line.get("RECORDKEY") != int(detail[doc_field]):
            raise ValidationFailed(
                f"Invalid {line_field} '{detail[line_field]}': it is not a line of {doc_field} "
                f"{detail.get(doc_field)}.",
                correction=f"Send a line RECORDNO of that document, or leave {line_field} out.",
            )


def reservations(wc: WriteContext, details: list[dict[str, Any]]) -> dict[tuple[str, int], Decimal]:
    """What the details settle on each document and draw from each credit, by (object, RECORDNO)."""
    out: dict[tuple[str, int], Decimal] = {}
    for detail in details:
        obj, row = _target(wc, detail)
        key = (obj, int(row["RECORDNO"]))
        out[key] = out.get(key, ZERO) + settled(detail)
        source = _credit_source(wc, detail)
        if source is not None:
            s_key = (source[0], int(source[1]["RECORDNO"]))
            out[s_key] = out.get(s_key, ZERO) + source[2]
    return out


def _mine(wc: WriteContext, own: int | None) -> dict[tuple[str, int], Decimal]:
    """What this payment itself holds selected now (an update re-checks against the rest)."""
    payment = None if own is None else wc.store.get(wc.company_id, "APPYMT", own)
    if payment is None or payment.get("STATE") not in SELECTING:
        return {}
    return reservations(wc, wc.store.children(wc.company_id, "APPYMTDETAIL", own))


def check_details(
    wc: WriteContext, vendor: str | None, details: list[dict[str, Any]], own: int | None
) -> None:
    """Each detail pays a posted, not fully paid document of the vendor, no more than is still free
    (due, less what other open requests selected); credit drawn must be free the same way."""
    if not details:
        raise ValidationFailed(
            "An AP payment must have at least 1 payment detail in APPYMTDETAILS.",
            correction="Add an APPYMTDETAIL naming the bill to pay.",
        )
    mine = _mine(wc, own)
    for detail in details:
        obj, row = _target(wc, detail)
        _check_lines(wc, detail)
        label = "Bill" if obj == "APBILL" else "AP adjustment"
        if vendor is not None and row.get("VENDORID") != vendor:
            raise ValidationFailed(
                f"{label} {row['RECORDNO']} belongs to vendor {row.get('VENDORID')}, not {vendor}.",
                correction="Pay only the paying vendor's bills.",
            )
        if row.get("STATE") in ("Draft", "Reversed", "Reversal"):
            raise ValidationFailed(f"{label} {row['RECORDNO']} is {row['STATE']} and cannot be paid.")
        if row.get("STATE") == "Paid":
            raise AlreadyPaid(f"{label} {row['RECORDNO']} is paid in full already.")
        if settled(detail) <= ZERO:
            raise ValidationFailed(
                f"The amount applied to {label.lower()} {row['RECORDNO']} must be positive."
            )
        source = _credit_source(wc, detail)
        if source is not None and source[1].get("VENDORID") != row.get("VENDORID"):
            raise ValidationFailed(f"Credit {source[1]['RECORDNO']} belongs to another vendor.")
    for (obj, number), amount in reservations(wc, details).items():
        doc = wc.store.get(wc.company_id, obj, number)
        assert doc is not None
        held = money(doc.get("TOTALSELECTED")) - mine.get((obj, number), ZERO)
        due = money(doc.get("TOTALDUE"))
        if due >= ZERO:
            free = due - held
            if amount > free:
                what = "bill" if obj == "APBILL" else "AP adjustment"
                raise Overpayment(
                    f"The amount {amount} exceeds the {free} still to pay on {what} {number} (due, less "
                    "what other payment requests have selected)."
                )
        elif amount > -due - held:
            raise Overpayment(
                f"The credit {amount} exceeds the {-due - held} left on {number} (less what other payment "
                "requests have selected)."
            )


def _reserve(wc: WriteContext, obj: str, number: int, delta: Decimal) -> None:
    """TOTALSELECTED of a document or credit by ``delta`` (a computed value: no audit event)."""
    from intacct_sandbox.objects.base import get_object

    definition = get_object(obj)
    row = wc.store.get(wc.company_id, obj, number)
    assert definition is not None and row is not None
    touch(
        wc,
        definition,
        number,
        {"TOTALSELECTED": max(money(row.get("TOTALSELECTED")) + delta, ZERO)},
        audit_it=False,
    )


def _move_bill(wc: WriteContext, bill: dict[str, Any], paid: Decimal, when: date | None) -> None:
    """TOTALPAID/TOTALDUE/STATE/WHENPAID of a bill by ``paid``; its lines follow, first line first
    (payments) or last paid first (reversals)."""
    from intacct_sandbox.objects.apbill import APBILL
    from intacct_sandbox.objects.documents import refresh_party_due

    total = money(bill.get("TOTALENTERED"))
    new_paid = money(bill.get("TOTALPAID")) + paid
    changes: dict[str, Any] = {
        "TOTALPAID": new_paid,
        "TOTALDUE": total - new_paid,
        "STATE": doc_state(total, new_paid),
        "WHENPAID": when if new_paid == total and total != ZERO else None,
    }
    updated = touch(wc, APBILL, bill["RECORDNO"], changes)
    remaining = paid
    lines = wc.store.children(wc.company_id, "APBILLITEM", bill["RECORDNO"])
    for line in lines if paid > ZERO else list(reversed(lines)):
        if not remaining:
            break
        line_paid = money(line.get("TOTALPAID"))
        if total < ZERO:
            share = remaining  # a negative bill's credit sits on its lines as given
        elif remaining > ZERO:
            share = min(remaining, money(line.get("AMOUNT")) - line_paid)
        else:
            share = max(remaining, -line_paid)
        if share:
            wc.store.replace(
                wc.company_id, "APBILLITEM", line["RECORDNO"], {**line, "TOTALPAID": line_paid + share}
            )
            remaining -= share
    if updated.get("VENDORID"):
        refresh_party_due(wc, "VENDOR", "VENDORID", "APBILL", str(updated["VENDORID"]))


def apply_effects(wc: WriteContext, payment: dict[str, Any], stage: str, sign: int) -> None:
    """``stage`` "select": reserve (+1) or release (-1) the amounts on the documents and credits;
    "pay": settle them (+1) or reopen them (-1), drawing on or giving back the named credits."""
    from intacct_sandbox.objects.apadjustment import apply_amount

    details = wc.store.children(wc.company_id, "APPYMTDETAIL", payment["RECORDNO"])
    if stage == "select":
        for (obj, number), amount in reservations(wc, details).items():
            _reserve(wc, obj, number, amount * sign)
        return
    when = payment.get("PAYMENTDATE")
    for detail in details:
        amount = settled(detail) * sign
        obj, row = _target(wc, detail)
        if obj == "APBILL":
            _move_bill(wc, row, amount, when)
        else:
            apply_amount(wc, row, amount)
        source = _credit_source(wc, detail)
        if source is not None:
            s_obj, s_row, drawn = source
            if s_obj == "APADJUSTMENT":
                apply_amount(wc, s_row, -drawn * sign)
            else:
                _move_bill(wc, s_row, -drawn * sign, when)


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    if old is not None and old.get("STATE") != "Draft":
        raise ValidationFailed(
            f"AP payment {old['RECORDNO']} is {old.get('STATE')} and cannot be changed.",
            correction="Only draft payments can be updated; void or decline the request instead.",
        )
    # WHENCREATED is the payment date read back; the Node SDK's ApPaymentUpdate writes the date there
    if row.get("WHENCREATED") is not None and row.get("WHENCREATED") != (old or {}).get("WHENCREATED"):
        row["PAYMENTDATE"] = row["WHENCREATED"]
    method = str(row.get("PAYMENTMETHOD") or "")
    if method in ("Charge Card", "Credit Card"):
        financial_entity(wc, row.get("FINANCIALENTITY"), ("CREDITCARD",), "charge card account")
    else:
        financial_entity(wc, row.get("FINANCIALENTITY"), BANKS)
    check_open_period(wc, row.get("PAYMENTDATE"), "payment date")
    details = lines_of(wc, APPYMT, row)
    check_details(wc, row.get("VENDORID"), details, None if old is None else int(old["RECORDNO"]))
    for d in details:
        d["PAYMENTAMOUNT"] = money(d.get("TRX_PAYMENTAMOUNT"))
    vendor = wc.find("VENDOR", str(row["VENDORID"])) if row.get("VENDORID") else None
    row["VENDORNAME"] = None if vendor is None else vendor.get("NAME")
    row["WHENCREATED"] = row.get("PAYMENTDATE")
    row["TOTALENTERED"] = sum((money(d.get("TRX_PAYMENTAMOUNT")) for d in details), ZERO)
    row["TOTALSETTLED"] = sum((settled(d) for d in details), ZERO)
    row["STATE"] = "Draft" if str(row.get("ACTION") or "").lower() == "draft" else "Submitted"


def _after_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    if row.get("STATE") in SELECTING:
        apply_effects(wc, row, "select", 1)


def _before_delete(wc: WriteContext, row: dict[str, Any]) -> None:
    if row.get("STATE") not in ("Draft", "Submitted", "Declined", "Voided"):
        raise ValidationFailed(
            f"AP payment {row['RECORDNO']} is {row.get('STATE')} and cannot be deleted.",
            correction="Void an approved or sent payment request, reverse a complete payment.",
        )
    if row.get("STATE") == "Submitted":
        apply_effects(wc, row, "select", -1)


APPYMT = register(
    ObjectDef(
        name="APPYMT",
        label="AP Payment",
        transaction=True,
        lines=Lines("APPYMTDETAILS", "APPYMTDETAIL", "APPYMTDETAIL", min_lines=0),
        fields=[
            enum("PAYMENTMETHOD", {m: m for m in PAYMENT_METHODS}, required=True),
            text("FINANCIALENTITY", required=True),
            text("VENDORID", required=True, ref=("VENDOR", "VENDORID")),
            text("VENDORNAME", readonly=True),
            date_("PAYMENTDATE", required=True),
            date_("WHENCREATED"),
            date_("WHENPAID", readonly=True),
            text("PAYMENTREQUESTMETHOD"),
            boolean("GROUPPAYMENTS", default=False),
            date_("EXCH_RATE_DATE"),
            text("EXCH_RATE_TYPE_ID"),
            text("DOCNUMBER"),
            text("DESCRIPTION"),
            text("PAYMENTCONTACT"),
            text("CURRENCY", default="USD"),
            text("BASECURR", default="USD"),
            enum("ACTION", {"Submit": "Submit", "Draft": "Draft"}, default="Submit"),
            enum("STATE", STATES, readonly=True),
            decimal("TOTALENTERED", readonly=True),
            decimal("TOTALSETTLED", readonly=True),
            date_("REVERSALDATE", readonly=True),
            text("REVERSALDESCRIPTION", readonly=True),
        ],
        before_write=_before_write,
        after_write=_after_write,
        before_delete=_before_delete,
    )
)
