"""Company-module records the SDKs write beyond the dimensions: attachments (supporting documents,
SUPDOC, in folders, SUPDOCFOLDER), allocations (ALLOCATION with ALLOCATIONENTRY lines), items
(ITEM) and expense types (EEACCOUNTLABEL). Facts: docs/intacct/gl-company-reads.md §2.

A supporting document attaches to a record through that record's SUPDOCID (GLBATCH, expense reports):
the reference must name an existing document, and a document in use cannot be deleted.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from intacct_sandbox.objects.base import (
    Lines,
    ObjectDef,
    boolean,
    decimal,
    enum,
    integer,
    register,
    status,
    text,
)
from intacct_sandbox.objects.writes import WriteContext, lines_of
from intacct_sandbox.record_faults import ValidationFailed


def _folder_before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    parent = row.get("PARENTFOLDERNAME")
    if parent and parent == row.get("NAME"):
        raise ValidationFailed(f"Folder {parent} cannot be its own parent folder.")


SUPDOCFOLDER = register(
    ObjectDef(
        name="SUPDOCFOLDER",
        label="Attachment Folder",
        id_field="NAME",
        fields=[
            text("NAME", max_length=100),
            text("DESCRIPTION"),
            text("PARENTFOLDERNAME", ref=("SUPDOCFOLDER", "NAME")),
        ],
        before_write=_folder_before_write,
    )
)

SUPDOCATTACHMENT = register(
    ObjectDef(
        name="SUPDOCATTACHMENT",
        label="Attachment File",
        parent_field="SUPDOCKEY",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=[
            integer("SUPDOCKEY", readonly=True),
            integer("LINE_NO", readonly=True),
            text("ATTACHMENTNAME", required=True),
            text("ATTACHMENTTYPE"),
            text("ATTACHMENTDATA"),
            integer("SIZE", readonly=True),
        ],
    )
)


def _supdoc_before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    import base64
    import binascii

    if row.get("DOCUMENTNAME") in (None, ""):
        row["DOCUMENTNAME"] = "Unnamed"  # what Intacct names a document sent without a name
    if row.get("FOLDERNAME") in (None, ""):
        raise ValidationFailed(
            "Required field supdocfoldername is missing.", correction="Name the attachment folder."
        )
    for line in lines_of(wc, SUPDOC, row):
        try:
            content = base64.b64decode(str(line.get("ATTACHMENTDATA") or ""), validate=True)
        except (binascii.Error, ValueError):
            raise ValidationFailed(
                f"The data of attachment {line.get('ATTACHMENTNAME')} is not valid base64."
            ) from None
        line["SIZE"] = len(content)
    row["ATTACHMENTCOUNT"] = len(lines_of(wc, SUPDOC, row))


SUPDOC = register(
    ObjectDef(
        name="SUPDOC",
        label="Attachment",
        id_field="SUPDOCID",
        lines=Lines("ATTACHMENTS", "ATTACHMENT", "SUPDOCATTACHMENT", min_lines=0),
        fields=[
            text("SUPDOCID", max_length=20),
            text("DOCUMENTNAME"),
            text("FOLDERNAME", ref=("SUPDOCFOLDER", "NAME")),
            text("DESCRIPTION"),
            integer("ATTACHMENTCOUNT", readonly=True),
        ],
        before_write=_supdoc_before_write,
    )
)

#: the values the SDKs' AbstractAllocation writes
ALLOCATION_TYPES = {"Percentage": "Percentage", "Absolute": "Absolute"}
HUNDRED = Decimal(100)

ALLOCATIONENTRY = register(
    ObjectDef(
        name="ALLOCATIONENTRY",
        label="Allocation Entry",
        parent_field="ALLOCATIONKEY",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=[
            integer("ALLOCATIONKEY", readonly=True),
            text("ALLOCATIONID", readonly=True),
            integer("LINE_NO", readonly=True),
            decimal("VALUE", required=True),
            text("LOCATIONID", ref=("LOCATION", "LOCATIONID")),
            text("DEPARTMENTID", ref=("DEPARTMENT", "DEPARTMENTID")),
            text("PROJECTID", ref=("PROJECT", "PROJECTID")),
            text("CUSTOMERID", ref=("CUSTOMER", "CUSTOMERID")),
            text("VENDORID", ref=("VENDOR", "VENDORID")),
            text("EMPLOYEEID", ref=("EMPLOYEE", "EMPLOYEEID")),
            text("ITEMID", ref=("ITEM", "ITEMID")),
            text("CLASSID", ref=("CLASS", "CLASSID")),
            text("TASKID"),
            text("COSTTYPEID"),
            text("CONTRACTID"),
            text("WAREHOUSEID"),
        ],
    )
)


def _allocation_before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    """A percent allocation's splits add up to 100; every split names at least one dimension."""
    lines = lines_of(wc, ALLOCATION, row)
    for line in lines:
        line["ALLOCATIONID"] = row.get("ALLOCATIONID")
    for number, line in enumerate(lines, start=1):
        if line.get("VALUE") is None or line["VALUE"] <= 0:
            raise ValidationFailed(f"VALUE on allocation line {number} must be more than 0.")
        dims = [k for k in line if k.endswith("ID") and k != "ALLOCATIONID" and line[k] not in (None, "")]
        if not dims:
            raise ValidationFailed(f"Allocation line {number} names no dimension to allocate to.")
    if row.get("TYPE") == "Percentage":
        total = sum((Decimal(line["VALUE"]) for line in lines), Decimal(0))
        if total != HUNDRED:
            raise ValidationFailed(
                f"The percentages of allocation {row.get('ALLOCATIONID')} add up to {total}, not 100.",
                correction="Make the split percentages total 100.",
            )


