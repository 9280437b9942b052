"""The registered families: a spec (what syncs) plus the few Django-side hooks it needs.

Adding a family = a spec here + its model + its pages; the loop in ``engine.py`` stays the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

from intacct_bridge.records.countries import is_known_country
from intacct_bridge.sync.spec import (
    ConflictPolicy,
    Direction,
    FamilySpec,
    FieldMap,
    ImportMode,
    date_in,
    date_out,
    get_path,
    text_in,
)

#: (code, text) problems of one record; codes are remedy catalogue errornos (IB-...)
Problems = list[tuple[str, str]]


@dataclass(frozen=True)
class CreateContext:
    """What ``Family.build_create`` gets to build a create function's parameters."""

    workspace: Any  # the Workspace
    local: Any  # the local record (a Django model instance)
    values: Mapping[str, Any]  # app-side mapped values; references as the referenced business IDs
    lines: list[dict[str, Any]]  # app-side values of each local line, in line_no order, references resolved
    key: str  # the deterministic key: put it in ``spec.key_field``'s parameter


@dataclass(frozen=True)
class Family:
    spec: FamilySpec
    # problems with a record's mapped values that stop it from syncing (recorded as issues)
    validate: Callable[[Mapping[str, Any]], Problems] = lambda values: []
    # app-only fields a new local record gets at import, from the import's options
    on_create: Callable[[models.Model, Mapping[str, Any]], None] = lambda local, options: None
    # label of a local record in lists and suggestions
    local_title: Callable[[Any], str] = str
    # app fields searched when suggesting matches for a remote record's title
    search_fields: tuple[str, ...] = ()
    # options an import accepts (documented in the API schema)
    import_options: tuple[str, ...] = ()
    # Intacct owns these records: the app shows them but offers no create/edit/delete/link/unlink
    read_only: bool = False
    # push side: only records ready to go are pushed (a bill marked ready to pay, an approved timesheet)
    ready_to_push: Callable[[Any], bool] = lambda local: True
    # checks before anything is sent (needs the database: an inactive account, an overpayment);
    # problems are recorded as issues on the record and it is not sent
    check_push: Callable[[Any, Any], Problems] = lambda engine, local: []
    # parameters of ``spec.create_function`` for one record (required when the spec names one)
    build_create: Callable[[CreateContext], Mapping[str, Any]] | None = None
    # the deterministic key of a record the engine creates (default: spec.created_business_id(pk));
    # a project keeps its own PROJECTID
    created_key: Callable[[Any], str] | None = None
    # part of a create's controlid besides the local id: a record created again after its Intacct twin
    # was deleted needs a new controlid, as Intacct never runs one twice (a re-approved timesheet)
    create_attempt: Callable[[Any], str] | None = None
    # called with the local records a push batch created or updated in Intacct, after they were linked
    after_push: Callable[[Any, list[Any]], None] = lambda engine, locals_: None
    # a direction chosen per workspace (a workspace setting); None: the spec's direction
    direction_for: Callable[[Any], Direction] | None = None
    # True in workspaces where the app keeps what it sent (timesheets the app exports): pulls of a
    # linked record take only Intacct's own fields (push=False), and of its lines only deletions
    # (a line deleted in Intacct is deleted here; Intacct's edits and added lines do not flow back)
    keep_app_values: Callable[[Any], bool] = lambda workspace: False
    # import-all families: which new remote records a pull imports (Active projects with a
    # qualifying end date; tasks of linked projects); linked records always follow
    imports: Callable[[Any, Mapping[str, Any]], bool] = lambda engine, record: True
    # whether a remote record carrying a queued local record's created key is that record's own
    # create whose answer was lost (projects: same name too, as a typed project ID may be another's)
    adopts: Callable[[Any, Mapping[str, Any]], bool] = lambda local, record: True
    # called with the local records a pull created and those it changed from Intacct's values, in
    # the pull's transaction (projects record them as events for webhooks)
    after_pull: Callable[[Any, list[Any], list[Any]], None] = lambda engine, created, updated: None
    # called with the local lines a pull is about to delete because Intacct no longer has them
    # (in the pull's transaction): a time entry deleted in Intacct is an event
    lines_removed: Callable[[Any, list[Any]], None] = lambda engine, lines: None
    # app words for pages: "bill" / "bill" (local noun / Intacct noun)
    noun: str = ""
    remote_noun: str = ""
    extras: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.spec.family

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.spec.model)

    def direction(self, workspace: Any) -> Direction:
        return self.direction_for(workspace) if self.direction_for is not None else self.spec.direction

    def pulls_for(self, workspace: Any) -> bool:
        return self.direction(workspace) in (Direction.PULL, Direction.TWO_WAY)

    def pushes_for(self, workspace: Any) -> bool:
        return self.direction(workspace) in (Direction.PUSH, Direction.TWO_WAY)


