"""Signing in and finding one's way around, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from intacct_bridge.workspaces.models import Membership, Profile, Workspace

pytestmark = pytest.mark.browser


def test_signing_in_leads_to_the_workspace_and_its_checklist(
    signed_in_page: Any, e2e_user: Any, settings: Any
) -> None:
    settings.INTACCT_SENDER_ID = "BridgeE2E"
    ws = Workspace.objects.create(slug="acme", name="Acme Consulting")
    Membership.objects.create(workspace=ws, user=e2e_user, profile=Profile.ADMIN)
    page = signed_in_page
    page.goto(f"{page.base_url}/")
    page.wait_for_url("**/w/acme/")
    assert page.locator("h1").inner_text() == "Acme Consulting"
    page.click("nav.sidenav >> text=Setup checklist")
    assert page.locator("#step-sender h2").inner_text() == "Authorize sender ID BridgeE2E"
    assert page.locator("table.perms").inner_text().count("List, View") == 4


def test_a_wrong_password_does_not_sign_in(page: Any, live_server: Any, e2e_user: Any) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "erin")
    page.fill("input[name=password]", "nope")
    page.click("button[type=submit]")
    assert "didn't match" in page.locator(".error").inner_text()
