"""The invoice image: Intacct's PDF (retrievepdf) shown and downloaded, cached until the invoice changes
in Intacct, and never fetched while the setting is off."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ar_support import configure, open_invoice, sync

from intacct_bridge.ar.models import InvoiceImage
from intacct_bridge.sync.models import Link

pytestmark = pytest.mark.django_db


def pdf_calls(sandbox: Any) -> int:
    return int(sandbox.control.stats()["functions"].get("retrievepdf", 0))


def test_the_image_is_never_fetched_while_the_setting_is_off(
    ar_ws: Any, owner: Any, signed_in: Any, api_client: Any, intacct_sandbox: Any
) -> None:
    invoice = open_invoice(ar_ws)
    client = signed_in(owner)
    detail = client.get(f"/w/{ar_ws.slug}/invoices/{invoice.pk}/").content.decode()
    assert 'id="invoice-image"' not in detail
    assert client.get(f"/w/{ar_ws.slug}/invoices/{invoice.pk}/image.pdf").status_code == 404
    response = api_client(ar_ws).get(f"/api/v1/workspaces/{ar_ws.slug}/invoices/{invoice.pk}/image")
    assert response.status_code == 404 and "turned off" in response.json()["error"]["message"]
    assert pdf_calls(intacct_sandbox) == 0 and not InvoiceImage.objects.exists()


def test_image_round_trip_cached_and_refreshed_when_the_invoice_changes(
    ar_ws: Any, owner: Any, signed_in: Any, api_client: Any, intacct_sandbox: Any, company: str
) -> None:
    configure(ar_ws, use_intacct_image=True)
    invoice = open_invoice(ar_ws)
    client = signed_in(owner)
    detail = client.get(f"/w/{ar_ws.slug}/invoices/{invoice.pk}/").content.decode()
    assert 'id="invoice-image"' in detail and 'id="image-download"' in detail
    shown = client.get(f"/w/{ar_ws.slug}/invoices/{invoice.pk}/image.pdf")
    assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"].startswith("inline")
    pdf = shown.content
    assert pdf.startswith(b"%PDF-") and invoice.number.encode() in pdf
    assert f"Due: {invoice.amount_due}".encode() in pdf
    assert pdf_calls(intacct_sandbox) == 1
    # the API download is the same copy, from the cache
    download = api_client(ar_ws).get(f"/api/v1/workspaces/{ar_ws.slug}/invoices/{invoice.pk}/image")
    assert download.status_code == 200 and download.content == pdf
    assert download["Content-Disposition"].startswith("attachment")
    assert pdf_calls(intacct_sandbox) == 1
    # paid in part in Intacct: the next view after the sync shows Intacct's new copy
    recordno = Link.objects.get(family="invoices", local_id=invoice.pk).recordno
    intacct_sandbox.control.pay_invoice(company, recordno, "3.00")
    sync(ar_ws, "invoices")
    fresh = client.get(f"/w/{ar_ws.slug}/invoices/{invoice.pk}/image.pdf?download=1")
    assert fresh["Content-Disposition"].startswith("attachment")
    assert f"Due: {invoice.amount_due - Decimal('3.00')}".encode() in fresh.content
    assert pdf_calls(intacct_sandbox) == 2
    assert InvoiceImage.objects.filter(invoice=invoice).count() == 1


def test_an_image_intacct_cannot_give_is_explained(
    ar_ws: Any, owner: Any, signed_in: Any, api_client: Any, intacct_sandbox: Any, company: str
) -> None:
    configure(ar_ws, use_intacct_image=True)
    invoice = open_invoice(ar_ws)
    recordno = Link.objects.get(family="invoices", local_id=invoice.pk).recordno
    intacct_sandbox.control.delete_record(company, "ARINVOICE", recordno)
    page = signed_in(owner).get(f"/w/{ar_ws.slug}/invoices/{invoice.pk}/image.pdf")
    assert page.status_code == 502 and "Intacct could not give the invoice PDF" in page.content.decode()
    api = api_client(ar_ws).get(f"/api/v1/workspaces/{ar_ws.slug}/invoices/{invoice.pk}/image")
    assert api.status_code == 502 and api.json()["error"]["code"] == "image_intacct"


def test_an_entity_invoice_image_is_fetched_inside_its_entity(
    ar_ws: Any, owner: Any, signed_in: Any, intacct_sandbox: Any
) -> None:
    """A top-level connection sees E200's invoices but Intacct prints one only inside E200."""
    from intacct_bridge.ar.models import Invoice

    configure(ar_ws, use_intacct_image=True)
    link = Link.objects.filter(workspace=ar_ws, family="invoices", entity="E200").first()
    assert link is not None
    invoice = Invoice.objects.get(pk=link.local_id)
    response = signed_in(owner).get(f"/w/{ar_ws.slug}/invoices/{invoice.pk}/image.pdf")
    assert response.status_code == 200 and invoice.number.encode() in response.content
