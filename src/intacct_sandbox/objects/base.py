"""Schema building blocks: fields with wire types, object definitions and the object registry.

Records are stored flat (dotted names) as Python values: str, int, Decimal, date, datetime (UTC),
bool, or None for empty. Enum fields store the display value (``active``) and know the database
character used inside readByQuery strings (``T``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intacct_sandbox.objects.writes import WriteContext

TEXT = "text"
INTEGER = "integer"
DECIMAL = "decimal"
DATE = "date"
DATETIME = "datetime"
BOOLEAN = "boolean"
ENUM = "enum"

#: lookup/inspect DATATYPE names per field type
DATATYPES = {
    TEXT: "TEXT",
    INTEGER: "INTEGER",
    DECIMAL: "DECIMAL",
    DATE: "DATE",
    DATETIME: "TIMESTAMP",
    BOOLEAN: "BOOLEAN",
    ENUM: "ENUM",
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str = TEXT
    required: bool = False
    readonly: bool = False
    #: enum display values -> database characters used in readByQuery strings
    choices: dict[str, str] = field(default_factory=dict)
    default: Any = None
    #: (OBJECT, business-ID field) that a non-empty value must name (checked on writes)
    ref: tuple[str, str] | None = None
    label: str = ""
    max_length: int | None = None


def text(name: str, **kw: Any) -> Field:
    return Field(name, TEXT, **kw)


def integer(name: str, **kw: Any) -> Field:
    return Field(name, INTEGER, **kw)


def decimal(name: str, **kw: Any) -> Field:
    return Field(name, DECIMAL, **kw)


def date_(name: str, **kw: Any) -> Field:
    return Field(name, DATE, **kw)


def datetime_(name: str, **kw: Any) -> Field:
    return Field(name, DATETIME, **kw)


def boolean(name: str, **kw: Any) -> Field:
    return Field(name, BOOLEAN, **kw)


def enum(name: str, choices: dict[str, str], **kw: Any) -> Field:
    return Field(name, ENUM, choices=choices, **kw)


STATUS_CHOICES = {"active": "T", "inactive": "F"}


def status(**kw: Any) -> Field:
    return enum("STATUS", STATUS_CHOICES, default="active", **kw)


def audit_fields(transaction: bool = False) -> list[Field]:
    """WHENCREATED/WHENMODIFIED/CREATEDBY/MODIFIEDBY (transaction headers: AUWHENCREATED is the stamp)."""
    stamps = [
        datetime_("WHENMODIFIED", readonly=True),
        integer("CREATEDBY", readonly=True),
        integer("MODIFIEDBY", readonly=True),
    ]
    if transaction:
        return [datetime_("AUWHENCREATED", readonly=True), *stamps]
    return [datetime_("WHENCREATED", readonly=True), *stamps]


def entity_fields() -> list[Field]:
    return [
        integer("MEGAENTITYKEY", readonly=True),
        text("MEGAENTITYID", readonly=True),
        text("MEGAENTITYNAME", readonly=True),
    ]


#: COUNTRYCODE is what the PHP SDK writes, ISOCOUNTRYCODE what the customer docs name (A.1): both kept
ADDRESS_PARTS = (
    "ADDRESS1",
    "ADDRESS2",
    "ADDRESS3",
    "CITY",
    "STATE",
    "ZIP",
    "COUNTRY",
    "COUNTRYCODE",
    "ISOCOUNTRYCODE",
)


def mailaddress(prefix: str) -> list[Field]:
    where = f"{prefix}.MAILADDRESS" if prefix else "MAILADDRESS"
    return [text(f"{where}.{n}") for n in ADDRESS_PARTS]


def contact_block(prefix: str) -> list[Field]:
    """The DISPLAYCONTACT-style contact sub-record (CUSTOMER, VENDOR)."""
    names = (
        "CONTACTNAME",
        "PRINTAS",
        "COMPANYNAME",
        "TAXGROUP",
        "PREFIX",
        "FIRSTNAME",
        "LASTNAME",
        "INITIAL",
        "PHONE1",
        "PHONE2",
        "CELLPHONE",
        "PAGER",
        "FAX",
        "EMAIL1",
        "EMAIL2",
        "URL1",
        "URL2",
    )
    return [
        *(text(f"{prefix}.{n}") for n in names),
        boolean(f"{prefix}.TAXABLE", default=True),
        *mailaddress(prefix),
    ]


RESTRICTIONS = {"Unrestricted": "Unrestricted", "RootOnly": "RootOnly", "Restricted": "Restricted"}


def restriction_fields() -> list[Field]:
    """Multi-entity record restriction (docs/intacct/objects.md §0.8); lists are joined with #~#."""
    return [
        enum("OBJECTRESTRICTION", RESTRICTIONS, default="Unrestricted"),
        text("RESTRICTEDLOCATIONS"),
        text("RESTRICTEDDEPARTMENTS"),
    ]


