"""Every URL the service answers, taken from the URL resolver, with sample values filled in: the
security tests iterate these, so a route added later is covered without touching the tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")
SAMPLES = {
    "int": "1",
    "slug": "acme",
    "path": "x",
    "str": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


@dataclass(frozen=True)
class Route:
    pattern: str  # the joined pattern, e.g. "w/<slug:slug>/connection/"
    name: str | None

    def url(self, slug: str = "acme") -> str:
        def fill(m: re.Match[str]) -> str:
            name = m.group("name") or m.group("rname")
            if name == "slug":
                return slug
            return SAMPLES.get(m.group("conv") or "str", "x") if not name.endswith("id") else "1"

        path = PARAM.sub(fill, self.pattern).replace("^", "").replace("$", "").replace("\\", "")
        return "/" + path

    @property
    def has_slug(self) -> bool:
        return any((m.group("name") or m.group("rname")) == "slug" for m in PARAM.finditer(self.pattern))

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/")


def _walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield Route(prefix + str(p.pattern), p.name)


def all_routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns, ""):
        seen.setdefault(route.pattern, route)
    return list(seen.values())


#: answered without sign-in on purpose: the sign-in page itself, sign-out, and our own static files
PUBLIC = {"login/", "logout/", "metrics", "healthz", "readyz"}  # the last three: ops, for the proxy


def is_public(route: Route) -> bool:
    return route.pattern in PUBLIC or route.name == "static"
