"""Response hardening for every page: a Content-Security-Policy, and Secure session/CSRF cookies
whenever the request came over https (directly, or through a proxy the operator trusts:
``INTACCT_BRIDGE_TRUST_PROXY``, see docs/configuration.md).

The policy keeps everything on this origin: scripts, styles, images, fetches, form targets; no
plugins, no framing, no ``<base>`` rewrite. Scripts run only from /static/ or from an inline
``<script nonce="{{ csp_nonce }}">`` block of our own templates (a fresh nonce per response), so
markup injected into a page cannot run script; inline event handlers (``onclick=``) do not run
either (confirmations are ``data-confirm`` attributes, handled by app.js). Inline styles stay
allowed: they cannot run code.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Callable
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse

#: ``{nonce}`` is replaced by the response's nonce
DEFAULT_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


def policy(nonce: str) -> str:
    return str(getattr(settings, "CONTENT_SECURITY_POLICY", "") or DEFAULT_POLICY).replace("{nonce}", nonce)


def nonce(request: HttpRequest) -> str:
    """This response's script nonce (templates: ``{{ csp_nonce }}``)."""
    value = getattr(request, "csp_nonce", None)
    if not value:
        value = secrets.token_urlsafe(16)
        request.csp_nonce = value  # type: ignore[attr-defined]
    return str(value)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy(nonce(request))
        response.setdefault("Referrer-Policy", "same-origin")
        if request.is_secure():
            # over https the cookies must never travel in clear, whatever SESSION_COOKIE_SECURE says
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
                if name in response.cookies:
                    response.cookies[name]["secure"] = True
        return response


def client_ip(request: HttpRequest) -> str | None:
    """The address sign-in throttling counts against: the peer, or behind a trusted proxy the
    address that proxy saw (the last X-Forwarded-For entry: the one the proxy itself appended).
    None when there is no valid address (an in-process sign-in): axes stores the address in an
    IP-address column, which PostgreSQL checks."""
    candidates = []
    if getattr(settings, "INTACCT_BRIDGE_TRUST_PROXY", False):
        candidates.append(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip())
    candidates.append(str(request.META.get("REMOTE_ADDR", "") or ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


class SignInThrottle(AxesStandaloneBackend):  # type: ignore[misc]
    """django-axes' lockout check for web sign-ins. An authentication without a request (the CLI,
    a shell) has no address and is not a web sign-in: it is left to the next backend."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
