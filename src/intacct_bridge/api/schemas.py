"""Request and response bodies of the workspace endpoints (pydantic, via django-ninja)."""

from datetime import datetime

from ninja import Schema
from pydantic import Field


class ErrorDetail(Schema):
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorDetail


class WorkspaceOut(Schema):
    slug: str
    name: str
    families: list[str]
    timezone: str
    connected: bool
    paused: bool


class WorkspacePatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    families: list[str] | None = None
    timezone: str | None = Field(default=None, max_length=64)


class ConnectionOut(Schema):
    company_id: str
    user_id: str
    entity_id: str
    endpoint: str
    connected_at: datetime | None
    paused: bool
    pause_step: str
    pause_title: str
    pause_message: str
    password_set: bool


class ConnectionIn(Schema):
    company_id: str = Field(min_length=1, max_length=100)
    user_id: str = Field(min_length=1, max_length=100)
    # omitted: keep the stored password
    password: str | None = Field(default=None, min_length=1, max_length=500)
    entity_id: str = Field(default="", max_length=100)
    endpoint: str | None = Field(default=None, max_length=500)


class ConnectionTestOut(Schema):
    id: int
    ok: bool
    step: str
    title: str
    message: str
    remedy: str
    company: str
    entity: str
    ran_at: datetime
    who: str
    duration_ms: int
    probes: dict[str, str]
    notes: list[dict[str, str]] = []


class PermissionOut(Schema):
    object: str
    application: str
    row: str
    rights: list[str]
    label: str


class ChecklistStepOut(Schema):
    key: str
    title: str
    where: str
    details: list[str]


class SetupOut(Schema):
    sender_id: str
    families: list[str]
    steps: list[ChecklistStepOut]
    permissions: list[PermissionOut]
