"""Ordering and aggregation for the ``query`` function (docs/intacct/protocol.md §5.5)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from intacct_sandbox.objects.base import ObjectDef
from intacct_sandbox.ordered import sort_rows
from intacct_sandbox.query.ast import resolve_field

Row = dict[str, Any]


def _empty(value: Any) -> bool:
    return value is None or value == ""


def order_rows(
    rows: Sequence[Row], obj: ObjectDef, order: list[tuple[str, bool]], caseinsensitive: bool = False
) -> list[Row]:
    """Stable sort by each (field, descending) in turn; empty values last ascending, first descending
    (Oracle's default, which Intacct sits on). Stored records are not sorted here per query: the
    store keeps their orders (``RecordStore.sorted_rows``); this serves grouped rows."""
    spec = tuple((resolve_field(obj, name).name, descending) for name, descending in order)
    return sort_rows(rows, spec, caseinsensitive)


AGGREGATES = ("count", "avg", "min", "max", "sum")


def _aggregate(kind: str, values: list[Any]) -> Any:
    present = [v for v in values if not _empty(v)]
    if kind == "count":
        return len(present)
    if not present:
        return None
    if kind == "min":
        return min(present)
    if kind == "max":
        return max(present)
    total = sum((Decimal(v) for v in present), Decimal(0))
    if kind == "sum":
        return total
    return (total / len(present)).quantize(Decimal("0.01")) if present else None


def group_rows(
    rows: Iterable[Row], obj: ObjectDef, group_fields: list[str], aggregates: list[tuple[str, str]]
) -> list[Row]:
    """One row per distinct combination of the plain fields, with ``COUNT.RECORDNO``-style columns."""
    groups: dict[tuple[Any, ...], list[Row]] = {}
    for row in rows:
        groups.setdefault(tuple(row.get(f) for f in group_fields), []).append(row)
    if not groups and not group_fields:
        groups[()] = []
    out: list[Row] = []
    for key, members in groups.items():
        result: Row = dict(zip(group_fields, key, strict=True))
        for kind, name in aggregates:
            result[f"{kind.upper()}.{name}"] = _aggregate(kind, [m.get(name) for m in members])
        out.append(result)
    return out


Formatter = Callable[[Row], dict[str, Any]]
