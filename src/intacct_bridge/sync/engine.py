"""The one sync loop every family runs through: pull, import, link, removal check and push.

Driven entirely by the family's spec (``spec.py``) and its few hooks (``families.py``):

* **pull** reads records changed since the cursor (``cursors.py``), compares the hash of the mapped
  values with the local record's and the link's last-seen hash, and only writes what differs;
* **removal check** (periodic) unlinks local records whose Intacct record vanished, from
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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from intacct_bridge.sync.cursors import Position, RunCursor, parse_timestamp, to_utc
from intacct_bridge.sync.families import CreateContext, Family, Problems, all_families, get_family
from intacct_bridge.sync.models import Conflict, Cursor, Link, LinkState, PendingPush, Run, RunStatus
from intacct_bridge.sync.remote import Remote, WriteOp
from intacct_bridge.sync.runs import RunRecorder
from intacct_bridge.sync.spec import (
    ConflictPolicy,
    Direction,
    FieldMap,
    ImportMode,
    RemoteRemoval,
    get_path,
    hash_values,
)
from intacct_bridge.workspaces.models import Workspace

#: Set by a worker's SIGTERM handler: the engine finishes the current page and stops cleanly.
STOP = threading.Event()

PUSH_BATCH = 100
KEY_SCAN_EVERY = 7  # removal checks between two full key scans when AUDITHISTORY is readable


class Interrupted(Exception):
    """The run stopped at a page boundary because a stop was requested."""


def default_overlap() -> timedelta:
    """The eventual-consistency window re-read by every pull (INTACCT_BRIDGE_SYNC_OVERLAP_SECONDS, 300)."""
    return timedelta(seconds=int(os.environ.get("INTACCT_BRIDGE_SYNC_OVERLAP_SECONDS", "300")))


def intacct_timezone() -> str:
    return str(getattr(settings, "INTACCT_USER_TIMEZONE", "") or "America/Los_Angeles")


def _errors() -> Any:
    import intacct.errors

    return intacct.errors


@dataclass
class _Planned:
    """A record in a push batch, with what was sent for it."""

    item: PendingPush
    local: Model
    link: Link | None
    values: dict[str, Any]
    digest: str
    error: Exception | None = None


class Engine:
    def __init__(
        self, workspace: Workspace, run: Run, client: Any = None, *, overlap: timedelta | None = None
    ) -> None:
        if client is None:
            from intacct_bridge.workspaces.connection import client_for

            client = client_for(workspace)
        self.workspace = workspace
        self.remote = Remote(client)
        self.rec = RunRecorder(run)
        self.overlap = overlap if overlap is not None else default_overlap()
        self._ref_cache: dict[str, dict[str, int]] = {}
        # (family, local id) -> lines of the push batch being sent (one query per batch)
        self._batch_lines: dict[tuple[str, int], list[Any]] = {}
        self._families_pushed: set[str] = set()
        self._reverse: dict[str, dict[int, str]] = {}

    @property
    def run(self) -> Run:
        return self.rec.run

    # ---- links and references -----------------------------------------------------------------

    def links(self, family: str, **filters: Any) -> Any:
        return Link.objects.filter(workspace=self.workspace, family=family, **filters)

    def _refs(self, family: str) -> dict[str, int]:
        """business ID -> local id of a family's linked records (for reference fields)."""
        if family not in self._ref_cache:
            rows = self.links(family, state=LinkState.LINKED).values_list("business_id", "local_id")
            self._ref_cache[family] = {b: lid for b, lid in rows if b}
        return self._ref_cache[family]

    def _ref_business_id(self, family: str, local_id: int | None) -> str:
        if local_id is None:
            return ""
        if family not in self._reverse:
            self._reverse[family] = {lid: b for b, lid in self._refs(family).items()}
        return self._reverse[family].get(local_id, "")

    def _forget_refs(self, family: str) -> None:
        self._ref_cache.pop(family, None)
        self._reverse.pop(family, None)

    def local_values(self, fam: Family, local: Model, skip: Iterable[str] = ()) -> dict[str, Any]:
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
        self, fam: Family, local: Model, values: Mapping[str, Any], skip: Iterable[str] = ()
    ) -> list[tuple[str, str]]:
        """Set the mapped fields on ``local`` (not saved); unresolved references become problems."""
        return self.apply_fields(fam.spec.fields, local, values, skip)

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
                target = self._refs(f.reference).get(str(value))
                if target is None:
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
        if hasattr(local, "refresh_invite_state"):
            local.refresh_invite_state()
        return problems

    # ---- cursor --------------------------------------------------------------------------------

    def cursor_row(self, family: str) -> Cursor:
        row, _ = Cursor.objects.get_or_create(
            workspace=self.workspace, family=family, defaults={"timezone": intacct_timezone()}
        )
        return row

    def _page_done(self, records: int, phase: str) -> None:
        self.rec.progress(phase=phase, pages=1, records=records, api_requests=self.remote.requests)
        if STOP.is_set():
            raise Interrupted

    # ---- pull ----------------------------------------------------------------------------------

    def pull(self, fam: Family) -> None:
        spec = fam.spec
        row = self.cursor_row(spec.family)
        stored = Position.from_dict(row.position)
        rc = RunCursor.start(stored, timezone.now(), row.timezone, self.overlap)
        try:
            if stored is None:
                self._first_pull(fam, rc)
            else:
                for page in self.remote.created_unmodified_since(spec, stored.modified):
                    self._pull_page(fam, page, rc, created_pass=True)
                    self._page_done(len(page), f"{spec.label}: reading new records")
                rc.finish_null_pass()
                for page in self.remote.changed_since(spec, rc.stored):
                    self._pull_page(fam, page, rc)
                    self._page_done(len(page), f"{spec.label}: reading changes")
        except Interrupted:
            self._save_position(row, rc.checkpoint())
            raise
        self._save_position(row, rc.promote())

    def _first_pull(self, fam: Family, rc: RunCursor) -> None:
        """No cursor yet: import-all reads everything; import-selected reads just the linked keys."""
        rc.finish_null_pass()
        if fam.spec.import_mode == ImportMode.ALL:
            for page in self.remote.changed_since(fam.spec, None):
                self._pull_page(fam, page, rc, unordered=True)
                self._page_done(len(page), f"{fam.spec.label}: reading all records")
            return
        keys = list(self.links(fam.name, state=LinkState.LINKED).values_list("recordno", flat=True))
        if not keys:
            return
        records = self.remote.read(fam.spec, keys)
        self._pull_page(fam, records, rc, unordered=True)
        found = {int(r["RECORDNO"]) for r in records}
        self._unlink(fam, [k for k in keys if k not in found], "removed in Intacct")
        self._page_done(len(records), f"{fam.spec.label}: reading linked records")

    def _adopt_created(self, fam: Family, records: Sequence[Mapping[str, Any]]) -> dict[int, Link]:
        """Records the engine created whose answer was lost, met by a pull before the read-back: they
        carry a queued local record's deterministic key, so they are linked to it (and its push is
        done), never imported as a twin."""
        spec = fam.spec
        if not records:
            return {}
        pending_ids = set(
            PendingPush.objects.filter(workspace=self.workspace, family=fam.name).values_list(
                "local_id", flat=True
            )
        )
        pending_ids -= set(self.links(fam.name, local_id__in=pending_ids).values_list("local_id", flat=True))
        if not pending_ids:
            return {}
        by_key = {
            self.created_key(fam, local): local for local in fam.model.objects.filter(pk__in=pending_ids)
        }
        adopted: dict[int, Link] = {}
        for record in records:
            local = by_key.get(str(get_path(record, spec.key_field) or ""))
            # a key the family does not own alone (a project ID typed in the app) may be another
            # record's: the family says whether this one can be its own lost create
            if local is None or not fam.adopts(local, record):
                continue
            recordno = int(record["RECORDNO"])
            adopted[recordno] = Link.objects.create(
                workspace=self.workspace,
                family=fam.name,
                local_id=local.pk,
                recordno=recordno,
                business_id=str(record.get(spec.business_id) or ""),
                # what was sent: the pull below then takes Intacct's own values (state, totals)
                last_seen_hash=hash_values(self.local_values(fam, local)),
                origin="created",
                entity=self.entity_of(spec, record),
                last_synced_at=timezone.now(),
            )
            PendingPush.objects.filter(workspace=self.workspace, family=fam.name, local_id=local.pk).delete()
            self.rec.count("pushed")
        if adopted:
            self._forget_refs(fam.name)
        return adopted

    def _save_position(self, row: Cursor, position: Position | None) -> None:
        data = position.to_dict() if position else {}
        if data != row.position:
            row.position = data
            row.save(update_fields=["position", "updated_at"])

    def _pull_page(
        self,
        fam: Family,
        records: Sequence[Mapping[str, Any]],
        rc: RunCursor,
        *,
        created_pass: bool = False,
        unordered: bool = False,
    ) -> None:
        spec = fam.spec
        recordnos = [int(r["RECORDNO"]) for r in records]
        links = {
            ln.recordno: ln for ln in self.links(spec.family, state=LinkState.LINKED, recordno__in=recordnos)
        }
        # references of the linked records (new ones get theirs in create_locals, once accepted)
        self.import_missing_references(fam, [r for r in records if int(r["RECORDNO"]) in links])
        if fam.pushes_for(self.workspace):
            links.update(self._adopt_created(fam, [r for r in records if int(r["RECORDNO"]) not in links]))
        locals_ = fam.model.objects.in_bulk([ln.local_id for ln in links.values()])
        to_import: list[Mapping[str, Any]] = []
        changed_locals: list[Model] = []
        changed_links: list[Link] = []
        with transaction.atomic():
            for record in records:
                recordno = int(record["RECORDNO"])
                self.rec.count("fetched")
                link = links.get(recordno)
                if link is None:
                    if spec.import_mode == ImportMode.ALL and fam.imports(self, record):
                        to_import.append(record)
                elif link.local_id not in locals_:
                    # removed in the app: the Intacct record is left alone and can be imported again
                    link.delete()
                else:
                    try:
                        local_changed, link_changed = self._sync_linked(
                            fam, record, link, locals_[link.local_id]
                        )
                    except ValueError as exc:
                        self.rec.issue(
                            spec.family,
                            errorno="IB-VALUE",
                            text=str(exc),
                            recordno=recordno,
                            business_id=str(record.get(spec.business_id) or ""),
                            local_id=link.local_id,
                        )
                    else:
                        if local_changed:
                            changed_locals.append(locals_[link.local_id])
                        if link_changed:
                            changed_links.append(link)
                self._observe(rc, record, created_pass, unordered, spec.created_field)
            # one UPDATE batch per page; unchanged records cost no write at all
            if changed_locals:
                fields = {f"{f.app}_id" if f.reference else f.app for f in spec.fields}
                if any(hasattr(o, "updated_at") for o in changed_locals[:1]):
                    now = timezone.now()
                    for obj in changed_locals:
                        obj.updated_at = now  # type: ignore[attr-defined]
                    fields.add("updated_at")
                if any(hasattr(o, "invite_state") for o in changed_locals[:1]):
                    fields.add("invite_state")
                update_rows(fam.model, changed_locals, sorted(fields))
            if changed_links:
                update_rows(
                    Link,
                    changed_links,
                    ["business_id", "entity", "last_seen_hash", "remote_modified", "last_synced_at"],
                )
            created: list[Model] = self.create_locals(fam, to_import, {}) if to_import else []
            if created or changed_locals:
                # in the same transaction as the writes: the family's record of Intacct's changes
                fam.after_pull(self, created, changed_locals)
        if spec.lines is not None:
            linked = self.links(spec.family, state=LinkState.LINKED, recordno__in=recordnos)
            self.pull_lines(fam, dict(linked.values_list("recordno", "local_id")))

    def _observe(
        self,
        rc: RunCursor,
        record: Mapping[str, Any],
        created_pass: bool,
        unordered: bool,
        created_field: str = "WHENCREATED",
    ) -> None:
        recordno = int(record["RECORDNO"])
        if created_pass:
            rc.observe_created(parse_timestamp(record.get(created_field)), recordno)
        elif unordered:
            rc.seen(parse_timestamp(record.get("WHENMODIFIED")), recordno)
        else:
            rc.observe(parse_timestamp(record.get("WHENMODIFIED")), recordno)

    def _sync_linked(
        self, fam: Family, record: Mapping[str, Any], link: Link, local: Model
    ) -> tuple[bool, bool]:
        """Compare and apply one linked record in memory; returns (local changed, link changed)."""
        spec = fam.spec
        skip = list(link.options.get("skip", []))
        if fam.keep_app_values(self.workspace):
            skip += [f.app for f in spec.fields if f.push]  # Intacct's edits of what we sent stay there
        values = {k: v for k, v in spec.to_app(record).items() if k not in skip}
        where = {
            "recordno": link.recordno,
            "business_id": str(record.get(spec.business_id) or ""),
            "local_id": link.local_id,
        }
        problems = fam.validate(values)
        for code, text in problems:
            self.rec.issue(spec.family, errorno=code, text=text, **where)
        if problems:
            return False, False
        remote_hash = hash_values(values)
        local_hash = hash_values(self.local_values(fam, local, skip))
        base = link.last_seen_hash
        link_changes: dict[str, Any] = {}
        if where["business_id"] and where["business_id"] != link.business_id:
            link_changes["business_id"] = where["business_id"]
        entity = self.entity_of(spec, record)
        if entity != link.entity:
            link_changes["entity"] = entity
        take_remote = remote_hash != local_hash
        if take_remote and fam.direction(self.workspace) == Direction.TWO_WAY:
            take_remote = self._settle(fam, record, link, local, values, remote_hash, local_hash)
        if take_remote:
            problems = self.apply(fam, local, values, skip)
            for code, text in problems:
                self.rec.issue(spec.family, errorno=code, text=text, **where)
            self.rec.count("updated")
        else:
            self.rec.count("unchanged")
        if take_remote or remote_hash == local_hash:
            if base != remote_hash:
                link_changes["last_seen_hash"] = remote_hash
        if link_changes:
            link_changes["remote_modified"] = str(record.get("WHENMODIFIED") or "")
            link_changes["last_synced_at"] = timezone.now()
            for name, value in link_changes.items():
                setattr(link, name, value)
        return take_remote, bool(link_changes)

    def _settle(
        self,
        fam: Family,
        record: Mapping[str, Any],
        link: Link,
        local: Model,
        values: Mapping[str, Any],
        remote_hash: str,
        local_hash: str,
    ) -> bool:
        """Two-way: True when the remote version should be applied locally."""
        base = link.last_seen_hash
        if local_hash == base:
            return True  # only Intacct changed
        if remote_hash == base:
            self.queue_push(fam.name, [link.local_id])  # only the app changed
            return False
        policy = fam.spec.conflict_policy
        if policy == ConflictPolicy.INTACCT_WINS:
            winner = "intacct"
        elif policy == ConflictPolicy.APP_WINS:
            winner = "app"
        else:
            remote_when = parse_timestamp(record.get("WHENMODIFIED"))
            row = self.cursor_row(fam.name)
            remote_utc = to_utc(remote_when, row.timezone) if remote_when else None
            local_when = getattr(local, "updated_at", None)
            winner = "intacct" if remote_utc and (local_when is None or remote_utc >= local_when) else "app"
        Conflict.objects.create(
            workspace=self.workspace,
            run=self.run,
            family=fam.name,
            local_id=link.local_id,
            recordno=link.recordno,
            app_values=_jsonable(self.local_values(fam, local)),
            intacct_values=_jsonable(values),
            policy=policy,
            winner=winner,
        )
        self.rec.count("conflicts")
        if winner == "app":
            self.queue_push(fam.name, [link.local_id])
            return False
        return True

    # ---- import and link ------------------------------------------------------------------------

    def create_locals(
        self,
        fam: Family,
        records: Sequence[Mapping[str, Any]],
        options: Mapping[str, Any],
        origin: str = "imported",
    ) -> list[Model]:
        """New local records + links for remote records not linked yet (bulk, references after)."""
        spec = fam.spec
        self.import_missing_references(fam, records)
        skip = [] if options.get("assign_department", True) else ["department"]
        ref_fields = [f.app for f in spec.fields if f.reference]
        model = fam.model
        pending: list[tuple[Model, Mapping[str, Any], dict[str, Any]]] = []
        for record in records:
            recordno = int(record["RECORDNO"])
            business_id = str(record.get(spec.business_id) or "")
            try:
                values = {k: v for k, v in spec.to_app(record).items() if k not in skip}
            except ValueError as exc:
                self.rec.issue(
                    spec.family,
                    errorno="IB-VALUE",
                    text=str(exc),
                    recordno=recordno,
                    business_id=business_id,
                    action="import",
                )
                continue
            problems = fam.validate(values)
            for code, text in problems:
                self.rec.issue(
                    spec.family,
                    errorno=code,
                    text=text,
                    recordno=recordno,
                    business_id=business_id,
                    action="import",
                )
            if problems:
                continue
            local = model(
                workspace=self.workspace, **{k: v for k, v in values.items() if k not in ref_fields}
            )
            # references to other families that resolve already are set before the insert (a task's
            # project is required); references within the family wait for the page's records
            for f in spec.fields:
                if f.reference and f.reference != spec.family and values.get(f.app):
                    target = self._refs(f.reference).get(str(values[f.app]))
                    if target is not None:
                        setattr(local, f"{f.app}_id", target)
            fam.on_create(local, options)
            if hasattr(local, "refresh_invite_state"):
                local.refresh_invite_state()
            pending.append((local, record, values))
        if not pending:
            return []
        created = model.objects.bulk_create([p[0] for p in pending])
        now = timezone.now()
        options = {"skip": skip} if skip else {}
        insert_links(
            [
                (
                    self.workspace.pk,
                    spec.family,
                    local.pk,
                    int(record["RECORDNO"]),
                    str(record.get(spec.business_id) or ""),
                    hash_values(values),
                    str(record.get("WHENMODIFIED") or ""),
                    now,
                    LinkState.LINKED.value,
                    origin,
                    "",
                    options,
                    now,
                    self.entity_of(spec, record),
                )
                for local, (_, record, values) in zip(created, pending, strict=True)
            ]
        )
        self._forget_refs(spec.family)
        if ref_fields:
            changed = []
            for local, (_, record, values) in zip(created, pending, strict=True):
                refs = {k: values[k] for k in ref_fields if k in values}
                problems = self.apply(fam, local, refs)
                for code, text in problems:
                    self.rec.issue(
                        spec.family,
                        errorno=code,
                        text=text,
                        recordno=int(record["RECORDNO"]),
                        business_id=str(record.get(spec.business_id) or ""),
                        local_id=local.pk,
                        action="import",
                    )
                changed.append(local)
            update_rows(model, changed, [f"{k}_id" for k in ref_fields])
        self.rec.count("created", len(created))
        return created

    def import_records(self, fam: Family, recordnos: Sequence[int] | None, options: Mapping[str, Any]) -> int:
        """Create local records for the chosen remote ones (None = all); linked ones are kept as they are.
        Returns how many were created."""
        spec = fam.spec
        had_links = self.links(fam.name).exists()
        row = self.cursor_row(fam.name)
        rc = RunCursor.start(None, timezone.now(), row.timezone, self.overlap)
        linked = set(self.links(fam.name, state=LinkState.LINKED).values_list("recordno", flat=True))
        pages: Iterator[list[dict[str, Any]]]
        if recordnos is None:
            pages = self.remote.changed_since(spec, None)
        else:
            wanted = [int(k) for k in recordnos if int(k) not in linked]
            pages = iter([self.remote.read(spec, wanted)] if wanted else [])
            missing = set(wanted)
        created = 0  # a count, not the objects: an import of 100,000 must not keep them all in memory
        for page in pages:
            fresh = [r for r in page if int(r["RECORDNO"]) not in linked]
            self.rec.count("fetched", len(page))
            self.rec.count("unchanged", len(page) - len(fresh))
            with transaction.atomic():
                made = self.create_locals(fam, fresh, options)
                if made:
                    fam.after_pull(self, made, [])  # an explicit import is news to the event feed too
                created += len(made)
            if spec.lines is not None and fresh:
                keys = [int(r["RECORDNO"]) for r in fresh]
                linked_now = self.links(fam.name, state=LinkState.LINKED, recordno__in=keys)
                self.pull_lines(fam, dict(linked_now.values_list("recordno", "local_id")))
            for record in page:
                rc.seen(parse_timestamp(record.get("WHENMODIFIED")), int(record["RECORDNO"]))
                if recordnos is not None:
                    missing.discard(int(record["RECORDNO"]))
            self._page_done(len(page), f"{spec.label}: importing")
        if recordnos is not None:
            for recordno in sorted(missing):
                self.rec.issue(
                    spec.family,
                    errorno="BL01001973",
                    text=f"{spec.intacct_object} {recordno} was not found in Intacct (deleted meanwhile?).",
                    recordno=recordno,
                    action="import",
                )
        if not had_links and not row.position:
            # the first records of this family: start the cursor at what was just read
            rc.finish_null_pass()
            self._save_position(row, rc.promote())
        return created

    def link(self, fam: Family, local: Model, recordno: int) -> Link:
        """Tie an existing local record to a remote one and take its mapped values. Raises LinkRefused."""
        spec = fam.spec
        other = (
            self.links(fam.name, state=LinkState.LINKED, recordno=recordno).exclude(local_id=local.pk).first()
        )
        if other is not None:
            raise LinkRefused(
                "IB-LINKED",
                f"{spec.intacct_object} {recordno} is already linked to another "
                f"{spec.label.lower().rstrip('s')} (#{other.local_id}).",
            )
        records = self.remote.read(spec, [recordno])
        if not records:
            raise LinkRefused("BL01001973", f"{spec.intacct_object} {recordno} no longer exists in Intacct.")
        record = records[0]
        values = spec.to_app(record)
        problems = fam.validate(values)
        if problems:
            raise LinkRefused(*problems[0])
        with transaction.atomic():
            ref_problems = self.apply(fam, local, values)
            local.save()
            link, _ = Link.objects.update_or_create(
                workspace=self.workspace,
                family=fam.name,
                local_id=local.pk,
                defaults={
                    "recordno": recordno,
                    "business_id": str(record.get(spec.business_id) or ""),
                    "last_seen_hash": hash_values(values),
                    "state": LinkState.LINKED,
                    "origin": "linked",
                    "remote_modified": str(record.get("WHENMODIFIED") or ""),
                    "unlinked_reason": "",
                    "entity": self.entity_of(spec, record),
                    "last_synced_at": timezone.now(),
                },
            )
        for code, text in ref_problems:
            self.rec.issue(
                fam.name, errorno=code, text=text, recordno=recordno, local_id=local.pk, action="link"
            )
        self.rec.count("fetched")
        self.rec.count("updated")
        row = self.cursor_row(fam.name)
        if not row.position and self.links(fam.name).count() == 1:
            rc = RunCursor.start(None, timezone.now(), row.timezone, self.overlap)
            rc.seen(parse_timestamp(record.get("WHENMODIFIED")), recordno)
            self._save_position(row, rc.promote())
        return link

    # ---- documents: entity, references imported on the way, lines -----------------------------

    @staticmethod
    def entity_of(spec: Any, record: Mapping[str, Any]) -> str:
        return str(record.get(spec.entity_field) or "") if spec.entity_field else ""

    def import_missing_references(
        self,
        fam: Family,
        records: Sequence[Mapping[str, Any]],
        fields: Sequence[FieldMap] | None = None,
    ) -> None:
        """Import (and link) referenced records not in the app yet, for fields marked import_missing:
        a project's customer arrives as a linked client with the project (``fields``: a line's)."""
        for f in fam.spec.fields if fields is None else fields:
            if not (f.reference and f.import_missing):
                continue
            known = self._refs(f.reference)
            wanted = sorted(
                {str(v) for r in records if (v := get_path(r, f.intacct)) not in (None, "")} - set(known)
            )
            if not wanted:
                continue
            target = get_family(f.reference)
            found = self.remote.read_by_business_ids(target.spec, wanted)
            linked = set(self.links(target.name, state=LinkState.LINKED).values_list("recordno", flat=True))
            fresh = [r for r in found if int(r["RECORDNO"]) not in linked]
            with transaction.atomic():
                self.create_locals(target, fresh, {}, origin="imported")
            self._forget_refs(target.name)

    def _line_model(self, fam: Family) -> type[Model]:
        assert fam.spec.lines is not None
        return apps.get_model(fam.spec.lines.model)

    def lines_of(self, fam: Family, local: Model) -> list[Any]:
        """A local document's lines, in order: from the push batch's one query when it made one."""
        ls = fam.spec.lines
        assert ls is not None
        cached = self._batch_lines.get((fam.name, local.pk))
        if cached is not None:
            return cached
        return list(self._line_model(fam).objects.filter(**{ls.parent_attr: local}).order_by("line_no", "pk"))

    def _load_batch_lines(self, fam: Family, local_ids: Iterable[int]) -> None:
        """The lines of a whole push batch in one query (checks, references and creates read them)."""
        ls = fam.spec.lines
        if ls is None:
            return
        ids = list(local_ids)
        for local_id in ids:
            self._batch_lines[(fam.name, local_id)] = []
        parent_id = f"{ls.parent_attr}_id"
        related = [f.app for f in ls.fields if f.reference]  # the lines' accounts, departments ...
        rows = self._line_model(fam).objects.filter(**{f"{parent_id}__in": ids}).select_related(*related)
        for line in rows.order_by("line_no", "pk"):
            self._batch_lines[(fam.name, getattr(line, parent_id))].append(line)

    def line_values(self, fam: Family, local: Model) -> list[dict[str, Any]]:
        """App-side values of a local document's lines, in order, references as business IDs."""
        ls = fam.spec.lines
        if ls is None:
            return []
        rows = self.lines_of(fam, local)
        return [
            {**self.field_values(ls.fields, line), "line_no": line.line_no, "id": line.pk} for line in rows
        ]  # type: ignore[attr-defined]

    def pull_lines(self, fam: Family, headers: Mapping[int, int]) -> None:
        """Bring the local lines of these headers (RECORDNO -> local id) in line with Intacct's.

        Lines match by their RECORDNO, then (lines the app created, never read back) by position, so
        app-only line fields survive; Intacct's lines win (documents are Intacct's once posted).
        """
        ls = fam.spec.lines
        if ls is None or not headers:
            return
        model = self._line_model(fam)
        parent_id = f"{ls.parent_attr}_id"
        has_workspace = any(f.name == "workspace" for f in model._meta.fields)
        remote_lines = self.remote.where_in(
            ls.intacct_object, ls.query_fields(), ls.parent_key, sorted(headers)
        )
        # a line's department imported on the way, as a header's vendor is
        self.import_missing_references(fam, remote_lines, ls.fields)
        by_header: dict[int, list[Mapping[str, Any]]] = {}
        for row in remote_lines:
            by_header.setdefault(int(row[ls.parent_key]), []).append(row)
        existing: dict[int, list[Any]] = {}
        for line in model.objects.filter(**{f"{parent_id}__in": list(headers.values())}).order_by(
            "line_no", "pk"
        ):
            existing.setdefault(getattr(line, parent_id), []).append(line)
        to_create: list[Any] = []
        to_update: list[Any] = []
        to_delete: list[int] = []
        keep = fam.keep_app_values(self.workspace)
        for recordno, local_id in headers.items():
            rows = sorted(
                by_header.get(recordno, []), key=lambda r: (_number(r.get(ls.order_by)), int(r["RECORDNO"]))
            )
            mine = existing.get(local_id, [])
            if keep:
                self._keep_app_lines(ls, rows, mine, to_update, to_delete)
                continue
            by_key = {line.recordno: line for line in mine if line.recordno}
            loose = [line for line in mine if not line.recordno]
            kept: set[int] = set()
            for position, row in enumerate(rows, 1):
                key = int(row["RECORDNO"])
                line = by_key.get(key) or (loose.pop(0) if loose else None)
                try:
                    values = ls.to_app(row)
                except ValueError as exc:
                    self.rec.issue(
                        fam.name,
                        errorno="IB-VALUE",
                        text=f"line {position}: {exc}",
                        recordno=recordno,
                        local_id=local_id,
                    )
                    continue
                if line is None:
                    line = model(**{parent_id: local_id})
                    if has_workspace:
                        line.workspace = self.workspace  # type: ignore[attr-defined]
                    before = None
                else:
                    kept.add(line.pk)
                    before = (self.field_values(ls.fields, line), line.recordno, line.line_no)
                for code, text in self.apply_fields(ls.fields, line, values):
                    self.rec.issue(
                        fam.name,
                        errorno=code,
                        text=f"line {position}: {text}",
                        recordno=recordno,
                        local_id=local_id,
                    )
                line.recordno, line.line_no = key, position
                if before is None:
                    to_create.append(line)
                elif before != (self.field_values(ls.fields, line), line.recordno, line.line_no):
                    to_update.append(line)
            to_delete += [line.pk for line in mine if line.pk not in kept]
        columns = sorted(
            {f"{f.app}_id" if f.reference else f.app for f in ls.fields} | {"recordno", "line_no"}
        )
        with transaction.atomic():
            if to_delete:
                gone = set(to_delete)
                fam.lines_removed(
                    self, [line for rows in existing.values() for line in rows if line.pk in gone]
                )
                model.objects.filter(pk__in=to_delete).delete()
            if to_create:
                model.objects.bulk_create(to_create, batch_size=500)
            if to_update:
                update_rows(model, to_update, columns)

    def _keep_app_lines(
        self,
        ls: Any,
        rows: Sequence[Mapping[str, Any]],
        mine: list[Any],
        to_update: list[Any],
        to_delete: list[int],
    ) -> None:
        """``keep_app_values``: the app's lines keep their values. A line learns its Intacct RECORDNO
        from the Intacct line with equal values (after its create); a line whose Intacct line is gone
        is deleted; Intacct lines the app does not have are not added."""
        remote = {int(r["RECORDNO"]): r for r in rows}
        to_delete += [line.pk for line in mine if line.recordno and line.recordno not in remote]
        taken = {line.recordno for line in mine if line.recordno in remote}
        free: list[tuple[int, str]] = []
        for key, row in remote.items():
            if key in taken:
                continue
            try:
                free.append((key, hash_values(ls.to_app(row))))
            except ValueError:
                continue
        for line in mine:
            if line.recordno:
                continue
            digest = hash_values(self.field_values(ls.fields, line))
            match = next((pair for pair in free if pair[1] == digest), None)
            if match is not None:
                free.remove(match)
                line.recordno = match[0]
                to_update.append(line)

    def refresh_locals(self, family: str, local_ids: Iterable[int]) -> None:
        """``refresh`` for the Intacct twins of these local records (the invoices a payment paid)."""
        linked = self.links(family, local_id__in=list(local_ids), state=LinkState.LINKED)
        self.refresh(family, list(linked.values_list("recordno", flat=True)))

    def refresh(self, family: str, recordnos: Sequence[int]) -> None:
        """Read these records of a family now and apply them (state, totals, lines), cursor untouched:
        after a push, or after a payment changed the invoices it was applied to."""
        fam = get_family(family)
        if not recordnos:
            return
        records = self.remote.read(fam.spec, [int(k) for k in recordnos])
        row = self.cursor_row(fam.name)
        self._pull_page(
            fam, records, RunCursor.start(None, timezone.now(), row.timezone, self.overlap), unordered=True
        )

    # ---- removal -------------------------------------------------------------------------------

    def _unlink(self, fam: Family, recordnos: Iterable[int], reason: str) -> int:
        keys = list(recordnos)
        if not keys:
            return 0
        links = self.links(fam.name, state=LinkState.LINKED, recordno__in=keys)
        if fam.spec.on_remote_removal == RemoteRemoval.DELETE_LOCAL:
            fam.model.objects.filter(pk__in=list(links.values_list("local_id", flat=True))).delete()
        n = links.update(state=LinkState.UNLINKED, unlinked_reason=reason, last_synced_at=timezone.now())
        self.rec.count("unlinked", n)
        self._forget_refs(fam.name)
        return int(n)

    def check_removals(self, fam: Family, *, force: bool = False, key_scan: bool = False) -> None:
        """Unlink local records whose Intacct record is gone. Periodic, not on every pull."""
        row = self.cursor_row(fam.name)
        now = timezone.now()
        due = row.removal_checked_at is None or now - row.removal_checked_at >= timedelta(
            hours=fam.spec.removal_check_hours
        )
        if not (due or force or key_scan):
            return
        linked = set(self.links(fam.name, state=LinkState.LINKED).values_list("recordno", flat=True))
        removed: set[int] = set()
        errors = _errors()
        if linked and not row.audit_denied and not key_scan:
            try:
                rows = self.remote.deleted_since(fam.spec, row.audit_position)
            except (errors.PermissionDenied, errors.QueryFailed):
                row.audit_denied = True  # the role may not read AUDITHISTORY: scan keys instead
            else:
                removed |= {k for k, _ in rows}
                stamps = [t for t in (parse_timestamp(s) for _, s in rows) if t is not None]
                if stamps:
                    row.audit_position = max(stamps).strftime("%m/%d/%Y %H:%M:%S")
        scan_due = row.key_scan_at is None or now - row.key_scan_at >= timedelta(
            hours=fam.spec.removal_check_hours * KEY_SCAN_EVERY
        )
        if linked and (row.audit_denied or key_scan or scan_due):
            self.rec.progress(phase=f"{fam.spec.label}: checking for removed records")
            removed |= linked - self.remote.all_keys(fam.spec)
            row.key_scan_at = now
        self._unlink(fam, linked & removed, "removed in Intacct")
        row.removal_checked_at = now
        row.save()

    # ---- push ----------------------------------------------------------------------------------

    def queue_push(self, family: str, local_ids: Iterable[int]) -> None:
        for local_id in local_ids:
            PendingPush.objects.get_or_create(workspace=self.workspace, family=family, local_id=local_id)

    def created_key(self, fam: Family, local: Model) -> str:
        """The deterministic key of a record the engine creates: a retry reuses it, never a new one."""
        if fam.created_key is not None:
            return fam.created_key(local)
        return fam.spec.created_business_id(local.pk)

    def collect_local_changes(self, fam: Family) -> None:
        """Queue local records ready to push that were never pushed, or changed since both sides last
        agreed (when the family pushes updates)."""
        links = {ln.local_id: ln for ln in self.links(fam.name)}
        wanted = []
        for local in fam.model.objects.filter(workspace=self.workspace).iterator():
            link = links.get(local.pk)
            if not fam.ready_to_push(local):
                continue
            if link is None or (
                link.is_linked
                and fam.spec.push_updates
                and hash_values(self.local_values(fam, local)) != link.last_seen_hash
            ):
                wanted.append(local.pk)
        self.queue_push(fam.name, wanted)

    def push(self, fam: Family, only: Sequence[int] | None = None) -> None:
        if only is None:
            self._families_pushed.add(fam.name)
            self.collect_local_changes(fam)
        pending = PendingPush.objects.filter(workspace=self.workspace, family=fam.name)
        if only is not None:
            pending = pending.filter(local_id__in=list(only))
        items = list(pending.order_by("pk"))
        for start in range(0, len(items), PUSH_BATCH):
            self._push_batch(fam, items[start : start + PUSH_BATCH])
            self._page_done(len(items[start : start + PUSH_BATCH]), f"{fam.spec.label}: writing to Intacct")

    def _reference_fields(self, fam: Family) -> list[tuple[FieldMap, bool]]:
        """(field, on a line?) of every pushed reference of the family."""
        out = [(f, False) for f in fam.spec.fields if f.reference and f.push]
        if fam.spec.lines is not None:
            out += [(f, True) for f in fam.spec.lines.fields if f.reference and f.push]
        return out

    def _referenced_ids(self, fam: Family, local: Model, field: FieldMap, on_line: bool) -> set[int]:
        attr = f"{field.app}_id"
        if not on_line:
            value = getattr(local, attr, None)
            return {value} if value else set()
        return {v for line in self.lines_of(fam, local) if (v := getattr(line, attr, None))}

    def _push_references_first(self, fam: Family, locals_: Iterable[Model]) -> None:
        """A new bill's vendor that is not in Intacct yet is created there first, in this run."""
        for field, on_line in self._reference_fields(fam):
            target = get_family(field.reference)
            if (
                target.name == fam.name
                or not target.pushes_for(self.workspace)
                # pushed earlier in this run: what failed there is not sent again in the same run
                or target.name in self._families_pushed
            ):
                continue
            missing = {
                ref_id
                for local in locals_
                if fam.ready_to_push(local)
                for ref_id in self._referenced_ids(fam, local, field, on_line)
                if not self._ref_business_id(target.name, ref_id)
            }
            if missing:
                self.queue_push(target.name, sorted(missing))
                self.push(target, only=sorted(missing))
                self._forget_refs(target.name)

    def _unresolved(self, fam: Family, local: Model) -> Problems:
        problems: Problems = []
        for field, on_line in self._reference_fields(fam):
            label = get_family(field.reference).noun or get_family(field.reference).spec.label.lower()
            for ref_id in sorted(self._referenced_ids(fam, local, field, on_line)):
                if not self._ref_business_id(field.reference, ref_id):
                    problems.append(
                        (
                            "IB-REFERENCE",
                            f"{'A line' if on_line else 'It'} refers to {label} #{ref_id}, which is not in "
                            "Sage Intacct yet; sync that record first (see its issues).",
                        )
                    )
        return problems

    def _refuse(
        self, fam: Family, item: PendingPush, local: Model, link: Link | None, problems: Problems
    ) -> None:
        """Checks failed before sending: nothing is sent, the record keeps its issues and stays queued."""
        item.attempts += 1
        item.last_error = "; ".join(text for _, text in problems)[:2000]
        item.save(update_fields=["attempts", "last_error"])
        for code, text in problems:
            self.rec.issue(
                fam.name,
                errorno=code,
                text=text,
                local_id=local.pk,
                action="push",
                recordno=link.recordno if link else None,
            )

    def _write_op(
        self, fam: Family, local: Model, link: Link | None, values: dict[str, Any], digest: str
    ) -> WriteOp:
        spec = fam.spec
        if link is not None:
            fields = spec.to_intacct(values)
            fields["RECORDNO"] = str(link.recordno)
            controlid = f"{self.workspace.pk}-{fam.name}-update-{local.pk}-{digest[:16]}"
            return WriteOp("update", spec.intacct_object, fields, controlid)
        key = self.created_key(fam, local)
        controlid = f"{self.workspace.pk}-{fam.name}-create-{local.pk}"
        if fam.create_attempt is not None:
            controlid += f"-{fam.create_attempt(local)}"
        if spec.create_function:
            if fam.build_create is None:
                raise TypeError(f"family {fam.name} names {spec.create_function} but has no build_create")
            context = CreateContext(self.workspace, local, values, self.line_values(fam, local), key)
            return WriteOp("call", spec.create_function, dict(fam.build_create(context)), controlid)
        fields = spec.to_intacct(values)
        fields[spec.key_field] = key
        return WriteOp("create", spec.intacct_object, fields, controlid)

    def _push_batch(self, fam: Family, batch: Sequence[PendingPush]) -> None:
        self._load_batch_lines(fam, [p.local_id for p in batch])
        try:
            self._send_batch(fam, batch)
        finally:
            for item in batch:
                self._batch_lines.pop((fam.name, item.local_id), None)

    def _send_batch(self, fam: Family, batch: Sequence[PendingPush]) -> None:
        spec, errors = fam.spec, _errors()
        related = [f.app for f in spec.fields if f.reference]  # a bill's vendor, a task's project ...
        locals_ = fam.model.objects.select_related(*related).in_bulk([p.local_id for p in batch])
        links = {ln.local_id: ln for ln in self.links(fam.name, local_id__in=[p.local_id for p in batch])}
        self._push_references_first(fam, locals_.values())
        ops: list[WriteOp] = []
        plan: list[_Planned] = []
        for item in batch:
            local = locals_.get(item.local_id)
            link = links.get(item.local_id)
            if (
                local is None
                or (link is not None and (not link.is_linked or not spec.push_updates))
                or not fam.ready_to_push(local)
            ):
                item.delete()  # removed locally, unlinked on purpose, Intacct's now, or not ready yet
                continue
            # the family's own checks name the problem best; unresolved references only when none
            problems = fam.check_push(self, local) or self._unresolved(fam, local)
            if problems:
                self._refuse(fam, item, local, link, problems)
                continue
            values = self.local_values(fam, local)
            digest = hash_values(values)
            if link is not None and digest == link.last_seen_hash:
                item.delete()
                continue
            ops.append(self._write_op(fam, local, link, values, digest))
            plan.append(_Planned(item, local, link, values, digest))
        if not ops:
            return
        outcomes = self.remote.write(ops)
        unknown: list[_Planned] = []
        done: list[tuple[Model, int | None]] = []
        transport = None
        for step, outcome in zip(plan, outcomes, strict=True):
            if outcome.ok:
                done.append((step.local, self._pushed(fam, step, outcome.recordno)))
            elif isinstance(outcome.error, errors.OutcomeUnknown | errors.AlreadyExecuted) or (
                isinstance(outcome.error, errors.AlreadyExists) and step.link is None
            ):
                step.error = outcome.error
                unknown.append(step)  # maybe written already: read back before sending again
            elif isinstance(outcome.error, errors.TransportError):
                transport = transport or outcome.error  # not sent: stays queued, the run stops below
            else:
                assert outcome.error is not None
                self._failed(fam, step, outcome.error)
        if unknown:
            done += self._reconcile(fam, unknown)
        self._after_push(fam, done)
        if transport is not None:
            raise transport

    def _failed(self, fam: Family, step: _Planned, error: Exception) -> None:
        step.item.attempts += 1
        step.item.last_error = str(error)[:2000]
        step.item.save(update_fields=["attempts", "last_error"])
        self.rec.issue_from(
            fam.name,
            error,
            local_id=step.local.pk,
            action="push",
            recordno=step.link.recordno if step.link else None,
        )

    def _after_push(self, fam: Family, done: Sequence[tuple[Model, int | None]]) -> None:
        """Created records are read back at once (Intacct's state, totals and lines), then the
        family's own follow-up runs (a payment refreshes the invoices it paid)."""
        if not done:
            return
        created = [recordno for _, recordno in done if recordno is not None]
        if created and fam.pulls_for(self.workspace):
            self.refresh(fam.name, created)
        fam.after_push(self, [local for local, _ in done])

    def _pushed(self, fam: Family, step: _Planned, recordno: int | None) -> int | None:
        """Link (or re-hash) a record Intacct confirmed; returns the RECORDNO of a new one."""
        spec, local, link = fam.spec, step.local, step.link
        step.item.delete()
        self.rec.count("pushed")
        if link is not None:
            self.links(fam.name).filter(pk=link.pk).update(
                last_seen_hash=step.digest, last_synced_at=timezone.now()
            )
            return None
        key = self.created_key(fam, local)
        if recordno is None:  # the answer lacked the key: find it by the deterministic key
            found = self.remote.read_by_business_ids(spec, [key], field=spec.key_field)
            recordno = int(found[0]["RECORDNO"]) if found else None
        if recordno is None:
            return None
        Link.objects.create(
            workspace=self.workspace,
            family=fam.name,
            local_id=local.pk,
            recordno=recordno,
            business_id=str(recordno) if spec.business_id == "RECORDNO" else key,
            last_seen_hash=step.digest,
            origin="created",
            last_synced_at=timezone.now(),
        )
        self._forget_refs(fam.name)
        return recordno

    def _reconcile(self, fam: Family, plan: Sequence[_Planned]) -> list[tuple[Model, int | None]]:
        """The writes' fate is unknown: read back before sending anything again."""
        spec, errors = fam.spec, _errors()
        done: list[tuple[Model, int | None]] = []
        creates = [p for p in plan if p.link is None]
        updates = [p for p in plan if p.link is not None]
        if creates:
            keys = [self.created_key(fam, p.local) for p in creates]
            found = {
                str(r.get(spec.key_field)): r
                for r in self.remote.read_by_business_ids(spec, keys, field=spec.key_field)
            }
            for step, key in zip(creates, keys, strict=True):
                record = found.get(key)
                if record is not None:
                    done.append((step.local, self._pushed(fam, step, int(record["RECORDNO"]))))
                elif isinstance(step.error, errors.AlreadyExists):
                    self._failed(fam, step, step.error)  # a real duplicate (bill number), not ours
                else:
                    self._unknown(fam, step)
        if updates:
            current = {
                int(r["RECORDNO"]): r
                for r in self.remote.read(spec, [p.link.recordno for p in updates if p.link])
            }
            pushable = {f.app for f in spec.fields if f.push}
            for step in updates:
                assert step.link is not None
                record = current.get(step.link.recordno)
                if record is not None and all(
                    spec.to_app(record).get(k) == step.values.get(k) for k in pushable
                ):
                    done.append((step.local, self._pushed(fam, step, step.link.recordno)))
                else:
                    self._unknown(fam, step)
        return done

    def _unknown(self, fam: Family, step: _Planned) -> None:
        step.item.attempts += 1
        step.item.last_error = "outcome unknown; not written yet, sent again next run"
        step.item.save(update_fields=["attempts", "last_error"])
        self.rec.issue(
            fam.name,
            errorno="IB-UNKNOWN",
            text="Intacct did not confirm the write; checked: not written. It is sent again on the next run.",
            local_id=step.local.pk,
            action="push",
        )

    # ---- a family, a run ------------------------------------------------------------------------

    def sync_family(self, fam: Family, *, check_removals: bool = False, key_scan: bool = False) -> None:
        errors = _errors()
        try:
            if fam.pulls_for(self.workspace):
                self.pull(fam)
                self.check_removals(fam, force=check_removals, key_scan=key_scan)
            if fam.pushes_for(self.workspace):
                self.push(fam)
        except errors.FunctionError as exc:
            # e.g. the role may not read this object: this family fails, the others go on
            self.rec.issue_from(fam.name, exc, action="pull")


