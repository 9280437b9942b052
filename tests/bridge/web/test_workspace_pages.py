"""The workspace pages: overview, connection form, setup checklist, tokens; who may use which."""

from __future__ import annotations

from typing import Any

from django.test import Client

from intacct_bridge.workspaces.models import ApiToken, Connection, Workspace


def _connect(ws: Workspace, password: str = "the-secret-pw") -> Connection:
    conn = Connection(workspace=ws, company_id="ACME", user_id="ws_user")
    conn.set_password(password)
    conn.save()
    return conn


def test_home_sends_a_single_workspace_member_to_it(client: Client, owner: Any, workspace: Workspace) -> None:
    client.force_login(owner)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/w/acme/"


def test_the_overview_shows_the_connection_and_the_nav(
    client: Client, teammate: Any, workspace: Workspace
) -> None:
    _connect(workspace)
    client.force_login(teammate)
    html = client.get("/w/acme/").content.decode()
    assert "ACME" in html and "ws_user" in html
    assert 'href="/w/acme/setup/"' in html
    assert "the-secret-pw" not in html


def test_the_connection_page_is_for_admins(client: Client, teammate: Any, workspace: Workspace) -> None:
    client.force_login(teammate)
    assert client.get("/w/acme/connection/").status_code == 403
    assert client.post("/w/acme/test-connection/").status_code == 403
    assert client.get("/w/acme/tokens/").status_code == 403


def test_the_password_is_never_rendered_back(client: Client, owner: Any, workspace: Workspace) -> None:
    _connect(workspace)
    client.force_login(owner)
    html = client.get("/w/acme/connection/").content.decode()
    assert "ACME" in html
    assert "the-secret-pw" not in html
    assert workspace.connection.encrypted_password not in html
    assert 'type="password"' in html


def test_saving_without_a_password_keeps_the_stored_one(
    client: Client, owner: Any, workspace: Workspace
) -> None:
    _connect(workspace)
    client.force_login(owner)
    response = client.post(
        "/w/acme/connection/",
        {
            # same endpoint, company and user: the stored password may stay (a change of any of
            # them needs it again: test_endpoint_allowlist.py)
            "company_id": "ACME",
            "user_id": "ws_user",
            "password": "",
            "entity_id": "E100",
            "endpoint": "https://api.intacct.com/ia/xml/xmlgw.phtml",
        },
    )
    assert response.status_code == 302
    conn = Connection.objects.get(workspace=workspace)
    assert (conn.company_id, conn.entity_id, conn.get_password()) == ("ACME", "E100", "the-secret-pw")


def test_a_new_connection_needs_a_password(client: Client, owner: Any, workspace: Workspace) -> None:
    client.force_login(owner)
    response = client.post(
        "/w/acme/connection/",
        {
            "company_id": "ACME",
            "user_id": "ws_user",
            "endpoint": "https://api.intacct.com/ia/xml/xmlgw.phtml",
        },
    )
    assert response.status_code == 422
    assert "This field is required" in response.content.decode()
    assert not Connection.objects.filter(workspace=workspace).exists()


def test_the_checklist_names_our_sender_and_the_families_permissions(
    client: Client, teammate: Any, workspace: Workspace, settings: Any
) -> None:
    settings.INTACCT_SENDER_ID = "BridgeSenderXYZ"
    client.force_login(teammate)
    html = client.get("/w/acme/setup/").content.decode()
    assert "Authorize sender ID BridgeSenderXYZ" in html
    assert "case-sensitive" in html
    assert "Company &gt; Setup &gt; Company &gt; Security &gt; Web Services authorizations" in html
    for words in (
        "Subscribe to Web Services",
        "Create a Web Services user",
        "User type: Business",
        "Admin privileges: Full",
        "Keep that user for the integration only",
    ):
        assert words in html
    # default families: clients, departments, people
    assert "<td>Accounts Receivable</td><td>Customers</td><td>List, View</td>" in html
    assert "<td>Company</td><td>Employees</td>" in html
    assert "Vendors" not in html.split("Families this workspace syncs")[0]


