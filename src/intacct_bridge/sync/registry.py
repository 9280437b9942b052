"""The registered families, in registration order, and the order a run syncs them in.

Family[Any] apps register their families when their app is ready (``<app>/families.py`` imported by
``AppConfig.ready()``). A run syncs a family after the families it depends on (``Family.depends_on``:
those its reference fields point at, and its explicit ``after``), otherwise in registration order;
the engine never names a family.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from intacct_bridge.sync.family import Family

_REGISTRY: dict[str, Family[Any]] = {}


def register(family: Family[Any]) -> Family[Any]:
    _REGISTRY[family.name] = family
    return family


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def get_family(name: str) -> Family[Any]:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"unknown family {name!r}; known: {', '.join(sorted(_REGISTRY))}") from None


def all_families() -> list[Family[Any]]:
    return list(_REGISTRY.values())


def run_order(families: Iterable[Family[Any]]) -> list[Family[Any]]:
    """These families, each after the ones it depends on (when they are among them), otherwise in
    the order given. A cycle of dependencies is broken where it closes (registration order wins)."""
    chosen = {f.name: f for f in families}
    ordered: list[Family[Any]] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def place(fam: Family[Any]) -> None:
        if fam.name in placed or fam.name in visiting:
            return
        visiting.add(fam.name)
        needs = fam.depends_on()
        for name in [n for n in chosen if n in needs]:
            place(chosen[name])
        visiting.discard(fam.name)
        placed.add(fam.name)
        ordered.append(fam)

    for fam in chosen.values():
        place(fam)
    return ordered
