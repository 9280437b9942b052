"""DEPARTMENT (docs/intacct/objects.md §6): DEPARTMENTID + TITLE, PARENTID hierarchy without cycles."""

from __future__ import annotations

from typing import Any

from intacct_sandbox.objects.base import ObjectDef, integer, register, status, text
from intacct_sandbox.objects.writes import WriteContext, name_of
from intacct_sandbox.record_faults import ValidationFailed


def check_hierarchy(wc: WriteContext, obj: str, id_field: str, row: dict[str, Any]) -> None:
    """The parent chain must not lead back to the record itself; sets PARENTKEY."""
    own = row.get(id_field)
    parent_id = row.get("PARENTID")
    row["PARENTKEY"] = None
    seen = {own}
    current = parent_id
    while current not in (None, ""):
        if current in seen:
            raise ValidationFailed(f"{obj.title()} '{own}' cannot be its own parent (PARENTID {parent_id}).")
        seen.add(current)
        parent = wc.find(obj, str(current))
        if parent is None:
            return  # reported by the reference check
        if current == parent_id:
            row["PARENTKEY"] = parent["RECORDNO"]
        current = parent.get("PARENTID")


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    check_hierarchy(wc, "DEPARTMENT", "DEPARTMENTID", row)
    _, row["SUPERVISORNAME"] = name_of(wc, "EMPLOYEE", row.get("SUPERVISORID"), "CONTACT.PRINTAS")


DEPARTMENT = register(
    ObjectDef(
        name="DEPARTMENT",
        extras=("SUPERVISORNAME",),
        label="Department",
        id_field="DEPARTMENTID",
        fields=[
            text("DEPARTMENTID", max_length=20),
            text("TITLE", required=True),
            text("PARENTID", ref=("DEPARTMENT", "DEPARTMENTID")),
            integer("PARENTKEY", readonly=True),
            text("SUPERVISORID", ref=("EMPLOYEE", "EMPLOYEEID")),
            text("CUSTTITLE"),
            status(),
        ],
        before_write=_before_write,
    )
)
