"""In a browser: enter the sandbox credentials, Test connection -> a toast naming the company; then
each setup failure set up in the sandbox -> the toast names that step. Saves the README screenshot
when INTACCT_BRIDGE_SCREENSHOT names a file."""

from __future__ import annotations

import os
from typing import Any

import pytest

from intacct_bridge.workspaces.models import Membership, Profile, Workspace

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_workspace(e2e_user: Any, settings: Any, intacct_sandbox: Any) -> Workspace:
    creds = intacct_sandbox.credentials
    settings.INTACCT_SENDER_ID = creds["sender_id"]
    settings.INTACCT_SENDER_PASSWORD = creds["sender_password"]
    ws = Workspace.objects.create(slug="acme", name="Acme Consulting")
    Membership.objects.create(workspace=ws, user=e2e_user, profile=Profile.ADMIN)
    return ws


def _test_connection(page: Any) -> str:
    """Press the button; the text of the toast that answers it."""
    with page.expect_response("**/test-connection/") as answer:
        page.click("#test-connection")
    ran_at = answer.value.json()["ran_at"]
    page.wait_for_function("() => !document.querySelector('#test-connection').disabled")
    toast = page.locator("#toasts .toast").last
    assert ran_at  # the toast shown is the one of this answer: the button was busy until it came
    return str(toast.inner_text())


def test_connect_then_each_missing_step_is_named(
    signed_in_page: Any, admin_workspace: Workspace, intacct_sandbox: Any
) -> None:
    creds, control = intacct_sandbox.credentials, intacct_sandbox.control
    company = creds["company_id"]
    page = signed_in_page
    page.goto(f"{page.base_url}/w/acme/connection/")
    page.fill("input[name=company_id]", company)
    page.fill("input[name=user_id]", creds["user_id"])
    page.fill("input[name=password]", creds["user_password"])
    page.fill("input[name=endpoint]", creds["endpoint"])
    page.click("#connection-form button[type=submit]")
    page.wait_for_selector("#toasts .toast.success")
    assert page.input_value("input[name=password]") == ""  # never rendered back

    assert f"Connected to {company}" in _test_connection(page)
    shot = os.environ.get("INTACCT_BRIDGE_SCREENSHOT")
    if shot:
        page.screenshot(path=shot)

    control.authorize_sender(company, creds["sender_id"], active=False)
    assert f"Sender ID {creds['sender_id']} is not authorized for this company" in _test_connection(page)
    control.authorize_sender(company, creds["sender_id"], active=True)

    control.set_web_services(company, False)
    assert "Web Services is not subscribed" in _test_connection(page)
    control.set_web_services(company, True)

    control.create_role(company, "NoCustomers", {"DEPARTMENT": "LV", "EMPLOYEE": "LV", "CONTACT": "LV"})
    control.set_user(company, creds["user_id"], roles=["NoCustomers"])
    assert "The role lacks Accounts Receivable > Customers: List" in _test_connection(page)

    # the history table shows every run, newest first
    rows = page.locator("#test-history tbody tr")
    assert rows.count() == 4
    assert "The role lacks" in rows.nth(0).inner_text()
