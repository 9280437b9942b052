"""In a browser: a sync met a rotated password, so the workspace is paused; the admin sees the banner
with the diagnosis, updates the credentials, and Test connection resumes the syncs."""

from __future__ import annotations

from typing import Any

import pytest

from intacct_bridge.workspaces import health
from intacct_bridge.workspaces.connection import client_for
from intacct_bridge.workspaces.models import Connection, Membership, Profile, Workspace

pytestmark = pytest.mark.browser


def test_banner_update_credentials_and_resume(
    signed_in_page: Any, e2e_user: Any, settings: Any, intacct_sandbox: Any
) -> None:
    import intacct

    creds, control = intacct_sandbox.credentials, intacct_sandbox.control
    settings.INTACCT_SENDER_ID, settings.INTACCT_SENDER_PASSWORD = (
        creds["sender_id"],
        creds["sender_password"],
    )
    ws = Workspace.objects.create(slug="acme", name="Acme Consulting")
    Membership.objects.create(workspace=ws, user=e2e_user, profile=Profile.ADMIN)
    conn = Connection(
        workspace=ws, company_id=creds["company_id"], user_id=creds["user_id"], endpoint=creds["endpoint"]
    )
    conn.set_password(creds["user_password"])
    conn.save()

    control.set_user(creds["company_id"], creds["user_id"], password="Rotated-Pass-7")
    with client_for(ws) as c, pytest.raises(intacct.SetupError) as raised:
        c.session()
    health.report_setup_failure(ws, raised.value)

    page = signed_in_page
    page.goto(f"{page.base_url}/w/acme/")
    banner = page.locator("#pause-banner")
    assert "Syncs are paused: Wrong company ID, user ID or password" in banner.inner_text()
    banner.locator("text=Update credentials").click()
    page.fill("input[name=password]", "Rotated-Pass-7")
    page.click("#connection-form button[type=submit]")
    page.wait_for_selector("#toasts .toast.success")
    assert page.locator("#pause-banner").count() == 1  # saving alone does not resume

    with page.expect_response("**/test-connection/"):
        page.click("#test-connection")
    page.wait_for_selector("#toasts .toast.success >> text=Connected to")
    assert page.locator("#pause-banner").count() == 0
    assert not health.is_paused(ws)
