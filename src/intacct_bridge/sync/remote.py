"""The engine's few Intacct operations, over one workspace's ``intacct.Client``.

Keeps the engine independent of the client's exact call shapes and counts the requests a run
makes (the client's own counter when it has one, else one per page/batch sent).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from intacct import Client, F, Q
from intacct_bridge.sync.cursors import Position, parse_timestamp
from intacct_bridge.sync.spec import FamilySpec

# records per page of pulls and imports (the query function serves up to 2000)
PAGE_SIZE = int(os.environ.get("INTACCT_BRIDGE_SYNC_PAGE_SIZE", "1000"))
KEY_SCAN_PAGE_SIZE = 2000  # the largest page the query function serves
READ_CHUNK = 100  # keys per read


@dataclass(frozen=True)
class WriteOp:
    """One write: ``kind`` "create"/"update" of ``target`` (an object) with ``payload`` fields, or
    "call" of ``target`` (a legacy function such as create_bill) with ``payload`` parameters."""

    kind: str
    target: str
    payload: dict[str, Any]
    controlid: str


@dataclass
class WriteOutcome:
    ok: bool
    recordno: int | None = None
    error: Exception | None = None


class Remote:
    def __init__(self, client: Client, page_size: int = PAGE_SIZE) -> None:
        self.client = client
        self.page_size = page_size
        self._own_requests = 0
        self._counter_start = self._client_counter()
        # a top-level session sees private entities' records only when it asks (showprivate):
        # a workspace not bound to an entity syncs them all, as the top-level workspace does
        credentials = getattr(client, "credentials", None)
        self.show_private = credentials is not None and not getattr(credentials, "entity_id", None)

    # ---- request accounting ----------------------------------------------------------------

    def _client_counter(self) -> int | None:
        for name in ("requests_sent", "request_count"):
            value = getattr(self.client, name, None)
            if isinstance(value, int):
                return value
        stats = getattr(self.client, "stats", None)
        if isinstance(stats, dict) and isinstance(stats.get("requests"), int):
            return int(stats["requests"])
        return None

    @property
    def requests(self) -> int:
        now = self._client_counter()
        if now is not None and self._counter_start is not None:
            return now - self._counter_start
        return self._own_requests

    # ---- reads -----------------------------------------------------------------------------

    def _pages(
        self, obj: str, fields: list[str], where: Any, order_by: list[str] | None, page_size: int
    ) -> Iterator[list[dict[str, Any]]]:
        kwargs: dict[str, Any] = {"fields": fields, "where": where, "page_size": page_size}
        if self.show_private:
            kwargs["show_private"] = True
        if order_by:
            kwargs["order_by"] = order_by
        page: list[dict[str, Any]] = []
        self._own_requests += 1
        for record in self.client.query(obj, **kwargs):
            page.append(record)
            if len(page) >= page_size:
                yield page
                page = []
                self._own_requests += 1
        if page:
            yield page

    def changed_since(self, spec: FamilySpec, after: Position | None) -> Iterator[list[dict[str, Any]]]:
        """Pages of records after the (WHENMODIFIED, RECORDNO) position (everything when None), sorted.

        Keyset, like Estuary's reader: ``WHENMODIFIED > t OR (WHENMODIFIED = t AND RECORDNO > r)``,
        so a resumed run continues inside a second shared by many records instead of starting over.
        """
        where: Q | None = None
        if after is not None:
            where = F("WHENMODIFIED").gt(after.modified) | (
                F("WHENMODIFIED").eq(after.modified) & F("RECORDNO").gt(after.recordno)
            )
        return self._pages(
            spec.intacct_object, spec.query_fields(), where, ["WHENMODIFIED", "RECORDNO"], self.page_size
        )

    def created_unmodified_since(self, spec: FamilySpec, since: datetime) -> Iterator[list[dict[str, Any]]]:
        """Pages of records whose WHENMODIFIED is empty, created (``spec.created_field``) since ``since``."""
        where = F("WHENMODIFIED").is_null() & F(spec.created_field).ge(since)
        return self._pages(
            spec.intacct_object, spec.query_fields(), where, [spec.created_field, "RECORDNO"], self.page_size
        )

    def search(
        self, spec: FamilySpec, text: str, limit: int, exclude: Sequence[int] = ()
    ) -> list[dict[str, Any]]:
        """Up to ``limit`` records whose name or business ID contains ``text`` (for pickers)."""
        where: Q | None = None
        if text:
            pattern = "%" + text.replace("%", "").replace("_", "") + "%"
            where = F(spec.name_field).like(pattern) | F(spec.business_id).like(pattern)
        out: list[dict[str, Any]] = []
        excluded = set(exclude)
        for page in self._pages(
            spec.intacct_object, spec.query_fields(), where, ["RECORDNO"], self.page_size
        ):
            for record in page:
                if int(record["RECORDNO"]) not in excluded:
                    out.append(record)
                    if len(out) >= limit:
                        return out
        return out

    def read(self, spec: FamilySpec, recordnos: Sequence[int]) -> list[dict[str, Any]]:
        """Current records by RECORDNO (missing ones are simply absent)."""
        out: list[dict[str, Any]] = []
        for start in range(0, len(recordnos), READ_CHUNK):
            chunk = list(recordnos[start : start + READ_CHUNK])
            where = F("RECORDNO").in_([int(k) for k in chunk])
            for page in self._pages(
                spec.intacct_object, spec.query_fields(), where, ["RECORDNO"], max(self.page_size, READ_CHUNK)
            ):
                out.extend(page)
        return out

    def read_by_business_ids(
        self, spec: FamilySpec, ids: Sequence[str], field: str = ""
    ) -> list[dict[str, Any]]:
        """Records whose ``field`` (default the business ID) is one of ``ids``."""
        return self.where_in(spec.intacct_object, spec.query_fields(), field or spec.business_id, ids)

    def where_in(
        self, obj: str, fields: list[str], field: str, values: Sequence[Any], order_by: str = "RECORDNO"
    ) -> list[dict[str, Any]]:
        """Every record of ``obj`` whose ``field`` is one of ``values``, READ_CHUNK values a query."""
        out: list[dict[str, Any]] = []
        for start in range(0, len(values), READ_CHUNK):
            where = F(field).in_(list(values[start : start + READ_CHUNK]))
            for page in self._pages(obj, fields, where, [order_by], max(self.page_size, READ_CHUNK)):
                out.extend(page)
        return out

    def all_keys(self, spec: FamilySpec) -> set[int]:
        """Every RECORDNO of the object: a key-only scan with the largest page size."""
        keys: set[int] = set()
        for page in self._pages(spec.intacct_object, ["RECORDNO"], None, ["RECORDNO"], KEY_SCAN_PAGE_SIZE):
            keys.update(int(r["RECORDNO"]) for r in page)
        return keys

    def deleted_since(self, spec: FamilySpec, since: str) -> list[tuple[int, str]]:
        """(RECORDNO, ACCESSTIME) of deletions recorded in AUDITHISTORY since ``since`` (Intacct-local)."""
        cond = F("OBJECTTYPE").eq(spec.intacct_object.lower()) & F("ACCESSMODE").eq("D")
        when = parse_timestamp(since)
        if when is not None:
            cond = cond & F("ACCESSTIME").ge(when)
        out: list[tuple[int, str]] = []
        for page in self._pages(
            "AUDITHISTORY", ["OBJECTKEY", "ACCESSTIME"], cond, ["ACCESSTIME"], KEY_SCAN_PAGE_SIZE
        ):
            for row in page:
                key = str(row.get("OBJECTKEY") or "").strip()
                if key.isdigit():
                    out.append((int(key), str(row.get("ACCESSTIME") or "")))
        return out

    # ---- writes ----------------------------------------------------------------------------

    def write(self, ops: Sequence[WriteOp]) -> list[WriteOutcome]:
        """Many create/update/legacy functions in one batch (no transaction: each stands alone).

        Every function gets an outcome; an unknown fate comes back as an outcome whose error is the
        client's OutcomeUnknown.
        """
        handles = []
        with self.client.batch(transaction=False) as batch:
            for op in ops:
                handles.append(getattr(batch, op.kind)(op.target, op.payload, controlid=op.controlid))
        self._own_requests += 1 + (len(ops) - 1) // max(1, int(getattr(self.client, "batch_size", 100)))
        outcomes: list[WriteOutcome] = []
        for handle in handles:
            result = handle.result
            if result.ok:
                recordno = result.record_no or result.key
                key = str(recordno or "")
                outcomes.append(WriteOutcome(ok=True, recordno=int(key) if key.isdigit() else None))
            else:
                outcomes.append(WriteOutcome(ok=False, error=result.error))
        return outcomes
