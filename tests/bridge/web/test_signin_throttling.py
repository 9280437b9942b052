"""Sign-in throttling (django-axes): 5 failures in 15 minutes for a username, or from an address,
and further sign-ins are refused with a clear message, even with the right password, until the
cool-off ends or an admin unlocks. Plus the page headers: Content-Security-Policy everywhere, and
Secure session/CSRF cookies whenever the request is https (behind a trusted proxy too)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from intacct_bridge.cli import main

# the cast's password (tests/bridge/conftest.py)
PASSWORD = "correct horse battery staple"


def _sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client: Client, username: str, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        response = _sign_in(client, username, "wrong password", address)
        # the form again with its error; the failure that reaches the limit already says "locked"
        assert response.status_code in (200, 429)


def _refused(response: Any) -> bool:
    return response.status_code == 429 and "Too many failed sign-ins" in response.content.decode()


def test_five_failures_lock_the_username_even_with_the_right_password(owner: User) -> None:
    client = Client()
    _fail(client, owner.username, 4)
    assert _sign_in(client, owner.username, PASSWORD).status_code == 302  # 4 failures: still fine
    client.logout()
    _fail(client, owner.username, 1)  # the 5th
    response = _sign_in(client, owner.username, PASSWORD)
    assert _refused(response)
    assert "intacct-bridge axes_reset_username" in response.content.decode()
    # from another address too: the username's own counter
    assert _refused(_sign_in(Client(), owner.username, PASSWORD, address="10.9.9.9"))


def test_five_failures_from_one_address_lock_that_address(owner: User, teammate: User) -> None:
    client = Client()
    for name in ("a", "b", "c", "d", "e"):
        _fail(client, name, 1, address="10.0.0.7")
    assert _refused(_sign_in(client, owner.username, PASSWORD, address="10.0.0.7"))
    # the same user from elsewhere is fine: its own username has no failures
    assert _sign_in(Client(), owner.username, PASSWORD, address="10.0.0.8").status_code == 302


def test_the_lock_ends_after_the_cool_off(owner: User) -> None:
    client = Client()
    _fail(client, owner.username, 5)
    assert _refused(_sign_in(client, owner.username, PASSWORD))
    # 15 minutes later (the failures are moved back in time rather than waiting)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _sign_in(client, owner.username, PASSWORD).status_code == 302


def test_an_admin_unlocks_a_username_from_the_command_line(owner: User) -> None:
    client = Client()
    _fail(client, owner.username, 5)
    assert _refused(_sign_in(client, owner.username, PASSWORD))
    # `intacct-bridge axes_reset_username USER` is django-axes' command, passed through
    # (run here with call_command: the CLI closes the database connections when it ends)
    call_command("axes_reset_username", owner.username)
    assert _sign_in(client, owner.username, PASSWORD).status_code == 302


def test_the_unlock_commands_are_reachable_through_intacct_bridge(
    db: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("axes_reset_username", "axes_reset_ip", "axes_list_attempts"):
        assert main(["help", command]) == 0
        assert f"usage: intacct-bridge {command}" in capsys.readouterr().out


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(owner: User, settings: Any) -> None:
    settings.INTACCT_BRIDGE_TRUST_PROXY = True
    client = Client()
    for name in ("a", "b", "c", "d", "e"):
        client.post(
            "/login/",
            {"username": name, "password": "x"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    blocked = client.post(
        "/login/",
        {"username": owner.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert _refused(blocked)
    # another client behind the same proxy is not
    other = Client().post(
        "/login/",
        {"username": owner.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    assert other.status_code == 302


@pytest.mark.parametrize(
    "path", ["/login/", "/w/acme/", "/w/acme/connection/", "/api/v1/workspaces", "/nope/"]
)
def test_every_page_has_a_content_security_policy(
    path: str, client: Client, owner: User, workspace: Any
) -> None:
    client.force_login(owner)
    policy = client.get(path)["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "form-action 'self'" in policy and "connect-src 'self'" in policy
    # scripts: our files and our own nonced inline blocks only
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'nonce-" in script_src


def test_inline_scripts_carry_this_responses_nonce(owner: User, client: Client, workspace: Any) -> None:
    client.force_login(owner)
    first = client.get("/w/acme/clients/")
    second = client.get("/w/acme/clients/")
    nonces = [r["Content-Security-Policy"].split("'nonce-")[1].split("'")[0] for r in (first, second)]
    assert nonces[0] != nonces[1]
    html = first.content.decode()
    assert f'<script nonce="{nonces[0]}">' in html  # the import picker's script
    assert html.count("<script") == html.count(f'nonce="{nonces[0]}"') + html.count('src="/static/')


def test_cookies_are_secure_over_https(client: Client, db: Any) -> None:
    response = client.get("/login/", secure=True)
    assert response.cookies["csrftoken"]["secure"] is True
    response = client.get("/login/", secure=False)
    assert not response.cookies["csrftoken"]["secure"]


def test_session_cookie_is_secure_over_https(owner: User) -> None:
    client = Client()
    client.get("/login/", secure=True)
    response = client.post("/login/", {"username": owner.username, "password": PASSWORD}, secure=True)
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"] is True


def test_behind_a_trusted_proxy_x_forwarded_proto_counts_as_https(db: Any, settings: Any) -> None:
    client = Client()
    # not trusted: a client cannot claim https for itself
    assert not client.get("/login/", HTTP_X_FORWARDED_PROTO="https").cookies["csrftoken"]["secure"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert Client().get("/login/", HTTP_X_FORWARDED_PROTO="https").cookies["csrftoken"]["secure"] is True


def test_a_forged_forwarded_address_falls_back_to_the_peer(owner: User, settings: Any) -> None:
    settings.INTACCT_BRIDGE_TRUST_PROXY = True
    response = Client().post(
        "/login/",
        {"username": owner.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="not-an-address",
    )
    assert response.status_code == 302
