"""One condition tree for both query languages, compiled against an object's schema to a predicate.

Semantics are SQL's: a comparison with an empty (NULL) value is unknown, NOT of unknown is unknown,
and only rows where the whole condition is true are selected. String comparisons are case-sensitive
unless ``caseinsensitive``. Enum fields accept the display value or the database character
(``STATUS = 'T'`` and ``STATUS = 'active'``).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from intacct_sandbox.objects.base import BOOLEAN, DATE, DATETIME, DECIMAL, ENUM, INTEGER, Field, ObjectDef
from intacct_sandbox.objects.values import (
    FALSE_TEXT,
    TRUE_TEXT,
    parse_date,
    parse_local_datetime,
    to_wire,
    utc_stamp,
)
from intacct_sandbox.record_faults import InvalidFields, QuerySyntaxError

Literal = str | Decimal


@dataclass(frozen=True)
class Compare:
    field: str
    op: str  # = != < > <= >=
    value: Literal


@dataclass(frozen=True)
class Like:
    field: str
    pattern: str
    negate: bool = False


@dataclass(frozen=True)
class In:
    field: str
    values: tuple[Literal, ...]
    negate: bool = False


@dataclass(frozen=True)
class IsNull:
    field: str
    negate: bool = False


@dataclass(frozen=True)
class Between:
    field: str
    low: Literal
    high: Literal


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class Rownum:
    op: str
    value: int


Node = Compare | Like | In | IsNull | Between | And | Or | Not | Rownum
Predicate = Callable[[dict[str, Any]], bool | None]


def resolve_field(obj: ObjectDef, name: str) -> Field:
    f = obj.by_name.get(name.upper())
    if f is None:
        raise InvalidFields(f"Unknown field {name} on object {obj.name} in the query.")
    return f


def like_regex(pattern: str, caseinsensitive: bool = False) -> re.Pattern[str]:
    parts = [".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern]
    return re.compile("".join(parts), re.DOTALL | (re.IGNORECASE if caseinsensitive else 0))


class Coercer:
    """Turns a literal into the stored value type of one field (and stored values into comparables)."""

    def __init__(self, f: Field, tz: tzinfo, caseinsensitive: bool) -> None:
        self.f = f
        self.tz = tz
        self.ci = caseinsensitive and f.type in ("text", ENUM)

    def literal(self, raw: Literal) -> Any:
        f = self.f
        text = raw if isinstance(raw, str) else format(raw, "f")
        if f.type in (INTEGER, DECIMAL):
            try:
                return Decimal(text.strip())
            except InvalidOperation:
                raise QuerySyntaxError(f"'{text}' is not a number for field {f.name}.") from None
        if f.type == DATE:
            d = parse_date(text) or (lambda dt: dt.date() if dt else None)(parse_local_datetime(text))
            if d is None:
                raise QuerySyntaxError(f"'{text}' is not a date (mm/dd/yyyy) for field {f.name}.")
            return d
        if f.type == DATETIME:
            dt = parse_local_datetime(text)
            if dt is None:
                raise QuerySyntaxError(f"'{text}' is not a date and time (mm/dd/yyyy hh:mm:ss) for {f.name}.")
            return dt.replace(tzinfo=self.tz).astimezone(UTC)
        if f.type == BOOLEAN:
            low = text.lower()
            if low in TRUE_TEXT:
                return True
            if low in FALSE_TEXT:
                return False
            raise QuerySyntaxError(f"'{text}' is not a boolean ('T' or 'F') for field {f.name}.")
        if f.type == ENUM:
            for display, db in f.choices.items():
                if text == db or text == display or (self.ci and text.lower() == display.lower()):
                    return display.lower() if self.ci else display
        return text.lower() if self.ci else text

    def stored(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        if self.f.type == DATE and isinstance(value, datetime):
            return value.date()
        if self.ci and isinstance(value, str):
            return value.lower()
        return value

    def text(self, value: Any) -> str | None:
        """Wire text for LIKE on non-text fields."""
        if isinstance(value, str):
            return value.lower() if self.ci else value
        return to_wire(value, lambda dt: dt.astimezone(self.tz).strftime("%m/%d/%Y %H:%M:%S"))


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}


_STORED_TYPES: dict[str, type | tuple[type, ...]] = {
    "text": str,
    ENUM: str,
    INTEGER: (int, Decimal),
    DECIMAL: (int, Decimal),
    DATETIME: datetime,
    BOOLEAN: bool,
}


def _comparable(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    if isinstance(a, int | Decimal) and isinstance(b, int | Decimal):
        return True
    if isinstance(a, datetime) and isinstance(b, datetime):
        return True
    if isinstance(a, date) and isinstance(b, date):
        return not isinstance(a, datetime) and not isinstance(b, datetime)
    return isinstance(a, str) and isinstance(b, str)


def compile_node(node: Node, obj: ObjectDef, tz: tzinfo = UTC, caseinsensitive: bool = False) -> Predicate:
    """Build the predicate (True / False / None for unknown) of a condition tree."""
    if isinstance(node, And):
        parts = [compile_node(n, obj, tz, caseinsensitive) for n in node.items]

        def conj(row: dict[str, Any]) -> bool | None:
            result: bool | None = True
            for p in parts:
                v = p(row)
                if v is False:
                    return False
                if v is None:
                    result = None
            return result

        return conj
    if isinstance(node, Or):
        parts = [compile_node(n, obj, tz, caseinsensitive) for n in node.items]

        def disj(row: dict[str, Any]) -> bool | None:
            result: bool | None = False
            for p in parts:
                v = p(row)
                if v is True:
                    return True
                if v is None:
                    result = None
            return result

        return disj
    if isinstance(node, Not):
        inner = compile_node(node.item, obj, tz, caseinsensitive)

        def negation(row: dict[str, Any]) -> bool | None:
            v = inner(row)
            return None if v is None else not v

        return negation
    if isinstance(node, Rownum):
        raise QuerySyntaxError("rownum may only limit the whole query (rownum < n AND ...).")
    f = resolve_field(obj, node.field)
    name = f.name
    co = Coercer(f, tz, caseinsensitive)
    if isinstance(node, IsNull):
        negate = node.negate
        return lambda row: (row.get(name) in (None, "")) != negate
    if isinstance(node, Compare):
        want = co.literal(node.value)
        op = _OPS[node.op]
        if not co.ci and f.type != DATE and isinstance(want, _STORED_TYPES[f.type]):
            # fast path: stored values of this field already have the literal's type (hot in big scans)
            def fast_compare(row: dict[str, Any]) -> bool | None:
                have = row.get(name)
                if have is None or have == "":
                    return None
                return op(have, want)

            return fast_compare

        def compare(row: dict[str, Any]) -> bool | None:
            have = co.stored(row.get(name))
            if have is None or not _comparable(have, want):
                return None
            return op(have, want)

        return compare
    if isinstance(node, Between):
        low, high = co.literal(node.low), co.literal(node.high)

        def between(row: dict[str, Any]) -> bool | None:
            have = co.stored(row.get(name))
            if have is None or not _comparable(have, low):
                return None
            return bool(low <= have <= high)

        return between
    if isinstance(node, In):
        wanted = [co.literal(v) for v in node.values]
        negate = node.negate

        def member(row: dict[str, Any]) -> bool | None:
            have = co.stored(row.get(name))
            if have is None:
                return None
            found = any(_comparable(have, w) and have == w for w in wanted)
            return found != negate

        return member
    if isinstance(node, Like):
        rx = like_regex(node.pattern, co.ci)
        negate = node.negate

        def like(row: dict[str, Any]) -> bool | None:
            have = co.stored(row.get(name))
            if have is None:
                return None
            text = co.text(have)
            return None if text is None else (rx.fullmatch(text) is not None) != negate

        return like
    raise QuerySyntaxError(f"Unsupported condition {node!r}.")


def compile_true(
    node: Node, obj: ObjectDef, tz: tzinfo = UTC, caseinsensitive: bool = False
) -> Callable[[dict[str, Any]], bool]:
    """The predicate "the condition is TRUE". Outside NOT, unknown and false both reject a row, so AND/OR
    of plain comparisons can skip the three-valued bookkeeping (the hot path of big scans); anything
    else defers to :func:`compile_node`."""
    if isinstance(node, And | Or):
        parts = [compile_true(n, obj, tz, caseinsensitive) for n in node.items]
        if isinstance(node, And):
            if len(parts) == 2:
                first, second = parts
                return lambda row: first(row) and second(row)
            return lambda row: all(p(row) for p in parts)
        if len(parts) == 2:
            first, second = parts
            return lambda row: first(row) or second(row)
        return lambda row: any(p(row) for p in parts)
    if isinstance(node, Compare):
        f = resolve_field(obj, node.field)
        co = Coercer(f, tz, caseinsensitive)
        want = co.literal(node.value)
        if not co.ci and f.type != DATE and want != "" and isinstance(want, _STORED_TYPES[f.type]):
            name = f.name
            if node.op == "=":
                # an empty stored value (NULL) never equals a non-empty literal
                return lambda row: bool(row.get(name) == want)
            op = _OPS[node.op]

            def compare(row: dict[str, Any]) -> bool:
                have = row.get(name)
                return have is not None and have != "" and bool(op(have, want))

            return compare
    three_valued = compile_node(node, obj, tz, caseinsensitive)
    return lambda row: three_valued(row) is True


def split_rownum(node: Node | None) -> tuple[Node | None, int | None]:
    """Pull ``rownum`` limits out of a top-level conjunction: (rest of the condition, row limit)."""
    if node is None:
        return None, None
    items = list(node.items) if isinstance(node, And) else [node]
    limit: int | None = None
    rest: list[Node] = []
    for item in items:
        if isinstance(item, Rownum):
            n = {"<": item.value - 1, "<=": item.value, "=": 1 if item.value == 1 else 0}.get(item.op)
            if n is None:
                raise QuerySyntaxError(f"rownum {item.op} {item.value} is not supported; use rownum < n.")
            limit = n if limit is None else min(limit, n)
        else:
            rest.append(item)
    if not rest:
        return None, limit
    return (rest[0] if len(rest) == 1 else And(tuple(rest))), limit


def select(
    rows: Any,
    obj: ObjectDef,
    node: Node | None,
    tz: tzinfo = UTC,
    caseinsensitive: bool = False,
    keep: Callable[[dict[str, Any]], bool] | None = None,
) -> Sequence[dict[str, Any]]:
    """Rows (an iterable, in the order given) for which the condition is true, honouring rownum. A
    sequence is handed back as it is when nothing filters (read-only: callers never change it)."""
    rest, limit = split_rownum(node)
    predicate = None if rest is None else compile_true(rest, obj, tz, caseinsensitive)
    out: list[dict[str, Any]] = []
    if limit is not None and limit <= 0:
        return out
    if predicate is None and keep is None and limit is None and isinstance(rows, Sequence):
        # nothing filters: the caller's list itself (callers never change the list they get back)
        return rows
    for row in rows:
        if keep is not None and not keep(row):
            continue
        if predicate is not None and not predicate(row):
            continue
        out.append(row)
        if limit is not None and len(out) >= limit:
            break
    return out


__all__ = [
    "And",
    "Between",
    "Compare",
    "In",
    "IsNull",
    "Like",
    "Node",
    "Not",
    "Or",
    "Rownum",
    "compile_node",
    "select",
    "split_rownum",
    "utc_stamp",
]
