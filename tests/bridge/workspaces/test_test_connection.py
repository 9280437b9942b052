"""Test connection end to end against the sandbox: success names the company; every missing setup
step, set up through the sandbox's control plane, is named in the checklist's words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from intacct_bridge.workspaces import checklist, setup_check
from intacct_bridge.workspaces.models import Connection, ConnectionTest, Workspace
from intacct_bridge.workspaces.setup_check import run_test_connection


def test_success_names_the_company_and_is_recorded(
    connected_workspace: Workspace, owner: Any, intacct_sender: dict[str, Any]
) -> None:
    test = run_test_connection(connected_workspace, owner)
    assert test.ok, (test.title, test.message)
    company = intacct_sender["company_id"]
    assert test.company == company and test.entity == ""
    assert test.title == f"Connected to {company} (top level)"
    assert test.probes == {"CONTACT": "ok", "CUSTOMER": "ok", "DEPARTMENT": "ok", "EMPLOYEE": "ok"}
    assert ConnectionTest.objects.get().user == owner
    assert Connection.objects.get(workspace=connected_workspace).connected_at is not None


def test_an_entity_session_names_the_entity(
    connected_workspace: Workspace, intacct_sender: dict[str, Any]
) -> None:
    entity = intacct_sender["entity_ids"][0]
    Connection.objects.filter(workspace=connected_workspace).update(entity_id=entity)
    test = run_test_connection(connected_workspace)
    assert test.ok, (test.title, test.message)
    assert test.entity == entity
    assert test.title.endswith(f", entity {entity}")


def _web_services_off(control: Any, creds: dict[str, Any], ws: Workspace) -> None:
    control.set_web_services(creds["company_id"], False)


def _sender_revoked(control: Any, creds: dict[str, Any], ws: Workspace) -> None:
    control.authorize_sender(creds["company_id"], creds["sender_id"], active=False)


def _password_rotated(control: Any, creds: dict[str, Any], ws: Workspace) -> None:
    control.set_user(creds["company_id"], creds["user_id"], password="Rotated-in-Intacct-1")


def _user_inactive(control: Any, creds: dict[str, Any], ws: Workspace) -> None:
    control.set_user(creds["company_id"], creds["user_id"], status="inactive")


def _entity_refused(control: Any, creds: dict[str, Any], ws: Workspace) -> None:
    first, second = creds["entity_ids"][:2]
    control.set_user(creds["company_id"], creds["user_id"], entities=[second])
    Connection.objects.filter(workspace=ws).update(entity_id=first)


def _role_without_customers(control: Any, creds: dict[str, Any], ws: Workspace) -> None:
    control.create_role(
        creds["company_id"], "NoCustomers", {"DEPARTMENT": "LV", "EMPLOYEE": "LV", "CONTACT": "LV"}
    )
    control.set_user(creds["company_id"], creds["user_id"], roles=["NoCustomers"])


SETUP_FAILURES: list[tuple[Callable[..., None], str, str]] = [
    (_web_services_off, checklist.WEB_SERVICES, "Web Services is not subscribed"),
    (_sender_revoked, checklist.SENDER, "Sender ID {sender} is not authorized for this company"),
    (
        _password_rotated,
        setup_check.CREDENTIALS,
        "Wrong company ID, user ID or password, or the user is inactive",
    ),
    # Intacct (and the sandbox) answer an inactive user like a wrong password; the title says both
    (
        _user_inactive,
        setup_check.CREDENTIALS,
        "Wrong company ID, user ID or password, or the user is inactive",
    ),
    (_entity_refused, setup_check.ENTITY, "The entity is not accessible to the Web Services user"),
    (_role_without_customers, checklist.ROLE, "The role lacks Accounts Receivable > Customers: List"),
]


@pytest.mark.parametrize(
    ("break_it", "step", "title"), SETUP_FAILURES, ids=lambda x: getattr(x, "__name__", "")
)
def test_each_missing_step_is_named(
    break_it: Callable[..., None],
    step: str,
    title: str,
    connected_workspace: Workspace,
    owner: Any,
    intacct_sandbox: Any,
    intacct_sender: dict[str, Any],
) -> None:
    break_it(intacct_sandbox.control, intacct_sender, connected_workspace)
    test = run_test_connection(connected_workspace, owner)
    assert not test.ok
    assert (test.step, test.title) == (step, title.format(sender=intacct_sender["sender_id"])), test.message
    assert test.remedy
    assert ConnectionTest.objects.filter(workspace=connected_workspace, ok=False, step=step).count() == 1


def test_every_missing_permission_is_listed(
    connected_workspace: Workspace, intacct_sandbox: Any, intacct_sender: dict[str, Any]
) -> None:
    creds = intacct_sender
    intacct_sandbox.control.create_role(creds["company_id"], "OnlyDepartments", {"DEPARTMENT": "LV"})
    intacct_sandbox.control.set_user(creds["company_id"], creds["user_id"], roles=["OnlyDepartments"])
    test = run_test_connection(connected_workspace)
    assert test.title == "The role lacks 3 permissions"
    for missing in (
        "Accounts Receivable > Customers: List",
        "Company > Employees: List",
        "Company > Contacts: List",
    ):
        assert missing in test.message
    assert test.probes["DEPARTMENT"] == "ok" and test.probes["CUSTOMER"] == "denied"


def test_without_sender_settings_it_says_so(workspace: Workspace, settings: Any) -> None:
    settings.INTACCT_SENDER_ID = settings.INTACCT_SENDER_PASSWORD = ""
    conn = Connection(workspace=workspace, company_id="C", user_id="U")
    conn.set_password("p")
    conn.save()
    test = run_test_connection(workspace)
    assert (test.ok, test.step) == (False, setup_check.SENDER_CREDENTIALS)


def test_an_unreachable_endpoint_is_named(workspace: Workspace, settings: Any) -> None:
    settings.INTACCT_SENDER_ID, settings.INTACCT_SENDER_PASSWORD = "S", "SP"
    # allowed by the operator, but nothing listens there
    settings.INTACCT_BRIDGE_ALLOWED_ENDPOINTS = "http://127.0.0.1:9/ia/xml/xmlgw.phtml"
    conn = Connection(
        workspace=workspace, company_id="C", user_id="U", endpoint="http://127.0.0.1:9/ia/xml/xmlgw.phtml"
    )
    conn.set_password("p")
    conn.save()
    test = run_test_connection(workspace)
    assert (test.ok, test.step) == (False, setup_check.UNREACHABLE)
