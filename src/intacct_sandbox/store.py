"""All companies' records in memory, optionally persisted to SQLite.

Records are flat dicts of Python values keyed by dotted field name (``DISPLAYCONTACT.MAILADDRESS.CITY``),
held per (company, object) in RECORDNO order with a dict index on the business ID, and any other sort
order a query asks for kept sorted on write (``intacct_sandbox.ordered``). Changes made between
``begin()`` and ``commit()`` are journalled so ``rollback()`` can undo them exactly (records, RECORDNO
counters, meta values); ``commit()`` writes only the rows that changed.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from intacct_sandbox.ordered import OrderSpec, SortIndex

Row = dict[str, Any]
TableKey = tuple[str, str]


class StoreError(RuntimeError):
    """Misuse of the store (programming error, never a wire fault)."""


#: sort orders kept per table (each costs about 100 bytes a row)
MAX_ORDERS = 8


class Table:
    """One object of one company: rows by RECORDNO, business-ID index, optional parent index."""

    __slots__ = (
        "_keys",
        "_lock",
        "_values",
        "_values_shared",
        "id_field",
        "index",
        "orders",
        "owned",
        "parent_field",
        "parents",
        "rows",
        "sorted",
    )

    def __init__(self, id_field: str | None, parent_field: str | None) -> None:
        self.rows: dict[int, Row] = {}
        self.id_field = id_field
        self.index: dict[str, int] = {}
        self.parent_field = parent_field
        self.parents: dict[int, list[int]] = {}
        self.sorted = True
        #: rows owned by an entity (MEGAENTITYID set): zero lets reads skip the visibility test
        self.owned = 0
        #: RECORDNO-ordered snapshots shared by reads until the table changes (never mutated: a
        #: change replaces them), so an unfiltered page costs no copy of a 100k-row table
        self._keys: list[int] | None = None
        self._values: list[Row] | None = None
        #: whether a reader may hold ``_values`` (then an update copies it before changing it)
        self._values_shared = False
        #: sort orders kept in order on write (``intacct_sandbox.ordered``), most recently used last
        self.orders: dict[tuple[OrderSpec, bool], SortIndex] = {}
        #: held by writes and by readers building a snapshot, so a snapshot never sees half a write
        #: (reentrant: building an order reads the RECORDNO snapshot)
        self._lock = threading.RLock()

    def _index_add(self, recordno: int, row: Row) -> None:
        if row.get("MEGAENTITYID") is not None:
            self.owned += 1
        if self.id_field is not None:
            key = row.get(self.id_field)
            if key not in (None, ""):
                self.index[str(key)] = recordno
        if self.parent_field is not None:
            parent = row.get(self.parent_field)
            if isinstance(parent, int):
                self.parents.setdefault(parent, []).append(recordno)
        if self.orders:
            self._orders_change(None, row)

    def _orders_change(self, old: Row | None, new: Row | None) -> None:
        # A table rewritten faster than it is read (an import) drops its orders: rebuilding one with
        # a sort on the next read is cheaper than thousands of list inserts nobody reads in between.
        limit = max(1000, len(self.rows) // 10)
        for key, order in list(self.orders.items()):
            if order.pending > limit:
                del self.orders[key]
                continue
            if old is not None:
                order.remove(old)
            if new is not None:
                order.add(new)

    def _index_remove(self, recordno: int, row: Row) -> None:
        if row.get("MEGAENTITYID") is not None:
            self.owned -= 1
        if self.id_field is not None:
            key = row.get(self.id_field)
            if key not in (None, "") and self.index.get(str(key)) == recordno:
                del self.index[str(key)]
        if self.parent_field is not None:
            parent = row.get(self.parent_field)
            children = self.parents.get(parent) if isinstance(parent, int) else None
            if children is not None and recordno in children:
                children.remove(recordno)
                if not children:
                    del self.parents[parent]  # type: ignore[arg-type]
        if self.orders:
            self._orders_change(row, None)

    def put(self, recordno: int, row: Row) -> None:
        with self._lock:
            self._put(recordno, row)

    def _put(self, recordno: int, row: Row) -> None:
        old = self.rows.get(recordno)
        if old is not None:
            self._index_remove(recordno, old)
            self._replace_value(recordno, row)
        else:
            self._keys = None
            self._values = None
            if self.rows and recordno < next(reversed(self.rows)):
                self.sorted = False
        self.rows[recordno] = row
        self._index_add(recordno, row)

    def _replace_value(self, recordno: int, row: Row) -> None:
        """An update keeps the RECORDNO snapshot: the new row goes in its place (copied first if a
        reader holds the list), instead of the next read rebuilding a list of the whole table."""
        values, keys = self._values, self._keys
        if values is None or keys is None:
            self._values = None
            return
        i = bisect_left(keys, recordno)
        if i >= len(keys) or keys[i] != recordno or len(values) != len(keys):
            self._values = None
            return
        if self._values_shared:
            values = self._values = list(values)
            self._values_shared = False
        values[i] = row

    def pop(self, recordno: int) -> Row | None:
        with self._lock:
            row = self.rows.pop(recordno, None)
            if row is not None:
                self._keys = self._values = None
                self._index_remove(recordno, row)
            return row

    def ordered(self) -> dict[int, Row]:
        if not self.sorted:
            self.rows = dict(sorted(self.rows.items()))
            self.sorted = True
            self._keys = self._values = None
        return self.rows

    def keys_list(self) -> list[int]:
        keys = self._keys
        if keys is None:
            with self._lock:
                keys = self._keys
                if keys is None:
                    keys = self._keys = list(self.ordered())
        return keys

    def values_list(self) -> list[Row]:
        with self._lock:
            values = self._values
            if values is None:
                values = self._values = list(self.ordered().values())
                self.keys_list()  # updates find a row's place in the snapshot through the keys
            self._values_shared = True
            return values

    def sorted_by(self, spec: OrderSpec, caseinsensitive: bool) -> Sequence[Row]:
        """The rows in ``spec`` order: a snapshot of an order kept up to date on write, built (one
        sort) on first use. A few orders per table are kept; the least recently used goes first."""
        key = (spec, caseinsensitive)
        # readers do not hold the gateway's writer lock: this one keeps a write from slipping
        # between an order's lookup (or build) and its snapshot
        with self._lock:
            order = self.orders.pop(key, None)
            if order is None:
                order = SortIndex(spec, caseinsensitive, self.values_list())
                while len(self.orders) >= MAX_ORDERS:
                    del self.orders[next(iter(self.orders))]
            self.orders[key] = order
            return order.snapshot()


@dataclass
class CachedResult:
    """A readByQuery result set being paged through readMore."""

    company_id: str
    object_name: str
    recordnos: list[int]
    fields: list[str]
    position: int
    owner: str
    expires_at: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


class ResultCache:
    """readMore result sets, in memory only, expiring after ``ttl`` idle seconds."""

    def __init__(
        self, ttl: float = 1800.0, clock: Callable[[], float] = time.monotonic, max_entries: int = 256
    ) -> None:
        self.ttl = ttl
        #: abandoned result sets hold their key lists until they expire: bound how many are kept
        self.max_entries = max_entries
        self._clock = clock
        self._items: dict[str, CachedResult] = {}
        self._last_by_object: dict[tuple[str, str, str], str] = {}
        self._lock = threading.Lock()

    def put(self, entry: CachedResult, now: float | None = None) -> str:
        """Keep a result set; ``now`` is the caller's clock (the sandbox clock, so that advancing it
        expires result sets), else the cache's own."""
        with self._lock:
            now = self._clock() if now is None else now
            self._purge(now)
            while len(self._items) >= self.max_entries:
                oldest = min(self._items, key=lambda k: self._items[k].expires_at)
                del self._items[oldest]
            result_id = secrets.token_hex(12)
            entry.expires_at = now + self.ttl
            self._items[result_id] = entry
            self._last_by_object[(entry.company_id, entry.owner, entry.object_name)] = result_id
            return result_id

    def get(self, result_id: str, now: float | None = None) -> CachedResult | None:
        with self._lock:
            now = self._clock() if now is None else now
            self._purge(now)
            entry = self._items.get(result_id)
            if entry is not None:
                entry.expires_at = now + self.ttl
            return entry

    def last_for_object(self, company_id: str, owner: str, object_name: str) -> str | None:
        with self._lock:
            result_id = self._last_by_object.get((company_id, owner, object_name))
            return result_id if result_id in self._items else None

    def drop(self, result_id: str) -> None:
        with self._lock:
            self._items.pop(result_id, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._last_by_object.clear()

    def _purge(self, now: float) -> None:
        for key in [k for k, v in self._items.items() if v.expires_at <= now]:
            del self._items[key]


# --- JSON encoding of stored values (persistence only) -------------------------------------------


def _tag(value: Any) -> dict[str, str]:
    """json's ``default`` hook: the non-JSON values a record holds, as one-key tagged objects."""
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$n": str(value)}
    raise TypeError(f"cannot store {type(value).__name__}")


def _untag(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        ((tag, raw),) = obj.items()
        if tag == "$dt":
            return datetime.fromisoformat(raw)
        if tag == "$d":
            return date.fromisoformat(raw)
        if tag == "$n":
            return Decimal(raw)
    return obj


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), default=_tag)


