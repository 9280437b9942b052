"""Bills and invoices record events from both sides (the app and Intacct, through the families'
hooks), and a subscription receives them, signed, in order per record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from webhooks_support import Receiver

from intacct_bridge.ap import service as bill_service
from intacct_bridge.ap.models import Bill
from intacct_bridge.ar.models import Invoice
from intacct_bridge.records.models import Account, Vendor
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Event, Link, LinkState
from intacct_bridge.workspaces.models import Workspace


def _sync(run_commits: Any, ws: Workspace, family: str | None = None) -> None:
    with run_commits():
        run = service.sync_now(ws, family) if family else service.sync_now(ws)
    assert run.status in ("succeeded", "partial"), (run.message, list(run.issues.values("text")[:5]))


def _of(receiver: Receiver, kind_prefix: str, object_id: int) -> list[dict[str, Any]]:
    return [
        r.data
        for r in receiver.received
        if r.data["type"].startswith(kind_prefix) and r.data["object_id"] == object_id
    ]


def test_bill_events_from_the_app_and_from_intacct(
    ws: Workspace,
    receiver: Receiver,
    subscribe: Callable[..., Any],
    run_commits: Any,
    intacct_sandbox: Any,
    company: str,
) -> None:
    subscribe(ws)
    ws.families = ["accounts", "vendors", "bills"]
    ws.save()
    _sync(run_commits, ws)
    imported = Event.objects.filter(workspace=ws, kind="bill.created", origin="intacct")
    assert imported.count() == Bill.objects.filter(workspace=ws).count() > 0
    pulled = next(r.data for r in receiver.received if r.data["type"] == "bill.created")
    assert pulled["origin"] == "intacct" and pulled["data"]["intacct_recordno"] is not None

    # entered in the app, ready to pay
    vendor_ids = Link.objects.filter(workspace=ws, family="vendors", state=LinkState.LINKED).values_list(
        "local_id", flat=True
    )
    vendor = Vendor.objects.filter(workspace=ws, active=True, pk__in=list(vendor_ids)).order_by("pk").first()
    today = date.today()
    with run_commits():
        bill, _ = bill_service.create_bill(
            ws,
            bill_service.BillInput(
                vendor=vendor,
                bill_number="HOOK-1",
                bill_date=today,
                due_date=today + timedelta(days=30),
                description="Webhook test",
                lines=[
                    bill_service.LineInput(
                        Account.objects.get(workspace=ws, number="6000"), Decimal("400.00")
                    )
                ],
                ready_to_pay=True,
            ),
        )
    assert [(e["type"], e["origin"]) for e in _of(receiver, "bill.", bill.pk)] == [("bill.created", "app")]

    # pushed: created in Intacct, with its RECORDNO and state
    _sync(run_commits, ws, "bills")
    pushed = [e for e in _of(receiver, "bill.", bill.pk) if e["type"] == "bill.pushed"]
    assert len(pushed) == 1
    recordno = pushed[0]["data"]["intacct_recordno"]
    assert recordno and pushed[0]["data"]["intacct_state"] == "Posted"

    # paid in Intacct: the next pull is an update and a state change, saying what it was before
    intacct_sandbox.control.pay_bill(company, recordno, "150.00")
    _sync(run_commits, ws, "bills")
    changed = [e for e in _of(receiver, "bill.", bill.pk) if e["type"] == "bill.state_changed"]
    assert len(changed) == 1
    data = changed[0]["data"]
    assert (data["intacct_state"], data["amount_paid"], data["amount_due"]) == (
        "Partially Paid",
        "150.00",
        "250.00",
    )
    assert data["previous"] == {"intacct_state": "Posted", "amount_paid": "0.00", "amount_due": "400.00"}
    assert changed[0]["origin"] == "intacct"

    # in order for this record, every one verified
    kinds = [e["type"] for e in _of(receiver, "bill.", bill.pk)]
    assert kinds[0] == "bill.created" and kinds.index("bill.pushed") < kinds.index("bill.state_changed")
    ids = [e["id"] for e in _of(receiver, "bill.", bill.pk)]
    assert ids == sorted(ids)
    assert all(r.verified for r in receiver.received)


def test_invoice_events_from_intacct(
    ws: Workspace,
    receiver: Receiver,
    subscribe: Callable[..., Any],
    run_commits: Any,
    intacct_sandbox: Any,
    company: str,
) -> None:
    subscribe(ws, events=["invoice.created", "invoice.state_changed"])
    ws.families = ["clients", "accounts", "invoices"]
    ws.save()
    _sync(run_commits, ws)
    assert receiver.types() and set(receiver.types()) == {"invoice.created"}
    assert len(receiver.received) == Invoice.objects.filter(workspace=ws).count()

    top_level = set(
        Link.objects.filter(workspace=ws, family="invoices", entity="").values_list("local_id", flat=True)
    )
    invoice = next(
        i
        for i in Invoice.objects.filter(workspace=ws, state="open", amount_due__gte=10).order_by("pk")
        if i.pk in top_level
    )
    recordno = Link.objects.get(workspace=ws, family="invoices", local_id=invoice.pk).recordno
    part = (invoice.amount_due / 2).quantize(Decimal("0.01"))
    intacct_sandbox.control.pay_invoice(company, recordno, str(part))
    _sync(run_commits, ws, "invoices")
    changed = [e for e in _of(receiver, "invoice.", invoice.pk) if e["type"] == "invoice.state_changed"]
    assert len(changed) == 1
    data = changed[0]["data"]
    assert data["state"] == "partially_paid" and data["amount_paid"] == str(part)
    assert data["previous"]["state"] == "open" and data["previous"]["amount_due"] == str(invoice.amount_due)
    # updates were recorded too (the subscription did not ask for them)
    assert Event.objects.filter(workspace=ws, kind="invoice.updated", object_id=invoice.pk).exists()
    assert "invoice.updated" not in receiver.types()
