"""ARINVOICE + ARINVOICEITEM (objects dossier A.11). Created by the legacy create_invoice only (no generic
create in the May-2025 docs); TOTALPAID/TOTALDUE/STATE move when payments apply."""

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
from intacct_sandbox.objects.writes import WriteContext, touch
from intacct_sandbox.record_faults import ValidationFailed

ARINVOICEITEM = register(
    ObjectDef(
        name="ARINVOICEITEM",
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


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    document_before_write(wc, ARINVOICE, row, old, ("CUSTOMER", "CUSTOMERID", "CUSTOMERNAME"))


def _after(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None = None) -> None:
    if row.get("CUSTOMERID"):
        refresh_party_due(wc, "CUSTOMER", "CUSTOMERID", "ARINVOICE", str(row["CUSTOMERID"]))


def _before_delete(wc: WriteContext, row: dict[str, Any]) -> None:
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
