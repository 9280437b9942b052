"""Huey tasks: per-workspace schedules, Sync now, imports.

* ``dispatch_schedules`` (every minute) queues a sync for each workspace whose schedule is due —
  daily at the workspace's ``sync_time`` (its own timezone) by default, or hourly.
* ``sync_task`` / ``import_task`` execute a queued Run under the workspace's compare-and-swap claim
  (``sync/claims.py``); when another sync holds it, the task tries again a little later.
* A workspace whose runs fail backs off (1 h, 2 h, 4 h … up to 24 h) instead of crash-looping;
  a paused workspace (Intacct refused the login) is skipped until Test connection passes again.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from huey.exceptions import RetryTask

from intacct_bridge.jobs import followups, queueing
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Frequency, PendingPush, Run, RunStatus, SyncSchedule, Trigger
from intacct_bridge.sync.registry import all_families, get_family
from intacct_bridge.sync.runs import RunRecorder, new_run
from intacct_bridge.sync.spec import Schedule
from intacct_bridge.workspaces.models import Workspace

log = logging.getLogger(__name__)

BUSY_RETRY_SECONDS = 30
BUSY_RETRIES = 20
MAX_BACKOFF = timedelta(hours=24)


def next_due(workspace: Workspace, frequency: str, after: datetime) -> datetime | None:
    """The next scheduled moment strictly after ``after`` (aware UTC)."""
    if frequency == Frequency.OFF:
        return None
    if frequency == Frequency.HOURLY:
        return after.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    zone = ZoneInfo(workspace.timezone or "UTC")
    local = after.astimezone(zone)
    at = (
        workspace.sync_time
        if isinstance(workspace.sync_time, time)
        else time.fromisoformat(str(workspace.sync_time))
    )
    candidate = datetime.combine(local.date(), at, tzinfo=zone)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=zone)
    return candidate.astimezone(ZoneInfo("UTC"))


def schedule_for(workspace: Workspace) -> SyncSchedule:
    row, created = SyncSchedule.objects.get_or_create(workspace=workspace)
    if created or (row.next_due_at is None and row.frequency != Frequency.OFF):
        row.next_due_at = next_due(workspace, row.frequency, timezone.now())
        row.save(update_fields=["next_due_at"])
    return row


def backoff(failures: int) -> timedelta:
    return min(MAX_BACKOFF, timedelta(hours=2 ** max(0, failures - 1)))


def record_outcome(workspace: Workspace, run: Run) -> None:
    """Move the schedule on: the normal next slot after success, a growing delay after failures."""
    row = schedule_for(workspace)
    now = timezone.now()
    row.last_run = run
    if run.status == RunStatus.FAILED:
        row.consecutive_failures += 1
        row.next_due_at = now + backoff(row.consecutive_failures)
    else:
        row.consecutive_failures = 0
        row.next_due_at = next_due(workspace, row.frequency, now)
    row.save()


def hourly_families(workspace: Workspace) -> list[str]:
    """Enabled families whose spec syncs hourly (invoices, project-invoice status), run on their own
    when the workspace itself syncs less often."""
    enabled = set(workspace.families or [])
    return [f.name for f in all_families() if f.name in enabled and f.spec.schedule == Schedule.HOURLY]


def dispatch_due(now: datetime | None = None) -> list[Run]:
    """Queue the due workspaces' scheduled runs (``jobs/dispatch.py``)."""
    from intacct_bridge.jobs import dispatch

    return dispatch.dispatch_due(now)


@db_periodic_task(crontab(minute="*"))
def dispatch_schedules() -> None:
    """Every worker's scheduler fires this each minute; one of them takes the tick."""
    from intacct_bridge.jobs import dispatch

    dispatch.tick()


def execute_queued(run_id: int, kind: str = "sync", payload: dict[str, Any] | None = None) -> str:
    """Execute one queued run. Returns "done", "busy" (try later) or "gone"."""
    run = Run.objects.select_related("workspace").filter(pk=run_id, status=RunStatus.QUEUED).first()
    if run is None:
        return "gone"
    payload = payload or {}
    try:
        if kind == "import":
            run = service.import_records(
                run.workspace, run.family, payload.get("ids"), options=payload.get("options") or {}, run=run
            )
        else:
            run = service.run_sync(run)
    except service.Busy:
        return "busy"
    followups.after_run(run)
    if run.trigger == Trigger.SCHEDULE and not run.family:  # a family's hourly run keeps the day's slot
        record_outcome(run.workspace, run)
    return "done"


