"""The timesheet workflow in the app: submit, approve, reject, and what each does to Intacct.

* **approve** marks a submitted (or earlier rejected) sheet approved and queues its export at once
  (``jobs.push_now``): the ``timesheets`` family creates the Intacct TIMESHEET and approves it.
  Approving twice is refused: the sheet is exported once.
* **reject** of a sheet already in Intacct deletes the Intacct TIMESHEET first (by RECORDNO, with
  the workspace's client) and forgets the link, so a later re-approval exports exactly one sheet.
  When Intacct refuses the delete, nothing changes here and the refusal is returned with its
  errorno, text and our remedy.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from django.db import IntegrityError, transaction
from django.utils import timezone

import intacct.errors as ie
from intacct_bridge.jobs import tasks as jobs
from intacct_bridge.psa.models import Project, Task
from intacct_bridge.records.models import Person
from intacct_bridge.sync import service
from intacct_bridge.sync.models import IdempotentCreate, Link, PendingPush
from intacct_bridge.sync.remedies import remedy_for
from intacct_bridge.sync.runs import error_fields
from intacct_bridge.sync.spec import hash_values
from intacct_bridge.timesheets import events
from intacct_bridge.timesheets.models import TimeEntry, TimeSettings, Timesheet, TimesheetState
from intacct_bridge.workspaces.connection import client_for
from intacct_bridge.workspaces.models import Membership, Profile, Workspace

FAMILY = "timesheets"
#: profiles that may approve and reject other people's time
APPROVERS = (Profile.ADMIN, Profile.CONTROLLER, Profile.PROJECT_MANAGER)
CLAIM_WAIT_SECONDS = 20


class TimeRefused(Exception):
    """A refused workflow step. ``status``: 409 for the state (approved twice ...), 403, 422 or 502
    (Intacct refused; ``errorno`` and ``remedy`` say why and what to do)."""

    def __init__(
        self, code: str, message: str, *, status: int = 409, errorno: str = "", remedy: str = ""
    ) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status
        self.errorno, self.remedy = errorno, remedy


@dataclass(frozen=True)
class Actor:
    user: Any  # a User or None (API token)
    label: str  # who, for messages and events


def may_approve(workspace: Workspace, user: Any) -> bool:
    if user is None:
        return True  # a read-write API token: created by an admin for a host product
    return Membership.objects.filter(workspace=workspace, user=user, profile__in=APPROVERS).exists()


def exported_link(sheet: Timesheet) -> Link | None:
    return Link.objects.filter(
        workspace_id=sheet.workspace_id, family=FAMILY, local_id=sheet.pk, state="linked"
    ).first()


def _locked(sheet: Timesheet) -> Timesheet:
    return Timesheet.objects.select_for_update().get(pk=sheet.pk)


def submit(sheet: Timesheet, actor: Actor) -> Timesheet:
    with transaction.atomic():
        sheet = _locked(sheet)
        if sheet.state == TimesheetState.SUBMITTED:
            raise TimeRefused("already_submitted", "This timesheet is already submitted for approval.")
        if sheet.state == TimesheetState.APPROVED:
            raise TimeRefused("already_approved", "This timesheet is already approved.")
        if not sheet.lines.exists():
            raise TimeRefused("no_entries", "Add at least one time entry before submitting.", status=422)
        sheet.state = TimesheetState.SUBMITTED
        sheet.submitted_at = timezone.now()
        sheet.save(update_fields=["state", "submitted_at", "updated_at"])
        events.emit(sheet.workspace, events.TIMESHEET_SUBMITTED, {"timesheet": sheet.pk, "by": actor.label})
    return sheet


def approve(sheet: Timesheet, actor: Actor, *, export: bool = True) -> Timesheet:
    """Approve and (app → Intacct workspaces) export now. Raises TimeRefused."""
    workspace = sheet.workspace
    if not may_approve(workspace, actor.user):
        raise TimeRefused(
            "forbidden", "Only admins, controllers and project managers approve time.", status=403
        )
    settings = TimeSettings.of(workspace)
    if not settings.use_app_for_timesheets:
        raise TimeRefused(
            "intacct_owns_timesheets",
            "This workspace takes timesheets from Sage Intacct (Use the app for timesheets is off): "
            "approve them in Intacct.",
        )
    with transaction.atomic():
        sheet = _locked(sheet)
        if sheet.state == TimesheetState.APPROVED:
            who = sheet.approved_by.get_username() if sheet.approved_by else "someone"
            when = f" on {timezone.localtime(sheet.approved_at):%Y-%m-%d %H:%M}" if sheet.approved_at else ""
            raise TimeRefused(
                "already_approved",
                f"This timesheet was already approved by {who}{when}; it goes to Sage Intacct once.",
            )
        if sheet.state == TimesheetState.DRAFT:
            raise TimeRefused(
                "not_submitted", "The timesheet is still a draft: submit it for approval first."
            )
        if not sheet.lines.exists():
            raise TimeRefused("no_entries", "The timesheet has no time entries.", status=422)
        sheet.state = TimesheetState.APPROVED
        sheet.approved_by = actor.user
        sheet.approved_at = timezone.now()
        sheet.rejected_at, sheet.rejected_by, sheet.rejection_note = None, None, ""
        before_cutoff = sheet.begin_date < settings.effective_cutoff()
        sheet.save()
        if not before_cutoff:
            PendingPush.objects.get_or_create(workspace=workspace, family=FAMILY, local_id=sheet.pk)
        events.emit(workspace, events.TIMESHEET_APPROVED, {"timesheet": sheet.pk, "by": actor.label})
    if export and not before_cutoff:
        jobs.push_now(workspace, FAMILY, [sheet.pk])
        sheet.refresh_from_db()
    return sheet


def reject(sheet: Timesheet, actor: Actor, note: str = "") -> Timesheet:
    """Reject; a sheet already in Intacct is deleted there first. Raises TimeRefused."""
    workspace = sheet.workspace
    if not may_approve(workspace, actor.user):
        raise TimeRefused(
            "forbidden", "Only admins, controllers and project managers reject time.", status=403
        )
    if not TimeSettings.of(workspace).use_app_for_timesheets:
        raise TimeRefused(
            "intacct_owns_timesheets",
            "This workspace takes timesheets from Sage Intacct (Use the app for timesheets is off): "
            "decline them in Intacct.",
        )
    if sheet.state == TimesheetState.REJECTED:
        raise TimeRefused("already_rejected", "This timesheet is already rejected.")
    if sheet.state == TimesheetState.DRAFT:
        raise TimeRefused("not_submitted", "A draft cannot be rejected: it was never submitted.")
    link = exported_link(sheet)
    if link is None:
        return _mark_rejected(sheet, actor, note, withdrawn=None)
    with _workspace_claim(workspace):
        link = exported_link(sheet)  # a sync may have exported or withdrawn it meanwhile
        if link is not None:
            _delete_in_intacct(workspace, link)
        return _mark_rejected(sheet, actor, note, withdrawn=link.recordno if link else None)


class _workspace_claim:
    """Hold the workspace's sync claim while deleting, so no run exports the sheet at the same time."""
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._ctx: Any = None

    def __enter__(self) -> None:
        deadline = time.monotonic() + CLAIM_WAIT_SECONDS
        while True:
            ctx = service.claimed(self.workspace)
            try:
                ctx.__enter__()
            except service.Busy:
                if time.monotonic() > deadline:
                    raise TimeRefused(
                        "busy",
                        "A sync of this workspace is running; reject again in a minute.",
                    ) from None
                time.sleep(0.5)
                continue
            self._ctx = ctx
            return

    def __exit__(self, *exc: Any) -> None:
        self._ctx.__exit__(*exc)


