"""A captured log of a full Test connection (success and failure, DEBUG everywhere, including the
client's wire log) holds neither a password nor the session id."""

from __future__ import annotations

import logging
from typing import Any

import pytest

import intacct
from intacct_bridge.workspaces.models import Workspace
from intacct_bridge.workspaces.setup_check import run_test_connection


@pytest.fixture
def session_ids(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Spy (not a mock): the real ``Client.session`` runs; we keep the ids it returned."""
    seen: list[str] = []
    real = intacct.Client.session

    def spy(self: Any) -> Any:
        info = real(self)
        seen.append(info.session_id)
        return info

    monkeypatch.setattr(intacct.Client, "session", spy)
    return seen


def test_no_password_or_session_id_in_the_log(
    connected_workspace: Workspace,
    intacct_sender: dict[str, Any],
    intacct_sandbox: Any,
    caplog: pytest.LogCaptureFixture,
    session_ids: list[str],
) -> None:
    creds = intacct_sender
    with caplog.at_level(logging.DEBUG):
        ok = run_test_connection(connected_workspace)
        intacct_sandbox.control.create_role(creds["company_id"], "Nothing", {"DEPARTMENT": "L"})
        intacct_sandbox.control.set_user(creds["company_id"], creds["user_id"], roles=["Nothing"])
        denied = run_test_connection(connected_workspace)
        intacct_sandbox.control.set_user(creds["company_id"], creds["user_id"], password="Other-Pass-9")
        refused = run_test_connection(connected_workspace)
    assert ok.ok and not denied.ok and not refused.ok
    assert session_ids and all(session_ids)
    ours = [r for r in caplog.records if not r.name.startswith("intacct_sandbox")]
    text = "\n".join(r.getMessage() for r in ours)
    assert "test connection passed" in text and "test connection failed" in text
    assert any(r.name.startswith("intacct") and r.levelno == logging.DEBUG for r in ours), (
        "no wire log captured"
    )
    for secret in (creds["user_password"], creds["sender_password"], "Other-Pass-9", *session_ids):
        assert secret not in text
        # and not in what was recorded for the pages either
        for test in (ok, denied, refused):
            assert secret not in f"{test.title} {test.message} {test.remedy}"
