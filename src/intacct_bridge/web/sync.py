"""Workspace pages of the sync families: lists with Import modals, profiles with the Sage Intacct
section (link / unlink / re-link), Sync now with progress, run history with issues and retry."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from intacct_bridge.jobs.tasks import next_due, queue_import, queue_sync, schedule_for
from intacct_bridge.sync import service
from intacct_bridge.sync.creates import CreateRefused, creatable_fields, create_record, update_record
from intacct_bridge.sync.creates import resolve_conflict as resolve
from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import Conflict, Frequency, Link, LinkState, Run, RunIssue
from intacct_bridge.sync.registry import get_family
from intacct_bridge.sync.remedies import remedy_for
from intacct_bridge.sync.runs import error_fields
from intacct_bridge.web.chart import run_chart
from intacct_bridge.workspaces.access import workspace_view
from intacct_bridge.workspaces.models import Profile

PAGES = {
    "clients": "Clients",
    "departments": "Departments",
    "people": "People",
    "accounts": "Chart of accounts",
    "vendors": "Vendors",
}
NOUN = {
    "clients": "client",
    "departments": "department",
    "people": "team member",
    "accounts": "account",
    "vendors": "vendor",
}
REMOTE_NOUN = {
    "clients": "customer",
    "departments": "department",
    "people": "employee",
    "accounts": "GL account",
    "vendors": "vendor",
}
# where a read-only family's records are edited: the Intacct company's sign-in page
INTACCT_LOGIN_URL = "https://www.intacct.com/ia/acct/login.phtml"


def _family(name: str, page: bool = True) -> Family:
    """A family these generic record pages serve; the family apps' documents, projects and time have
    pages of their own (a generic "New task" could not even choose the task's project), which still
    post to the link/unlink actions here (``page=False``)."""
    if page and name not in PAGES:
        raise Http404("No such page")
    try:
        return get_family(name)
    except LookupError:
        raise Http404("No such family") from None


def _writable(name: str, page: bool = True) -> Family:
    """The family for a view that changes records or links; Intacct-owned families refuse."""
    fam = _family(name, page)
    if fam.read_only:
        raise PermissionDenied(f"{fam.spec.label} is read-only here; change it in Sage Intacct.")
    return fam


def _by(request: HttpRequest) -> str:
    return request.user.get_username()


def _ctx(fam: Family, **extra: Any) -> dict[str, Any]:
    return {
        "fam": fam,
        "family": fam.name,
        "page_title": PAGES.get(fam.name, fam.spec.label),
        "noun": NOUN.get(fam.name, "record"),
        "remote_noun": REMOTE_NOUN.get(fam.name, fam.spec.intacct_object.lower()),
        **extra,
    }


@workspace_view()
def family_list(request: HttpRequest, slug: str, family: str) -> HttpResponse:
    fam = _family(family)
    ws = request.workspace  # type: ignore[attr-defined]
    search = request.GET.get("q", "").strip()
    objects = service.search_locals(ws, fam.name, search).order_by("pk")
    page = Paginator(objects, 50).get_page(request.GET.get("page"))
    links = service_links(ws, fam.name, [o.pk for o in page])
    rows = [service.record_dict(fam, o, links.get(o.pk)) | {"obj": o} for o in page]
    if fam.read_only:
        return render(
            request,
            f"sync/{fam.name}_list.html",
            _ctx(fam, rows=rows, page=page, search=search, intacct_url=INTACCT_LOGIN_URL),
        )
    if fam.name == "departments":
        names = dict(fam.model._default_manager.filter(workspace=ws).values_list("pk", "name"))
        for row in rows:
            row["parent_name"] = names.get(row["fields"].get("parent"), "")
    return render(
        request,
        "sync/family_list.html",
        _ctx(
            fam,
            rows=rows,
            page=page,
            search=search,
            profiles=Profile.choices,
            active=service.active_run(ws),
            is_admin=request.membership.is_admin,  # type: ignore[attr-defined]
        ),
    )


def service_links(ws: Any, family: str, ids: list[int]) -> dict[int, Link]:
    return {ln.local_id: ln for ln in Link.objects.filter(workspace=ws, family=family, local_id__in=ids)}


def _form_fields(fam: Family, request: HttpRequest) -> dict[str, Any]:
    """The creatable fields from a posted form: checkboxes for booleans, trimmed text otherwise."""
    from django.db import models as djm


    values: dict[str, Any] = {}
    for name in creatable_fields(fam):
        if isinstance(fam.model._meta.get_field(name), djm.BooleanField):
            values[name] = request.POST.get(name) == "on"
        else:
            values[name] = request.POST.get(name, "").strip()
    return values


def _form_rows(fam: Family, values: dict[str, Any]) -> list[dict[str, Any]]:
    from django.db import models as djm


    rows = []
    for name in creatable_fields(fam):
        field = fam.model._meta.get_field(name)
        rows.append(
            {
                "name": name,
                "label": str(getattr(field, "verbose_name", name)).capitalize(),
                "checkbox": isinstance(field, djm.BooleanField),
                "value": values.get(name, getattr(field, "default", "")),
            }
        )
    return rows


@workspace_view(admin=True)
def new_record(request: HttpRequest, slug: str, family: str) -> HttpResponse:
    """Create a record of a two-way family in the app; the next sync creates it in Intacct."""
    fam = _writable(family)
    ws = request.workspace  # type: ignore[attr-defined]
    if not fam.spec.pushes:
        raise PermissionDenied(f"{fam.spec.label} come from Sage Intacct; create them there.")
    values: dict[str, Any] = {}
    error = ""
    if request.method == "POST":
        values = _form_fields(fam, request)
        try:
            obj, _ = create_record(ws, fam.name, values)
        except CreateRefused as exc:
            error = exc.message
        else:
            messages.success(request, "Created; it reaches Sage Intacct with the next sync.")
            return redirect("sync:profile", slug=slug, family=fam.name, local_id=obj.pk)
    return render(
        request,
        "sync/record_form.html",
        _ctx(fam, rows=_form_rows(fam, values), error=error, action="new", obj=None),
        status=422 if error else 200,
    )


@workspace_view(admin=True)
def edit_record(request: HttpRequest, slug: str, family: str, local_id: int) -> HttpResponse:
    fam = _writable(family)
    ws = request.workspace  # type: ignore[attr-defined]
    if not fam.spec.pushes:
        raise PermissionDenied(f"{fam.spec.label} come from Sage Intacct; change them there.")
    obj = fam.model._default_manager.filter(workspace=ws, pk=local_id).first()
    if obj is None:
        raise Http404("Not found")
    values = {row: getattr(obj, row) for row in (r["name"] for r in _form_rows(fam, {}))}
    error = ""
    if request.method == "POST":
        values = _form_fields(fam, request)
        try:
            update_record(ws, fam.name, obj, values)
        except CreateRefused as exc:
            error = exc.message
        else:
            messages.success(request, "Saved; the change reaches Sage Intacct with the next sync.")
            return redirect("sync:profile", slug=slug, family=fam.name, local_id=obj.pk)
    return render(
        request,
        "sync/record_form.html",
        _ctx(fam, rows=_form_rows(fam, values), error=error, action="edit", obj=obj),
        status=422 if error else 200,
    )


@require_POST
@workspace_view(admin=True)
def resolve_conflict(request: HttpRequest, slug: str, conflict_id: int) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    conflict = Conflict.objects.filter(workspace=ws, pk=conflict_id, resolved_at__isnull=True).first()
    if conflict is None:
        raise Http404("No such open conflict")
    try:
        resolve(conflict, request.POST.get("keep", ""), _by(request))
        messages.success(request, "Conflict resolved; the next sync brings both sides to that version.")
    except CreateRefused as exc:
        messages.error(request, exc.message)
    return redirect("sync:profile", slug=slug, family=conflict.family, local_id=conflict.local_id)


@workspace_view()
def remote_picker(request: HttpRequest, slug: str, family: str) -> HttpResponse:
    """The Import modal's body: a searchable, paged list of Intacct records not linked yet."""
    fam = _family(family)
    ws = request.workspace  # type: ignore[attr-defined]
    search = request.GET.get("q", "")
    try:
        page_no = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_no = 1
    error = ""
    try:
        data = service.candidates(ws, fam.name, search, page=page_no, per_page=20)
    except Exception as exc:  # shown in the modal: the connection is broken or the role lacks access

        errorno, text, _ = error_fields(exc)
        error = f"{text} — {remedy_for(errorno, text).fix}"
        data = {"results": [], "page": page_no, "has_next": False}
    return render(request, "sync/_picker.html", _ctx(fam, data=data, search=search, error=error))


@require_POST
@workspace_view(admin=True)
def import_selected(request: HttpRequest, slug: str, family: str) -> HttpResponse:
    fam = _writable(family)
    ws = request.workspace  # type: ignore[attr-defined]
    take_all = request.POST.get("all") == "1"
    try:
        ids = [int(x) for x in request.POST.getlist("ids")]
    except ValueError:
        ids = []
    if not take_all and not ids:
        messages.error(request, "Select at least one record to import.")
        return redirect("sync:family", slug=slug, family=fam.name)
    options: dict[str, Any] = {"assign_department": request.POST.get("assign_department") == "on"}
    profile = request.POST.get("profile", "")
    if profile in Profile.values:
        options["profile"] = profile

    run = queue_import(ws, fam.name, None if take_all else ids, options, _by(request))
    messages.success(
        request, f"Importing {'all' if take_all else len(ids)} {NOUN.get(fam.name, 'record')}(s)…"
    )
    return redirect(f"{_run_url(slug, run)}")


def _run_url(slug: str, run: Run) -> str:
    from django.urls import reverse

    return reverse("sync:run", kwargs={"slug": slug, "run_id": run.pk})


@workspace_view()
def profile(request: HttpRequest, slug: str, family: str, local_id: int) -> HttpResponse:
    fam = _family(family)
    ws = request.workspace  # type: ignore[attr-defined]
    obj = fam.model._default_manager.filter(workspace=ws, pk=local_id).first()
    if obj is None:
        raise Http404("Not found")
    link = Link.objects.filter(workspace=ws, family=fam.name, local_id=obj.pk).first()
    # references (a department's parent, a person's department) by name, not by id
    references = {}
    for f in fam.spec.fields:
        if f.reference:
            target = getattr(obj, f.app, None)
            references[f.app] = str(target) if target is not None else ""
    suggestions: list[dict[str, Any]] = []
    suggestion_error = ""
    if not fam.read_only and (link is None or link.state != LinkState.LINKED):
        try:
            suggestions = service.suggestions(ws, fam.name, obj)
        except Exception as exc:  # the page still shows; the dropdown explains
            suggestion_error = str(exc)
    return render(
        request,
        "sync/profile.html",
        _ctx(
            fam,
            obj=obj,
            link=link,
            record=service.record_dict(fam, obj, link),
            references=references,
            suggestions=suggestions,
            suggestion_error=suggestion_error,
            conflicts=_open_conflicts(ws, fam, obj.pk),
            # read-only families offer no link/unlink, not even to admins
            is_admin=request.membership.is_admin and not fam.read_only,  # type: ignore[attr-defined]
            intacct_url=INTACCT_LOGIN_URL,
        ),
    )


def _open_conflicts(ws: Any, fam: Family, local_id: int) -> list[dict[str, Any]]:
    """Unreviewed conflicts of one record, each as rows of (field, app value, Intacct value)."""
    out = []
    open_ = Conflict.objects.filter(workspace=ws, family=fam.name, local_id=local_id)
    for c in open_.filter(resolved_at__isnull=True):
        names = [n for n in fam.spec.app_fields if n in c.app_values or n in c.intacct_values]
        rows = [
            {
                "field": n,
                "app": c.app_values.get(n),
                "intacct": c.intacct_values.get(n),
                "differs": c.app_values.get(n) != c.intacct_values.get(n),
            }
            for n in names
        ]
        out.append({"conflict": c, "rows": rows})
    return out


@require_POST
@workspace_view(admin=True)
def link_view(request: HttpRequest, slug: str, family: str, local_id: int) -> HttpResponse:
    fam = _writable(family, page=False)
    ws = request.workspace  # type: ignore[attr-defined]
    obj = fam.model._default_manager.filter(workspace=ws, pk=local_id).first()
    if obj is None:
        raise Http404("Not found")
    try:
        recordno = int(request.POST.get("intacct_recordno", ""))
    except ValueError:
        messages.error(request, f"Choose a Sage Intacct {REMOTE_NOUN.get(fam.name, 'record')} first.")
        return redirect("sync:profile", slug=slug, family=fam.name, local_id=obj.pk)
    try:
        service.link(ws, fam.name, obj, recordno, by=_by(request))
        messages.success(request, f"Linked to the Sage Intacct {REMOTE_NOUN.get(fam.name, 'record')}.")
    except service.LinkRefused as exc:
        messages.error(request, exc.message)
    except service.Busy as exc:
        messages.error(request, f"{exc} Try again in a minute.")
    return redirect("sync:profile", slug=slug, family=fam.name, local_id=obj.pk)


@require_POST
@workspace_view(admin=True)
def unlink_view(request: HttpRequest, slug: str, family: str, local_id: int) -> HttpResponse:
    fam = _writable(family, page=False)
    ws = request.workspace  # type: ignore[attr-defined]
    if service.unlink(ws, fam.name, local_id):
        messages.success(request, "Unlinked. The record stays here and can be linked again.")
    return redirect("sync:profile", slug=slug, family=fam.name, local_id=local_id)


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

    run = queue_sync(ws, family, _by(request))
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(run.to_dict(), status=202)
    return redirect(_run_url(slug, run))


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
    return redirect(_run_url(slug, issue.run))


@require_POST
@workspace_view(admin=True)
def retry(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    run = Run.objects.filter(workspace=ws, pk=run_id).first()
    if run is None:
        raise Http404("No such run")
    try:
        new = service.retry_failed(run, by=_by(request), only_fixed=request.POST.get("only_fixed") == "1")
    except service.Busy as exc:
        messages.error(request, f"{exc} Try again in a minute.")
        return redirect(_run_url(slug, run))
    messages.success(request, f"Retried the failed records: {new.get_status_display().lower()}.")
    return redirect(_run_url(slug, new))
