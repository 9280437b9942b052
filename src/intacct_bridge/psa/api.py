"""JSON API of the psa app, mounted under /api/v1/workspaces/{slug}/.

GET   projects                       projects (?stage=&q=) with their Sage Intacct state
POST  projects                       create; ``Idempotency-Key`` honoured (same key: the first project, 200)
GET   projects/{id}                  one project with its tasks and open sync issues
PATCH projects/{id}                  change (only the fields sent)
GET   projects/{id}/tasks            the project's tasks
POST  projects/{id}/tasks            create a task; ``Idempotency-Key`` honoured
GET   tasks/{id}, PATCH tasks/{id}   one task
GET   events?kind=project.           the change feed (the shared webhook outbox; api/sync.py)

Saving validates exactly like the pages (the same forms); a change reaches Intacct at once when it
should (``events.py``). Reads need any token of the workspace; writes a read-write token, or a
signed-in admin or project manager.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest
from ninja import Router, Status

from intacct_bridge.api.auth import workspace_for
from intacct_bridge.api.errors import ApiError, forbidden, not_found
from intacct_bridge.api.schemas import ErrorOut
from intacct_bridge.psa import status
from intacct_bridge.psa.forms import ProjectForm, TaskForm
from intacct_bridge.psa.models import Project, Stage, Task
from intacct_bridge.psa.schemas import ProjectDetailOut, ProjectIn, ProjectOut, TaskIn, TaskOut
from intacct_bridge.sync.creates import CreateRefused, _replay
from intacct_bridge.sync.models import IdempotentCreate
from intacct_bridge.sync.registry import get_family
from intacct_bridge.sync.spec import hash_values
from intacct_bridge.workspaces.access import membership_for
from intacct_bridge.workspaces.models import ApiToken, Profile, Workspace

router = Router(tags=["projects"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# ---- access -----------------------------------------------------------------------------------


def _editor(request: HttpRequest, slug: str) -> Workspace:
    """Writes: a read-write token, or a signed-in admin or project manager of the workspace."""
    ws = workspace_for(request, slug, write=True)
    if not isinstance(getattr(request, "auth", None), ApiToken):
        membership = membership_for(request.user, slug)
        if membership is None or not (membership.is_admin or membership.profile == Profile.PROJECT_MANAGER):
            raise forbidden("Only workspace admins and project managers can change projects")
    return ws


def _project(ws: Workspace, pk: int) -> Project:
    project = Project.objects.filter(workspace=ws, pk=pk).select_related("client").first()
    if project is None:
        raise not_found("No such project")
    return project


def _task(ws: Workspace, pk: int) -> Task:
    task = Task.objects.filter(workspace=ws, pk=pk).first()
    if task is None:
        raise not_found("No such task")
    return task


# ---- output -----------------------------------------------------------------------------------


def _project_out(ws: Workspace, project: Project, state: dict[str, Any] | None = None) -> dict[str, Any]:
    state = state or status.project_states(ws, [project])[project.pk]
    return {
        **{f: getattr(project, f) for f in ProjectOut.model_fields if hasattr(project, f) and f != "client"},
        "client": project.client_id,
        "client_name": project.client.name if project.client is not None else None,
        "intacct": state,
    }


def _task_out(task: Task, state: dict[str, Any]) -> dict[str, Any]:
    return {
        **{f: getattr(task, f) for f in TaskOut.model_fields if f not in ("project", "parent", "intacct")},
        "project": task.project_id,
        "parent": task.parent_id,
        "intacct": state,
    }


def _tasks_out(ws: Workspace, tasks: list[Task]) -> list[dict[str, Any]]:
    return [_task_out(t, s) for t, s in zip(tasks, status.task_states(ws, tasks), strict=True)]


def _issue_out(issue: Any) -> dict[str, Any]:
    return {
        "id": issue.pk,
        "run": issue.run_id,
        "family": issue.family,
        "local_id": issue.local_id,
        "errorno": issue.errorno,
        "text": issue.text,
        "correction": issue.correction,
        "remedy": issue.remedy,
        "created_at": issue.created_at,
    }


# ---- validation through the page forms --------------------------------------------------------


def _form_data(instance: Any, fields: list[str], changes: dict[str, Any]) -> dict[str, Any]:
    """Form data: the record's current values, overlaid with the fields the request sent."""
    data: dict[str, Any] = model_to_dict(instance, fields=fields)
    data.update(changes)
    out: dict[str, Any] = {}
    for name, value in data.items():
        if value is None:
            continue
        if isinstance(value, bool):
            if value:  # an unchecked checkbox is an absent key
                out[name] = "on"
            continue
        out[name] = value.isoformat() if isinstance(value, date) else value
    return out


def _invalid(form: Any) -> ApiError:
    parts = [f"{name}: {' '.join(str(e) for e in errs)}" for name, errs in form.errors.items()]
    return ApiError(422, "invalid", "; ".join(parts))


def _key(request: HttpRequest) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 200:
        raise ApiError(422, "invalid", "Idempotency-Key: at most 200 characters")
    return key


def _create_once(
    ws: Workspace, family: str, key: str, request_values: dict[str, Any], save: Any
) -> tuple[Any, bool]:
    """``save()`` under an Idempotency-Key (sync/creates.py's store): the same key and body answer
    with the first record; the same key with another body is refused."""
    fam = get_family(family)
    digest = hash_values({"family": family, **request_values})
    try:
        if key:
            earlier = _replay(ws, fam, key, digest)
            if earlier is not None:
                return earlier, False
        with transaction.atomic():
            obj = save()
            if key:
                IdempotentCreate.objects.create(
                    workspace=ws, key=key, family=family, request_hash=digest, local_id=obj.pk
                )
        return obj, True
    except CreateRefused as exc:
        raise ApiError(409, exc.code, exc.message) from None
    except IntegrityError:
        earlier = _replay(ws, fam, key, digest) if key else None
        if earlier is None:
            raise
        return earlier, False


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Decimal | date) else v) for k, v in values.items()}


