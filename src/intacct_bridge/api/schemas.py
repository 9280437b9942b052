"""Request and response bodies of the workspace endpoints (pydantic, via django-ninja)."""

from datetime import datetime
from typing import Any

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
    bring_in_references: bool


class WorkspacePatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    families: list[str] | None = None
    timezone: str | None = Field(default=None, max_length=64)
    # documents bring in the customers, departments and employees they refer to (see WorkspaceOut)
    bring_in_references: bool | None = None


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


# ---- runs, schedule, events, conflicts and the generic family routes (api/sync.py) -------------


class RunOut(Schema):
    id: int
    family: str | None
    trigger: str
    status: str
    queued_at: str
    started_at: str | None
    finished_at: str | None
    counts: dict[str, int]
    api_requests: int
    progress: dict[str, Any]
    message: str


class IssueOut(Schema):
    id: int
    family: str
    action: str
    intacct_recordno: int | None
    intacct_id: str | None
    local_id: int | None
    errorno: str
    text: str
    correction: str
    remedy: dict[str, Any]
    fixed: bool


class RunDetailOut(RunOut):
    issues: list[IssueOut]


class SyncIn(Schema):
    family: str | None = None


class ScheduleOut(Schema):
    frequency: str
    sync_time: str
    timezone: str
    next_due_at: str | None
    consecutive_failures: int


class ScheduleIn(Schema):
    frequency: str


class EventOut(Schema):
    id: int
    kind: str
    object_id: int | None
    origin: str
    payload: dict[str, Any]
    created_at: datetime


class ConflictOut(Schema):
    id: int
    family: str
    local_id: int
    intacct_recordno: int
    policy: str
    winner: str
    app_values: dict[str, Any]
    intacct_values: dict[str, Any]
    created_at: str
    resolved_at: str | None
    resolved_by: str
    kept: str


class ResolveIn(Schema):
    keep: str
