"""The projects family's Test connection note: whether Intacct auto-numbers projects, and what it
means for the app's project IDs."""

from __future__ import annotations

from intacct import Client
from intacct_bridge.psa import autonumber
from intacct_bridge.workspaces.models import Workspace
from intacct_bridge.workspaces.setup_check import Note


def test_connection_check(client: Client, workspace: Workspace) -> list[Note]:
    """The projects family's Test connection note: auto-numbering on or off, and what it means."""
    on = autonumber.detect(client)
    settings = autonumber.remember(workspace, on)
    if on is None:
        return [
            (
                "warning",
                "Project auto-numbering: unknown",
                "Sage Intacct did not report whether it numbers projects itself. If it does, app "
                "projects take Intacct's project ID when they are created there.",
            )
        ]
    if on:
        return [
            (
                "info",
                "Sage Intacct auto-numbers projects",
                "New projects get Intacct's project ID and the app takes it over. To keep the app's "
                "project IDs, turn off project auto-numbering in Intacct (Projects > Setup > Configure).",
            )
        ]
    return [
        (
            "info",
            "Project IDs are kept",
            "Sage Intacct does not auto-number projects: app projects keep their project ID there "
            f"(category {settings.project_category!r} is used for PROJECTCATEGORY).",
        )
    ]
