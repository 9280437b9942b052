"""The core families' pages: lists with Import modals, profiles with the Sage Intacct section
(link / unlink / re-link), create and edit forms for two-way families. The link and unlink actions
serve every family's pages (``page=False``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from intacct_bridge.jobs.queueing import QueueUnavailable
from intacct_bridge.jobs.tasks import queue_import
from intacct_bridge.sync import service
from intacct_bridge.sync.creates import (
    CreateRefused,
    creatable_fields,
    create_record,
    editable_fields,
    update_record,
)
from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import Conflict, Link, LinkState, PendingPush, Run
from intacct_bridge.sync.registry import get_family
from intacct_bridge.sync.remedies import remedy_for
from intacct_bridge.sync.runs import error_fields
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


def _family(name: str, page: bool = True) -> Family[Any]:
    """A family these generic record pages serve; the family apps' documents, projects and time have
    pages of their own (a generic "New task" could not even choose the task's project), which still
    post to the link/unlink actions here (``page=False``)."""
    if page and name not in PAGES:
        raise Http404("No such page")
    try:
        return get_family(name)
    except LookupError:
        raise Http404("No such family") from None


def _writable(name: str, page: bool = True) -> Family[Any]:
    """The family for a view that changes records or links; Intacct-owned families refuse."""
    fam = _family(name, page)
    if fam.read_only:
        raise PermissionDenied(f"{fam.spec.label} is read-only here; change it in Sage Intacct.")
    return fam


def by_user(request: HttpRequest) -> str:
    return request.user.get_username()


def _ctx(fam: Family[Any], **extra: Any) -> dict[str, Any]:
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
            f"records/{fam.name}_list.html",
            _ctx(fam, rows=rows, page=page, search=search, intacct_url=INTACCT_LOGIN_URL),
        )
    if fam.name == "departments":
        names = dict(fam.model._default_manager.filter(workspace=ws).values_list("pk", "name"))
        for row in rows:
            row["parent_name"] = names.get(row["fields"].get("parent"), "")
    return render(
        request,
        "records/family_list.html",
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


def _form_fields(fam: Family[Any], request: HttpRequest, edit: bool = False) -> dict[str, Any]:
    """The creatable (or, editing, editable) fields from a posted form: checkboxes for booleans,
    trimmed text otherwise."""
    from django.db import models as djm


    values: dict[str, Any] = {}
    for name in editable_fields(fam) if edit else creatable_fields(fam):
        if isinstance(fam.model._meta.get_field(name), djm.BooleanField):
            values[name] = request.POST.get(name) == "on"
        else:
            values[name] = request.POST.get(name, "").strip()
    return values


def _form_rows(fam: Family[Any], values: dict[str, Any], edit: bool = False) -> list[dict[str, Any]]:
    from django.db import models as djm


    rows = []
    for name in editable_fields(fam) if edit else creatable_fields(fam):
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
        "records/record_form.html",
        _ctx(fam, rows=_form_rows(fam, values), error=error, action="new", obj=None),
        status=422 if error else 200,
    )


@workspace_view(admin=True)
def edit_record(request: HttpRequest, slug: str, family: str, local_id: int) -> HttpResponse:
    fam = _writable(family)
    ws = request.workspace  # type: ignore[attr-defined]
    if not editable_fields(fam):
        raise PermissionDenied(f"{fam.spec.label} come from Sage Intacct; change them there.")
    obj = fam.model._default_manager.filter(workspace=ws, pk=local_id).first()
    if obj is None:
        raise Http404("Not found")
    values = {row: getattr(obj, row) for row in (r["name"] for r in _form_rows(fam, {}, edit=True))}
    error = ""
    if request.method == "POST":
        values = _form_fields(fam, request, edit=True)
        try:
            update_record(ws, fam.name, obj, values)
        except CreateRefused as exc:
            error = exc.message
        else:
            messages.success(
                request,
                "Saved; the change reaches Sage Intacct with the next sync."
                if fam.spec.pushes
                else "Saved in the app; syncs keep it while Sage Intacct has no value of its own.",
            )
            return redirect("sync:profile", slug=slug, family=fam.name, local_id=obj.pk)
    return render(
        request,
        "records/record_form.html",
        _ctx(fam, rows=_form_rows(fam, values, edit=True), error=error, action="edit", obj=obj),
        status=422 if error else 200,
    )


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
    return render(request, "records/_picker.html", _ctx(fam, data=data, search=search, error=error))


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

    try:
        run = queue_import(ws, fam.name, None if take_all else ids, options, by_user(request))
    except QueueUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("sync:family", slug=slug, family=fam.name)
    messages.success(
        request, f"Importing {'all' if take_all else len(ids)} {NOUN.get(fam.name, 'record')}(s)…"
    )
    return redirect(f"{run_url(slug, run)}")


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
        "records/profile.html",
        _ctx(
            fam,
            obj=obj,
            link=link,
            record=service.record_dict(fam, obj, link),
            references=references,
            suggestions=suggestions,
            suggestion_error=suggestion_error,
            pending=PendingPush.objects.filter(workspace=ws, family=fam.name, local_id=obj.pk).first(),
            conflicts=_open_conflicts(ws, fam, obj.pk),
            # read-only families offer no link/unlink, not even to admins
            is_admin=request.membership.is_admin and not fam.read_only,  # type: ignore[attr-defined]
            intacct_url=INTACCT_LOGIN_URL,
        ),
    )


def _open_conflicts(ws: Any, fam: Family[Any], local_id: int) -> list[dict[str, Any]]:
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
        service.link(ws, fam.name, obj, recordno, by=by_user(request))
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


def run_url(slug: str, run: Run) -> str:
    return reverse("sync:run", kwargs={"slug": slug, "run_id": run.pk})
