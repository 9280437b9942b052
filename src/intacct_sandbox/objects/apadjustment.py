"""APADJUSTMENT + APADJUSTMENTITEM: vendor credit and debit memos (docs/intacct/payables-receivables.md
§4). Written by create_apadjustment (legacy) or generic create/update/delete.

A positive total is a credit memo (more owed to the vendor: payable through APPYMTDETAIL.POSADJKEY),
a negative one a debit memo (the vendor owes: its credit is applied to bills through ADJUSTMENTKEY).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from intacct_sandbox.objects.base import Lines, ObjectDef, date_, decimal, enum, integer, register, text
from intacct_sandbox.objects.documents import ZERO, gl_line_fields, line_before_write, money
from intacct_sandbox.objects.prbatch import place_in_batch, refresh_batch
from intacct_sandbox.objects.writes import WriteContext, check_open_period, lines_of, touch
from intacct_sandbox.record_faults import ValidationFailed

APADJUSTMENTITEM = register(
    ObjectDef(
        name="APADJUSTMENTITEM",
        label="AP Adjustment Line",
        parent_field="RECORDKEY",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=gl_line_fields(),
        before_write=line_before_write,
    )
)

STATES = {"Draft": "D", "Posted": "A", "Partially Paid": "PP", "Paid": "P", "Reversed": "R"}


def state_of(total: Decimal, paid: Decimal) -> str:
    if paid == ZERO:
        return "Posted"
    return "Paid" if abs(paid) >= abs(total) else "Partially Paid"


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    if old is not None and (money(old.get("TOTALPAID")) != ZERO or money(old.get("TOTALSELECTED")) != ZERO):
        raise ValidationFailed(
            f"AP adjustment {old['RECORDNO']} has been applied or requested and cannot be changed.",
            correction="Reverse the payments that use it first.",
        )
    for name in ("VENDORID", "WHENCREATED"):
        if row.get(name) in (None, ""):
            raise ValidationFailed(f"Required field {name} is missing.", correction=f"Provide {name}.")
    if row.get("WHENPOSTED") is None:
        row["WHENPOSTED"] = row["WHENCREATED"]
    place_in_batch(wc, "APADJUSTMENT", row, old)
    check_open_period(wc, row.get("WHENPOSTED"), "posting date")
    vendor = wc.find("VENDOR", str(row["VENDORID"]))
    row["VENDORNAME"] = None if vendor is None else vendor.get("NAME")
    total = sum((money(line.get("TRX_AMOUNT")) for line in lines_of(wc, APADJUSTMENT, row)), ZERO)
    draft = str(row.get("ACTION") or "").lower() == "draft"
    row.update(
        {
            "TOTALENTERED": total,
            "TOTALPAID": ZERO,
            "TOTALDUE": total,
            "TOTALSELECTED": ZERO,
            "ADJUSTMENTTYPE": "Credit Memo" if total >= ZERO else "Debit Memo",
            "STATE": "Draft" if draft else "Posted",
        }
    )


def _after(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None = None) -> None:
    refresh_batch(wc, row.get("PRBATCHKEY"))


def _before_delete(wc: WriteContext, row: dict[str, Any]) -> None:
    if money(row.get("TOTALPAID")) != ZERO or money(row.get("TOTALSELECTED")) != ZERO:
        raise ValidationFailed(
            f"AP adjustment {row['RECORDNO']} has been applied or requested and cannot be deleted.",
            correction="Reverse the payments that use it first.",
        )


def apply_amount(wc: WriteContext, adjustment: dict[str, Any], amount: Decimal) -> dict[str, Any]:
    """Move TOTALPAID/TOTALDUE/STATE by ``amount``: positive pays a credit memo, negative uses a debit
    memo's credit; the opposite sign undoes it (reversal, void)."""
    paid = money(adjustment.get("TOTALPAID")) + amount
    total = money(adjustment.get("TOTALENTERED"))
    return touch(
        wc,
        APADJUSTMENT,
        adjustment["RECORDNO"],
        {"TOTALPAID": paid, "TOTALDUE": total - paid, "STATE": state_of(total, paid)},
    )


APADJUSTMENT = register(
    ObjectDef(
        name="APADJUSTMENT",
        label="AP Adjustment",
        transaction=True,
        lines=Lines("APADJUSTMENTITEMS", "APADJUSTMENTITEM", "APADJUSTMENTITEM"),
        fields=[
            text("VENDORID", ref=("VENDOR", "VENDORID")),
            text("VENDORNAME", readonly=True),
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
            text("SUPDOCID"),
            enum("ACTION", {"Submit": "Submit", "Draft": "Draft"}, default="Submit"),
            enum("ADJUSTMENTTYPE", {"Debit Memo": "Debit Memo", "Credit Memo": "Credit Memo"}, readonly=True),
            enum("STATE", STATES, readonly=True),
            decimal("TOTALENTERED", readonly=True),
            decimal("TOTALPAID", readonly=True),
            decimal("TOTALDUE", readonly=True),
            decimal("TOTALSELECTED", readonly=True),
        ],
        before_write=_before_write,
        after_write=_after,
        before_delete=_before_delete,
        after_delete=_after,
    )
)
