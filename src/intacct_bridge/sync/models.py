"""Links, cursors, runs, issues, conflicts, the per-workspace claim, schedules and the push outbox."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from intacct_bridge.workspaces.models import Workspace


class LinkState(models.TextChoices):
    LINKED = "linked", "Linked"
    UNLINKED = "unlinked", "Unlinked"


class Link(models.Model):
    """(workspace, family, local id) ↔ (RECORDNO, business ID). A local record has at most one."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="links")
    family = models.CharField(max_length=40)
    local_id = models.BigIntegerField()
    recordno = models.BigIntegerField()
    business_id = models.CharField(max_length=100, blank=True, default="")
    # hash of the mapped app-side values both sides last agreed on (spec.hash_values)
    last_seen_hash = models.CharField(max_length=64, blank=True, default="")
    remote_modified = models.CharField(max_length=32, blank=True, default="")
    last_synced_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=LinkState.choices, default=LinkState.LINKED)
    # how the record came to be linked: imported, linked (by a person), created (pushed)
    origin = models.CharField(max_length=10, default="imported")
    unlinked_reason = models.CharField(max_length=200, blank=True, default="")
    # the Intacct entity the record belongs to (spec.entity_field; "" for shared/top-level records)
    entity = models.CharField(max_length=40, blank=True, default="")
    # per-link choices made at import, e.g. {"skip": ["department"]} (fields the import left alone)
    options = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["workspace", "family", "local_id"], name="one_link_per_record"),
            # an Intacct record is linked to at most one local record at a time
            models.UniqueConstraint(
                fields=["workspace", "family", "recordno"],
                condition=Q(state="linked"),
                name="one_local_per_remote",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["workspace", "family", "recordno"])]

    def __str__(self) -> str:
        return f"{self.family}:{self.local_id}↔{self.recordno} ({self.state})"

    @property
    def is_linked(self) -> bool:
        return self.state == LinkState.LINKED


class Cursor(models.Model):
    """A family's stored watermark (cursors.Position as a dict) and removal-check bookkeeping."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="sync_cursors")
    family = models.CharField(max_length=40)
    position = models.JSONField(default=dict, blank=True)
    # the Web Services user's timezone the position is expressed in
    timezone = models.CharField(max_length=64, default="America/Los_Angeles")
    removal_checked_at = models.DateTimeField(null=True, blank=True)
    key_scan_at = models.DateTimeField(null=True, blank=True)
    # Intacct-local ACCESSTIME already read from AUDITHISTORY ("" = never); "denied" when not permitted
    audit_position = models.CharField(max_length=32, blank=True, default="")
    audit_denied = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["workspace", "family"], name="one_cursor_per_family")
        ]

    def __str__(self) -> str:
        return f"{self.workspace}/{self.family}: {self.position}"


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", "Schedule"
    SYNC_NOW = "sync_now", "Sync now"
    IMPORT = "import", "Import"
    LINK = "link", "Link"
    RETRY = "retry", "Retry"
    PUSH = "push", "Changed in the app"
    # queued by the healer to redo a run a dead worker left unfinished (jobs/healer.py)
    RECOVERY = "recovery", "Recovery"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    PARTIAL = "partial", "Finished with issues"
    FAILED = "failed", "Failed"
    INTERRUPTED = "interrupted", "Interrupted"
    SKIPPED = "skipped", "Skipped"


COUNTERS = ("fetched", "created", "updated", "unchanged", "unlinked", "pushed", "failed", "conflicts")


class Run(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="sync_runs")
    # "" = all the workspace's families
    family = models.CharField(max_length=40, blank=True, default="")
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.SYNC_NOW)
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    fetched = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    unlinked = models.PositiveIntegerField(default=0)
    pushed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    conflicts = models.PositiveIntegerField(default=0)
    api_requests = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    records_done = models.PositiveIntegerField(default=0)
    # what the run is doing now ("clients: reading changes")
    phase = models.CharField(max_length=200, blank=True, default="")
    message = models.TextField(blank=True, default="")
    requested_by = models.CharField(max_length=150, blank=True, default="")
    # the last time the healer handed this queued run to the queue again (its task was lost)
    requeued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-queued_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["status", "queued_at"], name="run_status_queued")]

    def __str__(self) -> str:
        return f"run {self.pk} {self.workspace}/{self.family or 'all'} {self.status}"

    @property
    def synced(self) -> int:
        return self.created + self.updated + self.unlinked + self.pushed

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTERS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "family": self.family or None,
            "trigger": self.trigger,
            "status": self.status,
            "queued_at": self.queued_at.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "counts": self.counts(),
            "api_requests": self.api_requests,
            "progress": {"pages": self.pages_done, "records": self.records_done, "phase": self.phase},
            "message": self.message,
        }


class RunIssue(models.Model):
    """One record that failed in a run: Intacct's words, our remedy, and whether someone fixed it."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="issues")
    family = models.CharField(max_length=40)
    recordno = models.BigIntegerField(null=True, blank=True)
    business_id = models.CharField(max_length=100, blank=True, default="")
    local_id = models.BigIntegerField(null=True, blank=True)
    # what was being done: pull, import, push, link, removal
    action = models.CharField(max_length=20, default="pull")
    errorno = models.CharField(max_length=40, blank=True, default="")
    text = models.TextField(blank=True, default="")
    correction = models.TextField(blank=True, default="")
    remedy_code = models.CharField(max_length=40, blank=True, default="")
    remedy = models.TextField(blank=True, default="")
    setup_step = models.TextField(blank=True, default="")
    fixed = models.BooleanField(default=False)
    fixed_at = models.DateTimeField(null=True, blank=True)
    retried_in = models.ForeignKey(Run, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["id"]

    def __str__(self) -> str:
        return f"{self.family} {self.business_id or self.recordno}: {self.errorno} {self.text[:60]}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "family": self.family,
            "action": self.action,
            "intacct_recordno": self.recordno,
            "intacct_id": self.business_id or None,
            "local_id": self.local_id,
            "errorno": self.errorno,
            "text": self.text,
            "correction": self.correction,
            "remedy": {"code": self.remedy_code, "fix": self.remedy, "setup_step": self.setup_step or None},
            "fixed": self.fixed,
        }


