"""Delivering events to subscriptions, Standard Webhooks style.

* **Fan-out.** Every ``bridge_sync.Event`` not yet handed over (``delivered_at`` empty) becomes one
  ``Delivery`` per subscription of its workspace that wants its kind, and is then marked handed over —
  in one transaction, so an event is never lost nor fanned out twice (a unique constraint guards
  the pair). ``event_recorded`` (after the event's commit) triggers it at once; the periodic sweep
  repeats it, which catches an event whose commit was followed by a crash before the signal.
* **Sending.** A due pending delivery is claimed (its next attempt moved past the request's timeout,
  so a second worker skips it), signed with ``standardwebhooks`` (headers ``webhook-id``,
  ``webhook-timestamp``, ``webhook-signature``) and POSTed to the address its URL's host resolves to
  *now*, checked again (``targets.check``); redirects are not followed; any 2xx is success.
* **Order per record.** A delivery waits while an earlier event of the same record (``record_key``)
  is still pending for that subscription, so a record's later event never arrives before its earlier
  one.
* **Retries.** After a failure the next attempt is ``RETRY_DELAYS[n]`` later: 30 s, then four times
  longer each time up to 10 h — attempts at about 0 s, 30 s, 2.5 min, 10.5 min, 42.5 min, 2.8 h,
  11.4 h, 21.4 h and 31.4 h, so for more than 24 hours; after the last one the delivery is
  ``failed`` (redeliver by hand).
* **Disabling.** A subscription whose deliveries have all failed for ``DISABLE_AFTER`` (24 h, no
  success in between) is disabled, its workspace's admins get an e-mail and the Webhooks page a
  banner. Its deliveries stay pending and go out, in order, when it is enabled again.
"""

from __future__ import annotations

import functools
import json
import logging
import ssl
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from intacct_bridge.ops.digest import mail_connection
from intacct_bridge.sync.models import Event
from intacct_bridge.webhooks import targets
from intacct_bridge.webhooks.models import Delivery, DeliveryStatus, Subscription
from intacct_bridge.workspaces.models import Membership, Profile

log = logging.getLogger(__name__)

RETRY_DELAYS = tuple(
    timedelta(seconds=min(30 * 4**n, 10 * 3600)) for n in range(8)
)  # 30 s, 2 min, 8 min, 32 min, 2 h 8 min, 8 h 32 min, 10 h, 10 h
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
DISABLE_AFTER = timedelta(hours=24)
# how long the log keeps a successful delivery
KEEP_LOG = timedelta(days=30)
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
# a claimed delivery is not picked again before this (longer than one request can take)
CLAIM = timedelta(minutes=2)
FAN_OUT_BATCH = 500
USER_AGENT = "IntacctBridge-Webhooks/1"


def now() -> datetime:
    """The sender's clock (tests move it forward instead of waiting)."""
    return timezone.now()


def record_key(event: Event) -> str:
    if event.object_id is None:
        return ""
    return f"{event.kind.split('.', 1)[0]}:{event.object_id}"


def body(event: Event) -> bytes:
    """The JSON a receiver gets (Standard Webhooks' ``type``/``timestamp``/``data`` envelope)."""
    return json.dumps(
        {
            "id": event.pk,
            "type": event.kind,
            "timestamp": event.created_at.isoformat(),
            "workspace": event.workspace.slug,
            "object_id": event.object_id,
            "origin": event.origin,
            "data": event.payload,
        },
        separators=(",", ":"),
        default=str,
    ).encode()


# ---- fan-out ------------------------------------------------------------------------------------


