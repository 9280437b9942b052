"""APBILL + APBILLITEM (objects dossier A.9). Key RECORDNO only; WHENCREATED is the transaction date
and AUWHENCREATED the creation stamp. The vendor and each line's GL account must exist and be active."""

from __future__ import annotations

from typing import Any

from intacct_sandbox.objects.base import Lines, ObjectDef, date_, enum, register, text
from intacct_sandbox.objects.documents import (
    document_before_write,
    document_fields,
    gl_line_fields,
    line_before_write,
    refresh_party_due,
)
from intacct_sandbox.objects.writes import WriteContext

APBILLITEM = register(
    ObjectDef(
        name="APBILLITEM",
        label="Bill Line",
        parent_field="RECORDKEY",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=gl_line_fields(),
        before_write=line_before_write,
    )
)


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    document_before_write(wc, APBILL, row, old, ("VENDOR", "VENDORID", "VENDORNAME"))


def _after(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None = None) -> None:
    if row.get("VENDORID"):
        refresh_party_due(wc, "VENDOR", "VENDORID", "APBILL", str(row["VENDORID"]))


APBILL = register(
    ObjectDef(
        name="APBILL",
        extras=("RECORD_URL", "DUE_IN_DAYS"),
        label="Bill",
        transaction=True,
        lines=Lines("APBILLITEMS", "APBILLITEM", "APBILLITEM"),
        fields=[
            *document_fields("VENDORID", "VENDOR", "VENDORNAME"),
            date_("RECPAYMENTDATE"),
            enum("PAYMENTPRIORITY", {v: v for v in ("urgent", "high", "normal", "low")}, default="normal"),
            text("BILLTOPAYTOCONTACTNAME"),
            text("SHIPTORETURNTOCONTACTNAME"),
            text("MODULEKEY", readonly=True, default="3.AP"),
        ],
        before_write=_before_write,
        after_write=_after,
        after_delete=_after,
    )
)
