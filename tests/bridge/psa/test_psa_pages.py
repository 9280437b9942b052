"""Project pages: the list with stage and Intacct state, a project's page with tasks, its Sage Intacct
section and issues, the project and task forms (with the same checks as the API), and access."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from psa_support import TODAY, intacct_update, link_of, new_project, remote_projects

from intacct_bridge.psa.models import Project, PsaSettings, Stage, Task
from intacct_bridge.records.models import Client
from intacct_bridge.sync import service
from intacct_bridge.workspaces.models import Membership, Profile

pytestmark = pytest.mark.django_db


def _project_form(**values: str) -> dict[str, str]:
    base = {
        "project_id": "",
        "name": "Brand refresh",
        "description": "",
        "client": "",
        "stage": "running",
        "billing_type": "time_and_materials",
        "start_date": TODAY.isoformat(),
        "end_date": (TODAY + timedelta(days=45)).isoformat(),
        "budget": "",
        "custom_fields": "",
    }
    return base | values


def test_create_a_running_project_with_a_task_from_the_pages(
    psa_ws: Any, remote: Any, signed_in: Any, owner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    web = signed_in(owner)
    listing = web.get(f"/w/{psa_ws.slug}/projects/").content.decode()
    assert 'id="new-project"' in listing and "No projects yet" in listing
    assert 'href="/w/acme/projects/"' in listing  # the navigation link
    with django_capture_on_commit_callbacks(execute=True):
        resp = web.post(
            f"/w/{psa_ws.slug}/projects/new/",
            _project_form(project_id="BR-1", budget="5000", custom_fields="Region: North"),
        )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    project = Project.objects.get(workspace=psa_ws, project_id="BR-1")
    assert project.custom_fields == {"Region": "North"}
    assert len(remote_projects(remote, PROJECTID="BR-1")) == 1
    page = web.get(f"/w/{psa_ws.slug}/projects/{project.pk}/").content.decode()
    assert "linked to the Sage Intacct project <strong>BR-1</strong>" in page and "Region" in page
    with django_capture_on_commit_callbacks(execute=True):
        resp = web.post(
            f"/w/{psa_ws.slug}/projects/{project.pk}/tasks/new/",
            {"task_id": "", "name": "Moodboard", "description": "", "status": "planned", "estimate": "6"},
        )
    assert resp.status_code == 302
    task = Task.objects.get(project=project)
    assert (task.name, task.status, task.billable) == ("Moodboard", "planned", False)
    listing = web.get(f"/w/{psa_ws.slug}/projects/?stage=running").content.decode()
    assert "Brand refresh" in listing and "stage-running" in listing and "badge-intacct" in listing
    assert "Brand refresh" not in web.get(f"/w/{psa_ws.slug}/projects/?stage=planning").content.decode()


def test_forms_say_what_is_wrong_and_save_nothing(psa_ws: Any, signed_in: Any, owner: Any) -> None:
    web = signed_in(owner)
    Project.objects.create(workspace=psa_ws, name="Taken", project_id="DUP-1")
    resp = web.post(
        f"/w/{psa_ws.slug}/projects/new/",
        _project_form(project_id="DUP-1", end_date=(TODAY - timedelta(days=3)).isoformat(), budget="-5"),
    )
    body = resp.content.decode()
    assert resp.status_code == 422
    assert "Another project already has the ID DUP-1." in body
    assert "The end date is before the start date." in body
    assert "The budget cannot be negative." in body
    assert Project.objects.filter(workspace=psa_ws).count() == 1
    bad_custom = web.post(f"/w/{psa_ws.slug}/projects/new/", _project_form(custom_fields="no colon here"))
    assert "write custom fields as" in bad_custom.content.decode()


def test_the_project_page_explains_why_a_project_is_not_exported_and_shows_issues(
    psa_ws: Any, signed_in: Any, owner: Any
) -> None:
    web = signed_in(owner)
    late = new_project(psa_ws, project_id="LATE-P", end_date=TODAY - timedelta(days=500), start_date=None)
    page = web.get(f"/w/{psa_ws.slug}/projects/{late.pk}/").content.decode()
    assert "Not exported to Sage Intacct" in page and "365 days before the connection date" in page
    local_client = Client.objects.create(workspace=psa_ws, name="Local only")
    blocked = new_project(psa_ws, project_id="NOCUST-P", client=local_client)
    service.sync_now(psa_ws, "projects")
    page = web.get(f"/w/{psa_ws.slug}/projects/{blocked.pk}/").content.decode()
    assert "Issues" in page and "IB-PSA-CLIENT" in page and "Import or link the client under Clients" in page
    assert "fix the record in Intacct" not in page  # the generic remedy would send people the wrong way


def test_opportunities_say_they_arrive_inactive_and_auto_numbering_is_announced(
    psa_ws: Any, signed_in: Any, owner: Any
) -> None:
    web = signed_in(owner)
    settings = PsaSettings.of(psa_ws)
    settings.autonumber_projects = True
    settings.save()
    opp = new_project(psa_ws, stage=Stage.OPPORTUNITY)
    page = web.get(f"/w/{psa_ws.slug}/projects/{opp.pk}/").content.decode()
    assert "as an inactive project until it is Running" in page
    assert "take Intacct's ID" in page


def test_only_admins_and_project_managers_change_projects_and_only_members_see_them(
    psa_ws: Any, signed_in: Any, teammate: Any, outsider: Any
) -> None:
    project = new_project(psa_ws, project_id="ACC-1")
    web = signed_in(teammate)  # a collaborator
    assert web.get(f"/w/{psa_ws.slug}/projects/{project.pk}/").status_code == 200
    assert 'id="edit-project"' not in web.get(f"/w/{psa_ws.slug}/projects/{project.pk}/").content.decode()
    assert web.get(f"/w/{psa_ws.slug}/projects/new/").status_code == 403
    assert web.post(f"/w/{psa_ws.slug}/projects/{project.pk}/edit/", _project_form()).status_code == 403
    assert web.get(f"/w/{psa_ws.slug}/projects/settings/").status_code == 403
    Membership.objects.filter(workspace=psa_ws, user=teammate).update(profile=Profile.PROJECT_MANAGER)
    assert web.get(f"/w/{psa_ws.slug}/projects/new/").status_code == 200
    other = signed_in(outsider)
    assert other.get(f"/w/{psa_ws.slug}/projects/").status_code == 404
    assert other.get(f"/w/{psa_ws.slug}/projects/{project.pk}/").status_code == 404


def test_settings_page_sets_the_project_category(psa_ws: Any, signed_in: Any, owner: Any) -> None:
    web = signed_in(owner)
    page = web.get(f"/w/{psa_ws.slug}/projects/settings/").content.decode()
    assert "Contract" in page and "Internal Billable" in page
    resp = web.post(
        f"/w/{psa_ws.slug}/projects/settings/",
        {
            "project_category": "Internal Billable",
            "connected_on": TODAY.isoformat(),
            "qualifying_days": "365",
        },
    )
    assert resp.status_code == 302
    assert PsaSettings.of(psa_ws).project_category == "Internal Billable"


def test_a_project_made_on_both_sides_is_linked_from_its_page(
    psa_ws: Any, remote: Any, signed_in: Any, owner: Any
) -> None:
    twin = remote("PROJECT")[0]
    project = new_project(psa_ws, project_id=twin["PROJECTID"], name=twin["NAME"], description="App notes")
    web = signed_in(owner)
    page = web.get(f"/w/{psa_ws.slug}/projects/{project.pk}/").content.decode()
    assert 'id="link-form"' in page and f'value="{twin["RECORDNO"]}"' in page
    resp = web.post(f"/w/{psa_ws.slug}/projects/{project.pk}/link/", {"intacct_recordno": twin["RECORDNO"]})
    assert resp.status_code == 302
    project.refresh_from_db()
    page = web.get(f"/w/{psa_ws.slug}/projects/{project.pk}/").content.decode()
    assert f"linked to the Sage Intacct project <strong>{twin['PROJECTID']}</strong>" in page
    assert project.description == (twin.get("DESCRIPTION") or "")  # linking takes Intacct's values
    # the next sync neither imports the twin again nor sends anything
    run = service.sync_now(psa_ws, "projects")
    assert Project.objects.filter(workspace=psa_ws, project_id=twin["PROJECTID"]).count() == 1, run.message


def test_a_conflict_shows_both_versions_and_the_admin_keeps_one(
    psa_ws: Any, remote: Any, signed_in: Any, owner: Any
) -> None:
    project = new_project(psa_ws, project_id="CONF-1", name="Original")
    assert service.sync_now(psa_ws, "projects").pushed == 1
    project.refresh_from_db()
    project.name = "Renamed in the app"
    project.save()  # no prompt push here (not committed): both sides change before the next sync
    link = link_of(psa_ws, "projects", project.pk)
    assert link is not None
    intacct_update(psa_ws, "PROJECT", {"RECORDNO": str(link.recordno), "NAME": "Renamed in Intacct"})
    run = service.sync_now(psa_ws, "projects")
    assert run.conflicts == 1, run.message
    web = signed_in(owner)
    page = web.get(f"/w/{psa_ws.slug}/projects/{project.pk}/").content.decode()
    assert "Conflict to review" in page and "Renamed in the app" in page and "Renamed in Intacct" in page
    conflict_id = page.split('id="conflict-')[1].split('"')[0]
    resp = web.post(f"/w/{psa_ws.slug}/sync/conflicts/{conflict_id}/resolve/", {"keep": "app"})
    assert resp.status_code == 302
    service.sync_now(psa_ws, "projects")
    (record,) = remote_projects(remote, PROJECTID="CONF-1")
    project.refresh_from_db()
    assert record["NAME"] == project.name == "Renamed in the app"
    assert "Conflict to review" not in web.get(f"/w/{psa_ws.slug}/projects/{project.pk}/").content.decode()
