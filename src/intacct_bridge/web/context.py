"""Template context for every page: the workspaces of the signed-in user, for the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from intacct_bridge import __version__
from intacct_bridge.workspaces.access import workspaces_of


def bridge(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "version": __version__,
        "my_workspaces": workspaces_of(user) if user is not None and user.is_authenticated else [],
    }
