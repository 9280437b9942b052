"""JSON API of the sync, mounted under /api/v1/workspaces/{slug}/ by intacct_bridge.api.

GET  runs                          run history (newest first)
GET  runs/{id}                     one run with its per-record issues
POST runs/{id}/retry               read the failed records again and sync just those
POST issues/{id}/fixed             mark an issue fixed
POST sync                          Sync now (all families or {"family": ...}); ?wait=true runs inline
GET  events                        the event feed (?after=&kind=)
GET  schedule / PUT schedule       the workspace's schedule
GET  conflicts                     open conflicts (?family=&all=true for reviewed ones too)
POST conflicts/{id}/resolve        {"keep": "app"|"intacct"}

The routes of each family's records are in ``records/api.py``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from intacct_bridge.api.auth import workspace_for
from intacct_bridge.api.errors import ApiError, not_found
from intacct_bridge.api.families import CREATE_STATUS, ERRORS, actor_name, family_or_404, run_or_queue
from intacct_bridge.api.params import events_after
from intacct_bridge.api.schemas import (
    ConflictOut,
    EventOut,
    IssueOut,
    ResolveIn,
    RunDetailOut,
    RunOut,
    ScheduleIn,
    ScheduleOut,
    SyncIn,
)
from intacct_bridge.jobs.tasks import next_due, queue_sync, schedule_for
from intacct_bridge.sync import events, service
from intacct_bridge.sync.creates import CreateRefused
from intacct_bridge.sync.creates import resolve_conflict as resolve
from intacct_bridge.sync.models import Conflict, Frequency, Run, RunIssue
from intacct_bridge.workspaces.models import Workspace

router = Router(tags=["sync"])


def _run(ws: Workspace, run_id: int) -> Run:
    run = Run.objects.filter(workspace=ws, pk=run_id).first()
    if run is None:
        raise not_found("No such run")
    return run


@router.get("runs", response={200: list[RunOut], **ERRORS})
def list_runs(request: HttpRequest, slug: str, family: str | None = None, limit: int = 50) -> Any:
    ws = workspace_for(request, slug)
    runs = Run.objects.filter(workspace=ws)
    if family:
        runs = runs.filter(family=family_or_404(family).name)
    return [r.to_dict() for r in runs[: max(1, min(limit, 500))]]


@router.get("runs/{run_id}", response={200: RunDetailOut, **ERRORS})
def get_run(request: HttpRequest, slug: str, run_id: int) -> Any:
    run = _run(workspace_for(request, slug), run_id)
    return {**run.to_dict(), "issues": [i.to_dict() for i in run.issues.all()]}


@router.post("runs/{run_id}/retry", response={200: RunOut, **ERRORS})
def retry_run(request: HttpRequest, slug: str, run_id: int) -> Any:
    ws = workspace_for(request, slug, write=True, admin=True)
    run = _run(ws, run_id)
    try:
        return service.retry_failed(run, by=actor_name(request)).to_dict()
    except service.Busy as exc:
        raise ApiError(409, "busy", str(exc)) from None


@router.post("issues/{issue_id}/fixed", response={200: IssueOut, **ERRORS})
def fix_issue(request: HttpRequest, slug: str, issue_id: int) -> Any:
    ws = workspace_for(request, slug, write=True, admin=True)
    issue = RunIssue.objects.filter(run__workspace=ws, pk=issue_id).first()
    if issue is None:
        raise not_found("No such issue")
    service.mark_fixed(issue)
    return issue.to_dict()


@router.post("sync", response={200: RunOut, 202: RunOut, **ERRORS})
def sync_now(request: HttpRequest, slug: str, body: SyncIn, wait: bool = False) -> Any:
    ws = workspace_for(request, slug, write=True)
    family = family_or_404(body.family).name if body.family else ""
    by = actor_name(request)

    run = run_or_queue(
        ws,
        lambda: service.sync_now(ws, family, by=by, check_removals=body.check_removals),
        lambda: queue_sync(ws, family, by, body.check_removals),
        wait,
    )
    return Status(200 if wait else 202, run.to_dict())


def _schedule_out(ws: Workspace) -> dict[str, Any]:
    row = schedule_for(ws)
    return {
        "frequency": row.frequency,
        "sync_time": str(ws.sync_time)[:5],
        "timezone": ws.timezone,
        "next_due_at": row.next_due_at.isoformat() if row.next_due_at else None,
        "consecutive_failures": row.consecutive_failures,
    }


@router.get("events", response={200: list[EventOut], **ERRORS})
def list_events(
    request: HttpRequest, slug: str, after: int = 0, limit: int = 100, kind: str = "", since: str = ""
) -> Any:
    """The workspace's events after event ``after``, oldest first (what a webhook sender delivers);
    ``kind`` filters by prefix: ``project.``, ``task.``, ``timesheet.``, ``project_invoice.``.
    ``since``: an event id or an ISO 8601 timestamp (events created from then on)."""
    ws = workspace_for(request, slug)
    if since:
        after = max(after, events_after(ws, since))
    return events.feed(ws, after=after, limit=limit, kind=kind)


@router.get("schedule", response={200: ScheduleOut, **ERRORS})
def get_schedule(request: HttpRequest, slug: str) -> Any:
    return _schedule_out(workspace_for(request, slug))


@router.put("schedule", response={200: ScheduleOut, **ERRORS})
def put_schedule(request: HttpRequest, slug: str, body: ScheduleIn) -> Any:
    """daily (at the workspace's sync_time, in its timezone), hourly or off."""
    ws = workspace_for(request, slug, write=True, admin=True)
    if body.frequency not in Frequency.values:
        raise ApiError(422, "invalid", f"frequency: one of {', '.join(Frequency.values)}")
    row = schedule_for(ws)
    row.frequency = body.frequency
    row.next_due_at = next_due(ws, body.frequency, timezone.now())
    row.save(update_fields=["frequency", "next_due_at"])
    return _schedule_out(ws)


def _conflict_out(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "family": c.family,
        "local_id": c.local_id,
        "intacct_recordno": c.recordno,
        "policy": c.policy,
        "winner": c.winner,
        "app_values": c.app_values,
        "intacct_values": c.intacct_values,
        "created_at": c.created_at.isoformat(),
        "resolved_at": c.resolved_at.isoformat() if c.resolved_at else None,
        "resolved_by": c.resolved_by,
        "kept": c.kept,
    }


@router.get("conflicts", response={200: list[ConflictOut], **ERRORS})
def list_conflicts(request: HttpRequest, slug: str, family: str | None = None, all: bool = False) -> Any:
    ws = workspace_for(request, slug)
    rows = Conflict.objects.filter(workspace=ws)
    if family:
        rows = rows.filter(family=family)
    if not all:
        rows = rows.filter(resolved_at__isnull=True)
    return [_conflict_out(c) for c in rows[:500]]


@router.post("conflicts/{conflict_id}/resolve", response={200: ConflictOut, **ERRORS})
def resolve_conflict(request: HttpRequest, slug: str, conflict_id: int, body: ResolveIn) -> Any:
    ws = workspace_for(request, slug, write=True, admin=True)
    conflict = Conflict.objects.filter(workspace=ws, pk=conflict_id, resolved_at__isnull=True).first()
    if conflict is None:
        raise not_found("No such open conflict")
    try:
        resolve(conflict, body.keep, actor_name(request))
    except CreateRefused as exc:
        raise ApiError(CREATE_STATUS[exc.code], exc.code, exc.message) from None
    return _conflict_out(conflict)
