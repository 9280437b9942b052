"""JSON API of the sync families, mounted under /api/v1/workspaces/{slug}/ by intacct_bridge.api.

GET  runs                          run history (newest first)
GET  runs/{id}                     one run with its per-record issues
POST runs/{id}/retry               read the failed records again and sync just those
POST issues/{id}/fixed             mark an issue fixed
POST sync                          Sync now (all families or {"family": ...}); ?wait=true runs inline
GET  {family}/records              local records with their link state
POST {family}/records              {"fields": {...}} create (two-way families); Idempotency-Key honoured
PATCH {family}/records/{id}        {"fields": {...}} change (two-way families); pushed by the next sync
GET  conflicts                     open conflicts (?family=&all=true for reviewed ones too)
POST conflicts/{id}/resolve        {"keep": "app"|"intacct"}
GET  {family}/intacct              Intacct records not linked yet (?search=&page=)
POST {family}/import               {"ids": [RECORDNO...]} or {"all": true}, options
GET  {family}/{id}/suggestions     likely Intacct matches for a local record
POST {family}/{id}/link            {"intacct_recordno": N}
POST {family}/{id}/unlink
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from intacct_bridge.api.auth import actor, workspace_for
from intacct_bridge.api.errors import ApiError, not_found
from intacct_bridge.api.schemas import ErrorOut
from intacct_bridge.sync import events, service
from intacct_bridge.sync.families import Family, get_family
from intacct_bridge.sync.models import Run, RunIssue
from intacct_bridge.sync.remedies import remedy_for
from intacct_bridge.sync.runs import error_fields
from intacct_bridge.workspaces.models import Workspace

router = Router(tags=["sync"])
ERRORS = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    405: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    502: ErrorOut,
}


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


class SyncIn(Schema):
    family: str | None = None
    check_removals: bool = False


class ImportIn(Schema):
    ids: list[int] = []
    all: bool = False
    # people: the permission profile imported team members get
    profile: str | None = None
    # people: assign imported team members to their (imported) Intacct departments
    assign_department: bool = True


class ScheduleOut(Schema):
    frequency: str
    sync_time: str
    timezone: str
    next_due_at: str | None
    consecutive_failures: int


class ScheduleIn(Schema):
    frequency: str


class LinkIn(Schema):
    intacct_recordno: int


def _family(name: str) -> Family:
    try:
        return get_family(name)
    except LookupError:
        raise not_found(f"No family {name!r}") from None


def _writable(name: str) -> Family:
    """The family for a call that changes records or links; Intacct-owned families refuse (405)."""
    fam = _family(name)
    if fam.read_only:
        raise ApiError(405, "read_only", f"{fam.spec.label} is read-only here; change it in Sage Intacct.")
    return fam


def _by(request: HttpRequest) -> str:
    user, via = actor(request)
    return user.get_username() if user is not None and user.is_authenticated else via


@contextmanager
def _intacct_errors() -> Iterator[None]:
    """Intacct refusing a live read becomes a 502 with the catalogue's remedy, not a 500."""
    import intacct

    try:
        yield
    except intacct.IntacctError as exc:
        errorno, text, correction = error_fields(exc)
        remedy = remedy_for(errorno, text, correction)
        raise ApiError(502, "intacct_error", f"{text} — {remedy.fix}") from None


def _run(ws: Workspace, run_id: int) -> Run:
    run = Run.objects.filter(workspace=ws, pk=run_id).first()
    if run is None:
        raise not_found("No such run")
    return run


def _queue_or_wait(ws: Workspace, run_callable: Any, queue_callable: Any, wait: bool) -> Run:
    if wait:
        try:
            return run_callable()  # type: ignore[no-any-return]
        except service.Busy as exc:
            raise ApiError(409, "busy", str(exc)) from None
    return queue_callable()  # type: ignore[no-any-return]


@router.get("runs", response={200: list[RunOut], **ERRORS})
def list_runs(request: HttpRequest, slug: str, family: str | None = None, limit: int = 50) -> Any:
    ws = workspace_for(request, slug)
    runs = Run.objects.filter(workspace=ws)
    if family:
        runs = runs.filter(family=_family(family).name)
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
        return service.retry_failed(run, by=_by(request)).to_dict()
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
    family = _family(body.family).name if body.family else ""
    by = _by(request)
    from intacct_bridge.jobs.tasks import queue_sync

    run = _queue_or_wait(
        ws,
        lambda: service.sync_now(ws, family, by=by, check_removals=body.check_removals),
        lambda: queue_sync(ws, family, by, body.check_removals),
        wait,
    )
    return Status(200 if wait else 202, run.to_dict())


