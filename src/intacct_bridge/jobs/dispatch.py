"""The scheduler's tick: queue the runs of the workspaces that are due, once, whatever the number
of worker processes.

* One dispatcher acts per tick: every worker's Huey scheduler fires ``dispatch_schedules`` each
  minute, and a compare-and-swap on the ``SyncTick`` row lets exactly one of them through.
* No duplicate runs even so: each due schedule row is taken with ``SELECT … FOR UPDATE SKIP LOCKED``
  (PostgreSQL; SQLite's IMMEDIATE transactions serialize writers) and re-checked as still due,
  and its next slot moves in the same transaction as the run is recorded.
* A tick reads only what is due (indexed ``next_due_at`` and ``hourly_due_at``): its queries grow
  with the workspaces due, not with all workspaces.
* A due workspace whose active run belongs to a dead worker gets that run interrupted first
  (``healer.recover_workspace``), then its scheduled run — the scheduler never skips forever.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from intacct_bridge.jobs import followups, healer, queueing
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Frequency, Run, RunStatus, SyncSchedule, SyncTick, Trigger
from intacct_bridge.sync.runs import new_run
from intacct_bridge.workspaces.models import Workspace

log = logging.getLogger(__name__)

TICK = "dispatch"


def take_tick(now: datetime, name: str = TICK) -> bool:
    """True for the one process that takes this minute's tick."""
    minute = now.replace(second=0, microsecond=0)
    if not SyncTick.objects.filter(name=name).exists():
        try:
            with transaction.atomic():
                SyncTick.objects.create(name=name, last_at=minute - timedelta(minutes=1))
        except IntegrityError:
            pass  # another process created it a moment ago
    return SyncTick.objects.filter(name=name, last_at__lt=minute).update(last_at=minute) == 1


def tick(now: datetime | None = None) -> list[Run] | None:
    """The periodic entry: None when another process took this minute's tick."""
    now = now or timezone.now()
    if not take_tick(now):
        return None
    return dispatch_due(now)


def _missing_schedules() -> None:
    from intacct_bridge.jobs.tasks import schedule_for

    for ws in Workspace.objects.filter(sync_schedule__isnull=True, connection__isnull=False):
        schedule_for(ws)


def dispatch_due(now: datetime | None = None) -> list[Run]:
    """Queue one scheduled run per due workspace (not when one is already queued or running), and
    the hourly families' runs of daily workspaces. Returns the runs queued."""
    from intacct_bridge.jobs.tasks import sync_task

    now = now or timezone.now()
    _missing_schedules()
    due = list(
        SyncSchedule.objects.filter(next_due_at__lte=now)
        .exclude(frequency=Frequency.OFF)
        .values_list("pk", flat=True)
    )
    queued = [run for pk in due if (run := _dispatch_one(pk, now)) is not None]
    queued += _family_hours(now)
    # runs queued by queue_push_run are handed to the queue on commit, by it
    followups.queue_due(now)
    for run in queued:
        try:
            queueing.enqueue(sync_task, run.pk)
        except queueing.QueueUnavailable as exc:
            # recorded as queued: the healer hands it to the queue when the queue is back
            log.warning("run %s of %s waits for the queue: %s", run.pk, run.workspace.slug, exc.detail)
    return queued


def _dispatch_one(schedule_id: int, now: datetime) -> Run | None:
    with transaction.atomic():
        row = (
            SyncSchedule.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("workspace")
            .filter(pk=schedule_id, next_due_at__lte=now)
            .exclude(frequency=Frequency.OFF)
            .first()
        )
        if row is None:
            return None  # another dispatcher holds or has done it
        ws = row.workspace
        run = None
        active = service.active_run(ws)
        if active is not None and healer.recover_workspace(ws, now):
            active = service.active_run(ws)  # its dead worker's run is interrupted now
        if active is None:
            run = new_run(ws, "", Trigger.SCHEDULE, "schedule")
        # until the run reports back (tasks.record_outcome), do not queue it again
        row.next_due_at = now + timedelta(hours=1)
        row.save(update_fields=["next_due_at"])
        return run


def _family_hours(now: datetime) -> list[Run]:
    """Queue the hourly families' own runs in workspaces on a daily schedule."""
    from intacct_bridge.jobs.tasks import hourly_families, next_due

    queued = []
    rows = SyncSchedule.objects.select_related("workspace").filter(
        Q(hourly_due_at=None) | Q(hourly_due_at__lte=now),
        frequency=Frequency.DAILY,
        workspace__connection__isnull=False,
    )
    for row in rows:
        with transaction.atomic():
            nexts = []
            for family in hourly_families(row.workspace):
                due = row.family_due.get(family)
                if due and datetime.fromisoformat(due) > now:
                    nexts.append(datetime.fromisoformat(due))
                    continue
                busy = Run.objects.filter(
                    workspace=row.workspace, family=family, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
                ).exists()
                if not busy:
                    queued.append(new_run(row.workspace, family, Trigger.SCHEDULE, "hourly schedule"))
                following = next_due(row.workspace, Frequency.HOURLY, now)
                assert following is not None
                row.family_due[family] = following.isoformat()
                nexts.append(following)
            # a workspace without hourly families is looked at again in an hour (families change)
            row.hourly_due_at = min(nexts) if nexts else now + timedelta(hours=1)
            row.save(update_fields=["family_due", "hourly_due_at"])
    return queued
