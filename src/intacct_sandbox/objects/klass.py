"""CLASS: the simplest dimension; the vectors of docs/intacct/protocol.md §13 (TV08, TV11, TV21) use it."""

from __future__ import annotations

from typing import Any

from intacct_sandbox.objects.base import ObjectDef, integer, register, status, text
from intacct_sandbox.objects.department import check_hierarchy
from intacct_sandbox.objects.writes import WriteContext


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    check_hierarchy(wc, "CLASS", "CLASSID", row)


CLASS = register(
    ObjectDef(
        name="CLASS",
        extras=("RECORD_URL",),
        label="Class",
        id_field="CLASSID",
        fields=[
            text("CLASSID", max_length=20),
            text("NAME", required=True),
            text("DESCRIPTION"),
            status(),
            text("PARENTID", ref=("CLASS", "CLASSID")),
            integer("PARENTKEY", readonly=True),
        ],
        before_write=_before_write,
    )
)
