"""Pausing a workspace's syncs when Intacct refuses its login, and resuming them.

A scheduled sync that meets an ``intacct.SetupError`` (a password rotated in Intacct, a sender
authorization revoked) calls ``report_setup_failure``: syncs stop (no retry storm against a user
Intacct may lock out), the admin sees a banner with the diagnosis and an Update credentials form,
and the next passing Test connection resumes them (``resume``).
"""

from __future__ import annotations

import logging

from django.utils import timezone

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


def is_paused(workspace: Workspace) -> bool:
    return Connection.objects.filter(workspace=workspace, paused=True).exists()


def resume(workspace: Workspace) -> bool:
    """Clear the pause; True if the workspace was paused."""
    updated = Connection.objects.filter(workspace=workspace, paused=True).update(
        paused=False, paused_at=None, pause_step="", pause_title="", pause_message=""
    )
    if updated:
        log.info("workspace %s: syncs resumed", workspace.slug)
    return bool(updated)
