"""Subscriptions through the API: create (secret shown once), list, read, change, delete, rotate, and
every refusal — a bad or private URL, an unknown event kind, a read-only token, another workspace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from intacct_bridge.webhooks.models import Subscription
from intacct_bridge.workspaces.models import Workspace

pytestmark = pytest.mark.django_db


def _url(ws: Workspace, rest: str = "") -> str:
    return f"/api/v1/workspaces/{ws.slug}/webhooks{rest}"


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_create_list_get_patch_delete(workspace: Workspace, api_client: Callable[..., Client]) -> None:
    writer = api_client(workspace, write=True)
    r = _post(writer, _url(workspace), {"url": "http://127.0.0.1:9/hook", "events": ["bill.created"]})
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    assert created["events"] == ["bill.created"] and created["enabled"] is True
    sub = Subscription.objects.get(pk=created["id"])
    assert created["secret"] not in sub.encrypted_secret  # stored encrypted
    assert sub.secret == created["secret"]

    reader = api_client(workspace)
    listed = reader.get(_url(workspace)).json()
    assert [s["id"] for s in listed] == [created["id"]]
    assert "secret" not in listed[0]
    one = reader.get(_url(workspace, f"/{created['id']}")).json()
    assert one["url"] == "http://127.0.0.1:9/hook" and "secret" not in one

    r = writer.patch(
        _url(workspace, f"/{created['id']}"),
        {"events": ["*"], "enabled": False},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["events"] == ["*"] and r.json()["enabled"] is False
    assert r.json()["url"] == "http://127.0.0.1:9/hook"  # omitted: unchanged

    rotated = _post(writer, _url(workspace, f"/{created['id']}/rotate-secret"), {}).json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != created["secret"]
    assert Subscription.objects.get(pk=created["id"]).secret == rotated["secret"]

    assert writer.delete(_url(workspace, f"/{created['id']}")).status_code == 204
    assert not Subscription.objects.filter(pk=created["id"]).exists()
    assert reader.get(_url(workspace, f"/{created['id']}")).status_code == 404


def test_event_kinds_are_listed(workspace: Workspace, api_client: Callable[..., Client]) -> None:
    kinds = api_client(workspace).get(_url(workspace, "/events")).json()["kinds"]
    for kind in (
        "bill.created",
        "bill.state_changed",
        "invoice.state_changed",
        "project.updated",
        "timesheet.approved",
    ):
        assert kind in kinds


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("ftp://example.com/hook", "not a plain absolute https URL"),
        ("https://user@example.com/hook", "not a plain absolute https URL"),
        ("not a url", "not a plain absolute https URL"),
    ],
)
def test_bad_urls_are_refused(
    workspace: Workspace, api_client: Callable[..., Client], url: str, fragment: str
) -> None:
    r = _post(api_client(workspace, write=True), _url(workspace), {"url": url, "events": ["*"]})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "webhook_url_not_allowed"
    assert fragment in r.json()["error"]["message"]
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost:8443/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://0.0.0.0/hook",
    ],
)
def test_private_addresses_need_the_operator_setting(
    settings: Any, workspace: Workspace, api_client: Callable[..., Client], url: str
) -> None:
    settings.INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE = False
    r = _post(api_client(workspace, write=True), _url(workspace), {"url": url, "events": ["*"]})
    assert r.status_code == 422, r.content
    error = r.json()["error"]
    assert error["code"] == "webhook_url_not_allowed"
    assert "INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE=1" in error["message"]
    assert not Subscription.objects.exists()


def test_plain_http_needs_the_operator_setting(
    settings: Any, workspace: Workspace, api_client: Callable[..., Client]
) -> None:
    settings.INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE = False
    r = _post(
        api_client(workspace, write=True), _url(workspace), {"url": "http://93.184.216.34/h", "events": ["*"]}
    )
    assert r.status_code == 422
    assert "not https" in r.json()["error"]["message"]


def test_a_public_https_address_is_accepted_without_the_setting(
    settings: Any, workspace: Workspace, api_client: Callable[..., Client]
) -> None:
    # an IP literal: no DNS needed (nothing is sent at subscription time)
    settings.INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE = False
    r = _post(
        api_client(workspace, write=True),
        _url(workspace),
        {"url": "https://93.184.216.34/h", "events": ["*"]},
    )
    assert r.status_code == 201, r.content


def test_patch_checks_the_url_too(
    settings: Any, workspace: Workspace, api_client: Callable[..., Client]
) -> None:
    writer = api_client(workspace, write=True)
    sub = _post(writer, _url(workspace), {"url": "https://93.184.216.34/h", "events": ["*"]}).json()
    settings.INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE = False
    r = writer.patch(
        _url(workspace, f"/{sub['id']}"), {"url": "https://127.0.0.1/h"}, content_type="application/json"
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "webhook_url_not_allowed"
    assert Subscription.objects.get(pk=sub["id"]).url == "https://93.184.216.34/h"


def test_unknown_event_kind_is_refused(workspace: Workspace, api_client: Callable[..., Client]) -> None:
    r = _post(
        api_client(workspace, write=True),
        _url(workspace),
        {"url": "http://127.0.0.1:9/h", "events": ["bill.created", "bill.exploded"]},
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid"
    assert "unknown event kind 'bill.exploded'" in r.json()["error"]["message"]
    r = _post(
        api_client(workspace, write=True), _url(workspace), {"url": "http://127.0.0.1:9/h", "events": []}
    )
    assert r.status_code == 422
    assert not Subscription.objects.exists()


def test_read_only_token_lists_but_cannot_change(
    workspace: Workspace, api_client: Callable[..., Client]
) -> None:
    sub = _post(
        api_client(workspace, write=True), _url(workspace), {"url": "http://127.0.0.1:9/h", "events": ["*"]}
    ).json()
    reader = api_client(workspace)
    assert reader.get(_url(workspace)).status_code == 200
    assert reader.get(_url(workspace, f"/{sub['id']}/deliveries")).status_code == 200
    assert _post(reader, _url(workspace), {"url": "http://127.0.0.1:9/x", "events": ["*"]}).status_code == 403
    assert (
        reader.patch(
            _url(workspace, f"/{sub['id']}"), {"enabled": False}, content_type="application/json"
        ).status_code
        == 403
    )
    assert reader.delete(_url(workspace, f"/{sub['id']}")).status_code == 403
    assert _post(reader, _url(workspace, f"/{sub['id']}/rotate-secret"), {}).status_code == 403
    assert Subscription.objects.get(pk=sub["id"]).enabled


def test_a_collaborator_session_cannot_change(
    workspace: Workspace, teammate: Any, signed_in: Callable[..., Client]
) -> None:
    client = signed_in(teammate)
    r = client.post(
        _url(workspace), {"url": "http://127.0.0.1:9/x", "events": ["*"]}, content_type="application/json"
    )
    assert r.status_code == 403
    assert client.get(_url(workspace)).status_code == 200


def test_another_workspaces_token_gets_404(
    workspace: Workspace, other_workspace: Workspace, api_client: Callable[..., Client]
) -> None:
    sub = _post(
        api_client(workspace, write=True), _url(workspace), {"url": "http://127.0.0.1:9/h", "events": ["*"]}
    ).json()
    stranger = api_client(other_workspace, write=True)
    assert stranger.get(_url(workspace)).status_code == 404
    assert stranger.get(_url(workspace, f"/{sub['id']}")).status_code == 404
    assert stranger.delete(_url(workspace, f"/{sub['id']}")).status_code == 404
    # its own workspace's URL with this subscription's id: not found either
    assert stranger.get(_url(other_workspace, f"/{sub['id']}")).status_code == 404
    assert stranger.delete(_url(other_workspace, f"/{sub['id']}")).status_code == 404
    assert Subscription.objects.filter(pk=sub["id"]).exists()


def test_operations_have_typed_schemas(
    workspace: Workspace, owner: Any, signed_in: Callable[..., Client]
) -> None:
    doc = signed_in(owner).get("/api/v1/openapi.json").json()
    ops = [
        (path, method, op)
        for path, item in doc["paths"].items()
        if "/webhooks" in path
        for method, op in item.items()
    ]
    assert len(ops) >= 9
    for path, method, op in ops:
        ok = [code for code in op["responses"] if code.startswith("2")]
        assert ok, (path, method)
        for code in ok:
            if code != "204":
                assert "content" in op["responses"][code], (path, method, code)
        if method in ("post", "patch") and not path.endswith(("rotate-secret", "redeliver")):
            assert "requestBody" in op, (path, method)


def test_unknown_fields_are_refused(workspace: Workspace, api_client: Callable[..., Client]) -> None:
    writer = api_client(workspace, write=True)
    r = _post(writer, _url(workspace), {"url": "http://127.0.0.1:9/h", "events": ["*"], "evnts": ["x"]})
    assert r.status_code == 422 and "evnts" in r.json()["error"]["message"]
    sub = _post(writer, _url(workspace), {"url": "http://127.0.0.1:9/h", "events": ["*"]}).json()
    r = writer.patch(_url(workspace, f"/{sub['id']}"), {"enable": False}, content_type="application/json")
    assert r.status_code == 422 and "enable" in r.json()["error"]["message"]
    assert Subscription.objects.get(pk=sub["id"]).enabled
