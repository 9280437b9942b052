"""The vendors family under each conflict policy (newest wins is its default, tested in
test_vendors_push.py): both sides edit the same vendor, the policy picks, both versions are kept."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from intacct_bridge.records.families import VENDORS
from intacct_bridge.records.models import Vendor
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Conflict
from intacct_bridge.sync.registry import register
from intacct_bridge.sync.spec import ConflictPolicy
from intacct_bridge.workspaces.connection import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(request: Any) -> Iterator[ConflictPolicy]:
    chosen = ConflictPolicy(request.param)
    register(dataclasses.replace(VENDORS, spec=dataclasses.replace(VENDORS.spec, conflict_policy=chosen)))
    yield chosen
    register(VENDORS)


@pytest.mark.parametrize(
    ("policy", "winner"),
    [(ConflictPolicy.INTACCT_WINS, "intacct"), (ConflictPolicy.APP_WINS, "app")],
    indirect=["policy"],
)
def test_both_sides_edit_a_vendor_and_the_policy_decides(
    ws: Any, remote: Any, policy: ConflictPolicy, winner: str
) -> None:
    ws.families = [*ws.families, "vendors"]
    ws.save()
    local = Vendor.objects.create(workspace=ws, name="Nordlys Catering", email="post@nordlys.example")
    service.sync_now(ws, "vendors")
    vid = f"IBV{local.pk}"
    # whichever edit is newer: the policy, not the clock, decides
    with client_for(ws) as intacct:
        intacct.update([("VENDOR", {"VENDORID": vid, "NAME": "Nordlys Catering (Intacct)"})])[
            0
        ].raise_for_error()
    local.name = "Nordlys Catering (app)"
    local.email = "faktura@nordlys.example"
    local.save()
    run = service.sync_now(ws, "vendors")
    assert run.conflicts == 1, run.message
    conflict = Conflict.objects.get(workspace=ws, family="vendors", local_id=local.pk)
    assert (conflict.policy, conflict.winner) == (policy.value, winner)
    assert conflict.app_values["name"] == "Nordlys Catering (app)"
    assert conflict.intacct_values["name"] == "Nordlys Catering (Intacct)"
    expected = "Nordlys Catering (Intacct)" if winner == "intacct" else "Nordlys Catering (app)"
    local.refresh_from_db()
    (after,) = [v for v in remote("VENDOR") if v["VENDORID"] == vid]
    assert local.name == after["NAME"] == expected
    # the next syncs converge: no new conflict, nothing pushed again (the contact name Intacct gave
    # the new display contact, which the app only reads, may still come back first)
    again = service.sync_now(ws, "vendors")
    assert (again.conflicts, again.pushed) == (0, 0), again.message
    settled = service.sync_now(ws, "vendors")
    assert (settled.conflicts, settled.pushed, settled.updated) == (0, 0, 0), settled.message
    local.refresh_from_db()
    assert local.name == expected
