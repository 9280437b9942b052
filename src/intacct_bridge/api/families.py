"""What every family's JSON routes share: the family by name (404 when unknown), refusing changes
to Intacct-owned families (405), Intacct's errors on a live read as 502 with the remedy, running an
operation now (``?wait=true``) or queueing it, and who asked."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest

import intacct
from intacct_bridge.api.auth import actor
from intacct_bridge.api.errors import ApiError, not_found
from intacct_bridge.api.schemas import ErrorOut
from intacct_bridge.jobs.queueing import QueueUnavailable
from intacct_bridge.sync import service
from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import Run
from intacct_bridge.sync.registry import get_family
from intacct_bridge.sync.remedies import remedy_for
from intacct_bridge.sync.runs import error_fields
from intacct_bridge.workspaces.models import Workspace

ERRORS = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    405: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    502: ErrorOut,
}
#: CreateRefused codes -> HTTP status
CREATE_STATUS = {"read_only": 405, "pull_only": 405, "invalid": 422, "key_reused": 409, "key_gone": 409}


def family_or_404(name: str) -> Family[Any]:
    try:
        return get_family(name)
    except LookupError:
        raise not_found(f"No family {name!r}") from None


def writable_family(name: str) -> Family[Any]:
    """The family for a call that changes records or links; Intacct-owned families refuse (405)."""
    fam = family_or_404(name)
    if fam.read_only:
        raise ApiError(405, "read_only", f"{fam.spec.label} is read-only here; change it in Sage Intacct.")
    return fam


def actor_name(request: HttpRequest) -> str:
    user, via = actor(request)
    return user.get_username() if user is not None and user.is_authenticated else via


@contextmanager
def intacct_errors() -> Iterator[None]:
    """Intacct refusing a live read becomes a 502 with the catalogue's remedy, not a 500."""
    try:
        yield
    except intacct.IntacctError as exc:
        errorno, text, correction = error_fields(exc)
        remedy = remedy_for(errorno, text, correction)
        raise ApiError(502, "intacct_error", f"{text} — {remedy.fix}") from None


def run_or_queue(ws: Workspace, run_callable: Any, queue_callable: Any, wait: bool) -> Run:
    if wait:
        try:
            return run_callable()  # type: ignore[no-any-return]
        except service.Busy as exc:
            raise ApiError(409, "busy", str(exc)) from None
    try:
        return queue_callable()  # type: ignore[no-any-return]
    except QueueUnavailable as exc:
        raise ApiError(503, "queue_unavailable", str(exc)) from None
