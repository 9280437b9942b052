"""VENDOR (docs/intacct/objects.md §2). Keys RECORDNO and VENDORID."""

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
from intacct_sandbox.objects.customer import default_contact
from intacct_sandbox.objects.writes import WriteContext, name_of


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    default_contact(row, "DISPLAYCONTACT", "V", "VENDORID")
    row["PARENTKEY"], row["PARENTNAME"] = name_of(wc, "VENDOR", row.get("PARENTID"))
    _, row["APACCOUNTTITLE"] = name_of(wc, "GLACCOUNT", row.get("APACCOUNT"), "TITLE")
    if old is None:
        row["TOTALDUE"] = Decimal(0)


VENDOR = register(
    ObjectDef(
        name="VENDOR",
        extras=("PARENTKEY", "PARENTNAME", "ACCOUNTLABEL", "APACCOUNTTITLE"),
        label="Vendor",
        id_field="VENDORID",
        fields=[
            text("VENDORID", max_length=20),
            text("NAME", required=True),
            status(),
            boolean("ONETIME", default=False),
            boolean("HIDEDISPLAYCONTACT", default=False),
            text("VENDTYPE"),
            text("PARENTID", ref=("VENDOR", "VENDORID")),
            text("GLGROUP"),
            text("TAXID"),
            text("NAME1099"),
            text("FORM1099TYPE"),
            text("FORM1099BOX"),
            text("APACCOUNT", ref=("GLACCOUNT", "ACCOUNTNO")),
            text("OFFSETGLACCOUNTNO", ref=("GLACCOUNT", "ACCOUNTNO")),
            decimal("CREDITLIMIT"),
            boolean("ONHOLD", default=False),
            boolean("DONOTCUTCHECK", default=False),
            text("COMMENTS"),
            text("CURRENCY"),
            text("PAYMETHODKEY"),
            text("TERMNAME"),
            text("VENDORACCOUNTNO"),
            text("PAYMENTPRIORITY"),
            decimal("TOTALDUE", readonly=True),
            text("SUPDOCID"),
            boolean("MERGEPAYMENTREQ", default=False),
            boolean("PAYMENTNOTIFY", default=False),
            text("BILLINGTYPE"),
            boolean("DISPLAYTERMDISCOUNT", default=False),
            boolean("ACHENABLED", default=False),
            text("ACHBANKROUTINGNUMBER"),
            text("ACHACCOUNTNUMBER"),
            text("ACHACCOUNTTYPE"),
            text("ACHREMITTANCETYPE"),
            boolean("DISPLAYACCTNOCHECK", default=False),
            *restriction_fields(),
            *contact_block("DISPLAYCONTACT"),
            text("CONTACTINFO.CONTACTNAME"),
            text("PAYTO.CONTACTNAME"),
            text("RETURNTO.CONTACTNAME"),
        ],
        before_write=_before_write,
        after_write=sync_display_contact,
    )
)
