"""In a browser: an admin records a partial and then a full payment on an invoice and watches its state
go from Open to Partially paid to Paid, as Intacct applied each payment once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from intacct_bridge.ar import config
from intacct_bridge.ar.models import Invoice, Payment
from intacct_bridge.records.models import Account
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link
from intacct_bridge.workspaces.models import Connection, Membership, Profile, Workspace

pytestmark = pytest.mark.browser


@pytest.fixture
def ar_workspace(e2e_user: Any, settings: Any, intacct_sandbox: Any, immediate_huey: Any) -> Workspace:
    creds = intacct_sandbox.credentials
    settings.INTACCT_SENDER_ID = creds["sender_id"]
    settings.INTACCT_SENDER_PASSWORD = creds["sender_password"]
    ws = Workspace.objects.create(
        slug="acme", name="Acme Consulting", families=["clients", "accounts", "invoices", "payments"]
    )
    Membership.objects.create(workspace=ws, user=e2e_user, profile=Profile.ADMIN)
    conn = Connection(
        workspace=ws, company_id=creds["company_id"], user_id=creds["user_id"], endpoint=creds["endpoint"]
    )
    conn.set_password(creds["user_password"])
    conn.save()
    assert service.sync_now(ws, "accounts").status == "succeeded"
    numbers = dict(Account.objects.filter(workspace=ws).values_list("number", "pk"))
    _, problems = config.save(
        ws, config.SettingsInput(ar_account_id=numbers["1200"], undeposited_account_id=numbers["1010"])
    )
    assert not problems
    assert service.sync_now(ws, "invoices").status in ("succeeded", "partial")
    return ws


def test_partial_then_full_payment_reaches_paid(
    signed_in_page: Any, ar_workspace: Workspace, intacct_sandbox: Any
) -> None:
    entity_owned = set(
        Link.objects.filter(workspace=ar_workspace, family="invoices")
        .exclude(entity="")
        .values_list("local_id", flat=True)
    )
    invoice = next(
        i
        for i in Invoice.objects.filter(workspace=ar_workspace, state="open", amount_due__gte=10).order_by(
            "pk"
        )
        if i.pk not in entity_owned
    )
    half = (invoice.amount_due / 2).quantize(Decimal("0.01"))
    page = signed_in_page
    page.goto(f"{page.base_url}/w/acme/invoices/")
    page.select_option("#state-filter", "open")
    page.click("#invoice-filter button[type=submit]")
    page.click(f"#invoices tr[data-id='{invoice.pk}'] a")
    assert page.inner_text("#invoice-state") == "Open"

    page.fill("#pay-amount", str(half))
    page.fill("#pay-reference", "CHK-501")
    page.click("#pay-submit")
    page.wait_for_function("document.querySelector('#invoice-state').innerText === 'Partially paid'")
    assert page.inner_text("#invoice-due") == str(invoice.amount_due - half)
    assert "Applied" in page.inner_text("#invoice-payments")

    # the form now offers the rest; pay it
    assert page.input_value("#pay-amount") == str(invoice.amount_due - half)
    page.select_option("#pay-method", "EFT")
    page.click("#pay-submit")
    page.wait_for_function("document.querySelector('#invoice-state').innerText === 'Paid'")
    assert page.inner_text("#invoice-due") == "0.00"
    assert page.locator("#pay-form").count() == 0 and "nothing to pay" in page.inner_text("#pay-closed")

    company = intacct_sandbox.credentials["company_id"]
    recordno = Link.objects.get(workspace=ar_workspace, family="invoices", local_id=invoice.pk).recordno
    stored = intacct_sandbox.control.records(company, "ARINVOICE")
    assert next(r for r in stored if int(r["RECORDNO"]) == recordno)["STATE"] == "Paid"
    mine = [
        r for r in intacct_sandbox.control.records(company, "ARPYMT") if str(r["DOCNUMBER"]).startswith("IBP")
    ]
    assert len(mine) == 2 == Payment.objects.filter(workspace=ar_workspace, state="applied").count()
    page.goto(f"{page.base_url}/w/acme/payments/")
    assert page.locator("#payments tbody tr").count() == 2
