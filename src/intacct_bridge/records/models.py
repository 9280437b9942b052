"""App-side records the families sync: Client, Department, Person, Account (chart), Vendor.

Mapped fields are overwritten by pulls; every other field (notes, profile, ...) belongs to the app
alone and the sync never touches it. ``updated_at`` lets the newest-wins policy compare sides.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from intacct_bridge.workspaces.models import Profile, Workspace


class Client(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="clients")
    name = models.CharField(max_length=200)
    street = models.CharField(max_length=300, blank=True, default="")
    zip = models.CharField(max_length=40, blank=True, default="")
    city = models.CharField(max_length=100, blank=True, default="")
    country = models.CharField(max_length=100, blank=True, default="")
    # app-only fields: never touched by a sync
    notes = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class InviteState(models.TextChoices):
    NEEDS_EMAIL = "needs_email", "Add an email to invite"
    NOT_INVITED = "not_invited", "Not invited"
    INVITED = "invited", "Invited"


class Person(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="people")
    first_name = models.CharField(max_length=100, blank=True, default="")
    last_name = models.CharField(max_length=100, blank=True, default="")
    email = models.EmailField(blank=True, default="")
    title = models.CharField(max_length=200, blank=True, default="")
    start_date = models.DateField(null=True, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    profile = models.CharField(max_length=20, choices=Profile.choices, default=Profile.COLLABORATOR)
    invite_state = models.CharField(
        max_length=20, choices=InviteState.choices, default=InviteState.NEEDS_EMAIL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["last_name", "first_name", "id"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or f"Person {self.pk}"

    @property
    def can_invite(self) -> bool:
        return bool(self.email) and self.invite_state != InviteState.INVITED

    def refresh_invite_state(self) -> None:
        """No email: cannot be invited until one is added. An invited person stays invited."""
        if self.invite_state == InviteState.INVITED and self.email:
            return
        self.invite_state = InviteState.NOT_INVITED if self.email else InviteState.NEEDS_EMAIL

    def save(self, *args: object, **kwargs: object) -> None:
        self.refresh_invite_state()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Account(models.Model):
    """A GL account of the chart, imported from Intacct; read-only in the app (Intacct owns it)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="accounts")
    number = models.CharField(max_length=24)
    title = models.CharField(max_length=200)
    account_type = models.CharField(max_length=40, blank=True, default="")
    normal_balance = models.CharField(max_length=20, blank=True, default="")
    closing_type = models.CharField(max_length=40, blank=True, default="")
    category = models.CharField(max_length=200, blank=True, default="")
    # inactive accounts are kept (old bills point at them) but marked and not offered for new lines
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["number", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class Vendor(models.Model):
    """A vendor with its display contact; mapped fields follow Intacct's VENDOR."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="vendors")
    name = models.CharField(max_length=200)
    # the name on checks (Intacct requires DISPLAYCONTACT.PRINTAS); defaults to the vendor's name
    print_as = models.CharField(max_length=200, blank=True, default="")
    # Intacct's display-contact name (its key for the contact record): read, never renamed from here
    contact_name = models.CharField(max_length=200, blank=True, default="")
    email = models.CharField(max_length=200, blank=True, default="")
    phone = models.CharField(max_length=60, blank=True, default="")
    street = models.CharField(max_length=300, blank=True, default="")
    city = models.CharField(max_length=100, blank=True, default="")
    state = models.CharField(max_length=100, blank=True, default="")
    zip = models.CharField(max_length=40, blank=True, default="")
    country = models.CharField(max_length=100, blank=True, default="")
    active = models.BooleanField(default=True)
    # app-only
    notes = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.print_as:
            self.print_as = self.name
        super().save(*args, **kwargs)  # type: ignore[arg-type]
