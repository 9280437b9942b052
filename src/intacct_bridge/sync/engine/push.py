"""Push: local changes written in batches with deterministic controlids and keys; an unknown outcome
is read back before anything is sent again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils import timezone

import intacct.errors as errors
from intacct_bridge.sync.engine.base import PUSH_BATCH, EngineBase
from intacct_bridge.sync.family import CreateContext, Family, Problems
from intacct_bridge.sync.models import Link, PendingPush
from intacct_bridge.sync.registry import get_family
from intacct_bridge.sync.remote import WriteOp
from intacct_bridge.sync.spec import FieldMap, hash_values


@dataclass
class _Planned:
    """A record in a push batch, with what was sent for it."""

    item: PendingPush
    local: Model
    link: Link | None
    values: dict[str, Any]
    digest: str
    error: Exception | None = None



class Push(EngineBase):
    """Writing local changes to Intacct in batches, references first, unknown outcomes read back."""

    def queue_push(self, family: str, local_ids: Iterable[int]) -> None:
        for local_id in local_ids:
            PendingPush.objects.get_or_create(workspace=self.workspace, family=family, local_id=local_id)

    def created_key(self, fam: Family[Any], local: Model) -> str:
        """The deterministic key of a record the engine creates: a retry reuses it, never a new one."""
        return fam.created_key(local)

    def collect_local_changes(self, fam: Family[Any]) -> None:
        """Queue local records ready to push that were never pushed, or changed since both sides last
        agreed (when the family pushes updates)."""
        links = {ln.local_id: ln for ln in self.links(fam.name)}
        wanted = []
        for local in fam.model._default_manager.filter(workspace=self.workspace).iterator():
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

    def push(self, fam: Family[Any], only: Sequence[int] | None = None) -> None:
        if only is None:
            self._families_pushed.add(fam.name)
            self.collect_local_changes(fam)
        pending = PendingPush.objects.filter(workspace=self.workspace, family=fam.name)
        if only is not None:
            pending = pending.filter(local_id__in=list(only))
        items = list(pending.order_by("pk"))
        for start in range(0, len(items), PUSH_BATCH):
            self._push_batch(fam, items[start : start + PUSH_BATCH])
            self.page_done(len(items[start : start + PUSH_BATCH]), f"{fam.spec.label}: writing to Intacct")

    def _reference_fields(self, fam: Family[Any]) -> list[tuple[FieldMap, bool]]:
        """(field, on a line?) of every pushed reference of the family."""
        out = [(f, False) for f in fam.spec.fields if f.reference and f.push]
        if fam.spec.lines is not None:
            out += [(f, True) for f in fam.spec.lines.fields if f.reference and f.push]
        return out

    def _referenced_ids(self, fam: Family[Any], local: Model, field: FieldMap, on_line: bool) -> set[int]:
        attr = f"{field.app}_id"
        if not on_line:
            value = getattr(local, attr, None)
            return {value} if value else set()
        return {v for line in self.lines_of(fam, local) if (v := getattr(line, attr, None))}

    def _push_references_first(self, fam: Family[Any], locals_: Iterable[Model]) -> None:
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

    def _unresolved(self, fam: Family[Any], local: Model) -> Problems:
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
        self, fam: Family[Any], item: PendingPush, local: Model, link: Link | None, problems: Problems
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
        self, fam: Family[Any], local: Model, link: Link | None, values: dict[str, Any], digest: str
    ) -> WriteOp:
        spec = fam.spec
        if link is not None:
            fields = spec.to_intacct(values)
            fields["RECORDNO"] = str(link.recordno)
            controlid = f"{self.workspace.pk}-{fam.name}-update-{local.pk}-{digest[:16]}"
            return WriteOp("update", spec.intacct_object, fields, controlid)
        key = self.created_key(fam, local)
        controlid = f"{self.workspace.pk}-{fam.name}-create-{local.pk}"
        attempt = fam.create_attempt(local)
        if attempt:
            controlid += f"-{attempt}"
        if spec.create_function:
            context = CreateContext(self.workspace, local, values, self.line_values(fam, local), key)
            return WriteOp("call", spec.create_function, dict(fam.build_create(context)), controlid)
        fields = spec.to_intacct(values)
        fields[spec.key_field] = key
        return WriteOp("create", spec.intacct_object, fields, controlid)

    def _push_batch(self, fam: Family[Any], batch: Sequence[PendingPush]) -> None:
        self.load_batch_lines(fam, [p.local_id for p in batch])
        try:
            self._send_batch(fam, batch)
        finally:
            for item in batch:
                self._batch_lines.pop((fam.name, item.local_id), None)

    def _send_batch(self, fam: Family[Any], batch: Sequence[PendingPush]) -> None:
        spec = fam.spec
        related = [f.app for f in spec.fields if f.reference]  # a bill's vendor, a task's project ...
        locals_ = fam.model._default_manager.select_related(*related).in_bulk([p.local_id for p in batch])
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
            problems = fam.check_push(self.context, local) or self._unresolved(fam, local)
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

    def _failed(self, fam: Family[Any], step: _Planned, error: Exception) -> None:
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

    def _after_push(self, fam: Family[Any], done: Sequence[tuple[Model, int | None]]) -> None:
        """Created records are read back at once (Intacct's state, totals and lines), then the
        family's own follow-up runs (a payment refreshes the invoices it paid)."""
        if not done:
            return
        created = [recordno for _, recordno in done if recordno is not None]
        if created and fam.pulls_for(self.workspace):
            self.refresh(fam.name, created)
        fam.after_push(self.context, [local for local, _ in done])

    def _pushed(self, fam: Family[Any], step: _Planned, recordno: int | None) -> int | None:
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

    def _reconcile(self, fam: Family[Any], plan: Sequence[_Planned]) -> list[tuple[Model, int | None]]:
        """The writes' fate is unknown: read back before sending anything again."""
        spec = fam.spec
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

    def _unknown(self, fam: Family[Any], step: _Planned) -> None:
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
