"""Import and link: new local records (and their links) for remote records, in bulk."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from intacct_bridge.sync.cursors import RunCursor, parse_timestamp
from intacct_bridge.sync.engine.base import EngineBase, LinkRefused
from intacct_bridge.sync.engine.rows import insert_links, update_rows
from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import Link, LinkState
from intacct_bridge.sync.spec import hash_values


class Linking(EngineBase):
    """Importing remote records as new local ones, and linking existing local records."""

    def create_locals(
        self,
        fam: Family[Any],
        records: Sequence[Mapping[str, Any]],
        options: Mapping[str, Any],
        origin: str = "imported",
    ) -> list[Model]:
        """New local records + links for remote records not linked yet (bulk, references after)."""
        spec = fam.spec
        self.import_missing_references(fam, records)
        skip = list(fam.import_skip(options))
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
                    target = self.refs(f.reference).get(str(values[f.app]))
                    if target is not None:
                        setattr(local, f"{f.app}_id", target)
            fam.on_create(local, options)
            fam.derive(local)
            pending.append((local, record, values))
        if not pending:
            return []
        created = model._default_manager.bulk_create([p[0] for p in pending])
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

    def import_records(
        self, fam: Family[Any], recordnos: Sequence[int] | None, options: Mapping[str, Any]
    ) -> int:
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
                    fam.after_pull(self.context, made, [])  # an explicit import is news to the event feed too
                created += len(made)
            if spec.lines is not None and fresh:
                keys = [int(r["RECORDNO"]) for r in fresh]
                linked_now = self.links(fam.name, state=LinkState.LINKED, recordno__in=keys)
                self.pull_lines(fam, dict(linked_now.values_list("recordno", "local_id")))
            for record in page:
                rc.seen(parse_timestamp(record.get("WHENMODIFIED")), int(record["RECORDNO"]))
                if recordnos is not None:
                    missing.discard(int(record["RECORDNO"]))
            self.page_done(len(page), f"{spec.label}: importing")
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
            self.save_position(row, rc.promote())
        return created

    def link(self, fam: Family[Any], local: Model, recordno: int) -> Link:
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
            self.save_position(row, rc.promote())
        return link
