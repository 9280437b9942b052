"""PROJECT (docs/intacct/objects.md §14): PROJECTID, NAME and PROJECTCATEGORY required."""

from __future__ import annotations

from typing import Any

from intacct_sandbox.objects.base import ObjectDef, date_, decimal, enum, integer, register, status, text
from intacct_sandbox.objects.department import check_hierarchy
from intacct_sandbox.objects.writes import WriteContext

#: the category list is not in the May-2025 docs; these are Intacct's usual four (UNSURE, A.14)
CATEGORIES = ("Contract", "Capitalized", "Internal Billable", "Internal Non-billable")


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    check_hierarchy(wc, "PROJECT", "PROJECTID", row)
    customer = wc.find("CUSTOMER", str(row["CUSTOMERID"])) if row.get("CUSTOMERID") else None
    row["CUSTOMERNAME"] = None if customer is None else customer.get("NAME")


PROJECT = register(
    ObjectDef(
        name="PROJECT",
        extras=("PARENTNAME", "CUSTOMERKEY", "DEPARTMENTNAME", "LOCATIONNAME", "BUDGETID"),
        label="Project",
        id_field="PROJECTID",
        fields=[
            text("PROJECTID", max_length=20),
            text("NAME", required=True),
            enum("PROJECTCATEGORY", {c: c for c in CATEGORIES}, required=True),
            text("DESCRIPTION"),
            text("PROJECTTYPE"),
            text("PROJECTSTATUS"),
            status(),
            text("CUSTOMERID", ref=("CUSTOMER", "CUSTOMERID")),
            text("CUSTOMERNAME", readonly=True),
            text("MANAGERID", ref=("EMPLOYEE", "EMPLOYEEID")),
            text("PARENTID", ref=("PROJECT", "PROJECTID")),
            integer("PARENTKEY", readonly=True),
            date_("BEGINDATE"),
            date_("ENDDATE"),
            text("DEPARTMENTID", ref=("DEPARTMENT", "DEPARTMENTID")),
            text("LOCATIONID", ref=("LOCATION", "LOCATIONID")),
            text("CLASSID"),
            text("CURRENCY"),
            text("BILLINGTYPE"),
            text("TERMNAME"),
            decimal("BUDGETAMOUNT"),
            decimal("CONTRACTAMOUNT"),
        ],
        before_write=_before_write,
    )
)
