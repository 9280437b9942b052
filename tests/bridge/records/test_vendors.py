"""Vendors ← VENDOR (pull side): every vendor imported, display contact mapped, inactive kept and marked,
edits in Intacct follow, a vendor deleted in Intacct is unlinked (the local one stays)."""

from __future__ import annotations

from typing import Any

import pytest

from intacct_bridge.records.models import Vendor
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link, RunStatus
from intacct_bridge.sync.spec import get_path
from intacct_bridge.workspaces.connection import client_for

pytestmark = pytest.mark.django_db

_ADDR = "DISPLAYCONTACT.MAILADDRESS"


def _vendor(ws: Any, vendor_id: str) -> Vendor:
    link = Link.objects.get(workspace=ws, family="vendors", business_id=vendor_id)
    return Vendor.objects.get(pk=link.local_id)


def _text(record: dict[str, Any], path: str) -> str:
    value = get_path(record, path)
    return "" if value is None else str(value).strip()


def test_sync_imports_every_vendor_with_its_contact(ws: Any, remote: Any) -> None:
    vendors = remote("VENDOR")
    assert len(vendors) > 3
    run = service.sync_now(ws, "vendors")
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert run.created == len(vendors)
    with_email = 0
    for rec in vendors:
        v = _vendor(ws, str(rec["VENDORID"]))
        assert v.name == _text(rec, "NAME")
        assert v.contact_name == _text(rec, "DISPLAYCONTACT.CONTACTNAME")
        assert v.email == _text(rec, "DISPLAYCONTACT.EMAIL1")
        assert v.phone == _text(rec, "DISPLAYCONTACT.PHONE1")
        assert v.street == _text(rec, f"{_ADDR}.ADDRESS1")
        assert v.city == _text(rec, f"{_ADDR}.CITY")
        assert v.state == _text(rec, f"{_ADDR}.STATE")
        assert v.zip == _text(rec, f"{_ADDR}.ZIP")
        assert v.country == _text(rec, f"{_ADDR}.COUNTRY")
        assert v.active == (rec.get("STATUS") != "inactive")
        with_email += bool(v.email)
    assert with_email > 0  # the demo vendors carry contacts, so the mapping is really exercised
    again = service.sync_now(ws, "vendors")
    assert (again.created, again.updated) == (0, 0), again.message


def test_edits_and_inactive_status_in_intacct_follow(ws: Any, remote: Any) -> None:
    service.sync_now(ws, "vendors")
    target = remote("VENDOR")[0]
    vid = str(target["VENDORID"])
    with client_for(ws) as intacct:
        intacct.update(
            [
                (
                    "VENDOR",
                    {
                        "VENDORID": vid,
                        "NAME": "Renamed Supplies Ltd",
                        "STATUS": "inactive",
                        "DISPLAYCONTACT": {
                            "EMAIL1": "ap@renamed.example",
                            "PHONE1": "+1 555 0100",
                            "MAILADDRESS": {"CITY": "Springfield"},
                        },
                    },
                )
            ]
        )[0].raise_for_error()
        intacct.create([("VENDOR", {"VENDORID": "VNEW1", "NAME": "Brand New Vendor"})])[0].raise_for_error()
    run = service.sync_now(ws, "vendors")
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert (run.created, run.updated) == (1, 1)
    v = _vendor(ws, vid)
    assert (v.name, v.active, v.email, v.phone, v.city) == (
        "Renamed Supplies Ltd",
        False,
        "ap@renamed.example",
        "+1 555 0100",
        "Springfield",
    )
    assert _vendor(ws, "VNEW1").name == "Brand New Vendor"


def test_app_only_notes_survive_a_sync(ws: Any, remote: Any) -> None:
    service.sync_now(ws, "vendors")
    vid = str(remote("VENDOR")[0]["VENDORID"])
    v = _vendor(ws, vid)
    v.notes = "Pays on the 15th"
    v.save()
    with client_for(ws) as intacct:
        intacct.update([("VENDOR", {"VENDORID": vid, "NAME": "Changed Name"})])[0].raise_for_error()
    service.sync_now(ws, "vendors")
    v.refresh_from_db()
    assert (v.name, v.notes) == ("Changed Name", "Pays on the 15th")


def test_a_vendor_deleted_in_intacct_is_unlinked(ws: Any) -> None:
    with client_for(ws) as intacct:
        intacct.create([("VENDOR", {"VENDORID": "VGONE", "NAME": "Going away"})])[0].raise_for_error()
    service.sync_now(ws, "vendors")
    local = _vendor(ws, "VGONE")
    recordno = Link.objects.get(workspace=ws, family="vendors", business_id="VGONE").recordno
    with client_for(ws) as intacct:
        intacct.delete("VENDOR", [recordno])[0].raise_for_error()
    run = service.sync_now(ws, "vendors")
    assert run.unlinked == 1, run.message
    assert Vendor.objects.filter(pk=local.pk).exists()
    row = next(r for r in service.local_records(ws, "vendors") if r["id"] == local.pk)
    assert row["link_state"] == "unlinked"


def test_vendors_page_and_api(ws: Any, remote: Any, signed_in: Any, owner: Any, api_client: Any) -> None:
    ws.families = [*ws.families, "vendors"]
    ws.save()
    service.sync_now(ws, "vendors")
    first = remote("VENDOR")[0]
    page = signed_in(owner).get(f"/w/{ws.slug}/vendors/").content.decode()
    assert "Import vendors from Sage Intacct" in page
    assert str(first["NAME"]) in page and f'href="/w/{ws.slug}/vendors/"' in page
    rows = api_client(ws).get(f"/api/v1/workspaces/{ws.slug}/vendors/records").json()
    assert len(rows) == len(remote("VENDOR"))
    assert {"name", "contact_name", "email", "phone", "active"} <= set(rows[0]["fields"])
