"""CUSTOMER (docs/intacct/objects.md §1). Keys RECORDNO and CUSTOMERID; DISPLAYCONTACT nested on writes and
reads, dotted in readByQuery."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from intacct_sandbox.objects.base import (
    ObjectDef,
    boolean,
    contact_block,
    decimal,
    register,
    restriction_fields,
    status,
    text,
)
from intacct_sandbox.objects.contact import sync_display_contact
from intacct_sandbox.objects.writes import WriteContext, name_of

#: the print-template fields the PHP SDK writes (CustomerCreate full XML)
PRINT_TEMPLATES = ("ARINVOICE", "OEQUOTE", "OEORDER", "OELIST", "OEINVOICE", "OEADJ", "OEOTHER")


def default_contact(row: dict[str, Any], prefix: str, letter: str, id_field: str) -> None:
    """PRINTAS defaults to NAME; an unnamed display contact becomes ``NAME(C<ID>)`` (A.1, A.2)."""
    if row.get(f"{prefix}.PRINTAS") in (None, "") and row.get("NAME"):
        row[f"{prefix}.PRINTAS"] = row["NAME"]
    if row.get(f"{prefix}.CONTACTNAME") in (None, "") and row.get("NAME"):
        row[f"{prefix}.CONTACTNAME"] = f"{row['NAME']}({letter}{row.get(id_field) or ''})"


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    default_contact(row, "DISPLAYCONTACT", "C", "CUSTOMERID")
    row["PARENTKEY"], row["PARENTNAME"] = name_of(wc, "CUSTOMER", row.get("PARENTID"))
    _, row["CUSTREPNAME"] = name_of(wc, "EMPLOYEE", row.get("CUSTREPID"), "CONTACT.PRINTAS")
    if old is None:
        row["TOTALDUE"] = Decimal(0)
    parent = row.get("PARENTID")
    if parent not in (None, "") and parent == row.get("CUSTOMERID"):
        from intacct_sandbox.record_faults import ValidationFailed

        raise ValidationFailed(f"Customer '{parent}' cannot be its own parent.")


CUSTOMER = register(
    ObjectDef(
        name="CUSTOMER",
        extras=("ENTITY", "PARENTKEY", "PARENTNAME", "CUSTREPNAME", "GLGRPKEY"),
        label="Customer",
        id_field="CUSTOMERID",
        fields=[
            text("CUSTOMERID", max_length=20),
            text("NAME", required=True),
            status(),
            boolean("ONETIME", default=False),
            boolean("HIDEDISPLAYCONTACT", default=False),
            text("CUSTTYPE"),
            text("CUSTREPID", ref=("EMPLOYEE", "EMPLOYEEID")),
            text("PARENTID", ref=("CUSTOMER", "CUSTOMERID")),
            text("GLGROUP"),
            text("TERRITORYID"),
            text("TERMNAME"),
            text("OFFSETGLACCOUNTNO", ref=("GLACCOUNT", "ACCOUNTNO")),
            text("ARACCOUNT", ref=("GLACCOUNT", "ACCOUNTNO")),
            text("SHIPPINGMETHOD"),
            text("RESALENO"),
            text("TAXID"),
            decimal("CREDITLIMIT"),
            boolean("ONHOLD", default=False),
            text("DELIVERY_OPTIONS"),
            text("DELIVERYOPTIONS"),
            text("CUSTMESSAGEID"),
            text("SUPDOCID"),
            *(text(f"{kind}PRINTTEMPLATEID") for kind in PRINT_TEMPLATES),
            *restriction_fields(),
            text("COMMENTS"),
            text("CURRENCY"),
            decimal("TOTALDUE", readonly=True),
            *contact_block("DISPLAYCONTACT"),
            text("CONTACTINFO.CONTACTNAME"),
            text("BILLTO.CONTACTNAME"),
            text("SHIPTO.CONTACTNAME"),
        ],
        before_write=_before_write,
        after_write=sync_display_contact,
    )
)
