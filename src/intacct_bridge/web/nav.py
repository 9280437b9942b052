"""Links the family apps add to the workspace navigation, shown when the workspace has the family on.

An app registers its links in ``AppConfig.ready()``; base.html renders them after the core links.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str  # reversed with the workspace slug as its only argument
    families: tuple[str, ...]  # shown when any of these is enabled; () = always
    order: int = 100


_ITEMS: dict[str, NavItem] = {}


def register(label: str, url_name: str, families: tuple[str, ...] = (), order: int = 100) -> None:
    _ITEMS[url_name] = NavItem(label, url_name, families, order)


def items_for(slug: str, families: list[str]) -> list[tuple[str, str]]:
    """(label, href) of the links this workspace shows."""
    enabled = set(families)
    return [
        (item.label, reverse(item.url_name, args=[slug]))
        for item in sorted(_ITEMS.values(), key=lambda i: (i.order, i.label))
        if not item.families or enabled & set(item.families)
    ]
