"""The bills API: list, read, enter (vendor by app id or Intacct VENDORID, Idempotency-Key), mark
ready; errors in the one error shape; one workspace never reaches another's bills."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from ap_support import account, enable_ap, enter_bill, linked_vendor, vendor_id_of

from intacct_bridge.ap.models import Bill
from intacct_bridge.records.models import Vendor
from intacct_bridge.sync import service
from intacct_bridge.sync.models import IdempotentCreate, PendingPush

pytestmark = pytest.mark.django_db


def _body(ws: Any, **changes: Any) -> dict[str, Any]:
    today = date.today()
    body = {
        "vendor_id": linked_vendor(ws).pk,
        "bill_number": "API-1",
        "bill_date": today.isoformat(),
        "due_date": (today + timedelta(days=30)).isoformat(),
        "description": "Printer toner",
        "lines": [
            {"account": "6000", "amount": "19.99", "memo": "toner"},
            {"account": "6300", "amount": "5.01"},
        ],
    }
    body.update(changes)
    return body


def _post(api: Any, ws: Any, body: dict[str, Any], key: str = "") -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return api.post(
        f"/api/v1/workspaces/{ws.slug}/bills", body, content_type="application/json", headers=headers
    )


def test_enter_a_bill_then_mark_it_ready_and_read_it_back_after_the_sync(
    ws: Any, remote: Any, api_client: Any
) -> None:
    enable_ap(ws)
    api = api_client(ws, write=True)
    created = _post(api, ws, _body(ws))
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["total"], data["amount_due"], data["status"], data["intacct_state"]) == (
        "25.00",
        "25.00",
        "Draft in the app",
        None,
    )
    assert [(ln["account"], ln["amount"]) for ln in data["lines"]] == [("6000", "19.99"), ("6300", "5.01")]
    assert not PendingPush.objects.filter(workspace=ws, family="bills", local_id=data["id"]).exists()
    ready = api.post(f"/api/v1/workspaces/{ws.slug}/bills/{data['id']}/ready")
    assert ready.status_code == 200 and ready.json()["status"] == "Ready to pay"
    service.sync_now(ws, "bills")
    got = api.get(f"/api/v1/workspaces/{ws.slug}/bills/{data['id']}").json()
    assert got["intacct_state"] == "Posted" and got["intacct_recordno"]
    assert got["entity"] is None and got["issues"] == []
    again = api.post(f"/api/v1/workspaces/{ws.slug}/bills/{data['id']}/ready")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_sent"
    listed = api.get(f"/api/v1/workspaces/{ws.slug}/bills?state=Posted").json()
    assert data["id"] in [b["id"] for b in listed]
    assert all(b["intacct_state"] == "Posted" for b in listed)
    paid = api.get(f"/api/v1/workspaces/{ws.slug}/bills?state=Paid").json()
    assert paid and all(b["amount_due"] == "0.00" for b in paid)


def test_vendor_by_intacct_id_and_ready_at_once(ws: Any, remote: Any, api_client: Any) -> None:
    enable_ap(ws)
    api = api_client(ws, write=True)
    vendor = linked_vendor(ws)
    body = _body(ws, vendor_id=None, vendor=vendor_id_of(ws, vendor), ready_to_pay=True)
    created = _post(api, ws, body)
    assert created.status_code == 201, created.content
    assert created.json()["vendor"] == {
        "id": vendor.pk,
        "name": vendor.name,
        "intacct_id": vendor_id_of(ws, vendor),
    }
    assert PendingPush.objects.filter(workspace=ws, family="bills", local_id=created.json()["id"]).exists()


def test_idempotency_key_same_body_first_bill_other_body_409(ws: Any, api_client: Any) -> None:
    enable_ap(ws)
    api = api_client(ws, write=True)
    first = _post(api, ws, _body(ws), key="k-1")
    second = _post(api, ws, _body(ws), key="k-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    other = _post(api, ws, _body(ws, bill_number="API-2"), key="k-1")
    assert other.status_code == 409 and other.json()["error"]["code"] == "key_reused"
    assert Bill.objects.filter(workspace=ws).filter(bill_number__startswith="API-").count() == 1
    assert IdempotentCreate.objects.filter(workspace=ws, key="k-1", family="bills").count() == 1


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"vendor_id": 999999}, "Unknown vendor"),
        ({"vendor_id": None, "vendor": "NOPE"}, "Unknown vendor"),
        ({"vendor_id": None}, "needs a vendor"),
        ({"lines": [{"account": "9999", "amount": "5.00"}]}, "not in the chart"),
        ({"lines": [{"account": "6000", "amount": "-5.00"}]}, "more than zero"),
        ({"lines": [{"account": "6000", "amount": "1.234"}]}, "decimal"),
        ({"lines": [{"account": "6000", "amount": "abc"}]}, "decimal"),
        ({"lines": []}, "no lines"),
        ({"due_date": "2001-01-01"}, "before the bill date"),
        ({"bill_date": "31/12/2026"}, "bill_date"),
    ],
)
def test_bad_bills_are_refused_with_the_reason(
    ws: Any, api_client: Any, changes: dict[str, Any], needle: str
) -> None:
    enable_ap(ws)
    api = api_client(ws, write=True)
    before = Bill.objects.filter(workspace=ws).count()
    refused = _post(api, ws, _body(ws, **changes))
    assert refused.status_code == 422, refused.content
    error = refused.json()["error"]
    assert error["code"] == "invalid" and needle.lower() in error["message"].lower(), error
    assert Bill.objects.filter(workspace=ws).count() == before


def test_an_inactive_account_is_refused(ws: Any, api_client: Any) -> None:
    enable_ap(ws)
    acct = account(ws, "6200")
    acct.active = False
    acct.save()
    refused = _post(api_client(ws, write=True), ws, _body(ws, lines=[{"account": "6200", "amount": "5.00"}]))
    assert refused.status_code == 422 and "inactive" in refused.json()["error"]["message"]


def test_an_app_only_vendor_may_take_bills(ws: Any, api_client: Any) -> None:
    enable_ap(ws)
    vendor = Vendor.objects.create(workspace=ws, name="Not in Intacct yet")
    created = _post(api_client(ws, write=True), ws, _body(ws, vendor_id=vendor.pk))
    assert created.status_code == 201 and created.json()["vendor"]["intacct_id"] is None


def test_scoped_to_the_workspace_and_its_token(ws: Any, other_workspace: Any, api_client: Any) -> None:
    enable_ap(ws)
    bill = enter_bill(ws, linked_vendor(ws), [("6000", "1.00")], ready=False)
    outsider = api_client(other_workspace, write=True)
    assert outsider.get(f"/api/v1/workspaces/{ws.slug}/bills").status_code == 404
    assert outsider.get(f"/api/v1/workspaces/{ws.slug}/bills/{bill.pk}").status_code == 404
    assert outsider.get(f"/api/v1/workspaces/{other_workspace.slug}/bills/{bill.pk}").status_code == 404
    assert (
        outsider.post(f"/api/v1/workspaces/{other_workspace.slug}/bills/{bill.pk}/ready").status_code == 404
    )
    reader = api_client(ws, write=False)
    assert reader.get(f"/api/v1/workspaces/{ws.slug}/bills/{bill.pk}").status_code == 200
    denied = reader.post(f"/api/v1/workspaces/{ws.slug}/bills/{bill.pk}/ready")
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
    assert _post(reader, ws, _body(ws)).status_code == 403
    from django.test import Client

    assert Client().get(f"/api/v1/workspaces/{ws.slug}/bills").status_code == 401
    bill.refresh_from_db()
    assert not bill.ready_to_pay


def test_cli_syncs_and_lists_bills_through_the_registry(ws: Any, remote: Any, capsys: Any) -> None:
    import json

    from intacct_bridge.cli import main

    enable_ap(ws, sync=False)
    assert main(["sync", ws.slug, "--family", "accounts", "--json"]) == 0
    assert main(["sync", ws.slug, "--family", "vendors", "--json"]) == 0
    capsys.readouterr()
    assert main(["sync", ws.slug, "--family", "bills", "--json"]) == 0
    run = json.loads(capsys.readouterr().out)
    assert run["status"] == "succeeded" and run["family"] == "bills"
    # (departments on bill lines are imported on the way, so "created" counts them too)
    assert Bill.objects.filter(workspace=ws).count() == len(remote("APBILL"))
    assert main(["records", ws.slug, "bills", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == len(remote("APBILL")) and {r["link_state"] for r in rows} == {"linked"}
    assert {"intacct_state", "amount_due", "vendor"} <= set(rows[0]["fields"])


def test_listing_bills_costs_a_few_queries_whatever_their_number(
    ws: Any, api_client: Any, django_assert_max_num_queries: Any
) -> None:
    enable_ap(ws)
    for n in range(5):
        enter_bill(ws, linked_vendor(ws), [("6000", "1.00"), ("6100", "2.00")], number=f"Q-{n}", ready=False)
    api = api_client(ws)
    assert Bill.objects.filter(workspace=ws).count() > 30
    with django_assert_max_num_queries(12):
        listed = api.get(f"/api/v1/workspaces/{ws.slug}/bills?limit=1000")
    assert listed.status_code == 200 and len(listed.json()) == Bill.objects.filter(workspace=ws).count()
    drafts = [b for b in listed.json() if b["status"] == "Draft in the app"]
    assert len(drafts) == 5 and all(len(b["lines"]) == 2 and b["vendor"]["intacct_id"] for b in drafts)
