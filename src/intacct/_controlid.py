"""Function controlids: supplied by the caller (deterministic keys, for exactly-once) or generated."""

from __future__ import annotations

import uuid

MAX_LENGTH = 256


def new_controlid() -> str:
    return uuid.uuid4().hex


def check_controlid(controlid: str) -> str:
    """Intacct accepts 1-256 characters; raise ValueError before sending anything else."""
    if not isinstance(controlid, str) or not controlid or len(controlid) > MAX_LENGTH:
        raise ValueError(f"controlid must be a string of 1-{MAX_LENGTH} characters, got {controlid!r}")
    return controlid


def unique_controlids(controlids: list[str]) -> None:
    seen: set[str] = set()
    for c in controlids:
        if c in seen:
            raise ValueError(f"controlid {c!r} used twice in one request")
        seen.add(c)
