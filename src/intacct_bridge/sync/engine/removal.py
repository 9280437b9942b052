"""Removal: local records whose Intacct record is gone get unlinked, checked by every pull.

Every sync (Sync now, the CLI, the API, the schedule) asks AUDITHISTORY for the family's ``D`` events
since the last check: one request when nothing was deleted, whatever the family's size. A role that
may not read AUDITHISTORY gets a key-only RECORDNO scan instead (2,000 keys a request). The counts
are in docs/sync.md ("Removals").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone

import intacct.errors as errors
from intacct_bridge.sync.cursors import format_timestamp, local_now, parse_timestamp
from intacct_bridge.sync.engine.base import EngineBase
from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import Cursor, LinkState
from intacct_bridge.sync.registry import get_family
from intacct_bridge.sync.spec import RemoteRemoval


class Removal(EngineBase):
    """Unlinking local records whose Intacct record is gone (checked after every pull)."""

    def unlink_removed(self, fam: Family[Any], recordnos: Iterable[int], reason: str) -> int:
        keys = list(recordnos)
        if not keys:
            return 0
        links = self.links(fam.name, state=LinkState.LINKED, recordno__in=keys)
        if fam.spec.on_remote_removal == RemoteRemoval.DELETE_LOCAL:
            fam.model._default_manager.filter(pk__in=list(links.values_list("local_id", flat=True))).delete()
        n = links.update(state=LinkState.UNLINKED, unlinked_reason=reason, last_synced_at=timezone.now())
        self.rec.count("unlinked", n)
        self._forget_refs(fam.name)
        return int(n)

    def confirm_linked(self, family: str, local_ids: Iterable[int]) -> set[int]:
        """Ask Intacct now whether these local records' twins still exist (one query per 100): the
        vanished ones are unlinked at once. Returns the local ids still linked. For a check before a
        push that depends on them (a bill's vendor), whatever the last removal check saw."""
        fam = get_family(family)
        links = self.links(family, state=LinkState.LINKED, local_id__in=list(local_ids))
        by_recordno = {int(r): int(lid) for r, lid in links.values_list("recordno", "local_id")}
        if not by_recordno:
            return set()
        found = {int(r["RECORDNO"]) for r in self.remote.read(fam.spec, list(by_recordno))}
        self.unlink_removed(fam, [k for k in by_recordno if k not in found], "removed in Intacct")
        return {lid for k, lid in by_recordno.items() if k in found}

    def removals_checked_up_to(self, row: Cursor, when: datetime) -> None:
        """An import (or the first link) read the records as of ``when`` (Intacct-local): removals
        are looked for from there on, and the next sync does not scan every key again."""
        if not row.audit_position:
            row.audit_position = format_timestamp(when)
        now = timezone.now()
        row.key_scan_at = now
        row.removal_checked_at = now
        row.save(update_fields=["audit_position", "key_scan_at", "removal_checked_at", "updated_at"])

    def _check_start(self, row: Cursor) -> datetime:
        """Where this check's AUDITHISTORY window may end: the run's start minus the overlap, in the
        Web Services user's zone (a delete committed late is read again next time, never missed)."""
        started = self.run.started_at or timezone.now()
        return local_now(started, row.timezone) - self.overlap

    def check_removals(self, fam: Family[Any], *, key_scan: bool = False) -> None:
        """Unlink local records whose Intacct record is gone (every pull; ``key_scan`` forces a full
        key-only scan, the manual reconciliation of ``intacct-bridge sync --key-scan``)."""
        row = self.cursor_row(fam.name)
        linked = set(self.links(fam.name, state=LinkState.LINKED).values_list("recordno", flat=True))
        until = self._check_start(row)
        if not linked:
            # nothing can be unlinked: no request; later deletes are read from here on
            row.audit_position = format_timestamp(until)
            row.removal_checked_at = timezone.now()
            row.save(update_fields=["audit_position", "removal_checked_at", "updated_at"])
            return
        removed: set[int] = set()
        if not row.audit_denied and not key_scan:
            # no position yet (links made before positions were kept): this run read the records,
            # so deletes before its start cannot concern them
            since = row.audit_position or format_timestamp(until)
            try:
                rows = self.remote.deleted_since(fam.spec, since)
            except (errors.PermissionDenied, errors.QueryFailed):
                row.audit_denied = True  # the role may not read AUDITHISTORY: scan keys instead
            else:
                removed |= {k for k, _ in rows}
                stamps = [t for t in (parse_timestamp(s) for _, s in rows) if t is not None]
                row.audit_position = format_timestamp(max([until, *stamps]))
        if row.audit_denied or key_scan:
            self.rec.progress(phase=f"{fam.spec.label}: checking for removed records")
            removed |= linked - self.remote.all_keys(fam.spec)
            row.key_scan_at = timezone.now()
        self.unlink_removed(fam, linked & removed, "removed in Intacct")
        row.removal_checked_at = timezone.now()
        row.save()
