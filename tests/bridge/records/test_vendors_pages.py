"""Vendor pages: admins create and edit vendors in the app; the next sync carries them to Intacct."""

from __future__ import annotations

from typing import Any

import pytest

from intacct_bridge.records.models import Vendor
from intacct_bridge.sync import service
from intacct_bridge.sync.spec import get_path

pytestmark = pytest.mark.django_db


def _form(**values: str) -> dict[str, str]:
    base = {"name": "", "print_as": "", "email": "", "phone": "", "street": "", "city": ""}
    return base | {"state": "", "zip": "", "country": "", "active": "on"} | values


def test_create_then_edit_a_vendor_from_the_pages(ws: Any, remote: Any, signed_in: Any, owner: Any) -> None:
    web = signed_in(owner)
    listing = web.get(f"/w/{ws.slug}/vendors/").content.decode()
    assert 'id="new-record"' in listing
    assert 'id="record-form"' in web.get(f"/w/{ws.slug}/vendors/new/").content.decode()
    resp = web.post(f"/w/{ws.slug}/vendors/new/", _form(name="Contoso Print", email="ap@contoso.example"))
    assert resp.status_code == 302
    vendor = Vendor.objects.get(workspace=ws, name="Contoso Print")
    assert vendor.print_as == "Contoso Print" and vendor.active
    profile = web.get(f"/w/{ws.slug}/vendors/{vendor.pk}/").content.decode()
    assert 'id="edit-record"' in profile and "not linked to Sage Intacct" in profile
    run = service.sync_now(ws, "vendors")
    assert run.pushed == 1, run.message
    (created,) = [v for v in remote("VENDOR") if v["VENDORID"] == f"IBV{vendor.pk}"]
    assert get_path(created, "DISPLAYCONTACT.EMAIL1") == "ap@contoso.example"
    profile = web.get(f"/w/{ws.slug}/vendors/{vendor.pk}/").content.decode()
    assert f"IBV{vendor.pk}" in profile and "flow both ways" in profile and "newer edit wins" in profile
    # edit: made inactive with a new phone number; the next sync sends it
    vendor.refresh_from_db()
    edit = _form(name="Contoso Print", email="ap@contoso.example", phone="+33 1 23 45 67 89")
    edit.pop("active")
    assert web.post(f"/w/{ws.slug}/vendors/{vendor.pk}/edit/", edit).status_code == 302
    vendor.refresh_from_db()
    assert (vendor.phone, vendor.active) == ("+33 1 23 45 67 89", False)
    assert service.sync_now(ws, "vendors").pushed == 1
    (after,) = [v for v in remote("VENDOR") if v["VENDORID"] == f"IBV{vendor.pk}"]
    assert (get_path(after, "DISPLAYCONTACT.PHONE1"), after["STATUS"]) == ("+33 1 23 45 67 89", "inactive")


def test_bad_forms_say_why_and_save_nothing(ws: Any, signed_in: Any, owner: Any) -> None:
    web = signed_in(owner)
    resp = web.post(f"/w/{ws.slug}/vendors/new/", _form(name="", email="x@example.com"))
    assert resp.status_code == 422 and "NAME is required" in resp.content.decode()
    resp = web.post(f"/w/{ws.slug}/vendors/new/", _form(name="Z", country="Atlantis"))
    assert resp.status_code == 422 and "Atlantis" in resp.content.decode()
    assert not Vendor.objects.filter(workspace=ws).exists()


def test_only_admins_and_only_two_way_families(ws: Any, signed_in: Any, teammate: Any, owner: Any) -> None:
    vendor = Vendor.objects.create(workspace=ws, name="Kept")
    clerk = signed_in(teammate)
    assert clerk.post(f"/w/{ws.slug}/vendors/new/", _form(name="No")).status_code == 403
    assert clerk.post(f"/w/{ws.slug}/vendors/{vendor.pk}/edit/", _form(name="No")).status_code == 403
    web = signed_in(owner)
    assert web.get(f"/w/{ws.slug}/clients/new/").status_code == 403  # pull-only family
    assert web.get(f"/w/{ws.slug}/accounts/new/").status_code == 403  # read-only family
    assert 'id="new-record"' not in web.get(f"/w/{ws.slug}/clients/").content.decode()
    assert Vendor.objects.filter(workspace=ws).count() == 1
