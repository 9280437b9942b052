"""The write engine shared by generic create/update/delete and the legacy functions.

Input is a nested dict as the request nests it (``{"DISPLAYCONTACT": {"MAILADDRESS": {"CITY": "x"}}}``,
line collections as lists). Output rows are flat and stored through ``RecordStore``; every change
writes an AUDITHISTORY event and goes through the caller's smart rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from intacct_sandbox.objects.base import STATUS_CHOICES, ObjectDef, get_object
from intacct_sandbox.objects.values import parse_date, parse_value
from intacct_sandbox.record_faults import (
    ClosedPeriod,
    DuplicateRecord,
    OperationNotAllowed,
    RecordNotFound,
    UpdateOfMissingRecord,
    ValidationFailed,
)

Row = dict[str, Any]
LINES_KEY = "_lines"
CLOSED_PERIOD_META = "records:{company}:closed_through"
CUSTOM_FIELDS_META = "records:{company}:custom_fields"


def custom_fields(store: Any, company_id: str, obj: str) -> list[str]:
    """The company's custom fields on an object (Customization Services): stored as text."""
    fields = store.get_meta(CUSTOM_FIELDS_META.format(company=company_id)) or {}
    return list(fields.get(obj, []))


def add_custom_field(store: Any, company_id: str, obj: str, name: str) -> None:
    key = CUSTOM_FIELDS_META.format(company=company_id)
    fields = store.get_meta(key) or {}
    if name.upper() not in fields.get(obj, []):
        fields.setdefault(obj, []).append(name.upper())
        store.set_meta(key, fields)


@dataclass
class WriteContext:
    """What the engine needs from a call: who, where, when, and the hooks of the gateway."""

    company_id: str
    user_id: str
    location_id: str | None
    store: Any
    now: datetime
    ctx: Any = None

    @classmethod
    def of(cls, ctx: Any) -> WriteContext:
        return cls(ctx.company_id, ctx.user_id, ctx.location_id, ctx.store, ctx.now, ctx)

    def check_smart_rules(self, obj: str, event: str, row: Row) -> None:
        if self.ctx is not None:
            self.ctx.check_smart_rules(obj, event, {k: v for k, v in row.items() if k != LINES_KEY})

    # --- lookups ---------------------------------------------------------------------------------

    def find(self, obj: str, business_id: str) -> Row | None:
        row = self.store.get_by_id(self.company_id, obj, business_id)
        return row if row is not None and self.visible(obj, row) else None

    def get(self, obj: str, recordno: int) -> Row | None:
        row = self.store.get(self.company_id, obj, recordno)
        return row if row is not None and self.visible(obj, row) else None

    def visible(self, obj: str, row: Row, showprivate: bool = False) -> bool:
        return is_visible(get_object(obj), row, self.location_id, showprivate)

    def user_recordno(self) -> int:
        """The Web Services user's USERINFO RECORDNO (CREATEDBY/MODIFIEDBY); created on first use."""
        row = self.store.get_by_id(self.company_id, "USERINFO", self.user_id)
        if row is not None:
            return int(row["RECORDNO"])
        return int(
            self.store.insert(
                self.company_id,
                "USERINFO",
                {
                    "LOGINID": self.user_id,
                    "USERTYPE": "business user",
                    "STATUS": "active",
                    "ADMIN": "Full",
                    "LOGINDISABLED": True,
                    "WHENCREATED": self.now,
                    "WHENMODIFIED": None,
                    "CREATEDBY": None,
                    "MODIFIEDBY": None,
                    "DESCRIPTION": "Web Services user",
                },
            )
        )


def is_visible(obj: ObjectDef | None, row: Row, location_id: str | None, showprivate: bool = False) -> bool:
    """Entity sessions see their entity's and shared records; top level sees shared ones (and entity
    records only with showprivate). Every entity is modelled as private (docs/intacct/protocol.md §10)."""
    if obj is None or not obj.entity_owned:
        return True
    owner = row.get("MEGAENTITYID")
    if owner is None:
        return True
    if location_id is not None:
        return bool(owner == location_id)
    return showprivate


# --- parsing --------------------------------------------------------------------------------------


