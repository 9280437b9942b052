"""Bad input on projects and tasks: each gets a specific issue with the remedy, nothing reaches Intacct
twice (counted in the sandbox)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from psa_support import TODAY, issues, link_of, new_project, remote_projects

from intacct_bridge.psa.models import Project, Stage, Task
from intacct_bridge.records.models import Client
from intacct_bridge.sync import service
from intacct_bridge.sync.models import PendingPush, RunStatus
from intacct_bridge.workspaces.connection import client_for

pytestmark = pytest.mark.django_db


def test_a_client_unknown_in_intacct_keeps_the_project_back_with_the_remedy(psa_ws: Any, remote: Any) -> None:
    local_only = Client.objects.create(workspace=psa_ws, name="Made in the app only")
    project = new_project(psa_ws, project_id="NOCUST-1", client=local_only)
    before = len(remote("PROJECT"))
    run = service.sync_now(psa_ws, "projects")
    assert run.status == RunStatus.PARTIAL, run.message
    assert len(remote("PROJECT")) == before
    (issue,) = [i for i in issues(psa_ws, "projects", project.pk) if i.errorno == "IB-PSA-CLIENT"]
    assert "Made in the app only" in issue.text and "Import or link the client under Clients" in issue.text
    assert PendingPush.objects.filter(workspace=psa_ws, family="projects", local_id=project.pk).exists()


def test_a_project_id_taken_in_intacct_by_another_project_is_not_sent(psa_ws: Any, remote: Any) -> None:
    taken = remote("PROJECT")[0]
    project = new_project(psa_ws, project_id=taken["PROJECTID"], name="Something else entirely")
    before = len(remote("PROJECT"))
    run = service.sync_now(psa_ws, "projects")
    assert len(remote("PROJECT")) == before
    assert [p["NAME"] for p in remote_projects(remote, PROJECTID=taken["PROJECTID"])] == [taken["NAME"]]
    # the pull did not import the Intacct project as a twin, the push did not send ours
    found = [i.text for i in issues(psa_ws, "projects", project.pk) if i.errorno == "IB-PSA-DUPLICATE-ID"]
    assert any("was not imported" in t and "already uses that ID" in t for t in found), found
    assert any("already exists in Sage Intacct" in t and "Give this project another ID" in t for t in found)
    assert all(taken["PROJECTID"] in t for t in found)
    assert Project.objects.filter(workspace=psa_ws, project_id=taken["PROJECTID"]).count() == 1
    link = link_of(psa_ws, "projects", project.pk)
    assert link is None, "must never be linked to the other project"
    assert run.status == RunStatus.PARTIAL


def test_an_end_date_that_does_not_qualify_is_an_issue_not_an_export(psa_ws: Any, remote: Any) -> None:
    project = new_project(
        psa_ws,
        project_id="LATE-1",
        start_date=TODAY - timedelta(days=900),
        end_date=TODAY - timedelta(days=400),
    )
    run = service.sync_now(psa_ws, "projects")
    assert remote_projects(remote, PROJECTID="LATE-1") == []
    (issue,) = [i for i in issues(psa_ws, "projects", project.pk) if i.errorno == "IB-PSA-END-DATE"]
    assert "365 days before the connection date" in issue.text
    assert run.status == RunStatus.PARTIAL


def test_a_task_on_an_unlinked_project_is_refused_with_the_reason(psa_ws: Any, remote: Any) -> None:
    project = new_project(psa_ws, project_id="TASKLESS", stage=Stage.COMPLETED)
    task = Task.objects.create(workspace=psa_ws, project=project, name="Design")
    before = len(remote("TASK"))
    run = service.sync_now(psa_ws, "tasks")
    assert len(remote("TASK")) == before
    (issue,) = [i for i in issues(psa_ws, "tasks", task.pk) if i.errorno == "IB-PSA-TASK-PROJECT"]
    assert "TASKLESS" in issue.text and "Tasks sync only within linked projects" in issue.text
    assert run.status == RunStatus.PARTIAL


def test_a_smart_rule_on_projects_shows_intacct_message_and_sends_nothing_twice(
    psa_ws: Any, remote: Any, intacct_sandbox: Any, company: str
) -> None:
    intacct_sandbox.control.add_smart_rule(
        company, "PROJECT", "add", "BUDGETAMOUNT > 100000", "Projects over 100k need the CFO's approval"
    )
    project = new_project(psa_ws, project_id="BIG-1", budget=250000)
    before = len(remote("PROJECT"))
    first = service.sync_now(psa_ws, "projects")
    second = service.sync_now(psa_ws, "projects")
    assert len(remote("PROJECT")) == before
    texts = [i.text for i in issues(psa_ws, "projects", project.pk)]
    assert texts and all("100k need the CFO" in t for t in texts), texts
    assert first.status == second.status == RunStatus.PARTIAL
    # the admin lowers the budget: it goes through, once
    project.budget = 90000
    project.save()
    assert service.sync_now(psa_ws, "projects").pushed == 1
    assert len(remote_projects(remote, PROJECTID="BIG-1")) == 1


def test_a_smart_rule_on_tasks_shows_intacct_message(
    psa_ws: Any, remote: Any, intacct_sandbox: Any, company: str
) -> None:
    project = new_project(psa_ws, project_id="RULED-1")
    assert service.sync_now(psa_ws, "projects").pushed == 1
    intacct_sandbox.control.add_smart_rule(
        company, "TASK", "add", "BILLABLE = 'false'", "Every task must be billable"
    )
    task = Task.objects.create(workspace=psa_ws, project=project, name="Internal meeting", billable=False)
    run = service.sync_now(psa_ws, "tasks")
    texts = [i.text for i in issues(psa_ws, "tasks", task.pk)]
    assert any("Every task must be billable" in t for t in texts), texts
    assert run.status == RunStatus.PARTIAL


def test_a_lost_answer_on_a_project_create_is_read_back_not_duplicated(
    psa_ws: Any, remote: Any, intacct_sandbox: Any, company: str
) -> None:
    project = new_project(psa_ws, project_id="LOST-1")
    intacct_sandbox.control.fault("reset-after-commit", rate=1.0, seed=3, company_id=company)
    first = service.sync_now(psa_ws, "projects", client_factory=lambda w: client_for(w, max_retries=0))
    intacct_sandbox.control.clear_faults()
    assert first.status == RunStatus.FAILED
    service.sync_now(psa_ws, "projects")
    assert len(remote_projects(remote, PROJECTID="LOST-1")) == 1
    link = link_of(psa_ws, "projects", project.pk)
    assert link is not None and link.is_linked
    assert not PendingPush.objects.filter(workspace=psa_ws, family="projects").exists()


def test_a_taken_project_id_saved_from_a_page_is_never_linked_to_the_other_project(
    psa_ws: Any, remote: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The prompt push queues the project before the run pulls: the Intacct project with the same ID
    met by that pull is someone else's, not a create of ours whose answer was lost."""
    taken = remote("PROJECT")[1]
    before = len(remote("PROJECT"))
    with django_capture_on_commit_callbacks(execute=True):
        project = new_project(psa_ws, project_id=taken["PROJECTID"], name="Not the same project")
    assert len(remote("PROJECT")) == before
    link = link_of(psa_ws, "projects", project.pk)
    assert link is None or not link.is_linked
    (record,) = remote_projects(remote, PROJECTID=taken["PROJECTID"])
    assert record["NAME"] == taken["NAME"]
    assert any(i.errorno == "IB-PSA-DUPLICATE-ID" for i in issues(psa_ws, "projects", project.pk))


