"""Request and response bodies of the webhooks API (``api.py``); names unique across the whole API."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, Field

#: request bodies refuse fields they do not know (a typo is a 422, not a silent no-op)
STRICT = ConfigDict(extra="forbid")


class WebhookCreateIn(Schema):
    model_config = STRICT

    url: str = Field(description="https URL that receives the events (POST, Standard Webhooks)")
    events: list[str] = Field(description='event kinds, or ["*"] for every kind', min_length=1)
    description: str = Field("", max_length=200)


class WebhookPatchIn(Schema):
    model_config = STRICT

    url: str | None = None
    events: list[str] | None = Field(None, min_length=1)
    description: str | None = Field(None, max_length=200)
    enabled: bool | None = Field(None, description="false pauses deliveries; true resumes them in order")


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    description: str
    enabled: bool
    disabled_reason: str = Field(description="why the sender disabled it (empty otherwise)")
    disabled_at: datetime | None
    failing_since: datetime | None
    consecutive_failures: int
    pending_deliveries: int
    created_at: datetime


class WebhookWithSecretOut(WebhookOut):
    secret: str = Field(description="the signing secret (whsec_…): shown only in this answer")


class WebhookSecretOut(Schema):
    id: int
    secret: str = Field(description="the new signing secret, shown only in this answer")


class WebhookDeliveryOut(Schema):
    id: int
    event_id: int
    event_type: str
    message_id: str = Field(description="the webhook-id header")
    status: str = Field(description="pending, succeeded or failed (gave up after the last retry)")
    attempts: int
    response_code: int | None
    last_error: str
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


class WebhookEventKindsOut(Schema):
    kinds: list[str]
