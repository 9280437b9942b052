"""The fixed cast of the service tests (healthchecks' habit): ``owner`` (admin of ``workspace``),
``teammate`` (collaborator in it) and ``outsider`` (admin of ``other_workspace`` only), plus a
workspace connected to the sandbox's demo company and API clients with tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from intacct_bridge.workspaces.models import ApiToken, Connection, Membership, Profile, Workspace

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # the default PBKDF2 costs ~0.2 s a user; the tests are about access, not hashing strength
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(name: str) -> User:
    return User.objects.create_user(username=name, email=f"{name}@example.com", password=PASSWORD)


@pytest.fixture
def owner(db: Any) -> User:
    return _user("alice")


@pytest.fixture
def teammate(db: Any) -> User:
    return _user("bob")


@pytest.fixture
def outsider(db: Any) -> User:
    return _user("charlie")


@pytest.fixture
def workspace(owner: User, teammate: User) -> Workspace:
    ws = Workspace.objects.create(slug="acme", name="Acme Consulting")
    Membership.objects.create(workspace=ws, user=owner, profile=Profile.ADMIN)
    Membership.objects.create(workspace=ws, user=teammate, profile=Profile.COLLABORATOR)
    return ws


@pytest.fixture
def other_workspace(outsider: User) -> Workspace:
    ws = Workspace.objects.create(slug="globex", name="Globex")
    Membership.objects.create(workspace=ws, user=outsider, profile=Profile.ADMIN)
    Connection.objects.create(
        workspace=ws,
        company_id="GLOBEX",
        user_id="ws_user",
        encrypted_password="x",
        endpoint="http://127.0.0.1:9/ia/xml/xmlgw.phtml",
    )
    conn = ws.connection
    conn.set_password("globex-secret-password")
    conn.save()
    return ws


@pytest.fixture
def intacct_sender(settings: Any, intacct_sandbox: Any) -> dict[str, Any]:
    """This instance's sender credentials set to the sandbox's demo sender; returns the credentials."""
    creds: dict[str, Any] = intacct_sandbox.credentials
    settings.INTACCT_SENDER_ID = creds["sender_id"]
    settings.INTACCT_SENDER_PASSWORD = creds["sender_password"]
    return creds


@pytest.fixture
def connected_workspace(workspace: Workspace, intacct_sender: dict[str, Any]) -> Workspace:
    """``workspace`` connected to the sandbox's demo company (top level)."""
    creds = intacct_sender
    conn = Connection(
        workspace=workspace,
        company_id=creds["company_id"],
        user_id=creds["user_id"],
        endpoint=creds["endpoint"],
    )
    conn.set_password(creds["user_password"])
    conn.save()
    return workspace


@pytest.fixture
def api_client(db: Any) -> Callable[..., Client]:
    """``api_client(workspace, write=False)``: a test client sending a new token of that workspace."""

    def make(workspace: Workspace, write: bool = False) -> Client:
        _, token = ApiToken.issue(workspace, write=write, name="test")
        return Client(headers={"Authorization": f"Bearer {token}"})

    return make


@pytest.fixture
def signed_in(client: Client) -> Callable[[User], Client]:
    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in


# ---- the sandbox company and the huey switch the engine and family tests share -------------------

#: test directories whose tests queue runs (Sync now, imports, prompt pushes): Huey runs them inline
INLINE_HUEY_DIRS = {"sync", "records", "ap", "ar", "psa", "timesheets", "web", "api", "jobs"}


@pytest.fixture(autouse=True)
def _inline_huey_where_runs_are_queued(request: pytest.FixtureRequest) -> None:
    if request.path.parent.name in INLINE_HUEY_DIRS:
        request.getfixturevalue("immediate_huey")


@pytest.fixture
def company(intacct_sandbox: Any) -> str:
    return str(intacct_sandbox.credentials["company_id"])


@pytest.fixture
def remote(intacct_sandbox: Any, company: str) -> Callable[[str], list[dict[str, Any]]]:
    """remote("CUSTOMER") -> the sandbox's stored records of that object."""

    def records(obj: str) -> list[dict[str, Any]]:
        return list(intacct_sandbox.control.records(company, obj))

    return records


@pytest.fixture
def ws(connected_workspace: Workspace) -> Workspace:
    return connected_workspace


@pytest.fixture
def run_commits(django_capture_on_commit_callbacks: Any) -> Any:
    """``with run_commits():`` runs what waits for the commit (the queued push run, events) inline."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
