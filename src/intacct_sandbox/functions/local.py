"""An in-process CallContext for unit tests, benchmarks and scripts: call a handler without the gateway.

    ctx = LocalContext(store, "ACME", "wsuser")
    outcome = call(ctx, "<readByQuery><object>CUSTOMER</object><query/></readByQuery>")

Permissions default to everything; ``permissions={"CUSTOMER": "LV"}`` narrows them and a missing one
raises ``PermissionMissing`` (the gateway has the real fault). ``rules`` are (object, event, predicate,
message) smart rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from lxml import etree

from intacct_sandbox._contract import FunctionOutcome, handler_for
from intacct_sandbox.faults import ResultFault


class PermissionMissing(ResultFault):
    """Stand-in for the gateway's permission fault (text as TV18, docs/intacct/protocol.md §13.4)."""

    errorno = "PL04000005"


class SmartRuleRejected(ResultFault):
    errorno = "BL01001973"


class UnknownFunction(ResultFault):
    errorno = "XL03000003"


Rule = tuple[str, str, Callable[[dict[str, Any]], bool], str]


@dataclass
class LocalContext:
    store: Any
    company_id: str = "SANDBOX"
    user_id: str = "wsuser"
    location_id: str | None = None
    dtd_version: str = "3.0"
    controlid: str = "f1"
    now: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    tzinfo: tzinfo = field(default_factory=lambda: timezone(timedelta(hours=-8)))
    permissions: dict[str, str] | None = None
    rules: list[Rule] = field(default_factory=list)
    employee_id: str | None = None
    #: compact answers: readByQuery/readMore/query return pre-rendered ``fragments``
    compact: bool = False

    def require(self, obj: str, permission: str) -> None:
        if self.permissions is None:
            return
        granted = self.permissions.get(obj, "") + self.permissions.get("*", "")
        if permission not in granted:
            raise PermissionMissing(
                f"You do not have permission for API operation {permission} on objects of type {obj.lower()}"
            )

    def check_smart_rules(self, obj: str, event: str, record: dict[str, Any]) -> None:
        for rule_obj, rule_event, predicate, message in self.rules:
            if rule_obj == obj and rule_event == event and predicate(record):
                raise SmartRuleRejected(message)

    def timestamp(self, when: datetime | None = None) -> str:
        return (when or self.now).astimezone(self.tzinfo).strftime("%m/%d/%Y %H:%M:%S")


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True)


def call(ctx: Any, xml: str | bytes, *, transaction: bool = True) -> FunctionOutcome:
    """Parse one function element and run its handler inside a store transaction (rolled back on a
    fault, like the gateway does)."""
    el = etree.fromstring(xml.encode() if isinstance(xml, str) else xml, _PARSER)
    handler = handler_for(str(el.tag))
    if handler is None:
        raise UnknownFunction(f"{el.tag} is not implemented in the sandbox")
    if not transaction:
        return handler(ctx, el)
    ctx.store.begin()
    try:
        outcome = handler(ctx, el)
    except BaseException:
        ctx.store.rollback()
        raise
    ctx.store.commit()
    return outcome
