"""In a browser: create a Running project with a task from the pages and see both arrive in Sage
Intacct at once (prompt push), with the project page saying so."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from intacct_bridge.psa.models import Project, PsaSettings, Task
from intacct_bridge.workspaces.models import Connection, Membership, Profile, Workspace

pytestmark = pytest.mark.browser


@pytest.fixture
def psa_workspace(e2e_user: Any, settings: Any, intacct_sandbox: Any) -> Workspace:
    creds = intacct_sandbox.credentials
    settings.INTACCT_SENDER_ID = creds["sender_id"]
    settings.INTACCT_SENDER_PASSWORD = creds["sender_password"]
    ws = Workspace.objects.create(
        slug="acme", name="Acme Consulting", families=["clients", "projects", "tasks"]
    )
    Membership.objects.create(workspace=ws, user=e2e_user, profile=Profile.ADMIN)
    conn = Connection(
        workspace=ws, company_id=creds["company_id"], user_id=creds["user_id"], endpoint=creds["endpoint"]
    )
    conn.set_password(creds["user_password"])
    conn.save()
    PsaSettings.of(ws)
    return ws


def _remote(intacct_sandbox: Any, obj: str, **match: str) -> list[dict[str, Any]]:
    rows = intacct_sandbox.control.records(intacct_sandbox.credentials["company_id"], obj)
    return [r for r in rows if all(str(r.get(k)) == v for k, v in match.items())]


def test_create_a_running_project_with_a_task_and_see_it_in_intacct(
    signed_in_page: Any, psa_workspace: Workspace, intacct_sandbox: Any, immediate_huey: Any
) -> None:
    page = signed_in_page
    page.goto(f"{page.base_url}/w/acme/")
    page.click("nav.sidenav >> text=Projects")
    page.wait_for_selector("#new-project")
    page.click("#new-project")
    page.fill("#id_project_id", "WEB-2026")
    page.fill("#id_name", "Website 2026")
    page.select_option("#id_stage", "running")
    page.fill("#id_start_date", date.today().isoformat())
    page.fill("#id_end_date", (date.today() + timedelta(days=120)).isoformat())
    page.fill("#id_budget", "48000")
    page.fill("#id_custom_fields", "Account manager: Dana")
    page.click("#save-project")
    page.wait_for_selector("#project-facts")
    assert "WEB-2026" in page.inner_text("#project-id")
    assert "linked to the Sage Intacct project WEB-2026" in page.inner_text("#link-status")
    (project_row,) = _remote(intacct_sandbox, "PROJECT", PROJECTID="WEB-2026")
    assert project_row["NAME"] == "Website 2026" and project_row["STATUS"] == "active"
    assert project_row["PROJECTSTATUS"] == "In Progress"

    page.click("#new-task")
    page.fill("#id_name", "Information architecture")
    page.select_option("#id_status", "in_progress")
    page.check("#id_billable")
    page.fill("#id_estimate", "24")
    page.click("#save-task")
    page.wait_for_selector("#tasks")
    row = page.locator("#tasks tr", has_text="Information architecture")
    row.wait_for()
    (task_row,) = _remote(intacct_sandbox, "TASK", PROJECTID="WEB-2026")
    assert task_row["NAME"] == "Information architecture" and task_row["TASKSTATUS"] == "In Progress"
    page.reload()
    assert "Intacct" in page.locator("#tasks tr", has_text="Information architecture").inner_text()
    page.goto(f"{page.base_url}/w/acme/projects/")
    listing = page.inner_text("#projects")
    assert "Website 2026" in listing and "Running" in listing and "WEB-2026" in listing
    project = Project.objects.get(workspace=psa_workspace, project_id="WEB-2026")
    assert project.custom_fields == {"Account manager": "Dana"}
    assert Task.objects.filter(project=project).count() == 1
