"""The event kinds a subscription may ask for: every installed app's ``events.EVENTS`` (each family
app lists the kinds it records in its own ``events.py``), found without naming the apps."""

from __future__ import annotations

from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

ALL = "*"


@cache
def kinds() -> tuple[str, ...]:
    found: list[str] = []
    for config in apps.get_app_configs():
        name = f"{config.name}.events"
        if not config.name.startswith("intacct_bridge.") or find_spec(name) is None:
            continue
        found.extend(str(kind) for kind in getattr(import_module(name), "EVENTS", ()))
    return tuple(sorted(set(found)))


def unknown(requested: list[str]) -> list[str]:
    known = set(kinds())
    return [kind for kind in requested if kind != ALL and kind not in known]
