"""In a browser: the Import modal (search, select, Create clients), the link dropdown on a client's
profile, Sync now with its progress, and the run history with its chart."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from intacct_bridge.records.models import Client
from intacct_bridge.sync.models import Run
from intacct_bridge.workspaces.models import Connection, Membership, Profile, Workspace

pytestmark = pytest.mark.browser


@pytest.fixture
def sync_workspace(e2e_user: Any, settings: Any, intacct_sandbox: Any) -> Workspace:
    creds = intacct_sandbox.credentials
    settings.INTACCT_SENDER_ID = creds["sender_id"]
    settings.INTACCT_SENDER_PASSWORD = creds["sender_password"]
    ws = Workspace.objects.create(slug="acme", name="Acme Consulting")
    Membership.objects.create(workspace=ws, user=e2e_user, profile=Profile.ADMIN)
    conn = Connection(
        workspace=ws, company_id=creds["company_id"], user_id=creds["user_id"], endpoint=creds["endpoint"]
    )
    conn.set_password(creds["user_password"])
    conn.save()
    return ws


@pytest.fixture
def huey_mode() -> Iterator[Any]:
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    yield HUEY
    HUEY.immediate = before


def _customers(intacct_sandbox: Any) -> list[dict[str, Any]]:
    return list(intacct_sandbox.control.records(intacct_sandbox.credentials["company_id"], "CUSTOMER"))


def test_import_modal_creates_the_selected_clients(
    signed_in_page: Any, sync_workspace: Workspace, intacct_sandbox: Any, huey_mode: Any
) -> None:
    huey_mode.immediate = True
    page = signed_in_page
    wanted = _customers(intacct_sandbox)[3]
    page.goto(f"{page.base_url}/w/acme/clients/")
    page.click("#open-import")
    page.wait_for_selector("#picker input[name=ids]")
    page.fill("#picker-search", wanted["NAME"])
    row = page.locator("#picker tr", has_text=wanted["NAME"]).first
    row.wait_for()
    row.locator("input[name=ids]").check()
    page.click("#create-records")
    page.wait_for_url(re.compile(r"/sync/runs/\d+/"))
    assert "Succeeded" in page.inner_text("#run-status")
    page.goto(f"{page.base_url}/w/acme/clients/")
    table = page.inner_text("#records")
    assert wanted["NAME"] in table and "Intacct" in table
    assert Client.objects.filter(workspace=sync_workspace).count() == 1


def test_link_dropdown_links_a_client(
    signed_in_page: Any, sync_workspace: Workspace, intacct_sandbox: Any, huey_mode: Any
) -> None:
    huey_mode.immediate = True
    page = signed_in_page
    customer = _customers(intacct_sandbox)[5]
    local = Client.objects.create(workspace=sync_workspace, name=customer["NAME"], notes="ours")
    page.goto(f"{page.base_url}/w/acme/clients/{local.pk}/")
    assert "is not linked" in page.inner_text("#link-status")
    page.select_option("#link-select", str(customer["RECORDNO"]))
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#link-confirm")
    page.wait_for_selector("text=This client is linked to a Sage Intacct customer")
    assert page.locator("h1 .badge-intacct").count() == 1
    page.click("#unlink")
    page.wait_for_selector("#link-select")


def test_sync_now_shows_progress_and_history(
    signed_in_page: Any, sync_workspace: Workspace, intacct_sandbox: Any, huey_mode: Any
) -> None:
    from intacct_bridge.jobs.tasks import execute_queued
    from intacct_bridge.sync import service

    huey_mode.immediate = True
    service.import_records(sync_workspace, "clients", None)
    company = intacct_sandbox.credentials["company_id"]
    intacct_sandbox.control.mutate(company, "CUSTOMER", change="100%", seed=3)
    # queued, not run inline: a background "worker" runs it slowly while the page polls
    huey_mode.immediate = False
    intacct_sandbox.control.fault("latency", rate=1.0, company_id=company, fixed_ms=400)
    page = signed_in_page
    page.goto(f"{page.base_url}/w/acme/sync/")
    page.click("#sync-now")
    page.wait_for_url(re.compile(r"/sync/runs/\d+/"))
    run = Run.objects.filter(workspace=sync_workspace, trigger="sync_now").get()
    worker = threading.Thread(target=execute_queued, args=(run.pk,))
    worker.start()
    page.wait_for_function(
        "() => /[1-9][0-9]* pages/.test(document.querySelector('#progress-text').textContent)"
    )
    page.wait_for_function(
        "() => document.querySelector('#run-status').textContent.trim() === 'Succeeded'", timeout=30_000
    )
    worker.join(timeout=30)
    intacct_sandbox.control.clear_faults()
    page.goto(f"{page.base_url}/w/acme/sync/")
    assert page.locator("svg.run-chart rect.synced").count() >= 2
    history = page.inner_text("#runs")
    assert f"#{run.pk}" in history and "Succeeded" in history
