"""Helpers shared by the ap tests (plain functions; each test module wraps what it needs as fixtures)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from intacct_bridge.ap import service as bill_service
from intacct_bridge.ap.models import Bill, BillLine
from intacct_bridge.records.models import Account, Vendor
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link, LinkState, RunStatus
from intacct_bridge.workspaces.models import Workspace

AP_FAMILIES = ["accounts", "vendors", "bills"]


def enable_ap(ws: Workspace, sync: bool = True) -> Any:
    """Turn the AP families on and (by default) run the first sync: chart, vendors, bills come in."""
    ws.families = [*[f for f in ws.families if f not in AP_FAMILIES], *AP_FAMILIES]
    ws.save()
    if not sync:
        return None
    run = service.sync_now(ws)
    assert run.status == RunStatus.SUCCEEDED, (run.message, [i.text for i in run.issues.all()[:5]])
    return run


def account(ws: Workspace, number: str) -> Account:
    return Account.objects.get(workspace=ws, number=number)


def linked_vendor(ws: Workspace) -> Vendor:
    """An active vendor imported from Intacct (shared, not an entity's)."""
    ids = Link.objects.filter(workspace=ws, family="vendors", state=LinkState.LINKED).values_list(
        "local_id", flat=True
    )
    vendor = Vendor.objects.filter(workspace=ws, active=True, pk__in=list(ids)).order_by("pk").first()
    assert vendor is not None
    return vendor


def vendor_id_of(ws: Workspace, vendor: Vendor) -> str:
    return Link.objects.get(workspace=ws, family="vendors", local_id=vendor.pk).business_id


def enter_bill(
    ws: Workspace,
    vendor: Vendor | None,
    amounts: list[tuple[str, str]],
    *,
    number: str = "INV-1001",
    ready: bool = True,
    bill_date: date | None = None,
) -> Bill:
    """A bill as the pages and the API enter it (checked by the rules)."""
    when = bill_date or date.today()
    lines = [
        bill_service.LineInput(account(ws, acct), Decimal(amount), memo=f"line {n}")
        for n, (acct, amount) in enumerate(amounts, start=1)
    ]
    bill, created = bill_service.create_bill(
        ws,
        bill_service.BillInput(
            vendor=vendor,
            bill_number=number,
            bill_date=when,
            due_date=when + timedelta(days=30),
            description="Office supplies",
            lines=lines,
            ready_to_pay=ready,
        ),
    )
    assert created
    return bill


def raw_bill(
    ws: Workspace,
    vendor: Vendor | None,
    lines: list[tuple[Account | None, str]],
    *,
    number: str = "INV-2001",
    ready: bool = True,
) -> Bill:
    """A bill saved without the entry checks: what a bill becomes when the chart or a vendor changes
    after it was entered (the sync's own checks must catch it)."""
    today = date.today()
    bill = Bill.objects.create(
        workspace=ws,
        vendor=vendor,
        bill_number=number,
        bill_date=today,
        due_date=today + timedelta(days=30),
        ready_to_pay=ready,
        total=sum((Decimal(a) for _, a in lines), Decimal(0)),
    )
    for n, (acct, amount) in enumerate(lines, start=1):
        BillLine.objects.create(bill=bill, line_no=n, account=acct, amount=Decimal(amount))
    return bill


def in_intacct(remote: Any, bill: Bill) -> list[dict[str, Any]]:
    """The sandbox's APBILL records carrying this bill's key (EXTERNALID IBB<id>)."""
    return [b for b in remote("APBILL") if str(b.get("EXTERNALID") or "") == f"IBB{bill.pk}"]


def push_issues(run: Any, bill: Bill) -> list[Any]:
    return list(run.issues.filter(family="bills", local_id=bill.pk, action="push"))
