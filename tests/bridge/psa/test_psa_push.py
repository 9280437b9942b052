"""projects ↔ PROJECT, app → Intacct: which app projects are exported, how they arrive, prompt pushes
on change, the shared project ID and auto-numbering."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from psa_support import TODAY, issues, link_of, linked_client, new_project, remote_projects

from intacct_bridge.psa.models import Project, PsaSettings, Stage
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Run, RunStatus, Trigger

pytestmark = pytest.mark.django_db


def _saved(capture: Any, save: Any) -> Any:
    """Save inside a committed transaction, as a request does: the prompt push runs after commit."""
    with capture(execute=True):
        return save()


def test_a_running_app_project_is_created_in_intacct_at_once_with_its_own_id(
    psa_ws: Any, remote: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = linked_client(psa_ws, remote)
    settings = PsaSettings.of(psa_ws)
    settings.project_category = "Internal Billable"
    settings.save()
    before = len(remote("PROJECT"))
    project = _saved(
        django_capture_on_commit_callbacks,
        lambda: new_project(
            psa_ws,
            project_id="ACME-WEB",
            client=client,
            budget=Decimal("25000.00"),
            description="New site",
            custom_fields={"Colour": "green"},
        ),
    )
    (created,) = remote_projects(remote, PROJECTID="ACME-WEB")
    assert len(remote("PROJECT")) == before + 1
    assert created["NAME"] == "Website relaunch" and created["DESCRIPTION"] == "New site"
    assert created["PROJECTCATEGORY"] == "Internal Billable"
    assert created["PROJECTSTATUS"] == "In Progress" and created["STATUS"] == "active"
    assert created["CUSTOMERID"] == link_of(psa_ws, "clients", client.pk).business_id  # type: ignore[union-attr]
    assert Decimal(str(created["BUDGETAMOUNT"])) == Decimal("25000.00")
    assert "Colour" not in str(created)  # custom fields never sync
    link = link_of(psa_ws, "projects", project.pk)
    assert link is not None and link.is_linked and link.business_id == "ACME-WEB"
    push_runs = Run.objects.filter(workspace=psa_ws, family="projects", trigger=Trigger.PUSH)
    assert push_runs.count() == 1 and push_runs.get().pushed == 1
    # the daily sync afterwards neither sends nor imports it again
    again = service.sync_now(psa_ws, "projects")
    assert (again.pushed, again.created) == (0, 0), again.message
    assert len(remote_projects(remote, PROJECTID="ACME-WEB")) == 1
    assert Project.objects.filter(workspace=psa_ws, project_id="ACME-WEB").count() == 1


def test_a_project_without_an_id_is_sent_as_ibp_and_its_id_given_back(psa_ws: Any, remote: Any) -> None:
    project = new_project(psa_ws)
    project.refresh_from_db()
    assert project.project_id == f"IBP{project.pk}"
    run = service.sync_now(psa_ws, "projects")
    assert run.pushed == 1, run.message
    assert len(remote_projects(remote, PROJECTID=f"IBP{project.pk}")) == 1


def test_new_opportunity_and_planning_projects_arrive_inactive_and_activate_when_running(
    psa_ws: Any, remote: Any, django_capture_on_commit_callbacks: Any
) -> None:
    opportunity = _saved(
        django_capture_on_commit_callbacks,
        lambda: new_project(psa_ws, project_id="OPP-1", stage=Stage.OPPORTUNITY),
    )
    planning = _saved(
        django_capture_on_commit_callbacks,
        lambda: new_project(psa_ws, project_id="PLAN-1", stage=Stage.PLANNING),
    )
    (opp,) = remote_projects(remote, PROJECTID="OPP-1")
    (plan,) = remote_projects(remote, PROJECTID="PLAN-1")
    assert (opp["STATUS"], opp["PROJECTSTATUS"]) == ("inactive", "Opportunity")
    assert (plan["STATUS"], plan["PROJECTSTATUS"]) == ("inactive", "Not Started")
    opportunity.refresh_from_db()
    assert opportunity.intacct_active is False
    # moving to Running makes it active there too
    planning.refresh_from_db()
    planning.stage = Stage.RUNNING
    _saved(django_capture_on_commit_callbacks, planning.save)
    assert planning.intacct_active is True
    (plan,) = remote_projects(remote, PROJECTID="PLAN-1")
    assert (plan["STATUS"], plan["PROJECTSTATUS"]) == ("active", "In Progress")


def test_projects_from_before_the_connection_export_only_when_running(psa_ws: Any, remote: Any) -> None:
    old_planning = new_project(psa_ws, project_id="OLD-PLAN", stage=Stage.PLANNING)
    old_running = new_project(psa_ws, project_id="OLD-RUN", stage=Stage.RUNNING)
    long_ago = timezone.make_aware(datetime(2020, 1, 1))
    Project.objects.filter(pk__in=[old_planning.pk, old_running.pk]).update(
        created_at=long_ago, updated_at=long_ago
    )
    run = service.sync_now(psa_ws, "projects")
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert len(remote_projects(remote, PROJECTID="OLD-RUN")) == 1
    assert remote_projects(remote, PROJECTID="OLD-PLAN") == []
    assert link_of(psa_ws, "projects", old_planning.pk) is None
    assert issues(psa_ws, "projects", old_planning.pk) == []  # the app's history is not an error


def test_prompt_push_of_a_changed_project(
    psa_ws: Any, remote: Any, django_capture_on_commit_callbacks: Any
) -> None:
    project = new_project(psa_ws, project_id="PROMPT-1")
    assert service.sync_now(psa_ws, "projects").pushed == 1
    project.refresh_from_db()
    project.name = "Renamed in the app"
    project.end_date = TODAY + timedelta(days=200)
    project.stage = Stage.ON_HOLD
    _saved(django_capture_on_commit_callbacks, project.save)
    (record,) = remote_projects(remote, PROJECTID="PROMPT-1")
    assert record["NAME"] == "Renamed in the app"
    assert record["PROJECTSTATUS"] == "On Hold"
    assert record["ENDDATE"] in (
        (TODAY + timedelta(days=200)).strftime("%m/%d/%Y"),
        (TODAY + timedelta(days=200)),
    )
    prompt = Run.objects.filter(workspace=psa_ws, family="projects", trigger=Trigger.PUSH).latest("pk")
    assert prompt.status == RunStatus.SUCCEEDED and prompt.pushed == 1, prompt.message


def test_app_only_changes_send_nothing(
    psa_ws: Any, remote: Any, django_capture_on_commit_callbacks: Any
) -> None:
    project = new_project(psa_ws, project_id="QUIET-1")
    service.sync_now(psa_ws, "projects")
    runs = Run.objects.filter(workspace=psa_ws).count()
    project.refresh_from_db()
    project.custom_fields = {"Priority": "high"}
    project.billing_type = "non_billable"
    _saved(django_capture_on_commit_callbacks, project.save)
    assert Run.objects.filter(workspace=psa_ws).count() == runs  # nothing for Intacct: no run at all


def test_known_auto_numbering_takes_intacct_id_quietly(
    psa_ws: Any, remote: Any, intacct_sandbox: Any, company: str
) -> None:
    from intacct_bridge.psa.autonumber import remember

    intacct_sandbox.control.set_autonumber(company, "PROJECT", True)
    remember(psa_ws, True)
    project = new_project(psa_ws, project_id="MINE-1")
    run = service.sync_now(psa_ws, "projects")
    assert run.status == RunStatus.SUCCEEDED and run.pushed == 1, run.message
    project.refresh_from_db()
    assert project.project_id.startswith("P-")
    assert len(remote_projects(remote, PROJECTID=project.project_id)) == 1
    assert remote_projects(remote, PROJECTID="MINE-1") == []
    link = link_of(psa_ws, "projects", project.pk)
    assert link is not None and link.business_id == project.project_id
    assert issues(psa_ws, "projects", project.pk) == []


def test_auto_numbering_switched_on_midway_is_recorded_and_intacct_id_taken(
    psa_ws: Any, remote: Any, intacct_sandbox: Any, company: str
) -> None:
    from intacct_bridge.psa.autonumber import remember

    remember(psa_ws, False)  # Test connection said: IDs are kept
    first = new_project(psa_ws, project_id="KEEP-1")
    assert service.sync_now(psa_ws, "projects").pushed == 1
    intacct_sandbox.control.set_autonumber(company, "PROJECT", True)
    second = new_project(psa_ws, project_id="KEEP-2", name="Second")
    run = service.sync_now(psa_ws, "projects")
    assert run.pushed == 1 and run.status == RunStatus.PARTIAL, run.message
    second.refresh_from_db()
    first.refresh_from_db()
    assert first.project_id == "KEEP-1"
    assert second.project_id.startswith("P-")
    (issue,) = issues(psa_ws, "projects", second.pk)
    assert issue.errorno == "IB-PSA-AUTONUMBER" and "KEEP-2" in issue.text and second.project_id in issue.text
    assert PsaSettings.of(psa_ws).autonumber_projects is True
    # the next sync is quiet and nothing is duplicated
    again = service.sync_now(psa_ws, "projects")
    assert (again.pushed, again.created) == (0, 0) and again.status == RunStatus.SUCCEEDED, again.message
    assert len(remote_projects(remote, NAME="Second")) == 1


def test_test_connection_says_whether_projects_are_auto_numbered(
    psa_ws: Any, intacct_sandbox: Any, company: str
) -> None:
    from intacct_bridge.workspaces.setup_check import run_test_connection

    test = run_test_connection(psa_ws)
    assert test.ok, test.message
    notes = str(getattr(test, "notes", ""))
    assert "does not auto-number projects" in notes
    assert PsaSettings.of(psa_ws).autonumber_projects is False
    intacct_sandbox.control.set_autonumber(company, "PROJECT", True)
    test = run_test_connection(psa_ws)
    notes = str(getattr(test, "notes", ""))
    assert "auto-numbers projects" in notes and "take" in notes
    assert PsaSettings.of(psa_ws).autonumber_projects is True


def test_dates_in_intacct_format(psa_ws: Any, remote: Any) -> None:
    project = new_project(
        psa_ws, project_id="DATES-1", start_date=date(2026, 1, 5), end_date=TODAY + timedelta(days=30)
    )
    service.sync_now(psa_ws, "projects")
    (record,) = remote_projects(remote, PROJECTID="DATES-1")
    assert str(record["BEGINDATE"]) in ("01/05/2026", "2026-01-05")
    assert project.pk


def test_an_entity_bound_workspace_creates_projects_in_its_entity(psa_ws: Any, remote: Any) -> None:
    connection = psa_ws.connection
    connection.entity_id = "E100"
    connection.save()
    project = new_project(psa_ws, project_id="ENT-1")
    run = service.sync_now(psa_ws, "projects")
    assert run.pushed == 1, run.message
    (record,) = remote_projects(remote, PROJECTID="ENT-1")
    assert record["LOCATIONID"] == "E100"
    link = link_of(psa_ws, "projects", project.pk)
    assert link is not None and link.entity == "E100"
    project.refresh_from_db()
    assert project.entity == "E100"


def test_many_new_projects_cost_a_few_requests_not_one_each(psa_ws: Any, remote: Any) -> None:
    """The check that an ID is free in Intacct asks once for all queued projects, and the creates
    go out batched."""
    service.sync_now(psa_ws, "projects")  # the demo projects first
    for n in range(40):
        new_project(psa_ws, project_id=f"BULK-{n:02d}", name=f"Bulk {n}")
    run = service.sync_now(psa_ws, "projects")
    assert run.pushed == 40 and run.status == RunStatus.SUCCEEDED, run.message
    assert len([p for p in remote("PROJECT") if str(p["PROJECTID"]).startswith("BULK-")]) == 40
    assert run.api_requests <= 8, run.api_requests
