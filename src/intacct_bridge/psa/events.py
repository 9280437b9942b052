"""Changes to projects and tasks: each is recorded as an event of the shared outbox
(``sync/events.py``, what a webhook sender reads) and, when Intacct should hear of it, pushed
promptly with ``jobs.tasks.push_now``.

Saves made by the sync itself (a pull applying Intacct's values, a link) leave the record equal to
what Intacct last saw, so they queue no push; the engine's bulk writes send no signals at all.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from intacct_bridge.psa.models import EventKind, Project, Task
from intacct_bridge.psa.service import push_if_needed
from intacct_bridge.sync import events
from intacct_bridge.sync.models import Event
from intacct_bridge.workspaces.models import Workspace

#: the kinds this app records (a webhook subscription may name them)
EVENTS = tuple(EventKind.values)


def project_payload(project: Project) -> dict[str, Any]:
    return {
        "id": project.pk,
        "project_id": project.project_id,
        "name": project.name,
        "description": project.description,
        "start_date": project.start_date.isoformat() if project.start_date else None,
        "end_date": project.end_date.isoformat() if project.end_date else None,
        "client_id": project.client_id,
        "budget": None if project.budget is None else str(project.budget),
        "stage": project.stage,
        "billing_type": project.billing_type,
        "intacct_active": project.intacct_active,
        "custom_fields": project.custom_fields,
        "entity": project.entity,
    }


def task_payload(task: Task) -> dict[str, Any]:
    return {
        "id": task.pk,
        "project_id": task.project_id,
        "task_id": task.task_id,
        "name": task.name,
        "description": task.description,
        "status": task.status,
        "billable": task.billable,
        "estimate": None if task.estimate is None else str(task.estimate),
        "parent_id": task.parent_id,
    }


def record_event(
    workspace: Workspace | int, kind: str, object_id: int, payload: dict[str, Any], origin: str = "app"
) -> Event:
    """A project or task change as an event of the shared outbox (``sync/events.py``)."""
    return events.record(workspace, kind, payload, object_id=object_id, origin=origin)


def record_pulled(family: str, created: list[Any], updated: list[Any]) -> None:
    """Changes a sync applied from Intacct (the engine writes them in bulk, without model signals)."""
    if family == "projects":
        kinds, payload = (EventKind.PROJECT_CREATED, EventKind.PROJECT_UPDATED), project_payload
    else:
        kinds, payload = (EventKind.TASK_CREATED, EventKind.TASK_UPDATED), task_payload  # type: ignore[assignment]
    rows = [
        Event(
            workspace_id=obj.workspace_id, kind=kind, object_id=obj.pk, payload=payload(obj), origin="intacct"
        )
        for kind, objs in zip(kinds, (created, updated), strict=True)
        for obj in objs
    ]
    events.record_many(rows)


def _push_soon(workspace_id: int, family: str, local_id: int) -> None:
    """After the commit (a worker must see the change): push it if Intacct does not have it yet."""
    def push() -> None:
        push_if_needed(workspace_id, family, local_id)

    transaction.on_commit(push)


def _project_saved(sender: Any, instance: Project, created: bool, raw: bool = False, **_: Any) -> None:
    if raw:
        return
    instance.assign_default_id()
    kind = EventKind.PROJECT_CREATED if created else EventKind.PROJECT_UPDATED
    record_event(instance.workspace_id, kind, instance.pk, project_payload(instance))
    _push_soon(instance.workspace_id, "projects", instance.pk)


def _task_saved(sender: Any, instance: Task, created: bool, raw: bool = False, **_: Any) -> None:
    if raw:
        return
    kind = EventKind.TASK_CREATED if created else EventKind.TASK_UPDATED
    record_event(instance.workspace_id, kind, instance.pk, task_payload(instance))
    _push_soon(instance.workspace_id, "tasks", instance.pk)


def _project_deleted(sender: Any, instance: Project, **_: Any) -> None:
    record_event(instance.workspace_id, EventKind.PROJECT_DELETED, instance.pk, project_payload(instance))


def _task_deleted(sender: Any, instance: Task, **_: Any) -> None:
    record_event(instance.workspace_id, EventKind.TASK_DELETED, instance.pk, task_payload(instance))


def connect() -> None:
    post_save.connect(_project_saved, sender=Project, dispatch_uid="psa-project-saved")
    post_save.connect(_task_saved, sender=Task, dispatch_uid="psa-task-saved")
    post_delete.connect(_project_deleted, sender=Project, dispatch_uid="psa-project-deleted")
    post_delete.connect(_task_deleted, sender=Task, dispatch_uid="psa-task-deleted")
