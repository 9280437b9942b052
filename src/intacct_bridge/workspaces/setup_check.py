"""Test connection, and the diagnosis that turns an Intacct error into the missing checklist step.

``run_test_connection`` signs in (entity-level when the workspace has an entity), then probes the
List permission of every object the enabled families need with a one-record query. Every outcome
is recorded (``ConnectionTest``) with who ran it. Nothing here logs a password or a session id.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from intacct import errors as ie
from intacct_bridge.workspaces import checklist, endpoints
from intacct_bridge.workspaces.connection import NotConnected, SenderNotConfigured, client_for, sender_id
from intacct_bridge.workspaces.models import Connection, ConnectionTest, Workspace
from intacct_bridge.workspaces.permissions import ObjectNeed, need_for_object, needs_for

log = logging.getLogger(__name__)

# diagnosis-only steps (not checklist rows)
CREDENTIALS = "credentials"
USER_INACTIVE = "user_inactive"
ENTITY = "entity"
SENDER_CREDENTIALS = "sender_credentials"
NOT_CONNECTED = "not_connected"
UNREACHABLE = "unreachable"
UNEXPECTED = "unexpected"
ENDPOINT_NOT_ALLOWED = endpoints.CODE

CREDENTIALS_TITLE = "Wrong company ID, user ID or password, or the user is inactive"


@dataclass(frozen=True)
class SetupStep:
    """A missing step, in the checklist's words. ``key`` is a checklist step key or one above."""
    key: str
    title: str
    message: str = ""
    remedy: str = ""
    missing: list[str] = field(default_factory=list)  # e.g. ["Accounts Receivable > Customers: List"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "message": self.message,
            "remedy": self.remedy,
            "missing": list(self.missing),
        }


def _intacct_text(exc: BaseException) -> str:
    """What Intacct said (description, description2, correction), never our own values."""
    parts = [getattr(exc, name, None) for name in ("description", "description2", "correction")]
    text = " ".join(str(p).strip() for p in parts if p)
    errorno = getattr(exc, "errorno", None)
    if errorno and text:
        return f"{text} ({errorno})"
    return text or str(exc)


def diagnose(exc: BaseException, need: ObjectNeed | None = None) -> SetupStep:
    """The checklist step that ``exc`` (raised by the client or by ``client_for``) says is missing."""
    said = _intacct_text(exc)
    if isinstance(exc, NotConnected):
        return SetupStep(
            NOT_CONNECTED,
            "Not connected yet",
            str(exc),
            "Enter the company ID, user ID and password under Connection.",
        )
    if isinstance(exc, SenderNotConfigured):
        return SetupStep(
            SENDER_CREDENTIALS,
            "This instance has no sender ID",
            str(exc),
            "The operator sets INTACCT_SENDER_ID and INTACCT_SENDER_PASSWORD.",
        )
    if isinstance(exc, ie.EndpointNotAllowed):
        return SetupStep(
            ENDPOINT_NOT_ALLOWED,
            "The endpoint is not allowed on this instance",
            said,
            f"The operator adds the endpoint to {endpoints.SETTING} if it is a genuine Intacct gateway, "
            "or an admin sets an allowed endpoint under Update credentials (with the password).",
        )
    if isinstance(exc, ie.WebServicesNotSubscribed):
        return SetupStep(
            checklist.WEB_SERVICES,
            "Web Services is not subscribed",
            said,
            "In Intacct: Company > Admin > Subscriptions, turn Web Services on.",
        )
    if isinstance(exc, ie.SenderNotAuthorized):
        sender = sender_id()
        return SetupStep(
            checklist.SENDER,
            f"Sender ID {sender} is not authorized for this company",
            said,
            "In Intacct: Company > Setup > Company > Security > Web Services authorizations, "
            f"add sender ID {sender} (case-sensitive) with status Active.",
        )
    if isinstance(exc, ie.SenderCredentialsInvalid):
        return SetupStep(
            SENDER_CREDENTIALS,
            "This instance's sender ID or sender password is wrong",
            said,
            "The operator checks INTACCT_SENDER_ID and INTACCT_SENDER_PASSWORD.",
        )
    if isinstance(exc, ie.UserInactive):
        return SetupStep(
            USER_INACTIVE,
            "The Web Services user is inactive",
            said,
            "In Intacct: Company > Admin > Web Services users, set the user's status to Active.",
        )
    if isinstance(exc, ie.EntityAccessDenied):
        return SetupStep(
            ENTITY,
            "The entity is not accessible to the Web Services user",
            said,
            "In Intacct: on the Web Services user, under User entities, give access to the "
            "workspace's entity (or top-level access), or correct the entity ID here.",
        )
    if isinstance(exc, ie.UserCredentialsInvalid | ie.SessionInvalid):
        return SetupStep(
            CREDENTIALS,
            # Intacct answers an inactive or locked-out user exactly like a wrong password
            CREDENTIALS_TITLE,
            said,
            "Check the company ID, the Web Services user ID and its password under Update "
            "credentials (a password changed in Intacct must be changed here too), and that the "
            "user's status is Active under Company > Admin > Web Services users.",
        )
    if isinstance(exc, ie.PermissionDenied):
        need = need or need_for_object(str(getattr(exc, "object", "") or ""))
        missing = [need.describe("L")] if need else []
        title = f"The role lacks {missing[0]}" if missing else "The role lacks a permission"
        return SetupStep(
            checklist.ROLE,
            title,
            said,
            "In Intacct: Company > Admin > Roles, edit the integration's role and tick the "
            "permissions listed in the checklist.",
            missing,
        )
    if isinstance(exc, ie.CompanyUnavailable):
        return SetupStep(
            CREDENTIALS,
            "The Intacct company is not available",
            said,
            "Check the company ID; if it is right, the company may be suspended or being upgraded.",
        )
    if isinstance(exc, ie.SetupError):
        return SetupStep(
            CREDENTIALS, "Intacct refused the sign-in", said, "Check each step of the setup checklist."
        )
    if isinstance(exc, ie.RequestRejected):
        return SetupStep(
            SENDER_CREDENTIALS,
            "Intacct rejected the request",
            said,
            "The operator checks INTACCT_SENDER_ID and INTACCT_SENDER_PASSWORD and the endpoint.",
        )
    if isinstance(exc, ie.TransportError):
        return SetupStep(
            UNREACHABLE,
            "Intacct could not be reached",
            said or type(exc).__name__,
            "Check the endpoint and the network; Test connection again later.",
        )
    if isinstance(exc, ie.FunctionError) and need is not None:
        return SetupStep(
            checklist.ROLE,
            f"Intacct refused to list {need.label}",
            said,
            f"Check that the application {need.application} is subscribed and the role "
            f"grants {need.describe('L')}.",
            [need.describe("L")],
        )
    return SetupStep(
        UNEXPECTED,
        "Unexpected error",
        said or type(exc).__name__,
        "Test connection again; if it persists, see the service log.",
    )


