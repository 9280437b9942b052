"""CONTACT: the shared person/address record (docs/intacct/objects.md §3). Key CONTACTNAME."""

from __future__ import annotations

from typing import Any

from intacct_sandbox.objects.base import ObjectDef, boolean, mailaddress, register, status, text
from intacct_sandbox.objects.writes import WriteContext, audit

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


def sync_display_contact(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    """A customer's or vendor's DISPLAYCONTACT is a CONTACT record of its own (created inline,
    docs/intacct/payables-receivables.md §9): writing the block writes that contact."""
    name = row.get("DISPLAYCONTACT.CONTACTNAME")
    if name in (None, ""):
        return
    values = {
        f.name: row.get(f"DISPLAYCONTACT.{f.name}")
        for f in CONTACT.fields
        if f"DISPLAYCONTACT.{f.name}" in row and f.name != "CONTACTNAME"
    }
    if old is not None and all(old.get(f"DISPLAYCONTACT.{k}") == v for k, v in values.items()):
        existing = wc.store.get_by_id(wc.company_id, "CONTACT", str(name))
        if existing is not None or old.get("DISPLAYCONTACT.CONTACTNAME") == name:
            return  # nothing in the block changed
    existing = wc.store.get_by_id(wc.company_id, "CONTACT", str(name))
    if existing is not None:
        changed = {k: v for k, v in values.items() if existing.get(k) != v}
        if changed:
            updated = {**existing, **changed, "WHENMODIFIED": wc.now, "MODIFIEDBY": wc.user_recordno()}
            wc.store.replace(wc.company_id, "CONTACT", existing["RECORDNO"], updated)
            _after_write(wc, updated, existing)
            audit(wc, CONTACT, existing["RECORDNO"], "M")
        return
    fresh = {f.name: f.default for f in CONTACT.fields if f.name != "RECORDNO"}
    fresh.update(values)
    fresh.update(
        {
            "CONTACTNAME": name,
            "PRINTAS": values.get("PRINTAS") or name,
            "WHENCREATED": wc.now,
            "WHENMODIFIED": None,
            "CREATEDBY": wc.user_recordno(),
            "MODIFIEDBY": None,
            "MEGAENTITYID": row.get("MEGAENTITYID"),
            "MEGAENTITYKEY": row.get("MEGAENTITYKEY"),
            "MEGAENTITYNAME": row.get("MEGAENTITYNAME"),
        }
    )
    recordno = wc.store.insert(wc.company_id, "CONTACT", fresh)
    audit(wc, CONTACT, recordno, "C")
