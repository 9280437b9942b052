"""In a browser: an operator (staff) finds their way through 200 workspaces on the instance overview:
pages, search by name or Intacct company, the paused filter, and a workspace's last run."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from intacct_bridge.sync.models import Run, RunStatus, SyncSchedule
from intacct_bridge.workspaces.models import Connection, Workspace

pytestmark = pytest.mark.browser


def _seed(n: int = 200) -> None:
    now = timezone.now()
    workspaces = Workspace.objects.bulk_create(
        [Workspace(slug=f"firm-{i:03d}", name=f"Firm {i:03d}") for i in range(n)]
    )
    conns = []
    for i, ws in enumerate(workspaces):
        conn = Connection(workspace=ws, company_id=f"COMPANY{i % 25:02d}", user_id="sync", paused=i % 50 == 7)
        conn.encrypted_password = "x"
        if conn.paused:
            conn.paused_at, conn.pause_title = now, "Wrong company ID, user ID or password"
        conns.append(conn)
    Connection.objects.bulk_create(conns)
    Run.objects.bulk_create(
        [
            Run(
                workspace=ws,
                status=RunStatus.FAILED if i % 10 == 3 else RunStatus.SUCCEEDED,
                started_at=now,
                finished_at=now,
            )
            for i, ws in enumerate(workspaces)
        ]
    )
    SyncSchedule.objects.bulk_create(
        [
            SyncSchedule(workspace=ws, next_due_at=now, consecutive_failures=1 if i % 10 == 3 else 0)
            for i, ws in enumerate(workspaces)
        ]
    )


def test_the_overview_of_200_workspaces(signed_in_page: Any, e2e_user: Any) -> None:
    e2e_user.is_staff = True
    e2e_user.save()
    _seed()
    page = signed_in_page
    page.goto(f"{page.base_url}/ops/")
    assert page.locator("#result-count").inner_text() == "200 workspaces"
    assert page.locator("#overview tbody tr").count() == 50
    assert "Page 1 of 4" in page.locator(".pager").inner_text()
    page.click("a[rel=next]")
    page.wait_for_url("**page=2")
    assert page.locator("#overview tbody tr").first.get_attribute("data-slug") == "firm-050"

    page.fill("input[name=q]", "company07")
    page.click("form[role=search] button")
    page.wait_for_url("**q=company07**")
    assert page.locator("#result-count").inner_text() == "8 workspaces match"
    assert page.locator("#overview tbody tr").count() == 8
    row = page.locator("tr[data-slug=firm-007]")
    assert "Paused" in row.inner_text()

    page.fill("input[name=q]", "")
    page.select_option("select[name=state]", "paused")
    page.click("form[role=search] button")
    page.wait_for_url("**state=paused**")
    assert [page.locator("#overview tbody tr").nth(i).get_attribute("data-slug") for i in range(4)] == [
        "firm-007",
        "firm-057",
        "firm-107",
        "firm-157",
    ]
    page.select_option("select[name=state]", "failing")
    page.click("form[role=search] button")
    page.wait_for_url("**state=failing**")
    assert page.locator("#result-count").inner_text() == "20 workspaces match"
    first = page.locator("#overview tbody tr").first
    assert "Failing (1 in a row)" in first.inner_text()
    last_run = first.locator("td:nth-child(4) a")
    assert last_run.inner_text() == "failed"
    assert "/w/firm-003/sync/runs/" in (last_run.get_attribute("href") or "")
