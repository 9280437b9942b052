"""Sync history pages: Sync now with progress, the run history with its chart, a run's issues with
Mark fixed and Retry, the schedule, and resolving a conflict."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from intacct_bridge.jobs.queueing import QueueUnavailable
from intacct_bridge.jobs.tasks import next_due, queue_sync, schedule_for
from intacct_bridge.records.views import PAGES, by_user, run_url
from intacct_bridge.sync import service
from intacct_bridge.sync.creates import CreateRefused
from intacct_bridge.sync.creates import resolve_conflict as resolve
from intacct_bridge.sync.models import Conflict, Frequency, Run, RunIssue
from intacct_bridge.sync.registry import get_family
from intacct_bridge.web.chart import run_chart
from intacct_bridge.workspaces.access import workspace_view


@require_POST
@workspace_view(admin=True)
def resolve_conflict(request: HttpRequest, slug: str, conflict_id: int) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    conflict = Conflict.objects.filter(workspace=ws, pk=conflict_id, resolved_at__isnull=True).first()
    if conflict is None:
        raise Http404("No such open conflict")
    try:
        resolve(conflict, request.POST.get("keep", ""), by_user(request))
        messages.success(request, "Conflict resolved; the next sync brings both sides to that version.")
    except CreateRefused as exc:
        messages.error(request, exc.message)
    return redirect("sync:profile", slug=slug, family=conflict.family, local_id=conflict.local_id)


@require_POST
@workspace_view()
def sync_now(request: HttpRequest, slug: str) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    family = request.POST.get("family", "")
    if family:
        try:
            get_family(family)  # any registered family, pages of its own or not
        except LookupError:
            raise Http404("No such family") from None

    try:
        run = queue_sync(ws, family, by_user(request))
    except QueueUnavailable as exc:
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({"error": {"code": "queue_unavailable", "message": str(exc)}}, status=503)
        messages.error(request, str(exc))
        return redirect("sync:runs", slug=slug)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(run.to_dict(), status=202)
    return redirect(run_url(slug, run))


@workspace_view()
def runs(request: HttpRequest, slug: str) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    qs = Run.objects.filter(workspace=ws)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    recent = list(qs.exclude(started_at=None)[:30])[::-1]
    return render(
        request,
        "sync/runs.html",
        {
            "page": page,
            "chart": run_chart(recent),
            "families": [(k, v) for k, v in PAGES.items() if k in (ws.families or [])],
            "active": service.active_run(ws),
            "schedule": schedule_for(ws),
            "frequencies": Frequency.choices,
            "is_admin": request.membership.is_admin,  # type: ignore[attr-defined]
        },
    )


@require_POST
@workspace_view(admin=True)
def set_schedule(request: HttpRequest, slug: str) -> HttpResponse:
    """Daily (at the workspace's sync time, in its timezone), hourly, or off."""
    ws = request.workspace  # type: ignore[attr-defined]
    frequency = request.POST.get("frequency", "")
    if frequency not in Frequency.values:
        messages.error(request, "Choose daily, hourly or off.")
        return redirect("sync:runs", slug=slug)
    row = schedule_for(ws)
    row.frequency = frequency
    row.next_due_at = next_due(ws, frequency, timezone.now())
    row.save(update_fields=["frequency", "next_due_at"])
    messages.success(request, f"Schedule: {row.get_frequency_display().lower()}.")
    return redirect("sync:runs", slug=slug)


@workspace_view()
def run_detail(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    run = Run.objects.filter(workspace=ws, pk=run_id).first()
    if run is None:
        raise Http404("No such run")
    return render(
        request,
        "sync/run.html",
        {
            "run": run,
            "issues": run.issues.all(),
            "is_admin": request.membership.is_admin,  # type: ignore[attr-defined]
            "retryable": run.issues.filter(recordno__isnull=False, retried_in__isnull=True).exists(),
        },
    )


@workspace_view()
def run_json(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    run = Run.objects.filter(workspace=ws, pk=run_id).first()
    if run is None:
        raise Http404("No such run")
    return JsonResponse(
        {**run.to_dict(), "status_label": run.get_status_display(), "issue_count": run.issues.count()}
    )


@require_POST
@workspace_view(admin=True)
def issue_fixed(request: HttpRequest, slug: str, issue_id: int) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    issue = RunIssue.objects.filter(run__workspace=ws, pk=issue_id).first()
    if issue is None:
        raise Http404("No such issue")
    service.mark_fixed(issue)
    messages.success(request, "Marked fixed.")
    return redirect(run_url(slug, issue.run))


@require_POST
@workspace_view(admin=True)
def retry(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    run = Run.objects.filter(workspace=ws, pk=run_id).first()
    if run is None:
        raise Http404("No such run")
    try:
        new = service.retry_failed(run, by=by_user(request), only_fixed=request.POST.get("only_fixed") == "1")
    except service.Busy as exc:
        messages.error(request, f"{exc} Try again in a minute.")
        return redirect(run_url(slug, run))
    messages.success(request, f"Retried the failed records: {new.get_status_display().lower()}.")
    return redirect(run_url(slug, new))
