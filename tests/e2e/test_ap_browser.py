"""In a browser: create a vendor and a bill in the pages, mark the bill ready to pay, Sync now, and
see both reach Intacct (the sandbox's records) and the bill's Intacct state on its page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from intacct_bridge.ap.models import Bill
from intacct_bridge.records.models import Account, Vendor
from intacct_bridge.sync import service
from intacct_bridge.workspaces.models import Connection, Membership, Profile, Workspace

pytestmark = pytest.mark.browser


@pytest.fixture
def ap_workspace(e2e_user: Any, settings: Any, intacct_sandbox: Any) -> Workspace:
    creds = intacct_sandbox.credentials
    settings.INTACCT_SENDER_ID = creds["sender_id"]
    settings.INTACCT_SENDER_PASSWORD = creds["sender_password"]
    ws = Workspace.objects.create(
        slug="acme", name="Acme Consulting", families=["departments", "accounts", "vendors", "bills"]
    )
    Membership.objects.create(workspace=ws, user=e2e_user, profile=Profile.ADMIN)
    conn = Connection(
        workspace=ws, company_id=creds["company_id"], user_id=creds["user_id"], endpoint=creds["endpoint"]
    )
    conn.set_password(creds["user_password"])
    conn.save()
    return ws


def _records(intacct_sandbox: Any, obj: str) -> list[dict[str, Any]]:
    return list(intacct_sandbox.control.records(intacct_sandbox.credentials["company_id"], obj))


def test_a_vendor_and_a_bill_made_in_the_pages_reach_intacct(
    signed_in_page: Any, ap_workspace: Workspace, intacct_sandbox: Any, immediate_huey: Any
) -> None:
    first = service.sync_now(ap_workspace)  # the chart and the vendors come in first
    assert first.status == "succeeded", first.message
    page = signed_in_page
    base = f"{page.base_url}/w/acme"

    # a vendor, in the vendor pages
    page.goto(f"{base}/vendors/")
    page.click("#new-record")
    page.fill("#f-name", "Lindqvist Kontorsmaterial AB")
    page.fill("#f-email", "faktura@lindqvist.example")
    page.fill("#f-city", "Uppsala")
    page.fill("#f-country", "Sweden")
    page.click("#save-record")
    page.wait_for_url(re.compile(r"/vendors/\d+/$"))
    vendor = Vendor.objects.get(workspace=ap_workspace, name="Lindqvist Kontorsmaterial AB")

    # a bill for it, with two lines on accounts of the chart
    page.goto(f"{base}/bills/")
    page.click("#new-bill")
    page.select_option("#id_vendor", str(vendor.pk))
    page.fill("#id_bill_number", "LQ-2026-117")
    today = date.today()
    page.fill("#id_bill_date", today.isoformat())
    page.fill("#id_due_date", (today + timedelta(days=30)).isoformat())
    expense = Account.objects.get(workspace=ap_workspace, number="6000")
    software = Account.objects.get(workspace=ap_workspace, number="6300")
    page.select_option("#id_lines-0-account", str(expense.pk))
    page.fill("#id_lines-0-amount", "1200.00")
    page.fill("#id_lines-0-memo", "Paper, 40 boxes")
    page.click("#add-line")  # a fourth row, added in the page
    page.select_option("#id_lines-3-account", str(software.pk))
    page.fill("#id_lines-3-amount", "49.50")
    assert page.inner_text("#lines-total") == "1249.50"
    page.click("#save-bill")
    page.wait_for_url(re.compile(r"/bills/\d+/$"))
    assert "Draft in the app" in page.inner_text("#bill-state")
    bill = Bill.objects.get(workspace=ap_workspace, bill_number="LQ-2026-117")
    assert [ln.line_no for ln in bill.lines.all()] == [1, 2]

    # ready to pay, then Sync now
    page.click("#mark-ready")
    page.wait_for_selector("#sync-now")
    assert "Ready to pay" in page.inner_text("#bill-state")
    page.click("#sync-now")
    page.wait_for_url(re.compile(r"/sync/runs/\d+/"))
    assert "Succeeded" in page.inner_text("#run-status")

    vendors = [v for v in _records(intacct_sandbox, "VENDOR") if v["NAME"] == "Lindqvist Kontorsmaterial AB"]
    assert len(vendors) == 1 and vendors[0]["VENDORID"] == f"IBV{vendor.pk}"
    bills = [b for b in _records(intacct_sandbox, "APBILL") if b["RECORDID"] == "LQ-2026-117"]
    assert len(bills) == 1
    assert bills[0]["VENDORID"] == f"IBV{vendor.pk}" and bills[0]["TOTALENTERED"] == "1249.5"

    page.goto(f"{base}/bills/{bill.pk}/")
    assert page.inner_text("#intacct-state") == "Posted"
    assert page.inner_text("#intacct-recordno") == bills[0]["RECORDNO"]
    assert "Posted" in page.inner_text("#bill-state")
    assert page.inner_text("#bill-entity") == "Top level"
    # and the list shows it with Intacct's state
    page.goto(f"{base}/bills/?state=Posted")
    assert "LQ-2026-117" in page.inner_text("#bills")
