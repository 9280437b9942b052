"""Projects and tasks of the psa app, and the workspace's PSA settings.

A project's mapped fields (name, description, dates, client, budget, stage, Intacct status) follow
PROJECT both ways; its billing type and custom fields belong to the app alone and never sync. A
task's mapped fields follow TASK both ways within a linked project. ``updated_at`` lets the
newest-wins policy compare both sides.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone

from intacct_bridge.workspaces.models import Workspace

#: app-created projects without an ID get this prefix + their local id (deterministic, so a retried
#: create sends the same PROJECTID and can be read back by it)
PROJECT_ID_PREFIX = "IBP"
TASK_ID_PREFIX = "IBT"


class Stage(models.TextChoices):
    """The PSA project stages (the app's project_stage, PROJECTSTATUS in Intacct)."""

    OPPORTUNITY = "opportunity", "Opportunity"
    PLANNING = "planning", "Planning"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    ON_HOLD = "on_hold", "On hold"
    CANCELLED = "cancelled", "Cancelled"


#: stages a new app project is created in Intacct as inactive (not ready for time and billing yet)
EARLY_STAGES = frozenset({Stage.OPPORTUNITY, Stage.PLANNING})


class BillingType(models.TextChoices):
    FIXED_PRICE = "fixed_price", "Fixed price"
    TIME_AND_MATERIALS = "time_and_materials", "Time and materials"
    NON_BILLABLE = "non_billable", "Non-billable"


class TaskStatus(models.TextChoices):
    """Intacct's TASKSTATUS values, the same words in the app."""

    NOT_STARTED = "not_started", "Not Started"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In Progress"
    COMPLETED = "completed", "Completed"
    ON_HOLD = "on_hold", "On Hold"


class Project(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="projects")
    # PROJECTID: identical on both sides; filled with IBP<id> when left empty
    project_id = models.CharField(max_length=20, blank=True, default="")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    client = models.ForeignKey(
        "bridge_records.Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    budget = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.PLANNING)
    # app-only: Intacct-created projects become fixed price; never synced
    billing_type = models.CharField(
        max_length=20, choices=BillingType.choices, default=BillingType.TIME_AND_MATERIALS
    )
    # STATUS in Intacct (active/inactive)
    intacct_active = models.BooleanField(default=True)
    # app-only custom fields: never synced
    custom_fields = models.JSONField(default=dict, blank=True)
    # the Intacct entity (LOCATIONID) the project belongs to in a multi-entity company
    entity = models.CharField(max_length=40, blank=True, default="")
    # PROJECTCATEGORY: not an app concept; filled from the workspace's PSA settings when first sent
    intacct_category = models.CharField(max_length=60, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["name", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["workspace", "project_id"],
                condition=~models.Q(project_id=""),
                name="psa_project_id_unique_per_workspace",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.name}".strip()

    # the stage as loaded from the database (None for a new project)
    _loaded_stage: str | None = None

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Project:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._loaded_stage = instance.__dict__.get("stage")  # to see a stage change on save
        return instance

    def save(self, *args: Any, **kwargs: Any) -> None:
        creating = self.pk is None
        if creating and self.stage in EARLY_STAGES:
            # new Opportunity / Planning projects arrive in Intacct inactive ...
            self.intacct_active = False
        elif self.stage == Stage.RUNNING and getattr(self, "_loaded_stage", None) in EARLY_STAGES:
            # ... and become active there when they start running
            self.intacct_active = True
        super().save(*args, **kwargs)
        self._loaded_stage = self.stage
        self.assign_default_id()

    def assign_default_id(self) -> None:
        """IBP<id> when no ID was given: it needs the primary key, known only after the insert.
        Called by ``save`` and by the post_save handler (which runs inside ``save``, before it)."""
        if not self.project_id and self.pk is not None:
            self.project_id = default_project_id(self.pk)
            type(self).objects.filter(pk=self.pk, project_id="").update(project_id=self.project_id)


def default_project_id(local_id: int) -> str:
    return f"{PROJECT_ID_PREFIX}{local_id}"


class Task(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="project_tasks")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    # TASKID: unique within its project only; Intacct numbers it when empty
    task_id = models.CharField(max_length=20, blank=True, default="")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    billable = models.BooleanField(default=False)
    # hours
    estimate = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="subtasks"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["project_id", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def default_task_id(self) -> str:
        """The TASKID a task created without one is sent with (deterministic: a retry reuses it)."""
        return f"{TASK_ID_PREFIX}{self.pk}"


class PsaSettings(models.Model):
    """Per workspace: what Intacct needs that the app does not have, and the qualifying window."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="psa_settings")
    # PROJECTCATEGORY is required by Intacct but not an app concept: every exported project gets this
    project_category = models.CharField(max_length=60, default="Contract")
    # end dates qualify when in the future or within ``qualifying_days`` of this date
    connected_on = models.DateField(default=date.today)
    qualifying_days = models.PositiveIntegerField(default=365)
    # detected by Test connection and by each sync: None = not known yet
    autonumber_projects = models.BooleanField(null=True, blank=True)
    autonumber_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "PSA settings"
        verbose_name_plural = "PSA settings"

    def __str__(self) -> str:
        return f"PSA settings of {self.workspace}"

    @property
    def earliest_end_date(self) -> date:
        return self.connected_on - timedelta(days=self.qualifying_days)

    def end_date_qualifies(self, end_date: date | None) -> bool:
        """An open-ended project qualifies; an end date must be in the future or within the window."""
        if end_date is None:
            return True
        return end_date >= timezone.localdate() or end_date >= self.earliest_end_date

    @classmethod
    def of(cls, workspace: Workspace) -> PsaSettings:
        connection = workspace.connection_or_none
        connected = connection.connected_at if connection is not None else None
        settings, _ = cls.objects.get_or_create(
            workspace=workspace,
            defaults={"connected_on": timezone.localdate(connected) if connected else timezone.localdate()},
        )
        return settings


class EventKind(models.TextChoices):
    PROJECT_CREATED = "project.created", "Project created"
    PROJECT_UPDATED = "project.updated", "Project updated"
    PROJECT_DELETED = "project.deleted", "Project deleted"
    TASK_CREATED = "task.created", "Task created"
    TASK_UPDATED = "task.updated", "Task updated"
    TASK_DELETED = "task.deleted", "Task deleted"
