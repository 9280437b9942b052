"""The PSA rules in one place: stage ↔ PROJECTSTATUS, task status ↔ TASKSTATUS, which projects are
exported and which Intacct projects are imported (docs/intacct/integrations.md §1).

* App projects in the *Running* stage whose end date qualifies are exported. Projects created in the
  app after the connection date are exported from any open stage (Opportunity, Planning, Running);
  those in Opportunity or Planning arrive in Intacct inactive (``Project.save``).
* Intacct projects that are *Active* with a qualifying end date are imported, as *Running* when their
  status names no stage, and *Fixed price*.
* An end date qualifies when it is in the future or within ``qualifying_days`` (365) of the
  workspace's connection date; a project without an end date qualifies.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from intacct_bridge.psa.models import EARLY_STAGES, Project, PsaSettings, Stage, TaskStatus
from intacct_bridge.sync.spec import date_in, get_path, text_in

# ---- stage ↔ PROJECTSTATUS ---------------------------------------------------------------------

#: what the app writes to PROJECTSTATUS for each stage (names of Intacct's default status list where
#: one fits: "In Progress", "Not Started", "Completed", "On Hold")
STATUS_OF_STAGE: dict[str, str] = {
    Stage.OPPORTUNITY: "Opportunity",
    Stage.PLANNING: "Not Started",
    Stage.RUNNING: "In Progress",
    Stage.COMPLETED: "Completed",
    Stage.ON_HOLD: "On Hold",
    Stage.CANCELLED: "Cancelled",
}

#: PROJECTSTATUS names read from Intacct (lower case) -> stage; companies name their statuses freely,
#: so the usual synonyms are understood
STAGE_OF_STATUS: dict[str, str] = {
    "opportunity": Stage.OPPORTUNITY,
    "proposal": Stage.OPPORTUNITY,
    "proposed": Stage.OPPORTUNITY,
    "draft": Stage.OPPORTUNITY,
    "not started": Stage.PLANNING,
    "planning": Stage.PLANNING,
    "planned": Stage.PLANNING,
    "in progress": Stage.RUNNING,
    "running": Stage.RUNNING,
    "active": Stage.RUNNING,
    "started": Stage.RUNNING,
    "completed": Stage.COMPLETED,
    "complete": Stage.COMPLETED,
    "closed": Stage.COMPLETED,
    "done": Stage.COMPLETED,
    "on hold": Stage.ON_HOLD,
    "hold": Stage.ON_HOLD,
    "suspended": Stage.ON_HOLD,
    "cancelled": Stage.CANCELLED,
    "canceled": Stage.CANCELLED,
}


def stage_in(value: Any) -> str:
    """PROJECTSTATUS to a stage. No status: Running (Active Intacct projects arrive as Running)."""
    text = text_in(value)
    if not text:
        return Stage.RUNNING.value
    stage = STAGE_OF_STATUS.get(" ".join(text.lower().replace("-", " ").split()))
    if stage is None:
        known = ", ".join(sorted(set(STATUS_OF_STAGE.values())))
        raise ValueError(
            f"PROJECTSTATUS {text!r} matches no project stage. Rename the project status in Sage "
            f"Intacct to one of {known} (or a usual synonym) and sync again."
        )
    return str(stage)


def stage_out(value: Any) -> str | None:
    return STATUS_OF_STAGE.get(str(value)) if value else None


# ---- task status ↔ TASKSTATUS ------------------------------------------------------------------

_TASK_STATUS_IN = {label.lower(): value for value, label in TaskStatus.choices}


def task_status_in(value: Any) -> str:
    text = text_in(value)
    if not text:
        return TaskStatus.NOT_STARTED.value
    status = _TASK_STATUS_IN.get(" ".join(text.lower().split()))
    if status is None:
        known = ", ".join(label for _, label in TaskStatus.choices)
        raise ValueError(f"TASKSTATUS {text!r} is not a task status ({known}).")
    return status


def task_status_out(value: Any) -> str | None:
    return str(TaskStatus(value).label) if value else None


# ---- money, hours, flags -----------------------------------------------------------------------


# ---- which projects go which way ---------------------------------------------------------------


def is_new_project(project: Project, settings: PsaSettings, when: datetime | None = None) -> bool:
    """Created (or, with ``when``, changed) in the app on or after the connection date, so not
    part of the app's history before the connection."""
    moment = when or project.created_at or timezone.now()
    start = timezone.make_aware(datetime.combine(settings.connected_on, time.min))
    return moment >= start


def export_problem(project: Project, settings: PsaSettings) -> tuple[str, str] | None:
    """Why an unlinked app project is not exported (code, text), or None when it is."""
    if not settings.end_date_qualifies(project.end_date):
        return (
            "IB-PSA-END-DATE",
            f"The end date {project.end_date:%Y-%m-%d} is more than {settings.qualifying_days} days before "
            f"the connection date ({settings.connected_on:%Y-%m-%d}); only projects ending later are "
            "exported to Sage Intacct.",
        )
    if project.stage == Stage.RUNNING:
        return None
    if project.stage in EARLY_STAGES and is_new_project(project, settings):
        return None
    return (
        "IB-PSA-STAGE",
        f"The project is in the {project.get_stage_display()} stage; only Running projects (and new "
        "Opportunity or Planning projects, as inactive) are exported to Sage Intacct.",
    )


def import_qualifies(record: Mapping[str, Any], settings: PsaSettings) -> bool:
    """An Intacct project is imported when Active with a qualifying end date."""
    if text_in(get_path(record, "STATUS")).lower() == "inactive":
        return False
    try:
        end: date | None = date_in(get_path(record, "ENDDATE"))
    except ValueError:
        return False
    return settings.end_date_qualifies(end)
