"""The readByQuery grammar, the query filter tree and ordering, case by case."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from lxml import etree

from intacct_sandbox.objects import get_object
from intacct_sandbox.query.ast import And, Compare, In, IsNull, Like, Not, Or, Rownum, select
from intacct_sandbox.query.filters import parse_filter
from intacct_sandbox.query.ordering import group_rows, order_rows
from intacct_sandbox.query.readbyquery import parse
from intacct_sandbox.record_faults import InvalidFields, QuerySyntaxError

CUSTOMER = get_object("CUSTOMER")
APBILL = get_object("APBILL")
assert CUSTOMER is not None and APBILL is not None
PACIFIC = timezone(timedelta(hours=-8))


def rows(*items: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**item, "RECORDNO": n} for n, item in enumerate(items, start=1)]


def ids(found: list[dict[str, Any]]) -> list[int]:
    return [r["RECORDNO"] for r in found]


def test_sdk_query_forms_parse() -> None:
    assert parse("VENDORID = 'V1234'") == Compare("VENDORID", "=", "V1234")
    assert parse("NOT VENDORID = 'V1234'") == Not(Compare("VENDORID", "=", "V1234"))
    assert parse("(VENDORID = 'V1234' AND STATUS = 'T')") == And(
        (Compare("VENDORID", "=", "V1234"), Compare("STATUS", "=", "T"))
    )
    assert parse("RECORDNO IN (1234,5678)") == In("RECORDNO", (Decimal(1234), Decimal(5678)))
    assert parse("RECORDNO NOT IN ('a','b')") == In("RECORDNO", ("a", "b"), negate=True)
    assert parse("VENDORID LIKE '%123%'") == Like("VENDORID", "%123%")
    assert parse("VENDORTYPE IS NULL") == IsNull("VENDORTYPE")
    assert parse("VENDORTYPE is not null") == IsNull("VENDORTYPE", negate=True)
    assert parse("NAME = 'Bob\\'s Pizza, Inc.'") == Compare("NAME", "=", "Bob's Pizza, Inc.")
    assert parse("a = 1 or b = 2 and c = 3") == Or(
        (Compare("a", "=", Decimal(1)), And((Compare("b", "=", Decimal(2)), Compare("c", "=", Decimal(3)))))
    )
    assert parse("x <> 'y'") == Compare("x", "!=", "y")
    assert parse("rownum < 5") == Rownum("<", 5)
    assert parse("") is None and parse(None) is None and parse("   ") is None


@pytest.mark.parametrize(
    "text",
    [
        "NAME = 'unterminated",
        "NAME =",
        "= 'x'",
        "NAME 'x'",
        "(NAME = 'x'",
        "NAME = 'x')",
        "NAME = 'x' AND",
        "NAME IN ()",
        "NAME LIKE 5",
        "NAME = 'x' 'y'",
        "NAME ~ 'x'",
        "AND = 'x'",
        "NAME IS 'x'",
    ],
)
def test_bad_syntax_is_a_query_failed_result_error(text: str) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        node = parse(text)
        assert node is not None
        select([], CUSTOMER, node)
    assert info.value.errors[0].errorno == "Query Failed"
    assert info.value.layer == "result"


def test_unknown_field_fails_loudly() -> None:
    with pytest.raises(InvalidFields):
        select(rows({"NAME": "x"}), CUSTOMER, parse("NOPE = 'x'"))


def test_field_names_are_case_insensitive_values_are_case_sensitive() -> None:
    data = rows({"NAME": "Acme"}, {"NAME": "acme"})
    assert ids(select(data, CUSTOMER, parse("name = 'Acme'"))) == [1]
    assert ids(select(data, CUSTOMER, parse("NAME = 'ACME'"), caseinsensitive=True)) == [1, 2]


def test_status_accepts_database_character_and_display_value() -> None:
    data = rows({"STATUS": "active"}, {"STATUS": "inactive"})
    assert ids(select(data, CUSTOMER, parse("STATUS = 'T'"))) == [1]
    assert ids(select(data, CUSTOMER, parse("STATUS = 'F'"))) == [2]
    assert ids(select(data, CUSTOMER, parse("STATUS = 'active'"))) == [1]
    assert ids(select(data, CUSTOMER, parse("ONHOLD = 'T'"))) == []


def test_datetimes_are_compared_in_the_users_timezone() -> None:
    # 2024-01-01 07:30 UTC is 12/31/2023 23:30 in UTC-8
    data = rows(
        {"WHENMODIFIED": datetime(2024, 1, 1, 7, 30, tzinfo=UTC)},
        {"WHENMODIFIED": datetime(2024, 1, 1, 8, 30, tzinfo=UTC)},
        {"WHENMODIFIED": None},
    )
    node = parse("WHENMODIFIED >= '01/01/2024 00:00:00'")
    assert ids(select(data, CUSTOMER, node, PACIFIC)) == [2]
    assert ids(select(data, CUSTOMER, node, UTC)) == [1, 2]
    assert ids(select(data, CUSTOMER, parse("WHENMODIFIED > '12/31/2023'"), PACIFIC)) == [1, 2]
    assert ids(select(data, CUSTOMER, parse("WHENMODIFIED IS NULL"))) == [3]


def test_dates_compare_as_dates() -> None:
    data = rows({"WHENDUE": date(2024, 3, 1)}, {"WHENDUE": date(2024, 2, 1)})
    assert ids(select(data, APBILL, parse("WHENDUE < '02/15/2024'"))) == [2]
    assert ids(select(data, APBILL, parse("WHENDUE = '03/01/2024'"))) == [1]
    with pytest.raises(QuerySyntaxError):
        select(data, APBILL, parse("WHENDUE = 'yesterday'"))


def test_numbers_compare_numerically() -> None:
    data = rows({"TOTALDUE": Decimal("500.00")}, {"TOTALDUE": Decimal("1000")}, {"TOTALDUE": Decimal(99)})
    assert ids(select(data, APBILL, parse("TOTALDUE > 500"))) == [2]
    assert ids(select(data, APBILL, parse("TOTALDUE >= '500'"))) == [1, 2]
    assert ids(select(data, APBILL, parse("RECORDNO in (1, 3)"))) == [1, 3]


def test_like_wildcards() -> None:
    data = rows({"NAME": "Bob's Pizza"}, {"NAME": "Bobs"}, {"NAME": "bob"})
    assert ids(select(data, CUSTOMER, parse("NAME LIKE 'Bob%'"))) == [1, 2]
    assert ids(select(data, CUSTOMER, parse("NAME LIKE 'Bo_'"))) == []
    assert ids(select(data, CUSTOMER, parse("NAME LIKE 'bo_'"))) == [3]
    assert ids(select(data, CUSTOMER, parse("NAME NOT LIKE '%s'"))) == [1, 3]


def test_nulls_follow_sql_three_valued_logic() -> None:
    data = rows({"NAME": None}, {"NAME": "x"})
    assert ids(select(data, CUSTOMER, parse("NAME != 'y'"))) == [2]
    assert ids(select(data, CUSTOMER, parse("NOT NAME = 'y'"))) == [2]
    assert ids(select(data, CUSTOMER, parse("NAME = 'y' OR NAME IS NULL"))) == [1]


def test_rownum_limits_the_result() -> None:
    data = rows(*({"NAME": f"n{i}"} for i in range(10)))
    assert ids(select(data, CUSTOMER, parse("rownum < 4"))) == [1, 2, 3]
    assert ids(select(data, CUSTOMER, parse("NAME LIKE 'n%' AND ROWNUM <= 2"))) == [1, 2]
    with pytest.raises(QuerySyntaxError):
        select(data, CUSTOMER, parse("NAME = 'n1' OR rownum < 3"))


def filter_el(xml: str) -> etree._Element:
    return etree.fromstring(f"<filter>{xml}</filter>")


def test_filter_between_in_and_single_child_and() -> None:
    data = rows({"TOTALDUE": Decimal(5)}, {"TOTALDUE": Decimal(10)}, {"TOTALDUE": Decimal(15)})
    node = parse_filter(
        filter_el("<between><field>TOTALDUE</field><value>5</value><value>10</value></between>")
    )
    assert ids(select(data, APBILL, node)) == [1, 2]
    node = parse_filter(filter_el("<and><notin><field>TOTALDUE</field><value>5</value></notin></and>"))
    assert ids(select(data, APBILL, node)) == [2, 3]


@pytest.mark.parametrize(
    "xml",
    [
        "",
        "<equalto><field>NAME</field></equalto>",
        "<equalto><value>x</value></equalto>",
        "<between><field>NAME</field><value>a</value></between>",
        "<isnull><field>NAME</field><value>x</value></isnull>",
        "<bogus><field>NAME</field></bogus>",
        "<and/>",
        "<equalto><field>NAME</field><value>a</value></equalto><equalto><field>NAME</field><value>b</value></equalto>",
    ],
)
def test_bad_filters_are_rejected(xml: str) -> None:
    with pytest.raises(QuerySyntaxError):
        parse_filter(filter_el(xml))


def test_order_rows_puts_empty_values_last_ascending_first_descending() -> None:
    data = rows({"NAME": "b"}, {"NAME": None}, {"NAME": "a"}, {"NAME": "C"})
    assert ids(order_rows(data, CUSTOMER, [("NAME", False)])) == [4, 3, 1, 2]
    assert ids(order_rows(data, CUSTOMER, [("NAME", True)])) == [2, 1, 3, 4]
    assert ids(order_rows(data, CUSTOMER, [("NAME", False)], caseinsensitive=True)) == [3, 1, 4, 2]


def test_group_rows_aggregates() -> None:
    data = rows(
        {"VENDORID": "V1", "TOTALDUE": Decimal(10)},
        {"VENDORID": "V1", "TOTALDUE": Decimal(5)},
        {"VENDORID": "V2", "TOTALDUE": None},
    )
    grouped = group_rows(
        data,
        APBILL,
        ["VENDORID"],
        [("count", "RECORDNO"), ("sum", "TOTALDUE"), ("max", "TOTALDUE"), ("avg", "TOTALDUE")],
    )
    assert grouped == [
        {
            "VENDORID": "V1",
            "COUNT.RECORDNO": 2,
            "SUM.TOTALDUE": Decimal(15),
            "MAX.TOTALDUE": Decimal(10),
            "AVG.TOTALDUE": Decimal("7.50"),
        },
        {
            "VENDORID": "V2",
            "COUNT.RECORDNO": 1,
            "SUM.TOTALDUE": None,
            "MAX.TOTALDUE": None,
            "AVG.TOTALDUE": None,
        },
    ]
