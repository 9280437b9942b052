"""At most one sync per workspace: a compare-and-swap claim on a database row.

``claim`` is a conditional UPDATE (``holder = '' -> me``) whose row count must be 1, so it holds
across threads, processes and machines sharing the database. The holder renews ``heartbeat_at``
while it works (``sync/heartbeat.py``); a holder that died (kill -9, OOM, a lost machine) is
recognised by a heartbeat older than ``SYNC_CLAIM_STALE_SECONDS`` (default 120) — never by process
ids, since workers run on several hosts — and its claim is then taken over with the same
compare-and-swap (or released by the healer, ``jobs/healer.py``).
"""

from __future__ import annotations

import socket
import uuid
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from intacct_bridge.sync.models import Run, RunStatus, SyncClaim
from intacct_bridge.workspaces.models import Workspace

HOST = socket.gethostname()


def stale_after() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "SYNC_CLAIM_STALE_SECONDS", 120)))


def holder_id() -> str:
    """A label for the log and the claim row (host and a nonce); liveness is the heartbeat alone."""
    return f"{HOST}:{uuid.uuid4().hex[:12]}"


def claim(workspace: Workspace, holder: str, run: Run | None = None) -> bool:
    """Take the workspace's sync claim; False when another live worker holds it."""
    SyncClaim.objects.get_or_create(workspace=workspace)
    now = timezone.now()
    taken = SyncClaim.objects.filter(workspace=workspace, holder="").update(
        holder=holder, run=run, claimed_at=now, heartbeat_at=now
    )
    if taken == 1:
        return True
    current = SyncClaim.objects.filter(workspace=workspace).values("holder", "heartbeat_at").first()
    if current is None or not current["holder"]:
        return claim(workspace, holder, run)
    stale = current["heartbeat_at"] is None or now - current["heartbeat_at"] > stale_after()
    if stale:
        # take over from a dead holder, but only if nobody else did in the meantime
        taken = SyncClaim.objects.filter(workspace=workspace, holder=current["holder"]).update(
            holder=holder, run=run, claimed_at=now, heartbeat_at=now
        )
        if taken == 1:
            _close_orphan_runs(workspace, run)
        return taken == 1
    return False


def _close_orphan_runs(workspace: Workspace, keep: Run | None) -> None:
    orphans = Run.objects.filter(workspace=workspace, status=RunStatus.RUNNING)
    if keep is not None:
        orphans = orphans.exclude(pk=keep.pk)
    orphans.update(
        status=RunStatus.INTERRUPTED,
        finished_at=timezone.now(),
        message=(
            "Interrupted: the worker running it stopped sending its heartbeat (killed or its machine "
            "stopped); the next run starts again from the last saved page."
        ),
    )


def heartbeat(workspace: Workspace, holder: str) -> bool:
    """Refresh the claim; False if it was lost (taken over as stale)."""
    return (
        SyncClaim.objects.filter(workspace=workspace, holder=holder).update(heartbeat_at=timezone.now()) == 1
    )


def release(workspace: Workspace, holder: str) -> None:
    SyncClaim.objects.filter(workspace=workspace, holder=holder).update(holder="", run=None)


def holder_of(workspace: Workspace) -> str:
    row = SyncClaim.objects.filter(workspace=workspace).values_list("holder", flat=True).first()
    return row or ""
