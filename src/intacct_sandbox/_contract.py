"""The seam between the gateway (envelope, auth, transactions, serialization) and the functions
(readByQuery, create, create_bill, ...). Functions never see HTTP; the gateway never knows objects.

A function handler is registered by name and called once per ``<function>`` element:

    @function("readByQuery")
    def read_by_query(ctx: CallContext, el: etree._Element) -> FunctionOutcome: ...

It raises ``faults.ResultFault`` subclasses for failures. The gateway wraps every operation in
``ctx.store`` begin/commit/rollback, so a handler simply writes and lets a fault propagate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from lxml import etree

#: A record as functions hand it to the serializer: field name -> text, nested dict, or list of
#: nested dicts (owned collections such as APBILLITEMS/APBILLITEM). None serializes as an empty element.
Record = dict[str, Any]


@dataclass
class FunctionOutcome:
    """What a function produced; the gateway's one serializer writes it.

    ``records`` are (element name, record) pairs written inside ``<data>``; the handler picks the
    element case (lower for readByQuery and write results, upper for read/query). ``data_attrs``
    are written on ``<data>`` in the given order (listtype, count, totalcount, ...). ``key`` is the
    legacy ``<key>`` sibling (create_bill, create_arpayment, ...). ``no_data`` omits ``<data>``
    (delete). ``raw_data`` is a pre-built XML fragment placed inside ``<result>`` instead of
    ``<data>`` (lookup/inspect answers, retrievepdf), written verbatim.
    """

    records: list[tuple[str, Record]] = field(default_factory=list)
    data_attrs: dict[str, str] = field(default_factory=dict)
    key: str | None = None
    no_data: bool = False
    raw_data: bytes | None = None
    #: legacy 2.1 get_list sibling: <listtype start= end= total=>name</listtype>
    legacy_listtype: tuple[str, dict[str, str]] | None = None
    #: the records already rendered as compact XML (``<customer><RECORDNO>1</RECORDNO>…</customer>``),
    #: written verbatim inside ``<data>`` instead of ``records``; only when ``ctx.compact`` is true
    fragments: list[str] | None = None
    #: a failed function's ``<data>`` follows its ``<errormessage>`` (the captured failure of ``query``
    #: on an unknown object, docs/intacct/gl-company-reads.md §3); otherwise data comes first
    data_after_errors: bool = False

    @property
    def record_count(self) -> int:
        return len(self.records) + len(self.fragments or ())


class Store(Protocol):
    """Record storage of one sandbox (all companies). Implemented in ``intacct_sandbox.store``."""

    def begin(self) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class CallContext(Protocol):
    """What a function may know about the call. Implemented by the gateway."""

    company_id: str
    user_id: str
    #: the session's entity (LOCATIONID of an entity) or None at top level
    location_id: str | None
    dtd_version: str
    controlid: str
    store: Any
    #: the sandbox clock, timezone-aware UTC
    now: datetime
    #: the signed-in login's own EMPLOYEEID, if it has one (timesheets of others need API Proxy)
    employee_id: str | None
    #: the answer is compact (includewhitespace=false): read functions may return ``fragments``
    compact: bool

    def require(self, obj: str, permission: str) -> None:
        """Raise the permission fault unless the roles grant ``permission`` (L V A E D) on obj."""

    def check_smart_rules(self, obj: str, event: str, record: Record) -> None:
        """Raise the smart-rule fault if an error rule on (obj, event) matches the record."""

    def timestamp(self, when: datetime | None = None) -> str:
        """``MM/DD/YYYY HH:MM:SS`` of ``when`` (default now) in the Web Services user's timezone."""


Handler = Callable[[CallContext, etree._Element], FunctionOutcome]

_REGISTRY: dict[str, Handler] = {}


def function(*names: str) -> Callable[[Handler], Handler]:
    """Register a handler for one or more function element names."""

    def register(handler: Handler) -> Handler:
        for name in names:
            if name in _REGISTRY:
                raise RuntimeError(f"function {name!r} registered twice")
            _REGISTRY[name] = handler
        return handler

    return register


def handler_for(name: str) -> Handler | None:
    return _REGISTRY.get(name)


def registered_functions() -> list[str]:
    return sorted(_REGISTRY)
