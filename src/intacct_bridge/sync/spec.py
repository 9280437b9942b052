"""Declarative family specs: what one family syncs and how, with no sync loop of its own.

A spec names the Intacct object, its two keys (RECORDNO and the business ID), the field map with a
transform for each direction, the direction, the conflict policy, the removal rules, the default
schedule and the import mode. ``engine.py`` runs every spec through the same loop. Django-free: the
local model is named by its label and resolved by the engine.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any


class Direction(StrEnum):
    PULL = "pull"
    PUSH = "push"
    TWO_WAY = "two_way"


class ConflictPolicy(StrEnum):
    INTACCT_WINS = "intacct_wins"
    APP_WINS = "app_wins"
    NEWEST_WINS = "newest_wins"


class ImportMode(StrEnum):
    SELECTED = "selected"  # only records someone imported or linked follow the sync
    ALL = "all"  # every remote record gets a local twin


class RemoteRemoval(StrEnum):
    UNLINK = "unlink"  # the local record stays, marked unlinked; it can be linked again
    DELETE_LOCAL = "delete_local"


class LocalRemoval(StrEnum):
    LEAVE_REMOTE = "leave_remote"  # the Intacct record is untouched and can be imported again
    DELETE_REMOTE = "delete_remote"


class Owner(StrEnum):
    """Who owns a mapped field's value in the app."""

    INTACCT = "intacct"  # Intacct always: every pull takes its value, empty or not
    # the app when Intacct's value is empty: a value entered in the app (a team member's email
    # Intacct does not have) survives pulls until Intacct has one of its own
    APP_WHEN_EMPTY = "app_when_empty"


class Schedule(StrEnum):
    DAILY = "daily"
    HOURLY = "hourly"
    OFF = "off"


# ---- transforms -------------------------------------------------------------------------------


def text_in(value: Any) -> str:
    """Intacct text to the app: None and whitespace-only become empty."""
    return "" if value is None else str(value).strip()


def text_out(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def date_in(value: Any) -> date | None:
    """Intacct ``MM/DD/YYYY`` (or ISO) to a date."""
    text = text_in(value)
    if not text:
        return None
    for fmt in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r}")


