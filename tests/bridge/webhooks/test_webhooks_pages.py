"""The Webhooks page without a browser: who may do what, the secret shown once, the form's refusals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from webhooks_support import Receiver

from intacct_bridge.sync import events
from intacct_bridge.webhooks.models import Delivery, Subscription
from intacct_bridge.workspaces.models import Workspace

pytestmark = pytest.mark.django_db


def test_an_admin_subscribes_and_sees_the_secret_once(
    workspace: Workspace, owner: Any, signed_in: Callable[..., Client], receiver: Receiver
) -> None:
    client = signed_in(owner)
    r = client.post(
        "/w/acme/webhooks/",
        {"url": receiver.url, "events": ["bill.created", "invoice.state_changed"], "description": "PSA"},
    )
    sub = Subscription.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/w/acme/webhooks/{sub.pk}/"
    assert sub.events == ["bill.created", "invoice.state_changed"] and sub.description == "PSA"
    page = client.get(r["Location"]).content.decode()
    assert sub.secret in page
    assert sub.secret not in client.get(r["Location"]).content.decode()
    listing = client.get("/w/acme/webhooks/").content.decode()
    assert receiver.url in listing and sub.secret not in listing


def test_all_events_by_default_switch(
    workspace: Workspace, owner: Any, signed_in: Callable[..., Client], receiver: Receiver
) -> None:
    signed_in(owner).post("/w/acme/webhooks/", {"url": receiver.url, "all_events": "on"})
    assert Subscription.objects.get().events == ["*"]


def test_the_form_shows_refusals(
    settings: Any, workspace: Workspace, owner: Any, signed_in: Callable[..., Client]
) -> None:
    settings.INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE = False
    r = signed_in(owner).post("/w/acme/webhooks/", {"url": "https://10.0.0.5/h", "all_events": "on"})
    assert r.status_code == 422
    assert "INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE=1" in r.content.decode()
    r = signed_in(owner).post("/w/acme/webhooks/", {"url": "https://93.184.216.34/h"})
    assert r.status_code == 422 and "name at least one event kind" in r.content.decode()
    assert not Subscription.objects.exists()


def test_a_collaborator_sees_but_cannot_change(
    workspace: Workspace, owner: Any, teammate: Any, signed_in: Callable[..., Client], receiver: Receiver
) -> None:
    signed_in(owner).post("/w/acme/webhooks/", {"url": receiver.url, "all_events": "on"})
    sub = Subscription.objects.get()
    client = signed_in(teammate)
    page = client.get("/w/acme/webhooks/").content.decode()
    assert receiver.url in page and "create-webhook" not in page
    assert client.post("/w/acme/webhooks/", {"url": receiver.url, "all_events": "on"}).status_code == 403
    for action in ("toggle", "rotate-secret", "delete"):
        assert client.post(f"/w/acme/webhooks/{sub.pk}/{action}/").status_code == 403
    assert Subscription.objects.get().enabled and Subscription.objects.count() == 1


def test_toggle_rotate_redeliver_delete(
    workspace: Workspace,
    owner: Any,
    signed_in: Callable[..., Client],
    receiver: Receiver,
    run_commits: Any,
) -> None:
    client = signed_in(owner)
    client.post("/w/acme/webhooks/", {"url": receiver.url, "all_events": "on"})
    sub = Subscription.objects.get()
    receiver.secret = sub.secret
    with run_commits():
        events.record(workspace, "bill.created", {"id": 1}, object_id=1)
    assert len(receiver.verified) == 1
    delivery = Delivery.objects.get()
    with run_commits():
        r = client.post(f"/w/acme/webhooks/{sub.pk}/deliveries/{delivery.pk}/redeliver/")
    assert r.status_code == 302 and len(receiver.verified) == 2

    client.post(f"/w/acme/webhooks/{sub.pk}/toggle/")
    assert not Subscription.objects.get().enabled
    with run_commits():
        events.record(workspace, "bill.updated", {"id": 1}, object_id=1)
    assert len(receiver.received) == 2  # disabled: kept, not sent
    with run_commits():
        client.post(f"/w/acme/webhooks/{sub.pk}/toggle/")
    assert Subscription.objects.get().enabled and receiver.types()[-1] == "bill.updated"

    old = sub.secret
    r = client.post(f"/w/acme/webhooks/{sub.pk}/rotate-secret/")
    new = Subscription.objects.get().secret
    assert new != old and new in client.get(r["Location"]).content.decode()

    client.post(f"/w/acme/webhooks/{sub.pk}/delete/")
    assert not Subscription.objects.exists()
