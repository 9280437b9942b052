"""A sync that meets a setup error pauses the workspace (banner + diagnosis); Update credentials
and a passing Test connection resume it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

import intacct
from intacct_bridge.workspaces import health
from intacct_bridge.workspaces.connection import client_for
from intacct_bridge.workspaces.models import Connection, Workspace


def test_a_rotated_password_pauses_and_updated_credentials_resume(
    connected_workspace: Workspace,
    owner: Any,
    client: Client,
    intacct_sandbox: Any,
    intacct_sender: dict[str, Any],
) -> None:
    creds = intacct_sender
    intacct_sandbox.control.set_user(creds["company_id"], creds["user_id"], password="New-Password-2")

    # what the sync engine does when its run meets a SetupError
    sync_client = client_for(connected_workspace)
    with pytest.raises(intacct.SetupError) as raised:
        sync_client.session()
    sync_client.close()
    step = health.report_setup_failure(connected_workspace, raised.value)
    assert step.title == "Wrong company ID, user ID or password, or the user is inactive"
    assert health.is_paused(connected_workspace)

    client.force_login(owner)
    html = client.get("/w/acme/").content.decode()
    assert "Syncs are paused: Wrong company ID, user ID or password, or the user is inactive" in html
    assert 'href="/w/acme/connection/">Update credentials' in html
    assert client.get("/api/v1/workspaces/acme").json()["paused"] is True

    # a failing Test connection keeps the pause
    client.post("/w/acme/test-connection/", HTTP_ACCEPT="application/json")
    assert health.is_paused(connected_workspace)

    client.post(
        "/w/acme/connection/",
        {
            "company_id": creds["company_id"],
            "user_id": creds["user_id"],
            "password": "New-Password-2",
            "endpoint": creds["endpoint"],
        },
    )
    result = client.post("/w/acme/test-connection/", HTTP_ACCEPT="application/json").json()
    assert result["ok"] is True, result
    assert not health.is_paused(connected_workspace)
    assert "Syncs are paused" not in client.get("/w/acme/").content.decode()


def test_report_and_resume_without_a_connection_do_nothing(workspace: Workspace) -> None:
    health.report_setup_failure(workspace, RuntimeError("x"))
    assert not health.is_paused(workspace)
    assert health.resume(workspace) is False


def test_the_pause_keeps_the_diagnosis(
    connected_workspace: Workspace, intacct_sandbox: Any, intacct_sender: dict[str, Any]
) -> None:
    intacct_sandbox.control.authorize_sender(
        intacct_sender["company_id"], intacct_sender["sender_id"], active=False
    )
    with client_for(connected_workspace) as c, pytest.raises(intacct.SetupError) as raised:
        c.session()
    health.report_setup_failure(connected_workspace, raised.value)
    conn = Connection.objects.get(workspace=connected_workspace)
    assert conn.paused and conn.pause_step == "sender" and conn.paused_at is not None
    assert conn.pause_title == f"Sender ID {intacct_sender['sender_id']} is not authorized for this company"
