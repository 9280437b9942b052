"""The workspace endpoints of the JSON API, and the API's conventions (OpenAPI, one error shape)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from intacct_bridge.workspaces.models import Connection, Workspace


def test_the_openapi_document_is_served_to_signed_in_users(
    client: Client, owner: Any, workspace: Any
) -> None:
    client.force_login(owner)
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["info"]["title"] == "Intacct Bridge"
    assert "/api/v1/workspaces/{slug}/test-connection" in doc["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    # the Swagger UI comes from this server, not a CDN
    assert "cdn" not in docs.content.decode().lower()
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
    assert client.get("/api/v1/").status_code == 302


def test_a_session_user_reads_their_workspace(client: Client, teammate: Any, workspace: Workspace) -> None:
    client.force_login(teammate)
    body = client.get("/api/v1/workspaces/acme").json()
    assert body == {
        "slug": "acme",
        "name": "Acme Consulting",
        "families": ["clients", "departments", "people"],
        "timezone": "UTC",
        "connected": False,
        "paused": False,
        "bring_in_references": False,
    }


def test_a_collaborator_cannot_manage_the_connection(
    client: Client, teammate: Any, workspace: Workspace
) -> None:
    client.force_login(teammate)
    response = client.post("/api/v1/workspaces/acme/test-connection")
    assert response.status_code == 403
    assert response.json() == {"error": {"code": "forbidden", "message": "Only workspace admins can do this"}}


def test_the_connection_never_includes_the_password(
    workspace: Workspace, api_client: Callable[..., Client]
) -> None:
    conn = Connection(workspace=workspace, company_id="ACME", user_id="ws")
    conn.set_password("pw-not-shown")
    conn.save()
    response = api_client(workspace).get("/api/v1/workspaces/acme/connection")
    assert response.status_code == 200
    assert "pw-not-shown" not in response.content.decode()
    assert conn.encrypted_password not in response.content.decode()
    assert response.json()["password_set"] is True


def test_no_connection_yet_is_a_404_with_a_code(
    workspace: Workspace, api_client: Callable[..., Client]
) -> None:
    response = api_client(workspace).get("/api/v1/workspaces/acme/connection")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_connected"


def test_validation_errors_are_one_sentence(workspace: Workspace, api_client: Callable[..., Client]) -> None:
    response = api_client(workspace, write=True).put(
        "/api/v1/workspaces/acme/connection", data={"user_id": "x"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json() == {"error": {"code": "invalid", "message": "company_id: Field required"}}


def test_the_setup_endpoint_gives_the_checklist(
    workspace: Workspace, api_client: Callable[..., Client], settings: Any
) -> None:
    settings.INTACCT_SENDER_ID = "OurSender"
    body = api_client(workspace).get("/api/v1/workspaces/acme/setup").json()
    assert body["sender_id"] == "OurSender"
    assert [s["key"] for s in body["steps"]] == [
        "web_services",
        "sender",
        "role",
        "user",
        "dedicated_user",
        "connect",
    ]
    assert {
        "object": "CUSTOMER",
        "application": "Accounts Receivable",
        "row": "Customers",
        "rights": ["List", "View"],
        "label": "Accounts Receivable > Customers",
    } in body["permissions"]


def test_test_connection_without_a_connection_is_recorded(
    workspace: Workspace, api_client: Callable[..., Client]
) -> None:
    response = api_client(workspace, write=True).post("/api/v1/workspaces/acme/test-connection")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False and body["step"] == "not_connected"
    assert body["who"].startswith("api token ib_")
    history = api_client(workspace).get("/api/v1/workspaces/acme/test-connection").json()
    assert [t["id"] for t in history] == [body["id"]]


def test_an_admin_token_changes_the_families(workspace: Workspace, api_client: Callable[..., Client]) -> None:
    client = api_client(workspace, write=True)
    response = client.patch(
        "/api/v1/workspaces/acme",
        data={"families": ["vendors", "bills", "vendors"], "timezone": "Europe/Paris"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["families"] == ["vendors", "bills"]
    workspace.refresh_from_db()
    assert (workspace.families, workspace.timezone) == (["vendors", "bills"], "Europe/Paris")
    setup = client.get("/api/v1/workspaces/acme/setup").json()
    assert {p["object"] for p in setup["permissions"]} == {"VENDOR", "APBILL", "GLACCOUNT"}


def test_unknown_families_and_time_zones_are_refused(
    workspace: Workspace, api_client: Callable[..., Client]
) -> None:
    client = api_client(workspace, write=True)
    bad = client.patch(
        "/api/v1/workspaces/acme",
        data={"families": ["clients", "spaceships"]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "unknown spaceships" in bad.json()["error"]["message"]
    bad = client.patch(
        "/api/v1/workspaces/acme", data={"timezone": "Mars/Olympus"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert (
        api_client(workspace)
        .patch("/api/v1/workspaces/acme", data={"name": "x"}, content_type="application/json")
        .status_code
        == 403
    )


ADMIN_ONLY_WITH_A_BAD_BODY = [
    ("patch", "/api/v1/workspaces/acme", {"name": "bad\x00name"}),
    ("patch", "/api/v1/workspaces/acme", {"name": 12}),
    ("put", "/api/v1/workspaces/acme/connection", {"company_id": "A\x01", "user_id": "u"}),
    ("put", "/api/v1/workspaces/acme/connection", {"company_id": ["not", "text"]}),
    ("post", "/api/v1/workspaces/acme/clients/import", {"ids": "not a list"}),
    ("post", "/api/v1/workspaces/acme/clients/1/link", {"intacct_recordno": "x\x00"}),
    ("post", "/api/v1/workspaces/acme/clients/1/unlink", {"reason": "\x07"}),
    ("put", "/api/v1/workspaces/acme/time/settings", {"use_app_for_timesheets": "maybe"}),
]


@pytest.mark.parametrize(("method", "url", "body"), ADMIN_ONLY_WITH_A_BAD_BODY)
def test_a_collaborator_gets_403_on_admin_operations_whatever_the_body(
    client: Client, teammate: Any, workspace: Workspace, method: str, url: str, body: dict[str, Any]
) -> None:
    """Authorization before validation holds for signed-in members too, not only for tokens: a bad
    body never tells a collaborator more than "not yours to do"."""
    client.force_login(teammate)
    before = (Workspace.objects.get(pk=workspace.pk).name, Connection.objects.count())
    response = getattr(client, method)(url, body, content_type="application/json")
    assert response.status_code == 403, response.content
    assert response.json()["error"]["message"] == "Only workspace admins can do this"
    assert (Workspace.objects.get(pk=workspace.pk).name, Connection.objects.count()) == before


def test_an_admin_with_the_same_bad_body_gets_the_validation_error(
    client: Client, owner: Any, workspace: Workspace
) -> None:
    client.force_login(owner)
    body = {"name": "bad\x00name"}
    response = client.patch("/api/v1/workspaces/acme", body, content_type="application/json")
    assert response.status_code == 422
    assert "name" in response.json()["error"]["message"]
