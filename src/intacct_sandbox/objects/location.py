"""LOCATION (docs/intacct/objects.md §7). Entities of a multi-entity company are LOCATION records with
ENTITY true; they are shared by every session (never entity-owned)."""

from __future__ import annotations

from typing import Any

from intacct_sandbox.objects.base import ObjectDef, boolean, date_, integer, register, status, text
from intacct_sandbox.objects.department import check_hierarchy
from intacct_sandbox.objects.writes import WriteContext


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    check_hierarchy(wc, "LOCATION", "LOCATIONID", row)


LOCATION = register(
    ObjectDef(
        name="LOCATION",
        label="Location",
        id_field="LOCATIONID",
        entity_owned=False,
        fields=[
            text("LOCATIONID", max_length=20),
            text("NAME", required=True),
            text("PARENTID", ref=("LOCATION", "LOCATIONID")),
            integer("PARENTKEY", readonly=True),
            text("SUPERVISORID"),
            text("CONTACTINFO.CONTACTNAME"),
            text("SHIPTO.CONTACTNAME"),
            date_("STARTDATE"),
            date_("ENDDATE"),
            text("CUSTTITLE"),
            text("REPORTPRINTAS"),
            text("CURRENCY"),
            boolean("ENTITY", default=False),
            status(),
        ],
        before_write=_before_write,
    )
)
