"""The time families on the sync engine, registered when the app is ready.

``timesheets`` ↔ TIMESHEET + TIMESHEETENTRY. The direction is the workspace's "Use the app for
timesheets" setting (``Family.direction_for``):

* on (app → Intacct): approved app timesheets are created once in Intacct (generic ``create`` with
  their entries, state Submitted) and then approved there on the employee's behalf. The family is
  two-way with ``push_updates=False``; ``imports`` lets no Intacct sheet in, so it only follows the
  sheets it exported, and ``keep_app_values`` means Intacct's edits to what the app sent do not flow
  back — only Intacct's STATE does, and an entry deleted in Intacct deletes the app's entry.
* off (Intacct → app): Intacct's timesheets from the cut-off on are imported by every sync and kept
  in step, read-only here.

``project-invoices`` → ARINVOICE through ``create_invoice`` (the only create), once, when someone
exports the invoice; afterwards its state and amounts paid/due are pulled every hour.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from intacct_bridge.sync.context import RunContext
from intacct_bridge.sync.family import CreateContext, Family, Problems
from intacct_bridge.sync.registry import register
from intacct_bridge.sync.spec import (
    Direction,
    FamilySpec,
    FieldMap,
    ImportMode,
    LineSpec,
    Schedule,
    bool_in,
    bool_out,
    date_in,
    date_out,
    money_in,
    text_in,
)
from intacct_bridge.timesheets import rules
from intacct_bridge.timesheets.models import ProjectInvoice, TimeSettings, Timesheet
from intacct_bridge.workspaces.models import Workspace

# ---- transforms ---------------------------------------------------------------------------------


def hours_in(value: Any) -> Decimal:
    """QTY to hours with two decimals (what the app stores), so equal hours hash equal."""
    text = text_in(value)
    if not text:
        return Decimal("0.00")
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(f"not a number of hours: {text!r}") from None


def decimal_out(value: Any) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


# ---- timesheets ↔ TIMESHEET + TIMESHEETENTRY -----------------------------------------------------


def _direction(workspace: Workspace) -> Direction:
    return Direction.TWO_WAY if TimeSettings.of(workspace).use_app_for_timesheets else Direction.PULL


def _keep_app_values(workspace: Workspace) -> bool:
    """App-owned timesheets: Intacct's edits after export do not flow back (deletions do)."""
    return _direction(workspace) == Direction.TWO_WAY


def _timesheet_title(remote: Mapping[str, Any]) -> str:
    who = text_in(remote.get("EMPLOYEENAME")) or text_in(remote.get("EMPLOYEEID"))
    return f"{who}, week of {text_in(remote.get('BEGINDATE'))}"


def _validate_timesheet(values: Mapping[str, Any]) -> Problems:
    # only what the pull takes is checked (an app-owned sheet's pull skips what the app sent)
    problems: Problems = []
    if "person" in values and not values["person"]:
        problems.append(("IB-REQUIRED", "The timesheet has no employee (EMPLOYEEID is required)."))
    if "begin_date" in values and not values["begin_date"]:
        problems.append(("IB-REQUIRED", "The timesheet has no begin date (BEGINDATE is required)."))
    return problems


class Timesheets(Family[Timesheet]):
    def validate(self, values: Mapping[str, Any]) -> Problems:
        return _validate_timesheet(values)

    def on_create(self, local: Timesheet, options: Mapping[str, Any]) -> None:
        rules.timesheet_imported(local, options)

    def imports(self, ctx: RunContext, record: Mapping[str, Any]) -> bool:
        return rules.timesheet_imports(ctx, record)

    def ready_to_push(self, local: Timesheet) -> bool:
        return rules.timesheet_ready(local)

    def check_push(self, ctx: RunContext, local: Timesheet) -> Problems:
        return rules.check_timesheet(ctx, local)

    def build_create(self, context: CreateContext[Timesheet]) -> Mapping[str, Any]:
        return rules.build_timesheet(context)

    def created_key(self, local: Timesheet) -> str:
        return rules.timesheet_key(local)

    def create_attempt(self, local: Timesheet) -> str:
        return rules.timesheet_attempt(local)

    def keep_app_values(self, workspace: Workspace) -> bool:
        return _keep_app_values(workspace)

    def after_push(self, ctx: RunContext, locals_: list[Timesheet]) -> None:
        rules.timesheets_exported(ctx, locals_)

    def lines_removed(self, ctx: RunContext, lines: list[Any]) -> None:
        rules.report_entries_deleted(ctx, lines)

    def direction(self, workspace: Workspace) -> Direction:
        # the workspace's "Use the app for timesheets" setting
        return _direction(workspace)


