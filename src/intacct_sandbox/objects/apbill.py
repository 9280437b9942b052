"""APBILL + APBILLITEM (docs/intacct/objects.md §9). Key RECORDNO only; WHENCREATED is the transaction date
and AUWHENCREATED the creation stamp. The vendor and each line's GL account must exist and be active."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from intacct_sandbox.objects.base import Lines, ObjectDef, date_, enum, register, text
from intacct_sandbox.objects.documents import (
    ZERO,
    document_before_write,
    document_fields,
    gl_line_fields,
    line_before_write,
    money,
    payment_state,
    refresh_party_due,
)
from intacct_sandbox.objects.prbatch import refresh_batch
from intacct_sandbox.objects.writes import WriteContext, touch
from intacct_sandbox.record_faults import AlreadyPaid, DuplicateBillNumber, Overpayment, ValidationFailed

APBILLITEM = register(
    ObjectDef(
        name="APBILLITEM",
        label="Bill Line",
        parent_field="RECORDKEY",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=gl_line_fields(),
        before_write=line_before_write,
    )
)


def _check_bill_number(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    """A vendor's bill numbers are unique among its bills that are not reversed (any entity: the
    vendor is one party whichever entity booked the bill)."""
    number, vendor = row.get("RECORDID"), row.get("VENDORID")
    if number in (None, "") or vendor in (None, ""):
        return
    if old is not None and (old.get("RECORDID"), old.get("VENDORID")) == (number, vendor):
        return
    own = None if old is None else old["RECORDNO"]
    for bill in wc.store.rows(wc.company_id, "APBILL").values():
        if (
            bill.get("RECORDID") == number
            and bill.get("VENDORID") == vendor
            and bill["RECORDNO"] != own
            and bill.get("STATE") not in ("Reversed", "Reversal")
        ):
            raise DuplicateBillNumber.for_bill(str(vendor), str(number), int(bill["RECORDNO"]))


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    document_before_write(wc, APBILL, row, old, ("VENDOR", "VENDORID", "VENDORNAME"))
    _check_bill_number(wc, row, old)


def _after(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None = None) -> None:
    refresh_batch(wc, row.get("PRBATCHKEY"))
    if row.get("VENDORID"):
        refresh_party_due(wc, "VENDOR", "VENDORID", "APBILL", str(row["VENDORID"]))


def _before_delete(wc: WriteContext, row: dict[str, Any]) -> None:
    """A bill that payments use, or a reversal pair, stays (docs/intacct/payables-receivables.md §3.1)."""
    if money(row.get("TOTALPAID")) != ZERO or money(row.get("TOTALSELECTED")) != ZERO:
        raise ValidationFailed(
            f"Bill {row['RECORDNO']} has payments applied or requested and cannot be deleted.",
            correction="Reverse the payments, or decline or void the payment requests, first.",
        )
    if row.get("STATE") in ("Reversed", "Reversal"):
        raise ValidationFailed(f"Bill {row['RECORDNO']} is {row['STATE']} and cannot be deleted.")


APBILL = register(
    ObjectDef(
        name="APBILL",
        extras=("RECORD_URL", "DUE_IN_DAYS"),
        label="Bill",
        transaction=True,
        lines=Lines("APBILLITEMS", "APBILLITEM", "APBILLITEM"),
        fields=[
            *document_fields("VENDORID", "VENDOR", "VENDORNAME"),
            date_("RECPAYMENTDATE"),
            enum("PAYMENTPRIORITY", {v: v for v in ("urgent", "high", "normal", "low")}, default="normal"),
            text("BILLTOPAYTOCONTACTNAME"),
            text("SHIPTORETURNTOCONTACTNAME"),
            text("MODULEKEY", readonly=True, default="3.AP"),
        ],
        before_write=_before_write,
        after_write=_after,
        before_delete=_before_delete,
        after_delete=_after,
    )
)


def pay(wc: WriteContext, bill: dict[str, Any], amount: Decimal, when: date | None = None) -> dict[str, Any]:
    """A payment made in Intacct (Pay bills) against one bill: TOTALPAID/TOTALDUE/STATE move, lines
    are paid first line first, WHENPAID is set when nothing is left due."""
    amount = money(amount)
    if bill.get("STATE") == "Draft":
        raise ValidationFailed(f"Bill {bill['RECORDNO']} is a draft and cannot be paid.")
    if bill.get("STATE") == "Paid":
        raise AlreadyPaid(f"Bill {bill['RECORDNO']} is paid in full already.")
    if amount <= ZERO:
        raise ValidationFailed(f"The amount paid on bill {bill['RECORDNO']} must be positive.")
    due = money(bill.get("TOTALDUE"))
    if amount > due:
        raise Overpayment(f"The amount {amount} exceeds the {due} due on bill {bill['RECORDNO']}.")
    paid = money(bill.get("TOTALPAID")) + amount
    total = money(bill.get("TOTALENTERED"))
    updated = touch(
        wc,
        APBILL,
        bill["RECORDNO"],
        {
            "TOTALPAID": paid,
            "TOTALDUE": total - paid,
            "STATE": payment_state(total, paid),
            "WHENPAID": (when or wc.now.date()) if paid >= total else None,
        },
    )
    remaining = amount
    for line in wc.store.children(wc.company_id, "APBILLITEM", bill["RECORDNO"]):
        share = min(remaining, money(line.get("AMOUNT")) - money(line.get("TOTALPAID")))
        if share > ZERO:
            wc.store.replace(
                wc.company_id,
                "APBILLITEM",
                line["RECORDNO"],
                {**line, "TOTALPAID": money(line.get("TOTALPAID")) + share},
            )
            remaining -= share
    _after(wc, updated)
    return updated
