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
    settings = PsaSettings.of(workspace)
    settings.autonumber_projects = on
    settings.autonumber_checked_at = timezone.now()
    settings.save(update_fields=["autonumber_projects", "autonumber_checked_at"])
    return settings
