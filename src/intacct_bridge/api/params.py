"""Query parameters shared by several API endpoints, parsed with a specific 422 when they are wrong."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from intacct_bridge.api.errors import ApiError
from intacct_bridge.sync.models import Event
from intacct_bridge.workspaces.models import Workspace


def events_after(workspace: Workspace, since: str) -> int:
    """``events?since=``: an event id (the feed continues after it) or an ISO 8601 timestamp (the
    feed continues with the first event created at or after it); the event id to read after."""
    text = since.strip()
    if text.isdigit():
        return int(text)
    moment: datetime | None
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None:
        raise ApiError(
            422,
            "invalid",
            f"since: {since!r} is neither an event id nor an ISO 8601 timestamp "
            "(such as 42 or 2026-01-31T09:00:00Z)",
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    before = Event.objects.filter(workspace=workspace, created_at__lt=moment).order_by("-pk").first()
    return before.pk if before is not None else 0