TIMESHEETS = register(
    Timesheets(
        spec=FamilySpec(
            family="timesheets",
            label="Timesheets",
            intacct_object="TIMESHEET",
            business_id="RECORDNO",
            name_field="DESCRIPTION",
            model="bridge_time.Timesheet",
            fields=(
                # the employee never changes on an Intacct timesheet; checked by rules.check_timesheet
                FieldMap("person", "EMPLOYEEID", reference="people", push=False),
                FieldMap("begin_date", "BEGINDATE", to_app=date_in, to_intacct=date_out),
                FieldMap("intacct_state", "STATE", push=False),
            ),
            lines=LineSpec(
                intacct_object="TIMESHEETENTRY",
                parent_key="TIMESHEETKEY",
                model="bridge_time.TimeEntry",
                parent_attr="timesheet",
                fields=(
                    FieldMap("date", "ENTRYDATE", to_app=date_in, to_intacct=date_out),
                    FieldMap("hours", "QTY", to_app=hours_in, to_intacct=decimal_out),
                    FieldMap("project", "PROJECTID", reference="projects"),
                    FieldMap("task", rules.TASK_FIELD, reference="tasks"),
                    FieldMap("billable", "BILLABLE", to_app=bool_in, to_intacct=bool_out),
                    FieldMap("notes", "NOTES"),
                ),
            ),
            direction=Direction.TWO_WAY,
            # every pull looks at all changed sheets; ``imports`` decides which new ones come in
            import_mode=ImportMode.ALL,
            push_updates=False,
            create_function="create",
            created_key_field="DESCRIPTION",
            created_id_prefix="IBT",
            extra_fields=("EMPLOYEENAME", "HOURS"),
            describe=_timesheet_title,
            notes="One-way by a workspace setting: approved app timesheets out, or Intacct's in.",
        ),
        search_fields=("description",),
        noun="timesheet",
        remote_noun="timesheet",
    )
)


# ---- project invoices → ARINVOICE ---------------------------------------------------------------


def _invoice_title(remote: Mapping[str, Any]) -> str:
    return f"Invoice {text_in(remote.get('RECORDID')) or text_in(remote.get('RECORDNO'))}"


class ProjectInvoices(Family[ProjectInvoice]):
    def ready_to_push(self, local: ProjectInvoice) -> bool:
        return rules.invoice_ready(local)

    def check_push(self, ctx: RunContext, local: ProjectInvoice) -> Problems:
        return rules.check_invoice(ctx, local)

    def build_create(self, context: CreateContext[ProjectInvoice]) -> Mapping[str, Any]:
        return rules.build_invoice(context)

    def after_push(self, ctx: RunContext, locals_: list[ProjectInvoice]) -> None:
        rules.invoices_exported(ctx, locals_)

    def after_pull(
        self, ctx: RunContext, created: list[ProjectInvoice], updated: list[ProjectInvoice]
    ) -> None:
        rules.report_payment_changes(ctx, created, updated)


PROJECT_INVOICES = register(
    ProjectInvoices(
        spec=FamilySpec(
            family="project-invoices",
            label="Project invoices",
            intacct_object="ARINVOICE",
            business_id="RECORDNO",
            name_field="RECORDID",
            model="bridge_time.ProjectInvoice",
            # Intacct's once exported: only its state and the amounts paid and due come back
            fields=(
                FieldMap("intacct_state", "STATE", push=False),
                FieldMap("total", "TOTALENTERED", to_app=money_in, push=False),
                FieldMap("amount_paid", "TOTALPAID", to_app=money_in, push=False),
                FieldMap("amount_due", "TOTALDUE", to_app=money_in, push=False),
                FieldMap("paid_on", "WHENPAID", to_app=date_in, push=False),
            ),
            direction=Direction.TWO_WAY,
            import_mode=ImportMode.SELECTED,
            push_updates=False,
            create_function="create_invoice",
            created_key_field="EXTERNALID",
            created_id_prefix="IBPI",
            # an invoice's WHENCREATED is its date; AUWHENCREATED the system stamp (objects.md §0.9)
            created_field="AUWHENCREATED",
            schedule=Schedule.HOURLY,
            extra_fields=("RECORDID", "CUSTOMERID"),
            describe=_invoice_title,
            notes="Exported once on demand (create_invoice); payment status pulled every hour.",
        ),
        search_fields=("number", "description"),
        noun="project invoice",
        remote_noun="invoice",
    )
)