_REGISTRY: dict[str, Family] = {}


def register(family: Family) -> Family:
    _REGISTRY[family.name] = family
    return family


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def get_family(name: str) -> Family:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"unknown family {name!r}; known: {', '.join(sorted(_REGISTRY))}") from None


def all_families() -> list[Family]:
    return list(_REGISTRY.values())


# ---- clients ↔ CUSTOMER -----------------------------------------------------------------------

_ADDRESS = "DISPLAYCONTACT.MAILADDRESS"


def _name_and_country(noun: str) -> Callable[[Mapping[str, Any]], Problems]:
    """The checks customers and vendors share: a name, and an address country we know."""

    def validate(values: Mapping[str, Any]) -> Problems:
        problems: Problems = []
        if not values.get("name"):
            problems.append(("IB-REQUIRED", f"The {noun} has no name (NAME is required)."))
        country = values.get("country") or ""
        if not is_known_country(country):
            problems.append(("IB-COUNTRY", f"Unknown country {country!r} on the {noun}'s address."))
        return problems

    return validate


CLIENTS = register(
    Family(
        spec=FamilySpec(
            family="clients",
            label="Clients",
            intacct_object="CUSTOMER",
            business_id="CUSTOMERID",
            name_field="NAME",
            model="bridge_records.Client",
            fields=(
                FieldMap("name", "NAME"),
                FieldMap("street", f"{_ADDRESS}.ADDRESS1"),
                FieldMap("zip", f"{_ADDRESS}.ZIP"),
                FieldMap("city", f"{_ADDRESS}.CITY"),
                FieldMap("country", f"{_ADDRESS}.COUNTRY"),
            ),
            extra_fields=("STATUS",),
            notes="One-way Intacct → app; mapped fields are overwritten by every sync.",
        ),
        validate=_name_and_country("customer"),
        local_title=lambda c: c.name,
        search_fields=("name",),
    )
)


# ---- departments ↔ DEPARTMENT -----------------------------------------------------------------


def _validate_department(values: Mapping[str, Any]) -> Problems:
    return [] if values.get("name") else [("IB-REQUIRED", "The department has no title (TITLE is required).")]


DEPARTMENTS = register(
    Family(
        spec=FamilySpec(
            family="departments",
            label="Departments",
            intacct_object="DEPARTMENT",
            business_id="DEPARTMENTID",
            name_field="TITLE",
            model="bridge_records.Department",
            fields=(
                FieldMap("name", "TITLE"),
                FieldMap("parent", "PARENTID", reference="departments"),
            ),
            extra_fields=("STATUS",),
            notes="One-way Intacct → app; the hierarchy follows PARENTID once the parent is imported.",
        ),
        validate=_validate_department,
        local_title=lambda d: d.name,
        search_fields=("name",),
    )
)


# ---- people ↔ EMPLOYEE (+ its contact) --------------------------------------------------------


def _employee_title(remote: Mapping[str, Any]) -> str:
    first = text_in(get_path(remote, "CONTACT.FIRSTNAME"))
    last = text_in(get_path(remote, "CONTACT.LASTNAME"))
    name = f"{first} {last}".strip()
    return name or text_in(get_path(remote, "CONTACT.CONTACTNAME")) or text_in(get_path(remote, "EMPLOYEEID"))


def _validate_person(values: Mapping[str, Any]) -> Problems:
    if values.get("first_name") or values.get("last_name"):
        return []
    return [("IB-REQUIRED", "The employee's contact has neither a first nor a last name.")]


def _person_created(local: models.Model, options: Mapping[str, Any]) -> None:
    profile = options.get("profile")
    if profile:
        local.profile = profile  # type: ignore[attr-defined]


PEOPLE = register(
    Family(
        spec=FamilySpec(
            family="people",
            label="Team members",
            intacct_object="EMPLOYEE",
            business_id="EMPLOYEEID",
            name_field="CONTACT.CONTACTNAME",
            model="bridge_records.Person",
            fields=(
                FieldMap("first_name", "CONTACT.FIRSTNAME", push=False),
                FieldMap("last_name", "CONTACT.LASTNAME", push=False),
                FieldMap("email", "CONTACT.EMAIL1", push=False),
                FieldMap("title", "TITLE"),
                FieldMap("start_date", "STARTDATE", to_app=date_in, to_intacct=date_out),
                FieldMap("department", "DEPARTMENTID", reference="departments"),
            ),
            extra_fields=("STATUS",),
            describe=_employee_title,
            notes="One-way Intacct → app; the department follows once imported (when chosen at import).",
        ),
        validate=_validate_person,
        on_create=_person_created,
        local_title=lambda p: p.full_name,
        search_fields=("first_name", "last_name", "email"),
        import_options=("profile", "assign_department"),
    )
)


