"""Host products create vendors through the JSON API: validated, pushed by the next sync, and the
same Idempotency-Key never creates twice (in the app or in Intacct)."""

from __future__ import annotations

from typing import Any

import pytest

from intacct_bridge.records.models import Client, Vendor
from intacct_bridge.sync import service
from intacct_bridge.sync.models import RunStatus

pytestmark = pytest.mark.django_db

NEW = {"name": "Fabrikam Freight", "email": "ap@fabrikam.example", "city": "Lyon", "country": "France"}


def _post(api: Any, ws: Any, family: str, fields: dict[str, Any], key: str = "") -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post(
        f"/api/v1/workspaces/{ws.slug}/{family}/records",
        {"fields": fields},
        content_type="application/json",
        **headers,
    )


def _in_intacct(remote: Any, name: str) -> list[dict[str, Any]]:
    return [v for v in remote("VENDOR") if v["NAME"] == name]


def test_a_created_vendor_reaches_intacct_with_the_next_sync(ws: Any, remote: Any, api_client: Any) -> None:
    api = api_client(ws, write=True)
    resp = _post(api, ws, "vendors", NEW)
    assert resp.status_code == 201, resp.content
    row = resp.json()
    assert row["link_state"] == "local" and row["fields"]["email"] == "ap@fabrikam.example"
    sync = api.post(
        f"/api/v1/workspaces/{ws.slug}/sync?wait=true", {"family": "vendors"}, content_type="application/json"
    )
    assert sync.status_code == 200 and sync.json()["status"] == RunStatus.SUCCEEDED
    (created,) = _in_intacct(remote, "Fabrikam Freight")
    assert created["VENDORID"] == f"IBV{row['id']}"
    records = api.get(f"/api/v1/workspaces/{ws.slug}/vendors/records").json()
    mine = next(r for r in records if r["id"] == row["id"])
    assert mine["link_state"] == "linked" and mine["intacct_id"] == f"IBV{row['id']}"


def test_the_same_idempotency_key_never_creates_twice(ws: Any, remote: Any, api_client: Any) -> None:
    api = api_client(ws, write=True)
    first = _post(api, ws, "vendors", NEW, key="order-42")
    again = _post(api, ws, "vendors", NEW, key="order-42")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Vendor.objects.filter(workspace=ws, name="Fabrikam Freight").count() == 1
    # another body under the same key is refused, not silently answered with the first record
    other = _post(api, ws, "vendors", {**NEW, "name": "Someone else"}, key="order-42")
    assert other.status_code == 409 and other.json()["error"]["code"] == "key_reused"
    # a new key is a new vendor
    assert _post(api, ws, "vendors", NEW, key="order-43").status_code == 201
    api.post(
        f"/api/v1/workspaces/{ws.slug}/sync?wait=true", {"family": "vendors"}, content_type="application/json"
    )
    assert len(_in_intacct(remote, "Fabrikam Freight")) == 2
    # replaying after the push still answers with the (now linked) first vendor and creates nothing
    replay = _post(api, ws, "vendors", NEW, key="order-42")
    assert replay.status_code == 200 and replay.json()["link_state"] == "linked"
    assert len(_in_intacct(remote, "Fabrikam Freight")) == 2


def test_bad_creates_are_refused_with_the_reason(ws: Any, api_client: Any) -> None:
    api = api_client(ws, write=True)
    no_name = _post(api, ws, "vendors", {"email": "x@example.com"})
    assert no_name.status_code == 422 and "NAME is required" in no_name.json()["error"]["message"]
    unknown = _post(api, ws, "vendors", {"name": "A", "favourite_colour": "red"})
    assert unknown.status_code == 422 and "favourite_colour" in unknown.json()["error"]["message"]
    country = _post(api, ws, "vendors", {"name": "A", "country": "Atlantis"})
    assert country.status_code == 422 and "Atlantis" in country.json()["error"]["message"]
    # Intacct owns the read-only contact name: not settable here
    contact = _post(api, ws, "vendors", {"name": "A", "contact_name": "Mr A"})
    assert contact.status_code == 422
    assert not Vendor.objects.filter(workspace=ws).exists()
    # pull-only families take no creates
    client = _post(api, ws, "clients", {"name": "A"})
    assert client.status_code == 405 and client.json()["error"]["code"] == "pull_only"
    assert not Client.objects.filter(workspace=ws).exists()


