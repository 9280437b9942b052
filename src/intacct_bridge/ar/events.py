"""Events of invoices, recorded in the shared outbox (``sync/events.py``; webhooks deliver them).

Invoices come from Intacct only, so every event is a pull's (``Invoices.after_pull``):
``invoice.created`` (a new invoice imported), ``invoice.updated`` (any change), and
``invoice.state_changed`` when its state or the amounts paid or due moved (a payment received,
here or in Intacct; a reversal) — the payload says what they were before.
"""

from __future__ import annotations

from typing import Any

from intacct_bridge.ar.models import Invoice
from intacct_bridge.sync import events
from intacct_bridge.sync.models import Event, Link

INVOICE_CREATED = "invoice.created"
INVOICE_UPDATED = "invoice.updated"
INVOICE_STATE_CHANGED = "invoice.state_changed"

EVENTS = (INVOICE_CREATED, INVOICE_UPDATED, INVOICE_STATE_CHANGED)

#: what a state change compares
WATCHED = ("state", "amount_paid", "amount_due")


def payload(invoice: Invoice, recordno: int | None = None) -> dict[str, Any]:
    return {
        "id": invoice.pk,
        "intacct_recordno": recordno,
        "number": invoice.number,
        "customer_id": invoice.customer_id,
        "customer_name": invoice.customer_name,
        "client_id": invoice.client_id,
        "date": invoice.date.isoformat() if invoice.date else None,
        "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
        "paid_on": invoice.paid_on.isoformat() if invoice.paid_on else None,
        "currency": invoice.currency,
        "total": str(invoice.total),
        "amount_paid": str(invoice.amount_paid),
        "amount_due": str(invoice.amount_due),
        "state": invoice.state,
    }


def _last_payloads(workspace_id: int, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The payload of each invoice's latest event: what the feed last said about it."""
    last: dict[int, dict[str, Any]] = {}
    rows = Event.objects.filter(workspace_id=workspace_id, kind__startswith="invoice.", object_id__in=ids)
    for object_id, data in rows.order_by("object_id", "-id").values_list("object_id", "payload"):
        if object_id is not None and object_id not in last:
            last[object_id] = data
    return last


def record_pulled(created: list[Invoice], updated: list[Invoice]) -> None:
    """A pull's changes (the engine writes in bulk, without model signals)."""
    invoices = [*created, *updated]
    if not invoices:
        return
    ws_id = invoices[0].workspace_id
    recordnos = dict(
        Link.objects.filter(
            workspace_id=ws_id, family="invoices", local_id__in=[i.pk for i in invoices]
        ).values_list("local_id", "recordno")
    )
    before = _last_payloads(ws_id, [i.pk for i in updated])

    def event(kind: str, invoice: Invoice, data: dict[str, Any]) -> Event:
        return Event(workspace_id=ws_id, kind=kind, object_id=invoice.pk, payload=data, origin="intacct")

    rows = [event(INVOICE_CREATED, i, payload(i, recordnos.get(i.pk))) for i in created]
    for invoice in updated:
        now = payload(invoice, recordnos.get(invoice.pk))
        rows.append(event(INVOICE_UPDATED, invoice, now))
        was = before.get(invoice.pk)
        if was and any(was.get(f) != now[f] for f in WATCHED):
            rows.append(
                event(INVOICE_STATE_CHANGED, invoice, {**now, "previous": {f: was.get(f) for f in WATCHED}})
            )
    events.record_many(rows)
