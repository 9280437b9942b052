"""CONTACT: the shared person/address record (docs/intacct/objects.md §3). Key CONTACTNAME."""

from __future__ import annotations

from typing import Any

from intacct_sandbox.objects.base import ObjectDef, boolean, mailaddress, register, status, text
from intacct_sandbox.objects.writes import WriteContext

_NAMES = (
    "COMPANYNAME",
    "TAXID",
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


def _after_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    if old is not None:
        # employees show their contact's name and email: keep their copies current
        from intacct_sandbox.objects.employee import refresh_contact_copies

        refresh_contact_copies(wc, row)


CONTACT = register(
    ObjectDef(
        name="CONTACT",
        label="Contact",
        id_field="CONTACTNAME",
        fields=[
            text("CONTACTNAME"),
            text("PRINTAS", required=True),
            *(text(n) for n in _NAMES),
            boolean("TAXABLE", default=True),
            status(),
            *mailaddress(""),
        ],
        after_write=_after_write,
    )
)
