"""The HTML pages. Plain functions, one after another (healthchecks' habit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from intacct_bridge.web.forms import ConnectionForm, FamiliesForm, TokenForm
from intacct_bridge.workspaces import checklist
from intacct_bridge.workspaces.access import workspace_view, workspaces_of
from intacct_bridge.workspaces.connection import sender_id
from intacct_bridge.workspaces.models import (
    DEFAULT_ENDPOINT,
    ApiToken,
    Connection,
    Membership,
    Profile,
    Workspace,
)
from intacct_bridge.workspaces.permissions import FAMILY_LABELS, needs_for
from intacct_bridge.workspaces.setup_check import run_test_connection


def _ws(request: HttpRequest) -> Workspace:
    return request.workspace  # type: ignore[attr-defined,no-any-return]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    workspaces = workspaces_of(request.user)
    if len(workspaces) == 1:
        return redirect("workspace", slug=workspaces[0].slug)
    return render(request, "web/home.html", {"workspaces": workspaces})


@workspace_view()
def workspace_home(request: HttpRequest, slug: str) -> HttpResponse:
    ws = _ws(request)
    return render(
        request,
        "web/workspace.html",
        {
            "ws": ws,
            "conn": ws.connection_or_none,
            "tests": ws.connection_tests.select_related("user")[:10],
            "family_labels": [FAMILY_LABELS.get(f, f) for f in ws.families],
        },
    )


@sensitive_post_parameters("password")
@workspace_view(admin=True)
def connection(request: HttpRequest, slug: str) -> HttpResponse:
    ws = _ws(request)
    conn = ws.connection_or_none
    initial = {"endpoint": DEFAULT_ENDPOINT}
    if conn is not None:
        initial = {
            "company_id": conn.company_id,
            "user_id": conn.user_id,
            "entity_id": conn.entity_id,
            "endpoint": conn.endpoint,
        }
    form = ConnectionForm(request.POST or None, initial=initial, connection=conn)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            conn = Connection.objects.select_for_update().filter(workspace=ws).first() or Connection(
                workspace=ws
            )
            conn.company_id = form.cleaned_data["company_id"].strip()
            conn.user_id = form.cleaned_data["user_id"].strip()
            conn.entity_id = form.cleaned_data["entity_id"].strip()
            conn.endpoint = form.cleaned_data["endpoint"]
            if form.cleaned_data["password"]:
                conn.set_password(form.cleaned_data["password"])
            conn.save()
        messages.success(request, "Credentials saved. Run Test connection to check them.")
        return redirect("connection", slug=ws.slug)
    return render(
        request,
        "web/connection.html",
        {
            "ws": ws,
            "conn": conn,
            "form": form,
            "tests": ws.connection_tests.select_related("user")[:10],
        },
        # a refused form says so in its status too (scripts and tests read it)
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@workspace_view(admin=True)
def test_connection(request: HttpRequest, slug: str) -> HttpResponse:
    ws = _ws(request)
    test = run_test_connection(ws, request.user, via="web")
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {
                "ok": test.ok,
                "step": test.step,
                "title": test.title,
                "message": test.message,
                "remedy": test.remedy,
                "company": test.company,
                "entity": test.entity,
                "ran_at": test.ran_at.isoformat(),
                "who": test.who,
            }
        )
    level = messages.SUCCESS if test.ok else messages.ERROR
    messages.add_message(request, level, f"{test.title}. {test.message}".strip())
    return redirect("connection", slug=ws.slug)


@workspace_view()
def setup(request: HttpRequest, slug: str) -> HttpResponse:
    ws = _ws(request)
    is_admin = request.membership.is_admin  # type: ignore[attr-defined]
    form = FamiliesForm(
        request.POST or None,
        initial={"families": ws.families, "bring_in_references": ws.bring_in_references},
    )
    if request.method == "POST":
        if not is_admin:
            return HttpResponse("Only workspace admins can change the families", status=403)
        if form.is_valid():
            ws.families = list(form.cleaned_data["families"])
            ws.bring_in_references = bool(form.cleaned_data["bring_in_references"])
            ws.save(update_fields=["families", "bring_in_references"])
            messages.success(request, "Families saved; the permissions below follow them.")
            return redirect("setup", slug=ws.slug)
    conn = ws.connection_or_none
    return render(
        request,
        "web/setup.html",
        {
            "ws": ws,
            "sender_id": sender_id(),
            "steps": checklist.steps(sender_id(), list(ws.families), conn.entity_id if conn else ""),
            "role_table": checklist.role_table(list(ws.families)),
            "needs": needs_for(ws.families),
            "form": form,
            "is_admin": is_admin,
        },
        status=422 if request.method == "POST" and form.errors else 200,
    )


@workspace_view(admin=True)
def members(request: HttpRequest, slug: str) -> HttpResponse:
    ws = _ws(request)
    if request.method == "POST":
        membership_id = request.POST.get("membership", "")
        if not membership_id.isdigit():
            return HttpResponse("Which membership?", status=400)
        membership = get_object_or_404(Membership, pk=int(membership_id), workspace=ws)
        profile = request.POST.get("profile", "")
        if profile not in Profile.values:
            return HttpResponse("Unknown profile", status=400)
        admins = Membership.objects.filter(workspace=ws, profile=Profile.ADMIN)
        if membership.is_admin and profile != Profile.ADMIN and admins.count() == 1:
            messages.error(request, "A workspace keeps at least one admin.")
        else:
            membership.profile = profile
            membership.save(update_fields=["profile"])
            messages.success(
                request, f"{membership.user.get_username()} is now {membership.get_profile_display()}."
            )
        return redirect("members", slug=ws.slug)
    return render(
        request,
        "web/members.html",
        {
            "ws": ws,
            "memberships": ws.memberships.select_related("user").order_by("user__username"),
            "profiles": Profile.choices,
        },
    )


@workspace_view(admin=True)
def tokens(request: HttpRequest, slug: str) -> HttpResponse:
    ws = _ws(request)
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = ApiToken.issue(
            ws, write=form.cleaned_data["write"], name=form.cleaned_data["name"], created_by=request.user
        )
        form = TokenForm()
    return render(
        request,
        "web/tokens.html",
        {
            "ws": ws,
            "form": form,
            "new_token": new_token,
            "tokens": ws.api_tokens.order_by("-created_at"),
        },
        status=422 if request.method == "POST" and form.errors else 200,
    )


@require_POST
@workspace_view(admin=True)
def revoke_token(request: HttpRequest, slug: str, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, workspace=_ws(request))
    token.delete()
    messages.success(request, f"Token {token.hint}… revoked.")
    return redirect("tokens", slug=slug)
