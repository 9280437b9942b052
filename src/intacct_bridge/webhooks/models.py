"""Webhook subscriptions of a workspace and their deliveries (one per subscription and event).

The delivery rows are the sender's queue and its log at once: ``next_attempt_at`` is when the
periodic sweep (``tasks.py``) sends a pending one, ``attempts``/``response_code``/``last_error`` what
happened so far. The signing secret is stored encrypted like the Intacct credentials.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone

from intacct_bridge.sync.models import Event
from intacct_bridge.workspaces import crypto
from intacct_bridge.workspaces.models import Workspace


class Subscription(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="webhooks")
    url = models.CharField(max_length=500)
    # ["*"] or a list of event kinds
    events = models.JSONField(default=list)
    description = models.CharField(max_length=200, blank=True, default="")
    encrypted_secret = models.TextField()
    enabled = models.BooleanField(default=True)
    # why the sender turned it off ("" while enabled, or when a person did)
    disabled_reason = models.TextField(blank=True, default="")
    disabled_at = models.DateTimeField(null=True, blank=True)
    # the first failure with no success since (None while deliveries succeed)
    failing_since = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["id"]

    def __str__(self) -> str:
        return self.url

    @property
    def secret(self) -> str:
        return crypto.decrypt(self.encrypted_secret)

    @secret.setter
    def secret(self, value: str) -> None:
        self.encrypted_secret = crypto.encrypt(value)

    def wants(self, kind: str) -> bool:
        return "*" in self.events or kind in self.events


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Delivered"
    FAILED = "failed", "Failed (gave up)"


class Delivery(models.Model):
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    # the event's subject ("bill:12"): deliveries of one record go out in event order
    record_key = models.CharField(max_length=80, blank=True, default="")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["subscription", "event"], name="webhook_delivery_once")
        ]
        indexes: ClassVar = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["subscription", "record_key", "status"], name="webhook_delivery_order"),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk} of event {self.event_id}"

    @property
    def message_id(self) -> str:
        """The ``webhook-id`` header: the same on every attempt, so receivers can deduplicate."""
        return f"msg_{self.event_id}_{self.subscription_id}"
