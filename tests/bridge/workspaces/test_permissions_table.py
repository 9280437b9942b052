"""The permissions each family needs, as the checklist and the diagnosis word them."""

from __future__ import annotations

from intacct_bridge.workspaces.permissions import (
    ALL_FAMILIES,
    FAMILIES,
    FAMILY_LABELS,
    need_for_object,
    needs_for,
    sandbox_role,
)


def test_every_family_of_the_design_is_covered() -> None:
    assert set(ALL_FAMILIES) == {
        "clients",
        "departments",
        "people",
        "accounts",
        "vendors",
        "bills",
        "invoices",
        "payments",
        "adjustments",
        "projects",
        "tasks",
        "timesheets",
        "project-invoices",
    }
    assert set(FAMILY_LABELS) == set(FAMILIES)


def test_labels_read_like_the_role_screen() -> None:
    need = need_for_object("customer")
    assert need is not None
    assert need.describe() == "Accounts Receivable > Customers: List, View"
    assert need.describe("L") == "Accounts Receivable > Customers: List"


def test_needs_merge_rights_per_object_across_families() -> None:
    needs = {n.object: n for n in needs_for(["invoices", "project-invoices"])}
    assert needs["ARINVOICE"].rights == "LVA"
    assert list(needs) == sorted(needs, key=lambda o: list(needs).index(o))  # stable, grouped
    apps = [n.application for n in needs_for(ALL_FAMILIES)]
    assert apps == sorted(
        apps,
        key=[
            "Company",
            "General Ledger",
            "Accounts Receivable",
            "Accounts Payable",
            "Projects",
            "Time & Expenses",
        ].index,
    )


def test_the_default_families_need_read_only_rights() -> None:
    assert sandbox_role(["clients", "departments", "people"]) == {
        "CUSTOMER": "LV",
        "DEPARTMENT": "LV",
        "EMPLOYEE": "LV",
        "CONTACT": "LV",
    }


def test_unknown_families_need_nothing() -> None:
    assert needs_for(["nope"]) == []
