"""Invoices ← ARINVOICE + ARINVOICEITEM: every invoice with its lines, states and amounts as Intacct has
them, the customer through the Clients links, hourly schedule, pages and API (scoped to the workspace)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from ar_support import AR_FAMILIES, configure, open_invoice, sync
from django.utils import timezone

from intacct_bridge.ar.families import INVOICES
from intacct_bridge.ar.models import Invoice, InvoiceLine
from intacct_bridge.jobs import tasks
from intacct_bridge.records.models import Client
from intacct_bridge.sync.models import Link, Run, Trigger
from intacct_bridge.sync.spec import Schedule

pytestmark = pytest.mark.django_db

STATES = {"Posted": "open", "Partially Paid": "partially_paid", "Paid": "paid"}


def test_every_invoice_is_pulled_with_its_lines_amounts_and_state(ar_ws: Any, remote: Any) -> None:
    invoices = {int(r["RECORDNO"]): r for r in remote("ARINVOICE")}
    links = {ln.recordno: ln.local_id for ln in Link.objects.filter(workspace=ar_ws, family="invoices")}
    assert set(links) == set(invoices)
    lines_by_header: dict[int, list[dict[str, Any]]] = {}
    for line in remote("ARINVOICEITEM"):
        lines_by_header.setdefault(int(line["RECORDKEY"]), []).append(line)
    for recordno, record in invoices.items():
        local = Invoice.objects.get(pk=links[recordno])
        assert local.number == record["RECORDID"]
        assert local.customer_id == record["CUSTOMERID"] and local.customer_name == record["CUSTOMERNAME"]
        assert local.total == Decimal(record["TOTALENTERED"]).quantize(Decimal("0.01"))
        assert local.amount_paid == Decimal(record["TOTALPAID"]).quantize(Decimal("0.01"))
        assert local.amount_due == Decimal(record["TOTALDUE"]).quantize(Decimal("0.01"))
        assert local.state == STATES[record["STATE"]]
        assert local.currency == "USD"
        assert local.due_date is not None and local.date is not None
        mine = list(local.lines.order_by("line_no"))
        assert sorted(ln.recordno for ln in mine) == sorted(
            int(r["RECORDNO"]) for r in lines_by_header[recordno]
        )
        assert sum((ln.amount for ln in mine), Decimal(0)) == local.total


def test_customers_come_with_their_invoices_as_linked_clients(ws: Any, remote: Any) -> None:
    # only when the workspace brings in referenced records (otherwise the admin's choice is the
    # rule and the invoice keeps its customer by ID: tests/bridge/sync/test_admins_choice.py)
    ws.families, ws.bring_in_references = AR_FAMILIES, True
    ws.save(update_fields=["families", "bring_in_references"])
    sync(ws, "accounts")
    configure(ws)
    sync(ws, "invoices")
    ar_ws = ws
    customers = {r["CUSTOMERID"] for r in remote("ARINVOICE")}
    client_links = dict(
        Link.objects.filter(workspace=ar_ws, family="clients").values_list("business_id", "local_id")
    )
    assert customers <= set(client_links)
    for invoice in Invoice.objects.filter(workspace=ar_ws):
        assert invoice.client_id == client_links[invoice.customer_id]
        assert Client.objects.get(pk=invoice.client_id).name == invoice.customer_name


def test_an_already_linked_client_is_reused_not_duplicated(ws: Any, remote: Any) -> None:
    from intacct_bridge.sync import service

    customer = remote("ARINVOICE")[0]["CUSTOMERID"]
    recordno = next(int(c["RECORDNO"]) for c in remote("CUSTOMER") if c["CUSTOMERID"] == customer)
    ws.families = AR_FAMILIES
    ws.save()
    service.import_records(ws, "clients", [recordno])
    mine = Link.objects.get(workspace=ws, family="clients", recordno=recordno).local_id
    sync(ws, "invoices")
    assert set(
        Invoice.objects.filter(workspace=ws, customer_id=customer).values_list("client_id", flat=True)
    ) == {mine}
    assert Link.objects.filter(workspace=ws, family="clients", business_id=customer).count() == 1


def test_a_payment_received_in_intacct_reaches_the_invoice_at_the_next_sync(
    ar_ws: Any, intacct_sandbox: Any, company: str
) -> None:
    invoice = open_invoice(ar_ws)
    recordno = Link.objects.get(workspace=ar_ws, family="invoices", local_id=invoice.pk).recordno
    part = (invoice.amount_due / 2).quantize(Decimal("0.01"))
    intacct_sandbox.control.pay_invoice(company, recordno, str(part))
    sync(ar_ws, "invoices")
    invoice.refresh_from_db()
    assert invoice.state == "partially_paid" and invoice.amount_paid == part
    assert sum((ln.amount_paid for ln in invoice.lines.all()), Decimal(0)) == part
    intacct_sandbox.control.pay_invoice(company, recordno, str(invoice.amount_due))
    sync(ar_ws, "invoices")
    invoice.refresh_from_db()
    assert invoice.state == "paid" and invoice.amount_due == 0 and invoice.paid_on is not None


def test_invoice_lines_keep_their_rows_when_nothing_changed(ar_ws: Any) -> None:
    before = dict(InvoiceLine.objects.filter(invoice__workspace=ar_ws).values_list("recordno", "pk"))
    run = sync(ar_ws, "invoices")
    assert run.updated == 0 and run.created == 0
    assert dict(InvoiceLine.objects.filter(invoice__workspace=ar_ws).values_list("recordno", "pk")) == before


def test_invoices_sync_hourly_even_when_the_workspace_syncs_daily(
    ar_ws: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert INVOICES.spec.schedule == Schedule.HOURLY
    row = tasks.schedule_for(ar_ws)
    assert row.frequency == "daily"
    # five past an hour: hourly slots are on the hour
    now = (timezone.now() + timedelta(hours=1)).replace(minute=5, second=0, microsecond=0)
    queued = tasks.dispatch_due(now)
    hourly = [r for r in queued if r.family == "invoices"]
    assert len(hourly) == 1 and hourly[0].trigger == Trigger.SCHEDULE
    assert Run.objects.get(pk=hourly[0].pk).status in ("succeeded", "partial")
    # not again within the hour, again after it
    assert [r for r in tasks.dispatch_due(now + timedelta(minutes=20)) if r.family == "invoices"] == []
    assert [r.family for r in tasks.dispatch_due(now + timedelta(hours=1))].count("invoices") == 1


def test_invoice_pages_list_filter_and_detail(ar_ws: Any, owner: Any, signed_in: Any) -> None:
    client = signed_in(owner)
    page = client.get(f"/w/{ar_ws.slug}/invoices/")
    assert page.status_code == 200
    paid = Invoice.objects.filter(workspace=ar_ws, state="paid").first()
    unpaid = Invoice.objects.filter(workspace=ar_ws, state="open").first()
    assert paid is not None and unpaid is not None
    filtered = client.get(f"/w/{ar_ws.slug}/invoices/?state=paid").content.decode()
    assert f'data-id="{paid.pk}"' in filtered and f'data-id="{unpaid.pk}"' not in filtered
    detail = client.get(f"/w/{ar_ws.slug}/invoices/{unpaid.pk}/").content.decode()
    for line in unpaid.lines.all():
        assert line.description in detail
    assert 'id="pay-form"' in detail and "Open" in detail


def test_invoices_api_lists_and_details(ar_ws: Any, api_client: Any) -> None:
    api = api_client(ar_ws)
    body = api.get(f"/api/v1/workspaces/{ar_ws.slug}/invoices?state=unpaid&per_page=500").json()
    expected = Invoice.objects.filter(workspace=ar_ws, state__in=["open", "partially_paid"]).count()
    assert body["count"] == expected == len(body["results"])
    one = body["results"][0]
    detail = api.get(f"/api/v1/workspaces/{ar_ws.slug}/invoices/{one['id']}").json()
    assert detail["amount_due"] == one["amount_due"] and detail["lines"]
    assert detail["intacct_recordno"] == Link.objects.get(family="invoices", local_id=one["id"]).recordno
    bad = api.get(f"/api/v1/workspaces/{ar_ws.slug}/invoices?state=bogus")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"


def test_another_workspace_never_sees_these_invoices(
    ar_ws: Any, outsider: Any, other_workspace: Any, signed_in: Any, api_client: Any
) -> None:
    invoice = Invoice.objects.filter(workspace=ar_ws).first()
    assert invoice is not None
    client = signed_in(outsider)
    assert client.get(f"/w/{ar_ws.slug}/invoices/").status_code == 404
    assert client.get(f"/w/{other_workspace.slug}/invoices/{invoice.pk}/").status_code == 404
    theirs = api_client(other_workspace)
    assert theirs.get(f"/api/v1/workspaces/{ar_ws.slug}/invoices").status_code == 404
    assert theirs.get(f"/api/v1/workspaces/{other_workspace.slug}/invoices/{invoice.pk}").status_code == 404
    assert theirs.get(f"/api/v1/workspaces/{other_workspace.slug}/invoices").json()["count"] == 0


def test_signed_out_visitors_are_sent_to_sign_in(ar_ws: Any, client: Any) -> None:
    for path in ("invoices/", "payments/", "billing/accounting/"):
        response = client.get(f"/w/{ar_ws.slug}/{path}")
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(f"/api/v1/workspaces/{ar_ws.slug}/invoices").status_code == 401


def test_a_new_invoice_dated_in_the_past_arrives_with_the_next_sync(ar_ws: Any, remote: Any) -> None:
    """ARINVOICE.WHENCREATED is the invoice date; a new invoice is found by AUWHENCREATED (its WHENMODIFIED
    stays empty until it is edited), so backdated invoices are not missed."""
    from intacct_bridge.workspaces.connection import client_for

    existing = Invoice.objects.filter(workspace=ar_ws).order_by("date").first()
    assert existing is not None and existing.date is not None
    with client_for(ar_ws) as intacct:
        intacct.call(
            "create_invoice",
            {
                "customerid": existing.customer_id,
                "datecreated": existing.date - timedelta(days=30),
                "datedue": existing.date,
                "invoiceno": "INV-BACKDATED",
                "invoiceitems": {
                    "lineitem": [{"glaccountno": "4000", "amount": "75.50", "memo": "Late entry"}]
                },
            },
        )
    [stored] = [r for r in remote("ARINVOICE") if r["RECORDID"] == "INV-BACKDATED"]
    assert not stored["WHENMODIFIED"]
    sync(ar_ws, "invoices")
    new = Invoice.objects.get(workspace=ar_ws, number="INV-BACKDATED")
    assert new.total == Decimal("75.50") and new.state == "open"
    assert [ln.description for ln in new.lines.all()] == ["Late entry"]
