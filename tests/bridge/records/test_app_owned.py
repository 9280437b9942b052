"""App-owned values survive (issue #15, fourth bullet): a team member's email that Intacct does not
have can be added in the app (page and API), makes the member invitable and survives every sync;
once Intacct has an email of its own, Intacct's wins again (the mapping's ``Owner.APP_WHEN_EMPTY``)."""

from __future__ import annotations

from typing import Any

import pytest

from intacct_bridge.records.families import PEOPLE
from intacct_bridge.records.models import InviteState, Person
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link
from intacct_bridge.sync.spec import Owner, get_path
from intacct_bridge.workspaces.connection import client_for

pytestmark = pytest.mark.django_db


def _touch(ws: Any, recordno: int, **fields: Any) -> None:
    """An edit of the employee in Intacct (a new WHENMODIFIED: the next pull reads it)."""
    with client_for(ws) as intacct:
        result = intacct.update([("EMPLOYEE", {"RECORDNO": str(recordno), **fields})])[0]
        assert result.ok, result.error


def _set_email(ws: Any, remote: Any, recordno: int, email: str) -> None:
    """The employee's contact gets an email in Intacct (the employee gets a new WHENMODIFIED)."""
    employee = next(r for r in remote("EMPLOYEE") if int(r["RECORDNO"]) == recordno)
    name = get_path(employee, "PERSONALINFO.CONTACTNAME") or get_path(employee, "CONTACT.CONTACTNAME")
    with client_for(ws) as intacct:
        result = intacct.update([("CONTACT", {"CONTACTNAME": name, "EMAIL1": email})])[0]
        assert result.ok, result.error


def _person_without_email(ws: Any, remote: Any) -> tuple[Person, int]:
    ws.families = ["departments", "people"]
    ws.save(update_fields=["families"])
    bare = sorted(int(r["RECORDNO"]) for r in remote("EMPLOYEE"))[:1]
    _set_email(ws, remote, bare[0], "")  # a member Intacct has no email for
    service.import_records(ws, "people", bare[:1], options={"assign_department": False})
    service.sync_now(ws, "people")
    link = Link.objects.get(workspace=ws, family="people", recordno=bare[0])
    person = Person.objects.get(pk=link.local_id)
    assert person.email == "" and person.invite_state == InviteState.NEEDS_EMAIL
    return person, bare[0]


def test_the_people_mapping_says_the_app_owns_an_email_intacct_lacks() -> None:
    owners = {f.app: f.owner for f in PEOPLE.spec.fields}
    assert owners["email"] == Owner.APP_WHEN_EMPTY
    assert owners["first_name"] == owners["last_name"] == Owner.INTACCT
    assert PEOPLE.spec.app_owned_fields == ["email"]


def test_an_email_added_through_the_api_is_kept_across_syncs_and_makes_the_member_invitable(
    ws: Any, remote: Any, api_client: Any
) -> None:
    person, recordno = _person_without_email(ws, remote)
    api = api_client(ws, write=True)
    url = f"/api/v1/workspaces/{ws.slug}/people/records/{person.pk}"
    answer = api.patch(url, {"fields": {"email": "dana@example.com"}}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["fields"]["email"] == "dana@example.com"
    person.refresh_from_db()
    assert person.can_invite and person.invite_state == InviteState.NOT_INVITED
    for title in ("Engineer", "Senior engineer"):  # Intacct changes the member, its email still empty
        _touch(ws, recordno, TITLE=title)
        run = service.sync_now(ws, "people")
        assert run.updated == 1, run.counts()
        person.refresh_from_db()
        assert person.title == title and person.email == "dana@example.com" and person.can_invite
    # Intacct gets an email of its own: Intacct owns it again
    _set_email(ws, remote, recordno, "dana.k@corp.example")
    service.sync_now(ws, "people")
    person.refresh_from_db()
    assert person.email == "dana.k@corp.example"


def test_bad_edits_are_refused_specifically(ws: Any, remote: Any, api_client: Any) -> None:
    person, _ = _person_without_email(ws, remote)
    api = api_client(ws, write=True)
    url = f"/api/v1/workspaces/{ws.slug}/people/records/{person.pk}"
    bad = api.patch(url, {"fields": {"email": "not an email"}}, content_type="application/json")
    assert bad.status_code == 422 and "email" in bad.json()["error"]["message"].lower()
    owned = api.patch(url, {"fields": {"title": "Boss"}}, content_type="application/json")
    assert owned.status_code == 422 and "allowed: email" in owned.json()["error"]["message"]
    person.refresh_from_db()
    assert person.email == "" and person.title != "Boss"


def test_an_admin_adds_the_email_on_the_members_page(ws: Any, remote: Any, owner: Any, client: Any) -> None:
    person, _ = _person_without_email(ws, remote)
    client.force_login(owner)
    page = client.get(f"/w/{ws.slug}/people/{person.pk}/").content.decode()
    assert "Add an email" in page
    saved = client.post(f"/w/{ws.slug}/people/{person.pk}/edit/", {"email": "lee@example.com"})
    assert saved.status_code == 302, saved.content.decode()[:500]
    person.refresh_from_db()
    assert person.email == "lee@example.com" and person.can_invite
    service.sync_now(ws, "people")
    person.refresh_from_db()
    assert person.email == "lee@example.com"
