"""Template context for every page: the workspaces of the signed-in user, and ``ws`` (the current
workspace, set by ``@workspace_view``) so that any workspace page gets the workspace navigation and
the pause banner from base.html without passing it itself."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from intacct_bridge import __version__
from intacct_bridge.workspaces.access import workspaces_of


def bridge(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "ws": getattr(request, "workspace", None),
        "version": __version__,
        "my_workspaces": workspaces_of(user) if user is not None and user.is_authenticated else [],
    }