@dataclass(frozen=True)
class Lines:
    """An owned line collection: <APBILLITEMS><APBILLITEM>… stored as rows of ``line_object``."""

    collection: str
    element: str
    line_object: str
    min_lines: int = 1


Hook = Callable[["WriteContext", dict[str, Any], "dict[str, Any] | None"], None]


@dataclass
class ObjectDef:
    name: str
    label: str
    fields: list[Field]
    id_field: str | None = None
    lines: Lines | None = None
    #: a line object's link to its header RECORDNO
    parent_field: str | None = None
    #: the business ID defaults to the RECORDNO when omitted (TASKID); otherwise it is required
    auto_id: bool = False
    #: WHENCREATED/WHENMODIFIED/CREATEDBY/MODIFIEDBY maintained (not on AUDITHISTORY itself)
    stamps: bool = True
    #: RECORDNO counter shared with other objects (AR documents share one key space, so a key given to
    #: apply_arpayment names one record whatever its type)
    sequence: str | None = None
    #: further read-only columns real reads return (sageintacctsdk's field lists name them); empty
    #: unless a hook computes them
    extras: tuple[str, ...] = ()
    creatable: bool = True
    updatable: bool = True
    deletable: bool = True
    audited: bool = True
    #: entity-owned records carry MEGAENTITYID; entity sessions see only their own and shared ones
    entity_owned: bool = True
    #: transaction headers: WHENCREATED is the transaction date, AUWHENCREATED the stamp
    transaction: bool = False
    #: called after parsing/defaults/required checks, before the record is stored
    before_write: Hook | None = None
    #: called after a header and its lines are stored
    after_write: Hook | None = None
    before_delete: Callable[[WriteContext, dict[str, Any]], None] | None = None
    after_delete: Callable[[WriteContext, dict[str, Any]], None] | None = None
    by_name: dict[str, Field] = field(init=False)
    #: "DISPLAYCONTACT.", "DISPLAYCONTACT.MAILADDRESS.", ...: the nested blocks of the schema
    nested_prefixes: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        base = [integer("RECORDNO", readonly=True)]
        extra = audit_fields(self.transaction) if self.stamps else []
        if self.entity_owned:
            extra += entity_fields()
        seen = {f.name for f in self.fields}
        extra += [text(name, readonly=True) for name in self.extras if name not in seen]
        self.fields = [*base, *self.fields, *(f for f in extra if f.name not in seen)]
        self.by_name = {f.name: f for f in self.fields}
        self.nested_prefixes = frozenset(
            ".".join(f.name.split(".")[:depth]) + "."
            for f in self.fields
            for depth in range(1, f.name.count(".") + 1)
        )

    def with_custom(self, names: list[str]) -> ObjectDef:
        """This schema plus a company's custom fields (text), for reads and queries."""
        if not names:
            return self
        clone = copy.copy(self)
        extra = [text(n) for n in names if n not in self.by_name]
        clone.fields = [*self.fields, *extra]
        clone.by_name = {**self.by_name, **{f.name: f for f in extra}}
        return clone

    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def lower(self) -> str:
        return self.name.lower()


_OBJECTS: dict[str, ObjectDef] = {}


def register(obj: ObjectDef) -> ObjectDef:
    if obj.name in _OBJECTS:
        raise RuntimeError(f"object {obj.name} registered twice")
    _OBJECTS[obj.name] = obj
    return obj


def get_object(name: str) -> ObjectDef | None:
    return _OBJECTS.get(name.upper())


def all_objects() -> Iterable[ObjectDef]:
    return _OBJECTS.values()


def layout() -> dict[str, tuple[str | None, str | None]]:
    """object -> (business-ID field, parent field), for the store's indexes."""
    return {o.name: (o.id_field, o.parent_field) for o in _OBJECTS.values()}


def sequences() -> dict[str, str]:
    """object -> shared RECORDNO counter name, for objects that share one."""
    return {o.name: o.sequence for o in _OBJECTS.values() if o.sequence}