def test_an_admin_changes_the_families_and_the_checklist_follows(
    client: Client, owner: Any, workspace: Workspace
) -> None:
    client.force_login(owner)
    response = client.post("/w/acme/setup/", {"families": ["vendors", "bills"]})
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.families == ["vendors", "bills"]
    html = client.get("/w/acme/setup/").content.decode()
    assert "<td>Accounts Payable</td><td>Bills</td><td>List, View, Add, Edit</td>" in html
    assert "<td>Customers</td>" not in html


def test_a_collaborator_cannot_change_the_families(
    client: Client, teammate: Any, workspace: Workspace
) -> None:
    client.force_login(teammate)
    assert client.post("/w/acme/setup/", {"families": ["vendors"]}).status_code == 403
    workspace.refresh_from_db()
    assert workspace.families == ["clients", "departments", "people"]


def test_a_token_created_on_the_page_is_shown_once(client: Client, owner: Any, workspace: Workspace) -> None:
    client.force_login(owner)
    html = client.post("/w/acme/tokens/", {"name": "ci", "write": "on"}).content.decode()
    token = ApiToken.objects.get(workspace=workspace)
    assert token.write and token.name == "ci"
    shown = html.split('<pre id="new-token">')[1].split("</pre>")[0]
    assert ApiToken.find(shown) == token
    assert shown not in client.get("/w/acme/tokens/").content.decode()


def test_revoking_a_token(client: Client, owner: Any, workspace: Workspace) -> None:
    token, plaintext = ApiToken.issue(workspace)
    client.force_login(owner)
    assert client.post(f"/w/acme/tokens/{token.pk}/revoke/").status_code == 302
    assert ApiToken.find(plaintext) is None


def test_sign_in_and_static_files(client: Client, owner: Any, workspace: Workspace) -> None:
    assert client.get("/login/").status_code == 200
    response = client.post("/login/", {"username": "alice", "password": "correct horse battery staple"})
    assert response.status_code == 302
    css = client.get("/static/bridge/app.css")
    assert css.status_code == 200 and b"--accent" in b"".join(css.streaming_content)  # type: ignore[attr-defined]
    assert client.get("/static/../settings.py").status_code in (400, 404)


def test_an_admin_changes_a_members_profile(
    client: Client, owner: Any, teammate: Any, workspace: Workspace
) -> None:
    from intacct_bridge.workspaces.models import Membership

    client.force_login(owner)
    bob = Membership.objects.get(workspace=workspace, user=teammate)
    assert "bob" in client.get("/w/acme/members/").content.decode()
    assert client.post("/w/acme/members/", {"membership": bob.pk, "profile": "controller"}).status_code == 302
    bob.refresh_from_db()
    assert bob.profile == "controller"
    assert client.post("/w/acme/members/", {"membership": bob.pk, "profile": "king"}).status_code == 400
    assert client.post("/w/acme/members/", {"membership": "x", "profile": "admin"}).status_code == 400


def test_the_last_admin_stays_admin(client: Client, owner: Any, workspace: Workspace) -> None:
    from intacct_bridge.workspaces.models import Membership

    client.force_login(owner)
    alice = Membership.objects.get(workspace=workspace, user=owner)
    client.post("/w/acme/members/", {"membership": alice.pk, "profile": "collaborator"})
    alice.refresh_from_db()
    assert alice.profile == "admin"


def test_members_of_another_workspace_cannot_be_changed(
    client: Client, owner: Any, workspace: Workspace, other_workspace: Workspace
) -> None:
    from intacct_bridge.workspaces.models import Membership

    client.force_login(owner)
    charlie = Membership.objects.get(workspace=other_workspace)
    assert (
        client.post("/w/acme/members/", {"membership": charlie.pk, "profile": "collaborator"}).status_code
        == 404
    )
    charlie.refresh_from_db()
    assert charlie.profile == "admin"