def test_read_only_tokens_cannot_create(ws: Any, api_client: Any) -> None:
    resp = _post(api_client(ws), ws, "vendors", NEW)
    assert resp.status_code == 403
    assert not Vendor.objects.filter(workspace=ws).exists()


def test_patch_changes_a_vendor_and_the_next_sync_pushes_it(ws: Any, remote: Any, api_client: Any) -> None:
    api = api_client(ws, write=True)
    row = _post(api, ws, "vendors", NEW).json()
    base = f"/api/v1/workspaces/{ws.slug}"
    api.post(f"{base}/sync?wait=true", {"family": "vendors"}, content_type="application/json")
    patched = api.patch(
        f"{base}/vendors/records/{row['id']}",
        {"fields": {"phone": "+33 4 00 00 00 00", "active": False}},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["fields"]["active"] is False
    api.post(f"{base}/sync?wait=true", {"family": "vendors"}, content_type="application/json")
    (after,) = _in_intacct(remote, "Fabrikam Freight")
    assert after["STATUS"] == "inactive"
    bad = api.patch(
        f"{base}/vendors/records/{row['id']}", {"fields": {"name": ""}}, content_type="application/json"
    )
    assert bad.status_code == 422
    service.sync_now(ws, "accounts")
    acct_id = api.get(f"{base}/accounts/records").json()[0]["id"]
    acct = api.patch(
        f"{base}/accounts/records/{acct_id}", {"fields": {"title": "x"}}, content_type="application/json"
    )
    assert acct.status_code == 405 and acct.json()["error"]["code"] == "read_only"


def test_conflicts_are_listed_and_resolved_through_the_api(ws: Any, remote: Any, api_client: Any) -> None:
    import time

    from intacct_bridge.workspaces.connection import client_for

    api = api_client(ws, write=True)
    base = f"/api/v1/workspaces/{ws.slug}"
    row = _post(api, ws, "vendors", NEW).json()
    api.post(f"{base}/sync?wait=true", {"family": "vendors"}, content_type="application/json")
    api.patch(
        f"{base}/vendors/records/{row['id']}",
        {"fields": {"name": "From the host"}},
        content_type="application/json",
    )
    time.sleep(1.1)  # WHENMODIFIED has whole seconds
    with client_for(ws) as intacct:
        intacct.update([("VENDOR", {"VENDORID": f"IBV{row['id']}", "NAME": "From Intacct"})])[
            0
        ].raise_for_error()
    api.post(f"{base}/sync?wait=true", {"family": "vendors"}, content_type="application/json")
    (conflict,) = api.get(f"{base}/conflicts?family=vendors").json()
    assert conflict["winner"] == "intacct" and conflict["app_values"]["name"] == "From the host"
    assert (
        api_client(ws)
        .post(f"{base}/conflicts/{conflict['id']}/resolve", {"keep": "app"}, content_type="application/json")
        .status_code
        == 403
    )  # read-only token
    resp = api.post(
        f"{base}/conflicts/{conflict['id']}/resolve", {"keep": "app"}, content_type="application/json"
    )
    assert resp.status_code == 200 and resp.json()["kept"] == "app"
    assert api.get(f"{base}/conflicts").json() == []
    assert len(api.get(f"{base}/conflicts?all=true").json()) == 1
    api.post(f"{base}/sync?wait=true", {"family": "vendors"}, content_type="application/json")
    assert len(_in_intacct(remote, "From the host")) == 1
