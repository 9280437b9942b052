"""Vendors ↔ VENDOR, push side: app vendors created once with a deterministic ID, edits and inactive
status flow out, newest edit wins a conflict (both versions kept), an app deletion leaves Intacct alone."""

from __future__ import annotations

import time
from typing import Any

import pytest

from intacct_bridge.records.models import Vendor
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Conflict, Link, PendingPush, RunStatus
from intacct_bridge.sync.spec import get_path
from intacct_bridge.workspaces.connection import client_for

pytestmark = pytest.mark.django_db


def _remote(remote: Any, vendor_id: str) -> list[dict[str, Any]]:
    return [v for v in remote("VENDOR") if str(v["VENDORID"]) == vendor_id]


def _new_vendor(ws: Any) -> Vendor:
    return Vendor.objects.create(
        workspace=ws,
        name="Northwind Paper",
        email="billing@northwind.example",
        phone="+47 22 00 00 00",
        street="Storgata 1",
        city="Oslo",
        zip="0155",
        country="Norway",
    )


def test_an_app_vendor_is_created_in_intacct_exactly_once(ws: Any, remote: Any) -> None:
    service.sync_now(ws, "vendors")  # the demo vendors come in first
    before = len(remote("VENDOR"))
    local = _new_vendor(ws)
    run = service.sync_now(ws, "vendors")
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert run.pushed == 1
    (created,) = _remote(remote, f"IBV{local.pk}")
    assert created["NAME"] == "Northwind Paper"
    assert get_path(created, "DISPLAYCONTACT.PRINTAS") == "Northwind Paper"
    assert get_path(created, "DISPLAYCONTACT.EMAIL1") == "billing@northwind.example"
    assert get_path(created, "DISPLAYCONTACT.PHONE1") == "+47 22 00 00 00"
    assert get_path(created, "DISPLAYCONTACT.MAILADDRESS.CITY") == "Oslo"
    assert get_path(created, "DISPLAYCONTACT.MAILADDRESS.COUNTRY") == "Norway"
    assert created.get("STATUS") == "active"
    link = Link.objects.get(workspace=ws, family="vendors", local_id=local.pk)
    assert (link.business_id, link.recordno) == (f"IBV{local.pk}", int(created["RECORDNO"]))
    # the created vendor is read back at once: the contact name Intacct gave it is already here
    local.refresh_from_db()
    assert local.contact_name == get_path(created, "DISPLAYCONTACT.CONTACTNAME") != ""
    settled = service.sync_now(ws, "vendors")
    assert (settled.pushed, settled.created, settled.updated, settled.conflicts) == (0, 0, 0, 0)
    assert len(remote("VENDOR")) == before + 1
    assert Vendor.objects.filter(workspace=ws).count() == before + 1  # not imported back as a twin


def test_a_create_lost_after_commit_is_read_back_not_duplicated(
    ws: Any, remote: Any, intacct_sandbox: Any, company: str
) -> None:
    local = _new_vendor(ws)
    intacct_sandbox.control.fault("reset-after-commit", rate=1.0, seed=3, company_id=company)
    first = service.sync_now(ws, "vendors", client_factory=lambda w: client_for(w, max_retries=0))
    intacct_sandbox.control.clear_faults()
    assert first.status == RunStatus.FAILED
    service.sync_now(ws, "vendors")
    assert len(_remote(remote, f"IBV{local.pk}")) == 1
    assert Link.objects.filter(workspace=ws, family="vendors", local_id=local.pk).count() == 1
    assert not PendingPush.objects.filter(workspace=ws, family="vendors").exists()


def test_app_edits_and_inactive_status_flow_to_intacct(ws: Any, remote: Any) -> None:
    service.sync_now(ws, "vendors")
    target = remote("VENDOR")[0]
    vid = str(target["VENDORID"])
    link = Link.objects.get(workspace=ws, family="vendors", business_id=vid)
    local = Vendor.objects.get(pk=link.local_id)
    local.email = "new-ap@vendor.example"
    local.active = False
    local.save()
    run = service.sync_now(ws, "vendors")
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert run.pushed == 1 and run.conflicts == 0
    (after,) = _remote(remote, vid)
    assert get_path(after, "DISPLAYCONTACT.EMAIL1") == "new-ap@vendor.example"
    assert after["STATUS"] == "inactive"
    assert after["NAME"] == target["NAME"]


@pytest.mark.parametrize("newer", ["intacct", "app"])
def test_a_conflict_goes_to_the_newest_edit_and_keeps_both(ws: Any, remote: Any, newer: str) -> None:
    local = _new_vendor(ws)
    service.sync_now(ws, "vendors")
    vid = f"IBV{local.pk}"

    def edit_app() -> None:
        local.name = "Named in the app"
        local.save()

    def edit_intacct() -> None:
        with client_for(ws) as intacct:
            intacct.update([("VENDOR", {"VENDORID": vid, "NAME": "Named in Intacct"})])[0].raise_for_error()

    first, second = (edit_app, edit_intacct) if newer == "intacct" else (edit_intacct, edit_app)
    first()
    time.sleep(1.1)  # WHENMODIFIED has whole seconds
    second()
    run = service.sync_now(ws, "vendors")
    assert run.conflicts == 1, run.message
    conflict = Conflict.objects.get(workspace=ws, family="vendors")
    assert conflict.winner == newer and conflict.policy == "newest_wins"
    assert conflict.app_values["name"] == "Named in the app"
    assert conflict.intacct_values["name"] == "Named in Intacct"
    expected = "Named in Intacct" if newer == "intacct" else "Named in the app"
    local.refresh_from_db()
    (after,) = _remote(remote, vid)
    assert local.name == expected and after["NAME"] == expected


def test_a_vendor_deleted_in_the_app_stays_in_intacct(ws: Any, remote: Any) -> None:
    local = _new_vendor(ws)
    service.sync_now(ws, "vendors")
    vid = f"IBV{local.pk}"
    local.delete()
    run = service.sync_now(ws, "vendors")
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert len(_remote(remote, vid)) == 1
    # import-all: the next sync brings it back as a new local vendor linked to the same record
    assert Vendor.objects.filter(workspace=ws, name="Northwind Paper").count() == 1


def test_a_vendor_name_intacct_rejects_is_an_issue_not_a_push(ws: Any, remote: Any) -> None:
    before = len(remote("VENDOR"))
    bad = Vendor.objects.create(workspace=ws, name="")
    run = service.sync_now(ws, "vendors")
    assert run.pushed == 0
    issues = [(i.errorno, i.text) for i in run.issues.filter(local_id=bad.pk, action="push")]
    assert issues, run.message
    errorno, text = issues[0]
    assert errorno and "NAME" in text.upper()
    assert PendingPush.objects.get(workspace=ws, family="vendors", local_id=bad.pk).attempts == 1
    assert len(remote("VENDOR")) == before
