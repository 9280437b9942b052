"""API tokens: shown once, stored hashed, scoped to one workspace, read-only or read-write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection as db
from django.test import Client

from intacct_bridge.workspaces.models import ApiToken, Workspace


def test_the_token_is_not_recoverable_from_the_database(workspace: Workspace) -> None:
    token, plaintext = ApiToken.issue(workspace, write=True)
    with db.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert plaintext not in stored
    assert plaintext[8:20] not in stored  # not even a good part of it
    assert ApiToken.find(plaintext) == token
    assert ApiToken.find(plaintext + "x") is None
    assert ApiToken.find(token.token_hash) is None


def test_it_lists_only_the_tokens_workspace(
    workspace: Workspace, other_workspace: Workspace, api_client: Callable[..., Client]
) -> None:
    response = api_client(workspace).get("/api/v1/workspaces")
    assert response.status_code == 200
    assert [w["slug"] for w in response.json()] == ["acme"]


def test_a_read_only_token_cannot_write(workspace: Workspace, api_client: Callable[..., Client]) -> None:
    response = api_client(workspace).put(
        "/api/v1/workspaces/acme/connection",
        data={"company_id": "ACME", "user_id": "u", "password": "p"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_a_read_write_token_can_update_the_connection(
    workspace: Workspace, api_client: Callable[..., Client]
) -> None:
    response = api_client(workspace, write=True).put(
        "/api/v1/workspaces/acme/connection",
        data={"company_id": "ACME", "user_id": "u", "password": "pw-123", "entity_id": "E100"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["company_id"] == "ACME" and body["entity_id"] == "E100" and body["password_set"]
    assert "pw-123" not in response.content.decode()
    assert workspace.connection.get_password() == "pw-123"


def test_a_wrong_token_is_401_with_the_error_shape(db: Any) -> None:
    response = Client(headers={"Authorization": "Bearer ib_nope"}).get("/api/v1/workspaces")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_cli_style_issue_prints_distinct_tokens(workspace: Workspace) -> None:
    tokens = {ApiToken.issue(workspace)[1] for _ in range(5)}
    assert len(tokens) == 5 and all(t.startswith("ib_") and len(t) > 40 for t in tokens)
