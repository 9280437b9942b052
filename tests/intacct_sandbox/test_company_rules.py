"""The smart-rule condition evaluator: a small grammar, no eval."""

from __future__ import annotations

from decimal import Decimal

import pytest

from intacct_sandbox.company.rules import RuleSyntaxError, compile_condition

RECORD = {
    "TOTALENTERED": Decimal("12000.50"),
    "VENDORID": "V100",
    "NAME": "Bob's",
    "EMPTY": None,
    "ACTIVE": True,
}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("TOTALENTERED > 10000", True),
        ("TOTALENTERED <= 10000", False),
        ("TOTALENTERED >= 12000.5", True),
        ("VENDORID = 'V100'", True),
        ("VENDORID != 'V100'", False),
        ("VENDORID <> 'v100'", True),  # case-sensitive
        ("NAME = 'Bob\\'s'", True),
        ("EMPTY IS NULL", True),
        ("EMPTY IS NOT NULL", False),
        ("EMPTY = 'x'", False),
        ("NOT VENDORID = 'V100'", False),
        ("(VENDORID = 'X' OR TOTALENTERED > 1) AND NOT EMPTY IS NOT NULL", True),
        ("ACTIVE = 'true'", True),
        ("ACTIVE = 'F'", False),
        ("MISSING > 1", False),
        ("vendorid = 'V100'", True),  # field names are upper-cased
    ],
)
def test_conditions(condition: str, expected: bool) -> None:
    assert compile_condition(condition)(RECORD) is expected


@pytest.mark.parametrize(
    "condition",
    [
        "",
        "TOTALENTERED >",
        "> 5",
        "A = 'x' AND",
        "(A = 1",
        "A = 1)",
        "A IS 5",
        "__import__('os') = 1",
        "A = B",
    ],
)
def test_syntax_errors(condition: str) -> None:
    with pytest.raises(RuleSyntaxError):
        compile_condition(condition)
