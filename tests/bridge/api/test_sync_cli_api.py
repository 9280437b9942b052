"""The sync CLI (sync, import, records --json) and the JSON API endpoints."""

from __future__ import annotations

import json
from typing import Any

import pytest

from intacct_bridge.cli import main
from intacct_bridge.records.models import Client
from intacct_bridge.sync.models import Run, RunStatus

pytestmark = pytest.mark.django_db


def _recordnos(intacct_sandbox: Any, n: int) -> list[int]:
    customers = intacct_sandbox.control.records(intacct_sandbox.credentials["company_id"], "CUSTOMER")
    return sorted(int(c["RECORDNO"]) for c in customers)[:n]


def test_cli_import_sync_and_records(ws: Any, intacct_sandbox: Any, capsys: Any) -> None:
    ids = _recordnos(intacct_sandbox, 2)
    assert main(["import", ws.slug, "clients", *map(str, ids)]) == 0
    assert "created 2" in capsys.readouterr().out
    Client.objects.create(workspace=ws, name="Local only")
    assert main(["sync", ws.slug, "--family", "clients", "--json"]) == 0
    run = json.loads(capsys.readouterr().out)
    assert run["status"] == "succeeded" and run["family"] == "clients"
    assert main(["records", ws.slug, "clients", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["link_state"] for r in rows} == {"linked", "local"}
    linked = [r for r in rows if r["link_state"] == "linked"]
    assert sorted(r["intacct_recordno"] for r in linked) == ids
    assert set(linked[0]["fields"]) == {"name", "street", "zip", "city", "country"}
    assert linked[0]["intacct_id"].startswith("C")
    local = next(r for r in rows if r["link_state"] == "local")
    assert local["intacct_recordno"] is None and local["intacct_id"] is None


def test_cli_refuses_unknown_family_and_workspace(ws: Any) -> None:
    with pytest.raises(SystemExit, match="unknown family"):
        main(["records", ws.slug, "no-such-family", "--json"])
    with pytest.raises(SystemExit, match="no workspace"):
        main(["sync", "nope"])


def test_api_import_list_link_unlink_and_runs(ws: Any, intacct_sandbox: Any, api_client: Any) -> None:
    api = api_client(ws, write=True)
    base = f"/api/v1/workspaces/{ws.slug}"
    page = api.get(f"{base}/clients/intacct?per_page=5").json()
    assert len(page["results"]) == 5 and page["has_next"]
    pick = [r["intacct_recordno"] for r in page["results"][:2]]
    resp = api.post(f"{base}/clients/import?wait=true", {"ids": pick}, content_type="application/json")
    assert resp.status_code == 200, resp.content
    assert resp.json()["counts"]["created"] == 2
    records = api.get(f"{base}/clients/records").json()
    assert sorted(r["intacct_recordno"] for r in records) == sorted(pick)
    # already linked customers leave the import list
    remaining = api.get(f"{base}/clients/intacct?per_page=200").json()["results"]
    assert not {r["intacct_recordno"] for r in remaining} & set(pick)

    local = Client.objects.create(workspace=ws, name=remaining[0]["title"])
    suggestions = api.get(f"{base}/clients/{local.pk}/suggestions").json()
    assert suggestions[0]["intacct_recordno"] == remaining[0]["intacct_recordno"]
    linked = api.post(
        f"{base}/clients/{local.pk}/link", {"intacct_recordno": pick[0]}, content_type="application/json"
    )
    assert linked.status_code == 409 and linked.json()["error"]["code"] == "link_refused"
    linked = api.post(
        f"{base}/clients/{local.pk}/link",
        {"intacct_recordno": remaining[0]["intacct_recordno"]},
        content_type="application/json",
    )
    assert linked.status_code == 200 and linked.json()["link_state"] == "linked"
    unlinked = api.post(f"{base}/clients/{local.pk}/unlink")
    assert unlinked.json()["link_state"] == "unlinked"

    runs = api.get(f"{base}/runs").json()
    assert [r["trigger"] for r in runs][:2] == ["link", "link"] or runs[0]["trigger"] == "link"
    detail = api.get(f"{base}/runs/{runs[-1]['id']}").json()
    assert "issues" in detail


def test_api_sync_now_and_read_only_tokens(ws: Any, intacct_sandbox: Any, api_client: Any) -> None:
    base = f"/api/v1/workspaces/{ws.slug}"
    reader = api_client(ws)
    assert reader.post(f"{base}/sync", {}, content_type="application/json").status_code == 403
    writer = api_client(ws, write=True)
    resp = writer.post(f"{base}/sync?wait=true", {"family": "departments"}, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["status"] == "succeeded"
    assert writer.post(f"{base}/sync", {"family": "nope"}, content_type="application/json").status_code == 404


def test_api_retry_and_mark_fixed(ws: Any, intacct_sandbox: Any, api_client: Any) -> None:
    api = api_client(ws, write=True)
    base = f"/api/v1/workspaces/{ws.slug}"
    employees = intacct_sandbox.control.records(intacct_sandbox.credentials["company_id"], "EMPLOYEE")
    emp = int(employees[0]["RECORDNO"])
    # no departments imported yet: the employee is imported with an issue
    run = api.post(f"{base}/people/import?wait=true", {"ids": [emp]}, content_type="application/json").json()
    assert run["status"] == "partial"
    issue = api.get(f"{base}/runs/{run['id']}").json()["issues"][0]
    assert issue["remedy"]["code"] == "missing-reference"
    api.post(f"{base}/departments/import?wait=true", {"all": True}, content_type="application/json")
    fixed = api.post(f"{base}/issues/{issue['id']}/fixed").json()
    assert fixed["fixed"] is True
    retried = api.post(f"{base}/runs/{run['id']}/retry").json()
    assert retried["status"] == "succeeded", retried
    assert Run.objects.get(pk=retried["id"]).trigger == "retry"
    from intacct_bridge.records.models import Person

    assert Person.objects.get(workspace=ws).department_id is not None
    assert RunStatus.SUCCEEDED == "succeeded"


def test_openapi_lists_the_sync_endpoints(ws: Any, signed_in: Any, owner: Any) -> None:
    doc = signed_in(owner).get("/api/v1/openapi.json").json()
    paths = set(doc["paths"])
    for suffix in (
        "runs",
        "runs/{run_id}",
        "runs/{run_id}/retry",
        "sync",
        "{family}/records",
        "{family}/intacct",
        "{family}/import",
        "{family}/{local_id}/link",
        "{family}/{local_id}/unlink",
    ):
        assert f"/api/v1/workspaces/{{slug}}/{suffix}" in paths


def test_api_explains_intacct_refusals(ws: Any, intacct_sandbox: Any, api_client: Any) -> None:
    from intacct_bridge.workspaces.models import Connection

    conn = Connection.objects.get(workspace=ws)
    conn.set_password("wrong-password")
    conn.save()
    resp = api_client(ws).get(f"/api/v1/workspaces/{ws.slug}/clients/intacct")
    assert resp.status_code == 502
    error = resp.json()["error"]
    assert error["code"] == "intacct_error" and "password" in error["message"].lower()


def test_api_schedule(ws: Any, api_client: Any) -> None:
    base = f"/api/v1/workspaces/{ws.slug}/schedule"
    assert api_client(ws).get(base).json()["frequency"] == "daily"
    assert (
        api_client(ws).put(base, {"frequency": "hourly"}, content_type="application/json").status_code == 403
    )
    writer = api_client(ws, write=True)
    assert writer.put(base, {"frequency": "weekly"}, content_type="application/json").status_code == 422
    out = writer.put(base, {"frequency": "hourly"}, content_type="application/json").json()
    assert out["frequency"] == "hourly" and out["next_due_at"]
