"""Which URLs may receive webhooks: the operator's rule, checked where a subscription is saved and
again before every delivery (a host name that resolved to a public address when the subscription was
made may resolve to 127.0.0.1 later — DNS rebinding — so each attempt resolves it afresh and sends to
the very address it checked).

https only, and never to a private, loopback, link-local, multicast, reserved or unspecified address,
unless the operator sets ``INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE=1`` (development, the demo, tests):
then plain http and private addresses are allowed too.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

from django.conf import settings

from intacct_bridge.workspaces import endpoints

SETTING = "INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE"
CODE = "webhook_url_not_allowed"


class NotAllowed(Exception):
    """The URL may not receive webhooks; the message says why and names the setting."""


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str
    port: int
    # the address checked, the one to connect to
    address: str


def allow_private() -> bool:
    return bool(getattr(settings, SETTING, False))


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise NotAllowed(f"webhook URL host {host!r} does not resolve ({exc})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check(url: str) -> Target:
    """The URL's target with its checked address, or ``NotAllowed``."""
    parts = endpoints.parse(url)
    if parts is None:
        raise NotAllowed(f"webhook URL {url!r} is not a plain absolute https URL")
    private_ok = allow_private()
    if parts.scheme != "https" and not private_ok:
        raise NotAllowed(
            f"webhook URL {url!r} is not https: only https URLs receive webhooks unless the operator "
            f"sets {SETTING}=1"
        )
    host = parts.host.strip("[]")
    addresses = _resolve(host, parts.port)
    if not addresses:
        raise NotAllowed(f"webhook URL host {host!r} does not resolve")
    if not private_ok:
        # every address: a name resolving to one public and one private address is refused
        blocked = [a for a in addresses if not _public(a)]
        if blocked:
            raise NotAllowed(
                f"webhook URL {url!r} resolves to {blocked[0]}, a private, loopback or link-local "
                f"address; the operator allows those only with {SETTING}=1"
            )
    return Target(url, parts.scheme, host, parts.port, addresses[0])


def refusal(url: str) -> str | None:
    try:
        check(url)
    except NotAllowed as exc:
        return str(exc)
    return None
