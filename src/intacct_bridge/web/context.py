"""Template context for every page: the workspaces of the signed-in user, and ``ws`` (the current
workspace, set by ``@workspace_view``) so that any workspace page gets the workspace navigation and
the pause banner from base.html without passing it itself."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from intacct_bridge import __version__
from intacct_bridge.web import nav, security
from intacct_bridge.workspaces import health
from intacct_bridge.workspaces.access import workspaces_of


def bridge(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    ws = getattr(request, "workspace", None)
    if ws is not None:
        # a saved endpoint the allowlist does not cover pauses the workspace, and base.html says why
        health.enforce_endpoint(ws.connection_or_none)
    return {
        "ws": ws,
        "app_nav": nav.items_for(ws.slug, list(ws.families or [])) if ws is not None else [],
        "version": __version__,
        # inline <script> blocks carry it: the Content-Security-Policy runs no other inline script
        "csp_nonce": security.nonce(request),
        "my_workspaces": workspaces_of(user) if user is not None and user.is_authenticated else [],
    }
