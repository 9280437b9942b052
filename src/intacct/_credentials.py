"""Credentials and the session they yield; reprs never show a password or a session id."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Credentials:
    """Sender (the integration's, instance-wide) plus the company's Web Services user."""

    sender_id: str
    sender_password: str = field(repr=False)
    company_id: str
    user_id: str
    user_password: str = field(repr=False)
    entity_id: str | None = None

    def __post_init__(self) -> None:
        for name in ("sender_id", "sender_password", "company_id", "user_id", "user_password"):
            if not getattr(self, name):
                raise ValueError(f"Credentials.{name} must not be empty")

    def secrets(self) -> tuple[str, ...]:
        return (self.sender_password, self.user_password)


@dataclass(frozen=True)
class SessionInfo:
    """An API session from ``getAPISession``: use ``session_id`` at ``endpoint``."""

    session_id: str = field(repr=False)
    endpoint: str
    location_id: str | None
    company_id: str
    user_id: str
    expires_at: datetime | None = None
