"""A bill's vendor deleted in Intacct is found before the bill is sent (issue #15): the bills-only
run (Sync now of bills, a prompt push) asks Intacct about the vendors of the bills it is about to
send, unlinks the vanished one and gives the bill IB-VENDOR with the remedy to choose another vendor
— nothing is sent, no flag needed, and the bill goes once fixed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ap_support import enable_ap, enter_bill, in_intacct, linked_vendor, push_issues

from intacct_bridge.records.models import Vendor
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link, LinkState, PendingPush
from intacct_bridge.sync.remote import Remote

pytestmark = pytest.mark.django_db


def test_a_vendor_deleted_in_intacct_is_found_before_its_bill_is_sent(
    ws: Any, remote: Any, intacct_sandbox: Any, company: str
) -> None:
    enable_ap(ws)
    # a vendor nobody's bills use yet, so Intacct lets it be deleted
    added = int(intacct_sandbox.control.mutate(company, "VENDOR", add=1, seed=5)["added"][0])
    service.sync_now(ws, "vendors")
    link = Link.objects.get(workspace=ws, family="vendors", recordno=added)
    vendor = Vendor.objects.get(pk=link.local_id)
    bill = enter_bill(ws, vendor, [("6000", "50.00")], number="GONE-1")
    assert PendingPush.objects.filter(workspace=ws, family="bills", local_id=bill.pk).exists()
    intacct_sandbox.control.delete_record(company, "VENDOR", added)
    sent = intacct_sandbox.control.stats()["functions"].get("create_bill", 0)

    run = service.sync_now(ws, "bills")  # bills only: the vendors' removal check does not run

    assert intacct_sandbox.control.stats()["functions"].get("create_bill", 0) == sent, "nothing sent"
    issues = push_issues(run, bill)
    assert [i.errorno for i in issues] == ["IB-VENDOR"], [(i.errorno, i.text) for i in issues]
    assert vendor.name in issues[0].text and "removed from Intacct" in issues[0].text
    assert issues[0].remedy_code == "bill-vendor" and "Choose an active vendor" in issues[0].remedy
    link.refresh_from_db()
    assert link.state == LinkState.UNLINKED and link.unlinked_reason == "removed in Intacct"
    assert PendingPush.objects.filter(workspace=ws, family="bills", local_id=bill.pk).exists()
    assert in_intacct(remote, bill) == []


def test_bills_of_live_vendors_cost_one_vendor_read_per_run(
    ws: Any, remote: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    enable_ap(ws)
    vendor = linked_vendor(ws)
    first = enter_bill(ws, vendor, [("6000", "20.00")], number="LIVE-1")
    second = enter_bill(ws, vendor, [("6000", "30.00")], number="LIVE-2")
    asked: list[str] = []
    original = Remote._pages

    def observed(self: Remote, obj: str, *args: Any, **kw: Any) -> Iterator[Any]:
        asked.append(obj)
        yield from original(self, obj, *args, **kw)

    monkeypatch.setattr(Remote, "_pages", observed)
    run = service.sync_now(ws, "bills")
    assert asked.count("VENDOR") == 1, asked
    assert not push_issues(run, first) and not push_issues(run, second)
    assert len(in_intacct(remote, first)) == 1 and len(in_intacct(remote, second)) == 1
