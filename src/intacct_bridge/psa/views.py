"""Project pages: the list (stage, Intacct state), a project's page (fields, tasks, Sage Intacct
section with its issues), the project and task forms, and the PSA settings.

Every page needs a member of the workspace; creating and editing needs an admin or a project
manager, the settings an admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from intacct_bridge.jobs import tasks as jobs
from intacct_bridge.psa import status
from intacct_bridge.psa.forms import PROJECT_CATEGORIES, ProjectForm, PsaSettingsForm, TaskForm
from intacct_bridge.psa.models import Project, PsaSettings, Stage, Task
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link
from intacct_bridge.workspaces.access import workspace_view
from intacct_bridge.workspaces.models import Profile


def _can_edit(request: HttpRequest) -> bool:
    membership = request.membership  # type: ignore[attr-defined]
    return bool(membership.is_admin or membership.profile == Profile.PROJECT_MANAGER)


def _require_editor(request: HttpRequest) -> None:
    if not _can_edit(request):
        raise PermissionDenied("Only workspace admins and project managers can change projects")


def _project(request: HttpRequest, pk: int) -> Project:
    project = Project.objects.filter(workspace=request.workspace, pk=pk).select_related("client").first()  # type: ignore[attr-defined]
    if project is None:
        raise Http404("No such project")
    return project


@workspace_view()
def project_list(request: HttpRequest, slug: str) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    search = request.GET.get("q", "").strip()
    stage = request.GET.get("stage", "")
    projects = Project.objects.filter(workspace=ws).select_related("client").order_by("name", "pk")
    if search:
        projects = projects.filter(
            Q(name__icontains=search) | Q(project_id__icontains=search) | Q(client__name__icontains=search)
        )
    if stage in Stage.values:
        projects = projects.filter(stage=stage)
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    states = status.project_states(ws, list(page))
    rows = [{"project": p, "intacct": states[p.pk]} for p in page]
    return render(
        request,
        "psa/project_list.html",
        {
            "rows": rows,
            "page": page,
            "search": search,
            "stage": stage,
            "stages": Stage.choices,
            "can_edit": _can_edit(request),
        },
    )


@workspace_view()
def project_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    project = _project(request, pk)
    tasks = list(Task.objects.filter(project=project).select_related("parent").order_by("name", "pk"))
    intacct = status.project_states(ws, [project])[project.pk]
    link = Link.objects.filter(workspace=ws, family="projects", local_id=project.pk).first()
    # a customer nobody imported stays a reference by its Intacct ID (the workspace's choice)
    unpicked_client = (link.options.get("unpicked") or {}).get("client", "") if link else ""
    why = (link.options.get("why") or "") if link else ""
    is_admin = request.membership.is_admin  # type: ignore[attr-defined]
    suggestions: list[dict[str, Any]] = []
    suggestion_error = ""
    if is_admin and intacct["state"] != "linked" and "projects" in (ws.families or []):
        # the remedy for a clash of IDs or a project made on both sides: link it to its twin

        try:
            suggestions = service.suggestions(ws, "projects", project)
        except Exception as exc:  # the page still shows; the dropdown says why it is empty
            suggestion_error = str(exc)
    return render(
        request,
        "psa/project_detail.html",
        {
            "project": project,
            "intacct": intacct,
            "unpicked_client": unpicked_client,
            "why": why,
            "suggestions": suggestions,
            "suggestion_error": suggestion_error,
            "tasks": [
                {"task": t, "intacct": s} for t, s in zip(tasks, status.task_states(ws, tasks), strict=True)
            ],
            "issues": status.open_issues(ws, project, tasks),
            "conflicts": status.open_conflicts(ws, project),
            "settings": PsaSettings.of(ws),
            "can_edit": _can_edit(request),
            "is_admin": is_admin,
            "syncs": "projects" in (ws.families or []),
        },
    )


@workspace_view()
def project_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    _require_editor(request)
    ws = request.workspace  # type: ignore[attr-defined]
    project = _project(request, pk) if pk is not None else None
    linked = project is not None and status.is_linked(ws, "projects", project.pk)
    form = ProjectForm(request.POST or None, instance=project, workspace=ws, linked=linked)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        note = status.export_note(ws, saved)
        messages.success(request, f"Project {'saved' if project else 'created'}. {note}")
        return redirect("psa:project", slug=slug, pk=saved.pk)
    return render(
        request,
        "psa/project_form.html",
        {"form": form, "project": project, "categories": PROJECT_CATEGORIES},
        status=422 if request.method == "POST" else 200,
    )


@workspace_view()
def task_form(request: HttpRequest, slug: str, pk: int, task_pk: int | None = None) -> HttpResponse:
    _require_editor(request)
    ws = request.workspace  # type: ignore[attr-defined]
    project = _project(request, pk)
    task = None
    if task_pk is not None:
        task = Task.objects.filter(project=project, pk=task_pk).first()
        if task is None:
            raise Http404("No such task")
    linked = task is not None and status.is_linked(ws, "tasks", task.pk)
    form = TaskForm(request.POST or None, instance=task, project=project, linked=linked)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Task {'saved' if task else 'added'}. {status.task_note(ws, project)}")
        return redirect("psa:project", slug=slug, pk=project.pk)
    return render(
        request,
        "psa/task_form.html",
        {"form": form, "project": project, "task": task},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@workspace_view()
def push_project(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """*Send to Sage Intacct now*: the project and its tasks, without waiting for the schedule."""
    _require_editor(request)
    ws = request.workspace  # type: ignore[attr-defined]
    project = _project(request, pk)

    jobs.push_now(ws, "projects", [project.pk], by=request.user.get_username())
    task_ids = list(project.tasks.values_list("pk", flat=True))
    if task_ids and "tasks" in (ws.families or []):
        jobs.push_now(ws, "tasks", task_ids, by=request.user.get_username())
    messages.success(request, "Queued: the project goes to Sage Intacct now (see Sync history).")
    return redirect("psa:project", slug=slug, pk=project.pk)


@workspace_view(admin=True)
def settings_form(request: HttpRequest, slug: str) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    settings = PsaSettings.of(ws)
    form = PsaSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Project settings saved.")
        return redirect("psa:projects", slug=slug)
    return render(
        request,
        "psa/settings.html",
        {"form": form, "settings": settings, "categories": PROJECT_CATEGORIES},
        status=422 if request.method == "POST" else 200,
    )
