"""TIMESHEET + TIMESHEETENTRY (docs/intacct/objects.md §16): EMPLOYEEID, BEGINDATE and at least one entry
(ENTRYDATE, QTY). STATE display values map to the documented query characters."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from intacct_sandbox.faults import ResultFault
from intacct_sandbox.objects.base import (
    Lines,
    ObjectDef,
    boolean,
    date_,
    decimal,
    enum,
    integer,
    register,
    text,
)
from intacct_sandbox.objects.writes import WriteContext, lines_of
from intacct_sandbox.record_faults import ApiProxyRequired, HoursInvalid, TaskClosed, ValidationFailed

#: states only an approver sets
DECIDED = frozenset({"Approved", "Partially Approved", "Declined", "Partially Declined"})
#: the role right that lets a login create and approve other employees' timesheets
API_PROXY = "PROJECTS_API_PROXY"

STATES = {
    "Submitted": "S",
    "Approved": "A",
    "Partially Approved": "X",
    "Declined": "R",
    "Draft": "I",
    "Partially Declined": "E",
    "Saved": "V",
}


def _task_of(wc: WriteContext, row: dict[str, Any]) -> dict[str, Any] | None:
    """The entry's task: TASKKEY (a RECORDNO), or TASKID within the entry's PROJECTID."""
    if row.get("TASKKEY") is not None:
        task = wc.get("TASK", int(row["TASKKEY"]))
        if task is None:
            raise ValidationFailed(f"Invalid Task '{row['TASKKEY']}' specified.")
        return task
    if row.get("TASKID") in (None, ""):
        return None
    project = row.get("PROJECTID")
    for task in wc.store.rows(wc.company_id, "TASK").values():
        if (
            task.get("TASKID") == row["TASKID"]
            and task.get("PROJECTID") == project
            and wc.visible("TASK", task)
        ):
            return dict(task)
    raise ValidationFailed(
        f"Invalid Task '{row['TASKID']}' specified for project '{project or ''}'.",
        correction="Send TASKKEY, or a TASKID together with the task's PROJECTID.",
    )


def _entry_before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    task = _task_of(wc, row)
    if task is not None:
        row["TASKKEY"] = task["RECORDNO"]
        row["TASKID"] = task.get("TASKID")
        row["PROJECTID"] = row.get("PROJECTID") or task.get("PROJECTID")
        if task.get("TASKSTATUS") == "Completed":
            raise TaskClosed(
                f"Task {task.get('TASKID')} of project {task.get('PROJECTID')} is Completed: time cannot be "
                "charged to it."
            )
    qty = row.get("QTY")
    if qty is not None and not (Decimal(0) < qty <= Decimal(24)):
        raise HoursInvalid(f"QTY {qty} is not valid: an entry has more than 0 and at most 24 hours.")


def has_api_proxy(ctx: Any) -> bool:
    try:
        ctx.require(API_PROXY, "A")
    except ResultFault:
        return False
    return True


def check_on_behalf(wc: WriteContext, employee_id: Any, action: str, on_behalf: bool = False) -> None:
    """Another employee's timesheet (or an explicit APPROVEDBY) needs the API Proxy right. Control-plane
    writes (wc.ctx None) act as an administrator in the UI."""
    ctx = wc.ctx
    if ctx is None:
        return
    own = getattr(ctx, "employee_id", None)
    if (on_behalf or employee_id != own) and not has_api_proxy(ctx):
        raise ApiProxyRequired.for_employee(action, str(employee_id))


TIMESHEETENTRY = register(
    ObjectDef(
        name="TIMESHEETENTRY",
        label="Timesheet Entry",
        parent_field="TIMESHEETKEY",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=[
            integer("TIMESHEETKEY", readonly=True),
            integer("LINE_NO", readonly=True),
            date_("ENTRYDATE", required=True),
            decimal("QTY", required=True),
            integer("TASKKEY"),
            text("TASKID"),
            text("PROJECTID", ref=("PROJECT", "PROJECTID")),
            text("CUSTOMERID", ref=("CUSTOMER", "CUSTOMERID")),
            text("DEPARTMENTID", ref=("DEPARTMENT", "DEPARTMENTID")),
            text("LOCATIONID", ref=("LOCATION", "LOCATIONID")),
            text("TIMETYPE"),
            boolean("BILLABLE", default=False),
            text("DESCRIPTION"),
            text("NOTES"),
            enum("STATE", STATES, readonly=True),
        ],
        before_write=_entry_before_write,
    )
)


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    if old is None or old.get("EMPLOYEEID") != row.get("EMPLOYEEID"):
        check_on_behalf(wc, row.get("EMPLOYEEID"), "create")
    elif row.get("STATE") != old.get("STATE") and row.get("STATE") in DECIDED:
        # approving by update is still approving: the same right as <approve>
        check_on_behalf(wc, row.get("EMPLOYEEID"), "approve")
    begin = row.get("BEGINDATE")
    row["ENDDATE"] = None if begin is None else begin + timedelta(days=6)
    employee = wc.find("EMPLOYEE", str(row["EMPLOYEEID"])) if row.get("EMPLOYEEID") else None
    row["EMPLOYEENAME"] = None if employee is None else employee.get("CONTACT.PRINTAS")
    entries = lines_of(wc, TIMESHEET, row)
    for entry in entries:
        when = entry.get("ENTRYDATE")
        if begin is not None and when is not None and not (begin <= when <= row["ENDDATE"]):
            raise ValidationFailed(f"Entry date {when.strftime('%m/%d/%Y')} is outside the timesheet week.")
        entry["STATE"] = row.get("STATE")  # pending entries; stored ones follow in _after_write
    row["HOURS"] = sum((e.get("QTY") or Decimal(0) for e in entries), Decimal(0))


def _after_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    """Entries follow the sheet's STATE (a state change without new entries included)."""
    for entry in wc.store.children(wc.company_id, "TIMESHEETENTRY", row["RECORDNO"]):
        if entry.get("STATE") != row.get("STATE"):
            wc.store.replace(
                wc.company_id, "TIMESHEETENTRY", entry["RECORDNO"], {**entry, "STATE": row.get("STATE")}
            )


