"""The sync pages through Django's test client: lists, Import modal body, profile Sage Intacct
section, Sync now, run history and run detail; members only, admins for changes."""

from __future__ import annotations

from typing import Any

import pytest

from intacct_bridge.records.models import Client
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Run

pytestmark = pytest.mark.django_db


def test_lists_show_badges_and_import_button(
    ws: Any, intacct_sandbox: Any, signed_in: Any, owner: Any
) -> None:
    customers = intacct_sandbox.control.records(intacct_sandbox.credentials["company_id"], "CUSTOMER")
    service.import_records(ws, "clients", [int(customers[0]["RECORDNO"])])
    Client.objects.create(workspace=ws, name="Only here")
    page = signed_in(owner).get(f"/w/{ws.slug}/clients/").content.decode()
    assert "Import from Sage Intacct" in page
    assert page.count('class="badge-intacct"') == 1
    assert customers[0]["NAME"] in page and "Only here" in page
    for family, button in (
        ("departments", "Import departments from Sage Intacct"),
        ("people", "Import team members from Sage Intacct"),
    ):
        assert button in signed_in(owner).get(f"/w/{ws.slug}/{family}/").content.decode()


def test_the_picker_lists_customers_not_linked_yet(
    ws: Any, intacct_sandbox: Any, signed_in: Any, owner: Any
) -> None:
    customers = intacct_sandbox.control.records(intacct_sandbox.credentials["company_id"], "CUSTOMER")
    first = customers[0]
    service.import_records(ws, "clients", [int(first["RECORDNO"])])
    body = signed_in(owner).get(f"/w/{ws.slug}/clients/intacct/").content.decode()
    assert f'value="{first["RECORDNO"]}"' not in body
    assert 'name="ids"' in body
    other = customers[1]["NAME"]
    found = signed_in(owner).get(f"/w/{ws.slug}/clients/intacct/", {"q": other}).content.decode()
    assert other in found


def test_import_link_and_unlink_from_pages(
    ws: Any, intacct_sandbox: Any, signed_in: Any, owner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    customers = intacct_sandbox.control.records(intacct_sandbox.credentials["company_id"], "CUSTOMER")
    web = signed_in(owner)
    with django_capture_on_commit_callbacks(execute=True):
        resp = web.post(f"/w/{ws.slug}/clients/import/", {"ids": [customers[0]["RECORDNO"]]})
    assert resp.status_code == 302
    assert Client.objects.filter(workspace=ws).count() == 1
    local = Client.objects.create(workspace=ws, name=customers[1]["NAME"])
    profile = web.get(f"/w/{ws.slug}/clients/{local.pk}/").content.decode()
    assert "is not linked to Sage Intacct" in profile
    assert f'value="{customers[1]["RECORDNO"]}"' in profile  # suggested by name
    web.post(f"/w/{ws.slug}/clients/{local.pk}/link/", {"intacct_recordno": customers[1]["RECORDNO"]})
    profile = web.get(f"/w/{ws.slug}/clients/{local.pk}/").content.decode()
    assert "This client is linked to a Sage Intacct customer" in profile
    web.post(f"/w/{ws.slug}/clients/{local.pk}/unlink/")
    assert "Unlinked" in web.get(f"/w/{ws.slug}/clients/{local.pk}/").content.decode()


def test_collaborators_see_but_cannot_change(ws: Any, signed_in: Any, teammate: Any) -> None:
    local = Client.objects.create(workspace=ws, name="Acme")
    web = signed_in(teammate)
    assert web.get(f"/w/{ws.slug}/clients/").status_code == 200
    assert web.post(f"/w/{ws.slug}/clients/import/", {"all": "1"}).status_code == 403
    assert web.post(f"/w/{ws.slug}/clients/{local.pk}/unlink/").status_code == 403


def test_outsiders_get_404(ws: Any, signed_in: Any, outsider: Any) -> None:
    assert signed_in(outsider).get(f"/w/{ws.slug}/clients/").status_code == 404
    assert signed_in(outsider).get(f"/w/{ws.slug}/sync/").status_code == 404


def test_sync_now_history_and_detail(
    ws: Any, intacct_sandbox: Any, signed_in: Any, owner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    web = signed_in(owner)
    with django_capture_on_commit_callbacks(execute=True):
        resp = web.post(f"/w/{ws.slug}/sync/now/")
    run = Run.objects.get()
    assert resp.status_code == 302 and resp.url.endswith(f"/sync/runs/{run.pk}/")
    history = web.get(f"/w/{ws.slug}/sync/").content.decode()
    assert "<svg" in history and f"#{run.pk}" in history
    detail = web.get(f"/w/{ws.slug}/sync/runs/{run.pk}/").content.decode()
    assert "Records that failed" in detail
    data = web.get(f"/w/{ws.slug}/sync/runs/{run.pk}.json").json()
    assert data["status"] == "succeeded"


def test_unknown_family_is_404(ws: Any, signed_in: Any, owner: Any) -> None:
    assert signed_in(owner).get(f"/w/{ws.slug}/bogus/").status_code == 404


def test_admins_choose_the_schedule(ws: Any, signed_in: Any, owner: Any, teammate: Any) -> None:
    from intacct_bridge.sync.models import SyncSchedule

    web = signed_in(owner)
    assert "Daily sync at 02:00" in web.get(f"/w/{ws.slug}/sync/").content.decode()
    web.post(f"/w/{ws.slug}/sync/schedule/", {"frequency": "hourly"})
    row = SyncSchedule.objects.get(workspace=ws)
    assert row.frequency == "hourly" and row.next_due_at is not None
    assert row.next_due_at.minute == 0
    web.logout()
    assert signed_in(teammate).post(f"/w/{ws.slug}/sync/schedule/", {"frequency": "off"}).status_code == 403


def test_a_person_profile_names_the_department(ws: Any, signed_in: Any, owner: Any) -> None:
    from intacct_bridge.records.models import Department, Person

    dept = Department.objects.create(workspace=ws, name="Engineering")
    person = Person.objects.create(workspace=ws, first_name="Ada", last_name="Lovelace", department=dept)
    page = signed_in(owner).get(f"/w/{ws.slug}/people/{person.pk}/").content.decode()
    assert "Engineering" in page and "Add an email to invite" in page
