"""Timesheets (a person's week of time entries) and project invoices, with the workspace's time setting.

A timesheet is approved in the app and then exported once to an Intacct TIMESHEET (the family
``timesheets``); a project invoice is exported on demand to an ARINVOICE (``project-invoices``) and
its payment status is pulled back. Which side owns timesheets is the workspace's ``TimeSettings``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from intacct_bridge.workspaces.models import Workspace

ZERO = Decimal("0.00")


class TimeSettings(models.Model):
    """Per workspace: which side owns timesheets, and from when on approved time is sent."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="time_settings")
    # "Use the app for timesheets": on, approved app timesheets go to Intacct; off, Intacct's come in
    use_app_for_timesheets = models.BooleanField(default=True)
    # timesheets whose week begins before this day are never sent; empty = the connection date
    cutoff = models.DateField(null=True, blank=True)
    # LOCATIONID written on time entries when the company is multi-entity and the workspace works
    # at top level ("" = the workspace's entity, or none)
    entry_location = models.CharField(max_length=40, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        side = "app → Intacct" if self.use_app_for_timesheets else "Intacct → app"
        return f"{self.workspace}: timesheets {side}"

    @classmethod
    def of(cls, workspace: Workspace) -> TimeSettings:
        found = cls.objects.filter(workspace=workspace).first()
        return found if found is not None else cls(workspace=workspace)

    def effective_cutoff(self) -> date:
        """The configured cut-off, else the day the workspace was connected (else created)."""
        if self.cutoff is not None:
            return self.cutoff
        conn = self.workspace.connection_or_none
        moment = (conn.connected_at if conn is not None else None) or self.workspace.created_at
        return timezone.localdate(moment)

    def location_for_entries(self) -> str:
        if self.entry_location:
            return self.entry_location
        conn = self.workspace.connection_or_none
        return conn.entity_id if conn is not None else ""


class TimesheetState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ExportState(models.TextChoices):
    """Where a timesheet stands with Intacct (computed by ``exports.export_status``, never stored)."""

    NOT_APPROVED = "not_approved", "Not approved yet"
    WAITING = "waiting", "Waiting to export"
    EXPORTED = "exported", "Exported"
    BLOCKED = "blocked", "Not exported"
    BEFORE_CUTOFF = "before_cutoff", "Before the cut-off: not sent"
    WITHDRAWN = "withdrawn", "Removed from Sage Intacct"
    DELETED_IN_INTACCT = "deleted_in_intacct", "Deleted in Sage Intacct"
    FROM_INTACCT = "from_intacct", "From Sage Intacct"


class Timesheet(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="timesheets")
    # null only for a sheet pulled from Intacct whose employee was never imported (an issue says so)
    person = models.ForeignKey(
        "bridge_records.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="timesheets"
    )
    begin_date = models.DateField(help_text="First day of the timesheet's week")
    description = models.CharField(max_length=200, blank=True, default="")
    state = models.CharField(max_length=12, choices=TimesheetState.choices, default=TimesheetState.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_note = models.CharField(max_length=500, blank=True, default="")
    exported_at = models.DateTimeField(null=True, blank=True)
    # bumped each time an exported sheet is withdrawn from Intacct, so the next export is a new
    # write (its key and controlid differ from the deleted one's)
    export_round = models.PositiveIntegerField(default=0)
    # the Intacct TIMESHEET deleted when an exported sheet was rejected (shown on the page)
    withdrawn_recordno = models.BigIntegerField(null=True, blank=True)
    # the Intacct side, as last read: STATE (Submitted, Approved, ...) and the entity
    intacct_state = models.CharField(max_length=30, blank=True, default="")
    entity = models.CharField(max_length=40, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-begin_date", "id"]

    def __str__(self) -> str:
        who = self.person.full_name if self.person_id and self.person else "unknown employee"
        return f"{who}, week of {self.begin_date:%Y-%m-%d}"

    @property
    def total_hours(self) -> Decimal:
        return sum((line.hours for line in self.lines.all()), ZERO)

    @property
    def is_app_editable(self) -> bool:
        return self.state in (TimesheetState.DRAFT, TimesheetState.REJECTED)


class TimeEntry(models.Model):
    """One line of a timesheet: hours on a day for a project (and task)."""

    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    # the Intacct TIMESHEETENTRY RECORDNO once exported (or pulled)
    recordno = models.BigIntegerField(null=True, blank=True)
    date = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=2)
    project = models.ForeignKey(
        "bridge_psa.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="time_entries"
    )
    task = models.ForeignKey(
        "bridge_psa.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="time_entries"
    )
    # copied from the task when the entry is saved in the app (Sage PSA: "billable = the task's flag")
    billable = models.BooleanField(default=False)
    notes = models.CharField(max_length=1000, blank=True, default="")

    class Meta:
        ordering: ClassVar = ["timesheet", "line_no", "id"]
        verbose_name_plural = "time entries"

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.hours} h"


class InvoiceExportState(models.TextChoices):
    DRAFT = "draft", "Not exported"
    QUEUED = "queued", "Exporting"
    EXPORTED = "exported", "Exported"
    FAILED = "failed", "Export failed"


PAYMENT_FIELDS = ("intacct_state", "amount_paid", "amount_due")


class ProjectInvoice(models.Model):
    """An invoice raised in the app for a project; exported to an Intacct ARINVOICE on demand."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="project_invoices")
    project = models.ForeignKey(
        "bridge_psa.Project", on_delete=models.PROTECT, related_name="invoices", null=True, blank=True
    )
    client = models.ForeignKey(
        "bridge_records.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(max_length=45)
    date = models.DateField(default=timezone.localdate)
    due_date = models.DateField()
    currency = models.CharField(max_length=3, default="USD")
    description = models.CharField(max_length=1000, blank=True, default="")
    total = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    # pulled back from Intacct: STATE (Posted, Partially Paid, Paid, ...), paid and due amounts
    intacct_state = models.CharField(max_length=30, blank=True, default="")
    amount_paid = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    amount_due = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    paid_on = models.DateField(null=True, blank=True)
    # the (state, paid, due) last announced as an event: a pull that changes them is an event
    payment_reported = models.CharField(max_length=100, blank=True, default="")
    # the export dialog's choices: the Intacct customer (a linked client), the revenue GL account
    # and the location (entity) the invoice is booked in
    export_client = models.ForeignKey(
        "bridge_records.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    export_account = models.ForeignKey(
        "bridge_records.Account", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    export_location = models.CharField(max_length=40, blank=True, default="")
    export_state = models.CharField(
        max_length=10, choices=InvoiceExportState.choices, default=InvoiceExportState.DRAFT
    )
    export_message = models.TextField(blank=True, default="")
    export_requested_at = models.DateTimeField(null=True, blank=True)
    export_requested_by = models.CharField(max_length=150, blank=True, default="")
    exported_at = models.DateTimeField(null=True, blank=True)
    entity = models.CharField(max_length=40, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-date", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["workspace", "number"], name="one_project_invoice_number")
        ]

    def __str__(self) -> str:
        return f"Invoice {self.number}"

    @property
    def payment_status(self) -> str:
        """What a person reads: Paid / Partially paid / Unpaid (after export), else the export state."""
        if self.export_state != InvoiceExportState.EXPORTED:
            return self.get_export_state_display()
        if self.total and self.amount_due <= 0 and self.amount_paid > 0:
            return "Paid"
        if self.amount_paid > 0:
            return "Partially paid"
        return "Unpaid"

    @property
    def payment_signature(self) -> str:
        return "|".join(str(getattr(self, f)) for f in PAYMENT_FIELDS)

    def recompute_total(self) -> None:
        self.total = sum((line.amount for line in self.lines.all()), ZERO)
        if self.export_state != InvoiceExportState.EXPORTED:
            self.amount_due = self.total - self.amount_paid


class ProjectInvoiceLine(models.Model):
    invoice = models.ForeignKey(ProjectInvoice, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    recordno = models.BigIntegerField(null=True, blank=True)
    description = models.CharField(max_length=1000, blank=True, default="")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    # a line's own revenue account; empty = the export dialog's account
    account = models.ForeignKey(
        "bridge_records.Account", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["invoice", "line_no", "id"]

    def __str__(self) -> str:
        return f"{self.line_no}: {self.amount}"
