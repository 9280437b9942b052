"""Per-company concurrency limit. In-process here; anything with the same ``slot`` method (a
Redis-backed semaphore, say) can replace it through ``Client(limiter=...)``."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol, runtime_checkable


@runtime_checkable
class Limiter(Protocol):
    def slot(self, key: str) -> AbstractContextManager[object]:
        """A context manager held for the duration of one HTTP request to company ``key``."""
        ...


class InProcessLimiter:
    """At most ``limit`` requests in flight per company key within this process."""

    def __init__(self, limit: int = 2) -> None:
        if not isinstance(limit, int) or limit < 1:
            raise ValueError(f"concurrency limit must be >= 1, got {limit!r}")
        self.limit = limit
        self._lock = threading.Lock()
        self._semaphores: dict[str, threading.BoundedSemaphore] = {}

    def _semaphore(self, key: str) -> threading.BoundedSemaphore:
        with self._lock:
            sem = self._semaphores.get(key)
            if sem is None:
                sem = self._semaphores[key] = threading.BoundedSemaphore(self.limit)
            return sem

    @contextmanager
    def _hold(self, key: str) -> Iterator[None]:
        sem = self._semaphore(key)
        sem.acquire()
        try:
            yield
        finally:
            sem.release()

    def slot(self, key: str) -> AbstractContextManager[object]:
        return self._hold(key)