def test_a_smart_rule_rejecting_a_project_edit_keeps_it_queued_with_intacct_words(
    psa_ws: Any, remote: Any, intacct_sandbox: Any, company: str
) -> None:
    project = new_project(psa_ws, project_id="EDIT-1")
    assert service.sync_now(psa_ws, "projects").pushed == 1
    intacct_sandbox.control.add_smart_rule(
        company, "PROJECT", "set", "PROJECTSTATUS = 'Cancelled'", "Only the PMO cancels projects"
    )
    project.refresh_from_db()
    project.stage = Stage.CANCELLED
    project.save()
    run = service.sync_now(psa_ws, "projects")
    assert run.status == RunStatus.PARTIAL
    texts = [i.text for i in issues(psa_ws, "projects", project.pk)]
    assert any("Only the PMO cancels projects" in t for t in texts), texts
    (record,) = remote_projects(remote, PROJECTID="EDIT-1")
    assert record["PROJECTSTATUS"] == "In Progress"
    assert PendingPush.objects.filter(workspace=psa_ws, family="projects", local_id=project.pk).exists()


def test_auto_numbered_a_lost_create_is_never_created_twice_nor_imported_as_a_twin(
    psa_ws: Any, remote: Any, intacct_sandbox: Any, company: str, signed_in: Any, owner: Any
) -> None:
    from intacct_bridge.psa.autonumber import remember

    intacct_sandbox.control.set_autonumber(company, "PROJECT", True)
    remember(psa_ws, True)
    project = new_project(psa_ws, project_id="MINE-9", name="Lost answer project")
    # the state a lost answer leaves: Intacct created it (as P-...), the app has it queued, unlinked
    PendingPush.objects.create(workspace=psa_ws, family="projects", local_id=project.pk, attempts=1)
    with client_for(psa_ws) as intacct:
        made = intacct.create(
            [
                (
                    "PROJECT",
                    {"PROJECTID": "MINE-9", "NAME": "Lost answer project", "PROJECTCATEGORY": "Contract"},
                )
            ]
        )
        assert made[0].ok
    for _ in range(2):
        service.sync_now(psa_ws, "projects")
    (created,) = remote_projects(remote, NAME="Lost answer project")  # not sent again
    assert Project.objects.filter(workspace=psa_ws, name="Lost answer project").count() == 1  # no twin
    codes = {i.errorno for i in issues(psa_ws, "projects", project.pk)}
    assert "IB-PSA-SAME-NAME" in codes, codes
    # the remedy: link it from the page; then it syncs as one project with Intacct's ID
    web = signed_in(owner)
    page = web.get(f"/w/{psa_ws.slug}/projects/{project.pk}/").content.decode()
    assert f'value="{created["RECORDNO"]}"' in page
    web.post(f"/w/{psa_ws.slug}/projects/{project.pk}/link/", {"intacct_recordno": created["RECORDNO"]})
    project.refresh_from_db()
    assert project.project_id == created["PROJECTID"]
    after = service.sync_now(psa_ws, "projects")
    assert after.status == RunStatus.SUCCEEDED and (after.pushed, after.created) == (0, 0), after.message
    assert len(remote_projects(remote, NAME="Lost answer project")) == 1
