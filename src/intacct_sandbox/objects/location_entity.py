"""LOCATIONENTITY: the entities of a multi-entity company as their own object (sageintacctsdk's
LocationEntities reads it; field list as it reads them). Each is the LOCATION record with ENTITY true,
under the same RECORDNO; the sandbox keeps the copy in step on every LOCATION write and when entities
are created (docs/intacct/gl-company-reads.md §2)."""

from __future__ import annotations

from typing import Any

from intacct_sandbox.objects.base import ObjectDef, boolean, date_, register, status, text
from intacct_sandbox.objects.location import LOCATION
from intacct_sandbox.objects.writes import WriteContext

COPIED = ("LOCATIONID", "NAME", "REPORTPRINTAS", "SUPERVISORID", "STARTDATE", "ENDDATE", "STATUS", "CURRENCY")

LOCATIONENTITY = register(
    ObjectDef(
        name="LOCATIONENTITY",
        label="Entity",
        id_field="LOCATIONID",
        entity_owned=False,
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        extras=("RECORD_URL",),
        fields=[
            text("LOCATIONID", readonly=True),
            text("NAME", readonly=True),
            text("REPORTPRINTAS", readonly=True),
            text("SUPERVISORID", readonly=True),
            text("FIRSTMONTH", readonly=True, default="January"),
            text("FIRSTMONTHTAX", readonly=True, default="January"),
            text("WEEKSTART", readonly=True, default="Sunday"),
            text("FEDERALID", readonly=True),
            date_("STARTDATE", readonly=True),
            date_("ENDDATE", readonly=True),
            status(readonly=True),
            boolean("HAS_IE_RELATION", readonly=True, default=False),
            text("CUSTOMERID", readonly=True),
            text("CUSTOMERNAME", readonly=True),
            text("VENDORID", readonly=True),
            text("VENDORNAME", readonly=True),
            text("CURRENCY", readonly=True),
            text("TAXID", readonly=True),
            boolean("ENABLELEGALCONTACT", readonly=True, default=False),
            text("LEGALNAME", readonly=True),
            text("LEGALADDRESS1", readonly=True),
            text("LEGALADDRESS2", readonly=True),
            text("LEGALCITY", readonly=True),
            text("LEGALSTATE", readonly=True),
            text("LEGALZIPCODE", readonly=True),
            text("LEGALCOUNTRY", readonly=True),
            text("OPCOUNTRY", readonly=True, default="United States"),
            text("ADDRESSCOUNTRYDEFAULT", readonly=True, default="United States"),
        ],
    )
)


def sync_entities(store: Any, company_id: str) -> None:
    """Make LOCATIONENTITY mirror the company's entity LOCATION records."""
    locations = store.rows(company_id, "LOCATION")
    mirrored = store.rows(company_id, "LOCATIONENTITY")
    for recordno in [n for n, row in mirrored.items() if not (locations.get(n) or {}).get("ENTITY")]:
        store.delete(company_id, "LOCATIONENTITY", recordno)
    for recordno, location in list(locations.items()):
        if not location.get("ENTITY"):
            continue
        current = store.get(company_id, "LOCATIONENTITY", recordno)
        values = {name: location.get(name) for name in COPIED}
        values.update(
            {
                "LEGALNAME": location.get("NAME"),
                "WHENCREATED": location.get("WHENCREATED"),
                "WHENMODIFIED": location.get("WHENMODIFIED"),
                "CREATEDBY": location.get("CREATEDBY"),
                "MODIFIEDBY": location.get("MODIFIEDBY"),
            }
        )
        if current is None:
            row = {f.name: f.default for f in LOCATIONENTITY.fields if f.name != "RECORDNO"}
            row.update(values)
            store.insert(company_id, "LOCATIONENTITY", row, recordno=recordno)
        elif any(current.get(k) != v for k, v in values.items()):
            store.replace(company_id, "LOCATIONENTITY", recordno, {**current, **values})


def _after_location_change(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None = None) -> None:
    sync_entities(wc.store, wc.company_id)


if LOCATION.after_write is None:
    LOCATION.after_write = _after_location_change
if LOCATION.after_delete is None:
    LOCATION.after_delete = _after_location_change
