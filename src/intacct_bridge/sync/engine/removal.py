"""Removal: local records whose Intacct record is gone get unlinked (periodic, not every pull)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.utils import timezone

import intacct.errors as errors
from intacct_bridge.sync.cursors import parse_timestamp
from intacct_bridge.sync.engine.base import KEY_SCAN_EVERY, EngineBase
from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import LinkState
from intacct_bridge.sync.spec import RemoteRemoval


class Removal(EngineBase):
    """Unlinking local records whose Intacct record is gone (periodic, not every pull)."""

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

    def check_removals(self, fam: Family[Any], *, force: bool = False, key_scan: bool = False) -> None:
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
        self.unlink_removed(fam, linked & removed, "removed in Intacct")
        row.removal_checked_at = now
        row.save()
