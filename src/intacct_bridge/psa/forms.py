"""Forms of the project and task pages; the JSON API validates through the same forms."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from intacct_bridge.psa.models import Project, PsaSettings, Task
from intacct_bridge.records.models import Client
from intacct_bridge.workspaces.models import Workspace

#: PROJECTCATEGORY values Intacct ships with (the company may add more; any text is accepted)
PROJECT_CATEGORIES = ("Contract", "Capitalized", "Internal Billable", "Internal Non-billable")


def _custom_fields_text(values: dict[str, Any]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in values.items())


class CustomFieldsField(forms.CharField):
    """App-only custom fields typed as ``name: value`` lines (never synced)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return _custom_fields_text(value) if isinstance(value, dict) else value

    def to_python(self, value: Any) -> dict[str, str]:  # type: ignore[override]
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        result: dict[str, str] = {}
        for number, line in enumerate(str(value or "").splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, val = line.partition(":")
            if not sep or not name.strip():
                raise forms.ValidationError(f"Line {number}: write custom fields as 'name: value'.")
            result[name.strip()] = val.strip()
        return result


class ProjectForm(forms.ModelForm):  # type: ignore[type-arg]
    custom_fields = CustomFieldsField(required=False, label="Custom fields (app only, never synced)")

    class Meta:
        model = Project
        fields: ClassVar = [
            "project_id",
            "name",
            "description",
            "client",
            "stage",
            "billing_type",
            "start_date",
            "end_date",
            "budget",
            "intacct_active",
            "custom_fields",
        ]
        labels: ClassVar = {
            "project_id": "Project ID",
            "intacct_active": "Active in Sage Intacct",
            "budget": "Budget (fixed price amount)",
        }
        help_texts: ClassVar = {
            "project_id": "The same ID in Sage Intacct. Leave empty for IBP<number>.",
        }
        widgets: ClassVar = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, workspace: Workspace, linked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.fields["client"].queryset = Client.objects.filter(workspace=workspace)  # type: ignore[attr-defined]
        self.fields["custom_fields"].initial = self.instance.custom_fields if self.instance.pk else {}
        if linked:
            # PROJECTID is the key both sides share: once in Intacct it is renamed there, not here
            self.fields["project_id"].disabled = True
            self.fields["project_id"].help_text = "Shared with Sage Intacct; it cannot change here."
        if not self.instance.pk:
            self.fields.pop("intacct_active")

    def clean_project_id(self) -> str:
        value = str(self.cleaned_data.get("project_id") or "").strip()
        if value and any(c.isspace() for c in value):
            raise forms.ValidationError("A project ID has no spaces.")
        others = Project.objects.filter(workspace=self.workspace, project_id__iexact=value)
        if value and others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"Another project already has the ID {value}.")
        return value

    def clean_budget(self) -> Any:
        budget = self.cleaned_data.get("budget")
        if budget is not None and budget < 0:
            raise forms.ValidationError("The budget cannot be negative.")
        return budget

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date is before the start date.")
        return data

    def save(self, commit: bool = True) -> Project:
        project: Project = super().save(commit=False)
        project.workspace = self.workspace
        if commit:
            project.save()
        return project


class TaskForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Task
        fields: ClassVar = ["task_id", "name", "description", "status", "billable", "estimate", "parent"]
        labels: ClassVar = {"task_id": "Task ID", "estimate": "Estimate (hours)", "parent": "Parent task"}
        help_texts: ClassVar = {"task_id": "Unique within the project; leave empty and Intacct numbers it."}
        widgets: ClassVar = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, project: Project, linked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        parents = Task.objects.filter(project=project)
        if self.instance.pk:
            parents = parents.exclude(pk__in=_self_and_descendants(self.instance))
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        if linked:
            self.fields["task_id"].disabled = True
            self.fields["task_id"].help_text = "Shared with Sage Intacct; it cannot change here."

    def clean_task_id(self) -> str:
        value = str(self.cleaned_data.get("task_id") or "").strip()
        if len(value) > 20:
            raise forms.ValidationError("Intacct task IDs have at most 20 characters.")
        clash = Task.objects.filter(project=self.project, task_id__iexact=value).exclude(pk=self.instance.pk)
        if value and clash.exists():
            raise forms.ValidationError(f"Another task of this project already has the ID {value}.")
        return value

    def clean_estimate(self) -> Any:
        estimate = self.cleaned_data.get("estimate")
        if estimate is not None and estimate < 0:
            raise forms.ValidationError("The estimate cannot be negative.")
        return estimate

    def save(self, commit: bool = True) -> Task:
        task: Task = super().save(commit=False)
        task.project = self.project
        task.workspace = self.project.workspace
        if commit:
            task.save()
        return task


def _self_and_descendants(task: Task) -> set[int]:
    """A task cannot be its own ancestor: it and everything below it are not offered as parents."""
    found = {task.pk}
    frontier = [task.pk]
    while frontier:
        children = list(Task.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [c for c in children if c not in found]
        found.update(frontier)
    return found


class PsaSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PsaSettings
        fields: ClassVar = ["project_category", "connected_on", "qualifying_days"]
        labels: ClassVar = {
            "project_category": "Project category in Sage Intacct",
            "connected_on": "Connection date",
            "qualifying_days": "Qualifying window (days before the connection date)",
        }
        help_texts: ClassVar = {
            "project_category": "Intacct requires PROJECTCATEGORY; every exported project gets this one.",
        }
        widgets: ClassVar = {
            "connected_on": forms.DateInput(attrs={"type": "date"}),
            "project_category": forms.TextInput(attrs={"list": "project-categories"}),
        }
