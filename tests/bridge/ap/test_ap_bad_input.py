"""Every bad input of the AP issue against the sandbox: each gets a specific error on the bill
(Intacct's errorno and text, or our IB- code, plus the remedy), nothing is sent twice and nothing is
lost — the bill stays queued and goes once it is fixed."""

from __future__ import annotations

import html
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from ap_support import (
    account,
    enable_ap,
    enter_bill,
    in_intacct,
    linked_vendor,
    push_issues,
    raw_bill,
    vendor_id_of,
)

import intacct
from intacct_bridge.ap import service as bill_service
from intacct_bridge.ap.models import Bill
from intacct_bridge.records.models import Account, Vendor
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link, LinkState, PendingPush, RunStatus
from intacct_bridge.sync.remedies import FALLBACK
from intacct_bridge.workspaces.connection import client_for

pytestmark = pytest.mark.django_db


def _one_issue(run: Any, bill: Bill, errorno: str, specific_remedy: bool = True) -> Any:
    issues = push_issues(run, bill)
    assert [i.errorno for i in issues] == [errorno], [(i.errorno, i.text) for i in issues]
    issue = issues[0]
    assert issue.remedy
    if specific_remedy:
        assert issue.remedy != FALLBACK.fix
    return issue


def _still_queued(ws: Any, bill: Bill, attempts: int = 1) -> None:
    item = PendingPush.objects.get(workspace=ws, family="bills", local_id=bill.pk)
    assert item.attempts == attempts
    assert not Link.objects.filter(workspace=ws, family="bills", local_id=bill.pk).exists()


def test_an_account_made_inactive_in_intacct_holds_the_bill_back(ws: Any, remote: Any) -> None:
    enable_ap(ws)
    bill = enter_bill(ws, linked_vendor(ws), [("6000", "50.00"), ("6200", "25.00")])
    with client_for(ws) as c:
        c.update([("GLACCOUNT", {"ACCOUNTNO": "6200", "STATUS": "inactive"})])[0].raise_for_error()
    run = service.sync_now(ws)
    assert not account(ws, "6200").active  # the chart followed first
    issue = _one_issue(run, bill, "IB-ACCOUNT")
    assert "Line 2" in issue.text and "6200" in issue.text and "inactive" in issue.text
    assert issue.remedy_code == "bill-account"
    assert not in_intacct(remote, bill)
    _still_queued(ws, bill)
    # fixed in the app: the line moves to an active account and the bill goes, once
    line = bill.lines.get(line_no=2)
    line.account = account(ws, "6100")
    line.save()
    fixed = service.sync_now(ws, "bills")
    assert fixed.pushed == 1 and len(in_intacct(remote, bill)) == 1


def test_an_account_not_in_the_chart_is_refused(ws: Any, remote: Any) -> None:
    enable_ap(ws)
    stray = Account.objects.create(workspace=ws, number="6999", title="Made up here")  # never imported
    bill = raw_bill(ws, linked_vendor(ws), [(account(ws, "6000"), "10.00"), (stray, "5.00")])
    run = service.sync_now(ws, "bills")
    issue = _one_issue(run, bill, "IB-ACCOUNT")
    assert "6999" in issue.text and "not in the chart" in issue.text
    assert not in_intacct(remote, bill)
    _still_queued(ws, bill)


def test_a_bill_without_a_known_vendor_is_refused(ws: Any, remote: Any, company: str) -> None:
    enable_ap(ws)
    orphan = raw_bill(ws, None, [(account(ws, "6000"), "10.00")], number="NOVENDOR")
    gone = linked_vendor(ws)
    Link.objects.filter(workspace=ws, family="vendors", local_id=gone.pk).update(
        state=LinkState.UNLINKED, unlinked_reason="removed in Intacct"
    )
    removed = raw_bill(ws, gone, [(account(ws, "6000"), "10.00")], number="GONE")
    before = len(remote("APBILL"))
    run = service.sync_now(ws, "bills")
    assert "no vendor" in _one_issue(run, orphan, "IB-VENDOR").text
    assert "removed from Intacct" in _one_issue(run, removed, "IB-VENDOR").text
    assert len(remote("APBILL")) == before