def _schedule_out(ws: Workspace) -> dict[str, Any]:
    from intacct_bridge.jobs.tasks import schedule_for

    row = schedule_for(ws)
    return {
        "frequency": row.frequency,
        "sync_time": str(ws.sync_time)[:5],
        "timezone": ws.timezone,
        "next_due_at": row.next_due_at.isoformat() if row.next_due_at else None,
        "consecutive_failures": row.consecutive_failures,
    }


class EventOut(Schema):
    id: int
    kind: str
    object_id: int | None
    origin: str
    payload: dict[str, Any]
    created_at: datetime


@router.get("events", response={200: list[EventOut], **ERRORS})
def list_events(
    request: HttpRequest, slug: str, after: int = 0, limit: int = 100, kind: str = "", since: str = ""
) -> Any:
    """The workspace's events after event ``after``, oldest first (what a webhook sender delivers);
    ``kind`` filters by prefix: ``project.``, ``task.``, ``timesheet.``, ``project_invoice.``.
    ``since``: an event id or an ISO 8601 timestamp (events created from then on)."""
    ws = workspace_for(request, slug)
    if since:
        from intacct_bridge.api.params import events_after

        after = max(after, events_after(ws, since))
    return events.feed(ws, after=after, limit=limit, kind=kind)


@router.get("schedule", response={200: ScheduleOut, **ERRORS})
def get_schedule(request: HttpRequest, slug: str) -> Any:
    return _schedule_out(workspace_for(request, slug))


@router.put("schedule", response={200: ScheduleOut, **ERRORS})
def put_schedule(request: HttpRequest, slug: str, body: ScheduleIn) -> Any:
    """daily (at the workspace's sync_time, in its timezone), hourly or off."""
    from django.utils import timezone

    from intacct_bridge.jobs.tasks import next_due, schedule_for
    from intacct_bridge.sync.models import Frequency

    ws = workspace_for(request, slug, write=True, admin=True)
    if body.frequency not in Frequency.values:
        raise ApiError(422, "invalid", f"frequency: one of {', '.join(Frequency.values)}")
    row = schedule_for(ws)
    row.frequency = body.frequency
    row.next_due_at = next_due(ws, body.frequency, timezone.now())
    row.save(update_fields=["frequency", "next_due_at"])
    return _schedule_out(ws)


@router.get("{family}/records", response={200: list[RecordOut], **ERRORS})
def list_records(request: HttpRequest, slug: str, family: str) -> Any:
    ws = workspace_for(request, slug)
    return service.local_records(ws, _family(family).name)


_CREATE_STATUS = {"read_only": 405, "pull_only": 405, "invalid": 422, "key_reused": 409, "key_gone": 409}


@router.post("{family}/records", response={200: RecordOut, 201: RecordOut, **ERRORS})
def create_record(request: HttpRequest, slug: str, family: str, body: RecordIn) -> Any:
    """A record created by a host product; it reaches Intacct with the next sync. The same
    ``Idempotency-Key`` header answers with the first record (200) instead of creating another."""
    from intacct_bridge.sync.creates import CreateRefused
    from intacct_bridge.sync.creates import create_record as create

    ws = workspace_for(request, slug, write=True)
    fam = _family(family)
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 200:
        raise ApiError(422, "invalid", "Idempotency-Key: at most 200 characters")
    try:
        obj, created = create(ws, fam.name, body.fields, key=key)
    except CreateRefused as exc:
        raise ApiError(_CREATE_STATUS[exc.code], exc.code, exc.message) from None
    from intacct_bridge.sync.models import Link

    link = Link.objects.filter(workspace=ws, family=fam.name, local_id=obj.pk).first()
    return Status(201 if created else 200, service.record_dict(fam, obj, link))


@router.patch("{family}/records/{local_id}", response={200: RecordOut, **ERRORS})
def update_record(request: HttpRequest, slug: str, family: str, local_id: int, body: RecordIn) -> Any:
    from intacct_bridge.sync.creates import CreateRefused
    from intacct_bridge.sync.creates import update_record as update
    from intacct_bridge.sync.models import Link

    ws = workspace_for(request, slug, write=True)
    fam = _family(family)
    obj = _local(ws, fam, local_id)
    try:
        update(ws, fam.name, obj, body.fields)
    except CreateRefused as exc:
        raise ApiError(_CREATE_STATUS[exc.code], exc.code, exc.message) from None
    link = Link.objects.filter(workspace=ws, family=fam.name, local_id=obj.pk).first()
    return service.record_dict(fam, obj, link)


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
    from intacct_bridge.sync.models import Conflict

    ws = workspace_for(request, slug)
    rows = Conflict.objects.filter(workspace=ws)
    if family:
        rows = rows.filter(family=family)
    if not all:
        rows = rows.filter(resolved_at__isnull=True)
    return [_conflict_out(c) for c in rows[:500]]


