"""Huey tasks of the webhook sender (``sender.py`` has the rules).

* ``deliver_task(workspace_id)`` — queued by ``event_recorded`` (after an event's commit; one task
  for a burst of events) and by manual redelivery: fans the workspace's new events out and sends
  what is due at once.
* ``sweep_webhooks`` — every minute: fans out any event still not handed over (a crash between an
  event's commit and its signal loses nothing) and sends every delivery whose next attempt is due
  (retries: 30 s, 2 min, 8 min, 32 min, 2 h 8 min, 8 h 32 min, 10 h, 10 h after each failure).
* ``prune_webhook_log`` — daily at 03:23 UTC: successful deliveries older than 30 days leave the log.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from intacct_bridge.sync.events import event_recorded
from intacct_bridge.sync.models import Event
from intacct_bridge.webhooks import sender
from intacct_bridge.webhooks.models import Subscription


def _queued(workspace_id: int) -> str:
    return f"webhooks:queued:{workspace_id}"


@db_task()
def deliver_task(workspace_id: int) -> int:
    # from here on a new event queues a new task: this one may already have read past it
    HUEY.delete(_queued(workspace_id))
    sender.fan_out(workspace_id)
    return sender.send_due(workspace_id)


@db_periodic_task(crontab(minute="*"))
def sweep_webhooks() -> dict[str, Any]:
    # a marker whose task was lost (a flushed queue) would hold back prompt deliveries: clear them
    for workspace_id in Subscription.objects.values_list("workspace_id", flat=True).distinct():
        HUEY.delete(_queued(workspace_id))
    return sender.sweep()


@db_periodic_task(crontab(minute="23", hour="3"))
def prune_webhook_log() -> int:
    return sender.prune()


def deliver_promptly(workspace_id: int) -> None:
    """Queue ``deliver_task`` unless one is queued and not started yet (a pull's five hundred events
    make one task, not five hundred: the task hands over every event committed before it starts)."""
    if HUEY.put_if_empty(_queued(workspace_id), "1"):
        deliver_task(workspace_id)


def deliver_soon(workspace_id: int) -> None:
    """Queue ``deliver_task`` once the current transaction commits."""
    transaction.on_commit(lambda: deliver_promptly(workspace_id))


def _event_recorded(sender: Any, event: Event, **_: Any) -> None:
    # sent once per event after its commit; the sweep repeats this for events whose signal was lost
    deliver_promptly(event.workspace_id)


def connect() -> None:
    event_recorded.connect(_event_recorded, dispatch_uid="webhooks-event-recorded")