def _flatten(data: dict[str, Any], prefix: str, out: dict[str, Any]) -> None:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, f"{name}.", out)
        else:
            out[name] = value


def parse_input(
    obj: ObjectDef, data: dict[str, Any], custom: tuple[str, ...] | list[str] = ()
) -> tuple[Row, list[dict[str, Any]] | None]:
    """Nested request dict -> flat row of parsed values, plus the raw line dicts (None if absent).
    Unknown fields are rejected unless they are the company's custom fields on the object."""
    lines: list[dict[str, Any]] | None = None
    flat: dict[str, Any] = {}
    for key, value in data.items():
        # field and collection names are matched without regard to case: sageintacctsdk users write
        # lower-case ones (<GLBATCH><journal>…<entries><glentry>…), which Intacct accepts
        if obj.lines is not None and key.upper() == obj.lines.collection:
            lines = list(value) if isinstance(value, list) else []
            continue
        if isinstance(value, dict) and set(value) == {"year", "month", "day"} and key in obj.by_name:
            # a date written as <year/><month/><day/> (the Node SDK's bank feed records do)
            flat[key] = f"{value['month']}/{value['day']}/{value['year']}"
        elif isinstance(value, dict):
            _flatten(value, f"{key}.", flat)
        elif isinstance(value, list):
            raise ValidationFailed(f"Field {key} on {obj.name} cannot be repeated.")
        elif (value is None or str(value).strip() == "") and f"{key}." in obj.nested_prefixes:
            # an empty block (the SDKs' CustomerUpdate always writes <DISPLAYCONTACT/>) changes nothing
            continue
        else:
            flat[key] = value
    row: Row = {}
    for name, raw in flat.items():
        f = obj.by_name.get(name) or obj.by_name.get(name.upper())
        if f is None and name.upper() in custom:
            row[name.upper()] = None if raw is None or str(raw).strip() == "" else str(raw)
            continue
        if f is None:
            raise ValidationFailed(f"Unknown field {name} on object {obj.name}.")
        if f.readonly and f.name != "RECORDNO":
            continue  # read-only fields echoed back by read-modify-write clients are ignored
        row[f.name] = parse_value(f, "" if raw is None else str(raw), obj.name)
    return row, lines


def _apply_defaults(obj: ObjectDef, row: Row) -> None:
    for f in obj.fields:
        if f.name not in row:
            row[f.name] = f.default


def _check_required(obj: ObjectDef, row: Row, where: str = "") -> None:
    for f in obj.fields:
        if f.required and row.get(f.name) in (None, ""):
            raise ValidationFailed(
                f"Required field {f.name} is missing{where}.", correction=f"Provide a value for {f.name}."
            )


def check_refs(wc: WriteContext, obj: ObjectDef, row: Row, changed: set[str] | None = None) -> None:
    """References must name existing, visible, active records."""
    for f in obj.fields:
        if f.ref is None or row.get(f.name) in (None, ""):
            continue
        if changed is not None and f.name not in changed:
            continue
        target_obj, _key = f.ref
        target = wc.find(target_obj, str(row[f.name]))
        target_def = get_object(target_obj)
        label = target_def.label if target_def else target_obj.title()
        if target is None:
            raise ValidationFailed(
                f"Invalid {label} '{row[f.name]}' specified.",
                correction=f"Use an existing {label.lower()} in {f.name}.",
            )
        if target.get("STATUS") == "inactive":
            raise ValidationFailed(
                f"{label} '{row[f.name]}' is inactive and cannot be used.",
                correction=f"Activate the {label.lower()} or choose another one.",
            )


def name_of(wc: WriteContext, obj: str, business_id: Any, field: str = "NAME") -> tuple[int | None, Any]:
    """(RECORDNO, display name) of a referenced record, or (None, None)."""
    row = wc.find(obj, str(business_id)) if business_id not in (None, "") else None
    return (None, None) if row is None else (row["RECORDNO"], row.get(field))


def set_closed_through(store: Any, company_id: str, through: date | None) -> None:
    """Close the books through a date (None reopens every period): AP/AR dates on or before it fail."""
    key = CLOSED_PERIOD_META.format(company=company_id)
    if through is None:
        store.delete_meta(key)
    else:
        store.set_meta(key, through.strftime("%m/%d/%Y"))


