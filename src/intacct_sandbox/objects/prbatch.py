"""PRBATCH: the AP/AR summaries ("batches") that bills, invoices, adjustments and payments are posted in
(docs/intacct/payables-receivables.md §2).

A summary has a kind (which documents it holds), a title and a GL posting date. A document sent with
``<batchkey>`` (or PRBATCHKEY / PRBATCH on generic writes) must name an open summary of its own kind; it
joins the summary and posts to the GL on the summary's date, and the summary's TOTAL follows its
documents.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from intacct_sandbox.objects.base import ObjectDef, date_, decimal, enum, get_object, integer, register, text
from intacct_sandbox.objects.writes import WriteContext, check_open_period
from intacct_sandbox.record_faults import ValidationFailed

#: summary kind -> (the document object it holds, label in errors)
KINDS: dict[str, tuple[str, str]] = {
    "apbill": ("APBILL", "bill"),
    "apadjustment": ("APADJUSTMENT", "AP adjustment"),
    "appayment": ("APPYMT", "AP payment"),
    "arinvoice": ("ARINVOICE", "invoice"),
    "aradjustment": ("ARADJUSTMENT", "AR adjustment"),
    "arpayment": ("ARPYMT", "AR payment"),
}
KIND_OF_OBJECT = {obj: kind for kind, (obj, _) in KINDS.items()}
#: advances are received like payments: they go into AR payment summaries
KIND_OF_OBJECT["ARADVANCE"] = "arpayment"

PRBATCH = register(
    ObjectDef(
        name="PRBATCH",
        label="Summary",
        fields=[
            text("TITLE", required=True),
            date_("CREATED", required=True),
            enum("RECORDTYPE", {k: k for k in KINDS}, required=True),
            enum("OPEN", {"Open": "T", "Closed": "F"}, default="Open"),
            decimal("TOTAL", readonly=True, default=Decimal(0)),
            integer("DOCUMENTS", readonly=True, default=0),
        ],
        creatable=False,
        updatable=False,
        deletable=False,
    )
)


def place_in_batch(wc: WriteContext, obj: str, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    """Resolve the document's summary (PRBATCHKEY, or PRBATCH holding a key or a title) and post the
    document on the summary's date. A document never changes summary once written."""
    if old is not None and old.get("PRBATCHKEY") is not None:
        row["PRBATCHKEY"], row["PRBATCH"] = old["PRBATCHKEY"], old.get("PRBATCH")
        return
    wanted = row.get("PRBATCHKEY") if row.get("PRBATCHKEY") not in (None, "") else row.get("PRBATCH")
    if wanted in (None, ""):
        return
    text_key = str(wanted).strip()
    batch = wc.get("PRBATCH", int(text_key)) if text_key.isdigit() else None
    if batch is None:
        batch = next((b for b in wc.store.scan(wc.company_id, "PRBATCH") if b.get("TITLE") == text_key), None)
    kind = KIND_OF_OBJECT[obj]
    label = "AR advance" if obj == "ARADVANCE" else KINDS[kind][1]
    if batch is None:
        raise ValidationFailed(
            f"Invalid summary '{text_key}' specified: no {label} summary has that key.",
            correction=f"Create the summary first (create_{_legacy_name(kind)}), then send its key.",
        )
    if batch.get("RECORDTYPE") != kind:
        raise ValidationFailed(
            f"Summary {batch['RECORDNO']} holds {KINDS[str(batch['RECORDTYPE'])][1]}s, not {label}s.",
            correction=f"Send the key of a {label} summary.",
        )
    if batch.get("OPEN") != "Open":
        raise ValidationFailed(
            f"Summary {batch['RECORDNO']} ({batch.get('TITLE')}) is closed: no {label} can be added to it.",
            correction="Open the summary or use another one.",
        )
    check_open_period(wc, batch.get("CREATED"), "summary date")
    row["PRBATCHKEY"] = batch["RECORDNO"]
    row["PRBATCH"] = batch.get("TITLE")
    definition = get_object(obj)
    if definition is not None and "WHENPOSTED" in definition.by_name:
        row["WHENPOSTED"] = batch.get("CREATED")


def refresh_batch(wc: WriteContext, key: Any) -> None:
    """TOTAL and DOCUMENTS of a summary = the documents in it (a computed value: no audit event)."""
    if key in (None, ""):
        return
    batch = wc.store.get(wc.company_id, "PRBATCH", int(key))
    if batch is None:
        return
    kind = str(batch["RECORDTYPE"])
    docs = [
        d
        for obj, its_kind in KIND_OF_OBJECT.items()
        if its_kind == kind
        for d in wc.store.scan(wc.company_id, obj)
        if d.get("PRBATCHKEY") == batch["RECORDNO"]
    ]
    total = sum((Decimal(d.get("TOTALENTERED") or 0) for d in docs), Decimal(0))
    wc.store.replace(
        wc.company_id, "PRBATCH", batch["RECORDNO"], {**batch, "TOTAL": total, "DOCUMENTS": len(docs)}
    )


def _legacy_name(kind: str) -> str:
    return {
        "apbill": "billbatch",
        "arinvoice": "invoicebatch",
        "arpayment": "arpaymentbatch",
        "apadjustment": "apadjustmentbatch",
        "aradjustment": "aradjustmentbatch",
        "appayment": "appaymentbatch",
    }[kind]
