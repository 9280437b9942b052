"""Forms of the workspace pages. Password inputs are never rendered back with their value."""

from __future__ import annotations

from typing import Any

from django import forms

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
            self.fields["password"].help_text = "Leave empty to keep the stored password."


class FamiliesForm(forms.Form):
    families = forms.MultipleChoiceField(
        choices=[(f, FAMILY_LABELS[f]) for f in ALL_FAMILIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, required=False)
    write = forms.BooleanField(required=False, label="Read-write (otherwise read-only)")
