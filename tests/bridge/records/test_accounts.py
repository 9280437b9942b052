"""Chart of accounts ← GLACCOUNT: import-all, one-way, inactive kept but marked, read-only everywhere."""

from __future__ import annotations

from typing import Any

import pytest

from intacct_bridge.records.models import Account
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link, RunStatus
from intacct_bridge.workspaces.connection import client_for

pytestmark = pytest.mark.django_db


def _account_by_number(ws: Any, number: str) -> Account:
    link = Link.objects.get(workspace=ws, family="accounts", business_id=number)
    return Account.objects.get(pk=link.local_id)


def test_sync_imports_the_whole_chart(ws: Any, remote: Any) -> None:
    chart = remote("GLACCOUNT")
    assert len(chart) > 5  # the sandbox's demo chart
    run = service.sync_now(ws, "accounts")
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert run.created == len(chart)
    assert Account.objects.filter(workspace=ws).count() == len(chart)
    for gl in chart:
        acct = _account_by_number(ws, str(gl["ACCOUNTNO"]))
        assert acct.number == str(gl["ACCOUNTNO"])
        assert acct.title == gl["TITLE"]
        assert acct.account_type == (gl.get("ACCOUNTTYPE") or "")
        assert acct.normal_balance == (gl.get("NORMALBALANCE") or "")
        assert acct.closing_type == (gl.get("CLOSINGTYPE") or "")
        assert acct.category == (gl.get("CATEGORY") or "")
        assert acct.active == (gl.get("STATUS") != "inactive")
    # a second sync changes nothing
    again = service.sync_now(ws, "accounts")
    assert again.status == RunStatus.SUCCEEDED, again.message
    assert (again.created, again.updated) == (0, 0)
    assert Account.objects.filter(workspace=ws).count() == len(chart)


def test_new_and_deactivated_accounts_follow_and_inactive_ones_stay(ws: Any, remote: Any) -> None:
    service.sync_now(ws, "accounts")
    victim = next(gl for gl in remote("GLACCOUNT") if gl.get("STATUS") != "inactive")
    with client_for(ws) as intacct:
        intacct.create([("GLACCOUNT", {"ACCOUNTNO": "6999", "TITLE": "Bridge test expense"})])[
            0
        ].raise_for_error()
        intacct.update([("GLACCOUNT", {"ACCOUNTNO": victim["ACCOUNTNO"], "STATUS": "inactive"})])[
            0
        ].raise_for_error()
    run = service.sync_now(ws, "accounts")
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert (run.created, run.updated) == (1, 1)
    added = _account_by_number(ws, "6999")
    assert (added.title, added.active) == ("Bridge test expense", True)
    kept = _account_by_number(ws, str(victim["ACCOUNTNO"]))
    assert kept.active is False  # still here, marked
    assert Account.objects.filter(workspace=ws).count() == len(remote("GLACCOUNT"))


def test_an_account_deleted_in_intacct_is_unlinked_not_deleted(ws: Any, remote: Any) -> None:
    with client_for(ws) as intacct:
        created = intacct.create([("GLACCOUNT", {"ACCOUNTNO": "6998", "TITLE": "Short-lived"})])[0]
        created.raise_for_error()
    service.sync_now(ws, "accounts")
    local = _account_by_number(ws, "6998")
    recordno = Link.objects.get(workspace=ws, family="accounts", business_id="6998").recordno
    with client_for(ws) as intacct:
        intacct.delete("GLACCOUNT", [recordno])[0].raise_for_error()
    run = service.sync_now(ws, "accounts")
    assert run.unlinked == 1, run.message
    assert Account.objects.filter(pk=local.pk).exists()
    row = next(r for r in service.local_records(ws, "accounts") if r["id"] == local.pk)
    assert row["link_state"] == "unlinked"


def test_the_chart_page_is_read_only_and_links_to_intacct(
    ws: Any, remote: Any, signed_in: Any, owner: Any
) -> None:
    ws.families = [*ws.families, "accounts"]
    ws.save()
    service.sync_now(ws, "accounts")
    web = signed_in(owner)
    page = web.get(f"/w/{ws.slug}/accounts/").content.decode()
    assert "Chart of accounts" in page and "Read-only" in page
    assert 'id="open-intacct"' in page and "intacct.com" in page
    assert "Import" not in page  # no import modal, no create button
    for gl in remote("GLACCOUNT")[:3]:
        assert str(gl["ACCOUNTNO"]) in page and str(gl["TITLE"]) in page
    # the nav offers the page once the family is on
    assert f'href="/w/{ws.slug}/accounts/"' in page
    acct = Account.objects.filter(workspace=ws).first()
    assert acct is not None
    profile = web.get(f"/w/{ws.slug}/accounts/{acct.pk}/").content.decode()
    assert 'id="read-only-note"' in profile
    assert 'id="unlink"' not in profile and 'id="link-form"' not in profile
    # even an admin cannot link, unlink or import through the pages
    assert web.post(f"/w/{ws.slug}/accounts/{acct.pk}/unlink/").status_code == 403
    assert web.post(f"/w/{ws.slug}/accounts/{acct.pk}/link/", {"intacct_recordno": "1"}).status_code == 403
    assert web.post(f"/w/{ws.slug}/accounts/import/", {"all": "1"}).status_code == 403
    assert Link.objects.filter(workspace=ws, family="accounts", state="linked").count() == len(
        remote("GLACCOUNT")
    )


def test_the_chart_api_lists_and_refuses_changes(ws: Any, remote: Any, api_client: Any) -> None:
    service.sync_now(ws, "accounts")
    api = api_client(ws, write=True)
    base = f"/api/v1/workspaces/{ws.slug}/accounts"
    listed = api.get(f"{base}/records")
    assert listed.status_code == 200
    rows = listed.json()
    assert len(rows) == len(remote("GLACCOUNT"))
    assert set(rows[0]["fields"]) == {
        "number",
        "title",
        "account_type",
        "normal_balance",
        "closing_type",
        "category",
        "active",
    }
    assert all(r["link_state"] == "linked" for r in rows)
    acct_id = rows[0]["id"]
    body = {"number": "7000", "title": "Nope"}
    # no create/edit/delete routes
    created = api.post(f"{base}/records", {"fields": body}, content_type="application/json")
    assert created.status_code == 405 and created.json()["error"]["code"] == "read_only"
    assert api.put(f"{base}/records", body, content_type="application/json").status_code == 405
    assert api.delete(f"{base}/records").status_code == 405
    for method in (api.post, api.put, api.patch, api.delete):
        assert method(f"{base}/{acct_id}", body, content_type="application/json").status_code in (404, 405)
    # nor link/unlink
    unlink = api.post(f"{base}/{acct_id}/unlink")
    assert unlink.status_code == 405 and unlink.json()["error"]["code"] == "read_only"
    link = api.post(f"{base}/{acct_id}/link", {"intacct_recordno": 1}, content_type="application/json")
    assert link.status_code == 405
    assert Account.objects.filter(workspace=ws).count() == len(remote("GLACCOUNT"))
    assert Link.objects.filter(workspace=ws, family="accounts", state="linked").count() == len(rows)
