"""Building real clients against the sandbox: in-process (httpx.WSGITransport) or over loopback."""

from __future__ import annotations

from typing import Any

import httpx

import intacct

FAST_RETRY = {"max_retries": 3, "base_delay": 0.01, "max_delay": 0.05, "max_total": 10.0}


def credentials(handle: Any, **overrides: Any) -> intacct.Credentials:
    c = {**handle.credentials, **overrides}
    return intacct.Credentials(
        sender_id=c["sender_id"],
        sender_password=c["sender_password"],
        company_id=c["company_id"],
        user_id=c["user_id"],
        user_password=c["user_password"],
        entity_id=c.get("entity_id"),
    )


def make_client(
    handle: Any, mode: str = "wsgi", *, retry: dict[str, float] | None = None, **kw: Any
) -> intacct.Client:
    creds = kw.pop("credentials", None) or credentials(handle)
    if mode == "wsgi":
        kw.setdefault("http", httpx.Client(transport=httpx.WSGITransport(app=handle.sandbox.wsgi_app)))
    kw.setdefault("retry", intacct.RetryPolicy(**{**FAST_RETRY, **(retry or {})}))
    return intacct.Client(creds, endpoint=handle.endpoint, **kw)
