"""The readByQuery query-string grammar (docs/intacct/protocol.md §5.1), parsed to the shared condition tree.

    expr    := term (OR term)*
    term    := factor (AND factor)*
    factor  := NOT factor | '(' expr ')' | cond
    cond    := field op literal | field [NOT] LIKE string | field [NOT] IN '(' literal, ... ')'
             | field IS [NOT] NULL | ROWNUM op integer
    op      := = | != | <> | < | > | <= | >=
    literal := 'string with \\' escapes' | number

Keywords are case-insensitive; field names are matched case-insensitively by the compiler.
"""

from __future__ import annotations

import re
from decimal import Decimal

from intacct_sandbox.query.ast import And, Compare, In, IsNull, Like, Literal, Node, Not, Or, Rownum
from intacct_sandbox.record_faults import QuerySyntaxError

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^'\\]|\\.)*')
      | (?P<number>-?\d+(?:\.\d+)?(?![A-Za-z_]))
      | (?P<op><=|>=|<>|!=|=|<|>)
      | (?P<punct>[(),])
      | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    )""",
    re.VERBOSE | re.DOTALL,
)
_KEYWORDS = {"AND", "OR", "NOT", "LIKE", "IN", "IS", "NULL"}


class Token:
    __slots__ = ("kind", "pos", "value")

    def __init__(self, kind: str, value: str, pos: int) -> None:
        self.kind, self.value, self.pos = kind, value, pos

    def is_kw(self, word: str) -> bool:
        return self.kind == "word" and self.value.upper() == word


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            if text[pos:].lstrip().startswith("'"):
                raise QuerySyntaxError(f"Unterminated string at position {pos + 1} of the query.")
            raise QuerySyntaxError(
                f"Unexpected character at position {pos + 1} of the query: {text[pos:].strip()[:20]!r}"
            )
        kind = m.lastgroup or ""
        tokens.append(Token(kind, m.group(kind), m.start(kind)))
        pos = m.end()
    return tokens


def _unquote(token: str) -> str:
    return re.sub(r"\\(.)", r"\1", token[1:-1], flags=re.DOTALL)


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise QuerySyntaxError("The query ends too early.")
        self.i += 1
        return tok

    def expect_kw(self, word: str) -> None:
        tok = self.take()
        if not tok.is_kw(word):
            raise QuerySyntaxError(f"Expected {word} at position {tok.pos + 1}, found {tok.value!r}.")

    def expect_punct(self, char: str) -> None:
        tok = self.take()
        if tok.value != char or tok.kind != "punct":
            raise QuerySyntaxError(f"Expected '{char}' at position {tok.pos + 1}, found {tok.value!r}.")

    def expr(self) -> Node:
        items = [self.term()]
        while (tok := self.peek()) is not None and tok.is_kw("OR"):
            self.take()
            items.append(self.term())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def term(self) -> Node:
        items = [self.factor()]
        while (tok := self.peek()) is not None and tok.is_kw("AND"):
            self.take()
            items.append(self.factor())
        return items[0] if len(items) == 1 else And(tuple(items))

    def factor(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise QuerySyntaxError("The query ends too early.")
        if tok.is_kw("NOT"):
            self.take()
            return Not(self.factor())
        if tok.kind == "punct" and tok.value == "(":
            self.take()
            inner = self.expr()
            self.expect_punct(")")
            return inner
        return self.condition()

    def literal(self) -> Literal:
        tok = self.take()
        if tok.kind == "string":
            return _unquote(tok.value)
        if tok.kind == "number":
            return Decimal(tok.value)
        raise QuerySyntaxError(
            f"Expected a quoted value or a number at position {tok.pos + 1}, found {tok.value!r}."
        )

    def string(self) -> str:
        tok = self.take()
        if tok.kind != "string":
            raise QuerySyntaxError(f"Expected a quoted pattern at position {tok.pos + 1}.")
        return _unquote(tok.value)

    def condition(self) -> Node:
        tok = self.take()
        if tok.kind != "word" or tok.value.upper() in _KEYWORDS:
            raise QuerySyntaxError(f"Expected a field name at position {tok.pos + 1}, found {tok.value!r}.")
        field = tok.value
        nxt = self.take()
        if nxt.kind == "op":
            op = "!=" if nxt.value == "<>" else nxt.value
            value = self.literal()
            if field.upper() == "ROWNUM":
                if not isinstance(value, Decimal) or value != value.to_integral():
                    raise QuerySyntaxError("rownum takes an integer.")
                return Rownum(op, int(value))
            return Compare(field, op, value)
        negate = False
        if nxt.is_kw("NOT"):
            negate = True
            nxt = self.take()
        if nxt.is_kw("LIKE"):
            return Like(field, self.string(), negate)
        if nxt.is_kw("IN"):
            self.expect_punct("(")
            values = [self.literal()]
            while (t := self.peek()) is not None and t.kind == "punct" and t.value == ",":
                self.take()
                values.append(self.literal())
            self.expect_punct(")")
            return In(field, tuple(values), negate)
        if nxt.is_kw("IS") and not negate:
            null_negate = False
            if (t := self.peek()) is not None and t.is_kw("NOT"):
                self.take()
                null_negate = True
            self.expect_kw("NULL")
            return IsNull(field, null_negate)
        raise QuerySyntaxError(
            f"Expected an operator after {field} at position {nxt.pos + 1}, found {nxt.value!r}."
        )


def parse(text: str | None) -> Node | None:
    """The condition tree of a readByQuery ``<query>``; None for an empty query (all rows)."""
    if text is None or text.strip() == "":
        return None
    parser = _Parser(tokenize(text))
    node = parser.expr()
    rest = parser.peek()
    if rest is not None:
        raise QuerySyntaxError(f"Unexpected {rest.value!r} at position {rest.pos + 1} of the query.")
    return node
