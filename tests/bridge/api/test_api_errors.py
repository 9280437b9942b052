"""Under /api/, every answer is the API's JSON error shape: an unexpected exception is a 500 with a
request id that is also in the log line holding the traceback; what Django answers outside ninja
(an unknown path, a wrong method) is JSON too."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from intacct_bridge.api import workspaces as api_workspaces
from intacct_bridge.workspaces.models import Workspace


def test_an_unexpected_error_is_json_with_a_request_id(
    workspace: Workspace,
    api_client: Callable[..., Client],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def explode(ws: Any) -> Any:
        raise RuntimeError("boom in workspace_out")

    monkeypatch.setattr(api_workspaces, "workspace_out", explode)
    with caplog.at_level(logging.ERROR, logger="intacct_bridge.api.errors"):
        response = api_client(workspace).get("/api/v1/workspaces/acme")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    rid = error["request_id"]
    assert error["code"] == "internal_error" and rid in error["message"]
    assert response["X-Request-ID"] == rid
    assert "boom" not in response.content.decode()  # the details stay in the log
    record = next(r for r in caplog.records if rid in r.getMessage())
    assert record.exc_info is not None and "boom in workspace_out" in str(record.exc_info[1])


def test_a_wrong_method_is_json(workspace: Workspace, api_client: Callable[..., Client]) -> None:
    response = api_client(workspace, write=True).delete("/api/v1/workspaces/acme/setup")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_an_unknown_path_is_json(db: Any) -> None:
    response = Client().get("/api/v1/workspaces/acme/nothing/here")
    assert response.status_code in (401, 404)
    assert response["Content-Type"].startswith("application/json")
    assert "error" in response.json()


def test_pages_outside_the_api_keep_their_html_404(db: Any) -> None:
    response = Client().get("/nothing/here/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")
