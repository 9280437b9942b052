"""The incremental-pull watermark: a (WHENMODIFIED, RECORDNO) position, kept on plain data.

Django-free and I/O-free so the state rules can be tested on their own (the split meltano's singer_sdk makes).

Rules of one run:

* At run start the stored position is read and a **signpost** is frozen: "now" in the Web Services
  user's timezone (Intacct returns WHENMODIFIED in that zone, without an offset) minus an overlap
  window. Intacct is eventually consistent, so rows committed just before "now" may not be visible yet.
* Records after the stored position are read in (WHENMODIFIED, RECORDNO) order (keyset:
  ``WHENMODIFIED > t OR (WHENMODIFIED = t AND RECORDNO > r)``); each one advances the position
  **in memory** only.
* The position is promoted (written back) only when the run commits, and never past the signpost, so
  anything changed during or shortly before the run is read again next time (at least once; the
  engine's hash compare makes the repeat free of writes).
* Records never modified have an empty WHENMODIFIED; a separate pass reads them by the system creation
  stamp (``FamilySpec.created_field``: WHENCREATED on master data, AUWHENCREATED on transaction
  headers whose WHENCREATED is the document date, docs/intacct/objects.md §0.9). That pass runs
  first, so an interrupted run can still save the main pass's sorted progress safely.
* A run that read everything (both passes, a full read, an import) moves the position to the
  signpost: the next window starts at most one overlap back, so re-fetching never grows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

INTACCT_TIMESTAMP = "%m/%d/%Y %H:%M:%S"
_ACCEPTED = (INTACCT_TIMESTAMP, "%m/%d/%Y %H:%M", "%m/%d/%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")

DEFAULT_OVERLAP = timedelta(minutes=5)


class CursorOrderError(ValueError):
    """A record arrived out of (WHENMODIFIED, RECORDNO) order: saving progress would skip records."""


def parse_timestamp(text: str | None) -> datetime | None:
    """An Intacct timestamp (user's zone, naive) or None when empty."""
    if text is None:
        return None
    text = str(text).strip()
    if not text:
        return None
    for fmt in _ACCEPTED:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"not an Intacct timestamp: {text!r}")


def format_timestamp(when: datetime) -> str:
    return when.strftime(INTACCT_TIMESTAMP)


def local_now(now: datetime, timezone_name: str) -> datetime:
    """``now`` (aware) as a naive wall-clock time in the Web Services user's timezone."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(ZoneInfo(timezone_name)).replace(tzinfo=None)


def to_utc(local: datetime, timezone_name: str) -> datetime:
    """A naive Intacct timestamp (user's zone) as an aware UTC datetime."""
    return local.replace(tzinfo=ZoneInfo(timezone_name)).astimezone(UTC)


@dataclass(frozen=True, order=True)
class Position:
    modified: datetime
    recordno: int

    def to_dict(self) -> dict[str, Any]:
        return {"modified": format_timestamp(self.modified), "recordno": self.recordno}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Position | None:
        if not data or not data.get("modified"):
            return None
        modified = parse_timestamp(data["modified"])
        assert modified is not None
        return cls(modified, int(data.get("recordno") or 0))


@dataclass
class RunCursor:
    """One run's view of a family's watermark."""

    stored: Position | None
    signpost: datetime
    progress: Position | None = None
    created_progress: Position | None = None
    null_pass_done: bool = False
    _last: Position | None = field(default=None, repr=False)

    @classmethod
    def start(
        cls, stored: Position | None, now: datetime, timezone_name: str, overlap: timedelta = DEFAULT_OVERLAP
    ) -> RunCursor:
        return cls(stored=stored, signpost=local_now(now, timezone_name) - overlap)

    @property
    def since(self) -> datetime | None:
        """Inclusive lower bound of this run's queries; None means read everything."""
        return self.stored.modified if self.stored else None

    def observe(self, modified: datetime | None, recordno: int) -> None:
        """A record of the main pass was applied (in order). Empty WHENMODIFIED does not move it."""
        if modified is None:
            return
        here = Position(modified, recordno)
        if self._last is not None and here < self._last:
            raise CursorOrderError(f"{here} arrived after {self._last}")
        self._last = here
        if self.progress is None or here > self.progress:
            self.progress = here

    def seen(self, modified: datetime | None, recordno: int) -> None:
        """A record read in no particular order (an import by keys); only the maximum counts."""
        if modified is not None and (self.progress is None or Position(modified, recordno) > self.progress):
            self.progress = Position(modified, recordno)

    def observe_created(self, created: datetime | None, recordno: int) -> None:
        """A record of the empty-WHENMODIFIED pass was applied."""
        if created is None:
            return
        here = Position(created, recordno)
        if self.created_progress is None or here > self.created_progress:
            self.created_progress = here

    def finish_null_pass(self) -> None:
        self.null_pass_done = True

    def caught_up(self) -> None:
        """Everything changed up to now was read (both passes, a full read, an import): the position
        may move to the signpost even when no record moved it. The next run's window then starts at
        most one overlap back, whatever happened before, so re-fetching stays bounded run after run."""
        here = Position(self.signpost, 0)
        if self.progress is None or here > self.progress:
            self.progress = here

    def _cap(self, position: Position | None) -> Position | None:
        if position is None:
            return None
        if position.modified > self.signpost:
            return Position(self.signpost, 0)
        return position

    def _not_backwards(self, position: Position | None) -> Position | None:
        if position is None:
            return self.stored
        if self.stored is not None and position < self.stored:
            return self.stored
        return position

    def promote(self) -> Position | None:
        """The position to store when the run commits: the furthest seen, capped at the signpost."""
        candidates = [p for p in (self.progress, self.created_progress) if p is not None]
        return self._not_backwards(self._cap(max(candidates)) if candidates else None)

    def checkpoint(self) -> Position | None:
        """The position safe to store when the run stops early (SIGTERM after a page).

        Only the main pass's sorted progress is resumable, and only once the empty-WHENMODIFIED pass
        (which runs first) is complete; otherwise the stored position stays.
        """
        if not self.null_pass_done:
            return self.stored
        return self._not_backwards(self._cap(self.progress))
