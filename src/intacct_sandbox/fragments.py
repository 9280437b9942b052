"""Pre-rendered compact XML of records, cached while the record is unchanged.

A 1,000-record readByQuery page must cost the sandbox far less than the client's parse of it. Most of
the cost of a page is turning each stored row into ``<customer><RECORDNO>1</RECORDNO>…</customer>``;
the same rows are read again and again (every sync, every benchmark run), so the text of each record
is kept per (company, object, field list, user timezone), without the record's own element, so that
readByQuery's ``<customer>`` and query's ``<CUSTOMER>`` share it.

Invalidation needs no hooks: the store never changes a row in place (a write stores a new dict, a
rollback puts the old dict back), so a cached fragment is valid exactly while the row it was made from
*is* the stored row. Timestamps depend on the reader's timezone, which is part of the key; nothing
else in a record depends on the clock. The cache is bounded by characters and simply emptied when
full.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import datetime
from typing import Any

from intacct_sandbox.objects.values import Stamp, to_wire
from intacct_sandbox.xmltext import esc

Row = dict[str, Any]
Renderer = Callable[[Row], str]
#: about 64 MB of text: a few full-width pages of a big company, or every 5-field record of 100k
DEFAULT_BUDGET = 32_000_000


def compact_renderer(tag: str, fields: Sequence[str], stamp: Stamp) -> Renderer:
    """Row -> ``<tag><F>text</F><G/>…</tag>`` exactly as the writer renders the same record's dict
    (values through ``to_wire``; empty text and None as an empty element; & < > escaped). With an
    empty ``tag``, the fields alone (what the cache keeps)."""
    spec = [(name, f"<{name}>", f"</{name}>", f"<{name}/>") for name in fields]
    head, tail = (f"<{tag}>", f"</{tag}>") if tag else ("", "")

    def render(row: Row) -> str:
        parts = [head]
        append = parts.append
        get = row.get
        for name, open_, close, empty in spec:
            value = get(name)
            if value is None:
                append(empty)
                continue
            cls = value.__class__
            if cls is int:
                append(open_ + str(value) + close)
                continue
            if cls is datetime:  # digits only: nothing to escape
                append(open_ + stamp(value) + close)
                continue
            if cls is not str:
                value = to_wire(value, stamp)
                if value is None:
                    append(empty)
                    continue
            if not value:
                append(empty)
            elif "&" in value or "<" in value or ">" in value:
                append(open_ + esc(value) + close)
            else:
                append(open_ + value + close)
        append(tail)
        return "".join(parts)

    return render


class FragmentCache:
    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self._sets: dict[Hashable, dict[int, tuple[Row, str]]] = {}
        self._chars = 0
        #: renderers by key (their spec is built once per key)
        self._renderers: dict[Hashable, Renderer] = {}

    def clear(self) -> None:
        self._sets = {}
        self._renderers = {}
        self._chars = 0

    def render(
        self,
        key: Hashable,
        rows: Iterable[Row],
        make_renderer: Callable[[], Renderer],
        recordnos: Iterable[int] | None = None,
    ) -> list[str]:
        """The fragments of ``rows`` (in order), rendering and keeping the ones not cached.
        ``recordnos``, when the caller has them at hand, saves reading each row (a page in a sort
        order other than RECORDNO visits rows scattered over memory)."""
        entries = self._sets.get(key)
        if entries is None:
            entries = self._sets[key] = {}
        render = self._renderers.get(key)
        if render is None:
            render = self._renderers[key] = make_renderer()
        out: list[str] = []
        append = out.append
        added = 0
        rows = rows if isinstance(rows, list) else list(rows)
        if recordnos is None:
            recordnos = [row["RECORDNO"] for row in rows]
        for recordno, row in zip(recordnos, rows, strict=True):
            hit = entries.get(recordno)
            if hit is not None and hit[0] is row:
                append(hit[1])
                continue
            text = render(row)
            entries[recordno] = (row, text)
            added += len(text)
            append(text)
        if added:
            self._chars += added
            if self._chars > self.budget:
                # cheap and rare: start again rather than track recency per record
                self.clear()
        return out

    def stats(self) -> dict[str, int]:
        return {"sets": len(self._sets), "records": sum(map(len, self._sets.values())), "chars": self._chars}


def page_fragments(
    ctx: Any,
    company_id: str,
    obj_name: str,
    tag: str,
    fields: Sequence[str],
    rows: Iterable[Row],
    stamp: Stamp,
    recordnos: Iterable[int] | None = None,
) -> list[str]:
    """The compact fragments of a read page, through the store's cache when the reader's timezone is
    known (it is part of every timestamp), else rendered afresh."""
    cache: FragmentCache | None = getattr(ctx.store, "fragments", None)
    zone = getattr(ctx, "tzinfo", None)
    if cache is None or zone is None:
        render = compact_renderer(tag, fields, stamp)
        return [render(row) for row in rows]
    # The cache keeps the fields without the record's element, so readByQuery (<customer>) and query
    # (<CUSTOMER>) of the same fields share one copy: two copies of a 100k-record table were what
    # made the sandbox's memory grow under mixed read load.
    key = (company_id, obj_name, tuple(fields), zone)
    inner = cache.render(key, rows, lambda: compact_renderer("", fields, stamp), recordnos)
    head, tail = f"<{tag}>", f"</{tag}>"
    return [head + text + tail for text in inner]
