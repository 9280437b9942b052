"""In a browser: Settings > Webhooks under the Content-Security-Policy — the kinds list follows the
"Every event kind" switch (the page's nonced script), a private URL is refused with the operator's
setting named, a subscription is made and its secret shown once, a delivery reaches a loopback
receiver that verifies it, and Redeliver sends it again."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from intacct_bridge.sync import events
from intacct_bridge.webhooks.models import Subscription
from intacct_bridge.workspaces.models import Membership, Profile, Workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bridge" / "webhooks"))
from webhooks_support import Receiver

pytestmark = pytest.mark.browser


@pytest.fixture
def receiver() -> Any:
    r = Receiver().start()
    yield r
    r.stop()


def test_subscribe_receive_and_redeliver_in_the_page(
    signed_in_page: Any, e2e_user: Any, settings: Any, receiver: Receiver, immediate_huey: Any
) -> None:
    ws = Workspace.objects.create(slug="acme", name="Acme Consulting", families=["bills"])
    Membership.objects.create(workspace=ws, user=e2e_user, profile=Profile.ADMIN)
    page = signed_in_page
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{page.base_url}/w/acme/webhooks/")
    assert page.get_by_role("link", name="Webhooks").count() >= 1

    # the kinds list is greyed out while "Every event kind" is checked (the nonced script runs)
    assert page.is_checked("#id_all_events")
    assert page.locator("input[name=events]").first.is_disabled()
    page.uncheck("#id_all_events")
    assert not page.locator("input[name=events]").first.is_disabled()
    page.check("input[name=events][value='bill.created']")

    # a loopback receiver without the operator's setting: refused, named
    settings.INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE = False
    page.fill("#id_url", receiver.url.replace("http://", "https://"))
    page.click("#create-webhook")
    assert "INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE=1" in page.inner_text("#url-error")
    assert not Subscription.objects.exists()

    settings.INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE = True
    page.fill("#id_url", receiver.url)
    if page.is_checked("#id_all_events"):
        page.uncheck("#id_all_events")
    page.check("input[name=events][value='bill.created']")
    page.click("#create-webhook")
    page.wait_for_url(re.compile(r"/webhooks/\d+/$"))
    secret = page.inner_text("#new-secret").strip()
    assert secret.startswith("whsec_")
    sub = Subscription.objects.get()
    assert sub.events == ["bill.created"] and sub.secret == secret
    receiver.secret = secret

    events.record(ws, "bill.created", {"id": 1}, object_id=1)
    events.record(ws, "bill.updated", {"id": 1}, object_id=1)  # not asked for
    assert receiver.types() == ["bill.created"] and receiver.received[0].verified

    page.reload()
    assert "whsec_" not in page.content()  # shown once only
    row = page.locator("#deliveries tbody tr").first
    assert "Delivered" in row.inner_text() and "200" in row.inner_text()
    row.get_by_role("button", name="Redeliver").click()
    page.wait_for_url(re.compile(rf"/webhooks/{sub.pk}/$"))
    assert len(receiver.received) == 2 and receiver.received[1].verified

    # Rotate secret asks first (data-confirm, app.js), then shows the new secret once
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#rotate")
    page.wait_for_url(re.compile(rf"/webhooks/{sub.pk}/$"))
    rotated = page.inner_text("#new-secret").strip()
    assert rotated.startswith("whsec_") and rotated != secret
    assert Subscription.objects.get().secret == rotated
    assert blocked == []
