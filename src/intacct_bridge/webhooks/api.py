"""JSON API of the webhooks app, mounted under /api/v1/workspaces/{slug}/.

GET    webhooks                                   subscriptions (any token of the workspace)
POST   webhooks                                   subscribe: {"url", "events"}; answers the secret once
GET    webhooks/events                            the event kinds one may subscribe to
GET    webhooks/{id}                              one subscription
PATCH  webhooks/{id}                              change url, events, description, enabled
DELETE webhooks/{id}                              unsubscribe
POST   webhooks/{id}/rotate-secret                a new secret (the old one stops at once)
GET    webhooks/{id}/deliveries                   the delivery log, newest first (?status=)
POST   webhooks/{id}/deliveries/{delivery_id}/redeliver   send one again now
Changes need a read-write token or a workspace admin.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from intacct_bridge.api.auth import workspace_for
from intacct_bridge.api.errors import ApiError, not_found
from intacct_bridge.api.schemas import ErrorOut
from intacct_bridge.webhooks import catalog, sender, service, tasks
from intacct_bridge.webhooks.models import Delivery, DeliveryStatus, Subscription
from intacct_bridge.webhooks.schemas import (
    WebhookCreateIn,
    WebhookDeliveryOut,
    WebhookEventKindsOut,
    WebhookOut,
    WebhookPatchIn,
    WebhookSecretOut,
    WebhookWithSecretOut,
)
from intacct_bridge.workspaces.models import Workspace

router = Router(tags=["webhooks"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def subscription_dict(sub: Subscription, pending: int | None = None) -> dict[str, Any]:
    if pending is None:
        pending = sender.pending_for([sub]).get(sub.pk, 0)
    return {
        "id": sub.pk,
        "url": sub.url,
        "events": sub.events,
        "description": sub.description,
        "enabled": sub.enabled,
        "disabled_reason": sub.disabled_reason,
        "disabled_at": sub.disabled_at,
        "failing_since": sub.failing_since,
        "consecutive_failures": sub.consecutive_failures,
        "pending_deliveries": pending,
        "created_at": sub.created_at,
    }


def delivery_dict(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.pk,
        "event_id": d.event_id,
        "event_type": d.event.kind,
        "message_id": d.message_id,
        "status": d.status,
        "attempts": d.attempts,
        "response_code": d.response_code,
        "last_error": d.last_error,
        "next_attempt_at": d.next_attempt_at,
        "last_attempt_at": d.last_attempt_at,
        "delivered_at": d.delivered_at,
        "created_at": d.created_at,
    }


def _sub(ws: Workspace, webhook_id: int) -> Subscription:
    sub = Subscription.objects.filter(workspace=ws, pk=webhook_id).first()
    if sub is None:
        raise not_found("No such webhook subscription")
    return sub


def _refused(exc: service.Refused) -> ApiError:
    return ApiError(422, exc.code, exc.message)


def _writer(request: HttpRequest, slug: str) -> Workspace:
    return workspace_for(request, slug, write=True, admin=True)


@router.get("webhooks", response={200: list[WebhookOut], **ERRORS})
def list_webhooks(request: HttpRequest, slug: str) -> Any:
    ws = workspace_for(request, slug)
    subs = list(Subscription.objects.filter(workspace=ws))
    pending = sender.pending_for(subs)
    return [subscription_dict(s, pending.get(s.pk, 0)) for s in subs]


@router.post("webhooks", response={201: WebhookWithSecretOut, **ERRORS})
def create_webhook(request: HttpRequest, slug: str, body: WebhookCreateIn) -> Any:
    ws = _writer(request, slug)
    try:
        sub, secret = service.create(ws, body.url, body.events, body.description)
    except service.Refused as exc:
        raise _refused(exc) from None
    return Status(201, {**subscription_dict(sub, 0), "secret": secret})


@router.get("webhooks/events", response={200: WebhookEventKindsOut, **ERRORS})
def webhook_event_kinds(request: HttpRequest, slug: str) -> Any:
    workspace_for(request, slug)
    return {"kinds": list(catalog.kinds())}


@router.get("webhooks/{webhook_id}", response={200: WebhookOut, **ERRORS})
def get_webhook(request: HttpRequest, slug: str, webhook_id: int) -> Any:
    return subscription_dict(_sub(workspace_for(request, slug), webhook_id))


@router.patch("webhooks/{webhook_id}", response={200: WebhookOut, **ERRORS})
def update_webhook(request: HttpRequest, slug: str, webhook_id: int, body: WebhookPatchIn) -> Any:
    ws = _writer(request, slug)
    sub = _sub(ws, webhook_id)
    try:
        service.update(sub, body.dict(exclude_unset=True))
    except service.Refused as exc:
        raise _refused(exc) from None
    if sub.enabled:
        tasks.deliver_soon(ws.pk)
    return subscription_dict(sub)


@router.delete("webhooks/{webhook_id}", response={204: None, **ERRORS})
def delete_webhook(request: HttpRequest, slug: str, webhook_id: int) -> Any:
    _sub(_writer(request, slug), webhook_id).delete()
    return Status(204, None)


@router.post("webhooks/{webhook_id}/rotate-secret", response={200: WebhookSecretOut, **ERRORS})
def rotate_webhook_secret(request: HttpRequest, slug: str, webhook_id: int) -> Any:
    sub = _sub(_writer(request, slug), webhook_id)
    return {"id": sub.pk, "secret": service.rotate_secret(sub)}


@router.get("webhooks/{webhook_id}/deliveries", response={200: list[WebhookDeliveryOut], **ERRORS})
def list_webhook_deliveries(
    request: HttpRequest, slug: str, webhook_id: int, status: str | None = None, limit: int = 100
) -> Any:
    sub = _sub(workspace_for(request, slug), webhook_id)
    rows = Delivery.objects.filter(subscription=sub).select_related("event")
    if status:
        if status not in DeliveryStatus.values:
            raise ApiError(422, "invalid", f"status: one of {', '.join(DeliveryStatus.values)}")
        rows = rows.filter(status=status)
    return [delivery_dict(d) for d in rows.order_by("-id")[: max(1, min(limit, 500))]]


@router.post(
    "webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
    response={202: WebhookDeliveryOut, **ERRORS},
)
def redeliver_webhook(request: HttpRequest, slug: str, webhook_id: int, delivery_id: int) -> Any:
    ws = _writer(request, slug)
    sub = _sub(ws, webhook_id)
    delivery = Delivery.objects.filter(subscription=sub, pk=delivery_id).select_related("event").first()
    if delivery is None:
        raise not_found("No such delivery")
    service.redeliver(delivery)
    tasks.deliver_soon(ws.pk)
    return Status(202, delivery_dict(delivery))