def check_open_period(wc: WriteContext, when: date | None, what: str) -> None:
    raw = wc.store.get_meta(CLOSED_PERIOD_META.format(company=wc.company_id))
    closed = parse_date(raw) if isinstance(raw, str) else None
    if closed is not None and when is not None and when <= closed:
        raise ClosedPeriod(
            f"The {what} {when.strftime('%m/%d/%Y')} falls in a closed period "
            f"(books closed through {closed.strftime('%m/%d/%Y')})."
        )


# --- audit ----------------------------------------------------------------------------------------


def audit(wc: WriteContext, obj: ObjectDef, recordno: int, mode: str, *, force: bool = False) -> None:
    """An AUDITHISTORY event; ``force`` records one for a line object too (a line deleted on its own)."""
    if not obj.audited and not force:
        return
    store = wc.store
    number = store.next_recordno(wc.company_id, "AUDITHISTORY")
    store.insert(
        wc.company_id,
        "AUDITHISTORY",
        {
            "ID": str(number),
            "OBJECTTYPE": obj.lower,
            "OBJECTKEY": str(recordno),
            "ACCESSMODE": mode,
            "ACCESSTIME": wc.now,
            "USERID": wc.user_id,
            "SOURCE": "api",
            "WORKFLOWACTION": None,
        },
        recordno=number,
    )


# --- create / update / delete ---------------------------------------------------------------------


def _parse_lines(wc: WriteContext, obj: ObjectDef, raw: list[dict[str, Any]]) -> list[Row]:
    assert obj.lines is not None
    line_def = get_object(obj.lines.line_object)
    assert line_def is not None
    rows = []
    for number, data in enumerate(raw, start=1):
        row, _ = parse_input(line_def, data)
        _apply_defaults(line_def, row)
        if line_def.before_write is not None:
            line_def.before_write(wc, row, None)
        _check_required(line_def, row, f" on line {number}")
        check_refs(wc, line_def, row)
        rows.append(row)
    if len(rows) < obj.lines.min_lines:
        raise ValidationFailed(
            f"{obj.label} must have at least {obj.lines.min_lines} line(s) in {obj.lines.collection}."
        )
    return rows


def _store_lines(wc: WriteContext, obj: ObjectDef, header: Row, lines: list[Row]) -> None:
    assert obj.lines is not None
    line_obj = obj.lines.line_object
    line_def = get_object(line_obj)
    parent_field = (line_def.parent_field if line_def else None) or "RECORDKEY"
    for old in wc.store.children(wc.company_id, line_obj, header["RECORDNO"]):
        wc.store.delete(wc.company_id, line_obj, old["RECORDNO"])
    for number, line in enumerate(lines):
        line.update(
            {
                parent_field: header["RECORDNO"],
                "LINE_NO": number,
                "WHENCREATED": wc.now,
                "WHENMODIFIED": None,
                "CREATEDBY": header.get("CREATEDBY"),
                "MODIFIEDBY": None,
                "MEGAENTITYKEY": header.get("MEGAENTITYKEY"),
                "MEGAENTITYID": header.get("MEGAENTITYID"),
                "MEGAENTITYNAME": header.get("MEGAENTITYNAME"),
            }
        )
        wc.store.insert(wc.company_id, line_obj, line)


def lines_of(wc: WriteContext, obj: ObjectDef, row: Row) -> list[Row]:
    """The header's lines: pending ones during a write, else the stored ones."""
    if LINES_KEY in row:
        return list(row[LINES_KEY])
    if obj.lines is None or "RECORDNO" not in row:
        return []
    # copies: hooks may annotate lines, and stored rows change only through the store
    return [dict(line) for line in wc.store.children(wc.company_id, obj.lines.line_object, row["RECORDNO"])]


