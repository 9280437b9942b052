"""Request and response bodies of every family's record routes (``api.py``)."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class RecordOut(Schema):
    id: int
    title: str
    link_state: str
    intacct_recordno: int | None
    intacct_id: str | None
    last_synced_at: str | None
    fields: dict[str, Any]


class RecordIn(Schema):
    fields: dict[str, Any]


class RemoteOut(Schema):
    intacct_recordno: int
    intacct_id: str
    title: str
    fields: dict[str, Any]


class RemotePageOut(Schema):
    page: int
    per_page: int
    has_next: bool
    results: list[RemoteOut]


class ImportIn(Schema):
    ids: list[int] = []
    all: bool = False
    # people: the permission profile imported team members get
    profile: str | None = None
    # people: assign imported team members to their (imported) Intacct departments
    assign_department: bool = True


class LinkIn(Schema):
    intacct_recordno: int
