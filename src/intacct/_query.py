"""Conditions for both query languages, built once and rendered either way.

    from intacct import F
    cond = (F("STATUS") == True) & F("WHENMODIFIED").ge(datetime(2024, 1, 1)) & ~F("NAME").like("Test%")
    cond.to_query()
    # readByQuery: "(STATUS = 'T' AND WHENMODIFIED >= '01/01/2024 00:00:00' AND NOT NAME LIKE 'Test%')"
    cond.to_filter()   # query: <and><equalto>...</equalto>...</and>

readByQuery strings quote text in single quotes and escape ``\\`` and ``'`` with a backslash;
booleans are ``'T'``/``'F'`` (the database character), dates ``'MM/DD/YYYY'``, datetimes
``'MM/DD/YYYY HH:MM:SS'``, numbers bare. XML escaping of ``<`` and ``&`` happens when the string
is put into the request. The ``query`` function has no NOT, so :class:`Not` is pushed down
(``notequalto``, ``notin``, ``isnotnull``, De Morgan for AND/OR).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from lxml import etree

from intacct._convert import DATE_FORMAT, DATETIME_FORMAT, wire_text

__all__ = ["And", "Between", "Compare", "F", "Field", "In", "IsNull", "Not", "Or", "Q", "literal"]

MAX_IN_VALUES = 1000
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
# Characters XML 1.0 cannot carry at all (lxml would refuse them later, less clearly).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_field(name: str) -> str:
    if not isinstance(name, str) or not _FIELD.match(name):
        raise ValueError(f"not a field name: {name!r}")
    return name


def check_text(text: str) -> str:
    if _NOT_XML.search(text):
        raise ValueError(f"text contains characters XML cannot carry: {text!r}")
    return text


def literal(value: Any) -> str:
    """A value as a readByQuery literal."""
    if isinstance(value, bool):
        return "'T'" if value else "'F'"
    if isinstance(value, datetime):
        return "'" + value.strftime(DATETIME_FORMAT) + "'"
    if isinstance(value, date):
        return "'" + value.strftime(DATE_FORMAT) + "'"
    if isinstance(value, int | Decimal | float):
        return wire_text(value)
    if isinstance(value, str):
        check_text(value)
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    raise TypeError(f"cannot use a {type(value).__name__} in a query")


def filter_value(value: Any) -> str:
    """A value as the text of a ``query`` filter ``<value>`` (booleans as the database character
    ``T``/``F``, as in readByQuery strings)."""
    if isinstance(value, str):
        return check_text(value)
    if isinstance(value, bool):
        return "T" if value else "F"
    return wire_text(value)


class Q:
    """A condition. Combine with ``&``, ``|`` and ``~``."""

    def to_query(self) -> str:
        raise NotImplementedError

    def to_filter(self) -> etree._Element:
        raise NotImplementedError

    def negated(self) -> Q:
        """The condition with NOT pushed inside (the ``query`` function has no NOT)."""
        raise NotImplementedError

    def __and__(self, other: Q) -> Q:
        return And(self, other)

    def __or__(self, other: Q) -> Q:
        return Or(self, other)

    def __invert__(self) -> Q:
        return Not(self)

    def __str__(self) -> str:
        return self.to_query()

    def __repr__(self) -> str:
        return f"Q({self.to_query()!r})"


_OPS = {
    "=": ("equalto", "notequalto"),
    "<": ("lessthan", "greaterthanorequalto"),
    "<=": ("lessthanorequalto", "greaterthan"),
    ">": ("greaterthan", "lessthanorequalto"),
    ">=": ("greaterthanorequalto", "lessthan"),
    "LIKE": ("like", "notlike"),
}
_INVERSE = {"=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<", "LIKE": "LIKE"}


def _leaf(tag: str, field: str, values: Iterable[Any]) -> etree._Element:
    el = etree.Element(tag)
    etree.SubElement(el, "field").text = field
    for v in values:
        etree.SubElement(el, "value").text = filter_value(v)
    return el


class Compare(Q):
    def __init__(self, field: str, op: str, value: Any, negate: bool = False) -> None:
        if op not in _OPS:
            raise ValueError(f"unknown operator {op!r}")
        if value is None:
            raise ValueError("compare with None: use is_null() / is_not_null()")
        literal(value)  # validate now, not at send time
        self.field, self.op, self.value, self.negate = check_field(field), op, value, negate

    def to_query(self) -> str:
        text = f"{self.field} {self.op} {literal(self.value)}"
        return f"NOT {text}" if self.negate else text

    def to_filter(self) -> etree._Element:
        if self.negate and self.op not in ("=", "LIKE"):
            return Compare(self.field, _INVERSE[self.op], self.value).to_filter()
        return _leaf(_OPS[self.op][1 if self.negate else 0], self.field, [self.value])

    def negated(self) -> Q:
        return Compare(self.field, self.op, self.value, not self.negate)


class In(Q):
    def __init__(self, field: str, values: Iterable[Any], negate: bool = False) -> None:
        self.values = list(values)
        if not self.values:
            raise ValueError("IN needs at least one value")
        if len(self.values) > MAX_IN_VALUES:
            raise ValueError(f"IN takes at most {MAX_IN_VALUES} values, got {len(self.values)}")
        for v in self.values:
            literal(v)
        self.field, self.negate = check_field(field), negate

    def to_query(self) -> str:
        op = "NOT IN" if self.negate else "IN"
        return f"{self.field} {op} ({','.join(literal(v) for v in self.values)})"

    def to_filter(self) -> etree._Element:
        return _leaf("notin" if self.negate else "in", self.field, self.values)

    def negated(self) -> Q:
        return In(self.field, self.values, not self.negate)


class IsNull(Q):
    def __init__(self, field: str, negate: bool = False) -> None:
        self.field, self.negate = check_field(field), negate

    def to_query(self) -> str:
        return f"{self.field} IS NOT NULL" if self.negate else f"{self.field} IS NULL"

    def to_filter(self) -> etree._Element:
        return _leaf("isnotnull" if self.negate else "isnull", self.field, [])

    def negated(self) -> Q:
        return IsNull(self.field, not self.negate)


class Between(Q):
    def __init__(self, field: str, low: Any, high: Any) -> None:
        literal(low)
        literal(high)
        self.field, self.low, self.high = check_field(field), low, high

    def to_query(self) -> str:
        return f"({self.field} >= {literal(self.low)} AND {self.field} <= {literal(self.high)})"

    def to_filter(self) -> etree._Element:
        return _leaf("between", self.field, [self.low, self.high])

    def negated(self) -> Q:
        return Or(Compare(self.field, "<", self.low), Compare(self.field, ">", self.high))


class _Group(Q):
    keyword = ""

    def __init__(self, *children: Q) -> None:
        flat: list[Q] = []
        for c in children:
            if not isinstance(c, Q):
                raise TypeError(f"not a condition: {c!r}")
            # (a AND b) AND c == a AND b AND c: keeps strings and filters shallow.
            flat.extend(c.children if isinstance(c, _Group) and type(c) is type(self) else [c])
        if not flat:
            raise ValueError(f"{self.keyword} needs at least one condition")
        self.children: list[Q] = flat

    def to_query(self) -> str:
        if len(self.children) == 1:
            return self.children[0].to_query()
        return "(" + f" {self.keyword} ".join(c.to_query() for c in self.children) + ")"

    def to_filter(self) -> etree._Element:
        if len(self.children) == 1:
            return self.children[0].to_filter()
        el = etree.Element(self.keyword.lower())
        for c in self.children:
            el.append(c.to_filter())
        return el


class And(_Group):
    keyword = "AND"

    def negated(self) -> Q:
        return Or(*(c.negated() for c in self.children))


class Or(_Group):
    keyword = "OR"

    def negated(self) -> Q:
        return And(*(c.negated() for c in self.children))


class Not(Q):
    def __init__(self, child: Q) -> None:
        self.child = child

    def to_query(self) -> str:
        inner = self.child.to_query()
        return f"NOT {inner}" if inner.startswith("(") else f"NOT ({inner})"

    def to_filter(self) -> etree._Element:
        return self.child.negated().to_filter()

    def negated(self) -> Q:
        return self.child


class Field:
    """A field to build conditions on: ``F("NAME") == "x"``, ``F("RECORDNO").in_([1, 2])``."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, name: str) -> None:
        self.name = check_field(name)

    def eq(self, value: Any) -> Q:
        return Compare(self.name, "=", value)

    def ne(self, value: Any) -> Q:
        return Compare(self.name, "=", value, negate=True)

    def lt(self, value: Any) -> Q:
        return Compare(self.name, "<", value)

    def le(self, value: Any) -> Q:
        return Compare(self.name, "<=", value)

    def gt(self, value: Any) -> Q:
        return Compare(self.name, ">", value)

    def ge(self, value: Any) -> Q:
        return Compare(self.name, ">=", value)

    def like(self, pattern: str) -> Q:
        return Compare(self.name, "LIKE", pattern)

    def not_like(self, pattern: str) -> Q:
        return Compare(self.name, "LIKE", pattern, negate=True)

    def in_(self, values: Iterable[Any]) -> Q:
        return In(self.name, values)

    def not_in(self, values: Iterable[Any]) -> Q:
        return In(self.name, values, negate=True)

    def is_null(self) -> Q:
        return IsNull(self.name)

    def is_not_null(self) -> Q:
        return IsNull(self.name, negate=True)

    def between(self, low: Any, high: Any) -> Q:
        return Between(self.name, low, high)

    def __eq__(self, value: Any) -> Q:  # type: ignore[override]
        return self.eq(value)

    def __ne__(self, value: Any) -> Q:  # type: ignore[override]
        return self.ne(value)

    def __lt__(self, value: Any) -> Q:
        return self.lt(value)

    def __le__(self, value: Any) -> Q:
        return self.le(value)

    def __gt__(self, value: Any) -> Q:
        return self.gt(value)

    def __ge__(self, value: Any) -> Q:
        return self.ge(value)


F = Field
