"""ARADJUSTMENT + ARADJUSTMENTITEM (docs/intacct/objects.md §13): created by create_aradjustment. A positive
total is a debit memo (payable through ARPYMTDETAIL.POSADJKEY), a negative one a credit memo."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from intacct_sandbox.objects.base import Lines, ObjectDef, date_, decimal, enum, integer, register, text
from intacct_sandbox.objects.documents import ZERO, gl_line_fields, line_before_write, money
from intacct_sandbox.objects.prbatch import place_in_batch, refresh_batch
from intacct_sandbox.objects.writes import WriteContext, check_open_period, lines_of, touch
from intacct_sandbox.record_faults import ValidationFailed

ARADJUSTMENTITEM = register(
    ObjectDef(
        name="ARADJUSTMENTITEM",
        label="Adjustment Line",
        parent_field="RECORDKEY",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=gl_line_fields(),
        before_write=line_before_write,
    )
)


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    for name in ("CUSTOMERID", "WHENCREATED"):
        if row.get(name) in (None, ""):
            raise ValidationFailed(f"Required field {name} is missing.")
    if row.get("WHENPOSTED") is None:
        row["WHENPOSTED"] = row["WHENCREATED"]
    place_in_batch(wc, "ARADJUSTMENT", row, old)
    check_open_period(wc, row.get("WHENPOSTED"), "posting date")
    customer = wc.find("CUSTOMER", str(row["CUSTOMERID"]))
    row["CUSTOMERNAME"] = None if customer is None else customer.get("NAME")
    total = sum((money(line.get("TRX_AMOUNT")) for line in lines_of(wc, ARADJUSTMENT, row)), ZERO)
    paid = money(old.get("TOTALPAID")) if old else ZERO
    row.update(
        {
            "TOTALENTERED": total,
            "TOTALPAID": paid,
            "TOTALDUE": total - paid,
            "ADJUSTMENTTYPE": "Debit Memo" if total >= ZERO else "Credit Memo",
            "STATE": "Posted" if paid == ZERO else ("Paid" if paid >= total else "Partially Paid"),
        }
    )


def apply_payment(wc: WriteContext, adjustment: dict[str, Any], amount: Decimal) -> None:
    """Move TOTALPAID/TOTALDUE/STATE by ``amount`` (negative when a payment is reversed)."""
    paid = money(adjustment.get("TOTALPAID")) + amount
    total = money(adjustment.get("TOTALENTERED"))
    state = "Posted" if paid == ZERO else ("Paid" if paid >= total else "Partially Paid")
    touch(
        wc,
        ARADJUSTMENT,
        adjustment["RECORDNO"],
        {"TOTALPAID": paid, "TOTALDUE": total - paid, "STATE": state},
    )


def _after_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None = None) -> None:
    refresh_batch(wc, row.get("PRBATCHKEY"))


ARADJUSTMENT = register(
    ObjectDef(
        name="ARADJUSTMENT",
        label="AR Adjustment",
        transaction=True,
        sequence="PRRECORD",
        creatable=False,
        lines=Lines("ARADJUSTMENTITEMS", "ARADJUSTMENTITEM", "ARADJUSTMENTITEM"),
        fields=[
            text("CUSTOMERID", ref=("CUSTOMER", "CUSTOMERID")),
            text("CUSTOMERNAME", readonly=True),
            date_("WHENCREATED"),
            date_("WHENPOSTED"),
            text("RECORDID"),
            text("DOCNUMBER"),
            text("DESCRIPTION"),
            text("EXTERNALID"),
            text("PRBATCH"),
            integer("PRBATCHKEY"),
            text("CURRENCY", default="USD"),
            text("BASECURR", default="USD"),
            enum("ADJUSTMENTTYPE", {"Debit Memo": "Debit Memo", "Credit Memo": "Credit Memo"}, readonly=True),
            enum("STATE", {"Posted": "A", "Partially Paid": "PP", "Paid": "P"}, readonly=True),
            decimal("TOTALENTERED", readonly=True),
            decimal("TOTALPAID", readonly=True),
            decimal("TOTALDUE", readonly=True),
        ],
        before_write=_before_write,
        after_write=_after_write,
        after_delete=_after_write,
    )
)
