"""Fixtures of the webhooks tests: a loopback receiver, the operator's private-address switch on
(as the tests and the demo run), Huey inline, and a clock the sender reads that tests move forward."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from webhooks_support import Clock, Receiver

from intacct_bridge.webhooks import sender


@pytest.fixture(autouse=True)
def _webhook_setup(settings: Any, immediate_huey: Any) -> None:
    settings.INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(sender, "now", c)
    return c


@pytest.fixture
def subscribe(api_client: Callable[..., Any], receiver: Receiver) -> Callable[..., dict[str, Any]]:
    """subscribe(workspace, events=["*"]) -> the API's answer; the receiver gets the secret."""

    def make(workspace: Any, events: list[str] | None = None) -> dict[str, Any]:
        client = api_client(workspace, write=True)
        r = client.post(
            f"/api/v1/workspaces/{workspace.slug}/webhooks",
            {"url": receiver.url, "events": events or ["*"]},
            content_type="application/json",
        )
        assert r.status_code == 201, r.content
        receiver.secret = r.json()["secret"]
        return dict(r.json())

    return make
