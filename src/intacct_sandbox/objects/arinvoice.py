"""ARINVOICE + ARINVOICEITEM (docs/intacct/objects.md §11). Created by the legacy create_invoice only (no
generic create in the May-2025 docs); TOTALPAID/TOTALDUE/STATE move when payments apply."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from intacct_sandbox.objects.base import Lines, ObjectDef, register, text
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
from intacct_sandbox.record_faults import ValidationFailed

#: the contact parts an invoice keeps a copy of, under CONTACT., BILLTO. and SHIPTO. (fyle's read list)
CONTACT_PARTS = (
    "CONTACTNAME",
    "PREFIX",
    "FIRSTNAME",
    "INITIAL",
    "LASTNAME",
    "COMPANYNAME",
    "PRINTAS",
    "PHONE1",
    "PHONE2",
    "CELLPHONE",
    "PAGER",
    "FAX",
    "EMAIL1",
    "EMAIL2",
    "URL1",
    "URL2",
    "MAILADDRESS.ADDRESS1",
    "MAILADDRESS.ADDRESS2",
    "MAILADDRESS.CITY",
    "MAILADDRESS.STATE",
    "MAILADDRESS.ZIP",
    "MAILADDRESS.COUNTRY",
    "MAILADDRESS.COUNTRYCODE",
)
EXTRAS = (
    "CUSTMESSAGEID",
    "CUSTMESSAGE.MESSAGE",
    "DESCRIPTION2",
    "WHENDISCOUNT",
    "EXCH_RATE_DATE",
    "EXCH_RATE_TYPE_ID",
    "EXCHANGE_RATE",
    "BILLTOPAYTOCONTACTNAME",
    "SHIPTORETURNTOCONTACTNAME",
    "SHIPTO.VISIBLE",
    "BILLTO.VISIBLE",
    "SYSTEMGENERATED",
    "DUE_IN_DAYS",
    "SHIPTO.TAXGROUP.NAME",
    "SHIPTO.TAXID",
    "SHIPTO.TAXGROUP.RECORDNO",
    "TAXSOLUTIONID",
    "TAXMETHOD",
    "RETAINAGEPERCENTAGE",
    "TRX_TOTALRETAINED",
    "TRX_TOTALRELEASED",
    "TOTALRETAINED",
    *(f"CONTACT.{p}" for p in CONTACT_PARTS),
    *(f"{who}.{p}" for who in ("BILLTO", "SHIPTO") for p in CONTACT_PARTS if p != "CONTACTNAME"),
)
LINE_EXTRAS = (
    "ACCOUNTKEY",
    "OFFSETACCOUNTKEY",
    "OFFSETGLACCOUNTTITLE",
    "ACCOUNTLABELKEY",
    "ENTRY_DATE",
    "DEPARTMENTNAME",
    "LOCATIONNAME",
    "EXCH_RATE_DATE",
    "EXCH_RATE_TYPE_ID",
    "EXCHANGE_RATE",
    "ALLOCATIONKEY",
    "ALLOCATION",
    "LINEITEM",
    "CURRENCY",
    "BASECURR",
    "TRX_TOTALPAID",
    "TRX_DISCOUNTAPPLIED",
    "TRX_TOTALSELECTED",
    "SUBTOTAL",
    "PARENTENTRY",
    "PAYMENTTAXCAPTURE",
    "DEFERREVENUE",
    "REVRECTEMPLATEKEY",
    "REVRECTEMPLATE",
    "DEFERREDREVACCTKEY",
    "DEFERREDREVACCTNO",
    "DEFERREDREVACCTTITLE",
    "REVRECSTARTDATE",
    "REVRECENDDATE",
    "BASELOCATION",
    "RECORDTYPE",
    "BILLABLECONTRACTSCHENTRYKEY",
    "BILLABLECONTRACTUSAGEBILLINGID",
    "DETAILKEY",
    "RETAINAGEPERCENTAGE",
    "TRX_AMOUNTRETAINED",
    "AMOUNTRETAINED",
    "TRX_AMOUNTRELEASED",
    "RETAINAGE_OFFSETGLACCOUNTNO",
    "PROJECTCONTRACTID",
    "PROJECTCONTRACTKEY",
    "PROJECTCONTRACTLINEID",
    "PROJECTCONTRACTLINEKEY",
    "PROJECTCONTRACTNAME",
    "PROJECTCONTRACTLINENAME",
    "ISRETAINAGERELEASE",
    "ISSUMMARIZED",
    "AMORTIZATIONTEMPLATEKEY",
    "AMORTIZATIONTEMPLATEID",
    "AMORTIZATIONSTARTDATE",
    "AMORTIZATIONENDDATE",
    "ORIGDOCKEY",
    "ORIGDOCLINEKEY",
    "ORIGDOCID",
    "ORIGDOCLINEID",
    "CLASSDIMKEY",
    "CLASSNAME",
    "CUSTOMERDIMKEY",
    "CUSTOMERNAME",
    "VENDORDIMKEY",
    "VENDORNAME",
    "EMPLOYEEDIMKEY",
    "EMPLOYEENAME",
    "ITEMDIMKEY",
    "ITEMNAME",
    "PROJECTDIMKEY",
    "PROJECTNAME",
    "CONTRACTDIMKEY",
    "CONTRACTID",
    "CONTRACTNAME",
)


ARINVOICEITEM = register(
    ObjectDef(
        name="ARINVOICEITEM",
        extras=LINE_EXTRAS,
        label="Invoice Line",
        parent_field="RECORDKEY",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=gl_line_fields(),
        before_write=line_before_write,
    )
)


def _copy_contacts(wc: WriteContext, row: dict[str, Any]) -> None:
    """The invoice keeps the customer's display contact (CONTACT.*) and the bill-to / ship-to contacts
    (a named CONTACT, else the display contact) as they were when it was written."""
    customer = wc.find("CUSTOMER", str(row["CUSTOMERID"])) if row.get("CUSTOMERID") else None
    display = {p: (customer or {}).get(f"DISPLAYCONTACT.{p}") for p in CONTACT_PARTS}
    for p in CONTACT_PARTS:
        row[f"CONTACT.{p}"] = display[p]
    for who in ("BILLTO", "SHIPTO"):
        name = row.get(f"{who}.CONTACTNAME")
        named = wc.find("CONTACT", str(name)) if name else None
        for p in CONTACT_PARTS:
            if p != "CONTACTNAME":
                row[f"{who}.{p}"] = named.get(p) if named is not None else display[p]


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    document_before_write(wc, ARINVOICE, row, old, ("CUSTOMER", "CUSTOMERID", "CUSTOMERNAME"))
    _copy_contacts(wc, row)


def _after(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None = None) -> None:
    refresh_batch(wc, row.get("PRBATCHKEY"))
    if row.get("CUSTOMERID"):
        refresh_party_due(wc, "CUSTOMER", "CUSTOMERID", "ARINVOICE", str(row["CUSTOMERID"]))


def _before_delete(wc: WriteContext, row: dict[str, Any]) -> None:
    if row.get("STATE") in ("Reversed", "Reversal"):
        raise ValidationFailed(f"Invoice {row['RECORDNO']} is {row['STATE']} and cannot be deleted.")
    if money(row.get("TOTALPAID")) > ZERO:
        raise ValidationFailed(
            f"Invoice {row['RECORDNO']} has payments applied and cannot be deleted.",
            correction="Reverse the payments first.",
        )


def apply_payment(wc: WriteContext, invoice: dict[str, Any], amount: Decimal) -> None:
    """Move TOTALPAID/TOTALDUE/STATE/WHENPAID of an invoice by ``amount`` (negative to reverse)."""
    paid = money(invoice.get("TOTALPAID")) + amount
    total = money(invoice.get("TOTALENTERED"))
    changes: dict[str, Any] = {
        "TOTALPAID": paid,
        "TOTALDUE": total - paid,
        "STATE": payment_state(total, paid),
        "WHENPAID": wc.now.date() if paid >= total and total > ZERO else None,
    }
    updated = touch(wc, ARINVOICE, invoice["RECORDNO"], changes)
    remaining = amount
    for line in wc.store.children(wc.company_id, "ARINVOICEITEM", invoice["RECORDNO"]):
        # waterfall over the lines, first line first (A.12)
        open_amount = money(line.get("AMOUNT")) - money(line.get("TOTALPAID"))
        share = (
            min(remaining, open_amount) if remaining > ZERO else max(remaining, -money(line.get("TOTALPAID")))
        )
        if share:
            wc.store.replace(
                wc.company_id,
                "ARINVOICEITEM",
                line["RECORDNO"],
                {**line, "TOTALPAID": money(line.get("TOTALPAID")) + share},
            )
            remaining -= share
    _after(wc, updated)


ARINVOICE = register(
    ObjectDef(
        name="ARINVOICE",
        extras=EXTRAS,
        label="Invoice",
        transaction=True,
        sequence="PRRECORD",
        creatable=False,
        lines=Lines("ARINVOICEITEMS", "ARINVOICEITEM", "ARINVOICEITEM"),
        fields=[
            *document_fields("CUSTOMERID", "CUSTOMER", "CUSTOMERNAME"),
            text("BILLTO.CONTACTNAME"),
            text("SHIPTO.CONTACTNAME"),
            text("MODULEKEY", readonly=True, default="4.AR"),
        ],
        before_write=_before_write,
        after_write=_after,
        before_delete=_before_delete,
        after_delete=_after,
    )
)
