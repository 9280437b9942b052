"""Forms of the workspace pages. Password inputs are never rendered back with their value."""

from __future__ import annotations

from typing import Any

from django import forms

from intacct_bridge.workspaces.connection import ChangeRefused, check_change
from intacct_bridge.workspaces.models import Connection
from intacct_bridge.workspaces.permissions import ALL_FAMILIES, FAMILY_LABELS


class ConnectionForm(forms.Form):
    company_id = forms.CharField(label="Company ID", max_length=100)
    user_id = forms.CharField(label="Web Services user ID", max_length=100)
    password = forms.CharField(
        label="User password",
        max_length=500,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    entity_id = forms.CharField(label="Entity ID (optional)", max_length=100, required=False)
    endpoint = forms.URLField(label="Endpoint", max_length=500, assume_scheme="https")

    def __init__(self, *args: Any, connection: Connection | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connection = connection
        if connection is None:
            self.fields["password"].required = True
        else:
            self.fields["password"].help_text = (
                "Leave empty to keep the stored password (only while the endpoint, company ID and "
                "user ID stay the same)."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            check_change(
                self.connection,
                company_id=data["company_id"].strip(),
                user_id=data["user_id"].strip(),
                endpoint=data["endpoint"],
                password_given=bool(data.get("password")),
            )
        except ChangeRefused as exc:
            # the sentence without its "password: " prefix: the form shows it under that field
            text = exc.message.split(": ", 1)[1] if exc.message.startswith(exc.field + ":") else exc.message
            self.add_error(exc.field, text[:1].upper() + text[1:])
        return data


class FamiliesForm(forms.Form):
    families = forms.MultipleChoiceField(
        choices=[(f, FAMILY_LABELS[f]) for f in ALL_FAMILIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    bring_in_references = forms.BooleanField(
        required=False,
        label="Bring in referenced records",
        help_text="When an invoice, bill or project refers to a customer, department or team member "
        "nobody imported, import that record too (its page says which document brought it in). "
        "Off: only the records you pick are in the app; documents keep the reference by its Intacct ID.",
    )


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, required=False)
    write = forms.BooleanField(required=False, label="Read-write (otherwise read-only)")