def create(wc: WriteContext, obj: ObjectDef, data: dict[str, Any]) -> Row:
    row, raw_lines = parse_input(obj, data, custom_fields(wc.store, wc.company_id, obj.name))
    row.pop("RECORDNO", None)
    _apply_defaults(obj, row)
    if obj.lines is not None:
        row[LINES_KEY] = _parse_lines(wc, obj, raw_lines or [])
    id_field = obj.id_field
    if id_field is not None:
        from intacct_sandbox.objects.autonumber import next_id

        # document sequencing on: Intacct numbers the record, whatever ID was sent (UNSURE)
        assigned = next_id(wc.store, wc.company_id, obj.name)
        if assigned is not None:
            row[id_field] = assigned
    if obj.before_write is not None:
        obj.before_write(wc, row, None)
    if id_field is not None and row.get(id_field) in (None, "") and not obj.auto_id:
        raise ValidationFailed(
            f"Required field {id_field} is missing.",
            correction=f"Provide a value for {id_field} (document sequencing is off).",
        )
    _check_required(obj, row)
    check_refs(wc, obj, row)
    if id_field is not None and row.get(id_field) not in (None, ""):
        if wc.store.get_by_id(wc.company_id, obj.name, str(row[id_field])) is not None:
            raise DuplicateRecord.for_record(obj.label, obj.lower, str(row[id_field]))
    wc.check_smart_rules(obj.name, "add", row)
    lines = row.pop(LINES_KEY, None)
    stamp = "AUWHENCREATED" if obj.transaction else "WHENCREATED"
    row.update({stamp: wc.now, "WHENMODIFIED": None, "CREATEDBY": wc.user_recordno(), "MODIFIEDBY": None})
    if obj.entity_owned:
        entity = wc.store.get_by_id(wc.company_id, "LOCATION", wc.location_id) if wc.location_id else None
        row["MEGAENTITYKEY"] = None if entity is None else entity["RECORDNO"]
        row["MEGAENTITYID"] = wc.location_id
        row["MEGAENTITYNAME"] = None if entity is None else entity.get("NAME")
    recordno = wc.store.insert(wc.company_id, obj.name, row)
    if id_field is not None and row.get(id_field) in (None, ""):
        row = {**row, id_field: str(recordno)}
        wc.store.replace(wc.company_id, obj.name, recordno, row)
    if lines is not None:
        _store_lines(wc, obj, row, lines)
    if obj.after_write is not None:
        obj.after_write(wc, row, None)
    audit(wc, obj, recordno, "C")
    return wc.store.get(wc.company_id, obj.name, recordno)  # type: ignore[no-any-return]


def locate(wc: WriteContext, obj: ObjectDef, data: dict[str, Any]) -> Row:
    """The existing record an update names, by RECORDNO or the business ID (any case of the names)."""
    data = {str(k).upper(): v for k, v in data.items()}
    raw_no = data.get("RECORDNO")
    if raw_no not in (None, ""):
        text = str(raw_no).strip()
        found = wc.get(obj.name, int(text)) if text.isdigit() else None
        if found is None:
            raise UpdateOfMissingRecord.for_key(obj.name, "RECORDNO", text)
        return found
    if obj.id_field is not None and data.get(obj.id_field) not in (None, ""):
        key = str(data[obj.id_field]).strip()
        found = wc.find(obj.name, key)
        if found is None:
            raise UpdateOfMissingRecord.for_key(obj.name, obj.id_field, key)
        return found
    keys = "RECORDNO" if obj.id_field is None else f"RECORDNO or {obj.id_field}"
    raise ValidationFailed(f"Required field {keys} is missing: an update must name the record.")


