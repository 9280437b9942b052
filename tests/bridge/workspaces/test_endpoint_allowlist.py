"""The exfiltration hole, closed: nobody holding a token, an admin profile or the CLI can point a
workspace's connection at a host of their choosing and have Test connection (or a sync) post the
instance's sender password and the workspace's Intacct password there. A capture server on
loopback records every byte anyone sends it: it must receive nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from capture import Capture, capture_server, redirecting_gateway
from django.test import Client

from intacct_bridge.cli import main
from intacct_bridge.workspaces import endpoints, health, setup_check
from intacct_bridge.workspaces.connection import client_for
from intacct_bridge.workspaces.models import Connection, ConnectionTest, Workspace

GATEWAY = "https://api.intacct.com/ia/xml/xmlgw.phtml"


@pytest.fixture
def capture() -> Iterator[Capture]:
    with capture_server() as c:
        yield c


@pytest.fixture
def saved(connected_workspace: Workspace) -> Connection:
    """The connected workspace with its endpoint (the sandbox, allowed by the test) and password."""
    return Connection.objects.get(workspace=connected_workspace)


def _put(client: Client, body: dict[str, Any]) -> Any:
    return client.put("/api/v1/workspaces/acme/connection", data=body, content_type="application/json")


def _unchanged(conn: Connection) -> None:
    now = Connection.objects.get(pk=conn.pk)
    assert (now.endpoint, now.company_id, now.user_id, now.encrypted_password) == (
        conn.endpoint,
        conn.company_id,
        conn.user_id,
        conn.encrypted_password,
    )


# --- the allowlist itself ------------------------------------------------------------------------

ATTACKS = [
    "http://127.0.0.1:9/ia/xml/xmlgw.phtml",  # a local capture server
    "https://evil.example.com/ia/xml/xmlgw.phtml",  # another host
    "http://api.intacct.com/ia/xml/xmlgw.phtml",  # plain http to the real host
    "file:///etc/passwd",
    "http://169.254.169.254/latest/meta-data/",  # a cloud metadata address
    "https://api.intacct.com.evil.com/ia/xml/xmlgw.phtml",  # suffix trick
    "https://evilintacct.com/ia/xml/xmlgw.phtml",  # no dot before the domain
    "https://intacct.com@evil.com/ia/xml/xmlgw.phtml",  # userinfo
    "https://evil.com\\@api.intacct.com/ia/xml/xmlgw.phtml",  # parser disagreement
    "https://evil.com#@api.intacct.com/",  # fragment trick
    "https://api.intacct.com:8443/ia/xml/xmlgw.phtml",  # another port
    "https://%65vil.intacct.com/",  # percent-escaped host
    "https://api.intacct.com/ia/xml/xmlgw.phtml?x=1",  # a query string
    "https://api.intacct.com./ia/xml/xmlgw.phtml",  # trailing dot
    " https://api.intacct.com/ia/xml/xmlgw.phtml",  # leading space
    "gopher://api.intacct.com/",
    "",
]


@pytest.mark.parametrize("url", ATTACKS)
def test_the_default_allowlist_refuses(url: str, settings: Any) -> None:
    settings.INTACCT_BRIDGE_ALLOWED_ENDPOINTS = endpoints.DEFAULT
    assert not endpoints.is_allowed(url)


@pytest.mark.parametrize(
    "url",
    [GATEWAY, "https://API.Intacct.com/ia/xml/xmlgw.phtml", "https://eu.intacct.com/ia/xml/xmlgw.phtml"],
)
def test_the_default_allowlist_allows_intacct(url: str, settings: Any) -> None:
    settings.INTACCT_BRIDGE_ALLOWED_ENDPOINTS = endpoints.DEFAULT
    assert endpoints.is_allowed(url)


def test_plain_http_only_as_an_exact_entry(settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    settings.INTACCT_BRIDGE_ALLOWED_ENDPOINTS = "http://*.example.com/"
    with pytest.raises(ImproperlyConfigured, match="https only"):
        endpoints.is_allowed("http://a.example.com/")
    settings.INTACCT_BRIDGE_ALLOWED_ENDPOINTS = "http://127.0.0.1:8001/ia/xml/xmlgw.phtml"
    assert endpoints.is_allowed("http://127.0.0.1:8001/ia/xml/xmlgw.phtml")
    assert not endpoints.is_allowed("http://127.0.0.1:8002/ia/xml/xmlgw.phtml")
    assert not endpoints.is_allowed("http://127.0.0.1:8001/other")


# --- API -----------------------------------------------------------------------------------------


def test_api_refuses_the_capture_server_and_it_receives_nothing(
    saved: Connection, capture: Capture, api_client: Callable[..., Client]
) -> None:
    client = api_client(saved.workspace, write=True)
    for body in (
        # keep the stored password (the original hole) ...
        {"company_id": saved.company_id, "user_id": saved.user_id, "endpoint": capture.endpoint},
        # ... or give one: the endpoint is refused either way
        {"company_id": "X", "user_id": "Y", "password": "pw", "endpoint": capture.endpoint},
    ):
        response = _put(client, body)
        assert response.status_code == 422, response.content
        error = response.json()["error"]
        assert error["code"] == "endpoint_not_allowed"
        assert "INTACCT_BRIDGE_ALLOWED_ENDPOINTS" in error["message"]
        _unchanged(saved)
    assert client.post("/api/v1/workspaces/acme/test-connection").json()["ok"] is True
    assert capture.received == [] and capture.connections == 0


@pytest.mark.parametrize("url", ATTACKS[1:6])
def test_api_refuses_every_other_kind_of_endpoint(
    url: str, saved: Connection, api_client: Callable[..., Client]
) -> None:
    response = _put(
        api_client(saved.workspace, write=True),
        {"company_id": saved.company_id, "user_id": saved.user_id, "password": "p", "endpoint": url},
    )
    assert (response.status_code, response.json()["error"]["code"]) == (422, "endpoint_not_allowed")
    _unchanged(saved)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"company_id": "OTHERCO"}, "company ID"),
        ({"user_id": "someone_else"}, "user ID"),
        ({"endpoint": GATEWAY}, "endpoint"),
    ],
)
def test_changing_endpoint_company_or_user_needs_the_password(
    change: dict[str, str], named: str, saved: Connection, api_client: Callable[..., Client]
) -> None:
    body = {"company_id": saved.company_id, "user_id": saved.user_id, **change}
    client = api_client(saved.workspace, write=True)
    response = _put(client, body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "password_required"
    assert f"password: required when the {named} changes" in error["message"]
    _unchanged(saved)
    # with the password it goes through
    assert _put(client, {**body, "password": "new-password"}).status_code == 200


def test_keeping_everything_keeps_the_password(saved: Connection, api_client: Callable[..., Client]) -> None:
    body = {"company_id": saved.company_id, "user_id": saved.user_id, "entity_id": "E100"}
    response = _put(api_client(saved.workspace, write=True), body)
    assert response.status_code == 200, response.content
    now = Connection.objects.get(pk=saved.pk)
    assert (now.entity_id, now.encrypted_password, now.endpoint) == (
        "E100",
        saved.encrypted_password,
        saved.endpoint,
    )


# --- web form -------------------------------------------------------------------------------------


def test_the_form_refuses_the_capture_server(
    saved: Connection, capture: Capture, signed_in: Callable[..., Client], owner: Any
) -> None:
    client = signed_in(owner)
    response = client.post(
        "/w/acme/connection/",
        {
            "company_id": saved.company_id,
            "user_id": saved.user_id,
            "password": "",
            "endpoint": capture.endpoint,
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "is not allowed on this instance" in html and "INTACCT_BRIDGE_ALLOWED_ENDPOINTS" in html
    _unchanged(saved)
    client.post("/w/acme/test-connection/")
    assert capture.received == [] and capture.connections == 0


def test_the_form_needs_the_password_for_another_company(
    saved: Connection, signed_in: Callable[..., Client], owner: Any
) -> None:
    response = signed_in(owner).post(
        "/w/acme/connection/",
        {"company_id": "OTHERCO", "user_id": saved.user_id, "password": "", "endpoint": saved.endpoint},
    )
    assert response.status_code == 422
    assert "Required when the company ID changes" in response.content.decode()
    _unchanged(saved)


# --- CLI ------------------------------------------------------------------------------------------


def test_the_cli_refuses_the_capture_server(
    db: Any, tmp_path: Path, capture: Capture, capsys: pytest.CaptureFixture[str]
) -> None:
    pw = tmp_path / "pw"
    pw.write_text("secret\n")
    args = ["workspace", "add", "evil", "--company-id", "C", "--user-id", "U", "--password-file", str(pw)]
    assert main([*args, "--endpoint", capture.endpoint]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        len(err) == 1
        and err[0].startswith("error: endpoint ")
        and "INTACCT_BRIDGE_ALLOWED_ENDPOINTS" in err[0]
    )
    assert not Workspace.objects.filter(slug="evil").exists()
    assert capture.received == []


# --- a getAPISession answer pointing elsewhere ----------------------------------------------------


def test_a_gateway_answer_cannot_redirect_the_session(
    saved: Connection, capture: Capture, intacct_sandbox: Any, settings: Any
) -> None:
    with redirecting_gateway(intacct_sandbox.credentials["endpoint"], capture.endpoint) as hostile:
        # the operator allowed the (hostile) gateway itself, not where it redirects
        settings.INTACCT_BRIDGE_ALLOWED_ENDPOINTS = hostile
        Connection.objects.filter(pk=saved.pk).update(endpoint=hostile)
        test = setup_check.run_test_connection(saved.workspace, via="test")
    assert (test.ok, test.step) == (False, "endpoint_not_allowed")
    assert "getAPISession answered with endpoint" in test.message
    assert capture.received == [] and capture.connections == 0


# --- connections saved before the allowlist -------------------------------------------------------


def test_an_existing_disallowed_connection_is_paused_with_a_banner(
    saved: Connection, capture: Capture, signed_in: Callable[..., Client], owner: Any
) -> None:
    Connection.objects.filter(pk=saved.pk).update(endpoint=capture.endpoint)
    html = signed_in(owner).get("/w/acme/").content.decode()
    assert 'id="pause-banner"' in html
    assert "The endpoint is not allowed on this instance" in html
    assert health.is_paused(saved.workspace)
    conn = Connection.objects.get(pk=saved.pk)
    assert (conn.paused, conn.pause_step) == (True, "endpoint_not_allowed")
    # neither Test connection nor a client for a sync sends anything there
    test = setup_check.run_test_connection(saved.workspace, via="test")
    assert (test.ok, test.step) == (False, "endpoint_not_allowed")
    import intacct

    with pytest.raises(intacct.EndpointNotAllowed):
        client_for(saved.workspace)
    assert capture.received == [] and capture.connections == 0
    assert ConnectionTest.objects.filter(workspace=saved.workspace, ok=False).count() == 1


def test_startup_pauses_every_disallowed_connection(saved: Connection, other_workspace: Workspace) -> None:
    # other_workspace points at http://127.0.0.1:9/, which nobody allowed
    assert health.pause_disallowed_endpoints() == 1
    assert Connection.objects.get(workspace=other_workspace).paused
    assert not Connection.objects.get(pk=saved.pk).paused


def test_the_demo_allows_its_own_sandbox_for_its_process_only(settings: Any) -> None:
    settings.INTACCT_BRIDGE_ALLOWED_ENDPOINTS = endpoints.DEFAULT
    url = "http://127.0.0.1:8001/ia/xml/xmlgw.phtml"
    assert not endpoints.is_allowed(url)
    endpoints.allow_for_this_process(url)
    assert endpoints.is_allowed(url) and endpoints.is_allowed(GATEWAY)
    assert not endpoints.is_allowed("http://127.0.0.1:8002/ia/xml/xmlgw.phtml")


def test_a_malformed_allowlist_stops_the_worker_with_one_line(
    db: Any, settings: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from intacct_bridge import serving

    def never(*args: Any) -> None:
        raise AssertionError("the worker must not start")

    monkeypatch.setattr(serving, "run_worker", never)
    settings.INTACCT_BRIDGE_ALLOWED_ENDPOINTS = "http://*.example.com/"
    assert main(["worker", "--workers", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "error: INTACCT_BRIDGE_ALLOWED_ENDPOINTS: 'http://*.example.com/': host patterns are https only; "
        "list a plain-http URL exactly"
    ]
