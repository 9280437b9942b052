"""tasks ↔ TASK, two-way within linked projects: name, description, status, billable, estimate, parent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from psa_support import intacct_update, link_of, new_project, remote_tasks

from intacct_bridge.psa.models import Project, Task, TaskStatus
from intacct_bridge.sync import service
from intacct_bridge.sync.models import RunStatus

pytestmark = pytest.mark.django_db


def _sync(ws: Any) -> None:
    for family in ("projects", "tasks"):
        run = service.sync_now(ws, family)
        assert run.status == RunStatus.SUCCEEDED, (family, run.message, list(run.issues.values_list("text")))


def test_tasks_of_linked_projects_are_imported_and_others_are_not(psa_ws: Any, remote: Any) -> None:
    _sync(psa_ws)
    imported = set(Project.objects.filter(workspace=psa_ws).values_list("project_id", flat=True))
    everything = remote("TASK")
    wanted = [t for t in everything if t["PROJECTID"] in imported]
    assert 0 < len(wanted) < len(everything)
    local = {(t.project.project_id, t.task_id): t for t in Task.objects.filter(workspace=psa_ws)}
    assert set(local) == {(t["PROJECTID"], t["TASKID"]) for t in wanted}
    for record in wanted:
        task = local[(record["PROJECTID"], record["TASKID"])]
        assert task.name == record["NAME"]
        assert task.get_status_display() == record["TASKSTATUS"]
        assert task.billable == (str(record["BILLABLE"]).lower() == "true")
    again = service.sync_now(psa_ws, "tasks")
    assert (again.created, again.updated, again.pushed) == (0, 0, 0), again.message


def test_an_app_task_and_its_subtask_are_created_in_intacct_with_the_parent(psa_ws: Any, remote: Any) -> None:
    project = new_project(psa_ws, project_id="TASKS-1")
    parent = Task.objects.create(
        workspace=psa_ws,
        project=project,
        name="Discovery",
        description="Workshops",
        status=TaskStatus.IN_PROGRESS,
        billable=True,
        estimate=Decimal("12.50"),
    )
    child = Task.objects.create(
        workspace=psa_ws, project=project, name="Stakeholder interviews", parent=parent
    )
    _sync(psa_ws)
    (made,) = remote_tasks(remote, PROJECTID="TASKS-1", NAME="Discovery")
    assert made["TASKID"] == f"IBT{parent.pk}"
    assert (made["DESCRIPTION"], made["TASKSTATUS"]) == ("Workshops", "In Progress")
    assert str(made["BILLABLE"]).lower() == "true" and Decimal(str(made["ESTQTY"])) == Decimal("12.50")
    (sub,) = remote_tasks(remote, PROJECTID="TASKS-1", NAME="Stakeholder interviews")
    assert str(sub["PARENTKEY"]) == str(made["RECORDNO"])
    assert sub["TASKSTATUS"] == "Not Started"
    parent.refresh_from_db()
    assert parent.task_id == f"IBT{parent.pk}"  # Intacct's TASKID came back
    link = link_of(psa_ws, "tasks", child.pk)
    assert link is not None and link.is_linked
    # nothing more to send, nothing imported twice
    again = service.sync_now(psa_ws, "tasks")
    assert (again.pushed, again.created) == (0, 0), again.message
    assert Task.objects.filter(project=project).count() == 2 == len(remote_tasks(remote, PROJECTID="TASKS-1"))


def test_a_task_id_chosen_in_the_app_is_kept(psa_ws: Any, remote: Any) -> None:
    project = new_project(psa_ws, project_id="TASKS-2")
    Task.objects.create(workspace=psa_ws, project=project, name="Build", task_id="BUILD")
    _sync(psa_ws)
    (made,) = remote_tasks(remote, PROJECTID="TASKS-2")
    assert made["TASKID"] == "BUILD"


def test_task_edits_flow_both_ways(psa_ws: Any, remote: Any, django_capture_on_commit_callbacks: Any) -> None:
    project = new_project(psa_ws, project_id="TASKS-3")
    task = Task.objects.create(workspace=psa_ws, project=project, name="QA")
    _sync(psa_ws)
    link = link_of(psa_ws, "tasks", task.pk)
    assert link is not None
    intacct_update(
        psa_ws,
        "TASK",
        {"RECORDNO": str(link.recordno), "NAME": "QA and UAT", "TASKSTATUS": "On Hold", "ESTQTY": "40"},
    )
    assert service.sync_now(psa_ws, "tasks").updated == 1
    task.refresh_from_db()
    assert (task.name, task.status, task.estimate) == ("QA and UAT", TaskStatus.ON_HOLD, Decimal("40.00"))
    # an app edit reaches Intacct at once
    task.status = TaskStatus.COMPLETED
    task.billable = True
    with django_capture_on_commit_callbacks(execute=True):
        task.save()
    (record,) = remote_tasks(remote, PROJECTID="TASKS-3")
    assert record["TASKSTATUS"] == "Completed" and str(record["BILLABLE"]).lower() == "true"


def test_a_task_deleted_in_intacct_is_unlinked_not_deleted(
    psa_ws: Any, remote: Any, intacct_sandbox: Any, company: str
) -> None:
    project = new_project(psa_ws, project_id="TASKS-4")
    task = Task.objects.create(workspace=psa_ws, project=project, name="Temporary")
    _sync(psa_ws)
    link = link_of(psa_ws, "tasks", task.pk)
    assert link is not None
    intacct_sandbox.control.delete_record(company, "TASK", link.recordno)
    service.sync_now(psa_ws, "tasks")
    link.refresh_from_db()
    assert not link.is_linked
    assert Task.objects.filter(pk=task.pk).exists()
