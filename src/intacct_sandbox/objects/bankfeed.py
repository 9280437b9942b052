"""BANKACCTTXNFEED + BANKACCTTXNRECORD: bank transactions fed into a bank account for matching
(docs/intacct/payables-receivables.md §14). Written by generic create and deleted by generic delete
([js] BankFeedsCreate / BankFeedsDelete; hotglue's target sends the same create).

The bank account must exist and be active; an "xml" feed carries at least one transaction, each a
deposit or a withdrawal with a posting date and an amount.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from intacct_sandbox.objects.base import Lines, ObjectDef, date_, decimal, enum, integer, register, text
from intacct_sandbox.objects.writes import WriteContext, lines_of
from intacct_sandbox.record_faults import ValidationFailed

BANKACCTTXNRECORD = register(
    ObjectDef(
        name="BANKACCTTXNRECORD",
        label="Bank Transaction",
        parent_field="FEEDKEY",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=[
            integer("FEEDKEY", readonly=True),
            integer("LINE_NO", readonly=True),
            text("TRANSACTIONID"),
            date_("POSTINGDATE", required=True),
            enum("TRANSACTIONTYPE", {"deposit": "deposit", "withdrawal": "withdrawal"}, required=True),
            text("DOCTYPE"),
            text("DOCNO"),
            text("PAYEE"),
            decimal("AMOUNT", required=True),
            text("DESCRIPTION"),
            text("CURRENCY"),
        ],
    )
)


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    from intacct_sandbox.objects.cash import financial_entity

    financial_entity(wc, row.get("FINANCIALENTITY"))
    records = lines_of(wc, BANKACCTTXNFEED, row)
    if row.get("FEEDTYPE") == "xml" and not records:
        raise ValidationFailed(
            "An xml bank feed must have at least 1 transaction in BANKACCTTXNRECORDS.",
            correction="Add a BANKACCTTXNRECORD, or send the feed as a file (FEEDTYPE onl).",
        )
    row["TRANSACTIONS"] = len(records)
    row["TOTAL"] = sum((Decimal(r.get("AMOUNT") or 0) for r in records), Decimal(0))


BANKACCTTXNFEED = register(
    ObjectDef(
        name="BANKACCTTXNFEED",
        label="Bank Feed",
        updatable=False,
        lines=Lines("BANKACCTTXNRECORDS", "BANKACCTTXNRECORD", "BANKACCTTXNRECORD", min_lines=0),
        fields=[
            text("FINANCIALENTITY", required=True),
            date_("FEEDDATE", required=True),
            enum("FEEDTYPE", {"xml": "xml", "onl": "onl"}, default="xml"),
            text("FILENAME"),
            integer("TRANSACTIONS", readonly=True),
            decimal("TOTAL", readonly=True),
        ],
        before_write=_before_write,
    )
)