# ---- accounts ← GLACCOUNT (read-only chart) ---------------------------------------------------


def active_in(value: Any) -> bool:
    """Intacct STATUS to a flag: only an explicit "inactive" marks a record inactive."""
    return text_in(value).lower() != "inactive"


def active_out(value: Any) -> str:
    return "active" if value else "inactive"


def _validate_account(values: Mapping[str, Any]) -> Problems:
    problems: Problems = []
    if not values.get("number"):
        problems.append(("IB-REQUIRED", "The GL account has no number (ACCOUNTNO is required)."))
    if not values.get("title"):
        problems.append(("IB-REQUIRED", "The GL account has no title (TITLE is required)."))
    return problems


def _account_title(remote: Mapping[str, Any]) -> str:
    return f"{text_in(get_path(remote, 'ACCOUNTNO'))} {text_in(get_path(remote, 'TITLE'))}".strip()


ACCOUNTS = register(
    Family(
        spec=FamilySpec(
            family="accounts",
            label="Chart of accounts",
            intacct_object="GLACCOUNT",
            business_id="ACCOUNTNO",
            name_field="TITLE",
            model="bridge_records.Account",
            fields=(
                FieldMap("number", "ACCOUNTNO", push=False),
                FieldMap("title", "TITLE", push=False),
                FieldMap("account_type", "ACCOUNTTYPE", push=False),
                FieldMap("normal_balance", "NORMALBALANCE", push=False),
                FieldMap("closing_type", "CLOSINGTYPE", push=False),
                FieldMap("category", "CATEGORY", push=False),
                FieldMap("active", "STATUS", to_app=active_in, to_intacct=active_out, push=False),
            ),
            import_mode=ImportMode.ALL,
            entity_field="",  # the chart is shared by all entities
            describe=_account_title,
            notes="One-way Intacct → app, read-only (kept in Intacct); inactive accounts stay, marked.",
        ),
        validate=_validate_account,
        local_title=str,
        search_fields=("number", "title", "category"),
        read_only=True,
    )
)


# ---- vendors ↔ VENDOR (+ its display contact) -------------------------------------------------

_VENDOR_CONTACT = "DISPLAYCONTACT"
_VENDOR_ADDRESS = f"{_VENDOR_CONTACT}.MAILADDRESS"


VENDORS = register(
    Family(
        spec=FamilySpec(
            family="vendors",
            label="Vendors",
            intacct_object="VENDOR",
            business_id="VENDORID",
            name_field="NAME",
            model="bridge_records.Vendor",
            fields=(
                FieldMap("name", "NAME"),
                FieldMap("print_as", f"{_VENDOR_CONTACT}.PRINTAS"),
                # CONTACTNAME keys the contact record in Intacct: renaming it from here could
                # collide with another contact, so it is read only (Intacct names new ones)
                FieldMap("contact_name", f"{_VENDOR_CONTACT}.CONTACTNAME", push=False),
                FieldMap("email", f"{_VENDOR_CONTACT}.EMAIL1"),
                FieldMap("phone", f"{_VENDOR_CONTACT}.PHONE1"),
                FieldMap("street", f"{_VENDOR_ADDRESS}.ADDRESS1"),
                FieldMap("city", f"{_VENDOR_ADDRESS}.CITY"),
                FieldMap("state", f"{_VENDOR_ADDRESS}.STATE"),
                FieldMap("zip", f"{_VENDOR_ADDRESS}.ZIP"),
                FieldMap("country", f"{_VENDOR_ADDRESS}.COUNTRY"),
                FieldMap("active", "STATUS", to_app=active_in, to_intacct=active_out),
            ),
            direction=Direction.TWO_WAY,
            conflict_policy=ConflictPolicy.NEWEST_WINS,
            import_mode=ImportMode.ALL,
            created_id_prefix="IBV",
            notes="Two-way: all vendors imported; app vendors created as IBV<id>; newest edit wins.",
        ),
        validate=_name_and_country("vendor"),
        local_title=lambda v: v.name,
        search_fields=("name", "contact_name", "email"),
    )
)
