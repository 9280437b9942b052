"""Handing work to the Huey queue, and telling a queue that is down from any other error.

The queue (Redis, or ``var/huey.sqlite3``) can be unreachable while the database is fine: a
request that wants to queue a run then gets ``QueueUnavailable`` (the API answers 503
``queue_unavailable``, the page says so) instead of an HTML 500 and a run that never starts.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from huey.contrib.djhuey import HUEY


class QueueUnavailable(Exception):
    """The task queue cannot be reached; nothing was queued."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            "The task queue is unreachable, so nothing was started "
            f"({detail}). Try again in a few minutes; if it persists, check Redis (REDIS_URL)."
        )
        self.detail = detail


def queue_errors() -> tuple[type[BaseException], ...]:
    """The exceptions a queue that is down raises (Redis' own, a locked or missing SQLite file)."""
    errors: list[type[BaseException]] = [sqlite3.Error, ConnectionError, TimeoutError]
    try:
        import redis

        errors.append(redis.RedisError)
    except ImportError:  # pragma: no cover - redis is a dependency; SQLite-only installs still work
        pass
    return tuple(errors)


def enqueue(task: Callable[..., Any], *args: Any) -> None:
    """Call a Huey task (queue it); raises QueueUnavailable when the queue is down."""
    try:
        task(*args)
    except queue_errors() as exc:
        raise QueueUnavailable(f"{type(exc).__name__}: {exc}") from exc


def ensure_reachable() -> None:
    """Raise QueueUnavailable unless the queue answers (one cheap read: its length), before a
    request records a run it could not hand over."""
    try:
        HUEY.storage.queue_size()
    except queue_errors() as exc:
        raise QueueUnavailable(f"{type(exc).__name__}: {exc}") from exc


def queued_run_ids() -> set[int]:
    """Run ids of the tasks waiting in the queue or in its schedule (retries, delays).

    Reads the whole queue: cheap next to a sync, and only the healer calls it, twice a minute.
    """
    ids: set[int] = set()
    for task in [*HUEY.pending(), *HUEY.scheduled()]:
        if task.name.endswith(("sync_task", "import_task")) and task.args:
            ids.add(int(task.args[0]))
    return ids


def check() -> str:
    """ "" when the queue answers a write and a read, else what went wrong (one line)."""
    key = "intacct-bridge-status-check"
    try:
        HUEY.put(key, "ok")
        answer = HUEY.get(key)
    except queue_errors() as exc:
        return f"{type(exc).__name__}: {exc}".splitlines()[0]
    return "" if answer == "ok" else "the queue did not return what was written"
