"""AUDITHISTORY (docs/intacct/objects.md §18): one C/M/D event per create/update/delete of an audited object,
with time and user. Read-only; reading it needs its own permission (the caller's role on AUDITHISTORY)."""

from __future__ import annotations

from intacct_sandbox.objects.base import ObjectDef, datetime_, enum, register, text

AUDITHISTORY = register(
    ObjectDef(
        name="AUDITHISTORY",
        label="Audit History",
        entity_owned=False,
        audited=False,
        stamps=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=[
            text("ID"),
            text("OBJECTTYPE"),
            text("OBJECTKEY"),
            enum("ACCESSMODE", {"C": "C", "M": "M", "D": "D"}),
            datetime_("ACCESSTIME"),
            text("USERID"),
            text("SOURCE"),
            text("WORKFLOWACTION"),
        ],
    )
)
