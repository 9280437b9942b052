"""Query builders: readByQuery strings and query filter trees; escaping as a property."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from intacct import F, Q, literal
from intacct import _functions as fns

XML_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff"),
).filter(lambda s: all(c in "\t\n\r" or ord(c) >= 0x20 for c in s))


def unquote(lit: str) -> str:
    """A reference reader for one readByQuery string literal (backslash escapes)."""
    assert lit[0] == "'" and lit[-1] == "'"
    out, i, body = [], 0, lit[1:-1]
    while i < len(body):
        c = body[i]
        if c == "\\":
            out.append(body[i + 1])
            i += 2
            continue
        assert c != "'", "unescaped quote inside a literal"
        out.append(c)
        i += 1
    return "".join(out)


@given(XML_TEXT)
def test_string_literals_round_trip(text):
    assert unquote(literal(text)) == text


@given(XML_TEXT)
def test_literals_survive_the_xml_request(text):
    query = (F("NAME") == text).to_query()
    fn = fns.read_by_query("CUSTOMER", ["NAME"], query, 10)
    body = etree.tostring(fn.element, encoding="UTF-8")
    back = etree.fromstring(body).findtext("query")
    assert back == query
    assert unquote(back.split(" = ", 1)[1]) == text


@given(st.lists(XML_TEXT, min_size=1, max_size=5))
def test_in_lists(values):
    q = F("CUSTOMERID").in_(values).to_query()
    assert q.startswith("CUSTOMERID IN (") and q.endswith(")")
    el = F("CUSTOMERID").in_(values).to_filter()
    assert [v.text or "" for v in el.findall("value")] == values


def test_literal_forms():
    assert literal("Bob's Pizza, Inc.") == "'Bob\\'s Pizza, Inc.'"
    assert literal("a\\b") == "'a\\\\b'"
    assert literal("Zürich €") == "'Zürich €'"
    assert literal(True) == "'T'" and literal(False) == "'F'"
    assert literal(date(2016, 12, 31)) == "'12/31/2016'"
    assert literal(datetime(2016, 12, 31, 23, 59, 59)) == "'12/31/2016 23:59:59'"
    assert literal(1234) == "1234" and literal(Decimal("10.50")) == "10.50"


def test_read_by_query_strings():
    q = (F("STATUS") == True) & F("WHENMODIFIED").ge(datetime(2024, 1, 1)) & ~F("NAME").like("Test%")  # noqa: E712
    assert (
        q.to_query() == "(STATUS = 'T' AND WHENMODIFIED >= '01/01/2024 00:00:00' AND NOT (NAME LIKE 'Test%'))"
    )
    assert (F("A") == 1) | F("B").is_null() | F("C").is_not_null()
    assert ((F("A") == 1) | F("B").is_null()).to_query() == "(A = 1 OR B IS NULL)"
    assert F("C").is_not_null().to_query() == "C IS NOT NULL"
    assert F("RECORDNO").not_in([1, 2]).to_query() == "RECORDNO NOT IN (1,2)"
    assert F("VENDORID").ne("V1").to_query() == "NOT VENDORID = 'V1'"
    assert F("X").between(1, 5).to_query() == "(X >= 1 AND X <= 5)"


def tree(q: Q) -> str:
    return etree.tostring(q.to_filter(), encoding="unicode")


def test_filter_trees():
    q = (F("VENDORNAME") == "Regal Services") & (F("TOTALDUE") > 500)
    assert tree(q) == (
        "<and><equalto><field>VENDORNAME</field><value>Regal Services</value></equalto>"
        "<greaterthan><field>TOTALDUE</field><value>500</value></greaterthan></and>"
    )
    assert tree(F("D").in_(["04", "05"])) == "<in><field>D</field><value>04</value><value>05</value></in>"
    assert tree(F("X").between(date(2021, 4, 26), date(2021, 5, 1))) == (
        "<between><field>X</field><value>04/26/2021</value><value>05/01/2021</value></between>"
    )


def test_not_is_pushed_down_in_filters():
    assert tree(~(F("A") == 1)) == "<notequalto><field>A</field><value>1</value></notequalto>"
    assert (
        tree(~(F("A") < 1)) == "<greaterthanorequalto><field>A</field><value>1</value></greaterthanorequalto>"
    )
    assert tree(~F("A").is_null()) == "<isnotnull><field>A</field></isnotnull>"
    assert tree(~F("A").like("x%")) == "<notlike><field>A</field><value>x%</value></notlike>"
    assert tree(~((F("A") == 1) & F("B").in_([2]))) == (
        "<or><notequalto><field>A</field><value>1</value></notequalto>"
        "<notin><field>B</field><value>2</value></notin></or>"
    )
    assert tree(~~(F("A") == 1)) == "<equalto><field>A</field><value>1</value></equalto>"


@pytest.mark.parametrize(
    "build",
    [
        lambda: F("bad name"),
        lambda: F("A;DROP"),
        lambda: F("A").in_([]),
        lambda: F("A").in_(range(1001)),
        lambda: F("A") == None,  # noqa: E711
        lambda: F("A") == "nul\x00",
        lambda: F("A") == object(),
    ],
)
def test_bad_conditions_raise_early(build):
    with pytest.raises((ValueError, TypeError)):
        build()
