"""Bills ↔ APBILL against the sandbox: Intacct's bills come in with lines, totals and state; a bill
marked ready to pay is created once (its new vendor first), exactly once under lost answers, and
payments made in Intacct flow back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ap_support import enable_ap, enter_bill, in_intacct, linked_vendor, vendor_id_of

from intacct_bridge.ap.families import confirm_vendors
from intacct_bridge.ap.models import Bill, BillLine
from intacct_bridge.records.models import Vendor
from intacct_bridge.sync import service
from intacct_bridge.sync.engine import Engine
from intacct_bridge.sync.models import Link, PendingPush, RunStatus
from intacct_bridge.sync.registry import get_family
from intacct_bridge.sync.runs import new_run
from intacct_bridge.workspaces.connection import client_for

pytestmark = pytest.mark.django_db


def _local(ws: Any, recordno: int) -> Bill:
    link = Link.objects.get(workspace=ws, family="bills", recordno=recordno)
    return Bill.objects.get(pk=link.local_id)


def test_every_intacct_bill_comes_in_with_lines_totals_and_state(ws: Any, remote: Any) -> None:
    enable_ap(ws)
    bills = remote("APBILL")
    assert Bill.objects.filter(workspace=ws).count() == len(bills) > 0
    states = {b["STATE"] for b in bills}
    assert {"Posted", "Paid", "Partially Paid"} <= states  # open and paid ones alike
    for record in bills:
        local = _local(ws, int(record["RECORDNO"]))
        assert local.bill_number == record["RECORDID"]
        assert local.intacct_state == record["STATE"]
        assert local.total == Decimal(record["TOTALENTERED"])
        assert local.amount_paid == Decimal(record["TOTALPAID"])
        assert local.amount_due == Decimal(record["TOTALDUE"])
        assert local.vendor is not None and vendor_id_of(ws, local.vendor) == record["VENDORID"]
        assert local.bill_date is not None and local.bill_date.strftime("%m/%d/%Y") == record["WHENCREATED"]
        assert local.due_date is not None and local.due_date.strftime("%m/%d/%Y") == record["WHENDUE"]
        assert local.currency == (record["CURRENCY"] or "USD")
        items = record["APBILLITEMS"]["APBILLITEM"]
        items = items if isinstance(items, list) else [items]
        lines = list(local.lines.select_related("account", "department"))
        assert [(ln.account.number if ln.account else None, ln.amount) for ln in lines] == [
            (i["ACCOUNTNO"], Decimal(i["TRX_AMOUNT"])) for i in items
        ]
        assert all(ln.recordno for ln in lines)
        # departments are imported selectively: a line's department nobody picked is not created
        # (it comes along when the workspace brings in referenced records; test_admins_choice.py)
        for ln, item in zip(lines, items, strict=True):
            if item.get("DEPARTMENTID"):
                assert ln.department is None
        link = Link.objects.get(workspace=ws, family="bills", recordno=int(record["RECORDNO"]))
        assert link.business_id == record["RECORDNO"]
        assert link.entity == (record.get("MEGAENTITYID") or "") == local.entity
    again = service.sync_now(ws, "bills")
    assert (again.created, again.updated, again.pushed, again.failed) == (0, 0, 0, 0), again.message


def test_a_bill_marked_ready_is_created_in_intacct_exactly_once(ws: Any, remote: Any) -> None:
    enable_ap(ws)
    vendor = linked_vendor(ws)
    before = len(remote("APBILL"))
    draft = enter_bill(ws, vendor, [("6000", "100.00")], number="DRAFT-1", ready=False)
    bill = enter_bill(ws, vendor, [("6000", "120.50"), ("6200", "80.25"), ("6300", "9.99")], number="INV-77")
    run = service.sync_now(ws, "bills")
    assert run.status == RunStatus.SUCCEEDED, (run.message, [i.text for i in run.issues.all()])
    assert run.pushed == 1
    (created,) = in_intacct(remote, bill)
    assert created["VENDORID"] == vendor_id_of(ws, vendor)
    assert created["RECORDID"] == "INV-77" and created["DESCRIPTION"] == "Office supplies"
    assert Decimal(created["TOTALENTERED"]) == Decimal("210.74")
    assert created["WHENCREATED"] == bill.bill_date.strftime("%m/%d/%Y")
    items = created["APBILLITEMS"]["APBILLITEM"]
    assert [(i["ACCOUNTNO"], i["TRX_AMOUNT"], i["ENTRYDESCRIPTION"]) for i in items] == [
        ("6000", "120.5", "line 1"),
        ("6200", "80.25", "line 2"),
        ("6300", "9.99", "line 3"),
    ]
    # the RECORDNO and Intacct's state come back at once, and the lines are matched to Intacct's
    bill.refresh_from_db()
    link = Link.objects.get(workspace=ws, family="bills", local_id=bill.pk)
    assert link.recordno == int(created["RECORDNO"]) and link.origin == "created"
    assert bill.intacct_state == "Posted" and bill.amount_due == Decimal("210.74")
    assert sorted(BillLine.objects.filter(bill=bill).values_list("recordno", flat=True)) == sorted(
        int(i["RECORDNO"]) for i in items
    )
    assert BillLine.objects.filter(bill=bill).count() == 3
    # nothing goes twice, the draft stays in the app
    settled = service.sync_now(ws, "bills")
    assert (settled.pushed, settled.created, settled.failed) == (0, 0, 0), settled.message
    assert len(remote("APBILL")) == before + 1
    assert not in_intacct(remote, draft)
    assert Bill.objects.filter(workspace=ws).count() == before + 2  # not imported back as a twin


def test_a_bill_whose_vendor_is_new_pushes_the_vendor_first(ws: Any, remote: Any) -> None:
    enable_ap(ws)
    vendor = Vendor.objects.create(workspace=ws, name="Fjord Office Supplies", country="Norway")
    bill = enter_bill(ws, vendor, [("6000", "450.00")], number="FJ-1")
    run = service.sync_now(ws)
    assert run.status == RunStatus.SUCCEEDED, (run.message, [i.text for i in run.issues.all()])
    vendors = [v for v in remote("VENDOR") if v["VENDORID"] == f"IBV{vendor.pk}"]
    assert len(vendors) == 1 and vendors[0]["NAME"] == "Fjord Office Supplies"
    (created,) = in_intacct(remote, bill)
    assert created["VENDORID"] == f"IBV{vendor.pk}"
    assert (
        Link.objects.get(workspace=ws, family="vendors", local_id=vendor.pk).business_id == f"IBV{vendor.pk}"
    )


def test_payments_in_intacct_flow_back(ws: Any, remote: Any, intacct_sandbox: Any, company: str) -> None:
    enable_ap(ws)
    bill = enter_bill(ws, linked_vendor(ws), [("6000", "300.00"), ("6100", "100.00")], number="PAY-1")
    service.sync_now(ws, "bills")
    (created,) = in_intacct(remote, bill)
    recordno = int(created["RECORDNO"])
    intacct_sandbox.control.pay_bill(company, recordno, "150.00")
    run = service.sync_now(ws, "bills")
    assert run.updated == 1 and run.pushed == 0, run.message
    bill.refresh_from_db()
    assert (bill.intacct_state, bill.amount_paid, bill.amount_due) == (
        "Partially Paid",
        Decimal("150.00"),
        Decimal("250.00"),
    )
    intacct_sandbox.control.pay_bill(company, recordno, "250.00")
    service.sync_now(ws, "bills")
    bill.refresh_from_db()
    assert (bill.intacct_state, bill.amount_paid, bill.amount_due) == (
        "Paid",
        Decimal("400.00"),
        Decimal("0.00"),
    )
    assert len(in_intacct(remote, bill)) == 1


@pytest.mark.parametrize("kind", ["reset-after-commit", "http-524"])
def test_a_lost_answer_never_creates_the_bill_twice(
    ws: Any, remote: Any, intacct_sandbox: Any, company: str, kind: str
) -> None:
    import intacct.errors

    enable_ap(ws)
    bill = enter_bill(ws, linked_vendor(ws), [("6000", "99.00"), ("6200", "1.00")], number=f"LOST-{kind}")
    client = client_for(ws, max_retries=0)
    client.count("APBILL")  # signed in before the fault, so the create is the request that is hit
    engine = Engine(ws, new_run(ws, "bills"), client)
    # the run's one read of its bills' vendors (done before the first bill is checked) comes first
    engine.context.remember("ap.vendors_confirmed", lambda: confirm_vendors(engine.context))
    intacct_sandbox.control.fault(kind, rate=1.0, seed=3, company_id=company)
    try:
        with pytest.raises(intacct.errors.IntacctError):
            # the create's answer is lost, and so is the read-back that would settle it
            engine.push(get_family("bills"))
    finally:
        intacct_sandbox.control.clear_faults()
        client.close()
    # the work ran in Intacct although the answer never came
    assert len(in_intacct(remote, bill)) == 1
    assert not Link.objects.filter(workspace=ws, family="bills", local_id=bill.pk).exists()
    second = service.sync_now(ws, "bills")
    assert second.status == RunStatus.SUCCEEDED, (second.message, [i.text for i in second.issues.all()])
    assert len(in_intacct(remote, bill)) == 1  # read back, never sent again: exactly one
    # and the pull that met it first linked it to this bill instead of importing a twin
    assert Bill.objects.filter(workspace=ws, bill_number=f"LOST-{kind}").count() == 1
    link = Link.objects.get(workspace=ws, family="bills", local_id=bill.pk)
    assert link.recordno == int(in_intacct(remote, bill)[0]["RECORDNO"])
    assert not PendingPush.objects.filter(workspace=ws, family="bills").exists()
    bill.refresh_from_db()
    assert bill.intacct_state == "Posted"
    third = service.sync_now(ws, "bills")
    assert third.pushed == 0 and len(in_intacct(remote, bill)) == 1
