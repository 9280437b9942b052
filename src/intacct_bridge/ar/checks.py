"""The AR families' Test connection note: what still blocks payments (the accounts under Billing >
Accounting)."""

from __future__ import annotations

from intacct import Client
from intacct_bridge.ar.models import ArSettings
from intacct_bridge.ar.rules import settings_problems
from intacct_bridge.workspaces.models import Workspace
from intacct_bridge.workspaces.setup_check import Note


def test_connection_check(client: Client, workspace: Workspace) -> list[Note]:
    problems = settings_problems(ArSettings.of(workspace))
    return [("warning", "Payments cannot be recorded yet", text) for _, text in problems]
