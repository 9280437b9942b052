"""A local record deleted in the app drops its link, and nothing is sent to Intacct: the remote
record stays untouched and can be imported again (LocalRemoval.LEAVE_REMOTE)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete

from intacct_bridge.sync.models import Link, PendingPush
from intacct_bridge.sync.registry import all_families


def _forget_link(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    for fam in all_families():
        if fam.model is sender and hasattr(instance, "workspace_id"):
            Link.objects.filter(
                workspace_id=instance.workspace_id, family=fam.name, local_id=instance.pk
            ).delete()
            PendingPush.objects.filter(
                workspace_id=instance.workspace_id,
                family=fam.name,
                local_id=instance.pk,
            ).delete()


def connect() -> None:
    # every model, filtered in the handler: family apps register after this app is ready
    post_delete.connect(_forget_link, dispatch_uid="sync-forget-link")