@pytest.mark.parametrize("amounts", [["0.00"], ["40.00", "-40.00"], ["-12.00"]])
def test_a_total_of_zero_or_less_is_refused(ws: Any, remote: Any, amounts: list[str]) -> None:
    enable_ap(ws)
    bill = raw_bill(ws, linked_vendor(ws), [(account(ws, "6000"), a) for a in amounts])
    run = service.sync_now(ws, "bills")
    issue = _one_issue(run, bill, "IB-AMOUNT")
    assert "more than zero" in issue.text and issue.remedy_code == "bill-total"
    assert not in_intacct(remote, bill)
    # and the entry paths refuse it up front
    with pytest.raises(bill_service.BillRefused) as refused:
        enter_bill(ws, linked_vendor(ws), [("6000", a) for a in amounts], number="AGAIN")
    assert "IB-AMOUNT" in [code for code, _ in refused.value.problems]


def test_a_date_in_a_closed_period_gets_intacct_s_error_and_goes_once_reopened(
    ws: Any, remote: Any, intacct_sandbox: Any, company: str
) -> None:
    from intacct_sandbox.objects.writes import set_closed_through

    enable_ap(ws)
    last_month = date.today().replace(day=1) - timedelta(days=1)
    bill = enter_bill(ws, linked_vendor(ws), [("6000", "80.00")], number="OLD-1", bill_date=last_month)
    set_closed_through(intacct_sandbox.sandbox.store, company, last_month)
    run = service.sync_now(ws, "bills")
    issue = _one_issue(run, bill, "BL01001973")
    assert "closed period" in issue.text and last_month.strftime("%m/%d/%Y") in issue.text
    assert issue.correction and issue.remedy_code == "closed-period"
    assert not in_intacct(remote, bill)
    again = service.sync_now(ws, "bills")  # still closed: refused again, still not sent twice
    assert len(push_issues(again, bill)) == 1 and not in_intacct(remote, bill)
    _still_queued(ws, bill, attempts=2)
    set_closed_through(intacct_sandbox.sandbox.store, company, None)
    done = service.sync_now(ws, "bills")
    assert done.pushed == 1 and len(in_intacct(remote, bill)) == 1
    assert not PendingPush.objects.filter(workspace=ws, family="bills").exists()


def test_a_bill_number_the_vendor_used_already_in_the_app(ws: Any, remote: Any) -> None:
    enable_ap(ws)
    vendor = linked_vendor(ws)
    first = enter_bill(ws, vendor, [("6000", "10.00")], number="DUP-9")
    # the entry checks refuse the second one ...
    with pytest.raises(bill_service.BillRefused) as refused:
        enter_bill(ws, vendor, [("6000", "10.00")], number="dup-9")
    assert refused.value.problems[0][0] == "IB-BILLNO"
    # ... and a copy that slipped in (a race) is held back by the sync: the first one goes
    second = raw_bill(ws, vendor, [(account(ws, "6000"), "10.00")], number="DUP-9")
    run = service.sync_now(ws, "bills")
    assert run.pushed == 1 and len(in_intacct(remote, first)) == 1
    issue = _one_issue(run, second, "IB-BILLNO")
    assert "DUP-9" in issue.text and issue.remedy_code == "duplicate-bill-number"
    assert not in_intacct(remote, second)


def test_a_bill_number_only_intacct_knows_gets_intacct_s_error(
    ws: Any, remote: Any, intacct_sender: dict[str, Any]
) -> None:
    """The workspace is bound to E100; another entity (E200) booked the vendor's INV-500 already,
    which this workspace cannot see — only Intacct knows."""
    conn = ws.connection
    conn.entity_id = "E100"
    conn.save()
    enable_ap(ws)
    vendor = linked_vendor(ws)
    creds = intacct_sender
    e200 = intacct.Client(
        intacct.Credentials(
            creds["sender_id"],
            creds["sender_password"],
            creds["company_id"],
            creds["user_id"],
            creds["user_password"],
            entity_id="E200",
        ),
        endpoint=creds["endpoint"],
    )
    today = date.today()
    with e200:
        e200.call(
            "create_bill",
            {
                "vendorid": vendor_id_of(ws, vendor),
                "datecreated": today,
                "datedue": today + timedelta(days=30),
                "billno": "INV-500",
                "billitems": {"lineitem": [{"glaccountno": "6000", "amount": "70.00"}]},
            },
        )
    bill = enter_bill(ws, vendor, [("6000", "70.00")], number="INV-500")  # the app cannot know
    before = len([b for b in remote("APBILL") if b["RECORDID"] == "INV-500"])
    run = service.sync_now(ws, "bills")
    issue = _one_issue(run, bill, "BL34000061")
    assert "INV-500" in issue.text and "already exists" in issue.text
    assert issue.remedy_code == "duplicate-bill-number"
    assert len([b for b in remote("APBILL") if b["RECORDID"] == "INV-500"]) == before == 1
    _still_queued(ws, bill)


