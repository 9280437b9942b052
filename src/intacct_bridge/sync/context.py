"""``RunContext``: what a family's hooks get during a run, instead of the engine itself.

The workspace, the remote (over the workspace's ``intacct.Client``), the run's issues, a per-run
memo, and the few engine operations a family may ask for (linked IDs, a document's lines, reading
records back, pushing other records now). Nothing else of the engine is reachable from a hook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from intacct_bridge.sync.remote import Remote
from intacct_bridge.sync.runs import RunRecorder

if TYPE_CHECKING:
    from intacct_bridge.sync.engine.base import EngineBase
    from intacct_bridge.sync.family import Family
    from intacct_bridge.workspaces.models import Workspace

T = TypeVar("T")


class RunContext:
    def __init__(self, engine: EngineBase) -> None:
        self._engine = engine
        self.memo: dict[str, Any] = {}

    @property
    def workspace(self) -> Workspace:
        return self._engine.workspace

    @property
    def remote(self) -> Remote:
        return self._engine.remote

    @property
    def issues(self) -> RunRecorder:
        """The run's recorder: ``issues.issue(...)`` / ``issues.issue_from(...)`` record per-record issues."""
        return self._engine.rec

    def remember(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per run (settings, what Intacct already has); later calls get the value."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]  # type: ignore[no-any-return]

    def linked_ids(self, family: str) -> Mapping[str, int]:
        """Business ID -> local id of a family's linked records (kept for the run, refreshed on change)."""
        return self._engine.refs(family)

    def lines_of(self, family: Family[Any], local: Any) -> list[Any]:
        """A local document's lines, in order (from the push batch's one query when it made one)."""
        return self._engine.lines_of(family, local)

    def refresh(self, family: str, recordnos: Sequence[int]) -> None:
        """Read these records of a family now and apply them (the invoices a payment paid)."""
        self._engine.refresh(family, recordnos)

    def refresh_locals(self, family: str, local_ids: Iterable[int]) -> None:
        """``refresh`` for the Intacct twins of these local records."""
        self._engine.refresh_locals(family, local_ids)

    def confirm_linked(self, family: str, local_ids: Iterable[int]) -> set[int]:
        """Whether these local records' Intacct twins still exist, asked now (one query per 100);
        vanished ones are unlinked at once. Returns the local ids still linked."""
        return self._engine.confirm_linked(family, local_ids)

    def push(self, family: Family[Any], local_ids: Sequence[int]) -> None:
        """Queue these records of a family and push them now, in this run (tasks after their project)."""
        self._engine.queue_push(family.name, local_ids)
        self._engine.push(family, only=local_ids)