ALLOCATION = register(
    ObjectDef(
        name="ALLOCATION",
        label="Allocation",
        id_field="ALLOCATIONID",
        lines=Lines("ALLOCATIONENTRIES", "ALLOCATIONENTRY", "ALLOCATIONENTRY"),
        fields=[
            text("ALLOCATIONID", max_length=20),
            enum("TYPE", ALLOCATION_TYPES, default="Percentage"),
            text("DESCRIPTION"),
            text("DOCNUMBER"),
            text("SUPDOCID", ref=("SUPDOC", "SUPDOCID")),
            status(),
        ],
        before_write=_allocation_before_write,
    )
)

ITEM_TYPES = {
    "Inventory": "I",
    "Non-Inventory": "NI",
    "Non-Inventory (Purchase only)": "NP",
    "Non-Inventory (Sales only)": "NS",
    "Kit": "K",
    "Stockable Kit": "SK",
}

ITEM = register(
    ObjectDef(
        name="ITEM",
        extras=("MRR",),
        label="Item",
        id_field="ITEMID",
        entity_owned=False,
        fields=[
            text("ITEMID", max_length=30),
            text("NAME", required=True),
            enum("ITEMTYPE", ITEM_TYPES, default="Non-Inventory"),
            status(),
            text("PRODUCTLINEID"),
            text("COST_METHOD"),
            text("EXTENDED_DESCRIPTION"),
            text("PODESCRIPTION"),
            text("SODESCRIPTION"),
            text("UOMGRP"),
            text("NOTE"),
            decimal("SHIP_WEIGHT"),
            text("GLGROUP"),
            decimal("STANDARD_COST"),
            decimal("BASEPRICE"),
            boolean("TAXABLE", default=False),
            text("TAXGROUP"),
            text("INCOMEACCTKEY", ref=("GLACCOUNT", "ACCOUNTNO")),
            text("EXPENSEACCTKEY", ref=("GLACCOUNT", "ACCOUNTNO")),
            text("INVACCTKEY", ref=("GLACCOUNT", "ACCOUNTNO")),
            text("COGSACCTKEY", ref=("GLACCOUNT", "ACCOUNTNO")),
            text("UPC"),
        ],
    )
)


def _expense_type_before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    account = wc.find("GLACCOUNT", str(row.get("GLACCOUNTNO") or ""))
    row["GLACCOUNTTITLE"] = None if account is None else account.get("TITLE")


EEACCOUNTLABEL = register(
    ObjectDef(
        name="EEACCOUNTLABEL",
        label="Expense Type",
        id_field="ACCOUNTLABEL",
        fields=[
            text("ACCOUNTLABEL", max_length=80),
            text("DESCRIPTION", required=True),
            text("GLACCOUNTNO", required=True, ref=("GLACCOUNT", "ACCOUNTNO")),
            text("GLACCOUNTTITLE", readonly=True),
            text("OFFSETGLACCOUNTNO", ref=("GLACCOUNT", "ACCOUNTNO")),
            text("ITEMID", ref=("ITEM", "ITEMID")),
            status(),
        ],
        before_write=_expense_type_before_write,
    )
)
