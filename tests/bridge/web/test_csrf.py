"""CSRF is enforced on every form and on session-authenticated API writes (tokens need none)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from intacct_bridge.workspaces.models import Workspace

FORMS = [
    "/w/acme/connection/",
    "/w/acme/test-connection/",
    "/w/acme/setup/",
    "/w/acme/tokens/",
    "/w/acme/members/",
    "/logout/",
]


@pytest.fixture
def csrf_client(owner: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    return client


@pytest.mark.parametrize("url", FORMS)
def test_a_form_post_without_the_csrf_token_is_refused(
    url: str, csrf_client: Client, workspace: Workspace
) -> None:
    response = csrf_client.post(
        url, {"company_id": "X", "user_id": "Y", "password": "Z", "endpoint": "https://example.com/"}
    )
    assert response.status_code == 403
    assert not hasattr(workspace, "connection") or workspace.connection is None


def test_the_login_form_needs_the_csrf_token(db: Any) -> None:
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403


def test_with_the_token_the_form_works(csrf_client: Client, workspace: Workspace) -> None:
    page = csrf_client.get("/w/acme/connection/")
    token = page.cookies["csrftoken"].value
    response = csrf_client.post(
        "/w/acme/connection/",
        {
            "csrfmiddlewaretoken": token,
            "company_id": "ACME",
            "user_id": "ws",
            "password": "pw",
            "endpoint": "https://api.intacct.com/ia/xml/xmlgw.phtml",
        },
    )
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.connection.company_id == "ACME"


def test_a_session_api_write_without_csrf_is_refused(csrf_client: Client, workspace: Workspace) -> None:
    response = csrf_client.put(
        "/api/v1/workspaces/acme/connection",
        data={"company_id": "A", "user_id": "B", "password": "C"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "error" in response.json()


def test_a_token_api_write_needs_no_csrf(workspace: Workspace, api_client: Callable[..., Client]) -> None:
    client = api_client(workspace, write=True)
    client.handler.enforce_csrf_checks = True
    response = client.put(
        "/api/v1/workspaces/acme/connection",
        data={"company_id": "A", "user_id": "B", "password": "C"},
        content_type="application/json",
    )
    assert response.status_code == 200
