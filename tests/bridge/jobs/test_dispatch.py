"""The scheduler's tick: one dispatcher per tick, no duplicate runs when dispatchers race, a stale
active run recovered before the scheduled run, and queries that grow with the workspaces due only."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intacct_bridge.jobs import dispatch, queueing
from intacct_bridge.sync import claims
from intacct_bridge.sync.models import Frequency, Run, RunStatus, SyncClaim, SyncSchedule, Trigger
from intacct_bridge.sync.runs import new_run
from intacct_bridge.workspaces.models import Connection, Workspace


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """What reached the queue (the runs themselves are not executed here)."""
    out: list[int] = []
    monkeypatch.setattr(queueing, "enqueue", lambda task, run_id, *a: out.append(run_id))
    return out


def _workspaces(n: int, due: int, now: Any, prefix: str = "w") -> list[Workspace]:
    spaces = Workspace.objects.bulk_create(
        [Workspace(slug=f"{prefix}{i}", name=f"W {i}", families=["clients"]) for i in range(n)]
    )
    Connection.objects.bulk_create(
        [Connection(workspace=w, company_id="C", user_id="u", encrypted_password="x") for w in spaces]
    )
    later = now + timedelta(hours=5)
    SyncSchedule.objects.bulk_create(
        [
            SyncSchedule(
                workspace=w,
                frequency=Frequency.DAILY,
                next_due_at=now - timedelta(minutes=1) if i < due else later,
                hourly_due_at=later,
            )
            for i, w in enumerate(spaces)
        ]
    )
    return spaces


def test_a_tick_costs_queries_for_the_due_workspaces_only(db: Any, sent: list[int]) -> None:
    now = timezone.now()
    _workspaces(1200, due=3, now=now)
    with CaptureQueriesContext(connection) as few:
        assert len(dispatch.dispatch_due(now)) == 3
    SyncSchedule.objects.filter(workspace__slug__in=[f"w{i}" for i in range(3, 33)]).update(
        next_due_at=now - timedelta(minutes=1)
    )
    with CaptureQueriesContext(connection) as more:
        assert len(dispatch.dispatch_due(now)) == 30
    per_due = (len(more) - len(few)) / 27
    fixed = len(few) - 3 * per_due
    assert fixed <= 5, few.captured_queries[:8]  # not one query per schedule: 1,200 would show
    assert per_due <= 12
    assert len(sent) == 33


def test_one_dispatcher_takes_each_tick(db: Any, sent: list[int]) -> None:
    now = timezone.now().replace(second=5, microsecond=0)
    _workspaces(5, due=5, now=now)
    assert dispatch.take_tick(now)
    assert not dispatch.take_tick(now + timedelta(seconds=20))  # the same minute: someone has it
    assert dispatch.tick(now + timedelta(seconds=30)) is None
    assert dispatch.tick(now + timedelta(minutes=1)) is not None


def test_a_stale_active_run_is_recovered_then_the_schedule_runs(
    db: Any, sent: list[int], settings: Any
) -> None:
    settings.SYNC_CLAIM_STALE_SECONDS = 120
    now = timezone.now()
    (ws,) = _workspaces(1, due=1, now=now)
    stuck = new_run(ws, "", Trigger.SYNC_NOW)
    Run.objects.filter(pk=stuck.pk).update(status=RunStatus.RUNNING, started_at=now - timedelta(hours=1))
    assert claims.claim(ws, "gone:abc", stuck)
    SyncClaim.objects.filter(workspace=ws).update(heartbeat_at=now - timedelta(minutes=5))

    (run,) = dispatch.dispatch_due(now)

    stuck.refresh_from_db()
    assert stuck.status == RunStatus.INTERRUPTED and "heartbeat" in stuck.message
    assert run.trigger == Trigger.SCHEDULE and sent == [run.pk]
    assert claims.holder_of(ws) == ""


def test_a_live_active_run_still_defers_the_schedule(db: Any, sent: list[int]) -> None:
    now = timezone.now()
    (ws,) = _workspaces(1, due=1, now=now)
    busy = new_run(ws, "", Trigger.SYNC_NOW)
    Run.objects.filter(pk=busy.pk).update(status=RunStatus.RUNNING, started_at=now)
    assert claims.claim(ws, "alive:abc", busy)
    assert dispatch.dispatch_due(now) == []
    busy.refresh_from_db()
    assert busy.status == RunStatus.RUNNING


@pytest.mark.django_db(transaction=True)
def test_dispatchers_racing_queue_each_due_workspace_once(sent: list[int]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the row-lock race runs on PostgreSQL (DATABASE_URL=postgres://…); SQLite serializes")
    now = timezone.now()
    _workspaces(60, due=60, now=now, prefix="race")
    start = threading.Barrier(6)
    results: list[Any] = []
    errors: list[BaseException] = []

    def dispatcher(by_tick: bool) -> None:
        try:
            start.wait()
            results.append(dispatch.tick(now) if by_tick else dispatch.dispatch_due(now))
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=dispatcher, args=(i < 3,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    runs = Run.objects.filter(trigger=Trigger.SCHEDULE)
    assert runs.count() == 60
    assert runs.values("workspace").distinct().count() == 60
    assert sorted(sent) == sorted(runs.values_list("pk", flat=True))
