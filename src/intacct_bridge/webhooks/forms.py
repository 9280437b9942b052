"""The subscription form of the Webhooks page."""

from __future__ import annotations

from typing import Any

from django import forms

from intacct_bridge.webhooks import catalog


class SubscriptionForm(forms.Form):
    url = forms.CharField(label="Receiver URL", max_length=500)
    all_events = forms.BooleanField(label="Every event kind", required=False, initial=True)
    events = forms.MultipleChoiceField(
        label="Event kinds", required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label="Description", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["events"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(k, k) for k in catalog.kinds()]

    def chosen_events(self) -> list[str]:
        if self.cleaned_data.get("all_events"):
            return [catalog.ALL]
        return list(self.cleaned_data.get("events") or [])
