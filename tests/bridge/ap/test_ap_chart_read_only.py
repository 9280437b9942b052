"""The chart stays read-only where test_accounts.py does not look: the generic New/Edit pages, PATCH
of a record, and the bills' account pickers (they choose from it, never add to it)."""

from __future__ import annotations

from typing import Any

import pytest
from ap_support import account, enable_ap

from intacct_bridge.records.models import Account

pytestmark = pytest.mark.django_db


def test_no_page_creates_or_edits_an_account(ws: Any, signed_in: Any, owner: Any) -> None:
    enable_ap(ws)
    acct = account(ws, "6000")
    web = signed_in(owner)  # an admin
    before = Account.objects.filter(workspace=ws).count()
    assert web.get(f"/w/{ws.slug}/accounts/new/").status_code in (403, 404, 405)
    assert web.post(f"/w/{ws.slug}/accounts/new/", {"number": "7777", "title": "Nope"}).status_code in (
        403,
        404,
        405,
    )
    assert web.get(f"/w/{ws.slug}/accounts/{acct.pk}/edit/").status_code in (403, 404, 405)
    edit = web.post(f"/w/{ws.slug}/accounts/{acct.pk}/edit/", {"title": "Renamed"})
    assert edit.status_code in (403, 404, 405)
    acct.refresh_from_db()
    assert acct.title == "General Expense" and Account.objects.filter(workspace=ws).count() == before


def test_patch_of_an_account_is_refused(ws: Any, api_client: Any) -> None:
    enable_ap(ws)
    acct = account(ws, "6000")
    api = api_client(ws, write=True)
    answer = api.patch(
        f"/api/v1/workspaces/{ws.slug}/accounts/records/{acct.pk}",
        {"fields": {"title": "Renamed"}},
        content_type="application/json",
    )
    assert answer.status_code == 405 and answer.json()["error"]["code"] == "read_only"
    acct.refresh_from_db()
    assert acct.title == "General Expense"
