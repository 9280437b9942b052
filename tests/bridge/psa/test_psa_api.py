"""Projects and tasks through the JSON API: list/detail/create/update, Idempotency-Key, the same
validation as the pages, access per workspace and profile, and the change feed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from psa_support import TODAY, linked_client, remote_projects, remote_tasks

from intacct_bridge.psa.models import Project, Task
from intacct_bridge.sync.models import Event
from intacct_bridge.workspaces.models import Membership, Profile

pytestmark = pytest.mark.django_db

BASE = "/api/v1/workspaces/{slug}/"


def _url(ws: Any, path: str) -> str:
    return BASE.format(slug=ws.slug) + path


def _post(api: Any, url: str, body: dict[str, Any], key: str = "") -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post(url, body, content_type="application/json", **headers)


def _project_body(**extra: Any) -> dict[str, Any]:
    return {
        "project_id": "API-1",
        "name": "Data migration",
        "stage": "running",
        "start_date": TODAY.isoformat(),
        "end_date": (TODAY + timedelta(days=60)).isoformat(),
        "budget": "12000.00",
        "custom_fields": {"Source": "CRM"},
    } | extra


def test_create_a_project_and_a_task_once_each_and_see_them_in_intacct(
    psa_ws: Any, remote: Any, api_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    api = api_client(psa_ws, write=True)
    client = linked_client(psa_ws, remote)
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(api, _url(psa_ws, "projects"), _project_body(client=client.pk), key="crm-77")
    again = _post(api, _url(psa_ws, "projects"), _project_body(client=client.pk), key="crm-77")
    assert (first.status_code, again.status_code) == (201, 200), first.content
    assert again.json()["id"] == first.json()["id"]
    body = first.json()
    assert (
        body["project_id"] == "API-1" and body["client_name"] == client.name and body["budget"] == "12000.00"
    )
    assert Project.objects.filter(workspace=psa_ws, project_id="API-1").count() == 1
    assert len(remote_projects(remote, PROJECTID="API-1")) == 1  # sent promptly, once
    detail = api.get(_url(psa_ws, f"projects/{body['id']}")).json()
    assert detail["intacct"]["state"] == "linked" and detail["intacct"]["intacct_id"] == "API-1"
    other = _post(api, _url(psa_ws, "projects"), _project_body(name="Other"), key="crm-77")
    assert other.status_code == 409 and other.json()["error"]["code"] == "key_reused"

    task_url = _url(psa_ws, f"projects/{body['id']}/tasks")
    task_body = {"name": "Map fields", "status": "in_progress", "billable": True, "estimate": "16.5"}
    with django_capture_on_commit_callbacks(execute=True):
        made = _post(api, task_url, task_body, key="crm-77-t1")
    repeat = _post(api, task_url, task_body, key="crm-77-t1")
    assert (made.status_code, repeat.status_code) == (201, 200), made.content
    assert repeat.json()["id"] == made.json()["id"]
    assert Task.objects.filter(project_id=body["id"]).count() == 1
    (task,) = remote_tasks(remote, PROJECTID="API-1", NAME="Map fields")
    assert task["TASKSTATUS"] == "In Progress" and str(task["BILLABLE"]).lower() == "true"
    listed = api.get(task_url).json()
    assert [t["name"] for t in listed] == ["Map fields"] and listed[0]["intacct"]["state"] == "linked"


def test_bad_bodies_get_the_form_errors_and_save_nothing(psa_ws: Any, api_client: Any) -> None:
    api = api_client(psa_ws, write=True)
    bad = _post(
        api,
        _url(psa_ws, "projects"),
        _project_body(end_date=(TODAY - timedelta(days=10)).isoformat(), stage="someday"),
    )
    assert bad.status_code == 422
    message = bad.json()["error"]["message"]
    assert "end_date: The end date is before the start date." in message and "stage:" in message
    assert not Project.objects.filter(workspace=psa_ws).exists()
    Project.objects.create(workspace=psa_ws, name="Existing", project_id="API-1")
    dup = _post(api, _url(psa_ws, "projects"), _project_body())
    assert (
        dup.status_code == 422
        and "Another project already has the ID API-1" in dup.json()["error"]["message"]
    )


def test_a_client_of_another_workspace_is_refused(psa_ws: Any, other_workspace: Any, api_client: Any) -> None:
    from intacct_bridge.records.models import Client

    theirs = Client.objects.create(workspace=other_workspace, name="Globex's client")
    resp = _post(api_client(psa_ws, write=True), _url(psa_ws, "projects"), _project_body(client=theirs.pk))
    assert resp.status_code == 422 and resp.json()["error"]["message"].startswith("client:")
    assert not Project.objects.filter(workspace=psa_ws).exists()


def test_patch_changes_only_what_is_sent(psa_ws: Any, api_client: Any) -> None:
    api = api_client(psa_ws, write=True)
    project = Project.objects.create(
        workspace=psa_ws, name="Audit", project_id="AUD-1", description="Keep me", end_date=TODAY
    )
    resp = api.patch(
        _url(psa_ws, f"projects/{project.pk}"), {"name": "Audit 2026"}, content_type="application/json"
    )
    assert resp.status_code == 200, resp.content
    project.refresh_from_db()
    assert (project.name, project.description, project.end_date) == ("Audit 2026", "Keep me", TODAY)


def test_reads_need_the_workspace_and_writes_need_an_editor(
    psa_ws: Any, other_workspace: Any, api_client: Any, signed_in: Any, teammate: Any, outsider: Any
) -> None:
    project = Project.objects.create(workspace=psa_ws, name="Secret", project_id="SEC-1")
    foreign = api_client(other_workspace, write=True)
    assert foreign.get(_url(psa_ws, "projects")).status_code == 404
    assert foreign.get(BASE.format(slug=other_workspace.slug) + f"projects/{project.pk}").status_code == 404
    reader = api_client(psa_ws)
    assert reader.get(_url(psa_ws, "projects")).status_code == 200
    assert _post(reader, _url(psa_ws, "projects"), _project_body()).status_code == 403
    # a collaborator may read but not change projects; a project manager may
    web = signed_in(teammate)
    assert web.get(_url(psa_ws, f"projects/{project.pk}")).status_code == 200
    denied = web.patch(_url(psa_ws, f"projects/{project.pk}"), {"name": "x"}, content_type="application/json")
    assert denied.status_code == 403
    Membership.objects.filter(workspace=psa_ws, user=teammate).update(profile=Profile.PROJECT_MANAGER)
    allowed = web.patch(
        _url(psa_ws, f"projects/{project.pk}"), {"name": "x"}, content_type="application/json"
    )
    assert allowed.status_code == 200, allowed.content
    assert signed_in(outsider).get(_url(psa_ws, "projects")).status_code == 404


def test_every_change_is_in_the_event_feed(psa_ws: Any, api_client: Any) -> None:
    api = api_client(psa_ws, write=True)
    made = _post(api, _url(psa_ws, "projects"), _project_body(stage="planning")).json()
    api.patch(_url(psa_ws, f"projects/{made['id']}"), {"stage": "running"}, content_type="application/json")
    _post(api, _url(psa_ws, f"projects/{made['id']}/tasks"), {"name": "Kick-off"})
    feed = api.get(_url(psa_ws, "events")).json()
    kinds = [e["kind"] for e in feed]
    assert kinds[:3] == ["project.created", "project.updated", "task.created"], kinds
    assert feed[1]["payload"]["stage"] == "running"
    later = api.get(_url(psa_ws, f"events?after={feed[1]['id']}")).json()
    assert [e["kind"] for e in later] == ["task.created"]
    assert Event.objects.filter(workspace=psa_ws).count() == 3
    only_tasks = api.get(_url(psa_ws, "events?kind=task.")).json()
    assert [e["kind"] for e in only_tasks] == ["task.created"]


def test_the_routes_are_in_the_openapi_document(psa_ws: Any, signed_in: Any, owner: Any) -> None:
    doc = signed_in(owner).get("/api/v1/openapi.json")
    assert doc.status_code == 200
    paths = doc.json()["paths"]
    for path in (
        "/api/v1/workspaces/{slug}/projects",
        "/api/v1/workspaces/{slug}/projects/{project_pk}",
        "/api/v1/workspaces/{slug}/projects/{project_pk}/tasks",
        "/api/v1/workspaces/{slug}/tasks/{task_pk}",
        "/api/v1/workspaces/{slug}/events",
    ):
        assert path in paths, sorted(p for p in paths if "project" in p or "task" in p)
