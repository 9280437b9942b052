"""Schedules, backoff, Sync now through Huey, and the compare-and-swap claim."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from intacct_bridge.jobs import tasks
from intacct_bridge.sync import claims, service
from intacct_bridge.sync.models import Frequency, Run, RunStatus, SyncClaim, SyncSchedule, Trigger
from intacct_bridge.sync.runs import new_run

pytestmark = pytest.mark.django_db


def test_daily_schedule_runs_at_the_workspace_time_in_its_timezone(workspace: Any) -> None:
    workspace.timezone = "Europe/Oslo"
    workspace.sync_time = time(2, 0)
    # 00:30 UTC on 15 Jan is 01:30 in Oslo: the same night's 02:00 Oslo (01:00 UTC) is next
    assert tasks.next_due(workspace, Frequency.DAILY, datetime(2026, 1, 15, 0, 30, tzinfo=UTC)) == datetime(
        2026, 1, 15, 1, 0, tzinfo=UTC
    )
    assert tasks.next_due(workspace, Frequency.DAILY, datetime(2026, 1, 15, 1, 0, tzinfo=UTC)) == datetime(
        2026, 1, 16, 1, 0, tzinfo=UTC
    )


def test_hourly_and_off(workspace: Any) -> None:
    at = datetime(2026, 1, 15, 10, 20, tzinfo=UTC)
    assert tasks.next_due(workspace, Frequency.HOURLY, at) == datetime(2026, 1, 15, 11, 0, tzinfo=UTC)
    assert tasks.next_due(workspace, Frequency.OFF, at) is None


def test_failing_workspaces_back_off(workspace: Any) -> None:
    assert [tasks.backoff(n) for n in (1, 2, 3)] == [
        timedelta(hours=1),
        timedelta(hours=2),
        timedelta(hours=4),
    ]
    assert tasks.backoff(30) == timedelta(hours=24)
    run = new_run(workspace, "", Trigger.SCHEDULE)
    run.status = RunStatus.FAILED
    before = timezone.now()
    tasks.record_outcome(workspace, run)
    tasks.record_outcome(workspace, run)
    row = SyncSchedule.objects.get(workspace=workspace)
    assert row.consecutive_failures == 2
    assert row.next_due_at is not None and row.next_due_at >= before + timedelta(hours=2)
    run.status = RunStatus.SUCCEEDED
    tasks.record_outcome(workspace, run)
    row.refresh_from_db()
    assert row.consecutive_failures == 0


def test_due_workspaces_are_synced_once(
    connected_workspace: Any, django_capture_on_commit_callbacks: Any, intacct_sandbox: Any
) -> None:
    row = tasks.schedule_for(connected_workspace)
    row.next_due_at = timezone.now() - timedelta(minutes=1)
    row.save()
    queued = tasks.dispatch_due()
    assert len(queued) == 1
    run = Run.objects.get(pk=queued[0].pk)
    assert run.trigger == Trigger.SCHEDULE and run.status == RunStatus.SUCCEEDED, run.message
    assert tasks.dispatch_due() == []  # not due again until its next slot
    row.refresh_from_db()
    assert row.next_due_at is not None and row.next_due_at > timezone.now()


def test_sync_now_is_queued_and_executed(
    connected_workspace: Any, django_capture_on_commit_callbacks: Any, intacct_sandbox: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = tasks.queue_sync(connected_workspace, "clients", by="alice")
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert run.requested_by == "alice" and run.started_at is not None


def test_a_busy_workspace_waits(workspace: Any) -> None:
    assert claims.claim(workspace, "otherhost:1:abc")
    run = new_run(workspace, "clients", Trigger.SYNC_NOW)
    assert tasks.execute_queued(run.pk) == "busy"
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED
    with pytest.raises(service.Busy):
        service.import_records(workspace, "clients", [1])


def test_claims_are_exclusive_and_released(workspace: Any) -> None:
    assert claims.claim(workspace, "a:1:x")
    assert not claims.claim(workspace, "b:2:y")
    assert claims.heartbeat(workspace, "a:1:x")
    claims.release(workspace, "a:1:x")
    assert claims.claim(workspace, "b:2:y")
    assert not claims.heartbeat(workspace, "a:1:x")


def test_a_stale_claim_is_taken_over(workspace: Any, settings: Any) -> None:
    settings.SYNC_CLAIM_STALE_SECONDS = 60
    assert claims.claim(workspace, "elsewhere:1:x")
    SyncClaim.objects.filter(workspace=workspace).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert claims.claim(workspace, "here:2:y")
    assert claims.holder_of(workspace) == "here:2:y"


def test_a_live_heartbeat_keeps_the_claim_whatever_its_process_id_says(workspace: Any) -> None:
    """Liveness is the heartbeat alone: workers run on several hosts, process ids prove nothing."""
    import subprocess

    dead = subprocess.Popen(["true"])
    dead.wait()
    assert claims.claim(workspace, f"{claims.HOST}:{dead.pid}:x")
    assert not claims.claim(workspace, claims.holder_id())


def test_taking_over_a_stale_claim_interrupts_the_dead_holders_run(workspace: Any, settings: Any) -> None:
    settings.SYNC_CLAIM_STALE_SECONDS = 60
    orphan = new_run(workspace, "", Trigger.SYNC_NOW)
    Run.objects.filter(pk=orphan.pk).update(status=RunStatus.RUNNING)
    assert claims.claim(workspace, "elsewhere:x", orphan)
    SyncClaim.objects.filter(workspace=workspace).update(heartbeat_at=timezone.now() - timedelta(minutes=2))
    assert claims.claim(workspace, claims.holder_id())
    orphan.refresh_from_db()
    assert orphan.status == RunStatus.INTERRUPTED and "heartbeat" in orphan.message


def test_a_busy_workspace_is_retried_quietly_then_given_up(
    workspace: Any, immediate_huey: Any, caplog: Any
) -> None:
    from huey.exceptions import RetryTask

    assert claims.claim(workspace, "otherhost:1:abc")
    run = new_run(workspace, "clients", Trigger.SYNC_NOW)
    with pytest.raises(RetryTask):  # huey runs it again in BUSY_RETRY_SECONDS, logged at INFO
        tasks.sync_task.call_local(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED
    Run.objects.filter(pk=run.pk).update(
        queued_at=timezone.now() - timedelta(seconds=tasks.BUSY_RETRIES * tasks.BUSY_RETRY_SECONDS + 1)
    )
    assert tasks.sync_task.call_local(run.pk) == "busy"
    run.refresh_from_db()
    assert run.status == RunStatus.SKIPPED and "kept running" in run.message
