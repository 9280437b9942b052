"""Whether the Intacct company auto-numbers projects (document sequencing of PROJECTID).

Detected with ``<get_companyprefs application="PA"/>``: the preference ``AUTONUMBER_PROJECTID`` is
``T`` or ``F`` (the sandbox's documented detection, docs/sandbox.md). With auto-numbering on Intacct
ignores the ID a create sends, so app projects take Intacct's ID; Test connection says so.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from intacct_bridge.psa.models import PsaSettings
from intacct_bridge.workspaces.models import Workspace

PREFERENCE = "AUTONUMBER_PROJECTID"


def detect(client: Any) -> bool | None:
    """True / False from the company's Projects preferences; None when it does not say."""
    result = client.call("get_companyprefs", {"@application": "PA"})
    for record in result.records:
        if str(record.get("preference") or "").upper() == PREFERENCE:
            return str(record.get("prefvalue") or "").strip().upper() in ("T", "TRUE", "YES")
    return None


def remember(workspace: Workspace, on: bool | None) -> PsaSettings:
    settings = PsaSettings.for_workspace(workspace)
    settings.autonumber_projects = on
    settings.autonumber_checked_at = timezone.now()
    settings.save(update_fields=["autonumber_projects", "autonumber_checked_at"])
    return settings


def test_connection_check(client: Any, workspace: Workspace) -> list[tuple[str, str, str]]:
    """The projects family's Test connection note: auto-numbering on or off, and what it means."""
    on = detect(client)
    settings = remember(workspace, on)
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