def update(wc: WriteContext, obj: ObjectDef, data: dict[str, Any]) -> Row:
    old = locate(wc, obj, data)
    changes, raw_lines = parse_input(obj, data, custom_fields(wc.store, wc.company_id, obj.name))
    changes.pop("RECORDNO", None)
    if obj.id_field is not None and changes.get(obj.id_field) not in (None, old.get(obj.id_field)):
        if not any(str(k).upper() == "RECORDNO" and v not in (None, "") for k, v in data.items()):
            changes.pop(obj.id_field)
        elif wc.store.get_by_id(wc.company_id, obj.name, str(changes[obj.id_field])) is not None:
            raise DuplicateRecord.for_record(obj.label, obj.lower, str(changes[obj.id_field]))
    row = {**old, **changes}
    if raw_lines == []:
        raw_lines = None  # an empty collection (the .NET SDK's ArAdvanceUpdate always writes one) keeps them
    if obj.lines is not None and raw_lines is not None:
        row[LINES_KEY] = _parse_lines(wc, obj, raw_lines)
    if obj.before_write is not None:
        obj.before_write(wc, row, old)
    _check_required(obj, row)
    check_refs(wc, obj, row, changed=set(changes))
    wc.check_smart_rules(obj.name, "set", row)
    lines = row.pop(LINES_KEY, None)
    row.update({"WHENMODIFIED": wc.now, "MODIFIEDBY": wc.user_recordno()})
    wc.store.replace(wc.company_id, obj.name, old["RECORDNO"], row)
    if lines is not None:
        _store_lines(wc, obj, row, lines)
    if obj.after_write is not None:
        obj.after_write(wc, row, old)
    audit(wc, obj, old["RECORDNO"], "M")
    return row


def touch(wc: WriteContext, obj: ObjectDef, recordno: int, changes: Row, *, audit_it: bool = True) -> Row:
    """A system-made change (payment application moving TOTALPAID): new version, new WHENMODIFIED."""
    old = wc.store.get(wc.company_id, obj.name, recordno)
    assert old is not None
    row = {**old, **changes, "WHENMODIFIED": wc.now, "MODIFIEDBY": wc.user_recordno()}
    wc.store.replace(wc.company_id, obj.name, recordno, row)
    if audit_it:
        audit(wc, obj, recordno, "M")
    return row


def first_reference(wc: WriteContext, obj: ObjectDef, row: Row) -> tuple[str, int] | None:
    """(object, RECORDNO) of a record whose reference field names this one, if any (Intacct refuses to
    delete records in use; the text is modelled)."""
    if obj.id_field is None or row.get(obj.id_field) in (None, ""):
        return None
    from intacct_sandbox.objects.base import all_objects

    key = row[obj.id_field]
    for other in all_objects():
        names = [f.name for f in other.fields if f.ref is not None and f.ref[0] == obj.name]
        if not names:
            continue
        for candidate in wc.store.rows(wc.company_id, other.name).values():
            if candidate is not row and any(candidate.get(n) == key for n in names):
                return other.name, int(candidate["RECORDNO"])
    return None


def delete(wc: WriteContext, obj: ObjectDef, key: str) -> None:
    """Delete by RECORDNO (generic) — legacy deletes resolve their business key first."""
    text = key.strip()
    row = wc.get(obj.name, int(text)) if text.isdigit() else None
    if row is None:
        raise RecordNotFound.for_delete(obj.lower, text)
    wc.check_smart_rules(obj.name, "delete", row)
    user = first_reference(wc, obj, row)
    if user is not None:
        raise ValidationFailed(
            f"{obj.label} {row.get(obj.id_field or 'RECORDNO')} is used by {user[0]} {user[1]} and cannot be "
            "deleted.",
            correction=f"Make the {obj.label.lower()} inactive instead, or delete what uses it first.",
        )
    if obj.before_delete is not None:
        obj.before_delete(wc, row)
    if obj.lines is not None:
        for line in wc.store.children(wc.company_id, obj.lines.line_object, row["RECORDNO"]):
            wc.store.delete(wc.company_id, obj.lines.line_object, line["RECORDNO"])
    wc.store.delete(wc.company_id, obj.name, row["RECORDNO"])
    if obj.after_delete is not None:
        obj.after_delete(wc, row)
    audit(wc, obj, row["RECORDNO"], "D")


def status_db(value: str) -> str:
    return STATUS_CHOICES.get(value, value)


def check_allowed(obj: ObjectDef, operation: str) -> None:
    """Generic create/update/delete on objects that only take legacy functions (or none)."""
    allowed = {"CREATE": obj.creatable, "UPDATE": obj.updatable, "DELETE": obj.deletable}[operation]
    if not allowed:
        raise OperationNotAllowed(
            f"API operation '{operation}' cannot be performed on objects of type {obj.lower}"
        )
