"""Text that must never be stored or sent to Intacct: NUL and other control characters; and
email fields that do not hold an email address.

Intacct's XML cannot carry them (XML 1.0 forbids C0 controls but tab, newline and carriage return),
databases treat NUL differently (PostgreSQL refuses it in text, SQLite stores it), and invisible
characters in a name or an ID are how look-alike records get made. Every text field of the API and
the forms is screened here before anything runs, and the answer names the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# C0 controls except tab, newline, carriage return; DEL; C1 controls; lone surrogates (a JSON
# "\ud800" decodes to one and cannot be encoded to UTF-8); the two XML non-characters.
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def bad_character(text: str) -> str | None:
    """A description of the first forbidden character in ``text``, or None."""
    m = _BAD.search(text)
    if m is None:
        return None
    return f"U+{ord(m.group()):04X}"


def find_in_json(value: Any, where: str = "") -> tuple[str, str] | None:
    """(field path, character) of the first forbidden character in a decoded JSON value."""
    if isinstance(value, str):
        char = bad_character(value)
        return (where or "body", char) if char else None
    if isinstance(value, Mapping):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if isinstance(key, str) and bad_character(key):
                return path, bad_character(key) or ""
            found = find_in_json(item, path)
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = find_in_json(item, f"{where}[{i}]" if where else f"[{i}]")
            if found:
                return found
    return None


def find_in_form(items: Iterable[tuple[str, list[str]]]) -> tuple[str, str] | None:
    """(field name, character) of the first forbidden character in form or query values."""
    for name, values in items:
        for text in [name, *values]:
            char = bad_character(text)
            if char:
                return name, char
    return None


def message(field: str, char: str) -> str:
    return f"{field}: contains a control character ({char}); remove it and send again"


def _is_email_field(name: str) -> bool:
    leaf = name.rsplit(".", 1)[-1].lower()
    return leaf == "email" or leaf.endswith("_email")


def _strings(value: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            yield path, item
            yield from _strings(item, path)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{where}[{i}]")


def bad_email(items: Iterable[tuple[str, Any]]) -> tuple[str, str] | None:
    """(field, message) for the first field named ``email`` (or ``…_email``) whose value is neither
    empty nor an email address. Every family's records and forms share the field name, so one
    check here covers them all, including fields whose model stores plain text."""
    for name, value in items:
        if not _is_email_field(name) or not isinstance(value, str) or not value.strip():
            continue
        try:
            validate_email(value.strip())
        except ValidationError:
            return name, f"{name}: {value!r} is not an email address"
    return None


def bad_email_in_json(data: Any) -> tuple[str, str] | None:
    return bad_email(_strings(data))


def bad_email_in_form(items: Iterable[tuple[str, list[str]]]) -> tuple[str, str] | None:
    return bad_email((name, value) for name, values in items for value in values)
