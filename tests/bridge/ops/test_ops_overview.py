"""The instance overview (/ops/): staff only, every workspace with status, last/next run, failures and
pause, searchable, filterable by status and paginated."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from intacct_bridge.sync.models import Frequency, Run, RunStatus, SyncSchedule
from intacct_bridge.workspaces.models import Connection, Workspace


@pytest.fixture
def staff(db: Any) -> User:
    return User.objects.create_user(username="olga", password="x" * 12, is_staff=True)


def _connect(ws: Workspace, company: str, paused: bool = False) -> None:
    conn = Connection(workspace=ws, company_id=company, user_id="u", paused=paused)
    if paused:
        conn.paused_at = timezone.now()
        conn.pause_title = "Wrong company ID, user ID or password"
    conn.set_password("pw-not-shown")
    conn.save()


def test_anonymous_callers_go_to_sign_in(client: Client, db: Any) -> None:
    response = client.get("/ops/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_members_who_are_not_staff_are_refused(client: Client, owner: User, workspace: Workspace) -> None:
    client.force_login(owner)
    response = client.get("/ops/")
    assert response.status_code == 403
    assert b"The instance overview is for staff." in response.content


def test_staff_see_status_last_and_next_run_failures_and_pause(client: Client, staff: User, db: Any) -> None:
    healthy = Workspace.objects.create(slug="healthy", name="Healthy Co")
    _connect(healthy, "HEALTHYCO")
    done = Run.objects.create(
        workspace=healthy, status=RunStatus.SUCCEEDED, started_at=timezone.now(), finished_at=timezone.now()
    )
    SyncSchedule.objects.create(
        workspace=healthy, frequency=Frequency.DAILY, next_due_at=timezone.now() + timedelta(hours=3)
    )
    failing = Workspace.objects.create(slug="failing", name="Failing Co")
    _connect(failing, "FAILCO")
    for _ in range(3):
        Run.objects.create(workspace=failing, status=RunStatus.FAILED, finished_at=timezone.now())
    SyncSchedule.objects.create(workspace=failing, consecutive_failures=3)
    paused = Workspace.objects.create(slug="paused", name="Paused Co")
    _connect(paused, "PAUSEDCO", paused=True)
    Workspace.objects.create(slug="fresh", name="Fresh Co")

    client.force_login(staff)
    page = client.get("/ops/").content.decode()
    assert "4 workspaces" in page
    assert f"/w/healthy/sync/runs/{done.pk}/" in page
    assert "Healthy</span>" in page
    assert "Failing (3 in a row)" in page
    assert "Paused</span>" in page
    assert "Not connected" in page
    assert "HEALTHYCO" in page
    assert "pw-not-shown" not in page
    rows = {
        slug: client.get("/ops/", {"q": slug}).context["items"][0]
        for slug in ("healthy", "failing", "paused")
    }
    assert rows["failing"]["ws"].failures_7d == 3
    assert rows["healthy"]["schedule"].next_due_at is not None


def test_search_filter_and_pages(client: Client, staff: User, db: Any) -> None:
    for i in range(120):
        ws = Workspace.objects.create(slug=f"client-{i:03d}", name=f"Client {i:03d}")
        _connect(ws, f"CO{i % 10}", paused=i % 40 == 0)
    client.force_login(staff)
    first = client.get("/ops/")
    assert [item["ws"].slug for item in first.context["items"]][:2] == ["client-000", "client-001"]
    assert len(first.context["items"]) == 50
    assert "Page 1 of 3" in first.content.decode()
    third = client.get("/ops/", {"page": 3})
    assert [item["ws"].slug for item in third.context["items"]][-1] == "client-119"
    assert len(third.context["items"]) == 20
    by_name = client.get("/ops/", {"q": "client 11"})
    assert [item["ws"].slug for item in by_name.context["items"]] == [f"client-11{i}" for i in range(10)]
    by_company = client.get("/ops/", {"q": "co7"})
    assert by_company.context["page"].paginator.count == 12
    paused = client.get("/ops/", {"state": "paused"})
    assert [item["ws"].slug for item in paused.context["items"]] == ["client-000", "client-040", "client-080"]
    both = client.get("/ops/", {"state": "paused", "q": "co0"})
    assert both.context["page"].paginator.count == 3
    healthy = client.get("/ops/", {"state": "ok"})
    assert healthy.context["page"].paginator.count == 117
    assert client.get("/ops/", {"state": "nonsense"}).context["page"].paginator.count == 120
