"""Pull: records changed in Intacct since the cursor, compared by hash, written only when they differ;
two-way records changed on both sides settled by the spec's conflict policy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from intacct_bridge.sync.cursors import Position, RunCursor, parse_timestamp, to_utc
from intacct_bridge.sync.engine.base import EngineBase, Interrupted, _jsonable
from intacct_bridge.sync.engine.rows import update_rows
from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import Conflict, Cursor, Link, LinkState, PendingPush
from intacct_bridge.sync.spec import ConflictPolicy, Direction, ImportMode, get_path, hash_values


class Pull(EngineBase):
    """Reading Intacct's changes since the cursor and applying them to linked records."""

    def pull(self, fam: Family[Any]) -> None:
        spec = fam.spec
        row = self.cursor_row(spec.family)
        stored = Position.from_dict(row.position)
        rc = RunCursor.start(stored, timezone.now(), row.timezone, self.overlap)
        try:
            if stored is None:
                self._first_pull(fam, rc)
            else:
                for page in self.remote.created_unmodified_since(spec, stored.modified):
                    self.pull_page(fam, page, rc, created_pass=True)
                    self.page_done(len(page), f"{spec.label}: reading new records")
                rc.finish_null_pass()
                for page in self.remote.changed_since(spec, rc.stored):
                    self.pull_page(fam, page, rc)
                    self.page_done(len(page), f"{spec.label}: reading changes")
        except Interrupted:
            self.save_position(row, rc.checkpoint())
            raise
        self.save_position(row, rc.promote())

    def _first_pull(self, fam: Family[Any], rc: RunCursor) -> None:
        """No cursor yet: import-all reads everything; import-selected reads just the linked keys."""
        rc.finish_null_pass()
        if fam.spec.import_mode == ImportMode.ALL:
            for page in self.remote.changed_since(fam.spec, None):
                self.pull_page(fam, page, rc, unordered=True)
                self.page_done(len(page), f"{fam.spec.label}: reading all records")
            return
        keys = list(self.links(fam.name, state=LinkState.LINKED).values_list("recordno", flat=True))
        if not keys:
            return
        records = self.remote.read(fam.spec, keys)
        self.pull_page(fam, records, rc, unordered=True)
        found = {int(r["RECORDNO"]) for r in records}
        self.unlink_removed(fam, [k for k in keys if k not in found], "removed in Intacct")
        self.page_done(len(records), f"{fam.spec.label}: reading linked records")

    def _adopt_created(self, fam: Family[Any], records: Sequence[Mapping[str, Any]]) -> dict[int, Link]:
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
        queued = fam.model._default_manager.filter(pk__in=pending_ids)
        by_key = {self.created_key(fam, local): local for local in queued}
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

    def save_position(self, row: Cursor, position: Position | None) -> None:
        data = position.to_dict() if position else {}
        if data != row.position:
            row.position = data
            row.save(update_fields=["position", "updated_at"])

    def pull_page(
        self,
        fam: Family[Any],
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
        locals_ = fam.model._default_manager.in_bulk([ln.local_id for ln in links.values()])
        to_import: list[Mapping[str, Any]] = []
        changed_locals: list[Model] = []
        changed_links: list[Link] = []
        with transaction.atomic():
            for record in records:
                recordno = int(record["RECORDNO"])
                self.rec.count("fetched")
                link = links.get(recordno)
                if link is None:
                    if spec.import_mode == ImportMode.ALL and fam.imports(self.context, record):
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
                fields.update(fam.derived_fields)
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
                fam.after_pull(self.context, created, changed_locals)
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
        self, fam: Family[Any], record: Mapping[str, Any], link: Link, local: Model
    ) -> tuple[bool, bool]:
        """Compare and apply one linked record in memory; returns (local changed, link changed)."""
        spec = fam.spec
        skip = list(link.options.get("skip", []))
        if fam.keep_app_values(self.workspace):
            skip += [f.app for f in spec.fields if f.push]  # Intacct's edits of what we sent stay there
        values = {k: v for k, v in spec.to_app(record).items() if k not in skip}
        where: dict[str, Any] = {
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
        fam: Family[Any],
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
