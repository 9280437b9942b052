"""EMPLOYEE (docs/intacct/objects.md §4). PERSONALINFO.CONTACTNAME names an existing CONTACT; the contact's
name and email are read back through CONTACT.* (kept as copies, refreshed when the contact changes)."""

from __future__ import annotations

from typing import Any

from intacct_sandbox.objects.base import ObjectDef, date_, enum, register, status, text
from intacct_sandbox.objects.writes import WriteContext, touch

_COPIED = (
    "CONTACTNAME",
    "PRINTAS",
    "PREFIX",
    "FIRSTNAME",
    "INITIAL",
    "LASTNAME",
    "COMPANYNAME",
    "EMAIL1",
    "EMAIL2",
    "PHONE1",
    "PHONE2",
    "CELLPHONE",
    "PAGER",
    "FAX",
    "URL1",
    "URL2",
    "MAILADDRESS.ADDRESS1",
    "MAILADDRESS.ADDRESS2",
    "MAILADDRESS.CITY",
    "MAILADDRESS.STATE",
    "MAILADDRESS.ZIP",
    "MAILADDRESS.COUNTRY",
    "MAILADDRESS.COUNTRYCODE",
)


def _copy_contact(row: dict[str, Any], contact: dict[str, Any] | None) -> None:
    for name in _COPIED:
        row[f"CONTACT.{name}"] = None if contact is None else contact.get(name)


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    name = row.get("PERSONALINFO.CONTACTNAME")
    contact = wc.find("CONTACT", str(name)) if name else None
    _copy_contact(row, contact)
    dept = wc.find("DEPARTMENT", str(row["DEPARTMENTID"])) if row.get("DEPARTMENTID") else None
    row["DEPARTMENTNAME"] = None if dept is None else dept.get("TITLE")


def refresh_contact_copies(wc: WriteContext, contact: dict[str, Any]) -> None:
    for employee in wc.store.scan(wc.company_id, "EMPLOYEE"):
        if employee.get("PERSONALINFO.CONTACTNAME") == contact.get("CONTACTNAME"):
            changes: dict[str, Any] = {}
            _copy_contact(changes, contact)
            touch(wc, EMPLOYEE, employee["RECORDNO"], changes)


EMPLOYEE = register(
    ObjectDef(
        name="EMPLOYEE",
        extras=("SSN", "EMPLOYEETYPE1099TYPE", "PAYMETHODKEY", "CONTACTKEY"),
        label="Employee",
        id_field="EMPLOYEEID",
        fields=[
            text("EMPLOYEEID", max_length=20),
            text("PERSONALINFO.CONTACTNAME", required=True, ref=("CONTACT", "CONTACTNAME")),
            *(text(f"CONTACT.{n}", readonly=True) for n in _COPIED),
            date_("STARTDATE"),
            date_("ENDDATE"),
            date_("BIRTHDATE"),
            text("TITLE"),
            text("EMPLOYEETYPE"),
            status(),
            text("SUPERVISORID", ref=("EMPLOYEE", "EMPLOYEEID")),
            text("DEPARTMENTID", ref=("DEPARTMENT", "DEPARTMENTID")),
            text("DEPARTMENTNAME", readonly=True),
            text("LOCATIONID", ref=("LOCATION", "LOCATIONID")),
            text("CLASSID"),
            text("CURRENCY"),
            enum(
                "TERMINATIONTYPE",
                {v: v for v in ("voluntary", "involuntary", "deceased", "disability", "retired")},
            ),
            text("GENDER"),
        ],
        before_write=_before_write,
    )
)