def loads(text: str) -> Any:
    return json.loads(text, object_hook=_untag)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (company TEXT NOT NULL, object TEXT NOT NULL, recordno INTEGER NOT NULL,
    data TEXT NOT NULL, PRIMARY KEY (company, object, recordno));
CREATE TABLE IF NOT EXISTS counters (company TEXT NOT NULL, object TEXT NOT NULL, value INTEGER NOT NULL,
    PRIMARY KEY (company, object));
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class RecordStore:
    """The sandbox's records and meta values. Not thread-safe on its own: the gateway holds a lock
    around each begin()/commit() so there is one writer."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._tables: dict[TableKey, Table] = {}
        self._counters: dict[TableKey, int] = {}
        self._meta: dict[str, Any] = {}
        self._journal: list[Callable[[], None]] | None = None
        self._dirty_rows: set[tuple[str, str, int]] = set()
        self._dirty_counters: set[TableKey] = set()
        self._dirty_meta: set[str] = set()
        self._cleared = False
        from intacct_sandbox.objects import layout, sequences

        #: how each object is indexed: object -> (business-ID field, parent field)
        self.layout: dict[str, tuple[str | None, str | None]] = layout()
        #: objects sharing one RECORDNO counter
        self.sequences: dict[str, str] = sequences()
        self.results = ResultCache()
        from intacct_sandbox.fragments import FragmentCache

        #: compact XML of records as reads answered them, reused while the record is unchanged
        self.fragments = FragmentCache()
        self._db: sqlite3.Connection | None = None
        if path is not None:
            self._db = sqlite3.connect(path, check_same_thread=False)
            self._db.executescript(_SCHEMA)
            self._load()

    # --- transactions ---------------------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        return self._journal is not None

    def begin(self) -> None:
        if self._journal is not None:
            raise StoreError("a transaction is already open")
        self._journal = []

    def commit(self) -> None:
        if self._journal is None:
            raise StoreError("no transaction is open")
        self._journal = None
        self.flush()

    def rollback(self) -> None:
        if self._journal is None:
            raise StoreError("no transaction is open")
        journal, self._journal = self._journal, None
        for undo in reversed(journal):
            undo()

    def _record_undo(self, undo: Callable[[], None]) -> None:
        if self._journal is not None:
            self._journal.append(undo)

    # --- tables ---------------------------------------------------------------------------------

    def table(self, company_id: str, obj: str) -> Table:
        key = (company_id, obj)
        table = self._tables.get(key)
        if table is None:
            id_field, parent_field = self.layout.get(obj, (None, None))
            table = self._tables[key] = Table(id_field, parent_field)
        return table

    def companies(self) -> list[str]:
        return sorted({c for c, _ in self._tables})

    def next_recordno(self, company_id: str, obj: str) -> int:
        key = (company_id, self.sequences.get(obj, obj))
        previous = self._counters.get(key, 0)
        self._counters[key] = previous + 1
        self._dirty_counters.add(key)

        def undo() -> None:
            if previous:
                self._counters[key] = previous
            else:
                self._counters.pop(key, None)
            self._dirty_counters.add(key)

        self._record_undo(undo)
        return previous + 1

    # --- record CRUD ----------------------------------------------------------------------------

    def insert(self, company_id: str, obj: str, row: Row, recordno: int | None = None) -> int:
        """Add a record; assigns RECORDNO unless given. Returns the RECORDNO."""
        if recordno is None:
            recordno = self.next_recordno(company_id, obj)
        table = self.table(company_id, obj)
        if recordno in table.rows:
            raise StoreError(f"{obj} {recordno} already exists in {company_id}")
        row["RECORDNO"] = recordno
        table.put(recordno, row)
        self._dirty_rows.add((company_id, obj, recordno))
        self._record_undo(lambda: self._restore(company_id, obj, recordno, None))
        return recordno

    def replace(self, company_id: str, obj: str, recordno: int, row: Row) -> None:
        """Store a new version of an existing record (callers pass a new dict, never mutate in place)."""
        table = self.table(company_id, obj)
        old = table.rows.get(recordno)
        if old is None:
            raise StoreError(f"{obj} {recordno} does not exist in {company_id}")
        row["RECORDNO"] = recordno
        table.put(recordno, row)
        self._dirty_rows.add((company_id, obj, recordno))
        self._record_undo(lambda: self._restore(company_id, obj, recordno, old))

    def delete(self, company_id: str, obj: str, recordno: int) -> Row | None:
        table = self.table(company_id, obj)
        old = table.pop(recordno)
        if old is not None:
            self._dirty_rows.add((company_id, obj, recordno))
            self._record_undo(lambda: self._restore(company_id, obj, recordno, old))
        return old

    def _restore(self, company_id: str, obj: str, recordno: int, row: Row | None) -> None:
        table = self.table(company_id, obj)
        if row is None:
            table.pop(recordno)
        else:
            table.put(recordno, row)
        self._dirty_rows.add((company_id, obj, recordno))

    def get(self, company_id: str, obj: str, recordno: int) -> Row | None:
        table = self._tables.get((company_id, obj))
        return None if table is None else table.rows.get(recordno)

    def get_by_id(self, company_id: str, obj: str, business_id: str) -> Row | None:
        table = self._tables.get((company_id, obj))
        if table is None:
            return None
        recordno = table.index.get(business_id)
        return None if recordno is None else table.rows.get(recordno)

    def children(self, company_id: str, obj: str, parent_recordno: int) -> list[Row]:
        table = self._tables.get((company_id, obj))
        if table is None:
            return []
        return [table.rows[r] for r in sorted(table.parents.get(parent_recordno, ()))]

    def scan(self, company_id: str, obj: str) -> Iterator[Row]:
        """Records in RECORDNO order."""
        table = self._tables.get((company_id, obj))
        if table is None:
            return iter(())
        return iter(list(table.ordered().values()))

    def rows(self, company_id: str, obj: str) -> dict[int, Row]:
        """The live RECORDNO-ordered mapping (read-only use; fast path for big scans)."""
        table = self._tables.get((company_id, obj))
        return {} if table is None else table.ordered()

    def recordnos(self, company_id: str, obj: str) -> list[int]:
        """Every RECORDNO in order: a shared snapshot, replaced (never changed) by writes. Read-only."""
        table = self._tables.get((company_id, obj))
        return [] if table is None else table.keys_list()

    def row_list(self, company_id: str, obj: str) -> list[Row]:
        """Every record in RECORDNO order: a shared snapshot, replaced (never changed) by writes.
        Read-only, like the rows in it."""
        table = self._tables.get((company_id, obj))
        return [] if table is None else table.values_list()

    def sorted_rows(
        self, company_id: str, obj: str, spec: OrderSpec, caseinsensitive: bool = False
    ) -> Sequence[Row]:
        """Every record ordered by ``spec`` ((stored field, descending) pairs; ties by RECORDNO,
        empty values last ascending and first descending): a snapshot that later writes leave alone.
        Read-only. Orders are maintained on write, so repeated pages cost no sort."""
        table = self._tables.get((company_id, obj))
        return [] if table is None else table.sorted_by(spec, caseinsensitive)

    def has_owned(self, company_id: str, obj: str) -> bool:
        """Whether any record of the object belongs to an entity."""
        table = self._tables.get((company_id, obj))
        return table is not None and table.owned > 0

    def count(self, company_id: str, obj: str) -> int:
        table = self._tables.get((company_id, obj))
        return 0 if table is None else len(table.rows)

    # --- meta -----------------------------------------------------------------------------------

    def get_meta(self, key: str, default: Any = None) -> Any:
        value = self._meta.get(key, default)
        # hand out a copy so callers cannot change state behind the journal's back
        return loads(dumps(value)) if isinstance(value, dict | list) else value

    def set_meta(self, key: str, value: Any) -> None:
        missing = key not in self._meta
        old = self._meta.get(key)
        self._meta[key] = loads(dumps(value))
        self._dirty_meta.add(key)

        def undo() -> None:
            if missing:
                self._meta.pop(key, None)
            else:
                self._meta[key] = old
            self._dirty_meta.add(key)

        self._record_undo(undo)

    def meta_keys(self, prefix: str = "") -> list[str]:
        return sorted(k for k in self._meta if k.startswith(prefix))

    def delete_meta(self, key: str) -> None:
        if key not in self._meta:
            return
        old = self._meta.pop(key)
        self._dirty_meta.add(key)

        def undo() -> None:
            self._meta[key] = old
            self._dirty_meta.add(key)

        self._record_undo(undo)

    # --- reset and persistence ------------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything (not undoable)."""
        if self._journal is not None:
            raise StoreError("cannot reset inside a transaction")
        self._tables.clear()
        self._counters.clear()
        self._meta.clear()
        self.results.clear()
        self.fragments.clear()
        self._dirty_rows.clear()
        self._dirty_counters.clear()
        self._dirty_meta.clear()
        self._cleared = True
        self.flush()

    def flush(self) -> None:
        """Write what changed to SQLite (no-op in memory). Called by commit()."""
        if self._db is None:
            self._dirty_rows.clear()
            self._dirty_counters.clear()
            self._dirty_meta.clear()
            self._cleared = False
            return
        db = self._db
        with db:
            if self._cleared:
                db.execute("DELETE FROM records")
                db.execute("DELETE FROM counters")
                db.execute("DELETE FROM meta")
            upserts: list[tuple[str, str, int, str]] = []
            deletes: list[tuple[str, str, int]] = []
            for company_id, obj, recordno in self._dirty_rows:
                row = self.get(company_id, obj, recordno)
                if row is None:
                    deletes.append((company_id, obj, recordno))
                else:
                    upserts.append((company_id, obj, recordno, dumps(row)))
            db.executemany("DELETE FROM records WHERE company=? AND object=? AND recordno=?", deletes)
            db.executemany("INSERT OR REPLACE INTO records VALUES (?,?,?,?)", upserts)
            for company_id, obj in self._dirty_counters:
                value = self._counters.get((company_id, obj))
                if value is None:
                    db.execute("DELETE FROM counters WHERE company=? AND object=?", (company_id, obj))
                else:
                    db.execute("INSERT OR REPLACE INTO counters VALUES (?,?,?)", (company_id, obj, value))
            for key in self._dirty_meta:
                if key in self._meta:
                    db.execute("INSERT OR REPLACE INTO meta VALUES (?,?)", (key, dumps(self._meta[key])))
                else:
                    db.execute("DELETE FROM meta WHERE key=?", (key,))
        self._dirty_rows.clear()
        self._dirty_counters.clear()
        self._dirty_meta.clear()
        self._cleared = False

    def _load(self) -> None:
        assert self._db is not None
        for company_id, obj, recordno, data in self._db.execute(
            "SELECT company, object, recordno, data FROM records ORDER BY company, object, recordno"
        ):
            self.table(company_id, obj).put(recordno, loads(data))
        for company_id, obj, value in self._db.execute("SELECT company, object, value FROM counters"):
            self._counters[(company_id, obj)] = value
        for key, value in self._db.execute("SELECT key, value FROM meta"):
            self._meta[key] = loads(value)

    def reindex(self) -> None:
        """Rebuild indexes after ``layout`` changed (tables loaded before the registry was known)."""
        for (_company, obj), table in self._tables.items():
            id_field, parent_field = self.layout.get(obj, (None, None))
            if (table.id_field, table.parent_field) != (id_field, parent_field):
                rows = table.ordered()
                table.id_field, table.parent_field = id_field, parent_field
                table.index.clear()
                table.orders.clear()
                table.parents.clear()
                table.owned = 0
                for recordno, row in rows.items():
                    table._index_add(recordno, row)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
