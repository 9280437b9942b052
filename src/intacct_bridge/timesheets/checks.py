"""Test connection checks of the time families.

Approved timesheets are created and approved in Intacct on behalf of each employee, which needs the
Web Services user's role to hold the Projects **API Proxy** permission (docs/intacct/objects.md §16). The
probe is the one the sandbox documents (``getUserPermissions`` for the Web Services user): the
Projects application lists a policy "API Proxy" with rights "Permit" when it is granted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import intacct.errors as ie
from intacct import Client
from intacct_bridge.timesheets.models import TimeSettings
from intacct_bridge.workspaces.models import Workspace
from intacct_bridge.workspaces.setup_check import Note

API_PROXY_TITLE = "The role lacks Projects > API Proxy"
API_PROXY_FIX = (
    "In Intacct: Company > Admin > Roles, edit the Web Services user's role and under Projects tick "
    "API Proxy (and keep Projects > Timesheets: List, View, Add, Edit, Delete)."
)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def has_api_proxy(permissions: Iterable[Mapping[str, Any]]) -> bool:
    """True when a getUserPermissions answer grants Projects > API Proxy."""
    for block in permissions:
        for app in _as_list(block.get("appSubscription")):
            if str(app.get("applicationName", "")).strip().lower() != "projects":
                continue
            for policy in _as_list((app.get("policies") or {}).get("policy")):
                name = str(policy.get("policyName", "")).strip().lower()
                rights = str(policy.get("rights", "")).strip().lower()
                if name == "api proxy" and rights in ("permit", "allow", "yes", "true"):
                    return True
    return False


def test_connection_check(client: Client, workspace: Workspace) -> list[Note]:
    """Test connection: the API Proxy permission, when the app exports timesheets to Intacct."""
    if not TimeSettings.of(workspace).use_app_for_timesheets:
        return [
            (
                "info",
                "Timesheets come from Sage Intacct",
                "Use the app for timesheets is off, so nothing is approved on anyone's behalf and the "
                "Projects API Proxy permission is not needed.",
            )
        ]
    conn = workspace.connection_or_none
    user_id = conn.user_id if conn is not None else ""
    try:
        result = client.call("getUserPermissions", {"userId": user_id})
    except ie.PermissionDenied as exc:
        return [
            (
                "warning",
                "Could not check the Projects API Proxy permission",
                f"Intacct would not list the user's permissions ({exc}). Give the role Company > Users: "
                "View so Test connection can check it, or make sure the role has Projects > API Proxy: "
                "without it, exporting approved timesheets fails.",
            )
        ]
    except ie.FunctionError as exc:
        return [("warning", "Could not check the Projects API Proxy permission", str(exc))]
    if has_api_proxy(result.records):
        return [
            (
                "info",
                "Projects > API Proxy granted",
                "Approved timesheets can be created and approved in Intacct on behalf of each employee.",
            )
        ]
    return [
        (
            "error",
            API_PROXY_TITLE,
            "Approved timesheets are created and approved in Intacct on behalf of each employee, which "
            f"needs the API Proxy permission. {API_PROXY_FIX}",
        )
    ]
