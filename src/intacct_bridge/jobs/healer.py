"""The healer: runs recover by themselves from dead workers and a lost queue.

It runs in every worker process (a thread, every ``SYNC_HEAL_INTERVAL_SECONDS``) and is safe when
several run at once: each repair is a compare-and-swap UPDATE whose row count says which healer
does it, so a dead worker's run is redone once and a lost task queued once.

* **Dead workers.** A claim whose heartbeat (``sync/heartbeat.py``) is older than
  ``SYNC_CLAIM_STALE_SECONDS`` belongs to a worker that died (kill -9, OOM, a lost host): the claim
  is released, its run marked *interrupted* with a plain reason, and a *recovery* run of the same
  scope queued. The engine's cursors make the redo continue from the last saved page; pushes are
  read back by their deterministic key before anything is sent again.
* **A lost queue.** A run "queued" for a while whose task is neither waiting in the queue nor
  scheduled there (Redis restarted without persistence, flushed, failed over) is queued again.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Q
from django.utils import timezone

from intacct_bridge.jobs import queueing
from intacct_bridge.sync.claims import stale_after
from intacct_bridge.sync.models import Run, RunStatus, SyncClaim, Trigger
from intacct_bridge.sync.runs import new_run
from intacct_bridge.workspaces.models import Workspace

log = logging.getLogger("intacct_bridge.recovery")

#: triggers whose work a recovery run can redo by itself (a sync of the same scope)
REDOABLE = {Trigger.SCHEDULE, Trigger.SYNC_NOW, Trigger.PUSH, Trigger.RECOVERY, Trigger.RETRY}


@dataclass
class Healed:
    interrupted: list[int] = field(default_factory=list)  # runs marked interrupted
    redone: list[int] = field(default_factory=list)  # recovery runs queued for them
    requeued: list[int] = field(default_factory=list)  # queued runs handed to the queue again

    def __bool__(self) -> bool:
        return bool(self.interrupted or self.requeued)


def heal_interval() -> float:
    return float(getattr(settings, "SYNC_HEAL_INTERVAL_SECONDS", 30))


def lost_after() -> timedelta:
    """How long a queued run may be missing from the queue before it is queued again: one heal
    interval of grace covers a task a worker has just taken but not started yet."""
    return timedelta(seconds=max(5.0, heal_interval()))


def heal(now: datetime | None = None) -> Healed:
    now = now or timezone.now()
    healed = Healed()
    _release_dead_claims(now, healed)
    _interrupt_orphans(now, healed)
    _requeue_lost(now, healed)
    return healed


def recover_workspace(workspace: Workspace, now: datetime | None = None) -> Healed:
    """The scheduler's first step for a due workspace whose run is still active: if that run's
    worker is dead, interrupt it now (the scheduled run about to be queued redoes the work)."""
    now = now or timezone.now()
    healed = Healed()
    _release_dead_claims(now, healed, workspace=workspace, redo=False)
    _interrupt_orphans(now, healed, workspace=workspace, redo=False)
    return healed


def _release_dead_claims(
    now: datetime, healed: Healed, workspace: Workspace | None = None, redo: bool = True
) -> None:
    cutoff = now - stale_after()
    dead = SyncClaim.objects.exclude(holder="").filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at=None))
    if workspace is not None:
        dead = dead.filter(workspace=workspace)
    for row in dead.select_related("workspace"):
        released = SyncClaim.objects.filter(
            pk=row.pk, holder=row.holder, heartbeat_at=row.heartbeat_at
        ).update(holder="", run=None)
        if released != 1:
            continue  # it beat again, or another healer got there first
        silent = int((now - row.heartbeat_at).total_seconds()) if row.heartbeat_at else None
        reason = (
            f"Interrupted: the worker running it ({row.holder}) stopped sending its heartbeat "
            f"{silent} s ago (killed, out of memory or its machine stopped); the sync was queued "
            "again and continues from the last saved page."
        )
        log.warning("recovery: released the dead claim of %s held by %s", row.workspace.slug, row.holder)
        for run in Run.objects.filter(workspace=row.workspace, status=RunStatus.RUNNING):
            _interrupt_and_redo(run, reason, now, healed, redo)


def _interrupt_orphans(
    now: datetime, healed: Healed, workspace: Workspace | None = None, redo: bool = True
) -> None:
    """Runs left "running" with no claim behind them (their claim was taken over, or never held)."""
    cutoff = now - stale_after()
    live = SyncClaim.objects.exclude(holder="").exclude(run=None).values_list("run_id", flat=True)
    orphans = Run.objects.filter(status=RunStatus.RUNNING, started_at__lt=cutoff).exclude(pk__in=live)
    if workspace is not None:
        orphans = orphans.filter(workspace=workspace)
    for run in orphans.select_related("workspace"):
        if SyncClaim.objects.filter(workspace=run.workspace).exclude(holder="").exists():
            continue  # the workspace is busy with another run: its claim's heartbeat speaks for it
        _interrupt_and_redo(
            run,
            "Interrupted: no worker was running it any more (no claim, no heartbeat); "
            "the sync was queued again.",
            now,
            healed,
            redo,
        )


def _interrupt_and_redo(run: Run, reason: str, now: datetime, healed: Healed, redo: bool = True) -> None:
    done = Run.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
        status=RunStatus.INTERRUPTED, finished_at=now, phase="", message=reason
    )
    if done != 1:
        return
    healed.interrupted.append(run.pk)
    log.warning("recovery: run %s of %s interrupted: %s", run.pk, run.workspace.slug, reason)
    if not redo:
        return
    if run.trigger not in REDOABLE:
        Run.objects.filter(pk=run.pk).update(
            message=f"{reason} Start the {run.get_trigger_display().lower()} again."
        )
        return
    again = new_run(run.workspace, run.family, Trigger.RECOVERY, "recovery")
    Run.objects.filter(pk=again.pk).update(message=f"Redoes run #{run.pk}, which was interrupted.")
    healed.redone.append(again.pk)
    log.warning("recovery: run %s queued to redo run %s of %s", again.pk, run.pk, run.workspace.slug)
    _send(again.pk)  # when the queue is down too, the lost-queue pass below queues it later


def _requeue_lost(now: datetime, healed: Healed) -> None:
    cutoff = now - lost_after()
    waiting = list(
        Run.objects.filter(status=RunStatus.QUEUED, queued_at__lt=cutoff)
        .filter(Q(requeued_at=None) | Q(requeued_at__lt=cutoff))
        .select_related("workspace")
    )
    if not waiting:
        return
    try:
        in_queue = queueing.queued_run_ids()
    except queueing.queue_errors() as exc:
        log.warning("recovery: the queue cannot be read (%s); queued runs are checked again later", exc)
        return
    for run in waiting:
        if run.pk in in_queue:
            continue
        if run.trigger == Trigger.IMPORT:
            # the records to import travelled with the task only: say so rather than import all
            gone = Run.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
                status=RunStatus.INTERRUPTED,
                finished_at=now,
                message="Interrupted: its task was lost from the queue (the queue restarted empty); "
                "start the import again.",
            )
            if gone:
                healed.interrupted.append(run.pk)
                log.warning("recovery: import run %s of %s lost from the queue", run.pk, run.workspace.slug)
            continue
        mine = Run.objects.filter(pk=run.pk, status=RunStatus.QUEUED, requeued_at=run.requeued_at).update(
            requeued_at=now,
            message=f"Re-queued at {now:%H:%M:%S} UTC: its task was lost from the queue "
            "(the queue restarted empty or was flushed).",
        )
        if mine != 1:
            continue
        healed.requeued.append(run.pk)
        log.warning(
            "recovery: run %s of %s re-queued (its task was lost from the queue)", run.pk, run.workspace.slug
        )
        _send(run.pk)


def _send(run_id: int) -> None:
    from intacct_bridge.jobs.tasks import sync_task

    try:
        queueing.enqueue(sync_task, run_id)
    except queueing.QueueUnavailable as exc:
        log.warning("recovery: run %s stays queued, the queue is down: %s", run_id, exc.detail)


def healer_loop(stop: threading.Event) -> None:
    """Heal every ``SYNC_HEAL_INTERVAL_SECONDS`` until ``stop`` is set (a worker's thread)."""
    while not stop.wait(heal_interval()):
        try:
            close_old_connections()
            heal()
        except Exception:  # the database may be down for a while: keep trying, never die
            log.exception("recovery: the healer failed; it tries again in %s s", heal_interval())
    connection.close()


def start_healer() -> threading.Event:
    """Start the healer thread of this worker process; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=healer_loop, args=(stop,), name="healer", daemon=True).start()
    return stop
