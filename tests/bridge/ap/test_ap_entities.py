"""Entity binding: two workspaces on one company, bound to E100 and E200, each sync their entity's
bills and vendors (plus shared ones) and never the other's; a top-level workspace sees all. The
entity is on every synced record's link and shown on the bill's page."""

from __future__ import annotations

from typing import Any

import pytest
from ap_support import enable_ap, enter_bill, in_intacct, linked_vendor

from intacct_bridge.ap.models import Bill
from intacct_bridge.records.models import Vendor
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link
from intacct_bridge.workspaces.models import Connection, Membership, Profile, Workspace

pytestmark = pytest.mark.django_db


def _bound(owner: Any, creds: dict[str, Any], slug: str, entity: str) -> Workspace:
    ws = Workspace.objects.create(slug=slug, name=f"Acme {entity}")
    Membership.objects.create(workspace=ws, user=owner, profile=Profile.ADMIN)
    conn = Connection(
        workspace=ws,
        company_id=creds["company_id"],
        user_id=creds["user_id"],
        endpoint=creds["endpoint"],
        entity_id=entity,
    )
    conn.set_password(creds["user_password"])
    conn.save()
    return ws


def _recordnos(ws: Workspace, family: str) -> set[int]:
    return set(Link.objects.filter(workspace=ws, family=family).values_list("recordno", flat=True))


def _owned(records: list[dict[str, Any]], *entities: str | None) -> set[int]:
    return {int(r["RECORDNO"]) for r in records if r.get("MEGAENTITYID") in entities}


@pytest.fixture
def entities(ws: Workspace, owner: Any, intacct_sender: dict[str, Any]) -> tuple[Workspace, Workspace]:
    return _bound(owner, intacct_sender, "acme-e100", "E100"), _bound(
        owner, intacct_sender, "acme-e200", "E200"
    )


def test_two_entity_workspaces_stay_apart_and_top_level_sees_all(
    ws: Workspace, entities: tuple[Workspace, Workspace], remote: Any
) -> None:
    e100, e200 = entities
    for w in (ws, e100, e200):
        enable_ap(w)
    bills, vendors = remote("APBILL"), remote("VENDOR")
    assert _owned(bills, "E200"), "the demo has E200 bills"
    assert _recordnos(ws, "bills") == {int(b["RECORDNO"]) for b in bills}
    assert _recordnos(e100, "bills") == _owned(bills, None, "E100")
    assert _recordnos(e200, "bills") == _owned(bills, None, "E200")
    assert _recordnos(ws, "vendors") == {int(v["RECORDNO"]) for v in vendors}
    assert _recordnos(e100, "vendors") == _owned(vendors, None, "E100")
    assert _recordnos(e200, "vendors") == _owned(vendors, None, "E200")
    # each link carries the record's entity; the bills' own entity field follows it
    for link in Link.objects.filter(workspace=ws, family="bills"):
        bill = Bill.objects.get(pk=link.local_id)
        assert bill.entity == link.entity
    assert {b.entity for b in Bill.objects.filter(workspace=e200)} <= {"", "E200"}
    assert not Bill.objects.filter(workspace=e100, entity="E200").exists()


def test_a_bill_entered_in_an_entity_workspace_is_that_entity_s(
    entities: tuple[Workspace, Workspace], remote: Any, signed_in: Any, owner: Any
) -> None:
    e100, e200 = entities
    enable_ap(e100)
    enable_ap(e200)
    vendor = linked_vendor(e100)
    bill = enter_bill(e100, vendor, [("6000", "64.00")], number="E100-1")
    assert bill.entity == "E100"
    run = service.sync_now(e100, "bills")
    assert run.pushed == 1, [(i.errorno, i.text) for i in run.issues.all()]
    (created,) = in_intacct(remote, bill)
    assert created["MEGAENTITYID"] == "E100"
    link = Link.objects.get(workspace=e100, family="bills", local_id=bill.pk)
    assert link.entity == "E100"
    web = signed_in(owner)
    page = web.get(f"/w/{e100.slug}/bills/{bill.pk}/").content.decode()
    assert 'id="bill-entity">E100<' in page
    # the other entity's workspace never gets it, not even after a sync, and cannot open it
    service.sync_now(e200, "bills")
    assert int(created["RECORDNO"]) not in _recordnos(e200, "bills")
    assert web.get(f"/w/{e200.slug}/bills/{bill.pk}/").status_code == 404
    assert not Vendor.objects.filter(workspace=e200, pk=vendor.pk).exists()
