"""JSON API of every family's records, mounted under /api/v1/workspaces/{slug}/ by
intacct_bridge.api, after the family apps' own routes (which answer for their families first).

GET  {family}/records              local records with their link state
POST {family}/records              {"fields": {...}} create (two-way families); Idempotency-Key honoured
PATCH {family}/records/{id}        {"fields": {...}} change (two-way families); pushed by the next sync
GET  {family}/intacct              Intacct records not linked yet (?search=&page=)
POST {family}/import               {"ids": [RECORDNO...]} or {"all": true}, options
GET  {family}/{id}/suggestions     likely Intacct matches for a local record
POST {family}/{id}/link            {"intacct_recordno": N}
POST {family}/{id}/unlink
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from intacct_bridge.api.auth import workspace_for
from intacct_bridge.api.errors import ApiError, not_found
from intacct_bridge.api.families import (
    CREATE_STATUS,
    ERRORS,
    actor_name,
    family_or_404,
    intacct_errors,
    run_or_queue,
    writable_family,
)
from intacct_bridge.api.schemas import RunOut
from intacct_bridge.jobs.tasks import queue_import
from intacct_bridge.records.schemas import ImportIn, LinkIn, RecordIn, RecordOut, RemoteOut, RemotePageOut
from intacct_bridge.sync import service
from intacct_bridge.sync.creates import CreateRefused
from intacct_bridge.sync.creates import create_record as create
from intacct_bridge.sync.creates import update_record as update
from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import Link
from intacct_bridge.workspaces.models import Profile, Workspace

router = Router(tags=["sync"])


@router.get("{family}/records", response={200: list[RecordOut], **ERRORS})
def list_records(request: HttpRequest, slug: str, family: str) -> Any:
    ws = workspace_for(request, slug)
    return service.local_records(ws, family_or_404(family).name)


@router.post("{family}/records", response={200: RecordOut, 201: RecordOut, **ERRORS})
def create_record(request: HttpRequest, slug: str, family: str, body: RecordIn) -> Any:
    """A record created by a host product; it reaches Intacct with the next sync. The same
    ``Idempotency-Key`` header answers with the first record (200) instead of creating another."""
    ws = workspace_for(request, slug, write=True)
    fam = family_or_404(family)
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 200:
        raise ApiError(422, "invalid", "Idempotency-Key: at most 200 characters")
    try:
        obj, created = create(ws, fam.name, body.fields, key=key)
    except CreateRefused as exc:
        raise ApiError(CREATE_STATUS[exc.code], exc.code, exc.message) from None

    link = Link.objects.filter(workspace=ws, family=fam.name, local_id=obj.pk).first()
    return Status(201 if created else 200, service.record_dict(fam, obj, link))


@router.patch("{family}/records/{local_id}", response={200: RecordOut, **ERRORS})
def update_record(request: HttpRequest, slug: str, family: str, local_id: int, body: RecordIn) -> Any:
    ws = workspace_for(request, slug, write=True)
    fam = family_or_404(family)
    obj = _local(ws, fam, local_id)
    try:
        update(ws, fam.name, obj, body.fields)
    except CreateRefused as exc:
        raise ApiError(CREATE_STATUS[exc.code], exc.code, exc.message) from None
    link = Link.objects.filter(workspace=ws, family=fam.name, local_id=obj.pk).first()
    return service.record_dict(fam, obj, link)


@router.get("{family}/intacct", response={200: RemotePageOut, **ERRORS})
def list_remote(
    request: HttpRequest, slug: str, family: str, search: str = "", page: int = 1, per_page: int = 25
) -> Any:
    ws = workspace_for(request, slug)
    fam = family_or_404(family)
    with intacct_errors():
        return service.candidates(
            ws, fam.name, search, page=max(1, page), per_page=max(1, min(per_page, 200))
        )


@router.post("{family}/import", response={200: RunOut, 202: RunOut, **ERRORS})
def import_records(request: HttpRequest, slug: str, family: str, body: ImportIn, wait: bool = False) -> Any:
    ws = workspace_for(request, slug, write=True, admin=True)
    fam = writable_family(family)
    if not fam.pulls_for(ws):
        raise ApiError(
            405, "push_only", f"{fam.spec.label} go from the app to Sage Intacct; nothing to import."
        )
    if not body.all and not body.ids:
        raise ApiError(422, "invalid", "ids: give the RECORDNOs to import, or all: true")
    ids = None if body.all else body.ids
    options: dict[str, Any] = {"assign_department": body.assign_department}
    if body.profile:
        if body.profile not in Profile.values:
            raise ApiError(422, "invalid", f"profile: one of {', '.join(Profile.values)}")
        options["profile"] = body.profile
    by = actor_name(request)

    run = run_or_queue(
        ws,
        lambda: service.import_records(ws, fam.name, ids, options=options, by=by),
        lambda: queue_import(ws, fam.name, ids, options, by),
        wait,
    )
    return Status(200 if wait else 202, run.to_dict())


def _local(ws: Workspace, fam: Family[Any], local_id: int) -> Any:
    obj = fam.model._default_manager.filter(workspace=ws, pk=local_id).first()
    if obj is None:
        raise not_found(f"No such {fam.spec.label.lower().rstrip('s')}")
    return obj


@router.get("{family}/{local_id}/suggestions", response={200: list[RemoteOut], **ERRORS})
def suggestions(request: HttpRequest, slug: str, family: str, local_id: int) -> Any:
    ws = workspace_for(request, slug)
    fam = family_or_404(family)
    with intacct_errors():
        return service.suggestions(ws, fam.name, _local(ws, fam, local_id))


@router.post("{family}/{local_id}/link", response={200: RecordOut, **ERRORS})
def link(request: HttpRequest, slug: str, family: str, local_id: int, body: LinkIn) -> Any:
    ws = workspace_for(request, slug, write=True, admin=True)
    fam = writable_family(family)
    obj = _local(ws, fam, local_id)
    try:
        service.link(ws, fam.name, obj, body.intacct_recordno, by=actor_name(request))
    except service.LinkRefused as exc:
        raise ApiError(409, "link_refused", exc.message) from None
    except service.Busy as exc:
        raise ApiError(409, "busy", str(exc)) from None
    obj.refresh_from_db()

    return service.record_dict(
        fam, obj, Link.objects.filter(workspace=ws, family=fam.name, local_id=obj.pk).first()
    )


@router.post("{family}/{local_id}/unlink", response={200: RecordOut, **ERRORS})
def unlink(request: HttpRequest, slug: str, family: str, local_id: int) -> Any:
    ws = workspace_for(request, slug, write=True, admin=True)
    fam = writable_family(family)
    obj = _local(ws, fam, local_id)
    service.unlink(ws, fam.name, obj.pk)

    return service.record_dict(
        fam, obj, Link.objects.filter(workspace=ws, family=fam.name, local_id=obj.pk).first()
    )

