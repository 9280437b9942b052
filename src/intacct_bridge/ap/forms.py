"""The New bill form: a header and line rows, accounts offered from the imported chart (active only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.forms import formset_factory

from intacct_bridge.records.models import Account, Department, Vendor
from intacct_bridge.sync.models import Link, LinkState

CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD", "NOK", "CHF", "JPY")


def chart_accounts(workspace: Any) -> Any:
    """Active accounts of the chart imported from Intacct (linked): the only ones a new line may use."""
    linked = Link.objects.filter(workspace=workspace, family="accounts", state=LinkState.LINKED)
    return Account.objects.filter(
        workspace=workspace, active=True, pk__in=linked.values_list("local_id", flat=True)
    ).order_by("number")


class AccountChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} {obj.title}"


class BillForm(forms.Form):
    vendor = forms.ModelChoiceField(queryset=Vendor.objects.none(), empty_label="Choose a vendor…")
    bill_number = forms.CharField(max_length=60, required=False, label="Bill number")
    bill_date = forms.DateField(label="Bill date", widget=forms.DateInput(attrs={"type": "date"}))
    due_date = forms.DateField(label="Due date", widget=forms.DateInput(attrs={"type": "date"}))
    gl_posting_date = forms.DateField(
        label="GL posting date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Empty: the bill date.",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    currency = forms.ChoiceField(choices=[(c, c) for c in CURRENCIES], initial="USD")
    ready_to_pay = forms.BooleanField(
        required=False, label="Ready to pay (send to Sage Intacct with the next sync)"
    )

    def __init__(self, *args: Any, workspace: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # every active vendor: imported ones and those created in the app (pushed first if needed)
        self.fields["vendor"].queryset = Vendor.objects.filter(workspace=workspace, active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        bill_date, due_date = data.get("bill_date"), data.get("due_date")
        if bill_date and due_date and due_date < bill_date:
            self.add_error("due_date", "The due date is before the bill date.")
        return data


class LineForm(forms.Form):
    account = AccountChoice(queryset=Account.objects.none(), required=False, empty_label="GL account…")
    amount = forms.DecimalField(max_digits=14, decimal_places=2, required=False)
    memo = forms.CharField(max_length=400, required=False)
    department = forms.ModelChoiceField(queryset=Department.objects.none(), required=False, empty_label="—")
    location_id = forms.CharField(max_length=40, required=False, label="Location")

    def __init__(self, *args: Any, workspace: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = chart_accounts(workspace)  # type: ignore[attr-defined]
        self.fields["department"].queryset = Department.objects.filter(workspace=workspace)  # type: ignore[attr-defined]

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(k) not in (None, "") for k in ("account", "amount", "memo", "department"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank:
            return data
        if data.get("account") is None and "account" not in self.errors:
            self.add_error("account", "Choose an active GL account from the chart.")
        if data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", "Enter an amount, e.g. 125.50.")
        elif data.get("amount") is not None and data["amount"] == Decimal(0):
            self.add_error("amount", "A line amount cannot be zero.")
        return data


LineFormSet = formset_factory(LineForm, extra=3, max_num=200, validate_max=True)


def line_formset(workspace: Any, data: Any = None, initial: list[dict[str, Any]] | None = None) -> Any:
    return LineFormSet(data, prefix="lines", initial=initial, form_kwargs={"workspace": workspace})
