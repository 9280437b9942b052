"""Workspaces (one per app company, bound to one Intacct company and optionally one entity), their
members and permission profiles, the encrypted connection, Test connection results and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from intacct_bridge.workspaces import crypto

DEFAULT_ENDPOINT = "https://api.intacct.com/ia/xml/xmlgw.phtml"


def default_families() -> list[str]:
    return ["clients", "departments", "people"]


class Workspace(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    families = models.JSONField(default=default_families)
    timezone = models.CharField(max_length=64, default="UTC")
    # the local time of the daily sync, in ``timezone``
    sync_time = models.TimeField(default="02:00")
    # "Bring in referenced records": a document (invoice, bill, project) whose customer, department
    # or employee belongs to a family the admin imports selectively brings that record in (linked,
    # saying why). Off, the admin's choice is the rule: the document keeps the reference by its
    # Intacct ID and nothing is created in the selective family.
    bring_in_references = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.slug

    @property
    def connection_or_none(self) -> Connection | None:
        try:
            return self.connection
        except Connection.DoesNotExist:
            return None


class Profile(models.TextChoices):
    ADMIN = "admin", "Admin"
    CONTROLLER = "controller", "Controller"
    PROJECT_MANAGER = "project_manager", "Project manager"
    COLLABORATOR = "collaborator", "Collaborator"


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    profile = models.CharField(max_length=20, choices=Profile.choices, default=Profile.COLLABORATOR)

    class Meta:
        constraints: ClassVar = [models.UniqueConstraint(fields=["workspace", "user"], name="one_membership")]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.profile})"

    @property
    def is_admin(self) -> bool:
        return self.profile == Profile.ADMIN


class Connection(models.Model):
    """The workspace's Intacct login. The user password is stored only encrypted (``crypto``)."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="connection")
    company_id = models.CharField(max_length=100)
    user_id = models.CharField(max_length=100)
    encrypted_password = models.TextField(editable=False)
    entity_id = models.CharField(max_length=100, blank=True, default="")
    endpoint = models.URLField(max_length=500, default=DEFAULT_ENDPOINT)
    connected_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Syncs stop when Intacct refuses the login (see health.py); a passing Test connection resumes them.
    paused = models.BooleanField(default=False)
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_step = models.CharField(max_length=40, blank=True, default="")
    pause_title = models.CharField(max_length=200, blank=True, default="")
    pause_message = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return f"{self.workspace}: {self.company_id}/{self.user_id}"

    def __repr__(self) -> str:
        # never the password, not even encrypted
        return f"<Connection {self.workspace_id} {self.company_id}/{self.user_id}>"

    def set_password(self, plaintext: str) -> None:
        self.encrypted_password = crypto.encrypt(plaintext)

    def get_password(self) -> str:
        return crypto.decrypt(self.encrypted_password)


class ConnectionTest(models.Model):
    """One run of Test connection: who, when, and the outcome in the checklist's words."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="connection_tests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # "cli", "api token", "sync" when no person ran it
    via = models.CharField(max_length=40, default="web")
    ran_at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField()
    step = models.CharField(max_length=40, blank=True, default="")
    title = models.CharField(max_length=200, blank=True, default="")
    message = models.TextField(blank=True, default="")
    remedy = models.TextField(blank=True, default="")
    company = models.CharField(max_length=100, blank=True, default="")
    entity = models.CharField(max_length=100, blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)
    # per object probed: {"CUSTOMER": "ok" | "denied" | "error: ..."}
    probes = models.JSONField(default=dict)
    # what the enabled families' own checks found: [{"level", "title", "message"}]
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering: ClassVar = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"{self.workspace} {self.ran_at:%Y-%m-%d %H:%M} {'ok' if self.ok else self.step}"

    @property
    def who(self) -> str:
        return self.user.get_username() if self.user else self.via


TOKEN_PREFIX = "ib_"


def hash_token(token: str) -> str:
    # Tokens are 256 random bits, so a plain SHA-256 is enough to make the stored value useless.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, default="")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # the first characters, so people can tell their tokens apart
    hint = models.CharField(max_length=16, editable=False)
    write = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.hint}… ({'read-write' if self.write else 'read-only'})"

    @classmethod
    def issue(
        cls, workspace: Workspace, *, write: bool = False, name: str = "", created_by: Any = None
    ) -> tuple[ApiToken, str]:
        """Create a token; the plaintext is returned once and never stored."""
        plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            workspace=workspace,
            name=name,
            token_hash=hash_token(plaintext),
            hint=plaintext[:8],
            write=write,
            created_by=created_by,
        )
        return token, plaintext

    @classmethod
    def find(cls, plaintext: str) -> ApiToken | None:
        if not plaintext.startswith(TOKEN_PREFIX):
            return None
        return cls.objects.select_related("workspace").filter(token_hash=hash_token(plaintext)).first()
