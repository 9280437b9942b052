"""Request and response bodies of the psa API (``api.py``); names unique across the whole API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema


class IntacctStateOut(Schema):
    state: str  # linked | unlinked | local
    intacct_id: str | None
    intacct_recordno: int | None
    last_synced_at: str | None
    pending: bool
    label: str = ""
    not_exported: str = ""


class TaskOut(Schema):
    id: int
    project: int
    task_id: str
    name: str
    description: str
    status: str
    billable: bool
    estimate: Decimal | None
    parent: int | None
    created_at: datetime
    updated_at: datetime
    intacct: IntacctStateOut


class ProjectIssueOut(Schema):
    id: int
    run: int
    family: str
    local_id: int | None
    errorno: str
    text: str
    correction: str
    remedy: str
    created_at: datetime


class ProjectOut(Schema):
    id: int
    project_id: str
    name: str
    description: str
    client: int | None
    client_name: str | None
    start_date: date | None
    end_date: date | None
    budget: Decimal | None
    stage: str
    billing_type: str
    intacct_active: bool
    custom_fields: dict[str, Any]
    entity: str
    created_at: datetime
    updated_at: datetime
    intacct: IntacctStateOut


class ProjectDetailOut(ProjectOut):
    tasks: list[TaskOut]
    issues: list[ProjectIssueOut]


class ProjectIn(Schema):
    project_id: str | None = None
    name: str | None = None
    description: str | None = None
    client: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    budget: Decimal | None = None
    stage: str | None = None
    billing_type: str | None = None
    intacct_active: bool | None = None
    custom_fields: dict[str, str] | None = None


class TaskIn(Schema):
    task_id: str | None = None
    name: str | None = None
    description: str | None = None
    status: str | None = None
    billable: bool | None = None
    estimate: Decimal | None = None
    parent: int | None = None