def _give_up(run_id: int) -> None:
    run = Run.objects.filter(pk=run_id, status=RunStatus.QUEUED).first()
    if run is not None:
        RunRecorder(run).finish(
            RunStatus.SKIPPED, "Another sync of this workspace kept running; try again later."
        )


def _wait_or_give_up(run_id: int, outcome: str) -> str:
    """Another sync of the workspace holds it: try again in a while (an INFO line in the worker's
    log, not an error), until the run has waited BUSY_RETRIES x BUSY_RETRY_SECONDS."""
    if outcome != "busy":
        return outcome
    run = Run.objects.filter(pk=run_id).only("queued_at").first()
    waited = timezone.now() - run.queued_at if run is not None else timedelta(0)
    if waited >= timedelta(seconds=BUSY_RETRIES * BUSY_RETRY_SECONDS):
        _give_up(run_id)
        return outcome
    raise RetryTask(delay=BUSY_RETRY_SECONDS)


@db_task()
def sync_task(run_id: int) -> str:
    return _wait_or_give_up(run_id, execute_queued(run_id, "sync"))


@db_task()
def import_task(run_id: int, ids: list[int] | None = None, options: dict[str, Any] | None = None) -> str:
    return _wait_or_give_up(run_id, execute_queued(run_id, "import", {"ids": ids, "options": options}))


def queue_sync(workspace: Workspace, family: str = "", by: str = "") -> Run:
    """Sync now: record a queued run and hand it to a worker. Raises QueueUnavailable (and leaves
    no run behind) when the queue cannot be reached."""
    queueing.ensure_reachable()
    run = new_run(workspace, family, Trigger.SYNC_NOW, by)
    transaction.on_commit(lambda: _send_or_forget(run, sync_task, run.pk))
    return run


def _send_or_forget(run: Run, task: Any, *args: Any) -> None:
    """Queue the run's task after the commit; if the queue is down, delete the run (a person sees
    the error and tries again) instead of leaving one that only the healer would start later."""
    try:
        queueing.enqueue(task, *args)
    except queueing.QueueUnavailable:
        Run.objects.filter(pk=run.pk, status=RunStatus.QUEUED).delete()
        raise


def queue_push_run(workspace: Workspace, family: str, by: str = "") -> Run | None:
    """A family-only run soon after a change in the app (a payment, a project edit), unless one of
    that family is already waiting to start (it will take the change along)."""
    if Run.objects.filter(workspace=workspace, family=family, status=RunStatus.QUEUED).exists():
        return None
    run = new_run(workspace, family, Trigger.PUSH, by)
    transaction.on_commit(lambda: _send_or_keep(run))
    return run


def _send_or_keep(run: Run) -> None:
    """A push run follows a change the person already saved: with the queue down, keep the run
    queued (the healer hands it to the queue when it is back) rather than fail their save."""
    try:
        queueing.enqueue(sync_task, run.pk)
    except queueing.QueueUnavailable as exc:
        log.warning("run %s of %s waits for the queue: %s", run.pk, run.workspace.slug, exc.detail)


def push_now(workspace: Workspace, family: str, local_ids: list[int], by: str = "") -> Run | None:
    """Send these records promptly (not at the next scheduled sync): queue them and a family-only
    run. Returns the queued run, or None when one is already waiting (it takes these along)."""
    get_family(family)  # an unknown family: LookupError before anything is queued
    for local_id in local_ids:
        PendingPush.objects.get_or_create(workspace=workspace, family=family, local_id=local_id)
    return queue_push_run(workspace, family, by)


def queue_import(
    workspace: Workspace, family: str, ids: list[int] | None, options: dict[str, Any], by: str = ""
) -> Run:
    queueing.ensure_reachable()
    run = new_run(workspace, family, Trigger.IMPORT, by)
    transaction.on_commit(lambda: _send_or_forget(run, import_task, run.pk, ids, options))
    return run