def test_a_smart_rule_rejection_is_shown_on_the_bill(
    ws: Any, remote: Any, intacct_sandbox: Any, company: str, signed_in: Any, owner: Any
) -> None:
    enable_ap(ws)
    intacct_sandbox.control.add_smart_rule(
        company, "APBILL", "add", "TOTALENTERED > 10000", "Bills over 10,000 need approval"
    )
    big = enter_bill(ws, linked_vendor(ws), [("6000", "9000.00"), ("6100", "3000.00")], number="BIG-1")
    small = enter_bill(ws, linked_vendor(ws), [("6000", "900.00")], number="SMALL-1")
    run = service.sync_now(ws, "bills")
    assert run.pushed == 1 and len(in_intacct(remote, small)) == 1
    # Intacct names the rule and quotes its message: the remedy is the Smart Rule one (exempt the
    # Web Services user, or fix the bill)
    issue = _one_issue(run, big, "BL01001973")
    assert issue.remedy_code == "smart-rule"
    assert issue.text == "Smart rule APBILL_RULE_1 was violated. Bills over 10,000 need approval"
    assert not in_intacct(remote, big)
    _still_queued(ws, big)
    page = signed_in(owner).get(f"/w/{ws.slug}/bills/{big.pk}/").content.decode()
    assert "Bills over 10,000 need approval" in page and "BL01001973" in page
    assert issue.remedy in html.unescape(page)  # our remedy, next to Intacct's words


def test_a_vendor_name_intacct_rejects_stops_its_bill_too(
    ws: Any, remote: Any, intacct_sandbox: Any, company: str
) -> None:
    enable_ap(ws)
    intacct_sandbox.control.add_smart_rule(
        company, "VENDOR", "add", "NAME = 'Cash Vendor'", "Vendor names must identify a real supplier"
    )
    vendor = Vendor.objects.create(workspace=ws, name="Cash Vendor")
    bill = enter_bill(ws, vendor, [("6000", "20.00")], number="CASH-1")
    vendors_before = len(remote("VENDOR"))
    run = service.sync_now(ws)
    vendor_issues = list(run.issues.filter(family="vendors", local_id=vendor.pk, action="push"))
    assert len(vendor_issues) == 1, [(i.errorno, i.text) for i in run.issues.all()]
    assert vendor_issues[0].errorno and "Vendor names must identify a real supplier" in vendor_issues[0].text
    issue = _one_issue(run, bill, "IB-REFERENCE")
    assert "not in Sage Intacct yet" in issue.text
    assert len(remote("VENDOR")) == vendors_before and not in_intacct(remote, bill)
    # renamed, both go in one sync: the vendor first, then its bill
    vendor.name = "Cash & Carry Wholesale"
    vendor.save()
    done = service.sync_now(ws)
    assert done.status == RunStatus.SUCCEEDED, [(i.errorno, i.text) for i in done.issues.all()]
    (created,) = in_intacct(remote, bill)
    assert created["VENDORID"] == f"IBV{vendor.pk}"


def test_the_same_bill_submitted_twice_by_a_host_product_is_created_once(
    ws: Any, remote: Any, api_client: Any
) -> None:
    enable_ap(ws)
    api = api_client(ws, write=True)
    vendor = linked_vendor(ws)
    body = {
        "vendor": vendor_id_of(ws, vendor),
        "bill_number": "HOST-42",
        "bill_date": date.today().isoformat(),
        "due_date": (date.today() + timedelta(days=14)).isoformat(),
        "ready_to_pay": True,
        "lines": [{"account": "6000", "amount": "42.00", "memo": "from the host"}],
    }
    url = f"/api/v1/workspaces/{ws.slug}/bills"
    first = api.post(url, body, content_type="application/json", headers={"Idempotency-Key": "host-42"})
    retry = api.post(url, body, content_type="application/json", headers={"Idempotency-Key": "host-42"})
    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.json()["id"] == retry.json()["id"]
    # without the key, the second submission is caught by the bill number rule
    twice = api.post(url, body, content_type="application/json")
    assert twice.status_code == 422 and "HOST-42" in twice.json()["error"]["message"]
    assert Bill.objects.filter(workspace=ws, bill_number="HOST-42").count() == 1
    run = service.sync_now(ws, "bills")
    assert run.pushed == 1
    bill = Bill.objects.get(workspace=ws, bill_number="HOST-42")
    assert len(in_intacct(remote, bill)) == 1
    assert Decimal(in_intacct(remote, bill)[0]["TOTALENTERED"]) == Decimal("42.00")
    service.sync_now(ws, "bills")
    assert len(in_intacct(remote, bill)) == 1