# ---- projects ---------------------------------------------------------------------------------


@router.get("projects", response={200: list[ProjectOut], **ERRORS})
def list_projects(request: HttpRequest, slug: str, stage: str = "", q: str = "") -> Any:
    ws = workspace_for(request, slug)
    projects = Project.objects.filter(workspace=ws).select_related("client").order_by("name", "pk")
    if stage:
        if stage not in Stage.values:
            raise ApiError(422, "invalid", f"stage: one of {', '.join(Stage.values)}")
        projects = projects.filter(stage=stage)
    if q:
        projects = projects.filter(name__icontains=q) | projects.filter(project_id__icontains=q)
    items = list(projects)
    states = status.project_states(ws, items)
    return [_project_out(ws, p, states[p.pk]) for p in items]


@router.post("projects", response={200: ProjectOut, 201: ProjectOut, **ERRORS})
def create_project(request: HttpRequest, slug: str, body: ProjectIn) -> Any:
    ws = _editor(request, slug)
    changes = body.dict(exclude_unset=True)
    # absent fields take the model's defaults (a new project is in Planning, time and materials)
    form = ProjectForm(_form_data(Project(), list(ProjectForm.Meta.fields), changes), workspace=ws)

    def save() -> Project:
        if not form.is_valid():
            raise _invalid(form)
        project = form.save()
        if "intacct_active" in changes:  # the create form leaves it to the stage rule unless sent
            Project.objects.filter(pk=project.pk).update(intacct_active=bool(changes["intacct_active"]))
            project.intacct_active = bool(changes["intacct_active"])
        return project

    project, created = _create_once(ws, "projects", _key(request), _jsonable(changes), save)
    project = _project(ws, project.pk)
    return Status(201 if created else 200, _project_out(ws, project))


@router.get("projects/{int:project_pk}", response={200: ProjectDetailOut, **ERRORS})
def get_project(request: HttpRequest, slug: str, project_pk: int) -> Any:
    ws = workspace_for(request, slug)
    project = _project(ws, project_pk)
    tasks = list(project.tasks.order_by("name", "pk"))
    return {
        **_project_out(ws, project),
        "tasks": _tasks_out(ws, tasks),
        "issues": [_issue_out(i) for i in status.open_issues(ws, project, tasks)],
    }


@router.patch("projects/{int:project_pk}", response={200: ProjectOut, **ERRORS})
def update_project(request: HttpRequest, slug: str, project_pk: int, body: ProjectIn) -> Any:
    ws = _editor(request, slug)
    project = _project(ws, project_pk)
    changes = body.dict(exclude_unset=True)
    linked = status.is_linked(ws, "projects", project.pk)
    if linked and "project_id" in changes and changes["project_id"] != project.project_id:
        raise ApiError(422, "invalid", "project_id: shared with Sage Intacct; it cannot change here.")
    form = ProjectForm(
        _form_data(project, list(ProjectForm.Meta.fields), changes),
        instance=project,
        workspace=ws,
        linked=linked,
    )
    if not form.is_valid():
        raise _invalid(form)
    form.save()
    return _project_out(ws, _project(ws, project.pk))


# ---- tasks ------------------------------------------------------------------------------------


@router.get("projects/{int:project_pk}/tasks", response={200: list[TaskOut], **ERRORS})
def list_tasks(request: HttpRequest, slug: str, project_pk: int) -> Any:
    ws = workspace_for(request, slug)
    return _tasks_out(ws, list(_project(ws, project_pk).tasks.order_by("name", "pk")))


@router.post("projects/{int:project_pk}/tasks", response={200: TaskOut, 201: TaskOut, **ERRORS})
def create_task(request: HttpRequest, slug: str, project_pk: int, body: TaskIn) -> Any:
    ws = _editor(request, slug)
    project = _project(ws, project_pk)
    changes = body.dict(exclude_unset=True)
    form = TaskForm(_form_data(Task(), list(TaskForm.Meta.fields), changes), project=project)

    def save() -> Task:
        if not form.is_valid():
            raise _invalid(form)
        return form.save()

    values = {"project": project.pk, **_jsonable(changes)}
    task, created = _create_once(ws, "tasks", _key(request), values, save)
    return Status(201 if created else 200, _tasks_out(ws, [task])[0])


@router.get("tasks/{int:task_pk}", response={200: TaskOut, **ERRORS})
def get_task(request: HttpRequest, slug: str, task_pk: int) -> Any:
    ws = workspace_for(request, slug)
    return _tasks_out(ws, [_task(ws, task_pk)])[0]


@router.patch("tasks/{int:task_pk}", response={200: TaskOut, **ERRORS})
def update_task(request: HttpRequest, slug: str, task_pk: int, body: TaskIn) -> Any:
    ws = _editor(request, slug)
    task = _task(ws, task_pk)
    changes = body.dict(exclude_unset=True)
    linked = status.is_linked(ws, "tasks", task.pk)
    if linked and "task_id" in changes and changes["task_id"] != task.task_id:
        raise ApiError(422, "invalid", "task_id: shared with Sage Intacct; it cannot change here.")
    form = TaskForm(
        _form_data(task, list(TaskForm.Meta.fields), changes),
        instance=task,
        project=task.project,
        linked=linked,
    )
    if not form.is_valid():
        raise _invalid(form)
    form.save()
    return _tasks_out(ws, [_task(ws, task.pk)])[0]
