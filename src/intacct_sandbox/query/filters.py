"""The ``query`` function's ``<filter>`` tree (docs/intacct/protocol.md §5.5) to the shared condition tree."""

from __future__ import annotations

from lxml import etree

from intacct_sandbox.query.ast import And, Between, Compare, In, IsNull, Like, Node, Or
from intacct_sandbox.record_faults import QuerySyntaxError

_COMPARISONS = {
    "equalto": "=",
    "notequalto": "!=",
    "lessthan": "<",
    "lessthanorequalto": "<=",
    "greaterthan": ">",
    "greaterthanorequalto": ">=",
}


def _children(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def _field(el: etree._Element) -> str:
    fields = [c for c in _children(el) if c.tag == "field"]
    if len(fields) != 1 or not (fields[0].text or "").strip():
        raise QuerySyntaxError(f"<{el.tag}> needs exactly one <field>.")
    return (fields[0].text or "").strip()


def _values(el: etree._Element) -> list[str]:
    return [c.text or "" for c in _children(el) if c.tag == "value"]


def parse_filter(filter_el: etree._Element) -> Node:
    children = _children(filter_el)
    if len(children) != 1:
        raise QuerySyntaxError("<filter> takes exactly one condition (combine several with <and>/<or>).")
    return parse_condition(children[0])


def parse_condition(el: etree._Element) -> Node:
    tag = str(el.tag)
    if tag in ("and", "or"):
        items = tuple(parse_condition(c) for c in _children(el))
        if not items:
            raise QuerySyntaxError(f"<{tag}> needs at least one condition.")
        # one child is accepted: sageintacctsdk sends <and> around a single condition
        if len(items) == 1:
            return items[0]
        return And(items) if tag == "and" else Or(items)
    if tag in _COMPARISONS or tag in ("like", "notlike"):
        values = _values(el)
        if len(values) != 1:
            raise QuerySyntaxError(f"<{tag}> takes one <field> and exactly one <value>.")
        if tag in ("like", "notlike"):
            return Like(_field(el), values[0], negate=tag == "notlike")
        return Compare(_field(el), _COMPARISONS[tag], values[0])
    if tag == "between":
        values = _values(el)
        if len(values) != 2:
            raise QuerySyntaxError("<between> takes one <field> and exactly two <value>s.")
        return Between(_field(el), values[0], values[1])
    if tag in ("in", "notin"):
        values = _values(el)
        if not 1 <= len(values) <= 1000:
            raise QuerySyntaxError(f"<{tag}> takes 1 to 1000 <value>s.")
        return In(_field(el), tuple(values), negate=tag == "notin")
    if tag in ("isnull", "isnotnull"):
        if _values(el):
            raise QuerySyntaxError(f"<{tag}> takes a <field> only.")
        return IsNull(_field(el), negate=tag == "isnotnull")
    raise QuerySyntaxError(f"Unknown filter operator <{tag}>.")