#: (level "error" | "warning" | "info", title, message) from a family's own check
Note = tuple[str, str, str]
FamilyCheck = Callable[[Any, Workspace], list[Note]]
_FAMILY_CHECKS: list[tuple[tuple[str, ...], FamilyCheck]] = []
FAMILY_CHECK = "family-check"


def register_check(families: tuple[str, ...], check: FamilyCheck) -> None:
    """A family app's extra Test connection check (project auto-numbering, the API Proxy permission),
    run when any of ``families`` is enabled; an "error" note fails the test with its words."""
    _FAMILY_CHECKS.append((families, check))


def _family_notes(client: Any, workspace: Workspace) -> list[Note]:
    enabled = set(workspace.families or [])
    notes: list[Note] = []
    for families, check in _FAMILY_CHECKS:
        if enabled & set(families):
            try:
                notes.extend(check(client, workspace))
            except ie.SetupError:
                raise
            except ie.IntacctError as exc:
                notes.append(("warning", f"Could not check {', '.join(families)}", str(exc)))
    return notes


def _probe(client: Any, need: ObjectNeed) -> None:
    """List one record of the object: exactly what a sync's first query needs."""
    rows = client.query(need.object, ["RECORDNO"], page_size=1, concurrent=False)
    try:
        next(iter(rows), None)
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def _check(workspace: Workspace) -> tuple[SetupStep | None, str, str, dict[str, str], list[Note]]:
    """(missing step or None, company reached, entity reached, per-object probe results, family notes)."""
    client = None
    probes: dict[str, str] = {}
    try:
        # one retry at most: a person is waiting, and a failing login must not be hammered
        client = client_for(workspace, max_retries=1)
        info = client.session()
        company, entity = info.company_id or "", info.location_id or ""
        missing: list[str] = []
        first: SetupStep | None = None
        for need in needs_for(workspace.families):
            try:
                _probe(client, need)
                probes[need.object] = "ok"
            except ie.SetupError:
                raise
            except ie.FunctionError as exc:
                step = diagnose(exc, need)
                probes[need.object] = "denied" if isinstance(exc, ie.PermissionDenied) else "error"
                first = first or step
                missing.extend(m for m in step.missing if m not in missing)
        if first is not None and len(missing) > 1:
            first = SetupStep(
                first.key, f"The role lacks {len(missing)} permissions", first.message, first.remedy, missing
            )
        notes = _family_notes(client, workspace) if first is None else []
        failed = [n for n in notes if n[0] == "error"]
        if failed:
            first = SetupStep(FAMILY_CHECK, failed[0][1], failed[0][2])
        return first, company, entity, probes, notes
    except Exception as exc:  # every failure becomes a recorded diagnosis, never a 500
        return diagnose(exc), "", "", probes, []
    finally:
        if client is not None:
            client.close()


def run_test_connection(workspace: Workspace, user: Any = None, via: str = "web") -> ConnectionTest:
    """Test the workspace's connection, record the outcome, and resume paused syncs if it passed."""
    # imported here: health imports this module (diagnose)
    from intacct_bridge.workspaces import health

    started = time.monotonic()
    step, company, entity, probes, notes = _check(workspace)
    ok = step is None
    if ok:
        objects = ", ".join(probes) or "no objects"
        title = f"Connected to {company}" + (f", entity {entity}" if entity else " (top level)")
        message = f"Signed in and listed {objects}."
    else:
        assert step is not None
        title, message = step.title, step.message
        if step.missing:
            message = (
                "Missing: " + "; ".join(step.missing) + (f". Intacct said: {message}" if message else "")
            )
    test = ConnectionTest.objects.create(
        workspace=workspace,
        user=user if getattr(user, "is_authenticated", False) else None,
        via=via,
        ok=ok,
        step="" if ok else step.key,  # type: ignore[union-attr]
        title=title,
        message=message,
        remedy="" if ok else step.remedy,  # type: ignore[union-attr]
        company=company,
        entity=entity,
        duration_ms=int((time.monotonic() - started) * 1000),
        probes=probes,
        notes=[{"level": level, "title": t, "message": m} for level, t, m in notes],
    )
    if ok:
        Connection.objects.filter(workspace=workspace, connected_at__isnull=True).update(
            connected_at=timezone.now()
        )
        health.resume(workspace)
    log.info("workspace %s: test connection %s: %s", workspace.slug, "passed" if ok else "failed", title)
    return test