def fan_out(workspace_id: int | None = None) -> int:
    """Hand every undelivered event over to the subscriptions; returns the deliveries created."""
    made = 0
    while True:
        with transaction.atomic():
            rows = Event.objects.filter(delivered_at__isnull=True)
            if workspace_id is not None:
                rows = rows.filter(workspace_id=workspace_id)
            # waits for (never skips) rows another fan-out holds: a later event of a record must not
            # get its delivery, and be sent, before an earlier one another process is handing over
            batch = list(rows.select_for_update().order_by("id")[:FAN_OUT_BATCH])
            if not batch:
                return made
            subs: dict[int, list[Subscription]] = {}
            for sub in Subscription.objects.filter(workspace_id__in={e.workspace_id for e in batch}):
                subs.setdefault(sub.workspace_id, []).append(sub)
            at = now()
            deliveries = [
                Delivery(
                    subscription=sub,
                    event=event,
                    record_key=record_key(event),
                    next_attempt_at=at,
                    created_at=at,
                )
                for event in batch
                for sub in subs.get(event.workspace_id, [])
                if sub.wants(event.kind) and event.created_at >= sub.created_at
            ]
            Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
            Event.objects.filter(pk__in=[e.pk for e in batch]).update(delivered_at=at)
            made += len(deliveries)
        if len(batch) < FAN_OUT_BATCH:
            return made


# ---- sending ------------------------------------------------------------------------------------


def due(workspace_id: int | None = None, limit: int = 200) -> list[Delivery]:
    """Pending deliveries whose attempt is due, oldest event first — only the first pending one of
    each record, so a record held up by a failing delivery does not crowd out the others."""
    earlier = Delivery.objects.filter(
        subscription_id=OuterRef("subscription_id"),
        record_key=OuterRef("record_key"),
        status=DeliveryStatus.PENDING,
        event_id__lt=OuterRef("event_id"),
    )
    rows = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now(), subscription__enabled=True
    ).filter(Q(record_key="") | ~Exists(earlier))
    if workspace_id is not None:
        rows = rows.filter(subscription__workspace_id=workspace_id)
    return list(rows.order_by("event_id", "id")[:limit])


def send_due(workspace_id: int | None = None) -> int:
    """Send what is due, in event order, until nothing is; returns how many were attempted."""
    sent = 0
    while True:
        attempted = sum(1 for delivery in due(workspace_id) if attempt(delivery))
        if not attempted:
            return sent
        sent += attempted


def _waits(delivery: Delivery) -> bool:
    """Whether an earlier event of the same record is still pending for this subscription (checked
    again at the attempt: ``due`` may have read before another worker's fan-out committed)."""
    if not delivery.record_key:
        return False
    return Delivery.objects.filter(
        subscription_id=delivery.subscription_id,
        record_key=delivery.record_key,
        status=DeliveryStatus.PENDING,
        event_id__lt=delivery.event_id,
    ).exists()


def _claim(delivery: Delivery) -> bool:
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, next_attempt_at=delivery.next_attempt_at
    ).update(next_attempt_at=now() + CLAIM)
    return claimed == 1


