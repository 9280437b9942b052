"""The JSON API of timesheets and project invoices: enter, approve, reject, export, synchronize;
Idempotency-Key honoured; workspace scoping and approver rights enforced."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from time_support import a_person, intacct_sheets, monday, open_task

from intacct_bridge.records.models import Account
from intacct_bridge.timesheets.models import Timesheet

pytestmark = pytest.mark.django_db
BASE = "/api/v1/workspaces/acme"


def _body(ws: Any) -> dict[str, Any]:
    task = open_task(ws)
    begin = monday(2)
    return {
        "person": a_person(ws).pk,
        "begin_date": begin.isoformat(),
        "entries": [
            {"date": begin.isoformat(), "hours": "6.5", "project": task.project_id, "task": task.pk},
            {
                "date": (begin + timedelta(days=1)).isoformat(),
                "hours": "2",
                "project": task.project_id,
                "task": task.pk,
            },
        ],
        "submit": True,
    }


def test_enter_approve_and_reject_through_the_api(
    time_ws: Any, api_client: Any, remote: Any, run_commits: Any
) -> None:
    api = api_client(time_ws, write=True)
    body = _body(time_ws)
    first = api.post(
        f"{BASE}/timesheets", body, content_type="application/json", headers={"Idempotency-Key": "w47"}
    )
    assert first.status_code == 201, first.content
    again = api.post(
        f"{BASE}/timesheets", body, content_type="application/json", headers={"Idempotency-Key": "w47"}
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Timesheet.objects.filter(workspace=time_ws).count() == 1
    sheet_id = first.json()["id"]
    assert first.json()["state"] == "submitted"
    assert {e["billable"] for e in first.json()["entries"]} == {True}
    with run_commits():
        approved = api.post(f"{BASE}/timesheets/{sheet_id}/approve")
    assert approved.status_code == 200, approved.content
    shown = api.get(f"{BASE}/timesheets/{sheet_id}").json()
    assert shown["state"] == "approved" and shown["export"]["state"] == "exported"
    assert shown["intacct_state"] == "Approved"
    sheet = Timesheet.objects.get(pk=sheet_id)
    assert len(intacct_sheets(remote, sheet)) == 1
    twice = api.post(f"{BASE}/timesheets/{sheet_id}/approve")
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_approved"
    rejected = api.post(
        f"{BASE}/timesheets/{sheet_id}/reject", {"note": "wrong week"}, content_type="application/json"
    )
    assert rejected.status_code == 200, rejected.content
    assert rejected.json()["export"]["state"] == "withdrawn"
    assert intacct_sheets(remote, sheet) == []
    listed = api.get(f"{BASE}/timesheets?state=rejected").json()
    assert [s["id"] for s in listed] == [sheet_id]
    events = [e["kind"] for e in api.get(f"{BASE}/events?kind=timesheet.").json()]
    assert events[:4] == [
        "timesheet.submitted",
        "timesheet.approved",
        "timesheet.exported",
        "timesheet.rejected",
    ]
    assert "timesheet.withdrawn_from_intacct" in events


def test_only_approvers_approve_and_other_workspaces_are_invisible(
    time_ws: Any, teammate: Any, outsider: Any, other_workspace: Any, client: Any, api_client: Any
) -> None:
    api = api_client(time_ws, write=True)
    sheet_id = api.post(f"{BASE}/timesheets", _body(time_ws), content_type="application/json").json()["id"]
    client.force_login(teammate)  # a collaborator
    refused = client.post(f"{BASE}/timesheets/{sheet_id}/approve")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    client.force_login(outsider)
    assert client.get(f"{BASE}/timesheets/{sheet_id}").status_code == 404
    other = api_client(other_workspace, write=True)
    assert other.get(f"{BASE}/timesheets").status_code == 404
    read_only = api_client(time_ws)
    assert read_only.post(f"{BASE}/timesheets/{sheet_id}/approve").status_code == 403
    assert (
        read_only.put(
            f"{BASE}/time/settings", {"cutoff": "2026-01-01"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_bad_entries_are_refused_with_the_field(time_ws: Any, api_client: Any) -> None:
    api = api_client(time_ws, write=True)
    body = _body(time_ws)
    body["entries"][0]["date"] = (monday(2) + timedelta(days=9)).isoformat()
    answer = api.post(f"{BASE}/timesheets", body, content_type="application/json")
    assert answer.status_code == 422 and "outside the week" in answer.json()["error"]["message"]
    body = _body(time_ws)
    body["entries"][0]["hours"] = "30"
    answer = api.post(f"{BASE}/timesheets", body, content_type="application/json")
    assert answer.status_code == 422 and "entries[1].hours" in answer.json()["error"]["message"]
    assert not Timesheet.objects.filter(workspace=time_ws).exists()


def test_invoice_export_through_the_api(
    time_ws: Any, api_client: Any, remote: Any, intacct_sandbox: Any, run_commits: Any
) -> None:
    from test_time_invoices import _billable_project

    api = api_client(time_ws, write=True)
    project = _billable_project(time_ws)
    account = Account.objects.get(workspace=time_ws, number="4000")
    created = api.post(
        f"{BASE}/project-invoices",
        {
            "project": project.pk,
            "number": "PI-77",
            "due_date": (timezone.localdate() + timedelta(days=14)).isoformat(),
            "lines": [{"description": "Sprint 1", "amount": "950.00"}],
        },
        content_type="application/json",
        headers={"Idempotency-Key": "inv-77"},
    )
    assert created.status_code == 201, created.content
    invoice_id = created.json()["id"]
    assert created.json()["payment"]["status"] == "Not exported"
    bad = api.post(
        f"{BASE}/project-invoices/{invoice_id}/export", {"location": "E100"}, content_type="application/json"
    )
    assert bad.status_code == 422 and "no GL account" in bad.json()["error"]["message"]
    with run_commits():
        exported = api.post(
            f"{BASE}/project-invoices/{invoice_id}/export",
            {"account": account.pk, "location": "E100"},
            content_type="application/json",
            headers={"Idempotency-Key": "exp-77"},
        )
    assert exported.status_code == 200, exported.content
    shown = api.get(f"{BASE}/project-invoices/{invoice_id}").json()
    assert shown["export"]["state"] == "exported" and shown["export"]["intacct_recordno"]
    assert shown["payment"] == {
        "status": "Unpaid",
        "intacct_state": "Posted",
        "amount_paid": "0.00",
        "amount_due": "950.00",
        "paid_on": None,
    }
    with run_commits():
        api.post(
            f"{BASE}/project-invoices/{invoice_id}/export",
            {"account": account.pk},
            content_type="application/json",
        )
    assert len([r for r in remote("ARINVOICE") if r.get("RECORDID") == "PI-77"]) == 1
    intacct_sandbox.control.pay_invoice(
        intacct_sandbox.credentials["company_id"], shown["export"]["intacct_recordno"], "950.00"
    )
    synced = api.post(f"{BASE}/project-invoices/{invoice_id}/synchronize").json()
    assert synced["payment"]["status"] == "Paid"