def date_out(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = date.fromisoformat(value)
    assert isinstance(value, date)
    return value.strftime("%m/%d/%Y")


CENT = Decimal("0.01")


def money_in(value: Any) -> Decimal:
    """Intacct's decimal text (amounts, hours) to Decimal with two places; empty is zero."""
    return optional_money_in(value) or Decimal("0.00")


def optional_money_in(value: Any) -> Decimal | None:
    """As ``money_in``, but empty stays None (a budget or estimate nobody set)."""
    text = text_in(value).replace(",", "")
    if not text:
        return None
    try:
        return Decimal(text).quantize(CENT)
    except InvalidOperation:
        raise ValueError(f"not an amount: {text!r}") from None


def money_out(value: Any) -> str | None:
    if value in (None, ""):
        return None
    return format(Decimal(str(value)).quantize(CENT), "f")


def bool_in(value: Any) -> bool:
    return text_in(value).lower() in ("true", "t", "1", "yes")


def bool_out(value: Any) -> str:
    return "true" if value else "false"


def active_in(value: Any) -> bool:
    """Intacct STATUS to a flag: only an explicit "inactive" marks a record inactive."""
    return text_in(value).lower() != "inactive"


def active_out(value: Any) -> str:
    return "active" if value else "inactive"


@dataclass(frozen=True)
class FieldMap:
    """One mapped field: the app attribute and the Intacct field (dotted path for owned objects)."""

    app: str
    intacct: str
    to_app: Callable[[Any], Any] = text_in
    to_intacct: Callable[[Any], Any] = text_out
    # False for fields Intacct computes or that the app only reads; pushes leave them out.
    push: bool = True
    # the family a reference field points at ("departments"): the app value is the referenced
    # record's business ID, and the engine stores the linked local record in ``<app>_id``
    reference: str = ""
    # pulls import a referenced record that is not in the app yet (linked), instead of an issue
    import_missing: bool = False
    # who owns the value (``Owner``): Intacct always, or the app while Intacct's value is empty
    owner: Owner = Owner.INTACCT


def get_path(record: Mapping[str, Any], path: str) -> Any:
    """A dotted field from a record, whether the client returned it flat ("A.B": v) or nested."""
    if path in record:
        return record[path]
    node: Any = record
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def set_path(record: dict[str, Any], path: str, value: Any) -> None:
    """Write a dotted field as nested elements, the way Intacct's create/update expect it."""
    parts = path.split(".")
    node = record
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _canonical(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value if isinstance(value, int | float | bool) else str(value)


def hash_values(values: Mapping[str, Any]) -> str:
    """A stable digest of app-side mapped values: equal values, equal hash, whatever the key order."""
    payload = json.dumps({k: _canonical(v) for k, v in values.items()}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LineSpec:
    """The lines of a document family (a bill's, an invoice's, a timesheet's entries).

    Pulled with their header: after each page of changed headers the engine queries the line object
    by ``parent_key IN (page's RECORDNOs)`` (one request per 100 headers) and replaces the local lines
    of those headers. Pushed inside the header's create (``Family.build_create`` gets them).
    """

    intacct_object: str  # "APBILLITEM"
    parent_key: str  # the line field holding its header's RECORDNO: "RECORDKEY"
    model: str  # "bridge_ap.BillLine"; needs ``<parent_attr>`` FK, ``line_no`` and ``recordno`` columns
    parent_attr: str  # "bill": the line model's FK to the header model
    fields: tuple[FieldMap, ...]  # line fields; ``reference`` works as on headers (``<app>_id``)
    order_by: str = "LINE_NO"  # the Intacct field giving the lines' order

    def query_fields(self) -> list[str]:
        wanted = ["RECORDNO", self.parent_key, self.order_by] + [f.intacct for f in self.fields]
        return list(dict.fromkeys(wanted))

    def to_app(self, remote: Mapping[str, Any]) -> dict[str, Any]:
        return {f.app: f.to_app(get_path(remote, f.intacct)) for f in self.fields}


@dataclass(frozen=True)
class FamilySpec:
    family: str  # the name in URLs, the CLI and the API: "clients"
    label: str  # "Clients"
    intacct_object: str  # "CUSTOMER"
    business_id: str  # "CUSTOMERID"
    name_field: str  # the Intacct field shown in pickers and used for match suggestions
    model: str  # "bridge_records.Client"
    fields: tuple[FieldMap, ...]
    direction: Direction = Direction.PULL
    conflict_policy: ConflictPolicy = ConflictPolicy.INTACCT_WINS
    import_mode: ImportMode = ImportMode.SELECTED
    on_remote_removal: RemoteRemoval = RemoteRemoval.UNLINK
    on_local_removal: LocalRemoval = LocalRemoval.LEAVE_REMOTE
    schedule: Schedule = Schedule.DAILY
    # extra Intacct fields read with every record (labels, references resolved by hooks)
    extra_fields: tuple[str, ...] = ()
    # prefix of business IDs the engine gives records it creates in Intacct: f"{prefix}{local id}"
    created_id_prefix: str = "IB"
    # label used in pickers: a callable over the remote record, default the name field
    describe: Callable[[Mapping[str, Any]], str] | None = None
    # lines of a document family, pulled with the header and pushed inside its create
    lines: LineSpec | None = None
    # a legacy function that creates the record ("create_bill"); its parameters come from
    # ``Family.build_create``. Empty: the generic <create> with ``to_intacct`` fields.
    create_function: str = ""
    # the Intacct field that carries the deterministic key of records the engine creates, read back
    # to settle a write whose answer was lost. Empty: the business ID.
    created_key_field: str = ""
    # False: once created in Intacct the record belongs to Intacct (app edits are not pushed; pulls
    # keep updating it), as for bills and payments
    push_updates: bool = True
    # the entity a record belongs to (shown on its page); "" for objects that are not entity-owned
    entity_field: str = "MEGAENTITYID"
    # the creation timestamp read by the pass over never-modified records (WHENMODIFIED empty). On
    # transaction headers (ARINVOICE, APBILL, ARPYMT) WHENCREATED is the document date, so a new
    # invoice dated last month would never be read; their timestamp is AUWHENCREATED
    # (docs/intacct/objects.md §0.9).
    created_field: str = "WHENCREATED"
    notes: str = ""
    extras: Mapping[str, Any] = field(default_factory=dict)

    @property
    def pulls(self) -> bool:
        return self.direction in (Direction.PULL, Direction.TWO_WAY)

    @property
    def pushes(self) -> bool:
        return self.direction in (Direction.PUSH, Direction.TWO_WAY)

    @property
    def app_fields(self) -> list[str]:
        return [f.app for f in self.fields]

    @property
    def app_owned_fields(self) -> list[str]:
        """Fields the app may set even on a pull-only family (kept while Intacct's value is empty)."""
        return [f.app for f in self.fields if f.owner == Owner.APP_WHEN_EMPTY and not f.reference]

    def query_fields(self) -> list[str]:
        wanted = [
            "RECORDNO",
            self.business_id,
            self.name_field,
            "WHENMODIFIED",
            "WHENCREATED",
            self.created_field,
        ]
        wanted += [f.intacct for f in self.fields] + list(self.extra_fields)
        if self.entity_field:
            wanted.append(self.entity_field)
        if self.created_key_field:
            wanted.append(self.created_key_field)
        return list(dict.fromkeys(wanted))

    @property
    def key_field(self) -> str:
        """Where the deterministic key of an engine-created record lives in Intacct."""
        return self.created_key_field or self.business_id

    def to_app(self, remote: Mapping[str, Any]) -> dict[str, Any]:
        """App-side values of the mapped fields from a remote record (may raise ValueError)."""
        return {f.app: f.to_app(get_path(remote, f.intacct)) for f in self.fields}

    def to_intacct(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Nested Intacct fields for a create/update from app-side values (pushable fields only)."""
        out: dict[str, Any] = {}
        for f in self.fields:
            if f.push:
                converted = f.to_intacct(values.get(f.app))
                if converted is not None:
                    set_path(out, f.intacct, converted)
        return out

    def title_of(self, remote: Mapping[str, Any]) -> str:
        if self.describe is not None:
            return self.describe(remote)
        return text_in(get_path(remote, self.name_field))

    def created_business_id(self, local_id: int) -> str:
        """Deterministic business ID of a record the engine creates: a retry reuses it, never a new one."""
        return f"{self.created_id_prefix}{local_id}"
