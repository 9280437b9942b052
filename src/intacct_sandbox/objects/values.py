"""Wire text <-> stored Python values, in one place."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from intacct_sandbox.objects.base import BOOLEAN, DATE, DATETIME, DECIMAL, ENUM, INTEGER, Field
from intacct_sandbox.record_faults import ValidationFailed

_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DATETIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

TRUE_TEXT = {"true", "t", "1", "yes"}
FALSE_TEXT = {"false", "f", "0", "no"}


def parse_date(text: str) -> date | None:
    """``MM/DD/YYYY`` (also accepts ISO ``YYYY-MM-DD``); None if it is not a date."""
    m = _DATE.match(text.strip())
    try:
        if m:
            return date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
        m = _ISO_DATE.match(text.strip())
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return None


def parse_local_datetime(text: str) -> datetime | None:
    """``MM/DD/YYYY HH:MM:SS`` (seconds optional) or a bare date (midnight), naive local time."""
    m = _DATETIME.match(text.strip())
    try:
        if m:
            return datetime(
                int(m.group(3)),
                int(m.group(1)),
                int(m.group(2)),
                int(m.group(4)),
                int(m.group(5)),
                int(m.group(6) or 0),
            )
    except ValueError:
        return None
    d = parse_date(text)
    return None if d is None else datetime(d.year, d.month, d.day)


def format_decimal(value: Decimal) -> str:
    """Minimal plain form: 3797, 76343.43, 0.5 (no exponent, no thousands separators)."""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def parse_value(f: Field, raw: str, obj_name: str) -> Any:
    """Wire text of a write into the stored value; raises ValidationFailed on bad input."""
    text = raw.strip()
    if text == "":
        return None
    if f.type == INTEGER:
        if not re.fullmatch(r"-?\d+", text):
            raise ValidationFailed(f"Invalid value '{raw}' for field {f.name}: an integer is expected.")
        return int(text)
    if f.type == DECIMAL:
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationFailed(
                f"Invalid value '{raw}' for field {f.name}: a number is expected."
            ) from None
        if not value.is_finite():
            raise ValidationFailed(f"Invalid value '{raw}' for field {f.name}: a number is expected.")
        return value
    if f.type == DATE:
        d = parse_date(text)
        if d is None:
            raise ValidationFailed(f"Invalid date '{raw}' for field {f.name}: use mm/dd/yyyy.")
        return d
    if f.type == DATETIME:
        dt = parse_local_datetime(text)
        if dt is None:
            raise ValidationFailed(f"Invalid date '{raw}' for field {f.name}: use mm/dd/yyyy hh:mm:ss.")
        return dt.replace(tzinfo=UTC)
    if f.type == BOOLEAN:
        low = text.lower()
        if low in TRUE_TEXT:
            return True
        if low in FALSE_TEXT:
            return False
        raise ValidationFailed(f"Invalid value '{raw}' for field {f.name}: true or false is expected.")
    if f.type == ENUM:
        for display, db in f.choices.items():
            if text.lower() == display.lower() or text == db:
                return display
        allowed = ", ".join(f.choices)
        raise ValidationFailed(f"Invalid value '{raw}' for field {f.name}. Valid values are: {allowed}.")
    if f.max_length is not None and len(text) > f.max_length:
        raise ValidationFailed(f"{f.name} '{raw}' is longer than {f.max_length} characters.")
    return raw if f.name.endswith(("DESCRIPTION", "MEMO")) else text


Stamp = Callable[[datetime], str]


def to_wire(value: Any, stamp: Stamp) -> str | None:
    """Stored value -> response text (None: an empty element)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return stamp(value)
    if isinstance(value, date):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


def utc_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%m/%d/%Y %H:%M:%S")


def tz_of(stamp: Stamp, now: datetime) -> tzinfo:
    """The Web Services user's UTC offset, derived from the gateway's own formatter (the contract gives
    ``timestamp()`` but no tzinfo). Good to the minute at ``now``; DST changes in between are ignored."""
    shown = datetime.strptime(stamp(now), "%m/%d/%Y %H:%M:%S")
    delta = shown - now.astimezone(UTC).replace(tzinfo=None)
    minutes = round(delta.total_seconds() / 60)
    return timezone(timedelta(minutes=minutes))
