"""The core families on the sync engine: clients, departments, team members, the chart of accounts
and vendors, registered when the app is ready (``RecordsConfig.ready``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from intacct_bridge.records.countries import is_known_country
from intacct_bridge.records.models import Account, Client, Department, Person, Vendor
from intacct_bridge.sync.family import Family, Problems
from intacct_bridge.sync.registry import register
from intacct_bridge.sync.spec import (
    ConflictPolicy,
    Direction,
    FamilySpec,
    FieldMap,
    ImportMode,
    Owner,
    active_in,
    active_out,
    date_in,
    date_out,
    get_path,
    text_in,
)

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


class Clients(Family[Client]):
    def validate(self, values: Mapping[str, Any]) -> Problems:
        return _name_and_country("customer")(values)

    def local_title(self, local: Client) -> str:
        return str(local.name)


CLIENTS = register(
    Clients(
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
        search_fields=("name",),
    )
)


# ---- departments ↔ DEPARTMENT -----------------------------------------------------------------


def _validate_department(values: Mapping[str, Any]) -> Problems:
    return [] if values.get("name") else [("IB-REQUIRED", "The department has no title (TITLE is required).")]


class Departments(Family[Department]):
    def validate(self, values: Mapping[str, Any]) -> Problems:
        return _validate_department(values)

    def local_title(self, local: Department) -> str:
        return str(local.name)


DEPARTMENTS = register(
    Departments(
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


class People(Family[Person]):
    def validate(self, values: Mapping[str, Any]) -> Problems:
        return _validate_person(values)

    def local_title(self, local: Person) -> str:
        return local.full_name

    def import_skip(self, options: Mapping[str, Any]) -> tuple[str, ...]:
        # the import chooses whether team members get their Intacct departments
        return () if options.get("assign_department", True) else ("department",)

    def on_create(self, local: Person, options: Mapping[str, Any]) -> None:
        profile = options.get("profile")
        if profile:
            local.profile = profile

    def derive(self, local: Person) -> None:
        local.refresh_invite_state()  # an email added or removed in Intacct: invitable or not


PEOPLE = register(
    People(
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
                # the app's email stays while Intacct's contact has none (added to invite them)
                FieldMap("email", "CONTACT.EMAIL1", push=False, owner=Owner.APP_WHEN_EMPTY),
                FieldMap("title", "TITLE"),
                FieldMap("start_date", "STARTDATE", to_app=date_in, to_intacct=date_out),
                FieldMap("department", "DEPARTMENTID", reference="departments"),
            ),
            extra_fields=("STATUS",),
            describe=_employee_title,
            notes="One-way Intacct → app; the department follows once imported (when chosen at import).",
        ),
        search_fields=("first_name", "last_name", "email"),
        import_options=("profile", "assign_department"),
        derived_fields=("invite_state",),
    )
)


# ---- accounts ← GLACCOUNT (read-only chart) ---------------------------------------------------


def _validate_account(values: Mapping[str, Any]) -> Problems:
    problems: Problems = []
    if not values.get("number"):
        problems.append(("IB-REQUIRED", "The GL account has no number (ACCOUNTNO is required)."))
    if not values.get("title"):
        problems.append(("IB-REQUIRED", "The GL account has no title (TITLE is required)."))
    return problems


def _account_title(remote: Mapping[str, Any]) -> str:
    return f"{text_in(get_path(remote, 'ACCOUNTNO'))} {text_in(get_path(remote, 'TITLE'))}".strip()


class Accounts(Family[Account]):
    def validate(self, values: Mapping[str, Any]) -> Problems:
        return _validate_account(values)


ACCOUNTS = register(
    Accounts(
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
        search_fields=("number", "title", "category"),
        read_only=True,
    )
)


# ---- vendors ↔ VENDOR (+ its display contact) -------------------------------------------------

_VENDOR_CONTACT = "DISPLAYCONTACT"
_VENDOR_ADDRESS = f"{_VENDOR_CONTACT}.MAILADDRESS"


class Vendors(Family[Vendor]):
    def validate(self, values: Mapping[str, Any]) -> Problems:
        return _name_and_country("vendor")(values)

    def local_title(self, local: Vendor) -> str:
        return str(local.name)


VENDORS = register(
    Vendors(
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
        search_fields=("name", "contact_name", "email"),
    )
)