def _delete_in_intacct(workspace: Workspace, link: Link) -> None:
    """DELETE TIMESHEET by RECORDNO. Already gone counts as done; any other refusal is raised."""
    client = client_for(workspace)
    try:
        error = client.delete("TIMESHEET", [link.recordno])[0].error
    except ie.IntacctError as exc:
        error = exc
    finally:
        client.close()
    if error is not None and not isinstance(error, ie.NotFound):
        _refused(error)


def _refused(exc: BaseException) -> NoReturn:
    errorno, text, correction = error_fields(exc)
    remedy = remedy_for(errorno, text, correction)
    said = f"{text} {correction}".strip()
    raise TimeRefused(
        "intacct_refused",
        f"Sage Intacct refused to delete the exported timesheet, so it stays approved: {said}",
        status=502,
        errorno=errorno,
        remedy=remedy.fix,
    )


def _mark_rejected(sheet: Timesheet, actor: Actor, note: str, *, withdrawn: int | None) -> Timesheet:
    with transaction.atomic():
        sheet = _locked(sheet)
        if sheet.state == TimesheetState.REJECTED:
            raise TimeRefused("already_rejected", "This timesheet is already rejected.")
        if withdrawn is not None:
            # gone from Intacct: the link goes too, so a re-approval creates one new sheet
            Link.objects.filter(workspace_id=sheet.workspace_id, family=FAMILY, local_id=sheet.pk).delete()
            sheet.lines.update(recordno=None)
            sheet.export_round += 1
            sheet.withdrawn_recordno = withdrawn
            sheet.intacct_state = ""
        PendingPush.objects.filter(workspace_id=sheet.workspace_id, family=FAMILY, local_id=sheet.pk).delete()
        sheet.state = TimesheetState.REJECTED
        sheet.rejected_by = actor.user
        sheet.rejected_at = timezone.now()
        sheet.rejection_note = note[:500]
        sheet.approved_by, sheet.approved_at = None, None
        sheet.save()
        events.emit(
            sheet.workspace,
            events.TIMESHEET_REJECTED,
            {"timesheet": sheet.pk, "by": actor.label, "note": sheet.rejection_note},
        )
        if withdrawn is not None:
            events.emit(
                sheet.workspace,
                events.TIMESHEET_WITHDRAWN,
                {"timesheet": sheet.pk, "intacct_recordno": withdrawn},
            )
    return sheet


