"""Observed percent completed of a project or task (OBSPCTCOMPLETED), as the .NET SDK's
Project/TaskObservedPercentCompleted classes write it: TYPE Project with PROJECTKEY or Task with
TASKKEY (RECORDNOs), ASOFDATE, PERCENT, NOTE (docs/intacct/gl-company-reads.md §2)."""

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
