"""Bill pages and Settings > Accounting software sync, through Django's test client."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from ap_support import account, enable_ap, enter_bill, linked_vendor

from intacct_bridge.ap.models import Bill
from intacct_bridge.records.models import Vendor
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link, PendingPush

pytestmark = pytest.mark.django_db


def _form(vendor: Vendor, lines: list[tuple[Any, str]], **extra: str) -> dict[str, str]:
    today = date.today()
    data = {
        "vendor": str(vendor.pk),
        "bill_number": "WEB-1",
        "bill_date": today.isoformat(),
        "due_date": (today + timedelta(days=30)).isoformat(),
        "currency": "USD",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    for n, (acct, amount) in enumerate(lines):
        data[f"lines-{n}-account"] = str(acct.pk)
        data[f"lines-{n}-amount"] = amount
        data[f"lines-{n}-memo"] = f"memo {n}"
    data.update(extra)
    return data


def test_the_bill_list_shows_state_and_amount_due_and_filters(
    ws: Any, remote: Any, signed_in: Any, teammate: Any
) -> None:
    enable_ap(ws)
    web = signed_in(teammate)  # any member reads bills
    page = web.get(f"/w/{ws.slug}/bills/").content.decode()
    assert f'href="/w/{ws.slug}/bills/"' in page  # in the navigation
    assert f'href="/w/{ws.slug}/settings/accounting/"' in page
    paid = [b for b in remote("APBILL") if b["STATE"] == "Paid"]
    for b in remote("APBILL")[:5]:
        assert b["RECORDID"] in page
    assert 'data-state="Partially Paid"' in page and 'data-state="Paid"' in page
    only_paid = web.get(f"/w/{ws.slug}/bills/?state=Paid").content.decode()
    rows = re.findall(r'<tr data-id="(\d+)"', only_paid)
    assert len(rows) == len(paid)
    assert 'data-state="Posted"' not in only_paid.split('id="bills"')[1]


def test_a_bill_page_shows_lines_totals_intacct_state_and_entity(
    ws: Any, remote: Any, signed_in: Any, owner: Any
) -> None:
    enable_ap(ws)
    record = next(b for b in remote("APBILL") if b["STATE"] == "Partially Paid")
    link = Link.objects.get(workspace=ws, family="bills", recordno=int(record["RECORDNO"]))
    page = signed_in(owner).get(f"/w/{ws.slug}/bills/{link.local_id}/").content.decode()
    assert record["RECORDID"] in page and record["VENDORNAME"] in page
    assert f'<strong id="intacct-recordno">{record["RECORDNO"]}</strong>' in page
    assert '<strong id="intacct-state">Partially Paid</strong>' in page
    bill = Bill.objects.get(pk=link.local_id)
    assert f'id="bill-due">{bill.amount_due}<' in page
    assert f'id="bill-entity">{record["MEGAENTITYID"] or "Top level"}<' in page
    for line in bill.lines.select_related("account"):
        assert line.account is not None and line.account.title in page
    assert 'id="mark-ready"' not in page  # Intacct owns it


def test_new_bill_offers_active_chart_accounts_and_app_vendors_and_saves(
    ws: Any, remote: Any, signed_in: Any, owner: Any
) -> None:
    enable_ap(ws)
    inactive = account(ws, "6200")
    inactive.active = False
    inactive.save()
    app_vendor = Vendor.objects.create(workspace=ws, name="Only In The App AS")
    web = signed_in(owner)
    form = web.get(f"/w/{ws.slug}/bills/new/").content.decode()
    assert "Only In The App AS" in form
    assert ">6000 General Expense<" in form and "6200 Travel" not in form
    assert "1200 Accounts Receivable" in form  # the whole active chart, as Intacct allows
    saved = web.post(
        f"/w/{ws.slug}/bills/new/",
        _form(app_vendor, [(account(ws, "6000"), "100.10"), (account(ws, "6300"), "0.90")]),
    )
    assert saved.status_code == 302
    bill = Bill.objects.get(workspace=ws, bill_number="WEB-1")
    assert saved["Location"] == f"/w/{ws.slug}/bills/{bill.pk}/"
    assert str(bill.total) == "101.00" and bill.vendor == app_vendor and not bill.ready_to_pay
    assert [(ln.account.number, str(ln.amount), ln.memo) for ln in bill.lines.all() if ln.account] == [
        ("6000", "100.10", "memo 0"),
        ("6300", "0.90", "memo 1"),
    ]
    page = web.get(saved["Location"]).content.decode()
    assert 'id="mark-ready"' in page and "Draft in the app" in page
    # Mark ready to pay queues it for the next sync
    web.post(f"/w/{ws.slug}/bills/{bill.pk}/ready/")
    bill.refresh_from_db()
    assert bill.ready_to_pay
    assert PendingPush.objects.filter(workspace=ws, family="bills", local_id=bill.pk).exists()
    service.sync_now(ws)
    bill.refresh_from_db()
    assert bill.intacct_state == "Posted"
    page = web.get(f"/w/{ws.slug}/bills/{bill.pk}/").content.decode()
    assert '<strong id="intacct-state">Posted</strong>' in page


@pytest.mark.parametrize(
    ("amount", "needle"),
    [
        ("12.345", "no more than 2 decimal places"),
        ("abc", "Enter a number"),
        ("0", "cannot be zero"),
        ("-5.00", "more than zero"),
    ],
)
def test_bad_amounts_say_why_and_save_nothing(
    ws: Any, signed_in: Any, owner: Any, amount: str, needle: str
) -> None:
    enable_ap(ws, sync=True)
    web = signed_in(owner)
    answer = web.post(f"/w/{ws.slug}/bills/new/", _form(linked_vendor(ws), [(account(ws, "6000"), amount)]))
    assert answer.status_code == 200
    assert needle in answer.content.decode()
    assert not Bill.objects.filter(workspace=ws, bill_number="WEB-1").exists()


def test_an_inactive_account_cannot_be_posted_by_hand(ws: Any, signed_in: Any, owner: Any) -> None:
    enable_ap(ws)
    inactive = account(ws, "6200")
    inactive.active = False
    inactive.save()
    answer = signed_in(owner).post(f"/w/{ws.slug}/bills/new/", _form(linked_vendor(ws), [(inactive, "5.00")]))
    assert answer.status_code == 200 and "Select a valid choice" in answer.content.decode()
    assert not Bill.objects.filter(workspace=ws, bill_number="WEB-1").exists()


def test_mark_ready_refuses_a_bill_that_broke_since(ws: Any, signed_in: Any, owner: Any) -> None:
    enable_ap(ws)
    bill = enter_bill(ws, linked_vendor(ws), [("6200", "5.00")], ready=False)
    acct = account(ws, "6200")
    acct.active = False
    acct.save()
    web = signed_in(owner)
    answer = web.post(f"/w/{ws.slug}/bills/{bill.pk}/ready/", follow=True)
    assert "inactive" in answer.content.decode()
    bill.refresh_from_db()
    assert not bill.ready_to_pay


def test_accounting_software_sync_settings(ws: Any, signed_in: Any, owner: Any) -> None:
    enable_ap(ws)
    conn = ws.connection
    web = signed_in(owner)
    page = web.get(f"/w/{ws.slug}/settings/accounting/").content.decode()
    assert conn.company_id in page and 'id="sync-entity">Top level' in page
    assert f'href="/w/{ws.slug}/connection/"' in page and 'id="sync-now"' in page
    assert f'href="/w/{ws.slug}/sync/"' in page  # history
    for family in ("accounts", "vendors", "bills"):
        assert f'data-family="{family}"' in page
    rows = page.split('id="ap-families"')[1]
    assert "Succeeded" in rows  # each family's last run
    conn.entity_id = "E200"
    conn.save()
    page = web.get(f"/w/{ws.slug}/settings/accounting/").content.decode()
    assert 'id="sync-entity">E200' in page


def test_pages_need_membership(
    ws: Any, other_workspace: Any, signed_in: Any, outsider: Any, client: Any
) -> None:
    enable_ap(ws)
    bill = Bill.objects.filter(workspace=ws).first()
    assert bill is not None
    paths = [
        f"/w/{ws.slug}/bills/",
        f"/w/{ws.slug}/bills/new/",
        f"/w/{ws.slug}/bills/{bill.pk}/",
        f"/w/{ws.slug}/settings/accounting/",
    ]
    for path in paths:
        assert client.get(path).status_code == 302  # to the sign-in page
    web = signed_in(outsider)
    for path in paths:
        assert web.get(path).status_code == 404
    assert web.get(f"/w/{other_workspace.slug}/bills/{bill.pk}/").status_code == 404
    assert web.post(f"/w/{ws.slug}/bills/{bill.pk}/ready/").status_code == 404


def test_a_held_back_bill_is_fixed_in_its_edit_page_and_goes(
    ws: Any, remote: Any, signed_in: Any, owner: Any
) -> None:
    from ap_support import in_intacct

    enable_ap(ws)
    bill = enter_bill(ws, linked_vendor(ws), [("6000", "30.00"), ("6200", "12.00")], number="FIX-1")
    travel = account(ws, "6200")
    travel.active = False
    travel.save()
    held = service.sync_now(ws, "bills")
    assert held.pushed == 0 and held.issues.filter(local_id=bill.pk, errorno="IB-ACCOUNT").exists()
    web = signed_in(owner)
    page = web.get(f"/w/{ws.slug}/bills/{bill.pk}/").content.decode()
    assert 'id="edit-bill"' in page and "IB-ACCOUNT" in page
    form = web.get(f"/w/{ws.slug}/bills/{bill.pk}/edit/").content.decode()
    assert 'value="FIX-1"' in form and 'value="30.00"' in form  # prefilled
    data = _form(
        bill.vendor, [(account(ws, "6000"), "30.00"), (account(ws, "6100"), "12.00")], bill_number="FIX-1"
    )
    data["ready_to_pay"] = "on"
    saved = web.post(f"/w/{ws.slug}/bills/{bill.pk}/edit/", data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert [ln.account.number for ln in bill.lines.all() if ln.account] == ["6000", "6100"]
    done = service.sync_now(ws, "bills")
    assert done.pushed == 1 and len(in_intacct(remote, bill)) == 1
    # in Intacct now: no edit, no delete
    page = web.get(f"/w/{ws.slug}/bills/{bill.pk}/").content.decode()
    assert 'id="edit-bill"' not in page and 'id="delete-bill"' not in page
    assert web.get(f"/w/{ws.slug}/bills/{bill.pk}/edit/").status_code == 302
    web.post(f"/w/{ws.slug}/bills/{bill.pk}/delete/")
    assert Bill.objects.filter(pk=bill.pk).exists()


def test_a_copy_is_deleted_in_the_app_and_through_the_api(
    ws: Any, signed_in: Any, owner: Any, api_client: Any
) -> None:
    enable_ap(ws)
    first = enter_bill(ws, linked_vendor(ws), [("6000", "5.00")], number="COPY-1")
    second = enter_bill(ws, linked_vendor(ws), [("6000", "5.00")], number="COPY-2")
    gone = signed_in(owner).post(f"/w/{ws.slug}/bills/{first.pk}/delete/")
    assert gone.status_code == 302 and not Bill.objects.filter(pk=first.pk).exists()
    assert not PendingPush.objects.filter(workspace=ws, family="bills", local_id=first.pk).exists()
    api = api_client(ws, write=True)
    assert api.delete(f"/api/v1/workspaces/{ws.slug}/bills/{second.pk}").status_code == 204
    assert not Bill.objects.filter(pk=second.pk).exists()
    imported = Bill.objects.filter(workspace=ws).exclude(intacct_state="").first()
    assert imported is not None
    refused = api.delete(f"/api/v1/workspaces/{ws.slug}/bills/{imported.pk}")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "already_sent"


def test_sync_bills_now_runs_the_bills_family(
    ws: Any, remote: Any, signed_in: Any, teammate: Any, django_capture_on_commit_callbacks: Any
) -> None:
    enable_ap(ws)
    bill = enter_bill(ws, linked_vendor(ws), [("6000", "15.00")], number="NOW-1")
    web = signed_in(teammate)
    assert 'id="sync-bills"' in web.get(f"/w/{ws.slug}/bills/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = web.post(f"/w/{ws.slug}/sync/now/", {"family": "bills"})
    assert answer.status_code == 302 and "/sync/runs/" in answer["Location"]
    bill.refresh_from_db()
    assert bill.intacct_state == "Posted"
    assert web.get(f"/w/{ws.slug}/sync/now/").status_code == 405
    assert web.post(f"/w/{ws.slug}/sync/now/", {"family": "no-such"}).status_code == 404
