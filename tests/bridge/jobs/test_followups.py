"""Unsettled writes get a follow-up run within minutes (1, 2, 4 … 30), read back by their key
before anything is sent again; the record's page says why it waits and when it is checked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from intacct_bridge.jobs import dispatch, followups
from intacct_bridge.records.models import Vendor
from intacct_bridge.sync import service
from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import Link, PendingPush, Run, RunStatus, Trigger
from intacct_bridge.sync.registry import get_family
from intacct_bridge.sync.runs import new_run
from intacct_bridge.workspaces.connection import client_for
from intacct_bridge.workspaces.models import Workspace


@pytest.fixture
def vendors(ws: Workspace) -> Family:
    ws.families = ["vendors"]
    ws.save(update_fields=["families"])
    return get_family("vendors")


def test_the_delay_doubles_up_to_thirty_minutes() -> None:
    assert [followups.delay(n).total_seconds() / 60 for n in range(7)] == [1, 2, 4, 8, 16, 30, 30]


def test_an_unknown_outcome_is_settled_by_a_follow_up_within_minutes(
    ws: Any,
    vendors: Family,
    intacct_sandbox: Any,
    company: str,
    owner: Any,
    client: Any,
    run_commits: Any,
) -> None:
    locals_ = [Vendor.objects.create(workspace=ws, name=f"Vendor {i}") for i in range(3)]
    for local in locals_:  # created in the app: queued for Intacct (as creates.py does)
        PendingPush.objects.create(workspace=ws, family="vendors", local_id=local.pk)
    # every connection breaks after sending: nothing Intacct does is confirmed
    intacct_sandbox.control.fault("reset-after-commit", rate=1.0, seed=2, company_id=company)
    run = new_run(ws, vendors.name, Trigger.PUSH)
    run = service.run_sync(run, client_factory=lambda w: client_for(w, max_retries=0))
    intacct_sandbox.control.clear_faults()
    assert run.status == RunStatus.FAILED
    before = timezone.now()
    assert followups.after_run(run) == 3

    waiting = PendingPush.objects.get(family=vendors.name, local_id=locals_[0].pk)
    assert waiting.next_check_at is not None
    assert timedelta(seconds=50) < waiting.next_check_at - before <= timedelta(minutes=1, seconds=5)
    client.force_login(owner)
    page = client.get(
        reverse("sync:profile", kwargs={"slug": ws.slug, "family": vendors.name, "local_id": locals_[0].pk})
    ).content.decode()
    assert "Waiting to be confirmed" in page and "Intacct did not answer or confirm" in page
    assert waiting.next_check_at.strftime("%Y-%m-%d %H:%M") in page

    assert dispatch.dispatch_due(before + timedelta(seconds=30)) == []  # not yet
    with run_commits():  # a minute later: the follow-up run is queued, and runs (Huey inline)
        dispatch.dispatch_due(before + timedelta(minutes=1, seconds=10))
    follow_up = Run.objects.filter(workspace=ws, family=vendors.name, requested_by="follow-up").get()
    assert follow_up.status == RunStatus.SUCCEEDED, follow_up.message
    created = [
        v for v in intacct_sandbox.control.records(company, "VENDOR") if str(v["VENDORID"]).startswith("IBV")
    ]
    assert sorted(v["VENDORID"] for v in created) == sorted(f"IBV{c.pk}" for c in locals_)  # no duplicate
    assert Link.objects.filter(family=vendors.name, local_id__in=[c.pk for c in locals_]).count() == 3
    assert not PendingPush.objects.filter(family=vendors.name).exists()


def test_a_second_failure_waits_longer(ws: Any, vendors: Family) -> None:
    local = Vendor.objects.create(workspace=ws, name="Vendor")
    PendingPush.objects.create(workspace=ws, family="vendors", local_id=local.pk)
    now = timezone.now()
    failed = new_run(ws, vendors.name, Trigger.PUSH)
    Run.objects.filter(pk=failed.pk).update(
        status=RunStatus.FAILED, message="Intacct did not answer usefully"
    )
    failed.refresh_from_db()
    followups.after_run(failed, now)
    followups.after_run(failed, now)
    row = PendingPush.objects.get(family=vendors.name)
    assert row.followups == 2 and row.next_check_at == now + timedelta(minutes=2)
