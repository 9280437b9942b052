"""Pausing a workspace's syncs when Intacct refuses its login, and resuming them.

A scheduled sync that meets an ``intacct.SetupError`` (a password rotated in Intacct, a sender
authorization revoked) calls ``report_setup_failure``: syncs stop (no retry storm against a user
Intacct may lock out), the admin sees a banner with the diagnosis and an Update credentials form,
and the next passing Test connection resumes them (``resume``).
"""

from __future__ import annotations

import logging

from django.utils import timezone

import intacct
from intacct_bridge.workspaces import endpoints
from intacct_bridge.workspaces.models import Connection, Workspace
from intacct_bridge.workspaces.setup_check import SetupStep, diagnose

log = logging.getLogger(__name__)


def report_setup_failure(workspace: Workspace, exc: BaseException) -> SetupStep:
    step = diagnose(exc)
    updated = Connection.objects.filter(workspace=workspace).update(
        paused=True,
        paused_at=timezone.now(),
        pause_step=step.key,
        pause_title=step.title,
        pause_message=step.message,
    )
    if updated:
        log.warning("workspace %s: syncs paused: %s", workspace.slug, step.title)
    return step


def enforce_endpoint(conn: Connection | None) -> bool:
    """Pause ``conn`` if its endpoint is not on the operator's allowlist (a connection saved before
    the allowlist, or before the operator narrowed it); True if it is paused now."""
    if conn is None:
        return False
    if not conn.paused and not endpoints.is_allowed(conn.endpoint):
        refused = endpoints.refusal(conn.endpoint) or ""
        step = report_setup_failure(
            conn.workspace, intacct.EndpointNotAllowed(refused[:1].upper() + refused[1:] + ".")
        )
        conn.paused, conn.pause_step, conn.pause_title = True, step.key, step.title
        conn.pause_message = step.message
    return conn.paused


def is_paused(workspace: Workspace) -> bool:
    conn = Connection.objects.filter(workspace=workspace).first()
    return enforce_endpoint(conn)


def pause_disallowed_endpoints() -> int:
    """Pause every connection whose endpoint the allowlist no longer covers (at process start)."""
    count = 0
    for conn in Connection.objects.filter(paused=False).select_related("workspace"):
        if enforce_endpoint(conn):
            count += 1
    return count


def resume(workspace: Workspace) -> bool:
    """Clear the pause; True if the workspace was paused."""
    updated = Connection.objects.filter(workspace=workspace, paused=True).update(
        paused=False, paused_at=None, pause_step="", pause_title="", pause_message=""
    )
    if updated:
        log.info("workspace %s: syncs resumed", workspace.slug)
    return bool(updated)
