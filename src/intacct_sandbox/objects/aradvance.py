"""ARADVANCE + ARADVANCEITEM: money a customer pays before it is invoiced
(docs/intacct/payables-receivables.md §13). Written by generic create and update ([net]
ArAdvanceCreate / ArAdvanceUpdate).

The advance is received like a payment: into a bank account (FINANCIALENTITY), undeposited funds
(UNDEPOSITEDACCOUNTNO) or an AR payment summary (PRBATCH), exactly one. Its lines credit the GL
accounts the advance is booked to; TOTALENTERED is their sum.
"""

from __future__ import annotations

from typing import Any

from intacct_sandbox.objects.arpayment import PAYMENT_METHODS
from intacct_sandbox.objects.base import Lines, ObjectDef, date_, decimal, enum, integer, register, text
from intacct_sandbox.objects.documents import ZERO, gl_line_fields, line_before_write, money
from intacct_sandbox.objects.prbatch import place_in_batch, refresh_batch
from intacct_sandbox.objects.writes import WriteContext, check_open_period, lines_of
from intacct_sandbox.record_faults import ValidationFailed

ARADVANCEITEM = register(
    ObjectDef(
        name="ARADVANCEITEM",
        label="AR Advance Line",
        parent_field="RECORDKEY",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=[*gl_line_fields(), text("CONTRACTID"), text("WAREHOUSEID"), integer("GLDIM")],
        before_write=line_before_write,
    )
)


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    sources = [n for n in ("FINANCIALENTITY", "UNDEPOSITEDACCOUNTNO", "PRBATCH") if row.get(n)]
    if len(sources) != 1:
        raise ValidationFailed(
            "Send exactly one of FINANCIALENTITY, UNDEPOSITEDACCOUNTNO or PRBATCH.",
            correction="Say where the advance was received: a bank account, undeposited funds or a summary.",
        )
    if row.get("FINANCIALENTITY"):
        from intacct_sandbox.objects.cash import financial_entity

        financial_entity(wc, row["FINANCIALENTITY"])
    if row.get("UNDEPOSITEDACCOUNTNO"):
        account = wc.find("GLACCOUNT", str(row["UNDEPOSITEDACCOUNTNO"]))
        if account is None or account.get("ACCOUNTTYPE") != "balancesheet":
            raise ValidationFailed(
                f"GL account {row['UNDEPOSITEDACCOUNTNO']} cannot hold undeposited funds.",
                correction="Use the company's undeposited funds (cash) account.",
            )
    place_in_batch(wc, "ARADVANCE", row, old)
    check_open_period(wc, row.get("RECEIPTDATE"), "receipt date")
    total = sum((money(line.get("TRX_AMOUNT")) for line in lines_of(wc, ARADVANCE, row)), ZERO)
    if total <= ZERO:
        raise ValidationFailed(f"The advance's total {total} must be more than zero.")
    customer = wc.find("CUSTOMER", str(row["CUSTOMERID"])) if row.get("CUSTOMERID") else None
    row["CUSTOMERNAME"] = None if customer is None else customer.get("NAME")
    row["WHENCREATED"] = row.get("RECEIPTDATE")
    row["TOTALENTERED"] = total
    row["STATE"] = "Draft" if str(row.get("ACTION") or "").lower() == "draft" else "Posted"


ARADVANCE = register(
    ObjectDef(
        name="ARADVANCE",
        label="AR Advance",
        transaction=True,
        sequence="PRRECORD",
        lines=Lines("ARADVANCEITEMS", "ARADVANCEITEM", "ARADVANCEITEM"),
        fields=[
            text("CUSTOMERID", required=True, ref=("CUSTOMER", "CUSTOMERID")),
            text("CUSTOMERNAME", readonly=True),
            enum("PAYMENTMETHOD", {m: m for m in PAYMENT_METHODS}, required=True),
            date_("PAYMENTDATE", required=True),
            date_("RECEIPTDATE", required=True),
            date_("WHENCREATED", readonly=True),
            text("FINANCIALENTITY"),
            text("UNDEPOSITEDACCOUNTNO"),
            text("PRBATCH"),
            integer("PRBATCHKEY"),
            text("DOCNUMBER"),
            text("DESCRIPTION"),
            text("CURRENCY", default="USD"),
            text("BASECURR", default="USD"),
            date_("EXCH_RATE_DATE"),
            text("EXCH_RATE_TYPE_ID"),
            decimal("EXCHANGE_RATE"),
            text("SUPDOCID"),
            enum("ACTION", {"Submit": "Submit", "Draft": "Draft"}, default="Submit"),
            enum("STATE", {"Draft": "D", "Posted": "A"}, readonly=True),
            decimal("TOTALENTERED", readonly=True),
        ],
        before_write=_before_write,
        after_write=lambda wc, row, old: refresh_batch(wc, row.get("PRBATCHKEY")),
        after_delete=lambda wc, row: refresh_batch(wc, row.get("PRBATCHKEY")),
    )
)
