"""TASK (docs/intacct/objects.md §15): key RECORDNO; TASKID is unique within its project only and defaults to
the record number. TASKSTATUS is required by the docs but not by the PHP SDK: it defaults here."""

from __future__ import annotations

from typing import Any

from intacct_sandbox.objects.base import ObjectDef, boolean, date_, decimal, enum, integer, register, text
from intacct_sandbox.objects.writes import WriteContext
from intacct_sandbox.record_faults import DuplicateRecord

TASKSTATUSES = ("Not Started", "Planned", "In Progress", "Completed", "On Hold")


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    project = wc.find("PROJECT", str(row["PROJECTID"])) if row.get("PROJECTID") else None
    row["PROJECTKEY"] = None if project is None else project["RECORDNO"]
    row["PROJECTNAME"] = None if project is None else project.get("NAME")
    task_id = row.get("TASKID")
    if task_id:
        for other in wc.store.scan(wc.company_id, "TASK"):
            same = old is not None and other["RECORDNO"] == old["RECORDNO"]
            if not same and other.get("PROJECTID") == row.get("PROJECTID") and other.get("TASKID") == task_id:
                raise DuplicateRecord.for_record("Task", "task", str(task_id))


def _after_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    if not row.get("TASKID"):
        wc.store.replace(wc.company_id, "TASK", row["RECORDNO"], {**row, "TASKID": str(row["RECORDNO"])})


TASK = register(
    ObjectDef(
        name="TASK",
        extras=(
            "PARENTID",
            "PARENTTASKNAME",
            "ITEMKEY",
            "ITEMNAME",
            "TASKNO",
            "CLASSNAME",
            "CLASSKEY",
            "ROOTPARENTKEY",
            "ROOTPARENTID",
            "ROOTPARENTNAME",
        ),
        label="Task",
        fields=[
            text("TASKID", max_length=20),
            text("NAME", required=True),
            text("PROJECTID", required=True, ref=("PROJECT", "PROJECTID")),
            integer("PROJECTKEY", readonly=True),
            text("PROJECTNAME", readonly=True),
            enum("TASKSTATUS", {s: s for s in TASKSTATUSES}, default="Not Started"),
            integer("PARENTKEY"),
            date_("PBEGINDATE"),
            date_("PENDDATE"),
            text("CLASSID"),
            text("ITEMID"),
            boolean("BILLABLE", default=False),
            text("DESCRIPTION"),
            boolean("ISMILESTONE", default=False),
            integer("PRIORITY"),
            decimal("BUDGETQTY"),
            decimal("ESTQTY"),
        ],
        before_write=_before_write,
        after_write=_after_write,
    )
)
