"""Time & Expenses documents: expense reports (EEXPENSES with EEXPENSESITEM lines) in summaries
(EEXPENSESBATCH), expense adjustments (EXPENSEADJUSTMENTS) and reimbursement requests
(EPPAYMENT) that pay reports. Facts and the modelled names: docs/intacct/gl-company-reads.md §2.

An expense report belongs to an active employee; each line names an expense type (EEACCOUNTLABEL) or
a GL account and a positive amount; Draft and Submitted are the states a create may ask for. A report
is paid by reimbursement requests (TOTALPAID/TOTALDUE/STATE move), reversed only while nothing is paid
and deleted only while neither paid nor reversed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from intacct_sandbox.objects.base import (
    Field,
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
from intacct_sandbox.objects.documents import ZERO, money
from intacct_sandbox.objects.writes import WriteContext, check_open_period, lines_of, touch
from intacct_sandbox.record_faults import Overpayment, ValidationFailed

REPORT_STATES = {
    "Draft": "D",
    "Submitted": "S",
    "Approved": "A",
    "Partially Paid": "PP",
    "Paid": "P",
    "Reversed": "V",
}


def _payment_type_before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    account = wc.find("GLACCOUNT", str(row.get("OFFSETACCTNO") or ""))
    row["OFFSETACCTTITLE"] = None if account is None else account.get("TITLE")


#: how an expense was paid (cash, company card): sageintacctsdk reads them; lines name one in EXPPMTTYPE
EXPENSEPAYMENTTYPE = register(
    ObjectDef(
        name="EXPENSEPAYMENTTYPE",
        label="Expense Payment Type",
        id_field="NAME",
        fields=[
            text("NAME", max_length=40),
            text("DESCRIPTION"),
            boolean("NONREIMBURSABLE", default=False),
            text("OFFSETACCTNO", ref=("GLACCOUNT", "ACCOUNTNO")),
            text("OFFSETACCTTITLE", readonly=True),
            enum("STATUS", {"active": "T", "inactive": "F"}, default="active"),
        ],
        before_write=_payment_type_before_write,
    )
)


def expense_line_fields(parent: str) -> list[Field]:
    return [
        integer(parent, readonly=True),
        integer("LINE_NO", readonly=True),
        text("EXPENSETYPE", ref=("EEACCOUNTLABEL", "ACCOUNTLABEL")),
        text("GLACCOUNTNO", ref=("GLACCOUNT", "ACCOUNTNO")),
        decimal("AMOUNT", required=True),
        text("CURRENCY"),
        decimal("TRX_AMOUNT"),
        date_("EXPENSEDATE"),
        text("MEMO"),
        text("PAIDFOR"),
        text("LOCATIONID", ref=("LOCATION", "LOCATIONID")),
        text("DEPARTMENTID", ref=("DEPARTMENT", "DEPARTMENTID")),
        text("PROJECTID", ref=("PROJECT", "PROJECTID")),
        text("CUSTOMERID", ref=("CUSTOMER", "CUSTOMERID")),
        text("VENDORID", ref=("VENDOR", "VENDORID")),
        text("EMPLOYEEID", ref=("EMPLOYEE", "EMPLOYEEID")),
        text("ITEMID", ref=("ITEM", "ITEMID")),
        text("CLASSID", ref=("CLASS", "CLASSID")),
        boolean("BILLABLE", default=False),
        text("EXPPMTTYPE", ref=("EXPENSEPAYMENTTYPE", "NAME")),
        decimal("QUANTITY"),
        decimal("RATE"),
        text("FORM1099"),
        decimal("TOTALPAID", readonly=True),
    ]


def _line_before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    if row.get("EXPENSETYPE") in (None, "") and row.get("GLACCOUNTNO") in (None, ""):
        raise ValidationFailed(
            "Required field expensetype or glaccountno is missing on an expense line.",
            correction="Name an expense type or a GL account.",
        )
    if row.get("AMOUNT") is not None and row["AMOUNT"] <= ZERO:
        raise ValidationFailed(f"The amount {row['AMOUNT']} of an expense line must be more than 0.")
    row["TOTALPAID"] = row.get("TOTALPAID") or ZERO


EEXPENSESBATCH = register(
    ObjectDef(
        name="EEXPENSESBATCH",
        label="Expense Report Summary",
        fields=[
            text("TITLE", required=True),
            date_("CREATED", required=True),
            enum("STATUS", {"open": "O", "closed": "C"}, default="open"),
        ],
    )
)


def _check_batch(wc: WriteContext, row: dict[str, Any]) -> None:
    key = row.get("PRBATCHKEY")
    if key in (None, ""):
        return
    text_key = str(key).strip()
    batch = wc.get("EEXPENSESBATCH", int(text_key)) if text_key.isdigit() else None
    if batch is None:
        raise ValidationFailed(f"Invalid batchkey '{key}': no expense report summary has that key.")
    if batch.get("STATUS") == "closed":
        raise ValidationFailed(f"Expense report summary {key} is closed.")


def _totals(wc: WriteContext, obj: ObjectDef, row: dict[str, Any]) -> None:
    total = sum((money(line.get("AMOUNT")) for line in lines_of(wc, obj, row)), ZERO)
    row["TOTALENTERED"] = total
    row["TOTALPAID"] = money(row.get("TOTALPAID"))
    row["TOTALDUE"] = total - row["TOTALPAID"]


def _report_before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    if old is not None and old.get("STATE") in ("Paid", "Partially Paid", "Reversed"):
        raise ValidationFailed(f"Expense report {old['RECORDNO']} is {old['STATE']} and cannot be changed.")
    if old is None and row.get("STATE") not in (None, "Draft", "Submitted"):
        raise ValidationFailed(
            f"Invalid state '{row.get('STATE')}' for a new expense report.",
            correction="Use Draft or Submitted.",
        )
    row["STATE"] = row.get("STATE") or "Submitted"
    check_open_period(wc, row.get("WHENPOSTED") or row.get("WHENCREATED"), "posting date")
    _check_batch(wc, row)
    _totals(wc, EEXPENSES, row)


EEXPENSESITEM = register(
    ObjectDef(
        name="EEXPENSESITEM",
        label="Expense Report Line",
        parent_field="RECORDKEY",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=expense_line_fields("RECORDKEY"),
        before_write=_line_before_write,
    )
)

EEXPENSES = register(
    ObjectDef(
        name="EEXPENSES",
        extras=("RECORD_URL",),
        label="Expense Report",
        transaction=True,
        creatable=False,
        lines=Lines("EEXPENSESITEMS", "EEXPENSESITEM", "EEXPENSESITEM"),
        fields=[
            text("EMPLOYEEID", required=True, ref=("EMPLOYEE", "EMPLOYEEID")),
            date_("WHENCREATED", required=True),
            date_("WHENPOSTED"),
            text("PRBATCHKEY"),
            text("RECORDID"),
            enum("STATE", REPORT_STATES, default=None),
            text("DESCRIPTION"),
            text("MEMO"),
            text("EXTERNALID"),
            text("BASECURR"),
            text("CURRENCY"),
            text("SUPDOCID", ref=("SUPDOC", "SUPDOCID")),
            decimal("TOTALENTERED", readonly=True),
            decimal("TOTALPAID", readonly=True),
            decimal("TOTALDUE", readonly=True),
            date_("WHENPAID", readonly=True),
            date_("WHENREVERSED", readonly=True),
            text("REVERSALMEMO", readonly=True),
        ],
        before_write=_report_before_write,
    )
)


def reverse_report(wc: WriteContext, report: dict[str, Any], when: date, memo: str | None) -> dict[str, Any]:
    """Reverse an expense report on a date: only a posted report nothing was paid on."""
    state = report.get("STATE")
    if state == "Reversed":
        raise ValidationFailed(f"Expense report {report['RECORDNO']} is reversed already.")
    if state == "Draft":
        raise ValidationFailed(f"Expense report {report['RECORDNO']} is a draft: delete it instead.")
    if money(report.get("TOTALPAID")) > ZERO:
        raise ValidationFailed(
            f"Expense report {report['RECORDNO']} has payments and cannot be reversed.",
            correction="Reverse its reimbursements first.",
        )
    created = report.get("WHENCREATED")
    if isinstance(created, date) and when < created:
        raise ValidationFailed("The reversal date cannot be before the expense report's date.")
    check_open_period(wc, when, "reversal date")
    return touch(
        wc,
        EEXPENSES,
        report["RECORDNO"],
        {"STATE": "Reversed", "WHENREVERSED": when, "REVERSALMEMO": memo, "TOTALDUE": ZERO},
    )


def _report_before_delete(wc: WriteContext, row: dict[str, Any]) -> None:
    if row.get("STATE") in ("Paid", "Partially Paid", "Reversed"):
        raise ValidationFailed(
            f"Expense report {row['RECORDNO']} is {row['STATE']} and cannot be deleted.",
            correction="Reverse it instead." if row.get("STATE") != "Reversed" else "",
        )


EEXPENSES.before_delete = _report_before_delete


def _adjustment_before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    check_open_period(wc, row.get("WHENPOSTED") or row.get("WHENCREATED"), "posting date")
    _check_batch(wc, row)
    _totals(wc, EXPENSEADJUSTMENTS, row)
    row["STATE"] = row.get("STATE") or "Submitted"


EXPENSEADJUSTMENTSITEM = register(
    ObjectDef(
        name="EXPENSEADJUSTMENTSITEM",
        label="Expense Adjustment Line",
        parent_field="RECORDKEY",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=expense_line_fields("RECORDKEY"),
        before_write=_line_before_write,
    )
)

EXPENSEADJUSTMENTS = register(
    ObjectDef(
        name="EXPENSEADJUSTMENTS",
        label="Expense Adjustment",
        transaction=True,
        creatable=False,
        updatable=False,
        lines=Lines("EXPENSEADJUSTMENTSITEMS", "EXPENSEADJUSTMENTSITEM", "EXPENSEADJUSTMENTSITEM"),
        fields=[
            text("EMPLOYEEID", required=True, ref=("EMPLOYEE", "EMPLOYEEID")),
            date_("WHENCREATED", required=True),
            date_("WHENPOSTED"),
            text("PRBATCHKEY"),
            text("RECORDID"),
            text("DOCNUMBER"),
            text("DESCRIPTION"),
            text("BASECURR"),
            text("CURRENCY"),
            text("SUPDOCID", ref=("SUPDOC", "SUPDOCID")),
            enum("STATE", REPORT_STATES, default=None),
            decimal("TOTALENTERED", readonly=True),
            decimal("TOTALPAID", readonly=True),
            decimal("TOTALDUE", readonly=True),
        ],
        before_write=_adjustment_before_write,
    )
)

EPPAYMENT = register(
    ObjectDef(
        name="EPPAYMENT",
        label="Reimbursement Request",
        creatable=False,
        updatable=False,
        deletable=False,
        fields=[
            text("EMPLOYEEID", required=True, ref=("EMPLOYEE", "EMPLOYEEID")),
            text("FINANCIALENTITY", required=True),
            text("PAYMENTMETHOD", required=True),
            date_("PAYMENTDATE", required=True),
            text("PAYMENTOPTION"),
            text("MEMO"),
            text("DOCNUMBER"),
            text("DESCRIPTION"),
            text("PAYMENTCONTACT"),
            decimal("AMOUNT", readonly=True),
            text("REPORTKEYS", readonly=True),
            text("STATE", readonly=True),
        ],
    )
)


def reimburse(
    wc: WriteContext, employee_id: str, items: list[tuple[int, Decimal | None]]
) -> tuple[Decimal, list[int]]:
    """Pay expense reports of one employee: (total paid, report keys). A report must be the
    employee's, posted (Submitted or Approved, or partly paid) and still owe at least the amount."""
    total, keys = ZERO, []
    for key, amount in items:
        report = wc.get("EEXPENSES", key)
        if report is None:
            raise ValidationFailed(f"Invalid expense report key '{key}' in eppaymentrequestitem.")
        if report.get("EMPLOYEEID") != employee_id:
            raise ValidationFailed(
                f"Expense report {key} belongs to employee {report.get('EMPLOYEEID')}, not {employee_id}."
            )
        if report.get("STATE") in ("Draft", "Reversed", "Paid"):
            raise ValidationFailed(f"Expense report {key} is {report.get('STATE')} and cannot be reimbursed.")
        due = money(report.get("TOTALDUE"))
        pay = due if amount is None else money(amount)
        if pay <= ZERO:
            raise ValidationFailed(f"The payment amount on expense report {key} must be more than 0.")
        if pay > due:
            raise Overpayment(f"The amount {pay} exceeds the {due} due on expense report {key}.")
        paid = money(report.get("TOTALPAID")) + pay
        entered = money(report.get("TOTALENTERED"))
        touch(
            wc,
            EEXPENSES,
            key,
            {
                "TOTALPAID": paid,
                "TOTALDUE": entered - paid,
                "STATE": "Paid" if paid >= entered else "Partially Paid",
                "WHENPAID": wc.now.date() if paid >= entered else None,
            },
        )
        total += pay
        keys.append(key)
    return total, keys
