"""Vendor conflicts are shown on the vendor's page with both versions; an admin keeps either one and
the next sync brings both sides to it."""

from __future__ import annotations

import time
from typing import Any

import pytest

from intacct_bridge.records.models import Vendor
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Conflict
from intacct_bridge.workspaces.connection import client_for

pytestmark = pytest.mark.django_db


def _conflicted(ws: Any) -> tuple[Vendor, Conflict]:
    """A vendor edited in the app, then (newer) in Intacct: Intacct wins, the conflict is recorded."""
    vendor = Vendor.objects.create(workspace=ws, name="Original Name", city="Oslo")
    service.sync_now(ws, "vendors")
    vendor.name = "App Name"
    vendor.save()
    time.sleep(1.1)  # WHENMODIFIED has whole seconds
    with client_for(ws) as intacct:
        intacct.update([("VENDOR", {"VENDORID": f"IBV{vendor.pk}", "NAME": "Intacct Name"})])[
            0
        ].raise_for_error()
    run = service.sync_now(ws, "vendors")
    assert run.conflicts == 1, run.message
    vendor.refresh_from_db()
    assert vendor.name == "Intacct Name"
    return vendor, Conflict.objects.get(workspace=ws, family="vendors")


def _remote_name(remote: Any, vendor: Vendor) -> str:
    (record,) = [v for v in remote("VENDOR") if v["VENDORID"] == f"IBV{vendor.pk}"]
    return str(record["NAME"])


def test_the_page_shows_both_versions_and_keeping_the_loser_pushes_it(
    ws: Any, remote: Any, signed_in: Any, owner: Any
) -> None:
    vendor, conflict = _conflicted(ws)
    web = signed_in(owner)
    page = web.get(f"/w/{ws.slug}/vendors/{vendor.pk}/").content.decode()
    assert f'id="conflict-{conflict.pk}"' in page
    assert "App Name" in page and "Intacct Name" in page and "Keep the app version" in page
    resp = web.post(f"/w/{ws.slug}/sync/conflicts/{conflict.pk}/resolve/", {"keep": "app"})
    assert resp.status_code == 302
    conflict.refresh_from_db()
    assert conflict.kept == "app" and conflict.resolved_by == "alice" and conflict.resolved_at
    vendor.refresh_from_db()
    assert vendor.name == "App Name"
    run = service.sync_now(ws, "vendors")
    assert run.pushed == 1 and run.conflicts == 0, run.message
    assert _remote_name(remote, vendor) == "App Name"
    page = web.get(f"/w/{ws.slug}/vendors/{vendor.pk}/").content.decode()
    assert f'id="conflict-{conflict.pk}"' not in page
    # resolved once: a second answer is refused
    resolve = f"/w/{ws.slug}/sync/conflicts/{conflict.pk}/resolve/"
    assert web.post(resolve, {"keep": "intacct"}).status_code == 404


def test_keeping_the_winner_only_closes_the_review(ws: Any, remote: Any, signed_in: Any, owner: Any) -> None:
    vendor, conflict = _conflicted(ws)
    signed_in(owner).post(f"/w/{ws.slug}/sync/conflicts/{conflict.pk}/resolve/", {"keep": "intacct"})
    conflict.refresh_from_db()
    assert conflict.kept == "intacct" and conflict.resolved_at
    run = service.sync_now(ws, "vendors")
    assert run.pushed == 0, run.message
    vendor.refresh_from_db()
    assert vendor.name == _remote_name(remote, vendor) == "Intacct Name"


def test_only_admins_resolve(ws: Any, signed_in: Any, teammate: Any) -> None:
    _vendor, conflict = _conflicted(ws)
    resp = signed_in(teammate).post(f"/w/{ws.slug}/sync/conflicts/{conflict.pk}/resolve/", {"keep": "app"})
    assert resp.status_code == 403
    conflict.refresh_from_db()
    assert conflict.resolved_at is None