def attempt(delivery: Delivery) -> bool:
    """One attempt at ``delivery`` (if it is not waiting for an earlier one nor taken by another
    worker); returns whether it was sent."""
    if _waits(delivery) or not _claim(delivery):
        return False
    delivery = Delivery.objects.select_related("subscription", "event__workspace").get(pk=delivery.pk)
    sub = delivery.subscription
    code: int | None = None
    error = ""
    try:
        code = post(sub, delivery)
        if not 200 <= code < 300:
            error = f"the receiver answered HTTP {code}" + (
                " (a redirect; redirects are not followed)" if 300 <= code < 400 else ""
            )
    except targets.NotAllowed as exc:
        error = str(exc)
    except httpx.TimeoutException:
        error = f"no answer within {TIMEOUT.read:.0f} s"
    except httpx.HTTPError as exc:
        error = f"could not reach the receiver: {exc}"
    except Exception as exc:  # one broken delivery must not stop the sweep for every other one
        log.exception("webhook delivery %s failed unexpectedly", delivery.pk)
        error = f"internal error ({type(exc).__name__}); the service log has the details"
    _outcome(delivery, code, error)
    return True


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context per process (loading the CA bundle costs more than a delivery)."""
    return httpx.create_ssl_context()


def post(sub: Subscription, delivery: Delivery) -> int:
    """POST the delivery to the address checked just now; returns the HTTP status."""
    target = targets.check(sub.url)
    payload = body(delivery.event)
    # the real time, not the scheduling clock: receivers refuse timestamps far from their own clock
    sent_at = timezone.now()
    signature = Webhook(sub.secret).sign(delivery.message_id, sent_at, payload)
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
        "host": target.host if target.port in (80, 443) else f"{target.host}:{target.port}",
    }
    # connect to the checked address (not a second lookup that could answer differently); TLS still
    # verifies the certificate against the URL's host name
    url = httpx.URL(target.url).copy_with(host=target.address)
    with (
        httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=False, verify=_tls()) as client,
        # the status line is all that counts: the body is never read (a receiver cannot make the
        # sender download an endless answer)
        client.stream(
            "POST", url, content=payload, headers=headers, extensions={"sni_hostname": target.host}
        ) as response,
    ):
        return response.status_code


def _outcome(delivery: Delivery, code: int | None, error: str) -> None:
    at = now()
    delivery.attempts += 1
    delivery.last_attempt_at = at
    delivery.response_code = code
    delivery.last_error = error[:2000]
    sub = delivery.subscription
    if not error:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.delivered_at = at
        delivery.next_attempt_at = None
        delivery.save()
        Subscription.objects.filter(pk=sub.pk).update(failing_since=None, consecutive_failures=0)
        return
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = at + RETRY_DELAYS[delivery.attempts - 1]
    delivery.save()
    log.info("webhook delivery %s to subscription %s failed: %s", delivery.pk, sub.pk, error)
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().get(pk=sub.pk)
        sub.consecutive_failures += 1
        sub.failing_since = sub.failing_since or at
        if sub.enabled and at - sub.failing_since >= DISABLE_AFTER:
            disable(sub, error, at)
        else:
            sub.save(update_fields=["consecutive_failures", "failing_since"])


def disable(sub: Subscription, error: str, at: datetime) -> None:
    """Turn a subscription off after a day of failures and tell the workspace's admins."""
    sub.enabled = False
    sub.disabled_at = at
    sub.disabled_reason = (
        f"Every delivery failed since {sub.failing_since:%Y-%m-%d %H:%M} UTC "
        f"({sub.consecutive_failures} attempts); the last: {error}"
    )
    sub.save()
    admins = list(
        Membership.objects.filter(workspace_id=sub.workspace_id, profile=Profile.ADMIN)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not admins:
        return

    def tell() -> None:
        message = EmailMessage(
            f"Webhook disabled: {sub.url}",
            f"The webhook subscription {sub.url} of workspace {sub.workspace.name} was disabled.\n\n"
            f"{sub.disabled_reason}\n\nIts undelivered events are kept. Fix the receiver, then "
            f"enable the subscription again on the Webhooks page (/w/{sub.workspace.slug}/webhooks/) "
            f"or with PATCH /api/v1/workspaces/{sub.workspace.slug}/webhooks/{sub.pk} "
            '{"enabled": true}; the kept events go out in order.',
            str(getattr(settings, "DEFAULT_FROM_EMAIL", "") or "intacct-bridge@localhost"),
            admins,
        )
        try:
            # Django's mail settings; the console when none are set (the demo), as the digest does
            with mail_connection() as connection:
                connection.send_messages([message])
        except Exception:  # the banner on the page still tells them
            log.exception("could not e-mail the admins about disabled webhook %s", sub.pk)

    transaction.on_commit(tell)


def pending_for(subscriptions: Iterable[Subscription]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for sub_id in Delivery.objects.filter(
        Q(subscription__in=list(subscriptions)) & Q(status=DeliveryStatus.PENDING)
    ).values_list("subscription_id", flat=True):
        counts[sub_id] = counts.get(sub_id, 0) + 1
    return counts


def prune(keep: timedelta = KEEP_LOG) -> int:
    """Forget deliveries that succeeded longer than ``keep`` ago (pending and failed ones stay)."""
    deleted, _ = Delivery.objects.filter(
        status=DeliveryStatus.SUCCEEDED, delivered_at__lt=now() - keep
    ).delete()
    return deleted


def sweep() -> dict[str, Any]:
    """What the periodic task does: hand events over, then send everything due."""
    made = fan_out()
    return {"created": made, "attempted": send_due()}
