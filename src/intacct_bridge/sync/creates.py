"""Records created in the app by a host product (JSON API): validated, saved, queued for the next
push, and idempotent under an ``Idempotency-Key`` (the same key never creates twice)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model

from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import IdempotentCreate, PendingPush
from intacct_bridge.sync.registry import get_family
from intacct_bridge.sync.spec import hash_values
from intacct_bridge.workspaces.models import Workspace


class CreateRefused(Exception):
    """``code``: read_only / pull_only (405), invalid (422), key_reused / key_gone (409)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def creatable_fields(fam: Family[Any]) -> list[str]:
    """The app fields a create may set: the mapped fields the family pushes (no references yet)."""
    return [f.app for f in fam.spec.fields if f.push and not f.reference]


def editable_fields(fam: Family[Any]) -> list[str]:
    """The app fields an edit may change: a pushing family's creatable fields; a pull-only family's
    app-owned ones (a team member's email Intacct does not have)."""
    return creatable_fields(fam) if fam.spec.pushes else fam.spec.app_owned_fields


def _check_family(fam: Family[Any]) -> None:
    if fam.read_only:
        raise CreateRefused("read_only", f"{fam.spec.label} is read-only here; change it in Sage Intacct.")
    if not fam.spec.pushes:
        raise CreateRefused(
            "pull_only", f"{fam.spec.label} come from Sage Intacct; create them there and sync."
        )


def _build(workspace: Workspace, fam: Family[Any], fields: Mapping[str, Any]) -> Model:
    allowed = creatable_fields(fam)
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise CreateRefused("invalid", f"unknown fields {', '.join(unknown)}; allowed: {', '.join(allowed)}")
    problems = fam.validate(fields)
    if problems:
        raise CreateRefused("invalid", "; ".join(text for _, text in problems))
    obj = fam.model(workspace=workspace, **fields)
    try:
        obj.full_clean(exclude=["workspace"])
    except ValidationError as exc:
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise CreateRefused("invalid", detail) from None
    return obj


def _replay(workspace: Workspace, fam: Family[Any], key: str, digest: str) -> Model | None:
    done = IdempotentCreate.objects.filter(workspace=workspace, key=key).first()
    if done is None:
        return None
    if done.family != fam.name or done.request_hash != digest:
        raise CreateRefused("key_reused", f"Idempotency-Key {key!r} was already used for another request.")
    obj = fam.model._default_manager.filter(workspace=workspace, pk=done.local_id).first()
    if obj is None:
        raise CreateRefused("key_gone", f"The record made under Idempotency-Key {key!r} was deleted since.")
    return obj


def create_record(
    workspace: Workspace, family: str, fields: Mapping[str, Any], *, key: str = ""
) -> tuple[Model, bool]:
    """(record, created): a new local record queued for Intacct, or the one ``key`` created before."""
    fam = get_family(family)
    _check_family(fam)
    digest = hash_values({"family": fam.name, **fields})
    if key:
        earlier = _replay(workspace, fam, key, digest)
        if earlier is not None:
            return earlier, False
    obj = _build(workspace, fam, fields)
    try:
        with transaction.atomic():
            obj.save()
            if key:
                IdempotentCreate.objects.create(
                    workspace=workspace, key=key, family=fam.name, request_hash=digest, local_id=obj.pk
                )
            PendingPush.objects.get_or_create(workspace=workspace, family=fam.name, local_id=obj.pk)
    except IntegrityError:
        # the same key won a race with us: answer with its record, as a retry would get
        earlier = _replay(workspace, fam, key, digest) if key else None
        if earlier is None:
            raise
        return earlier, False
    return obj, True


def update_record(workspace: Workspace, family: str, obj: Model, fields: Mapping[str, Any]) -> Model:
    """Change a record in the app: any pushed field of a two-way family (the next sync pushes the
    change), or an app-owned field of a pull-only one (kept while Intacct's value is empty)."""
    fam = get_family(family)
    if fam.spec.pushes or not fam.spec.app_owned_fields:
        _check_family(fam)
    allowed = editable_fields(fam)
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise CreateRefused("invalid", f"unknown fields {', '.join(unknown)}; allowed: {', '.join(allowed)}")
    # the family's checks see the whole record (a member's names), with the edited fields changed
    merged = {f.app: getattr(obj, f.app) for f in fam.spec.fields if not f.reference} | dict(fields)
    problems = fam.validate(merged)
    if problems:
        raise CreateRefused("invalid", "; ".join(text for _, text in problems))
    for name, value in fields.items():
        setattr(obj, name, value)
    fam.derive(obj)  # a team member with an email becomes invitable
    try:
        obj.full_clean(exclude=["workspace"])
    except ValidationError as exc:
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise CreateRefused("invalid", detail) from None
    obj.save()
    return obj


def resolve_conflict(conflict: Any, keep: str, by: str) -> None:
    """An admin's answer to a recorded conflict: keep the ``app`` or ``intacct`` version.

    Keeping the winner only closes the review. Keeping the loser writes its values to the local
    record; the next sync pushes them, so both sides end on the chosen version.
    """
    from django.utils import timezone

    if keep not in ("app", "intacct"):
        raise CreateRefused("invalid", "keep: app or intacct")
    fam = get_family(conflict.family)
    if keep != conflict.winner:
        obj = fam.model._default_manager.filter(workspace=conflict.workspace, pk=conflict.local_id).first()
        if obj is None:
            raise CreateRefused("key_gone", "The record was deleted since the conflict.")
        chosen = conflict.app_values if keep == "app" else conflict.intacct_values
        update_record(
            conflict.workspace,
            fam.name,
            obj,
            {k: v for k, v in chosen.items() if k in creatable_fields(fam)},
        )
    conflict.resolved_at, conflict.resolved_by, conflict.kept = timezone.now(), by, keep
    conflict.save(update_fields=["resolved_at", "resolved_by", "kept"])
