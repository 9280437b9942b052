"""Python values to Intacct text, and Intacct text back to typed values.

Records come out as plain dicts of strings (``None`` for an empty element); these helpers give the
typed value on demand. Money is ``Decimal``, never float.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["to_bool", "to_date", "to_datetime", "to_decimal", "to_int", "to_status", "wire_text"]

DATE_FORMAT = "%m/%d/%Y"
DATETIME_FORMAT = "%m/%d/%Y %H:%M:%S"


def wire_text(value: Any) -> str:
    """A field value as generic functions (create/update/read/query values) expect it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value}")
        return format(value, "f")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"not a finite number: {value}")
        return repr(value)
    if isinstance(value, int | str):
        return str(value)
    raise TypeError(f"cannot send a {type(value).__name__} as an Intacct value")


def to_date(text: str | None) -> date | None:
    """``MM/DD/YYYY`` (also the date part of a timestamp, or ISO ``YYYY-MM-DD``) to a date."""
    if not text:
        return None
    text = text.strip()
    if "-" in text[:5]:
        return date.fromisoformat(text[:10])
    return datetime.strptime(text[:10], DATE_FORMAT).date()


def to_datetime(text: str | None) -> datetime | None:
    """``MM/DD/YYYY HH:MM:SS`` (naive, as Intacct sends it), a bare date, or ISO-8601 with offset."""
    if not text:
        return None
    text = text.strip()
    if "T" in text or "-" in text[:5]:
        return datetime.fromisoformat(text)
    if len(text) <= 10:
        return datetime.strptime(text, DATE_FORMAT)
    return datetime.strptime(text, DATETIME_FORMAT)


def to_decimal(text: str | None) -> Decimal | None:
    if text is None or not text.strip():
        return None
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    return value


def to_int(text: str | None) -> int | None:
    if text is None or not text.strip():
        return None
    return int(text.strip())


_TRUE = {"true", "t", "1", "yes", "y"}
_FALSE = {"false", "f", "0", "no", "n"}


def to_bool(text: str | None) -> bool | None:
    """``true``/``false`` (responses), ``T``/``F`` (query strings)."""
    if text is None or not text.strip():
        return None
    low = text.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError(f"not a boolean: {text!r}")


def to_status(text: str | None) -> bool | None:
    """STATUS: ``active`` -> True, ``inactive`` -> False (also ``T``/``F``)."""
    if text is None or not text.strip():
        return None
    low = text.strip().lower()
    if low in ("active", "t"):
        return True
    if low in ("inactive", "f"):
        return False
    raise ValueError(f"not a STATUS: {text!r}")
