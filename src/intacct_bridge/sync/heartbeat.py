"""The claim's heartbeat: a thread renews ``SyncClaim.heartbeat_at`` while its holder works.

A thread, not safe points in the engine, because one Intacct request may wait minutes (latency,
rate limits) and a live worker must never look dead. The thread stops when the work ends; if the
process is killed it dies with it, the heartbeat ages, and the healer (``jobs/healer.py``) or the
next claimant takes over after ``SYNC_CLAIM_STALE_SECONDS``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from intacct_bridge.sync import claims
from intacct_bridge.workspaces.models import Workspace

log = logging.getLogger(__name__)

# workspaces whose claim this process held and lost (taken over as stale after a long stall): the
# engine stops their run at the next page boundary rather than sync alongside the redo
_LOST: set[int] = set()


def lost(workspace: Workspace) -> bool:
    return workspace.pk in _LOST


def interval_seconds() -> float:
    """Four beats per stale window: a beat or two may be late (a busy database) without harm."""
    return max(0.5, claims.stale_after().total_seconds() / 4)


def _beat(workspace: Workspace, holder: str, stop: threading.Event) -> None:
    try:
        while not stop.wait(interval_seconds()):
            try:
                if not claims.heartbeat(workspace, holder):
                    log.warning(
                        "sync claim of %s was taken over; its run stops at the next page", workspace.slug
                    )
                    _LOST.add(workspace.pk)
                    return
            except Exception:  # a database hiccup: the next beat tries again
                log.warning("heartbeat of %s's sync claim failed", workspace.slug, exc_info=True)
    finally:
        connection.close()  # this thread's own connection


@contextmanager
def beating(workspace: Workspace, holder: str) -> Iterator[None]:
    """Renew the claim held by ``holder`` until the block ends."""
    stop = threading.Event()
    thread = threading.Thread(
        target=_beat, args=(workspace, holder, stop), name=f"heartbeat-{workspace.slug}", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)
        _LOST.discard(workspace.pk)