@router.post("conflicts/{conflict_id}/resolve", response={200: ConflictOut, **ERRORS})
def resolve_conflict(request: HttpRequest, slug: str, conflict_id: int, body: ResolveIn) -> Any:
    from intacct_bridge.sync.creates import CreateRefused
    from intacct_bridge.sync.creates import resolve_conflict as resolve
    from intacct_bridge.sync.models import Conflict

    ws = workspace_for(request, slug, write=True, admin=True)
    conflict = Conflict.objects.filter(workspace=ws, pk=conflict_id, resolved_at__isnull=True).first()
    if conflict is None:
        raise not_found("No such open conflict")
    try:
        resolve(conflict, body.keep, _by(request))
    except CreateRefused as exc:
        raise ApiError(_CREATE_STATUS[exc.code], exc.code, exc.message) from None
    return _conflict_out(conflict)


@router.get("{family}/intacct", response={200: RemotePageOut, **ERRORS})
def list_remote(
    request: HttpRequest, slug: str, family: str, search: str = "", page: int = 1, per_page: int = 25
) -> Any:
    ws = workspace_for(request, slug)
    fam = _family(family)
    with _intacct_errors():
        return service.candidates(
            ws, fam.name, search, page=max(1, page), per_page=max(1, min(per_page, 200))
        )


@router.post("{family}/import", response={200: RunOut, 202: RunOut, **ERRORS})
def import_records(request: HttpRequest, slug: str, family: str, body: ImportIn, wait: bool = False) -> Any:
    ws = workspace_for(request, slug, write=True, admin=True)
    fam = _writable(family)
    if not fam.pulls_for(ws):
        raise ApiError(
            405, "push_only", f"{fam.spec.label} go from the app to Sage Intacct; nothing to import."
        )
    if not body.all and not body.ids:
        raise ApiError(422, "invalid", "ids: give the RECORDNOs to import, or all: true")
    ids = None if body.all else body.ids
    options: dict[str, Any] = {"assign_department": body.assign_department}
    if body.profile:
        from intacct_bridge.workspaces.models import Profile

        if body.profile not in Profile.values:
            raise ApiError(422, "invalid", f"profile: one of {', '.join(Profile.values)}")
        options["profile"] = body.profile
    by = _by(request)
    from intacct_bridge.jobs.tasks import queue_import

    run = _queue_or_wait(
        ws,
        lambda: service.import_records(ws, fam.name, ids, options=options, by=by),
        lambda: queue_import(ws, fam.name, ids, options, by),
        wait,
    )
    return Status(200 if wait else 202, run.to_dict())


def _local(ws: Workspace, fam: Family, local_id: int) -> Any:
    obj = fam.model.objects.filter(workspace=ws, pk=local_id).first()
    if obj is None:
        raise not_found(f"No such {fam.spec.label.lower().rstrip('s')}")
    return obj


@router.get("{family}/{local_id}/suggestions", response={200: list[RemoteOut], **ERRORS})
def suggestions(request: HttpRequest, slug: str, family: str, local_id: int) -> Any:
    ws = workspace_for(request, slug)
    fam = _family(family)
    with _intacct_errors():
        return service.suggestions(ws, fam.name, _local(ws, fam, local_id))


@router.post("{family}/{local_id}/link", response={200: RecordOut, **ERRORS})
def link(request: HttpRequest, slug: str, family: str, local_id: int, body: LinkIn) -> Any:
    ws = workspace_for(request, slug, write=True, admin=True)
    fam = _writable(family)
    obj = _local(ws, fam, local_id)
    try:
        service.link(ws, fam.name, obj, body.intacct_recordno, by=_by(request))
    except service.LinkRefused as exc:
        raise ApiError(409, "link_refused", exc.message) from None
    except service.Busy as exc:
        raise ApiError(409, "busy", str(exc)) from None
    obj.refresh_from_db()
    from intacct_bridge.sync.models import Link

    return service.record_dict(
        fam, obj, Link.objects.filter(workspace=ws, family=fam.name, local_id=obj.pk).first()
    )


@router.post("{family}/{local_id}/unlink", response={200: RecordOut, **ERRORS})
def unlink(request: HttpRequest, slug: str, family: str, local_id: int) -> Any:
    ws = workspace_for(request, slug, write=True, admin=True)
    fam = _writable(family)
    obj = _local(ws, fam, local_id)
    service.unlink(ws, fam.name, obj.pk)
    from intacct_bridge.sync.models import Link

    return service.record_dict(
        fam, obj, Link.objects.filter(workspace=ws, family=fam.name, local_id=obj.pk).first()
    )
