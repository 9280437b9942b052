"""Deliveries to a real loopback receiver that verifies each signature with ``standardwebhooks``:
signed, filtered by kind, in order per record, retried with backoff (the sender's clock moved
forward, never waited for), disabled after a day of failures with the admins told, redelivered by
hand, swept up after a lost signal, and refused at delivery time when the address is not allowed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from webhooks_support import Clock, Receiver

from intacct_bridge.sync import events
from intacct_bridge.sync.models import Event
from intacct_bridge.webhooks import sender, targets
from intacct_bridge.webhooks.models import Delivery, DeliveryStatus, Subscription
from intacct_bridge.workspaces.models import Workspace

pytestmark = pytest.mark.django_db


def _record(run_commits: Any, ws: Workspace, kind: str, object_id: int | None, **data: Any) -> Event:
    with run_commits():
        return events.record(ws, kind, {"id": object_id, **data}, object_id=object_id)


def _sweep(run_commits: Any) -> dict[str, Any]:
    with run_commits():
        return sender.sweep()


def test_a_delivery_is_signed_and_verified(
    workspace: Workspace, receiver: Receiver, subscribe: Callable[..., Any], run_commits: Any
) -> None:
    sub = subscribe(workspace)
    event = _record(run_commits, workspace, "bill.created", 7, bill_number="B-7")
    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert got.verified, got.error
    assert got.headers["webhook-id"] == f"msg_{event.pk}_{sub['id']}"
    assert got.headers["webhook-signature"].startswith("v1,")
    assert got.headers["content-type"] == "application/json"
    assert got.data == {
        "id": event.pk,
        "type": "bill.created",
        "timestamp": event.created_at.isoformat(),
        "workspace": "acme",
        "object_id": 7,
        "origin": "app",
        "data": {"id": 7, "bill_number": "B-7"},
    }
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert (delivery.attempts, delivery.response_code, delivery.last_error) == (1, 200, "")
    assert Event.objects.get(pk=event.pk).delivered_at is not None


def test_the_delivery_log_through_the_api(
    workspace: Workspace,
    receiver: Receiver,
    subscribe: Callable[..., Any],
    run_commits: Any,
    api_client: Callable[..., Client],
) -> None:
    sub = subscribe(workspace)
    receiver.answer(503)
    _record(run_commits, workspace, "bill.created", 1)
    rows = api_client(workspace).get(f"/api/v1/workspaces/acme/webhooks/{sub['id']}/deliveries").json()
    assert len(rows) == 1
    row = rows[0]
    assert row["status"] == "pending" and row["attempts"] == 1 and row["response_code"] == 503
    assert row["last_error"] == "the receiver answered HTTP 503"
    assert row["next_attempt_at"] is not None and row["event_type"] == "bill.created"
    listed = api_client(workspace).get("/api/v1/workspaces/acme/webhooks").json()
    assert listed[0]["pending_deliveries"] == 1 and listed[0]["failing_since"] is not None


def test_only_the_kinds_asked_for(
    workspace: Workspace, receiver: Receiver, subscribe: Callable[..., Any], run_commits: Any
) -> None:
    subscribe(workspace, events=["invoice.state_changed"])
    _record(run_commits, workspace, "invoice.updated", 1)
    _record(run_commits, workspace, "invoice.state_changed", 1)
    assert receiver.types() == ["invoice.state_changed"]


def test_other_workspaces_events_are_not_delivered(
    workspace: Workspace,
    other_workspace: Workspace,
    receiver: Receiver,
    subscribe: Callable[..., Any],
    run_commits: Any,
) -> None:
    subscribe(workspace)
    _record(run_commits, other_workspace, "bill.created", 1)
    assert receiver.received == []


def test_retries_with_backoff_after_500s_then_success(
    workspace: Workspace, receiver: Receiver, subscribe: Callable[..., Any], run_commits: Any, clock: Clock
) -> None:
    subscribe(workspace)
    receiver.answer(500, 500, 500)
    _record(run_commits, workspace, "bill.created", 1)
    delivery = Delivery.objects.get()
    for n, delay in enumerate(sender.RETRY_DELAYS[:3], start=1):
        delivery.refresh_from_db()
        assert delivery.attempts == n and delivery.response_code == 500
        assert delivery.status == DeliveryStatus.PENDING
        assert delivery.next_attempt_at == clock.at + delay
        # not due yet: nothing is sent
        clock.advance(seconds=delay.total_seconds() - 1)
        _sweep(run_commits)
        assert len(receiver.received) == n
        clock.advance(seconds=1)
        _sweep(run_commits)
        assert len(receiver.received) == n + 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert (delivery.attempts, delivery.response_code, delivery.last_error) == (4, 200, "")
    assert all(r.verified for r in receiver.received)
    # the same message id on every attempt, so a receiver can deduplicate
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    sub = Subscription.objects.get()
    assert sub.failing_since is None and sub.consecutive_failures == 0 and sub.enabled


def test_the_schedule_covers_more_than_a_day() -> None:
    assert sum(sender.RETRY_DELAYS, timedelta()) > timedelta(hours=24)
    assert list(sender.RETRY_DELAYS) == sorted(sender.RETRY_DELAYS)


def test_a_records_later_event_waits_for_its_earlier_one(
    workspace: Workspace, receiver: Receiver, subscribe: Callable[..., Any], run_commits: Any, clock: Clock
) -> None:
    subscribe(workspace)
    receiver.answer(500)
    first = _record(run_commits, workspace, "bill.created", 1)
    second = _record(run_commits, workspace, "bill.state_changed", 1)
    other = _record(run_commits, workspace, "bill.created", 2)
    # bill 1's second event waits; bill 2 is not held up by bill 1
    assert [r.data["id"] for r in receiver.received] == [first.pk, other.pk]
    assert Delivery.objects.get(event=second).attempts == 0
    clock.advance(seconds=30)
    _sweep(run_commits)
    assert [r.data["id"] for r in receiver.received] == [first.pk, other.pk, first.pk, second.pk]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SUCCEEDED}


def test_a_held_up_record_does_not_crowd_out_the_others(
    workspace: Workspace, receiver: Receiver, subscribe: Callable[..., Any], run_commits: Any, clock: Clock
) -> None:
    subscribe(workspace)
    receiver.answer(500)
    head = _record(run_commits, workspace, "bill.created", 1)
    for _ in range(3):
        _record(run_commits, workspace, "bill.updated", 1)
    receiver.answer(500)
    other = _record(run_commits, workspace, "bill.created", 2)
    clock.advance(seconds=30)
    # only each record's first pending delivery is due: bill 2 is within the first two
    assert [d.event_id for d in sender.due(limit=2)] == [head.pk, other.pk]


def test_a_redirect_is_not_followed(
    workspace: Workspace, receiver: Receiver, subscribe: Callable[..., Any], run_commits: Any
) -> None:
    subscribe(workspace)
    receiver.answer(302)
    _record(run_commits, workspace, "bill.created", 1)
    assert len(receiver.received) == 1
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.response_code == 302
    assert "redirects are not followed" in delivery.last_error


def test_disabled_after_a_day_of_failures_and_the_admins_are_told(
    workspace: Workspace,
    receiver: Receiver,
    subscribe: Callable[..., Any],
    run_commits: Any,
    clock: Clock,
    owner: Any,
    signed_in: Callable[..., Client],
    api_client: Callable[..., Client],
) -> None:
    sub = subscribe(workspace)
    receiver.answer(*[500] * 50)
    start = clock.at
    _record(run_commits, workspace, "bill.created", 1)
    delivery = Delivery.objects.get()
    while Subscription.objects.get().enabled:
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.PENDING, "gave up before disabling"
        assert clock.at - start < sender.DISABLE_AFTER, "still enabled after a day of failures"
        clock.at = delivery.next_attempt_at
        _sweep(run_commits)
    disabled = Subscription.objects.get()
    assert clock.at - start >= sender.DISABLE_AFTER
    assert "the receiver answered HTTP 500" in disabled.disabled_reason
    delivery.refresh_from_db()
    assert delivery.attempts == len(receiver.received) == sender.MAX_ATTEMPTS
    # the admin (alice) is told by e-mail, the teammate is not
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    assert receiver.url in mail.outbox[0].subject
    # ... and on the Webhooks page
    page = signed_in(owner).get("/w/acme/webhooks/").content.decode()
    assert "Webhook disabled" in page and "the receiver answered HTTP 500" in page
    # a disabled subscription still collects its events, and sends them once enabled again
    _record(run_commits, workspace, "bill.updated", 1)
    assert len(receiver.received) == sender.MAX_ATTEMPTS
    with run_commits():
        r = api_client(workspace, write=True).patch(
            f"/api/v1/workspaces/acme/webhooks/{sub['id']}",
            {"enabled": True},
            content_type="application/json",
        )
    assert r.status_code == 200 and r.json()["enabled"] is True and r.json()["disabled_reason"] == ""
    assert receiver.types()[-1] == "bill.updated"


def test_manual_redelivery(
    workspace: Workspace,
    receiver: Receiver,
    subscribe: Callable[..., Any],
    run_commits: Any,
    api_client: Callable[..., Client],
) -> None:
    sub = subscribe(workspace)
    _record(run_commits, workspace, "bill.created", 1)
    delivery = Delivery.objects.get()
    url = f"/api/v1/workspaces/acme/webhooks/{sub['id']}/deliveries/{delivery.pk}/redeliver"
    assert api_client(workspace).post(url).status_code == 403
    with run_commits():
        r = api_client(workspace, write=True).post(url)
    assert r.status_code == 202, r.content
    assert len(receiver.received) == 2
    assert receiver.received[0].body == receiver.received[1].body
    assert receiver.received[1].verified
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED


def test_a_rotated_secret_signs_at_once(
    workspace: Workspace,
    receiver: Receiver,
    subscribe: Callable[..., Any],
    run_commits: Any,
    api_client: Callable[..., Client],
) -> None:
    sub = subscribe(workspace)
    new = api_client(workspace, write=True).post(
        f"/api/v1/workspaces/acme/webhooks/{sub['id']}/rotate-secret"
    )
    _record(run_commits, workspace, "bill.created", 1)
    assert not receiver.received[0].verified  # the receiver still holds the old secret
    receiver.secret = new.json()["secret"]
    _record(run_commits, workspace, "bill.created", 2)
    assert receiver.received[1].verified


def test_the_sweep_delivers_events_whose_signal_was_lost(
    workspace: Workspace, receiver: Receiver, subscribe: Callable[..., Any], run_commits: Any
) -> None:
    subscribe(workspace)
    # an event committed by a process that crashed before its after-commit signal
    event = Event.objects.create(workspace=workspace, kind="invoice.updated", object_id=3, payload={"id": 3})
    assert receiver.received == []
    assert _sweep(run_commits) == {"created": 1, "attempted": 1}
    assert receiver.types() == ["invoice.updated"] and receiver.received[0].data["id"] == event.pk
    assert _sweep(run_commits) == {"created": 0, "attempted": 0}


def test_events_before_the_subscription_are_not_sent(
    workspace: Workspace, receiver: Receiver, subscribe: Callable[..., Any], run_commits: Any, clock: Clock
) -> None:
    Event.objects.create(workspace=workspace, kind="bill.created", object_id=1, payload={})
    Event.objects.filter().update(created_at=clock.at - timedelta(minutes=5))
    subscribe(workspace)
    _sweep(run_commits)
    assert receiver.received == []


def test_the_address_is_checked_again_at_delivery_time(
    settings: Any,
    workspace: Workspace,
    receiver: Receiver,
    subscribe: Callable[..., Any],
    run_commits: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE = False
    # a host name that resolves to a public address when subscribing...
    answers = {"hooks.example.test": ["93.184.216.34"]}
    monkeypatch.setattr(targets, "_resolve", lambda host, port: answers[host])
    sub = Subscription(workspace=workspace, url="https://hooks.example.test/in", events=["*"])
    assert targets.refusal(sub.url) is None
    sub.secret = "whsec_" + "A" * 40
    sub.save()
    # ... and to loopback when delivering (DNS rebinding): refused, nothing sent
    answers["hooks.example.test"] = ["127.0.0.1"]
    _record(run_commits, workspace, "bill.created", 1)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.response_code is None
    assert "resolves to 127.0.0.1" in delivery.last_error
    assert "INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE=1" in delivery.last_error
    assert receiver.received == []


def test_the_log_forgets_old_successes_only(
    workspace: Workspace, receiver: Receiver, subscribe: Callable[..., Any], run_commits: Any, clock: Clock
) -> None:
    subscribe(workspace)
    _record(run_commits, workspace, "bill.created", 1)
    receiver.answer(500)
    _record(run_commits, workspace, "bill.created", 2)
    clock.advance(days=31)
    assert sender.prune() == 1
    assert list(Delivery.objects.values_list("status", flat=True)) == [DeliveryStatus.PENDING]
