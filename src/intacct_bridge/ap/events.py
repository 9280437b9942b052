"""Events of bills, recorded in the shared outbox (``sync/events.py``; webhooks deliver them).

From the app: ``bill.created`` (entered), ``bill.updated`` (changed before it went to Intacct),
``bill.ready_to_pay``, ``bill.deleted``, ``bill.pushed`` (created in Intacct, with its RECORDNO).
From Intacct (a pull, through ``Bills.after_pull``): ``bill.created`` (a new bill imported),
``bill.updated`` (any change), ``bill.state_changed`` (its state or the amounts paid or due moved —
a payment, a reversal; the payload says what they were before).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from intacct_bridge.ap.models import Bill
from intacct_bridge.sync import events
from intacct_bridge.sync.models import Event, Link

BILL_CREATED = "bill.created"
BILL_UPDATED = "bill.updated"
BILL_READY = "bill.ready_to_pay"
BILL_DELETED = "bill.deleted"
BILL_PUSHED = "bill.pushed"
BILL_STATE_CHANGED = "bill.state_changed"

EVENTS = (BILL_CREATED, BILL_UPDATED, BILL_READY, BILL_DELETED, BILL_PUSHED, BILL_STATE_CHANGED)

#: what a state change compares
WATCHED = ("intacct_state", "amount_paid", "amount_due")


def payload(bill: Bill, recordno: int | None = None) -> dict[str, Any]:
    return {
        "id": bill.pk,
        "intacct_recordno": recordno,
        "vendor_id": bill.vendor_id,
        "bill_number": bill.bill_number,
        "bill_date": bill.bill_date.isoformat() if bill.bill_date else None,
        "due_date": bill.due_date.isoformat() if bill.due_date else None,
        "description": bill.description,
        "currency": bill.currency,
        "total": str(bill.total),
        "amount_paid": str(bill.amount_paid),
        "amount_due": str(bill.amount_due),
        "intacct_state": bill.intacct_state,
        "status": bill.status_label,
        "ready_to_pay": bill.ready_to_pay,
        "entity": bill.entity,
    }


def _recordnos(workspace_id: int, bills: Iterable[Bill]) -> dict[int, int | None]:
    return dict(
        Link.objects.filter(
            workspace_id=workspace_id, family="bills", local_id__in=[b.pk for b in bills]
        ).values_list("local_id", "recordno")
    )


def _last_payloads(workspace_id: int, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The payload of each bill's latest event: what the feed last said about it."""
    last: dict[int, dict[str, Any]] = {}
    rows = Event.objects.filter(workspace_id=workspace_id, kind__startswith="bill.", object_id__in=ids)
    for object_id, data in rows.order_by("object_id", "-id").values_list("object_id", "payload"):
        if object_id is not None and object_id not in last:
            last[object_id] = data
    return last


def record(bill: Bill, kind: str, *, origin: str = "app") -> None:
    recordno = _recordnos(bill.workspace_id, [bill]).get(bill.pk)
    events.record(bill.workspace_id, kind, payload(bill, recordno), object_id=bill.pk, origin=origin)


def record_pulled(created: list[Bill], updated: list[Bill]) -> None:
    """A pull's changes (the engine writes in bulk, without model signals)."""
    bills = [*created, *updated]
    if not bills:
        return
    ws_id = bills[0].workspace_id
    recordnos = _recordnos(ws_id, bills)
    before = _last_payloads(ws_id, [b.pk for b in updated])
    rows = [
        Event(
            workspace_id=ws_id,
            kind=BILL_CREATED,
            object_id=b.pk,
            payload=payload(b, recordnos.get(b.pk)),
            origin="intacct",
        )
        for b in created
    ]
    for bill in updated:
        now = payload(bill, recordnos.get(bill.pk))
        rows.append(
            Event(workspace_id=ws_id, kind=BILL_UPDATED, object_id=bill.pk, payload=now, origin="intacct")
        )
        was = before.get(bill.pk)
        # a bill first reaching Intacct is ``bill.pushed``; a state change is one it had there
        if was and was.get("intacct_state") and any(was.get(f) != now[f] for f in WATCHED):
            changed = {**now, "previous": {f: was.get(f) for f in WATCHED}}
            rows.append(
                Event(
                    workspace_id=ws_id,
                    kind=BILL_STATE_CHANGED,
                    object_id=bill.pk,
                    payload=changed,
                    origin="intacct",
                )
            )
    events.record_many(rows)


def record_pushed(pushed: list[Bill]) -> None:
    """Bills a push created in Intacct, as read back just now (state, totals)."""
    if not pushed:
        return
    bills = list(Bill.objects.filter(pk__in=[b.pk for b in pushed]).order_by("pk"))
    recordnos = _recordnos(bills[0].workspace_id, bills)
    events.record_many(
        [
            Event(
                workspace_id=b.workspace_id,
                kind=BILL_PUSHED,
                object_id=b.pk,
                payload=payload(b, recordnos.get(b.pk)),
                origin="app",
            )
            for b in bills
        ]
    )
