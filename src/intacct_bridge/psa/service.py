"""Prompt push: a project or task changed in the app reaches Intacct now, not with the daily sync.

``push_if_needed`` is called after the change commits. It queues a family-only run
(``jobs.push_now``) when Intacct does not have the change yet: the family is on, the record is
linked and differs from what both sides last agreed on, or it is not linked and ready to export.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Model

from intacct_bridge.jobs import tasks as jobs
from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import Link, LinkState
from intacct_bridge.sync.registry import get_family
from intacct_bridge.sync.spec import hash_values
from intacct_bridge.workspaces.models import Workspace

log = logging.getLogger(__name__)


def local_hash(fam: Family[Any], local: Model) -> str:
    """The hash the engine compares with ``Link.last_seen_hash`` (references as business IDs)."""
    values: dict[str, Any] = {}
    for f in fam.spec.fields:
        if f.reference:
            ref_id = getattr(local, f"{f.app}_id")
            link = (
                Link.objects.filter(
                    workspace_id=local.workspace_id,  # type: ignore[attr-defined]
                    family=f.reference,
                    local_id=ref_id,
                    state=LinkState.LINKED,
                ).first()
                if ref_id is not None
                else None
            )
            values[f.app] = link.business_id if link is not None else ""
        else:
            values[f.app] = getattr(local, f.app)
    return hash_values(values)


def needs_push(workspace: Workspace, family: str, local: Model) -> bool:
    if family not in (workspace.families or []):
        return False
    fam = get_family(family)
    link = Link.objects.filter(workspace=workspace, family=family, local_id=local.pk).first()
    if link is None:
        return bool(fam.ready_to_push(local))
    if not link.is_linked:
        return False  # unlinked on purpose: nothing goes to Intacct
    return local_hash(fam, local) != link.last_seen_hash


def push_if_needed(workspace_id: int, family: str, local_id: int) -> None:
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return
    local = get_family(family).model._default_manager.filter(pk=local_id).first()
    if local is None or not needs_push(workspace, family, local):
        return

    try:
        jobs.push_now(workspace, family, [local_id])
    except Exception:  # the daily sync still carries it: a failed prompt push must not fail the save
        log.exception("prompt push of %s %s in %s failed", family, local_id, workspace.slug)
