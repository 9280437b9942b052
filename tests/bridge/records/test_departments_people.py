"""Departments (hierarchy, renames) and team members (profile, department assignment, email rule)."""

from __future__ import annotations

from typing import Any

import pytest
from sync_support import do_import, keys_of

from intacct_bridge.records.models import Department, InviteState, Person
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link, RunStatus
from intacct_bridge.sync.spec import get_path
from intacct_bridge.workspaces.connection import client_for

pytestmark = pytest.mark.django_db


def _by_business_id(records: list[dict[str, Any]], field: str) -> dict[str, dict[str, Any]]:
    return {str(r[field]): r for r in records}


def test_departments_keep_their_hierarchy(ws: Any, remote: Any) -> None:
    depts = remote("DEPARTMENT")
    run = do_import(ws, "departments", None)
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert run.created == len(depts)
    by_id = _by_business_id(depts, "DEPARTMENTID")
    links = {ln.local_id: ln.business_id for ln in Link.objects.filter(workspace=ws, family="departments")}
    with_parent = 0
    for dept in Department.objects.filter(workspace=ws):
        parent_id = by_id[links[dept.pk]].get("PARENTID") or ""
        assert (links[dept.parent_id] if dept.parent_id else "") == parent_id
        with_parent += bool(parent_id)
    assert with_parent > 0


def test_renamed_departments_update_on_the_next_sync(ws: Any, remote: Any) -> None:
    do_import(ws, "departments", None)
    target = remote("DEPARTMENT")[0]
    with client_for(ws) as intacct:
        intacct.update([("DEPARTMENT", {"DEPARTMENTID": target["DEPARTMENTID"], "TITLE": "Renamed Dept"})])[
            0
        ].raise_for_error()
    run = service.sync_now(ws, "departments")
    assert run.updated == 1, run.message
    link = Link.objects.get(workspace=ws, family="departments", business_id=target["DEPARTMENTID"])
    assert Department.objects.get(pk=link.local_id).name == "Renamed Dept"


def test_people_import_with_profile_and_departments(ws: Any, remote: Any) -> None:
    do_import(ws, "departments", None)
    employees = remote("EMPLOYEE")
    chosen = keys_of(employees, 4)
    run = do_import(ws, "people", chosen, profile="project_manager", assign_department=True)
    assert run.status == RunStatus.SUCCEEDED, run.message
    by_no = {int(e["RECORDNO"]): e for e in employees}
    dept_links = {
        ln.local_id: ln.business_id for ln in Link.objects.filter(workspace=ws, family="departments")
    }
    for person in Person.objects.filter(workspace=ws):
        link = Link.objects.get(workspace=ws, family="people", local_id=person.pk)
        emp = by_no[link.recordno]
        assert person.profile == "project_manager"
        assert person.first_name == get_path(emp, "CONTACT.FIRSTNAME")
        assert person.last_name == get_path(emp, "CONTACT.LASTNAME")
        assert person.title == (emp.get("TITLE") or "")
        assert person.start_date is not None
        assert dept_links[person.department_id] == emp["DEPARTMENTID"]


def test_people_import_without_department_assignment(ws: Any, remote: Any) -> None:
    do_import(ws, "departments", None)
    do_import(ws, "people", keys_of(remote("EMPLOYEE"), 2), assign_department=False)
    assert set(Person.objects.filter(workspace=ws).values_list("department_id", flat=True)) == {None}
    service.sync_now(ws)
    assert set(Person.objects.filter(workspace=ws).values_list("department_id", flat=True)) == {None}


def test_an_employee_whose_department_was_never_imported_gets_an_issue(ws: Any, remote: Any) -> None:
    run = do_import(ws, "people", keys_of(remote("EMPLOYEE"), 1))
    assert run.status == RunStatus.PARTIAL
    issue = run.issues.get()
    assert issue.remedy_code == "missing-reference"
    person = Person.objects.get(workspace=ws)  # imported all the same, without a department
    assert person.department_id is None and person.first_name


def test_a_person_without_email_cannot_be_invited(ws: Any, remote: Any) -> None:
    emp = remote("EMPLOYEE")[0]
    contact = get_path(emp, "PERSONALINFO.CONTACTNAME") or get_path(emp, "CONTACT.CONTACTNAME")
    with client_for(ws) as intacct:
        intacct.update([("CONTACT", {"CONTACTNAME": contact, "EMAIL1": ""})])[0].raise_for_error()
    do_import(ws, "people", [int(emp["RECORDNO"])])
    person = Person.objects.get(workspace=ws)
    assert person.email == ""
    assert person.invite_state == InviteState.NEEDS_EMAIL and not person.can_invite
    person.email = "new@example.com"
    person.save()
    assert person.can_invite


def test_removed_employee_is_unlinked_not_deleted(ws: Any, remote: Any) -> None:
    do_import(ws, "departments", None)
    # the newest employee: nobody reports to them, so Intacct lets it be deleted
    target = max(int(e["RECORDNO"]) for e in remote("EMPLOYEE"))
    do_import(ws, "people", [target])
    with client_for(ws) as intacct:
        intacct.delete("EMPLOYEE", [target])[0].raise_for_error()
    run = service.sync_now(ws, "people", key_scan=True)
    assert run.unlinked == 1
    assert Person.objects.filter(workspace=ws).count() == 1
    assert service.local_records(ws, "people")[0]["link_state"] == "unlinked"
