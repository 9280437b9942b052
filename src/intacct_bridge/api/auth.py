"""API authentication: workspace tokens (``Authorization: Bearer ib_…``) or a signed-in session
(with CSRF on writes), and ``workspace_for`` that scopes every request to one workspace.

A token reaches only its own workspace: any other slug is 404, exactly like a workspace that does
not exist. A read-only token gets 403 on writes.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from intacct_bridge.api.errors import ApiError, forbidden, not_found
from intacct_bridge.workspaces import textcheck
from intacct_bridge.workspaces.access import membership_for
from intacct_bridge.workspaces.models import ApiToken, Workspace


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = ApiToken.find(token)
        if found is not None:
            # at most one write a minute per token, so reads stay reads
            now = timezone.now()
            if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
                ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
            request.auth = found  # type: ignore[attr-defined]
            authorize_early(request)
        return found


class SessionAuthorized(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user:
            request.auth = user  # type: ignore[attr-defined]
            authorize_early(request)
        return user


UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def authorize_early(request: HttpRequest) -> None:
    """What the URL alone decides, then the body's text; raises ``ApiError`` (ninja answers it)."""
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("slug") if match is not None else None
    if isinstance(slug, str):
        workspace_for(request, slug, write=request.method in UNSAFE)
    screen_text(request)


def screen_text(request: HttpRequest) -> None:
    """422 naming the first field holding a control character (body and query string), or an
    email field that holds no email address."""
    found = textcheck.find_in_form(request.GET.lists())
    email = None
    if found is None and request.method in UNSAFE and request.body:
        ctype = request.content_type or ""
        if ctype == "application/json" or ctype.endswith("+json"):
            try:
                data = json.loads(request.body)
            except (ValueError, UnicodeDecodeError):
                raise ApiError(422, "invalid", "body: not valid JSON") from None
            found = textcheck.find_in_json(data)
            email = None if found else textcheck.bad_email_in_json(data)
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            found = textcheck.find_in_form(request.POST.lists())
            email = None if found else textcheck.bad_email_in_form(request.POST.lists())
    if found is not None:
        raise ApiError(422, "invalid", textcheck.message(*found))
    if email is not None:
        raise ApiError(422, "invalid", email[1])


#: tokens first (no CSRF for them), then the session (CSRF enforced on unsafe methods)
AUTH: list[Any] = [TokenAuth(), SessionAuthorized()]


def workspace_for(request: HttpRequest, slug: str, write: bool = False, admin: bool = False) -> Workspace:
    """The workspace ``slug`` if this caller may use it, else ``ApiError`` 404 (or 403 for writes).

    ``admin``: a session user must hold the admin profile (connection management). A read-write
    token counts as admin for its workspace: it was created by an admin.
    """
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiToken):
        if auth.workspace.slug != slug:
            raise not_found("No such workspace")
        if write and not auth.write:
            raise forbidden("This API token is read-only")
        if admin and not auth.write:
            raise forbidden("This needs a read-write API token")
        return auth.workspace
    membership = membership_for(request.user, slug)
    if membership is None:
        raise not_found("No such workspace")
    if admin and not membership.is_admin:
        raise forbidden("Only workspace admins can do this")
    return membership.workspace


def actor(request: HttpRequest) -> tuple[Any, str]:
    """(user or None, via) for recording who did something."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiToken):
        return None, f"api token {auth.hint}…"
    return request.user, "api"