_LINK_COLUMNS = (
    "workspace_id",
    "family",
    "local_id",
    "recordno",
    "business_id",
    "last_seen_hash",
    "remote_modified",
    "last_synced_at",
    "state",
    "origin",
    "unlinked_reason",
    "options",
    "created_at",
    "entity",
)


def update_rows(model: type[Model], objs: Sequence[Model], fields: Sequence[str]) -> None:
    """Write these fields of these objects with one executemany of ``UPDATE ... WHERE pk = %s``.

    Django's bulk_update builds a CASE WHEN per field over the whole batch, which costs more Python
    than the database work (half of a 1,000-bill push went there); values are prepared by each
    field's own get_db_prep_save, as the ORM does.
    """
    if not objs:
        return
    meta = model._meta
    targets = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in targets)  # type: ignore[union-attr]
    # identifiers from the model's own metadata, values as parameters
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608  # type: ignore[union-attr]
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in targets]  # type: ignore[union-attr]
        + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def insert_links(rows: Sequence[tuple[Any, ...]]) -> None:
    """Many new links in one executemany: an import of 100,000 records should not pay the ORM's
    per-object cost for rows nobody needs back (bulk_create spends most of an import's time there)."""
    if not rows:
        return
    table = connection.ops.quote_name(Link._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _LINK_COLUMNS)
    placeholders = ", ".join(["%s"] * len(_LINK_COLUMNS))
    # each column's value as the backend wants it (JSON, timestamps): same code path as the ORM
    fields = [
        Link._meta.get_field(c.removesuffix("_id") if c == "workspace_id" else c) for c in _LINK_COLUMNS
    ]
    cache: dict[tuple[int, str], Any] = {}
    prepared = []
    for row in rows:
        values = []
        for i, (field, value) in enumerate(zip(fields, row, strict=True)):
            if isinstance(value, int | str) and field.name not in ("options",):
                values.append(value)
                continue
            key = (i, repr(value))
            if key not in cache:
                cache[key] = field.get_db_prep_save(value, connection)
            values.append(cache[key])
        prepared.append(values)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)  # noqa: S608


class LinkRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}


def families_of(workspace: Workspace, family: str = "") -> list[Family]:
    if family:
        return [get_family(family)]
    enabled = set(workspace.families or [])
    return [f for f in all_families() if f.name in enabled]


def execute(
    run: Run,
    client: Any = None,
    *,
    check_removals: bool = False,
    key_scan: bool = False,
    overlap: timedelta | None = None,
) -> Run:
    """Run a sync (all the workspace's families, or ``run.family``) and record it. Never raises for
    Intacct problems: they end up in the run's status, message and issues."""
    workspace = run.workspace
    errors = _errors()
    engine: Engine | None = None
    rec = RunRecorder(run)
    rec.start()
    try:
        engine = Engine(workspace, run, client, overlap=overlap)
        # departments first: other families refer to them
        ordered = sorted(families_of(workspace, run.family), key=lambda f: f.name != "departments")
        for fam in ordered:
            engine.sync_family(fam, check_removals=check_removals, key_scan=key_scan)
    except Interrupted:
        return rec.finish(
            RunStatus.INTERRUPTED,
            "Stopped at a page boundary; the next run continues from there.",
            api_requests=engine.remote.requests if engine else None,
        )
    except errors.SetupError as exc:
        _report_setup(workspace, exc)
        rec.issue_from(run.family or "all", exc, action="setup")
        return rec.finish(
            RunStatus.FAILED,
            f"Intacct refused the connection: {exc}",
            api_requests=engine.remote.requests if engine else None,
        )
    except (errors.TransportError, errors.OutcomeUnknown, errors.RequestRejected) as exc:
        return rec.finish(
            RunStatus.FAILED,
            f"Intacct did not answer usefully ({type(exc).__name__}: {exc}); "
            "nothing was lost, the next run picks up from the same point.",
            api_requests=engine.remote.requests if engine else None,
        )
    return rec.finish(api_requests=engine.remote.requests)


def _report_setup(workspace: Workspace, exc: Exception) -> None:
    try:
        from intacct_bridge.workspaces.health import report_setup_failure
    except ImportError:  # pragma: no cover - the foundation provides it
        return
    report_setup_failure(workspace, exc)


def with_link_ids(family: str, workspace: Workspace, ids: Iterable[int]) -> dict[int, Link]:
    return {
        ln.local_id: ln
        for ln in Link.objects.filter(workspace=workspace, family=family, local_id__in=list(ids))
    }


__all__ = ["STOP", "Engine", "Interrupted", "LinkRefused", "execute", "families_of", "with_link_ids"]


def _number(value: Any) -> int:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else 0
