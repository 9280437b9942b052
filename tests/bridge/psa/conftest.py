"""Fixtures of the tests of the psa app (projects, tasks)."""

from __future__ import annotations

import pytest

from intacct_bridge.psa.models import PsaSettings
from intacct_bridge.workspaces.models import Workspace


@pytest.fixture(name="psa_ws")
def psa_ws_fixture(ws: Workspace) -> Workspace:
    """The sandbox-connected workspace with clients, projects and tasks on, connected today."""
    ws.families = ["clients", "projects", "tasks"]
    ws.save(update_fields=["families"])
    PsaSettings.of(ws)
    return ws
