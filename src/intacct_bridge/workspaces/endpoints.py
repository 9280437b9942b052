"""Which URLs may receive a workspace's Intacct credentials: the operator's decision, not a workspace's.

``INTACCT_BRIDGE_ALLOWED_ENDPOINTS`` is a comma-separated list of

- exact URLs (``https://api.intacct.com/ia/xml/xmlgw.phtml``, or ``http://127.0.0.1:8001/ia/xml/xmlgw.phtml``
  for a sandbox: a scheme other than https is allowed only through such an exact entry), and
- https host patterns (``https://*.intacct.com/``): any https URL on the default port whose host is a
  subdomain of the pattern's, under the pattern's path.

Every request the service sends to Intacct carries the instance's sender password and the
workspace's user password (or a session), so the check is applied where an endpoint is saved (API,
form, CLI: :func:`refusal`), where a client is built (``connection.client_for``) and, through the
client's ``allowed_endpoints``, to the endpoint a ``getAPISession`` answer points at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SETTING = "INTACCT_BRIDGE_ALLOWED_ENDPOINTS"
DEFAULT = "https://api.intacct.com/ia/xml/xmlgw.phtml,https://*.intacct.com/"
# the error code the API answers and the pause step a disallowed saved endpoint gets
CODE = "endpoint_not_allowed"

# A host name or an IP literal; anything else (userinfo, percent-escapes, backslashes, spaces) is
# where URL parsers disagree, and a disagreement is how an allowlist gets bypassed.
_HOST = re.compile(r"^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$")
_DEFAULT_PORTS = {"https": 443, "http": 80}


@dataclass(frozen=True)
class Url:
    scheme: str
    host: str
    port: int
    path: str


def parse(url: str) -> Url | None:
    """The URL's parts, normalized, or None if it is not a plain absolute http(s) URL."""
    if not isinstance(url, str) or not url or len(url) > 500:
        return None
    if any(c in url for c in "\\@ \t#") or any(ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host or parts.username is not None or parts.fragment:
        return None
    if not _HOST.match(host if ":" not in host else f"[{host}]"):
        return None
    return Url(scheme, host, port or _DEFAULT_PORTS[scheme], parts.path or "/")


@dataclass(frozen=True)
class Rule:
    text: str
    url: Url
    # "*.example.com" patterns: any subdomain of ``url.host``
    wildcard: bool

    def allows(self, target: Url) -> bool:
        if self.wildcard:
            return (
                target.scheme == "https"
                and target.port == self.url.port
                and target.host.endswith("." + self.url.host)
                and target.path.startswith(self.url.path)
            )
        return target == self.url


def _rule(entry: str) -> Rule:
    wildcard = "://*." in entry
    url = parse(entry.replace("://*.", "://", 1) if wildcard else entry)
    if url is None:
        raise ImproperlyConfigured(f"{SETTING}: {entry!r} is not an http(s) URL or https://*.host/ pattern")
    if wildcard and url.scheme != "https":
        raise ImproperlyConfigured(
            f"{SETTING}: {entry!r}: host patterns are https only; list a plain-http URL exactly"
        )
    if wildcard and url.host.count(".") < 1:
        raise ImproperlyConfigured(f"{SETTING}: {entry!r}: a pattern needs a domain such as *.example.com")
    return Rule(entry, url, wildcard)


def rules() -> list[Rule]:
    raw = str(getattr(settings, SETTING, "") or DEFAULT)
    return [_rule(entry.strip()) for entry in raw.split(",") if entry.strip()]


def is_allowed(url: str) -> bool:
    """Whether ``url`` may receive the credentials (used as the client's ``allowed_endpoints``)."""
    target = parse(url)
    if target is None or urlsplit(url).query:
        return False
    return any(rule.allows(target) for rule in rules())


def refusal(url: str) -> str | None:
    """The sentence refusing ``url``, or None if it is allowed."""
    if is_allowed(url):
        return None
    return (
        f"endpoint {url!r} is not allowed on this instance: the operator lists the endpoints "
        f"Intacct credentials may be sent to in {SETTING}"
    )


def allow_for_this_process(url: str) -> None:
    """Add ``url`` to this process's allowlist (``intacct-bridge run``: its own sandbox)."""
    current = str(getattr(settings, SETTING, "") or DEFAULT)
    if not is_allowed(url):
        setattr(settings, SETTING, f"{current},{url}")
