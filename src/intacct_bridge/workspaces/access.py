"""Who may see a workspace: its members; who may manage its connection: its admins.

``@workspace_view`` resolves the ``slug`` URL argument to ``request.workspace`` and
``request.membership``. Non-members get 404 (a workspace's existence is not revealed), members
without the admin profile get 403 where ``admin=True``. Then, and only then, a form or query value
holding a control character gets a 422 page naming the field (``textcheck``), before any view code.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from intacct_bridge.workspaces import textcheck
from intacct_bridge.workspaces.models import Membership, Workspace

View = Callable[..., HttpResponse]


def membership_for(user: Any, slug: str) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.select_related("workspace").filter(user=user, workspace__slug=slug).first()


def workspace_view(admin: bool = False) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = membership_for(request.user, slug)
            if membership is None:
                raise Http404("No such workspace")
            if admin and not membership.is_admin:
                raise PermissionDenied("Only workspace admins can do this")
            request.workspace = membership.workspace  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            found = textcheck.find_in_form(request.GET.lists())
            if found is None and request.method == "POST":
                found = textcheck.find_in_form(request.POST.lists())
            problem = textcheck.message(*found) if found is not None else None
            if problem is None and request.method == "POST":
                email = textcheck.bad_email_in_form(request.POST.lists())
                problem = email[1] if email else None
            if problem is not None:
                return render(
                    request,
                    "web/bad_input.html",
                    {"ws": membership.workspace, "message": problem, "back": request.path},
                    status=422,
                )
            return view(request, slug, *args, **kwargs)

        return wrapper

    return decorate


def workspaces_of(user: Any) -> list[Workspace]:
    return list(Workspace.objects.filter(memberships__user=user).order_by("name"))
