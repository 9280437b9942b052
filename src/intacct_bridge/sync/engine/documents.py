"""Documents: the entity, references imported on the way, lines, reading records back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from intacct_bridge.sync.cursors import RunCursor
from intacct_bridge.sync.engine.base import EngineBase, _number
from intacct_bridge.sync.engine.rows import update_rows
from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import LinkState
from intacct_bridge.sync.registry import get_family
from intacct_bridge.sync.spec import FieldMap, get_path, hash_values


class Documents(EngineBase):
    """Documents: references imported on the way, lines, and reading records back."""

    def import_missing_references(
        self,
        fam: Family[Any],
        records: Sequence[Mapping[str, Any]],
        fields: Sequence[FieldMap] | None = None,
    ) -> None:
        """Import (and link) referenced records not in the app yet, for fields marked import_missing:
        a project's customer arrives as a linked client with the project (``fields``: a line's)."""
        for f in fam.spec.fields if fields is None else fields:
            if not (f.reference and f.import_missing):
                continue
            known = self.refs(f.reference)
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

    def _line_model(self, fam: Family[Any]) -> type[Model]:
        assert fam.spec.lines is not None
        return apps.get_model(fam.spec.lines.model)

    def lines_of(self, fam: Family[Any], local: Model) -> list[Any]:
        """A local document's lines, in order: from the push batch's one query when it made one."""
        ls = fam.spec.lines
        assert ls is not None
        cached = self._batch_lines.get((fam.name, local.pk))
        if cached is not None:
            return cached
        lines = self._line_model(fam)._default_manager.filter(**{ls.parent_attr: local})
        return list(lines.order_by("line_no", "pk"))

    def load_batch_lines(self, fam: Family[Any], local_ids: Iterable[int]) -> None:
        """The lines of a whole push batch in one query (checks, references and creates read them)."""
        ls = fam.spec.lines
        if ls is None:
            return
        ids = list(local_ids)
        for local_id in ids:
            self._batch_lines[(fam.name, local_id)] = []
        parent_id = f"{ls.parent_attr}_id"
        related = [f.app for f in ls.fields if f.reference]  # the lines' accounts, departments ...
        manager = self._line_model(fam)._default_manager
        rows = manager.filter(**{f"{parent_id}__in": ids}).select_related(*related)
        for line in rows.order_by("line_no", "pk"):
            self._batch_lines[(fam.name, getattr(line, parent_id))].append(line)

    def line_values(self, fam: Family[Any], local: Model) -> list[dict[str, Any]]:
        """App-side values of a local document's lines, in order, references as business IDs."""
        ls = fam.spec.lines
        if ls is None:
            return []
        rows = self.lines_of(fam, local)
        return [
            {**self.field_values(ls.fields, line), "line_no": line.line_no, "id": line.pk} for line in rows
        ]

    def pull_lines(self, fam: Family[Any], headers: Mapping[int, int]) -> None:
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
        for remote_line in remote_lines:
            by_header.setdefault(int(remote_line[ls.parent_key]), []).append(remote_line)
        existing: dict[int, list[Any]] = {}
        current = model._default_manager.filter(**{f"{parent_id}__in": list(headers.values())})
        for stored in current.order_by("line_no", "pk"):
            existing.setdefault(getattr(stored, parent_id), []).append(stored)
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
                line: Any = by_key.get(key) or (loose.pop(0) if loose else None)
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
                        line.workspace = self.workspace
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
                    self.context, [line for rows in existing.values() for line in rows if line.pk in gone]
                )
                model._default_manager.filter(pk__in=to_delete).delete()
            if to_create:
                model._default_manager.bulk_create(to_create, batch_size=500)
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
        self.pull_page(
            fam, records, RunCursor.start(None, timezone.now(), row.timezone, self.overlap), unordered=True
        )
