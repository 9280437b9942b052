"""The one event outbox of every family: ``record`` writes an ``Event`` in the caller's transaction
and, after the commit, sends ``event_recorded`` — the place a webhook sender connects to. The JSON
API serves the feed at ``GET /api/v1/workspaces/{slug}/events?after=``."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from intacct_bridge.sync.models import Event
from intacct_bridge.workspaces.models import Workspace

log = logging.getLogger(__name__)

#: sent after the commit with ``event`` (an Event)
event_recorded = Signal()


def _announce(events: Sequence[Event]) -> None:
    def send() -> None:
        for event in events:
            log.debug("event %s #%s in workspace %s", event.kind, event.object_id, event.workspace_id)
            event_recorded.send(sender=Event, event=event)

    transaction.on_commit(send)


def record(
    workspace: Workspace | int,
    kind: str,
    payload: Mapping[str, Any],
    *,
    object_id: int | None = None,
    origin: str = "app",
) -> Event:
    ws_id = workspace if isinstance(workspace, int) else workspace.pk
    event = Event.objects.create(
        workspace_id=ws_id, kind=kind, object_id=object_id, payload=dict(payload), origin=origin
    )
    _announce([event])
    return event


def record_many(events: Sequence[Event]) -> list[Event]:
    """Many events at once (a pull applied hundreds of changes)."""
    created = Event.objects.bulk_create(list(events), batch_size=500)
    _announce(created)
    return created


def feed(workspace: Workspace, after: int = 0, limit: int = 100, kind: str = "") -> list[Event]:
    """Events after ``after``, oldest first; ``kind`` filters by prefix ("project.", "timesheet.")."""
    rows = Event.objects.filter(workspace=workspace, pk__gt=after)
    if kind:
        rows = rows.filter(kind__startswith=kind)
    return list(rows.order_by("pk")[: max(1, min(limit, 500))])
