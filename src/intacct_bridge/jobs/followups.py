"""Unsettled writes are settled promptly, not at the next daily run.

A run that ends *failed* while records of its families still wait in the outbox (Intacct did not
answer, or did not confirm a write: an unknown outcome) gives each of them a follow-up: a
family-only run in 1, 2, 4, 8, 16 then every 30 minutes. The engine reads each one back by its
deterministic key before sending it again, so a write that did land is linked, never duplicated.
A record's page shows why it waits and when it will be checked (``PendingPush.next_check_at``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from intacct_bridge.sync.models import PendingPush, Run, RunStatus
from intacct_bridge.sync.registry import all_families

log = logging.getLogger("intacct_bridge.recovery")

MAX_DELAY = timedelta(minutes=30)


def delay(followups: int) -> timedelta:
    """1, 2, 4 … minutes after the n-th unsettled attempt, at most 30."""
    return min(MAX_DELAY, timedelta(minutes=2 ** min(followups, 10)))


def _scope(run: Run) -> list[str]:
    if run.family:
        return [run.family]
    enabled = set(run.workspace.families or [])
    return [f.name for f in all_families() if f.name in enabled and f.pushes_for(run.workspace)]


def after_run(run: Run, now: datetime | None = None) -> int:
    """Give the records a failed run left in the outbox their next check; returns how many."""
    now = now or timezone.now()
    rows = PendingPush.objects.filter(workspace=run.workspace, family__in=_scope(run))
    if run.status != RunStatus.FAILED:
        # a record still waiting after a run that ran is refused for a reason a person fixes
        rows.exclude(next_check_at=None).update(next_check_at=None, wait_reason="")
        return 0
    reason = (
        f"Intacct did not answer or confirm the last attempt ({run.message[:160]})"
        if run.message
        else "Intacct did not answer or confirm the last attempt"
    )
    count = 0
    for row in rows:
        row.next_check_at = now + delay(row.followups)
        row.followups += 1
        row.wait_reason = reason[:300]
        row.save(update_fields=["next_check_at", "followups", "wait_reason"])
        count += 1
    if count:
        log.warning(
            "recovery: %s record(s) of %s wait for a follow-up check (run %s failed)",
            count,
            run.workspace.slug,
            run.pk,
        )
    return count


def queue_due(now: datetime) -> list[Run]:
    """Queue a family-only run for each (workspace, family) with a record whose check is due."""
    from intacct_bridge.jobs.tasks import queue_push_run

    queued = []
    due = (
        PendingPush.objects.filter(next_check_at__lte=now)
        .select_related("workspace")
        .order_by("workspace_id", "family")
    )
    seen: set[tuple[int, str]] = set()
    for row in due:
        key = (row.workspace_id, row.family)
        if key not in seen:
            seen.add(key)
            run = queue_push_run(row.workspace, row.family, "follow-up")
            if run is not None:
                queued.append(run)
        # if this run cannot settle it either, after_run sets the next, longer delay
        row.next_check_at = now + delay(row.followups)
        row.save(update_fields=["next_check_at"])
    return queued
