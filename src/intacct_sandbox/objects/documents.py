"""Shared rules of AP/AR documents: lines with GL accounts, totals, due dates from terms, STATE."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from intacct_sandbox.objects.base import (
    Field,
    ObjectDef,
    boolean,
    decimal,
    integer,
    text,
)
from intacct_sandbox.objects.prbatch import place_in_batch
from intacct_sandbox.objects.writes import WriteContext, check_open_period, lines_of
from intacct_sandbox.record_faults import ValidationFailed

ZERO = Decimal(0)
CENT = Decimal("0.01")


def money(value: Any) -> Decimal:
    return ZERO if value is None else Decimal(value).quantize(CENT)


def gl_line_fields(amount: str = "TRX_AMOUNT") -> list[Field]:
    """The coding of an AP/AR line: account, amount and dimensions."""
    return [
        integer("RECORDKEY", readonly=True),
        integer("LINE_NO", readonly=True),
        text("ACCOUNTNO", ref=("GLACCOUNT", "ACCOUNTNO")),
        text("ACCOUNTLABEL"),
        text("ACCOUNTTITLE", readonly=True),
        text("OFFSETGLACCOUNTNO", ref=("GLACCOUNT", "ACCOUNTNO")),
        decimal(amount, required=True),
        decimal("AMOUNT", readonly=True),
        text("ENTRYDESCRIPTION"),
        text("LOCATIONID", ref=("LOCATION", "LOCATIONID")),
        text("DEPARTMENTID", ref=("DEPARTMENT", "DEPARTMENTID")),
        text("PROJECTID", ref=("PROJECT", "PROJECTID")),
        text("TASKID"),
        text("CUSTOMERID", ref=("CUSTOMER", "CUSTOMERID")),
        text("VENDORID", ref=("VENDOR", "VENDORID")),
        text("EMPLOYEEID", ref=("EMPLOYEE", "EMPLOYEEID")),
        text("ITEMID"),
        text("CLASSID"),
        boolean("BILLABLE", default=False),
        decimal("TOTALPAID", readonly=True),
        decimal("TOTALSELECTED", readonly=True),
        text("STATE", readonly=True),
    ]


def line_before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    if row.get("ACCOUNTNO") in (None, "") and row.get("ACCOUNTLABEL") in (None, ""):
        raise ValidationFailed(
            "Required field ACCOUNTNO or ACCOUNTLABEL is missing on a line.",
            correction="Provide a GL account number or an account label.",
        )
    if row.get("ACCOUNTNO"):
        account = wc.find("GLACCOUNT", str(row["ACCOUNTNO"]))
        row["ACCOUNTTITLE"] = None if account is None else account.get("TITLE")
    row["AMOUNT"] = money(row.get("TRX_AMOUNT"))
    row.setdefault("TOTALPAID", ZERO)
    row["TOTALPAID"] = row["TOTALPAID"] or ZERO
    row["TOTALSELECTED"] = ZERO


_TERM = re.compile(r"^N(?:ET)?\s*(\d{1,3})$", re.IGNORECASE)


def due_from_term(term: str | None, start: date | None) -> date | None:
    """Net-N terms (N30, Net 30) give a due date; other term names need an explicit due date."""
    if not term or start is None:
        return None
    m = _TERM.match(term.strip())
    return start + timedelta(days=int(m.group(1))) if m else None


def document_before_write(
    wc: WriteContext,
    obj: ObjectDef,
    row: dict[str, Any],
    old: dict[str, Any] | None,
    party: tuple[str, str, str],
) -> None:
    """Header rules of a bill or invoice: party, dates, totals, STATE."""
    party_obj, party_id, party_name = party
    draft = str(row.get("ACTION") or "").lower() == "draft"
    if not draft:
        for name in (party_id, "WHENCREATED"):
            if row.get(name) in (None, ""):
                raise ValidationFailed(
                    f"Required field {name} is missing.", correction=f"Provide {name}, or send ACTION Draft."
                )
    if row.get("WHENDUE") is None:
        row["WHENDUE"] = due_from_term(row.get("TERMNAME"), row.get("WHENCREATED"))
    if row.get("WHENDUE") is None and not draft:
        raise ValidationFailed("Required field WHENDUE is missing: send a due date or a Net-N term name.")
    if row.get("WHENPOSTED") is None:
        row["WHENPOSTED"] = row.get("WHENCREATED")
    place_in_batch(wc, obj.name, row, old)
    check_open_period(wc, row.get("WHENPOSTED"), "posting date")
    partner = wc.find(party_obj, str(row[party_id])) if row.get(party_id) else None
    row[party_name] = None if partner is None else partner.get("NAME")
    lines = lines_of(wc, obj, row)
    total = sum((money(line.get("TRX_AMOUNT")) for line in lines), ZERO)
    paid = money(old.get("TOTALPAID")) if old is not None else ZERO
    if old is not None and old.get("STATE") in ("Reversed", "Reversal"):
        raise ValidationFailed(
            f"{obj.label} {old['RECORDNO']} is {old['STATE']} and cannot be changed.",
            correction="Create a new document instead.",
        )
    if old is not None and total < paid:
        raise ValidationFailed(f"The new total {total} is less than the {paid} already paid.")
    row["TOTALENTERED"] = total
    row["TOTALPAID"] = paid
    row["TOTALDUE"] = total - paid
    # amounts selected by open AP payment requests stay selected through an edit
    row["TOTALSELECTED"] = money(old.get("TOTALSELECTED")) if old is not None else ZERO
    row["STATE"] = "Draft" if draft else payment_state(total, paid)


def payment_state(total: Decimal, paid: Decimal) -> str:
    if paid <= ZERO:
        return "Posted"
    return "Paid" if paid >= total else "Partially Paid"


def document_fields(party_id: str, party_obj: str, party_name: str) -> list[Field]:
    from intacct_sandbox.objects.base import date_, enum

    return [
        text("RECORDID"),
        text(party_id, ref=(party_obj, party_id)),
        text(party_name, readonly=True),
        date_("WHENCREATED"),
        date_("WHENPOSTED"),
        date_("WHENDUE"),
        date_("WHENPAID", readonly=True),
        text("TERMNAME"),
        text("DOCNUMBER"),
        text("DESCRIPTION"),
        boolean("ONHOLD", default=False),
        text("CURRENCY", default="USD"),
        text("BASECURR", default="USD"),
        enum("ACTION", {"Submit": "Submit", "Draft": "Draft"}, default="Submit"),
        enum("STATE", STATES, readonly=True),
        decimal("TOTALENTERED", readonly=True),
        decimal("TOTALPAID", readonly=True),
        decimal("TOTALDUE", readonly=True),
        decimal("TOTALSELECTED", readonly=True),
        text("PRBATCH"),
        integer("PRBATCHKEY"),
        text("EXTERNALID"),
        integer("REVERSALKEY", readonly=True),
        integer("REVERSEDKEY", readonly=True),
        date_("REVERSALDATE", readonly=True),
    ]


#: display value -> database character in queries (A.9 lists D/S/A for bills; Paid/Partially Paid and
#: the reversal pair are modelled: docs/intacct/payables-receivables.md §3)
STATES = {
    "Draft": "D",
    "Submitted": "S",
    "Posted": "A",
    "Partially Paid": "PP",
    "Paid": "P",
    "Reversed": "R",
    "Reversal": "V",
}


def refresh_party_due(wc: WriteContext, party_obj: str, party_field: str, doc_obj: str, party: str) -> None:
    """CUSTOMER/VENDOR TOTALDUE = open balance of their documents."""
    row = wc.store.get_by_id(wc.company_id, party_obj, party)
    if row is None:
        return
    due = sum(
        (
            money(d.get("TOTALDUE"))
            for d in wc.store.scan(wc.company_id, doc_obj)
            if d.get(party_field) == party and d.get("STATE") != "Draft"
        ),
        ZERO,
    )
    if row.get("TOTALDUE") != due:
        # a computed balance, not an edit of the customer: WHENMODIFIED stays as it was
        wc.store.replace(wc.company_id, party_obj, row["RECORDNO"], {**row, "TOTALDUE": due})
