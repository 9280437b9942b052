"""The operator endpoints at the web root (no sign-in; restricted at the proxy, or by the optional
metrics token) and the staff-only instance overview."""

from __future__ import annotations

import hmac
from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from intacct_bridge.ops import config, metrics
from intacct_bridge.sync.models import Run, RunStatus
from intacct_bridge.workspaces.models import Workspace

PAGE_SIZE = 50
FAILED = [RunStatus.FAILED, RunStatus.INTERRUPTED]


@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    token = config.metrics_token()
    if token:
        sent = request.headers.get("Authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            response = JsonResponse(
                {"error": "unauthorized", "message": "/metrics wants 'Authorization: Bearer <token>'."},
                status=401,
            )
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    return HttpResponse(metrics.render(), content_type=CONTENT_TYPE_LATEST)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive and answering (no dependency is asked: that is /readyz)."""
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_queue() -> None:
    from huey.contrib.djhuey import HUEY

    HUEY.pending_count()  # a round trip to the queue's storage (Redis or the SQLite file)


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: the database and the queue answer. 503 names what is down."""
    checks: dict[str, str] = {}
    for name, check in (("database", _check_database), ("queue", _check_queue)):
        try:
            check()
            checks[name] = "ok"
        except Exception as exc:
            # the exception's class and text: drivers name host and port, never the password
            checks[name] = f"{type(exc).__name__}: {str(exc).strip()[:300]}"
    down = [name for name, state in checks.items() if state != "ok"]
    if down:
        return JsonResponse({"status": "unavailable", "down": down, "checks": checks}, status=503)
    return JsonResponse({"status": "ready", "checks": checks})


STATES = {
    "": "All",
    "failing": "Failing",
    "paused": "Paused",
    "running": "Running",
    "ok": "Healthy",
    "unconnected": "Not connected",
}


def overview_rows(query: str = "", state: str = "") -> QuerySet[Workspace]:
    """Workspaces with what an operator scans for, annotated in one query per page."""
    week_ago = timezone.now() - timedelta(days=7)
    last = Run.objects.filter(workspace=OuterRef("pk"), finished_at__isnull=False).order_by("-finished_at")
    active = Run.objects.filter(workspace=OuterRef("pk"), status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
    rows = (
        Workspace.objects.select_related("connection", "sync_schedule")
        .annotate(
            last_run_id=Subquery(last.values("id")[:1]),
            last_status=Subquery(last.values("status")[:1]),
            # never NULL, so that excluding the failing ones keeps the workspaces never run
            last_state=Coalesce(Subquery(last.values("status")[:1]), Value("")),
            failures_in_a_row=Coalesce("sync_schedule__consecutive_failures", 0),
            last_finished=Subquery(last.values("finished_at")[:1]),
            active_status=Subquery(active.order_by("status").values("status")[:1]),
            failures_7d=Count(
                "sync_runs", filter=Q(sync_runs__status__in=FAILED, sync_runs__queued_at__gte=week_ago)
            ),
        )
        .order_by("name", "id")
    )
    if query:
        rows = rows.filter(
            Q(name__icontains=query) | Q(slug__icontains=query) | Q(connection__company_id__icontains=query)
        )
    failing = Q(failures_in_a_row__gt=0) | Q(last_state__in=FAILED)
    if state == "failing":
        rows = rows.filter(failing)
    elif state == "paused":
        rows = rows.filter(connection__paused=True)
    elif state == "running":
        rows = rows.filter(active_status__isnull=False)
    elif state == "unconnected":
        rows = rows.filter(connection__isnull=True)
    elif state == "ok":
        rows = rows.filter(connection__isnull=False, connection__paused=False).exclude(failing)
    return rows


def status_of(ws: Any) -> tuple[str, str]:
    """(css class, words) of a workspace row."""
    conn = ws.connection_or_none
    if conn is None:
        return "muted", "Not connected"
    if conn.paused:
        return "bad", "Paused"
    schedule = getattr(ws, "sync_schedule", None)
    failures = schedule.consecutive_failures if schedule is not None else 0
    if failures or ws.last_status in FAILED:
        return "bad", f"Failing ({failures} in a row)" if failures else "Last run failed"
    if ws.active_status == RunStatus.RUNNING:
        return "ok", "Running"
    if ws.active_status == RunStatus.QUEUED:
        return "ok", "Queued"
    return "ok", "Healthy"


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        return render(
            request, "ops/forbidden.html", {"message": "The instance overview is for staff."}, status=403
        )
    query = request.GET.get("q", "").strip()[:100]
    state = request.GET.get("state", "")
    if state not in STATES:
        state = ""
    rows = overview_rows(query, state)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = []
    for ws in page.object_list:
        css, words = status_of(ws)
        schedule = getattr(ws, "sync_schedule", None)
        items.append({"ws": ws, "css": css, "status": words, "schedule": schedule})
    totals = {
        "workspaces": Workspace.objects.count(),
        "paused": Workspace.objects.filter(connection__paused=True).count(),
        "queued": Run.objects.filter(status=RunStatus.QUEUED).count(),
        "running": Run.objects.filter(status=RunStatus.RUNNING).count(),
    }
    return render(
        request,
        "ops/overview.html",
        {"page": page, "items": items, "q": query, "state": state, "states": STATES, "totals": totals},
    )
