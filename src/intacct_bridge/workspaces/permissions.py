"""What each sync family needs from the Intacct role: objects, rights, and the labels of Intacct's
role screen (Company > Admin > Roles > Subscriptions > <application> > Permissions), which the setup
checklist lists and Test connection names ("Accounts Receivable > Customers: List").

Application and row names follow docs/intacct/setup.md §2 and docs/intacct/integrations.md §1 (the Sage PSA
minimum-permission table); rights are List, View, Add, Edit, Delete. Test connection probes the List right of
each object (a one-record query); the other rights are only checked when a sync writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

RIGHTS = {"L": "List", "V": "View", "A": "Add", "E": "Edit", "D": "Delete"}


@dataclass(frozen=True)
class ObjectNeed:
    object: str  # the API object, e.g. CUSTOMER
    application: str  # the role screen's application, e.g. "Accounts Receivable"
    row: str  # the row on that screen, e.g. "Customers"
    rights: str  # letters in RIGHTS order, e.g. "LV"

    @property
    def label(self) -> str:
        """``Accounts Receivable > Customers``"""
        return f"{self.application} > {self.row}"

    @property
    def rights_words(self) -> list[str]:
        return [RIGHTS[letter] for letter in self.rights]

    def describe(self, rights: str | None = None) -> str:
        """``Accounts Receivable > Customers: List, View``"""
        return f"{self.label}: {', '.join(RIGHTS[x] for x in (rights or self.rights))}"


def _need(obj: str, application: str, row: str, rights: str) -> ObjectNeed:
    return ObjectNeed(obj, application, row, rights)


CUSTOMERS_READ = _need("CUSTOMER", "Accounts Receivable", "Customers", "LV")
DEPARTMENTS_READ = _need("DEPARTMENT", "Company", "Departments", "LV")
EMPLOYEES_READ = _need("EMPLOYEE", "Company", "Employees", "LV")
CONTACTS_READ = _need("CONTACT", "Company", "Contacts", "LV")
LOCATIONS_READ = _need("LOCATION", "Company", "Locations", "LV")
ACCOUNTS_READ = _need("GLACCOUNT", "General Ledger", "Accounts", "LV")
VENDORS_WRITE = _need("VENDOR", "Accounts Payable", "Vendors", "LVAE")
BILLS_WRITE = _need("APBILL", "Accounts Payable", "Bills", "LVAE")
INVOICES_READ = _need("ARINVOICE", "Accounts Receivable", "Invoices", "LV")
INVOICES_WRITE = _need("ARINVOICE", "Accounts Receivable", "Invoices", "LVA")
PAYMENTS_WRITE = _need("ARPYMT", "Accounts Receivable", "Receive payments", "LVA")
ADJUSTMENTS_WRITE = _need("ARADJUSTMENT", "Accounts Receivable", "Adjustments", "LVA")
PROJECTS_WRITE = _need("PROJECT", "Projects", "Projects", "LVAED")
TASKS_WRITE = _need("TASK", "Projects", "Tasks", "LVAED")
TIMESHEETS_WRITE = _need("TIMESHEET", "Time & Expenses", "Timesheets", "LVAED")

#: family -> what its sync needs, in the order the checklist lists them
FAMILIES: dict[str, tuple[ObjectNeed, ...]] = {
    "clients": (CUSTOMERS_READ,),
    "departments": (DEPARTMENTS_READ,),
    "people": (EMPLOYEES_READ, CONTACTS_READ, DEPARTMENTS_READ),
    "accounts": (ACCOUNTS_READ,),
    "vendors": (VENDORS_WRITE,),
    "bills": (BILLS_WRITE, VENDORS_WRITE, ACCOUNTS_READ),
    "invoices": (INVOICES_READ, CUSTOMERS_READ),
    "payments": (PAYMENTS_WRITE, INVOICES_READ, ACCOUNTS_READ),
    "adjustments": (ADJUSTMENTS_WRITE, CUSTOMERS_READ, ACCOUNTS_READ),
    "projects": (PROJECTS_WRITE, CUSTOMERS_READ),
    "tasks": (TASKS_WRITE, PROJECTS_WRITE),
    "timesheets": (TIMESHEETS_WRITE, EMPLOYEES_READ, PROJECTS_WRITE, TASKS_WRITE),
    "project-invoices": (INVOICES_WRITE, CUSTOMERS_READ, ACCOUNTS_READ, LOCATIONS_READ),
}

FAMILY_LABELS: dict[str, str] = {
    "clients": "Clients",
    "departments": "Departments",
    "people": "Team members",
    "accounts": "Chart of accounts",
    "vendors": "Vendors",
    "bills": "Bills",
    "invoices": "Invoices",
    "payments": "Payments",
    "adjustments": "AR adjustments",
    "projects": "Projects",
    "tasks": "Tasks",
    "timesheets": "Timesheets",
    "project-invoices": "Project invoices",
}

ALL_FAMILIES = tuple(FAMILIES)


def needs_for(families: Iterable[str]) -> list[ObjectNeed]:
    """One need per object for these families, with the union of their rights, grouped by application."""
    merged: dict[str, ObjectNeed] = {}
    for family in families:
        for need in FAMILIES.get(family, ()):
            seen = merged.get(need.object)
            if seen is None:
                merged[need.object] = need
            else:
                letters = "".join(x for x in RIGHTS if x in seen.rights or x in need.rights)
                merged[need.object] = ObjectNeed(seen.object, seen.application, seen.row, letters)
    order = [
        "Company",
        "General Ledger",
        "Accounts Receivable",
        "Accounts Payable",
        "Projects",
        "Time & Expenses",
    ]
    return sorted(merged.values(), key=lambda n: (order.index(n.application), n.row))


def by_application(needs: Iterable[ObjectNeed]) -> dict[str, list[ObjectNeed]]:
    grouped: dict[str, list[ObjectNeed]] = {}
    for need in needs:
        grouped.setdefault(need.application, []).append(need)
    return grouped


def need_for_object(obj: str) -> ObjectNeed | None:
    """The checklist row of an API object (the first family that names it)."""
    obj = obj.upper()
    for needs in FAMILIES.values():
        for need in needs:
            if need.object == obj:
                return need
    return None


def sandbox_role(families: Iterable[str]) -> dict[str, str]:
    """The role a sandbox company needs for these families, in the sandbox's ``create_role`` format."""
    return {need.object: need.rights for need in needs_for(families)}
