"""Workspace endpoints: the workspace, its connection, the setup checklist and Test connection."""

import zoneinfo

from django.db import transaction
from django.http import HttpRequest
from django.views.decorators.debug import sensitive_variables
from ninja import Router

from intacct_bridge.api.auth import ADMIN_AUTH, actor, workspace_for
from intacct_bridge.api.errors import ApiError
from intacct_bridge.api.schemas import (
    ChecklistStepOut,
    ConnectionIn,
    ConnectionOut,
    ConnectionTestOut,
    ErrorOut,
    PermissionOut,
    SetupOut,
    WorkspaceOut,
    WorkspacePatch,
)
from intacct_bridge.workspaces import checklist, health
from intacct_bridge.workspaces.access import workspaces_of
from intacct_bridge.workspaces.connection import ChangeRefused, check_change, sender_id
from intacct_bridge.workspaces.models import DEFAULT_ENDPOINT, ApiToken, Connection, ConnectionTest, Workspace
from intacct_bridge.workspaces.permissions import ALL_FAMILIES, needs_for
from intacct_bridge.workspaces.setup_check import run_test_connection

router = Router(tags=["workspaces"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def workspace_out(ws: Workspace) -> WorkspaceOut:
    conn = ws.connection_or_none
    health.enforce_endpoint(conn)
    return WorkspaceOut(
        slug=ws.slug,
        name=ws.name,
        families=list(ws.families),
        timezone=ws.timezone,
        connected=conn is not None,
        paused=bool(conn and conn.paused),
        bring_in_references=ws.bring_in_references,
    )


def connection_out(conn: Connection) -> ConnectionOut:
    health.enforce_endpoint(conn)
    return ConnectionOut(
        company_id=conn.company_id,
        user_id=conn.user_id,
        entity_id=conn.entity_id,
        endpoint=conn.endpoint,
        connected_at=conn.connected_at,
        paused=conn.paused,
        pause_step=conn.pause_step,
        pause_title=conn.pause_title,
        pause_message=conn.pause_message,
        password_set=bool(conn.encrypted_password),
    )


def test_out(test: ConnectionTest) -> ConnectionTestOut:
    return ConnectionTestOut(
        id=test.pk,
        ok=test.ok,
        step=test.step,
        title=test.title,
        message=test.message,
        remedy=test.remedy,
        company=test.company,
        entity=test.entity,
        ran_at=test.ran_at,
        who=test.who,
        duration_ms=test.duration_ms,
        probes=test.probes,
        notes=test.notes,
    )


@router.get("/workspaces", response=list[WorkspaceOut])
def list_workspaces(request: HttpRequest) -> list[WorkspaceOut]:
    if isinstance(request.auth, ApiToken):  # type: ignore[attr-defined]
        return [workspace_out(request.auth.workspace)]  # type: ignore[attr-defined]
    return [workspace_out(ws) for ws in workspaces_of(request.user)]


@router.get("/workspaces/{slug}", response={200: WorkspaceOut, **ERRORS})
def get_workspace(request: HttpRequest, slug: str) -> WorkspaceOut:
    return workspace_out(workspace_for(request, slug))


@router.patch("/workspaces/{slug}", response={200: WorkspaceOut, **ERRORS}, auth=ADMIN_AUTH)
def patch_workspace(request: HttpRequest, slug: str, payload: WorkspacePatch) -> WorkspaceOut:
    ws = workspace_for(request, slug, write=True, admin=True)
    if payload.families is not None:
        unknown = sorted(set(payload.families) - set(ALL_FAMILIES))
        if unknown:
            raise ApiError(
                422, "invalid", f"families: unknown {', '.join(unknown)}; known: {', '.join(ALL_FAMILIES)}"
            )
        ws.families = list(dict.fromkeys(payload.families))
    if payload.timezone is not None:
        try:
            zoneinfo.ZoneInfo(payload.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ApiError(422, "invalid", f"timezone: unknown time zone {payload.timezone!r}") from None
        ws.timezone = payload.timezone
    if payload.name is not None:
        ws.name = payload.name
    if payload.bring_in_references is not None:
        ws.bring_in_references = payload.bring_in_references
    ws.save()
    return workspace_out(ws)


@router.get("/workspaces/{slug}/connection", response={200: ConnectionOut, **ERRORS})
def get_connection(request: HttpRequest, slug: str) -> ConnectionOut:
    ws = workspace_for(request, slug)
    conn = ws.connection_or_none
    if conn is None:
        raise ApiError(404, "not_connected", "This workspace has no connection yet")
    return connection_out(conn)


@router.put("/workspaces/{slug}/connection", response={200: ConnectionOut, **ERRORS}, auth=ADMIN_AUTH)
@sensitive_variables("payload")
def put_connection(request: HttpRequest, slug: str, payload: ConnectionIn) -> ConnectionOut:
    ws = workspace_for(request, slug, write=True, admin=True)
    with transaction.atomic():
        conn = Connection.objects.select_for_update().filter(workspace=ws).first()
        endpoint = payload.endpoint or (conn.endpoint if conn else DEFAULT_ENDPOINT)
        try:
            check_change(
                conn,
                company_id=payload.company_id,
                user_id=payload.user_id,
                endpoint=endpoint,
                password_given=bool(payload.password),
            )
        except ChangeRefused as exc:
            raise ApiError(422, exc.code, exc.message) from None
        if conn is None:
            conn = Connection(workspace=ws)
        conn.company_id, conn.user_id, conn.entity_id = payload.company_id, payload.user_id, payload.entity_id
        conn.endpoint = endpoint
        if payload.password:
            conn.set_password(payload.password)
        conn.save()
    return connection_out(conn)


@router.post(
    "/workspaces/{slug}/test-connection", response={200: ConnectionTestOut, **ERRORS}, auth=ADMIN_AUTH
)
def post_test_connection(request: HttpRequest, slug: str) -> ConnectionTestOut:
    ws = workspace_for(request, slug, write=True, admin=True)
    user, via = actor(request)
    return test_out(run_test_connection(ws, user, via=via))


@router.get("/workspaces/{slug}/test-connection", response={200: list[ConnectionTestOut], **ERRORS})
def list_test_connections(request: HttpRequest, slug: str) -> list[ConnectionTestOut]:
    ws = workspace_for(request, slug)
    return [test_out(t) for t in ws.connection_tests.select_related("user")[:50]]


@router.get("/workspaces/{slug}/setup", response={200: SetupOut, **ERRORS})
def get_setup(request: HttpRequest, slug: str) -> SetupOut:
    ws = workspace_for(request, slug)
    sender = sender_id()
    conn = ws.connection_or_none
    steps = checklist.steps(sender, list(ws.families), conn.entity_id if conn else "")
    return SetupOut(
        sender_id=sender,
        families=list(ws.families),
        steps=[ChecklistStepOut(key=s.key, title=s.title, where=s.where, details=s.details) for s in steps],
        permissions=[
            PermissionOut(
                object=n.object, application=n.application, row=n.row, rights=n.rights_words, label=n.label
            )
            for n in needs_for(ws.families)
        ],
    )
