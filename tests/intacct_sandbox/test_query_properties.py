"""Property tests: readByQuery strings and query filters select exactly what a plain Python predicate
(written here independently, with SQL's NULL logic) selects over the same records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from intacct_sandbox.objects import get_object
from intacct_sandbox.query.ast import And, Compare, In, IsNull, Like, Node, Not, Or, select
from intacct_sandbox.query.filters import parse_filter
from intacct_sandbox.query.readbyquery import parse

CUSTOMER = get_object("CUSTOMER")
assert CUSTOMER is not None

ALPHABET = "aAbB%_' \\x"
# small values collide often, so comparisons, empties and NULLs all get exercised
short = st.one_of(
    st.sampled_from(["", "a", "A", "b", "a%", "'", "\\"]), st.text(alphabet=ALPHABET, max_size=4)
)
names = st.one_of(st.none(), short)
amounts = st.one_of(st.none(), st.integers(-3, 3).map(Decimal))
rows_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "NAME": names,
            "STATUS": st.sampled_from(["active", "inactive"]),
            "CREDITLIMIT": amounts,
            "ONHOLD": st.one_of(st.none(), st.booleans()),
        }
    ),
    max_size=12,
)

OPS = ("=", "!=", "<", ">", "<=", ">=")
name_leaf = st.builds(Compare, st.just("NAME"), st.sampled_from(OPS), short)
amount_leaf = st.builds(
    Compare, st.just("CREDITLIMIT"), st.sampled_from(OPS), st.integers(-3, 3).map(Decimal)
)
status_leaf = st.builds(
    Compare,
    st.just("STATUS"),
    st.sampled_from(("=", "!=")),
    st.sampled_from(("T", "F", "active", "inactive")),
)
onhold_leaf = st.builds(
    Compare, st.just("ONHOLD"), st.sampled_from(("=", "!=")), st.sampled_from(("T", "F", "true", "false"))
)
like_leaf = st.builds(Like, st.just("NAME"), st.text(alphabet=ALPHABET, max_size=4), st.booleans())
in_leaf = st.one_of(
    st.builds(
        In,
        st.just("NAME"),
        st.lists(st.text(alphabet=ALPHABET, max_size=3), min_size=1, max_size=3).map(tuple),
        st.booleans(),
    ),
    st.builds(
        In,
        st.just("CREDITLIMIT"),
        st.lists(st.integers(-3, 3).map(Decimal), min_size=1, max_size=3).map(tuple),
        st.booleans(),
    ),
)
null_leaf = st.builds(IsNull, st.sampled_from(("NAME", "CREDITLIMIT", "ONHOLD")), st.booleans())
leaves = st.one_of(name_leaf, amount_leaf, status_leaf, onhold_leaf, like_leaf, in_leaf, null_leaf)


def trees(with_not: bool) -> st.SearchStrategy[Node]:
    def extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        options = [
            st.lists(children, min_size=2, max_size=3).map(lambda xs: And(tuple(xs))),
            st.lists(children, min_size=2, max_size=3).map(lambda xs: Or(tuple(xs))),
        ]
        if with_not:
            options.append(children.map(Not))
        return st.one_of(*options)

    return st.recursive(leaves, extend, max_leaves=6)


# --- the independent reference ------------------------------------------------------------------


def like_match(text: str, pattern: str) -> bool:
    if not pattern:
        return not text
    head, rest = pattern[0], pattern[1:]
    if head == "%":
        return any(like_match(text[i:], rest) for i in range(len(text) + 1))
    if not text:
        return False
    return (head == "_" or head == text[0]) and like_match(text[1:], rest)


def literal_for(field: str, value: Any) -> Any:
    if field == "STATUS":
        return {"T": "active", "F": "inactive"}.get(value, value)
    if field == "ONHOLD":
        return value in ("T", "true")
    return value


def cmp(op: str, a: Any, b: Any) -> bool:
    return {"=": a == b, "!=": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]


def reference(node: Node, row: dict[str, Any]) -> bool | None:
    if isinstance(node, And):
        values = [reference(n, row) for n in node.items]
        return False if False in values else (None if None in values else True)
    if isinstance(node, Or):
        values = [reference(n, row) for n in node.items]
        return True if True in values else (None if None in values else False)
    if isinstance(node, Not):
        inner = reference(node.item, row)
        return None if inner is None else not inner
    value = row.get(node.field)
    empty = value is None or value == ""
    if isinstance(node, IsNull):
        return empty != node.negate
    if empty:
        return None
    if isinstance(node, Compare):
        return cmp(node.op, value, literal_for(node.field, node.value))
    if isinstance(node, Like):
        return like_match(value, node.pattern) != node.negate
    if isinstance(node, In):
        return (value in [literal_for(node.field, v) for v in node.values]) != node.negate
    raise AssertionError(node)


# --- renderers into the two wire languages -------------------------------------------------------


def quote(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def to_query_string(node: Node) -> str:
    if isinstance(node, And | Or):
        word = " AND " if isinstance(node, And) else " or "
        return "(" + word.join(to_query_string(n) for n in node.items) + ")"
    if isinstance(node, Not):
        return "NOT " + to_query_string(node.item)
    if isinstance(node, Compare):
        op = "<>" if node.op == "!=" and node.field == "CREDITLIMIT" else node.op
        return f"{node.field} {op} {quote(node.value)}"
    if isinstance(node, Like):
        return f"{node.field} {'NOT LIKE' if node.negate else 'like'} {quote(node.pattern)}"
    if isinstance(node, In):
        return f"{node.field} {'NOT IN' if node.negate else 'in'} ({','.join(quote(v) for v in node.values)})"
    if isinstance(node, IsNull):
        return f"{node.field} IS {'NOT ' if node.negate else ''}NULL"
    raise AssertionError(node)


TAGS = {
    "=": "equalto",
    "!=": "notequalto",
    "<": "lessthan",
    ">": "greaterthan",
    "<=": "lessthanorequalto",
    ">=": "greaterthanorequalto",
}


def to_filter(node: Node, parent: etree._Element) -> None:
    def leaf(tag: str, field: str, values: list[Any]) -> None:
        el = etree.SubElement(parent, tag)
        etree.SubElement(el, "field").text = field
        for value in values:
            etree.SubElement(el, "value").text = str(value)

    if isinstance(node, And | Or):
        el = etree.SubElement(parent, "and" if isinstance(node, And) else "or")
        for item in node.items:
            to_filter(item, el)
    elif isinstance(node, Compare):
        leaf(TAGS[node.op], node.field, [node.value])
    elif isinstance(node, Like):
        leaf("notlike" if node.negate else "like", node.field, [node.pattern])
    elif isinstance(node, In):
        leaf("notin" if node.negate else "in", node.field, list(node.values))
    elif isinstance(node, IsNull):
        leaf("isnotnull" if node.negate else "isnull", node.field, [])
    else:
        raise AssertionError(node)


def stored(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "RECORDNO": n} for n, row in enumerate(rows, start=1)]


def expected(node: Node, rows: list[dict[str, Any]]) -> list[int]:
    return [r["RECORDNO"] for r in rows if reference(node, r) is True]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows_strategy, trees(with_not=True))
def test_readbyquery_string_selects_what_the_reference_selects(
    rows: list[dict[str, Any]], node: Node
) -> None:
    data = stored(rows)
    text = to_query_string(node)
    parsed = parse(text)
    assert parsed is not None
    got = [r["RECORDNO"] for r in select(data, CUSTOMER, parsed)]
    assert got == expected(node, data), text


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows_strategy, trees(with_not=False))
def test_query_filter_selects_what_the_reference_selects(rows: list[dict[str, Any]], node: Node) -> None:
    data = stored(rows)
    root = etree.Element("filter")
    to_filter(node, root)
    got = [r["RECORDNO"] for r in select(data, CUSTOMER, parse_filter(root))]
    assert got == expected(node, data), etree.tostring(root)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET + "\u00e9\u4e2d", max_size=8))
def test_quoted_strings_round_trip_through_backslash_escapes(value: str) -> None:
    node = parse(f"NAME = {quote(value)}")
    assert node == Compare("NAME", "=", value)
