"""The engine's shared state. The one sync loop every family runs through: pull, import, link,
removal check and push, driven entirely by the family's spec (``spec.py``) and hooks (``family.py``):

* **pull** reads records changed since the cursor (``cursors.py``), compares the hash of the mapped
  values with the local record's and the link's last-seen hash, and only writes what differs;
* **removal check** (every pull) unlinks local records whose Intacct record vanished, from
  AUDITHISTORY when the role may read it, else from a key-only RECORDNO scan;
* **push** writes local changes in batched functions with deterministic controlids and business IDs,
  reconciling an unknown outcome by reading back before sending again;
* **two-way** does both and settles records changed on both sides by the spec's conflict policy,
  keeping both versions in ``Conflict``.

One bad record becomes a ``RunIssue`` and the run goes on. A setup error stops the run and is
reported to the workspace's health (``report_setup_failure``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Model

from intacct import Client
from intacct_bridge.sync import heartbeat
from intacct_bridge.sync.context import RunContext
from intacct_bridge.sync.cursors import Position, RunCursor
from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import Cursor, Link, LinkState, Run
from intacct_bridge.sync.registry import get_family
from intacct_bridge.sync.remote import Remote
from intacct_bridge.sync.runs import RunRecorder
from intacct_bridge.sync.spec import FamilySpec, FieldMap, ImportMode
from intacct_bridge.workspaces.connection import client_for
from intacct_bridge.workspaces.models import Workspace

#: Set by a worker's SIGTERM handler: the engine finishes the current page and stops cleanly.
STOP = threading.Event()

PUSH_BATCH = 100


class Interrupted(Exception):
    """The run stopped at a page boundary because a stop was requested."""


def default_overlap() -> timedelta:
    """The eventual-consistency window re-read by every pull (INTACCT_BRIDGE_SYNC_OVERLAP_SECONDS, 300)."""
    return timedelta(seconds=int(os.environ.get("INTACCT_BRIDGE_SYNC_OVERLAP_SECONDS", "300")))


def intacct_timezone() -> str:
    return str(getattr(settings, "INTACCT_USER_TIMEZONE", "") or "America/Los_Angeles")


class EngineBase:
    """State and helpers every section of the engine shares; the sections are mixins over it."""

    def __init__(
        self,
        workspace: Workspace,
        run: Run,
        client: Client | None = None,
        *,
        overlap: timedelta | None = None,
    ) -> None:
        self.workspace = workspace
        self.remote = Remote(client if client is not None else client_for(workspace))
        self.rec = RunRecorder(run)
        # what the families' hooks see of this run
        self.context = RunContext(self)
        self.overlap = overlap if overlap is not None else default_overlap()
        self._ref_cache: dict[str, dict[str, int]] = {}
        # (family, local id) -> lines of the push batch being sent (one query per batch)
        self._batch_lines: dict[tuple[str, int], list[Any]] = {}
        self._families_pushed: set[str] = set()
        self._reverse: dict[str, dict[int, str]] = {}

    @property
    def run(self) -> Run:
        return self.rec.run

    if TYPE_CHECKING:
        # the sections call each other; each is defined in its own module (pull, link, documents,
        # removal, push) and assembled in ``run.Engine``
        def pull_page(
            self,
            fam: Family[Any],
            records: Sequence[Mapping[str, Any]],
            rc: RunCursor,
            *,
            created_pass: bool = False,
            unordered: bool = False,
        ) -> None: ...
        def save_position(self, row: Cursor, position: Position | None) -> None: ...
        def create_locals(
            self,
            fam: Family[Any],
            records: Sequence[Mapping[str, Any]],
            options: Mapping[str, Any],
            origin: str = "imported",
            why: str | Mapping[int, str] = "",
        ) -> list[Model]: ...
        def import_missing_references(
            self,
            fam: Family[Any],
            records: Sequence[Mapping[str, Any]],
            fields: Sequence[FieldMap] | None = None,
        ) -> None: ...
        def pull_lines(self, fam: Family[Any], headers: Mapping[int, int]) -> None: ...
        def lines_of(self, fam: Family[Any], local: Model) -> list[Any]: ...
        def load_batch_lines(self, fam: Family[Any], local_ids: Iterable[int]) -> None: ...
        def line_values(self, fam: Family[Any], local: Model) -> list[dict[str, Any]]: ...
        def refresh(self, family: str, recordnos: Sequence[int]) -> None: ...
        def refresh_locals(self, family: str, local_ids: Iterable[int]) -> None: ...
        def unlink_removed(self, fam: Family[Any], recordnos: Iterable[int], reason: str) -> int: ...
        def removals_checked_up_to(self, row: Cursor, when: datetime) -> None: ...
        def confirm_linked(self, family: str, local_ids: Iterable[int]) -> set[int]: ...
        def resolve_kept_references(self, target: Family[Any], business_ids: Sequence[str]) -> None: ...
        def queue_push(self, family: str, local_ids: Iterable[int]) -> None: ...
        def push(self, fam: Family[Any], only: Sequence[int] | None = None) -> None: ...
        def created_key(self, fam: Family[Any], local: Model) -> str: ...

    # ---- links and references -----------------------------------------------------------------

    def links(self, family: str, **filters: Any) -> Any:
        return Link.objects.filter(workspace=self.workspace, family=family, **filters)

    def refs(self, family: str) -> dict[str, int]:
        """business ID -> local id of a family's linked records (for reference fields)."""
        if family not in self._ref_cache:
            rows = self.links(family, state=LinkState.LINKED).values_list("business_id", "local_id")
            self._ref_cache[family] = {b: lid for b, lid in rows if b}
        return self._ref_cache[family]

    def _ref_business_id(self, family: str, local_id: int | None) -> str:
        if local_id is None:
            return ""
        if family not in self._reverse:
            self._reverse[family] = {lid: b for b, lid in self.refs(family).items()}
        return self._reverse[family].get(local_id, "")

    def _forget_refs(self, family: str) -> None:
        self._ref_cache.pop(family, None)
        self._reverse.pop(family, None)

    def kept_by_id(self, f: FieldMap) -> bool:
        """A reference a document would once have imported (``import_missing``) into a family the
        admin imports selectively, while the workspace does not bring such records in: the admin's
        choice is the rule, so the document keeps it by its Intacct ID and nothing is created."""
        if not (f.reference and f.import_missing) or self.workspace.bring_in_references:
            return False
        return get_family(f.reference).spec.import_mode == ImportMode.SELECTED

    def set_aside_unpicked(self, fields: Sequence[FieldMap], values: dict[str, Any]) -> dict[str, str]:
        """Take references to records nobody picked out of ``values`` (blanked, so the hash compares
        what the app holds) and return them, app field -> Intacct ID, for the link to keep and show."""
        unpicked: dict[str, str] = {}
        for f in fields:
            value = values.get(f.app)
            if value and self.kept_by_id(f) and str(value) not in self.refs(f.reference):
                unpicked[f.app] = str(value)
                values[f.app] = ""
        return unpicked

    def local_values(self, fam: Family[Any], local: Model, skip: Iterable[str] = ()) -> dict[str, Any]:
        return self.field_values(fam.spec.fields, local, skip)

    def field_values(
        self, fields: Sequence[FieldMap], local: Model, skip: Iterable[str] = ()
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for f in fields:
            if f.app in skip:
                continue
            if f.reference:
                values[f.app] = self._ref_business_id(f.reference, getattr(local, f"{f.app}_id"))
            else:
                values[f.app] = getattr(local, f.app)
        return values

    def apply(
        self, fam: Family[Any], local: Model, values: Mapping[str, Any], skip: Iterable[str] = ()
    ) -> list[tuple[str, str]]:
        """Set the mapped fields on ``local`` (not saved); unresolved references become problems."""
        problems = self.apply_fields(fam.spec.fields, local, values, skip)
        fam.derive(local)
        return problems

    def apply_fields(
        self, fields: Sequence[FieldMap], local: Model, values: Mapping[str, Any], skip: Iterable[str] = ()
    ) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        for f in fields:
            if f.app in skip or f.app not in values:
                continue
            value = values[f.app]
            if f.reference:
                if not value:
                    setattr(local, f"{f.app}_id", None)
                    continue
                target = self.refs(f.reference).get(str(value))
                if target is None and self.kept_by_id(f):
                    setattr(local, f"{f.app}_id", None)  # nobody picked it: kept by ID, no issue
                elif target is None:
                    label = get_family(f.reference).spec.label.lower().rstrip("s")
                    problems.append(
                        ("IB-REFERENCE", f"{f.intacct} {value!r}: that {label} was never imported.")
                    )
                elif target != local.pk or get_family(f.reference).model is not type(local):
                    # only a record pointing at itself (a department its own parent) is refused;
                    # a bill whose vendor has the same id as the bill is fine
                    setattr(local, f"{f.app}_id", target)
            else:
                setattr(local, f.app, value)
        return problems

    @staticmethod
    def entity_of(spec: FamilySpec, record: Mapping[str, Any]) -> str:
        """The entity a remote record belongs to ("" for shared records and objects with none)."""
        return str(record.get(spec.entity_field) or "") if spec.entity_field else ""

    # ---- cursor --------------------------------------------------------------------------------

    def cursor_row(self, family: str) -> Cursor:
        row, _ = Cursor.objects.get_or_create(
            workspace=self.workspace, family=family, defaults={"timezone": intacct_timezone()}
        )
        return row

    def page_done(self, records: int, phase: str) -> None:
        self.rec.progress(phase=phase, pages=1, records=records, api_requests=self.remote.requests)
        if STOP.is_set() or heartbeat.lost(self.workspace):
            raise Interrupted


class LinkRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}



def _number(value: Any) -> int:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else 0
