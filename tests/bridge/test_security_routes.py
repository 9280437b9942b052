"""Every route refuses anonymous callers, and no route of workspace B answers a member of A.

The routes come from the URL resolver (routes.py), so new pages and API endpoints — including
those of the sync families — are covered automatically.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from bridge_routes import all_routes, is_public
from django.test import Client

from intacct_bridge.workspaces.models import Workspace

METHODS = ("get", "post", "put", "patch", "delete")
ROUTES = all_routes()
PRIVATE = [r for r in ROUTES if not is_public(r)]
SCOPED = [r for r in ROUTES if r.has_slug]


def _call(client: Client, method: str, url: str) -> Any:
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data="{}", content_type="application/json")


def test_the_resolver_yields_the_known_routes() -> None:
    patterns = {r.pattern for r in ROUTES}
    assert "w/<slug:slug>/connection/" in patterns
    assert any(p.startswith("api/v1/workspaces/<slug>") for p in patterns)
    assert len(PRIVATE) >= 12


@pytest.mark.parametrize("route", PRIVATE, ids=lambda r: r.pattern)
def test_it_refuses_anonymous_callers(route: Any, client: Client, workspace: Workspace) -> None:
    refused = 0
    for method in METHODS:
        response = _call(client, method, route.url())
        assert response.status_code < 200 or response.status_code >= 300, (method, route.pattern)
        # the API answers 401; pages (and the API's OpenAPI pages) send to the sign-in page
        assert response.status_code in (302, 401, 405), (method, route.pattern, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/login/"), (method, route.pattern)
        if route.is_api and route.name not in ("openapi-json", "openapi-view", "api-home"):
            assert response.status_code != 302, (method, route.pattern)
        refused += response.status_code in (302, 401)
    assert refused, f"{route.pattern} answers no method at all"


def _outsider_statuses(
    route: Any, client: Client, workspace: Workspace, other_workspace: Workspace, outsider: Any,
    api_client: Callable[..., Client],
) -> set[int]:
    """``outsider`` (admin of globex, with a read-write token of globex) asks for acme's route with
    every method. Every answer must be the one a workspace that does not exist gets (so nothing of
    acme leaks): 404, or 405 / 422 where the method or the body is refused before any lookup.
    Returns the statuses seen."""
    client.force_login(outsider)
    callers = [client, api_client(other_workspace, write=True)] if route.is_api else [client]
    seen: set[int] = set()
    for caller in callers:
        for method in METHODS:
            response = _call(caller, method, route.url(slug=workspace.slug))
            nowhere = _call(caller, method, route.url(slug="no-such-workspace"))
            assert response.status_code in (404, 405, 422), (method, route.pattern, response.status_code)
            assert response.status_code == nowhere.status_code, (method, route.pattern)
            seen.add(response.status_code)
    return seen


@pytest.mark.parametrize("route", SCOPED, ids=lambda r: r.pattern)
def test_a_member_of_another_workspace_gets_404(
    route: Any,
    client: Client,
    workspace: Workspace,
    other_workspace: Workspace,
    outsider: Any,
    api_client: Callable[..., Client],
) -> None:
    _outsider_statuses(route, client, workspace, other_workspace, outsider, api_client)


def test_most_scoped_routes_were_reached_and_said_404(
    client: Client,
    workspace: Workspace,
    other_workspace: Workspace,
    outsider: Any,
    api_client: Callable[..., Client],
) -> None:
    """Guards the test above against vacuity: only POST routes whose body is refused before the
    lookup (422 for every workspace alike) may never say 404. Asks every route itself, so it holds
    whatever ran before it (in any order, on any worker)."""
    answered_404 = [
        r.pattern
        for r in SCOPED
        if 404 in _outsider_statuses(r, client, workspace, other_workspace, outsider, api_client)
    ]
    assert len(answered_404) >= 0.75 * len(SCOPED)


@pytest.mark.parametrize("route", [r for r in SCOPED if r.is_api], ids=lambda r: r.pattern)
def test_a_token_of_another_workspace_gets_404_with_the_error_shape(
    route: Any, workspace: Workspace, other_workspace: Workspace, api_client: Callable[..., Client]
) -> None:
    response = api_client(other_workspace).get(route.url(slug=workspace.slug))
    if response.status_code == 405:
        return
    assert response.status_code == 404
    assert set(response.json()["error"]) == {"code", "message"}
