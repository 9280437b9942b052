"""Project invoices: *Export to Sage Intacct* creates one ARINVOICE (create_invoice) once, a lost
answer is read back instead of sent again, and the payment status comes back every hour."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from time_support import linked

from intacct_bridge.jobs import tasks
from intacct_bridge.psa.models import Project
from intacct_bridge.records.models import Account, Client
from intacct_bridge.sync.models import Event, Link, LinkState, PendingPush, RunIssue
from intacct_bridge.timesheets import invoicing
from intacct_bridge.timesheets.models import InvoiceExportState, ProjectInvoice

pytestmark = pytest.mark.django_db


def _billable_project(ws: Any) -> Project:
    clients = set(
        Link.objects.filter(workspace=ws, family="clients", state=LinkState.LINKED).values_list(
            "local_id", flat=True
        )
    )
    for project in Project.objects.filter(workspace=ws, client__isnull=False).order_by("pk"):
        if project.client_id in clients and linked(ws, "projects", project):
            return project
    raise AssertionError("no linked project with a linked client")


def _revenue(ws: Any, intacct_sandbox: Any) -> Account:
    return Account.objects.get(workspace=ws, number=intacct_sandbox.credentials["gl_accounts"]["revenue"])


def _invoice(ws: Any, number: str = "PI-1001", key: str = "") -> ProjectInvoice:
    project = _billable_project(ws)
    invoice, _created = invoicing.create_invoice(
        ws,
        {
            "project": project.pk,
            "number": number,
            "date": timezone.localdate().isoformat(),
            "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "description": "Design phase",
            "lines": [
                {"description": "Workshops", "amount": "1200.00"},
                {"description": "Prototype", "amount": "800.50"},
            ],
        },
        key=key,
    )
    return invoice


def _in_intacct(remote: Any, invoice: ProjectInvoice) -> list[dict[str, Any]]:
    return [r for r in remote("ARINVOICE") if r.get("EXTERNALID") == f"IBPI{invoice.pk}"]


def test_export_creates_one_arinvoice_and_the_hourly_pull_brings_the_payment_status(
    time_ws: Any, remote: Any, intacct_sandbox: Any, company: str, run_commits: Any
) -> None:
    ws = time_ws
    invoice = _invoice(ws)
    assert invoice.total == Decimal("2000.50") and invoice.client is not None
    before = len(remote("ARINVOICE"))
    with run_commits():
        invoice = invoicing.request_export(
            invoice, client=invoice.client, account=_revenue(ws, intacct_sandbox), location="E100", by="alice"
        )
    invoice.refresh_from_db()
    assert invoice.export_state == InvoiceExportState.EXPORTED, [
        (i.errorno, i.text) for i in RunIssue.objects.filter(run__workspace=ws)
    ]
    (created,) = _in_intacct(remote, invoice)
    assert len(remote("ARINVOICE")) == before + 1
    assert created["RECORDID"] == "PI-1001"
    assert created["CUSTOMERID"] == linked(ws, "clients", invoice.client).business_id
    assert Decimal(created["TOTALENTERED"]) == Decimal("2000.50")
    lines = created["ARINVOICEITEMS"]["ARINVOICEITEM"]
    assert {line["ACCOUNTNO"] for line in lines} == {"4000"}
    assert {line["LOCATIONID"] for line in lines} == {"E100"}
    assert {line["PROJECTID"] for line in lines} == {invoice.project.project_id}
    assert invoice.intacct_state == "Posted" and invoice.payment_status == "Unpaid"
    assert invoice.amount_due == Decimal("2000.50")
    # asking again answers with the exported invoice; nothing is sent
    with run_commits():
        again = invoicing.request_export(invoice, client=invoice.client, account=None, by="alice")
    assert again.pk == invoice.pk and len(_in_intacct(remote, invoice)) == 1

    # a payment received in Intacct: the next hourly run of the family brings the status back
    intacct_sandbox.control.pay_invoice(company, int(created["RECORDNO"]), "500.50")
    tasks.schedule_for(ws)
    now = timezone.now()
    runs = tasks.dispatch_due(now)
    assert [r.family for r in runs] == ["project-invoices"]
    invoice.refresh_from_db()
    assert invoice.intacct_state == "Partially Paid"
    assert (invoice.amount_paid, invoice.amount_due) == (Decimal("500.50"), Decimal("1500.00"))
    assert invoice.payment_status == "Partially paid"
    (event,) = Event.objects.filter(workspace=ws, kind="project_invoice.payment_status_changed")
    assert event.payload["status"] == "Partially paid" and event.payload["amount_due"] == "1500.00"
    # the rest on Synchronize
    intacct_sandbox.control.pay_invoice(company, int(created["RECORDNO"]), "1500.00")
    with run_commits():
        invoicing.synchronize(invoice, by="alice")
    invoice.refresh_from_db()
    assert invoice.payment_status == "Paid" and invoice.amount_due == 0 and invoice.paid_on is not None
    paid = Event.objects.filter(workspace=ws, kind="project_invoice.payment_status_changed")
    assert [e.payload["status"] for e in paid] == ["Partially paid", "Paid"]
    assert Event.objects.filter(workspace=ws, kind="project_invoice.exported").count() == 1


def test_a_lost_answer_is_read_back_not_sent_twice(
    time_ws: Any, remote: Any, intacct_sandbox: Any, company: str
) -> None:
    ws = time_ws
    invoice = _invoice(ws, "PI-2002")
    from intacct_bridge.sync import service
    from intacct_bridge.workspaces.connection import client_for

    # the export is asked for; the run that sends it loses Intacct's answer after the commit
    invoice = invoicing.request_export(
        invoice, client=invoice.client, account=_revenue(ws, intacct_sandbox), location="E100", by="alice"
    )
    # seed 10 at rate 0.5: the sign-in goes through, the create_invoice request's answer is lost
    intacct_sandbox.control.fault("reset-after-commit", rate=0.5, seed=10, company_id=company)
    first = service.sync_now(ws, "project-invoices", client_factory=lambda w: client_for(w, max_retries=0))
    intacct_sandbox.control.clear_faults()
    assert first.status == "failed"
    assert len(_in_intacct(remote, invoice)) == 1  # written, though the answer was lost
    run = service.sync_now(ws, "project-invoices")
    assert run.status == "succeeded", run.message
    invoicing.settle_exports(ws)  # what the pages and the API do before showing invoices
    invoice.refresh_from_db()
    assert invoice.export_state == InvoiceExportState.EXPORTED
    assert len(_in_intacct(remote, invoice)) == 1
    assert not PendingPush.objects.filter(workspace=ws, family="project-invoices").exists()


def test_bad_export_choices_are_refused_with_the_reason(
    time_ws: Any, remote: Any, intacct_sandbox: Any
) -> None:
    ws = time_ws
    invoice = _invoice(ws, "PI-3003")
    stranger = Client.objects.create(workspace=ws, name="Not in Intacct")
    before = len(remote("ARINVOICE"))
    with pytest.raises(invoicing.InvoiceRefused) as refused:
        invoicing.request_export(invoice, client=stranger, account=_revenue(ws, intacct_sandbox))
    assert "not linked to a Sage Intacct customer" in refused.value.message
    inactive = _revenue(ws, intacct_sandbox)
    Account.objects.filter(pk=inactive.pk).update(active=False)
    inactive.refresh_from_db()
    with pytest.raises(invoicing.InvoiceRefused) as refused:
        invoicing.request_export(invoice, client=invoice.client, account=inactive)
    assert "inactive" in refused.value.message
    with pytest.raises(invoicing.InvoiceRefused) as refused:
        invoicing.request_export(invoice, client=invoice.client, account=None)
    assert "no GL account" in refused.value.message
    invoice.refresh_from_db()
    assert invoice.export_state == InvoiceExportState.DRAFT
    assert len(remote("ARINVOICE")) == before


def test_the_same_idempotency_key_creates_one_invoice(time_ws: Any) -> None:
    first = _invoice(time_ws, "PI-4004", key="k-1")
    second = _invoice(time_ws, "PI-4004", key="k-1")
    assert first.pk == second.pk
    assert ProjectInvoice.objects.filter(workspace=time_ws).count() == 1
    with pytest.raises(invoicing.InvoiceRefused) as refused:
        _invoice(time_ws, "PI-4005", key="k-1")
    assert refused.value.code == "key_reused"
