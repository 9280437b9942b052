"""Redaction of secrets (sender password, user password, session id) from logs, messages and reprs."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

MASK = "***"

# Element contents that are always secret, whatever their value.
_SECRET_ELEMENTS = re.compile(rb"(<(password|sessionid)>)([^<]*)(</\2>)")


def redact_xml(body: bytes) -> str:
    """The body as text with every <password> and <sessionid> element emptied to ***."""
    masked = _SECRET_ELEMENTS.sub(lambda m: m.group(1) + MASK.encode() + m.group(4), body)
    return masked.decode("utf-8", errors="replace")


class Redactor:
    """Knows the secret values of one client and masks them in any text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: set[str] = {s for s in secrets if s}

    def add(self, secret: str | None) -> None:
        if secret:
            with self._lock:
                self._secrets.add(secret)

    def __call__(self, text: str) -> str:
        # Longest first so a secret containing another is masked whole.
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def xml(self, body: bytes) -> str:
        return self(redact_xml(body))