# ---- entering time ------------------------------------------------------------------------------


def _parse_day(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise TimeRefused("invalid", f"{what}: {value!r} is not a date (YYYY-MM-DD).", status=422) from None


def _parse_hours(value: Any, what: str) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise TimeRefused("invalid", f"{what}: {value!r} is not a number of hours.", status=422) from None
    if not hours.is_finite() or abs(hours) > 24:
        raise TimeRefused("invalid", f"{what}: {value} is not between -24 and 24 hours.", status=422)
    return hours


def create_timesheet(
    workspace: Workspace, data: Mapping[str, Any], *, key: str = "", actor: Actor | None = None
) -> tuple[Timesheet, bool]:
    """(timesheet, created) from ``{"person", "begin_date", "description", "entries": [{"date",
    "hours", "project", "task", "notes"}], "submit"}``; the same Idempotency-Key answers with the
    sheet it made. An entry's billable flag is its task's."""
    digest = hash_values({"family": FAMILY, "body": repr(sorted(data.items()))})
    if key:
        earlier = _replay(workspace, key, digest)
        if earlier is not None:
            return earlier, False
    person_id = data.get("person")
    person = (
        Person.objects.filter(workspace=workspace, pk=person_id).first() if person_id is not None else None
    )
    if person is None:
        raise TimeRefused(
            "invalid", f"person: no team member {data.get('person')!r} in this workspace.", status=422
        )
    begin = _parse_day(data.get("begin_date"), "begin_date")
    raw_entries: Sequence[Mapping[str, Any]] = data.get("entries") or []
    if not raw_entries:
        raise TimeRefused("invalid", "entries: a timesheet needs at least one entry.", status=422)
    entries = []
    for n, raw in enumerate(raw_entries, 1):
        day = _parse_day(raw.get("date"), f"entries[{n}].date")
        if not begin <= day <= begin + timedelta(days=6):
            raise TimeRefused(
                "invalid", f"entries[{n}].date: {day} is outside the week beginning {begin}.", status=422
            )
        project_id = raw.get("project")
        project = (
            Project.objects.filter(workspace=workspace, pk=project_id).first()
            if project_id is not None
            else None
        )
        if project is None:
            raise TimeRefused("invalid", f"entries[{n}].project: no such project.", status=422)
        task = None
        if raw.get("task") is not None:
            task = Task.objects.filter(workspace=workspace, pk=raw["task"]).first()
            if task is None or task.project_id != project.pk:
                raise TimeRefused(
                    "invalid", f"entries[{n}].task: no such task in project {project}.", status=422
                )
        entries.append(
            TimeEntry(
                line_no=n,
                date=day,
                hours=_parse_hours(raw.get("hours"), f"entries[{n}].hours"),
                project=project,
                task=task,
                billable=task.billable if task else False,
                notes=str(raw.get("notes") or "")[:1000],
            )
        )
    try:
        with transaction.atomic():
            sheet = Timesheet.objects.create(
                workspace=workspace,
                person=person,
                begin_date=begin,
                description=str(data.get("description") or "")[:200],
            )
            for entry in entries:
                entry.timesheet = sheet
            TimeEntry.objects.bulk_create(entries)
            if key:
                IdempotentCreate.objects.create(
                    workspace=workspace, key=key, family=FAMILY, request_hash=digest, local_id=sheet.pk
                )
    except IntegrityError:
        earlier = _replay(workspace, key, digest) if key else None
        if earlier is None:
            raise
        return earlier, False
    if data.get("submit"):
        sheet = submit(sheet, actor or Actor(None, "api"))
    return sheet, True


def _replay(workspace: Workspace, key: str, digest: str) -> Timesheet | None:
    done = IdempotentCreate.objects.filter(workspace=workspace, key=key).first()
    if done is None:
        return None
    if done.family != FAMILY or done.request_hash != digest:
        raise TimeRefused("key_reused", f"Idempotency-Key {key!r} was already used for another request.")
    sheet = Timesheet.objects.filter(workspace=workspace, pk=done.local_id).first()
    if sheet is None:
        raise TimeRefused(
            "key_reused", f"The timesheet made under Idempotency-Key {key!r} was deleted since."
        )
    return sheet
