"""Every bad input gets a specific answer and writes nothing: one table across the API, the pages
and the CLI. Each row names the input, the status (HTTP status, or the CLI's exit status 2), a
piece of the message the user must see, and every row count of the service's tables is compared
before and after."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client

from intacct_bridge.cli import main
from intacct_bridge.workspaces.models import ApiToken, Connection, Workspace

GATEWAY = "https://api.intacct.com/ia/xml/xmlgw.phtml"
WS = "/api/v1/workspaces/acme"
CONN = {"company_id": "ACME", "user_id": "ws_user"}


def counts() -> dict[str, int]:
    """Rows of every table of the service (and its users), except sign-in attempt logs."""
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label not in ("axes", "sessions", "contenttypes")
    }


@dataclass
class Api:
    method: str
    path: str
    body: Any = None
    status: int = 422
    says: str = ""
    code: str = "invalid"
    #: "write", "read", "other" (a write token of another workspace), "session" (the owner)
    who: str = "write"
    raw: bytes | None = None


@dataclass
class Page:
    path: str
    data: dict[str, str]
    status: int = 422
    says: str = ""
    method: str = "post"


@dataclass
class Cli:
    args: list[str]
    says: str
    files: dict[str, str] = field(default_factory=dict)


CASES: list[tuple[str, Api | Page | Cli]] = [
    # --- API: control characters, named by field, before anything runs -------------------------
    (
        "api NUL in company_id",
        Api(
            "put",
            f"{WS}/connection",
            {**CONN, "company_id": "AC\x00ME"},
            says="company_id: contains a control character (U+0000)",
        ),
    ),
    (
        "api BEL in user_id",
        Api(
            "put",
            f"{WS}/connection",
            {**CONN, "user_id": "u\x07"},
            says="user_id: contains a control character (U+0007)",
        ),
    ),
    (
        "api ESC in password",
        Api(
            "put",
            f"{WS}/connection",
            {**CONN, "password": "p\x1bw"},
            says="password: contains a control character (U+001B)",
        ),
    ),
    (
        "api C1 control in entity_id",
        Api(
            "put",
            f"{WS}/connection",
            {**CONN, "entity_id": "E\x85"},
            says="entity_id: contains a control character (U+0085)",
        ),
    ),
    (
        "api lone surrogate",
        Api(
            "put",
            f"{WS}/connection",
            raw=b'{"company_id": "A\\ud800", "user_id": "u"}',
            says="company_id: contains a control character (U+D800)",
        ),
    ),
    (
        "api NUL in a list item",
        Api("patch", WS, {"families": ["clients\x00"]}, says="families[0]: contains a control character"),
    ),
    (
        "api NUL in a JSON key",
        Api("patch", WS, {"na\x00me": "x"}, says="na\x00me: contains a control character"),
    ),
    (
        "api NUL in a query string",
        Api("get", f"{WS}/events?kind=a%00", says="kind: contains a control character"),
    ),
    (
        "api NUL in a record field",
        Api(
            "post",
            f"{WS}/vendors/records",
            {"fields": {"name": "V\x00"}},
            says="fields.name: contains a control character",
        ),
    ),
    (
        "api body is not JSON",
        Api("put", f"{WS}/connection", raw=b"{company_id: ", says="body: not valid JSON"),
    ),
    # --- API: endpoints and the stored password ---------------------------------------------------
    (
        "api endpoint elsewhere",
        Api(
            "put",
            f"{WS}/connection",
            {**CONN, "endpoint": "https://evil.example.com/x"},
            code="endpoint_not_allowed",
            says="INTACCT_BRIDGE_ALLOWED_ENDPOINTS",
        ),
    ),
    (
        "api endpoint file://",
        Api(
            "put",
            f"{WS}/connection",
            {**CONN, "password": "p", "endpoint": "file:///etc/passwd"},
            code="endpoint_not_allowed",
            says="'file:///etc/passwd' is not allowed",
        ),
    ),
    (
        "api endpoint metadata address",
        Api(
            "put",
            f"{WS}/connection",
            {**CONN, "password": "p", "endpoint": "http://169.254.169.254/latest/meta-data/"},
            code="endpoint_not_allowed",
            says="is not allowed on this instance",
        ),
    ),
    (
        "api another company without password",
        Api(
            "put",
            f"{WS}/connection",
            {**CONN, "company_id": "OTHER"},
            code="password_required",
            says="password: required when the company ID changes",
        ),
    ),
    (
        "api another user without password",
        Api(
            "put",
            f"{WS}/connection",
            {**CONN, "user_id": "other"},
            code="password_required",
            says="password: required when the user ID changes",
        ),
    ),
    (
        "api missing company_id",
        Api("put", f"{WS}/connection", {"user_id": "u"}, says="company_id: Field required"),
    ),
    # --- API: values ----------------------------------------------------------------------------
    (
        "api empty workspace name",
        Api("patch", WS, {"name": ""}, says="name: String should have at least 1 character"),
    ),
    (
        "api unknown time zone",
        Api("patch", WS, {"timezone": "Mars/Base"}, says="timezone: unknown time zone 'Mars/Base'"),
    ),
    ("api unknown family", Api("patch", WS, {"families": ["nope"]}, says="families: unknown nope")),
    (
        "api events since a word",
        Api(
            "get",
            f"{WS}/events?since=yesterday",
            says="since: 'yesterday' is neither an event id nor an ISO 8601 timestamp",
        ),
    ),
    (
        "api events since a bad date",
        Api("get", f"{WS}/events?since=2026-13-45", says="since: '2026-13-45' is neither"),
    ),
    ("api events since negative", Api("get", f"{WS}/events?since=-5", says="since: '-5' is neither")),
    (
        "api bill currency not ISO 4217",
        Api(
            "post",
            f"{WS}/bills",
            {
                "vendor": "V1",
                "bill_date": "2026-01-01",
                "due_date": "2026-01-31",
                "currency": "XYZ",
                "lines": [],
            },
            says="currency: Value error, 'XYZ' is not an ISO 4217 currency code",
        ),
    ),
    (
        "api bill currency too short",
        Api(
            "post",
            f"{WS}/bills",
            {
                "vendor": "V1",
                "bill_date": "2026-01-01",
                "due_date": "2026-01-31",
                "currency": "US",
                "lines": [],
            },
            says="'US' is not an ISO 4217 currency code",
        ),
    ),
    (
        "api payment currency not ISO 4217",
        Api(
            "post",
            f"{WS}/payments",
            {"applications": [], "currency": "ABC"},
            says="'ABC' is not an ISO 4217 currency code",
        ),
    ),
    (
        "api project invoice currency",
        Api(
            "post",
            f"{WS}/project-invoices",
            {"number": "I1", "currency": "EURO", "lines": []},
            says="'EURO' is not an ISO 4217 currency code",
        ),
    ),
    (
        "api vendor email",
        Api(
            "post",
            f"{WS}/vendors/records",
            {"fields": {"name": "V", "email": "not-an-email"}},
            says="fields.email: 'not-an-email' is not an email address",
        ),
    ),
    (
        "api vendor email with two @",
        Api(
            "patch",
            f"{WS}/vendors/records/1",
            {"fields": {"email": "a@b@c.com"}},
            says="fields.email: 'a@b@c.com' is not an email address",
        ),
    ),
    (
        "api schedule frequency",
        Api("put", f"{WS}/schedule", {"frequency": "sometimes"}, says="frequency: one of"),
    ),
    (
        "api unknown endpoint",
        Api("get", "/api/v1/nope", status=404, code="not_found", says="No such API endpoint"),
    ),
    # --- API: authorization decided before the body ----------------------------------------------
    (
        "api read-only token, bad body",
        Api(
            "put",
            f"{WS}/connection",
            {"company_id": "\x00"},
            status=403,
            code="forbidden",
            who="read",
            says="read-only",
        ),
    ),
    (
        "api read-only token, not JSON",
        Api(
            "put", f"{WS}/connection", raw=b"{{{", status=403, code="forbidden", who="read", says="read-only"
        ),
    ),
    (
        "api read-only token, bad family body",
        Api(
            "post", f"{WS}/bills", {"currency": 5}, status=403, code="forbidden", who="read", says="read-only"
        ),
    ),
    (
        "api other workspace's token, bad body",
        Api(
            "put",
            f"{WS}/connection",
            {"company_id": "\x00"},
            status=404,
            code="not_found",
            who="other",
            says="No such workspace",
        ),
    ),
    (
        "api other workspace's token, not JSON",
        Api("patch", WS, raw=b"nope", status=404, code="not_found", who="other", says="No such workspace"),
    ),
    (
        "api non-member session, bad body",
        Api(
            "put",
            f"{WS}/connection",
            {"user_id": 5},
            status=404,
            code="not_found",
            who="outsider",
            says="No such workspace",
        ),
    ),
    # --- pages ------------------------------------------------------------------------------------
    (
        "form NUL in company ID",
        Page(
            "/w/acme/connection/",
            {**CONN, "company_id": "A\x00", "endpoint": GATEWAY},
            says="company_id: contains a control character (U+0000)",
        ),
    ),
    (
        "form endpoint elsewhere",
        Page(
            "/w/acme/connection/",
            {**CONN, "endpoint": "https://evil.example.com/"},
            says="is not allowed on this instance",
        ),
    ),
    (
        "form endpoint not a URL",
        Page("/w/acme/connection/", {**CONN, "endpoint": "not a url"}, says="Enter a valid URL"),
    ),
    (
        "form another user without password",
        Page(
            "/w/acme/connection/",
            {**CONN, "user_id": "other", "endpoint": GATEWAY},
            says="Required when the user ID changes",
        ),
    ),
    (
        "form new endpoint without password",
        Page(
            "/w/acme/connection/",
            {**CONN, "endpoint": "https://eu.intacct.com/ia/xml/xmlgw.phtml"},
            says="Required when the endpoint changes",
        ),
    ),
    (
        "form token name with a control char",
        Page("/w/acme/tokens/", {"name": "ci\x1f"}, says="name: contains a control character (U+001F)"),
    ),
    ("form unknown family", Page("/w/acme/setup/", {"families": "nope"}, says="Select a valid choice")),
    (
        "form query string control char",
        Page("/w/acme/?q=%01", {}, method="get", says="q: contains a control character (U+0001)"),
    ),
    (
        "form vendor email",
        Page(
            "/w/acme/vendors/new/",
            {"name": "V", "email": "nope@"},
            says="email: 'nope@' is not an email address",
        ),
    ),
    (
        "form bill description NUL",
        Page(
            "/w/acme/bills/new/", {"description": "x\x00"}, says="description: contains a control character"
        ),
    ),
    # --- CLI --------------------------------------------------------------------------------------
    (
        "cli slug with spaces",
        Cli(
            ["workspace", "add", "bad slug", "--credentials-file", "{creds}"],
            "cannot be a workspace slug",
            {"creds": "{}"},
        ),
    ),
    (
        "cli slug with a slash",
        Cli(
            ["workspace", "add", "a/b", "--credentials-file", "{creds}"],
            "cannot be a workspace slug",
            {"creds": "{}"},
        ),
    ),
    (
        "cli slug too long",
        Cli(["workspace", "add", "x" * 51, "--credentials-file", "{creds}"], "at most 50", {"creds": "{}"}),
    ),
    (
        "cli empty password file",
        Cli(
            ["workspace", "add", "w1", "--company-id", "C", "--user-id", "U", "--password-file", "{pw}"],
            "is empty",
            {"pw": "\n"},
        ),
    ),
    (
        "cli missing password file",
        Cli(
            [
                "workspace",
                "add",
                "w1",
                "--company-id",
                "C",
                "--user-id",
                "U",
                "--password-file",
                "/nonexistent/pw",
            ],
            "/nonexistent/pw does not exist",
        ),
    ),
    (
        "cli password file is a directory",
        Cli(
            ["workspace", "add", "w1", "--company-id", "C", "--user-id", "U", "--password-file", "/tmp"],
            "is a directory",
        ),
    ),
    (
        "cli credentials not JSON",
        Cli(
            ["workspace", "add", "w1", "--credentials-file", "{creds}"],
            "is not JSON",
            {"creds": "company_id=C"},
        ),
    ),
    (
        "cli credentials a JSON list",
        Cli(
            ["workspace", "add", "w1", "--credentials-file", "{creds}"],
            "must hold a JSON object",
            {"creds": "[]"},
        ),
    ),
    (
        "cli credentials lack the password",
        Cli(
            ["workspace", "add", "w1", "--credentials-file", "{creds}"],
            "lacks user_password",
            {"creds": '{"company_id": "C", "user_id": "U"}'},
        ),
    ),
    (
        "cli unknown admin user",
        Cli(
            [
                "workspace",
                "add",
                "w1",
                "--company-id",
                "C",
                "--user-id",
                "U",
                "--password-file",
                "{pw}",
                "--admin",
                "ghost",
            ],
            "no user 'ghost'",
            {"pw": "pw"},
        ),
    ),
    (
        "cli endpoint elsewhere",
        Cli(
            [
                "workspace",
                "add",
                "w1",
                "--company-id",
                "C",
                "--user-id",
                "U",
                "--password-file",
                "{pw}",
                "--endpoint",
                "http://127.0.0.1:9/x",
            ],
            "INTACCT_BRIDGE_ALLOWED_ENDPOINTS",
            {"pw": "pw"},
        ),
    ),
    (
        "cli control char in company ID",
        Cli(
            ["workspace", "add", "w1", "--company-id", "C\x01", "--user-id", "U", "--password-file", "{pw}"],
            "--company-id contains a control character",
            {"pw": "pw"},
        ),
    ),
    (
        "cli unknown family",
        Cli(
            [
                "workspace",
                "add",
                "w1",
                "--company-id",
                "C",
                "--user-id",
                "U",
                "--password-file",
                "{pw}",
                "--families",
                "nope",
            ],
            "unknown families nope",
            {"pw": "pw"},
        ),
    ),
    ("cli member add unknown user", Cli(["member", "add", "acme", "ghost"], "no user 'ghost'")),
    (
        "cli member add unknown workspace",
        Cli(["member", "add", "nowhere", "owner"], "no workspace 'nowhere'"),
    ),
    ("cli token for unknown workspace", Cli(["token", "create", "nowhere"], "no workspace 'nowhere'")),
    (
        "cli createadmin bad email",
        Cli(["createadmin", "--username", "x", "--email", "nope"], "is not an email address"),
    ),
    ("cli test-connection unknown workspace", Cli(["test-connection", "nowhere"], "no workspace 'nowhere'")),
]


@pytest.fixture
def world(owner: User, outsider: User, workspace: Workspace, other_workspace: Workspace) -> dict[str, Client]:
    conn = Connection(workspace=workspace, endpoint=GATEWAY, **CONN)
    conn.set_password("the-secret-pw")
    conn.save()
    clients = {}
    for who, ws, write in (
        ("write", workspace, True),
        ("read", workspace, False),
        ("other", other_workspace, True),
    ):
        _, token = ApiToken.issue(ws, write=write, name=who)
        clients[who] = Client(headers={"Authorization": f"Bearer {token}"})
    session = Client()
    session.force_login(owner)
    clients["session"] = session
    stranger = Client()
    stranger.force_login(outsider)
    clients["outsider"] = stranger
    return clients


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert {type(c) for _, c in CASES} == {Api, Page, Cli}


@pytest.mark.parametrize(("name", "case"), CASES, ids=[n for n, _ in CASES])
def test_bad_input(
    name: str,
    case: Api | Page | Cli,
    world: dict[str, Client],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = counts()
    if isinstance(case, Api):
        _api(case, world)
    elif isinstance(case, Page):
        _page(case, world["session"])
    else:
        _cli(case, tmp_path, capsys)
    assert counts() == before, f"{name}: something was written"


def _api(case: Api, world: dict[str, Client]) -> None:
    client = world[case.who]
    call: Callable[..., Any] = getattr(client, case.method)
    if case.method == "get":
        response = call(case.path)
    else:
        body = case.raw if case.raw is not None else json.dumps(case.body)
        response = call(case.path, data=body, content_type="application/json")
    assert response.status_code == case.status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == case.code
    assert case.says in error["message"], error["message"]


def _page(case: Page, client: Client) -> None:
    if case.method == "get":
        response = client.get(case.path)
    else:
        response = client.post(case.path, case.data)
    assert response.status_code == case.status
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    import html as html_lib

    assert case.says in html_lib.unescape(html), html[:3000]


def _cli(case: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = {}
    for key, text in case.files.items():
        path = tmp_path / key
        path.write_text(text)
        paths[key] = str(path)
    args = [a.format(**paths) if "{" in a else a for a in case.args]
    assert main(args) == 2
    out = capsys.readouterr()
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), out.err
    assert case.says in lines[0], lines[0]
    assert "Traceback" not in out.err + out.out
