"""The ``intacct-bridge`` command, called in-process (same test database)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from intacct_bridge.cli import main
from intacct_bridge.workspaces.models import ApiToken, ConnectionTest, Membership, Workspace


def test_workspace_add_from_flags_reads_the_password_from_a_file(
    tmp_path: Path, owner: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "pw"
    secret.write_text("file-password\n")
    code = main(
        [
            "workspace",
            "add",
            "newco",
            "--name",
            "New Co",
            "--company-id",
            "NEWCO",
            "--user-id",
            "ws",
            "--password-file",
            str(secret),
            "--entity-id",
            "E1",
            "--admin",
            "alice",
            "--families",
            "clients,vendors",
        ]
    )
    assert code == 0
    ws = Workspace.objects.get(slug="newco")
    assert (ws.name, ws.families) == ("New Co", ["clients", "vendors"])
    assert ws.connection.get_password() == "file-password" and ws.connection.entity_id == "E1"
    assert Membership.objects.get(workspace=ws).user == owner
    assert "file-password" not in capsys.readouterr().out


def test_workspace_add_needs_credentials(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workspace", "add", "x", "--company-id", "C"]) == 2
    assert "--credentials-file" in capsys.readouterr().err


def test_token_create_prints_a_working_token_once(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token", "create", "acme", "--write"]) == 0
    token = capsys.readouterr().out.strip()
    found = ApiToken.find(token)
    assert found is not None and found.write and found.workspace == workspace


def test_createadmin_prints_a_generated_password(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from django.contrib.auth import authenticate

    assert main(["createadmin", "--username", "root"]) == 0
    password = capsys.readouterr().out.split("Password: ")[1].strip()
    assert authenticate(username="root", password=password) is not None


def test_django_commands_pass_through(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["showmigrations", "bridge_workspaces"]) == 0
    assert "[X] 0001_initial" in capsys.readouterr().out


def test_member_add_and_workspace_list(
    workspace: Workspace, outsider: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["member", "add", "acme", "charlie", "--profile", "controller"]) == 0
    assert Membership.objects.get(workspace=workspace, user=outsider).profile == "controller"
    assert main(["workspace", "list"]) == 0
    assert "acme\tAcme Consulting\tnot connected" in capsys.readouterr().out


def test_credentials_file_and_test_connection(
    tmp_path: Path, db: Any, intacct_sender: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    creds_file = tmp_path / "creds.json"
    creds_file.write_text(json.dumps(intacct_sender))
    assert main(["workspace", "add", "sbx", "--credentials-file", str(creds_file)]) == 0
    capsys.readouterr()
    assert main(["test-connection", "sbx"]) == 0
    out = capsys.readouterr().out
    assert f"OK: Connected to {intacct_sender['company_id']}" in out
    assert intacct_sender["user_password"] not in out
    assert ConnectionTest.objects.get().via == "cli"


def test_test_connection_exits_1_and_names_the_step(
    tmp_path: Path,
    db: Any,
    intacct_sender: dict[str, Any],
    intacct_sandbox: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    creds_file = tmp_path / "creds.json"
    creds_file.write_text(json.dumps(intacct_sender))
    main(["workspace", "add", "sbx", "--credentials-file", str(creds_file)])
    intacct_sandbox.control.set_web_services(intacct_sender["company_id"], False)
    capsys.readouterr()
    assert main(["test-connection", "sbx", "--json"]) == 1
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (result["ok"], result["step"], result["title"]) == (
        False,
        "web_services",
        "Web Services is not subscribed",
    )