def approve(
    wc: WriteContext,
    sheet: dict[str, Any],
    entry_keys: list[int],
    approve_it: bool,
    approved_by: str | None = None,
) -> dict[str, Any]:
    """Approve or decline a submitted timesheet, wholly or by entry (TimesheetApprove in the PHP SDK).
    APPROVEDBY, or a sheet of another employee, means acting on someone's behalf: API Proxy."""
    from intacct_sandbox.objects.writes import touch

    check_on_behalf(
        wc, sheet.get("EMPLOYEEID"), "approve" if approve_it else "decline", on_behalf=bool(approved_by)
    )

    if sheet.get("STATE") not in ("Submitted", "Partially Approved", "Partially Declined"):
        raise ValidationFailed(
            f"Timesheet {sheet['RECORDNO']} is {sheet.get('STATE')}; only submitted "
            "timesheets can be approved or declined."
        )
    entries = wc.store.children(wc.company_id, "TIMESHEETENTRY", sheet["RECORDNO"])
    known = {e["RECORDNO"] for e in entries}
    unknown = [k for k in entry_keys if k not in known]
    if unknown:
        raise ValidationFailed(f"Entry {unknown[0]} is not on timesheet {sheet['RECORDNO']}.")
    chosen = set(entry_keys) or known
    done, partial = ("Approved", "Partially Approved") if approve_it else ("Declined", "Partially Declined")
    for entry in entries:
        if entry["RECORDNO"] in chosen:
            wc.store.replace(wc.company_id, "TIMESHEETENTRY", entry["RECORDNO"], {**entry, "STATE": done})
    states = {e.get("STATE") for e in wc.store.children(wc.company_id, "TIMESHEETENTRY", sheet["RECORDNO"])}
    return touch(wc, TIMESHEET, sheet["RECORDNO"], {"STATE": done if states == {done} else partial})


TIMESHEET = register(
    ObjectDef(
        name="TIMESHEET",
        label="Timesheet",
        lines=Lines("TIMESHEETENTRIES", "TIMESHEETENTRY", "TIMESHEETENTRY"),
        fields=[
            text("EMPLOYEEID", required=True, ref=("EMPLOYEE", "EMPLOYEEID")),
            text("EMPLOYEENAME", readonly=True),
            date_("BEGINDATE", required=True),
            date_("ENDDATE", readonly=True),
            date_("GLPOSTDATE"),
            text("DESCRIPTION"),
            text("SUPDOCID"),
            enum("STATE", STATES, default="Draft"),
            decimal("HOURS", readonly=True),
        ],
        before_write=_before_write,
        after_write=_after_write,
    )
)


def delete_entry(wc: WriteContext, entry: dict[str, Any]) -> dict[str, Any]:
    """A user deletes one time entry in Intacct: the entry goes (an AUDITHISTORY delete event of
    timesheetentry), the sheet's HOURS and WHENMODIFIED move."""
    from intacct_sandbox.objects.writes import audit, touch

    sheet_key = int(entry["TIMESHEETKEY"])
    wc.store.delete(wc.company_id, "TIMESHEETENTRY", entry["RECORDNO"])
    audit(wc, TIMESHEETENTRY, entry["RECORDNO"], "D", force=True)
    hours = sum(
        (e.get("QTY") or Decimal(0) for e in wc.store.children(wc.company_id, "TIMESHEETENTRY", sheet_key)),
        Decimal(0),
    )
    return touch(wc, TIMESHEET, sheet_key, {"HOURS": hours})
