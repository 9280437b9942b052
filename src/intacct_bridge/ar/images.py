"""The invoice image: Intacct's own PDF of an invoice (``retrievepdf``, docs/intacct/objects.md §17), cached
in the database and fetched again when the invoice changed in Intacct.

The cache key is the invoice's WHENMODIFIED (kept on its link) plus the hash of its mapped values, so a
payment or an edit in Intacct — both move WHENMODIFIED and the totals — gives a fresh copy on the next
view, while unchanged invoices cost no request. Nothing here runs when the workspace's image setting is
off: the pages and the API answer 404 before any call.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.conf import settings
from django.utils import timezone

import intacct
from intacct import errors
from intacct_bridge.ar.models import ArSettings, Invoice, InvoiceImage
from intacct_bridge.sync.models import Link, LinkState
from intacct_bridge.workspaces.connection import client_for

PDF_MAGIC = b"%PDF-"


class ImageUnavailable(Exception):
    """``code``: off (the setting is off), unlinked, intacct (Intacct refused; message has its words)."""
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def enabled(invoice: Invoice) -> bool:
    return ArSettings.of(invoice.workspace).use_intacct_image


def _link(invoice: Invoice) -> Link:
    link = Link.objects.filter(
        workspace=invoice.workspace, family="invoices", local_id=invoice.pk, state=LinkState.LINKED
    ).first()
    if link is None:
        raise ImageUnavailable("unlinked", "This invoice is no longer linked to Sage Intacct.")
    return link


def version_of(link: Link) -> str:
    return f"{link.remote_modified}|{link.last_seen_hash}"


def cached(invoice: Invoice) -> InvoiceImage | None:
    """The stored copy if it still matches the invoice as last synced, else None."""
    image = InvoiceImage.objects.filter(invoice=invoice).first()
    if image is None:
        return None
    try:
        link = _link(invoice)
    except ImageUnavailable:
        return None
    return image if image.source_version == version_of(link) else None


def pdf_for(invoice: Invoice, client: Any = None) -> bytes:
    """The invoice's PDF: the cached copy, or a fresh one from Intacct (then cached)."""
    if not enabled(invoice):
        raise ImageUnavailable("off", "The Intacct invoice image is turned off for this workspace.")
    link = _link(invoice)
    version = version_of(link)
    image = InvoiceImage.objects.filter(invoice=invoice).first()
    if image is not None and image.source_version == version:
        return bytes(image.pdf)
    pdf = fetch(invoice.workspace, link.recordno, client, entity=link.entity)
    InvoiceImage.objects.update_or_create(
        invoice=invoice, defaults={"source_version": version, "pdf": pdf, "fetched_at": timezone.now()}
    )
    return pdf


def _client_in(workspace: Any, entity: str) -> Any:
    """The workspace's client, signed in to ``entity`` when the invoice belongs to an entity and the
    connection is at the top level: Intacct gives an entity's invoice PDF only inside that entity
    (a top-level user may enter any entity it has access to)."""
    import dataclasses


    client = client_for(workspace)
    if entity and not client.credentials.entity_id:
        inside = intacct.Client(
            dataclasses.replace(client.credentials, entity_id=entity),
            endpoint=client.endpoint,
            timeout=settings.INTACCT_TIMEOUT,
            allowed_endpoints=client.allowed_endpoints,
        )
        client.close()
        return inside
    return client


def fetch(workspace: Any, recordno: int, client: Any = None, entity: str = "") -> bytes:
    """One retrievepdf call for an ARINVOICE RECORDNO; the PDF bytes (checked to be a PDF)."""
    own = client is None
    if own:
        client = _client_in(workspace, entity)
    try:
        result = client.call("retrievepdf", {"ARINVOICE": {"RECORDNO": str(recordno)}})
    except errors.IntacctError as exc:
        parts = [str(getattr(exc, "errorno", "") or ""), getattr(exc, "description", "") or str(exc)]
        correction = getattr(exc, "correction", "") or ""
        raise ImageUnavailable(
            "intacct",
            f"Intacct could not give the invoice PDF: {' '.join(p for p in parts if p)} {correction}".strip(),
        ) from exc
    finally:
        if own:
            client.close()
    record = result.record or {}
    data = record.get("pdfdata") or record.get("PDFDATA") or ""
    try:
        pdf = base64.b64decode(str(data), validate=True)
    except (binascii.Error, ValueError):
        raise ImageUnavailable("intacct", "Intacct's answer held no readable PDF.") from None
    if not pdf.startswith(PDF_MAGIC):
        raise ImageUnavailable("intacct", "Intacct's answer held no readable PDF.")
    return pdf
