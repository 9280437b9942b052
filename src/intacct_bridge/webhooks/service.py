"""What the webhook pages and API do: subscriptions (create, change, delete, rotate the secret) and
manual redelivery. Every refusal is a ``Refused`` with a code and one sentence."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from intacct_bridge.webhooks import catalog, sender, targets
from intacct_bridge.webhooks.models import Delivery, DeliveryStatus, Subscription
from intacct_bridge.workspaces.models import Workspace

MAX_SUBSCRIPTIONS = 20


@dataclass
class Refused(Exception):
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def clean_url(url: str) -> str:
    url = (url or "").strip()
    problem = targets.refusal(url)
    if problem is not None:
        raise Refused(targets.CODE, problem)
    return url


def clean_events(events: list[str]) -> list[str]:
    events = list(dict.fromkeys(e.strip() for e in events if e and e.strip()))
    if not events:
        raise Refused("invalid", 'events: name at least one event kind, or ["*"] for every kind')
    bad = catalog.unknown(events)
    if bad:
        raise Refused(
            "invalid",
            f'events: unknown event kind {bad[0]!r}; the kinds are {", ".join(catalog.kinds())} (or "*")',
        )
    return [catalog.ALL] if catalog.ALL in events else events


def create(
    workspace: Workspace, url: str, events: list[str], description: str = ""
) -> tuple[Subscription, str]:
    """The new subscription and its secret (shown once)."""
    if Subscription.objects.filter(workspace=workspace).count() >= MAX_SUBSCRIPTIONS:
        raise Refused("invalid", f"a workspace has at most {MAX_SUBSCRIPTIONS} webhook subscriptions")
    sub = Subscription(
        workspace=workspace, url=clean_url(url), events=clean_events(events), description=description.strip()
    )
    secret = new_secret()
    sub.secret = secret
    sub.save()
    return sub, secret


def update(sub: Subscription, changes: dict[str, Any]) -> Subscription:
    """Apply the given fields only (``url``, ``events``, ``description``, ``enabled``)."""
    if "url" in changes and changes["url"] is not None:
        sub.url = clean_url(changes["url"])
    if "events" in changes and changes["events"] is not None:
        sub.events = clean_events(changes["events"])
    if "description" in changes and changes["description"] is not None:
        sub.description = str(changes["description"]).strip()
    with transaction.atomic():
        enabled = changes.get("enabled")
        if enabled is True and not sub.enabled:
            enable(sub)
        elif enabled is False and sub.enabled:
            sub.enabled = False
            sub.disabled_reason = ""
            sub.disabled_at = sender.now()
        sub.save()
    return sub


def enable(sub: Subscription) -> None:
    """On again: the failure count starts over and the kept deliveries are due now, in order."""
    sub.enabled = True
    sub.disabled_reason = ""
    sub.disabled_at = None
    sub.failing_since = None
    sub.consecutive_failures = 0
    Delivery.objects.filter(subscription=sub, status=DeliveryStatus.PENDING).update(
        next_attempt_at=sender.now()
    )


def rotate_secret(sub: Subscription) -> str:
    secret = new_secret()
    sub.secret = secret
    sub.save(update_fields=["encrypted_secret", "updated_at"])
    return secret


def redeliver(delivery: Delivery) -> Delivery:
    """Send this delivery again (whatever its status), with a fresh retry schedule."""
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = sender.now()
    delivery.delivered_at = None
    delivery.save()
    return delivery
