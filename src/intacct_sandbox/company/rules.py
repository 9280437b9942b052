"""A small, safe evaluator for smart-rule conditions (no eval): comparisons of a record's fields with
literals, joined by AND / OR / NOT and parentheses.

    TOTALENTERED > 10000 AND VENDORID != 'V100'
    STATUS = 'inactive' OR NAME IS NULL
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

Predicate = Callable[[dict[str, Any]], bool]

_TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+(?:\.\d+)?)|(?P<str>'(?:[^'\\]|\\.)*')|(?P<op><>|!=|<=|>=|==|=|<|>)"
    r"|(?P<paren>[()])|(?P<word>[A-Za-z_][A-Za-z0-9_.]*))"
)


class RuleSyntaxError(ValueError):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise RuleSyntaxError(f"cannot read the condition at column {pos + 1}: {text[pos : pos + 20]!r}")
        kind = match.lastgroup
        assert kind is not None
        value = match.group(kind)
        if kind == "str":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        out.append((kind, value))
        pos = match.end()
    return out


def _as_number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value.replace(",", ""))
        except InvalidOperation:
            return None
    return None


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%m/%d/%Y %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%m/%d/%Y")
    return str(value)


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: bool(a == b),
    "==": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
    "<>": lambda a, b: bool(a != b),
    "<": lambda a, b: bool(a < b),
    ">": lambda a, b: bool(a > b),
    "<=": lambda a, b: bool(a <= b),
    ">=": lambda a, b: bool(a >= b),
}


def _compare(field: str, op: str, literal: str, is_number: bool) -> Predicate:
    compare = _COMPARE[op]
    literal_number = Decimal(literal) if is_number else _as_number(literal)
    bool_literal = {"true": True, "t": True, "false": False, "f": False}.get(literal.lower())

    def test(record: dict[str, Any]) -> bool:
        value = record.get(field)
        if value is None or value == "":
            return False
        if isinstance(value, bool) and bool_literal is not None:
            return compare(value, bool_literal) if op in ("=", "==", "!=", "<>") else False
        number = _as_number(value)
        if number is not None and literal_number is not None:
            return compare(number, literal_number)
        return compare(_as_text(value), literal)

    return test


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise RuleSyntaxError("the condition ends too early")
        self.pos += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token is not None and token[0] == "word" and token[1].upper() == word:
            self.pos += 1
            return True
        return False

    def parse_or(self) -> Predicate:
        parts = [self.parse_and()]
        while self.keyword("OR"):
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else (lambda r: any(p(r) for p in parts))

    def parse_and(self) -> Predicate:
        parts = [self.parse_not()]
        while self.keyword("AND"):
            parts.append(self.parse_not())
        return parts[0] if len(parts) == 1 else (lambda r: all(p(r) for p in parts))

    def parse_not(self) -> Predicate:
        if self.keyword("NOT"):
            inner = self.parse_not()
            return lambda r: not inner(r)
        return self.parse_atom()

    def parse_atom(self) -> Predicate:
        kind, value = self.take()
        if (kind, value) == ("paren", "("):
            inner = self.parse_or()
            if self.take() != ("paren", ")"):
                raise RuleSyntaxError("missing ')'")
            return inner
        if kind != "word":
            raise RuleSyntaxError(f"expected a field name, got {value!r}")
        field = value.upper()
        if self.keyword("IS"):
            negate = self.keyword("NOT")
            if not (self.keyword("NULL") or self.keyword("EMPTY")):
                raise RuleSyntaxError("expected NULL after IS")
            return lambda r: (r.get(field) in (None, "")) != negate
        op_kind, op = self.take()
        if op_kind != "op":
            raise RuleSyntaxError(f"expected an operator after {field}, got {op!r}")
        lit_kind, literal = self.take()
        if lit_kind not in ("num", "str"):
            raise RuleSyntaxError(f"expected a number or a quoted text after {op}, got {literal!r}")
        return _compare(field, op, literal, lit_kind == "num")


def compile_condition(text: str) -> Predicate:
    """Compile a condition; raises RuleSyntaxError for anything it cannot read."""
    parser = _Parser(_tokens(text))
    predicate = parser.parse_or()
    if parser.peek() is not None:
        raise RuleSyntaxError(f"unexpected {parser.peek()[1]!r} after the condition")  # type: ignore[index]
    return predicate
