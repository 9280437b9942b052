"""Cost types of projects and tasks (COSTTYPE, read by sageintacctsdk), and the observed percent
completed of a project or task (OBSPCTCOMPLETED) as the .NET SDK's Project/TaskObservedPercentCompleted
classes write it: TYPE Project with PROJECTKEY or Task with TASKKEY (RECORDNOs), ASOFDATE, PERCENT, NOTE
(docs/intacct/gl-company-reads.md §2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from intacct_sandbox.objects.base import ObjectDef, date_, decimal, enum, integer, register, text
from intacct_sandbox.objects.writes import WriteContext
from intacct_sandbox.record_faults import ValidationFailed

TYPES = {"Project": "Project", "Task": "Task"}


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    kind = row.get("TYPE")
    key_field, obj = ("PROJECTKEY", "PROJECT") if kind == "Project" else ("TASKKEY", "TASK")
    key = row.get(key_field)
    target = wc.get(obj, int(key)) if key is not None else None
    if target is None:
        raise ValidationFailed(
            f"Invalid {key_field} '{key}': no {obj.lower()} has that key.",
            correction=f"Give the RECORDNO of the {obj.lower()} in {key_field}.",
        )
    row["PROJECTID"] = target.get("PROJECTID")
    row["TASKID"] = target.get("TASKID") if kind == "Task" else None
    percent = row.get("PERCENT")
    if percent is None or not Decimal(0) <= percent <= Decimal(100):
        raise ValidationFailed(f"PERCENT {percent} must be between 0 and 100.")


OBSPCTCOMPLETED = register(
    ObjectDef(
        name="OBSPCTCOMPLETED",
        label="Observed Percent Completed",
        fields=[
            enum("TYPE", TYPES, required=True),
            integer("PROJECTKEY"),
            integer("TASKKEY"),
            text("PROJECTID", readonly=True),
            text("TASKID", readonly=True),
            date_("ASOFDATE", required=True),
            decimal("PERCENT", required=True),
            text("NOTE"),
        ],
        before_write=_before_write,
    )
)


def _cost_type_before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    """A cost type belongs to a task of a project; its ID is unique within the task."""
    project = wc.find("PROJECT", str(row.get("PROJECTID") or ""))
    if project is None:
        raise ValidationFailed(f"Invalid Project '{row.get('PROJECTID')}' specified.")
    task = next(
        (
            t
            for t in wc.store.rows(wc.company_id, "TASK").values()
            if t.get("TASKID") == row.get("TASKID") and t.get("PROJECTID") == project["PROJECTID"]
        ),
        None,
    )
    if task is None:
        raise ValidationFailed(
            f"Invalid Task '{row.get('TASKID')}' of project {project['PROJECTID']} specified."
        )
    for other in wc.store.rows(wc.company_id, "COSTTYPE").values():
        same = (other.get("PROJECTID"), other.get("TASKID"), other.get("COSTTYPEID"))
        if same == (project["PROJECTID"], task["TASKID"], row.get("COSTTYPEID")) and (
            old is None or other["RECORDNO"] != old["RECORDNO"]
        ):
            raise ValidationFailed(
                f"Cost type {row.get('COSTTYPEID')} exists already on task {task['TASKID']}.",
                correction="Use a unique COSTTYPEID within the task.",
            )
    row.update(
        {
            "PROJECTKEY": project["RECORDNO"],
            "PROJECTNAME": project.get("NAME"),
            "TASKKEY": task["RECORDNO"],
            "TASKNAME": task.get("NAME"),
        }
    )


COSTTYPE = register(
    ObjectDef(
        name="COSTTYPE",
        label="Cost Type",
        fields=[
            integer("PROJECTKEY", readonly=True),
            text("PROJECTID", required=True),
            text("PROJECTNAME", readonly=True),
            integer("TASKKEY", readonly=True),
            text("TASKID", required=True),
            text("TASKNAME", readonly=True),
            text("COSTTYPEID", required=True),
            text("NAME", required=True),
            enum("STATUS", {"active": "T", "inactive": "F"}, default="active"),
        ],
        before_write=_cost_type_before_write,
    )
)