class Conflict(models.Model):
    """Both sides changed the same record since they last agreed; kept with both versions."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="sync_conflicts")
    run = models.ForeignKey(
        Run, null=True, blank=True, on_delete=models.SET_NULL, related_name="conflict_rows"
    )
    family = models.CharField(max_length=40)
    local_id = models.BigIntegerField()
    recordno = models.BigIntegerField()
    app_values = models.JSONField(default=dict)
    intacct_values = models.JSONField(default=dict)
    policy = models.CharField(max_length=20)
    winner = models.CharField(max_length=10)  # "intacct" or "app"
    created_at = models.DateTimeField(default=timezone.now)
    # an admin's review: which version the record keeps ("app" or "intacct"), by whom, when
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=150, blank=True, default="")
    kept = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.family}:{self.local_id} {self.winner} won ({self.policy})"


class SyncClaim(models.Model):
    """The per-workspace lock: taken with a compare-and-swap UPDATE, so it holds across processes."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="sync_claim")
    # "" when free, else "host:pid:nonce" of the worker running the sync
    holder = models.CharField(max_length=200, blank=True, default="")
    run = models.ForeignKey(Run, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.workspace}: {self.holder or 'free'}"


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    HOURLY = "hourly", "Hourly"
    OFF = "off", "Off"


class SyncSchedule(models.Model):
    """When a workspace syncs next, and how a failing one backs off."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="sync_schedule")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_run = models.ForeignKey(Run, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # families whose spec runs more often than the workspace (invoices hourly): family -> next ISO time
    family_due = models.JSONField(default=dict, blank=True)
    # the earliest of family_due (null: not looked at yet), so a tick reads only the due rows
    hourly_due_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.workspace}: {self.frequency}, next {self.next_due_at}"


class SyncTick(models.Model):
    """A periodic job's last tick, taken with a compare-and-swap so one process acts per tick."""

    name = models.CharField(max_length=40, primary_key=True)
    last_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.last_at}"


class PendingPush(models.Model):
    """Outbox: a local record changed (or was created) and must be written to Intacct."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="pending_pushes")
    family = models.CharField(max_length=40)
    local_id = models.BigIntegerField()
    queued_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    # an unsettled write (Intacct did not answer, or did not confirm it): when a follow-up run reads
    # it back by its key and sends it if absent (jobs/followups.py), why, and how many came before
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    wait_reason = models.CharField(max_length=300, blank=True, default="")
    followups = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["workspace", "family", "local_id"], name="one_pending_push")
        ]
        ordering: ClassVar = ["queued_at", "id"]

    def __str__(self) -> str:
        return f"push {self.family}:{self.local_id}"


class IdempotentCreate(models.Model):
    """A create through the API under an ``Idempotency-Key``: the same key never creates twice."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="idempotent_creates")
    key = models.CharField(max_length=200)
    family = models.CharField(max_length=40)
    # digest of the request body: the same key with another body is refused, not silently answered
    request_hash = models.CharField(max_length=64)
    local_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["workspace", "key"], name="one_create_per_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.family}:{self.local_id}"


class Event(models.Model):
    """Something a host product may want to hear about (a project changed, a timesheet exported, an
    invoice paid), kept as an outbox: written in the same transaction as the change, so a webhook
    sender delivering undelivered rows in ``id`` order never misses one nor sends a rolled-back one.
    ``delivered_at`` is the sender's to set. Written only through ``sync/events.py``."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=60)  # "project.updated", "timesheet.exported", ...
    object_id = models.BigIntegerField(null=True, blank=True)
    # where the change was made: "app" (pages, API, code) or "intacct" (applied by a sync)
    origin = models.CharField(max_length=10, default="app")
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["id"]
        indexes: ClassVar = [models.Index(fields=["workspace", "delivered_at", "id"], name="event_outbox")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}"
