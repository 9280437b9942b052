"""The healer's passes on one database: dead claims released and their runs redone once, orphan
runs interrupted, queued runs whose task is in no queue queued again — each repair done by exactly
one of several healers running at once."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from intacct_bridge.jobs import healer
from intacct_bridge.sync import claims, heartbeat
from intacct_bridge.sync.models import Run, RunStatus, SyncClaim, Trigger
from intacct_bridge.sync.runs import new_run
from intacct_bridge.workspaces.models import Workspace


def _running(ws: Workspace, trigger: str = Trigger.SCHEDULE) -> Run:
    run = new_run(ws, "", trigger)
    Run.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=10)
    )
    run.refresh_from_db()
    return run


def test_a_dead_holders_run_is_interrupted_and_redone_once(ws: Workspace, settings: Any, caplog: Any) -> None:
    settings.SYNC_CLAIM_STALE_SECONDS = 120
    run = _running(ws)
    assert claims.claim(ws, "host-b:abc", run)
    SyncClaim.objects.filter(workspace=ws).update(heartbeat_at=timezone.now() - timedelta(minutes=3))
    caplog.set_level("WARNING", logger="intacct_bridge.recovery")

    healed = healer.heal()
    again = healer.heal()  # a second healer, a moment later: nothing left to do

    run.refresh_from_db()
    assert run.status == RunStatus.INTERRUPTED
    assert "stopped sending its heartbeat" in run.message and "host-b:abc" in run.message
    assert healed.interrupted == [run.pk] and len(healed.redone) == 1 and not again
    redo = Run.objects.get(pk=healed.redone[0])
    assert redo.trigger == Trigger.RECOVERY and f"#{run.pk}" in redo.message
    assert redo.status == RunStatus.SUCCEEDED  # Huey runs inline here: the redo ran and synced
    assert claims.holder_of(ws) == ""
    assert f"recovery: run {run.pk} of {ws.slug} interrupted" in caplog.text


def test_a_live_heartbeat_is_left_alone(ws: Workspace, settings: Any) -> None:
    settings.SYNC_CLAIM_STALE_SECONDS = 120
    run = _running(ws)
    assert claims.claim(ws, "host-b:abc", run)  # beat just now
    assert not healer.heal()
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and claims.holder_of(ws) == "host-b:abc"


def test_a_running_run_without_a_claim_is_an_orphan(ws: Workspace, settings: Any) -> None:
    settings.SYNC_CLAIM_STALE_SECONDS = 120
    run = _running(ws, Trigger.IMPORT)
    healed = healer.heal()
    run.refresh_from_db()
    assert run.status == RunStatus.INTERRUPTED and healed.interrupted == [run.pk]
    assert "Start the import again" in run.message and healed.redone == []  # its ids are unknown


def test_a_queued_run_missing_from_the_queue_is_queued_again(ws: Workspace, settings: Any) -> None:
    settings.SYNC_HEAL_INTERVAL_SECONDS = 30
    run = new_run(ws, "", Trigger.SCHEDULE)  # recorded, but its task never reached the queue
    Run.objects.filter(pk=run.pk).update(queued_at=timezone.now() - timedelta(minutes=2))
    fresh = new_run(ws, "clients", Trigger.PUSH)  # just queued: a worker may be taking it now

    healed = healer.heal()

    assert healed.requeued == [run.pk]
    run.refresh_from_db()
    fresh.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and "lost from the queue" in run.message
    assert fresh.status == RunStatus.QUEUED


def test_the_history_and_the_log_show_every_recovery(
    ws: Workspace, settings: Any, owner: Any, client: Any, caplog: Any
) -> None:
    settings.SYNC_CLAIM_STALE_SECONDS = 120
    caplog.set_level("INFO", logger="intacct_bridge")
    run = _running(ws)
    assert claims.claim(ws, "host-b:abc", run)
    SyncClaim.objects.filter(workspace=ws).update(heartbeat_at=timezone.now() - timedelta(minutes=3))
    lost = new_run(ws, "clients", Trigger.PUSH)
    Run.objects.filter(pk=lost.pk).update(queued_at=timezone.now() - timedelta(minutes=5))

    healed = healer.heal()

    client.force_login(owner)
    page = client.get(f"/w/{ws.slug}/sync/").content.decode()
    assert "stopped sending its heartbeat" in page  # the interrupted run's reason
    assert f"Redoes run #{run.pk}" in page and "Recovery" in page
    assert "lost from the queue" in page  # the re-queued run's reason
    (redo,) = healed.redone  # the run lines themselves: ops/logs.py (INTACCT_BRIDGE_LOG_JSON)
    lines = [r.getMessage() for r in caplog.records]
    assert any(f"recovery: run {run.pk} of {ws.slug} interrupted" in line for line in lines)
    assert any(f"recovery: run {lost.pk} of {ws.slug} re-queued" in line for line in lines)
    assert Run.objects.get(pk=redo).status == RunStatus.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_renews_the_claim_and_notices_when_it_is_lost(settings: Any) -> None:
    settings.SYNC_CLAIM_STALE_SECONDS = 2  # a beat every half second
    ws = Workspace.objects.create(slug="beat", name="Beat")
    holder = claims.holder_id()
    assert claims.claim(ws, holder)
    SyncClaim.objects.filter(workspace=ws).update(heartbeat_at=timezone.now() - timedelta(seconds=1))
    with heartbeat.beating(ws, holder):
        time.sleep(1.2)
        beat = SyncClaim.objects.get(workspace=ws).heartbeat_at
        assert beat is not None and timezone.now() - beat < timedelta(seconds=1)  # renewed
        SyncClaim.objects.filter(workspace=ws).update(holder="other-host:x")  # taken over as stale
        deadline = time.monotonic() + 5
        while not heartbeat.lost(ws) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert heartbeat.lost(ws)  # the engine stops this run at its next page boundary
    assert not heartbeat.lost(ws)
