"""The generic reads beyond readByQuery/read/query: ``get_list`` (legacy 2.1), ``readRelated``,
``readView``, ``readReport``, ``getObjectTrail``, ``getDimensions`` and ``getDimensionRelationships``.
Requests are the SDKs'; answers follow docs/intacct/gl-company-reads.md §5, where each shape the
evidence leaves open is marked modelled.

Views and reports are company definitions (a saved list view, a custom report): the sandbox keeps them
as (object, readByQuery filter, field list) per company, created with ``sb.control.create_view`` /
``create_report``; the demo company has a few.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.functions.common import (
    child,
    child_text,
    children,
    field_list,
    flat_formatter,
    nested_record,
    object_for_read,
    page_size,
    stamp_of,
    unwrapped,
    user_tz,
    visible_filter,
)
from intacct_sandbox.objects import all_objects, get_object
from intacct_sandbox.objects.base import ObjectDef
from intacct_sandbox.objects.values import parse_value, to_wire, utc_stamp
from intacct_sandbox.objects.writes import custom_fields
from intacct_sandbox.query.ast import select
from intacct_sandbox.query.readbyquery import parse
from intacct_sandbox.record_faults import (
    NotInSandbox,
    QueryFailed,
    QuerySyntaxError,
    ValidationFailed,
)
from intacct_sandbox.store import CachedResult

VIEWS_META = "records:{company}:views"
REPORTS_META = "records:{company}:reports"
READ_DEFAULT, READ_MAX = 100, 1000
GET_LIST_DEFAULT = 100

# --- get_list (2.1) ---------------------------------------------------------------------------------

_LIKE_CACHE: dict[str, re.Pattern[str]] = {}


def _like(pattern: str) -> re.Pattern[str]:
    compiled = _LIKE_CACHE.get(pattern)
    if compiled is None:
        body = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
        compiled = _LIKE_CACHE[pattern] = re.compile(f"^{body}$", re.DOTALL)
    return compiled


Test = Callable[[dict[str, Any]], bool]


def _legacy_field(obj: ObjectDef, name: str) -> str:
    """A 2.1 (lower-case) field name -> the stored field; ``key`` is the business ID."""
    upper = name.strip().upper()
    if upper == "KEY":
        return obj.id_field or "RECORDNO"
    if upper not in obj.by_name:
        raise QueryFailed(f"Invalid field {name} for object {obj.lower} in get_list.")
    return upper


def _expression(obj: ObjectDef, el: etree._Element) -> Test:
    name = _legacy_field(obj, child_text(el, "field") or "")
    op = (child_text(el, "operator") or "").strip().lower()
    raw = child_text(el, "value") or ""
    f = obj.by_name[name]
    if op in ("is null", "isnull"):
        return lambda row: row.get(name) in (None, "")
    if op in ("is not null", "isnotnull"):
        return lambda row: row.get(name) not in (None, "")
    if op in ("like", "not like"):
        pattern = _like(raw)
        hit = op == "like"
        return lambda row: (
            (row.get(name) is not None and bool(pattern.match(str(to_wire(row[name], utc_stamp))))) == hit
        )
    value = parse_value(f, raw, obj.name)
    compare: dict[str, Callable[[Any, Any], bool]] = {
        "=": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
        "<>": lambda a, b: a != b,
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
    }
    if op not in compare:
        raise QuerySyntaxError(f"Invalid operator '{op}' in a get_list expression.")
    fn = compare[op]
    return lambda row: row.get(name) is not None and fn(row[name], value)


def _filter(obj: ObjectDef, el: etree._Element) -> Test:
    if el.tag == "expression":
        return _expression(obj, el)
    if el.tag == "logical":
        parts = [_filter(obj, c) for c in children(el)]
        if (el.get("logical_operator") or "and").lower() == "or":
            return lambda row: any(p(row) for p in parts)
        return lambda row: all(p(row) for p in parts)
    raise QuerySyntaxError(f"Unknown filter element <{el.tag}> in get_list.")


#: 3.0 bookkeeping columns the 2.1 answers do not carry (their records hold key, names, whenmodified)
NOT_LEGACY = frozenset(
    {"CREATEDBY", "MODIFIEDBY", "MEGAENTITYKEY", "MEGAENTITYID", "MEGAENTITYNAME", "RECORD_URL"}
)


def _legacy_record(obj: ObjectDef, row: dict[str, Any], fields: list[str], stamp: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"key": to_wire(row.get(obj.id_field or "RECORDNO"), stamp)}
    for name in fields:
        if name in (obj.id_field, "RECORDNO") or "." in name or name in NOT_LEGACY:
            continue
        value = row.get(name)
        out[name.lower()] = None if value is None else to_wire(value, stamp)
    return out


def _whole(text: str | None, default: int, name: str) -> int:
    raw = (text or "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise QuerySyntaxError(f"Invalid {name} '{raw}' in get_list: it must be a whole number.")
    return int(raw)


@function("get_list")
@unwrapped
def get_list(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    """``<get_list object="class" maxitems start showprivate>`` with filter, sorts and fields; answered
    with the 2.1 ``<listtype start end total>`` sibling and lower-case records keyed by ``<key>``."""
    name = (el.get("object") or "").strip()
    obj = get_object(name)
    if obj is None or obj.parent_field is not None:
        # Intacct validates the object against its schema's enumeration before running anything
        raise QueryFailed(
            f"XML Parse error: Error 502: Value '{name}' for attribute object of get_list is not among the "
            "enumerated set.",
        )
    ctx.require(obj.name, "L")
    showprivate = (el.get("showprivate") or "false").strip().lower() == "true"
    keep = visible_filter(ctx, obj, showprivate)
    filt = child(el, "filter")
    tests = [_filter(obj, c) for c in children(filt)] if filt is not None else []
    rows = [
        r
        for r in ctx.store.rows(ctx.company_id, obj.name).values()
        if (keep is None or keep(r)) and all(t(r) for t in tests)
    ]
    sorts = child(el, "sorts")
    for sort in reversed(children(sorts) if sorts is not None else []):
        field = _legacy_field(obj, sort.text or "")
        descending = (sort.get("order") or "asc").lower() == "desc"
        present = [r for r in rows if r.get(field) is not None]
        empty = [r for r in rows if r.get(field) is None]
        present.sort(key=lambda r: r[field], reverse=descending)
        rows = present + empty
    fields_el = child(el, "fields")
    fields = (
        [_legacy_field(obj, f.text or "") for f in children(fields_el)]
        if fields_el is not None and children(fields_el)
        else obj.field_names()
    )
    start = _whole(el.get("start"), 0, "start")
    maxitems = _whole(el.get("maxitems"), GET_LIST_DEFAULT, "maxitems")
    page = rows[start : start + maxitems]
    stamp = stamp_of(ctx)
    records = [(obj.lower, _legacy_record(obj, r, fields, stamp)) for r in page]
    end = start + len(page) - 1 if page else start
    return FunctionOutcome(
        records=records,
        legacy_listtype=(obj.lower, {"start": str(start), "end": str(end), "total": str(len(rows))}),
    )


# --- readRelated -------------------------------------------------------------------------------------


def _relation(
    obj: ObjectDef, relation: str
) -> tuple[ObjectDef, Callable[[dict[str, Any]], Callable[[dict[str, Any]], bool]]]:
    """(related object, record -> test of related rows): owned lines, records that reference this one,
    or the record this one references."""
    other = get_object(relation)
    if other is None:
        raise QueryFailed(f"Relationship {relation} not found on object {obj.name}")
    if obj.lines is not None and obj.lines.line_object == other.name and other.parent_field:
        parent = other.parent_field
        return other, lambda rec: lambda row: row.get(parent) == rec["RECORDNO"]
    back = [f.name for f in other.fields if f.ref is not None and f.ref[0] == obj.name]
    if back and obj.id_field:
        key = obj.id_field
        return other, lambda rec: lambda row: any(row.get(n) == rec.get(key) for n in back)
    forward = [f for f in obj.fields if f.ref is not None and f.ref[0] == other.name]
    if forward:
        ref_field, (_target, target_key) = forward[0].name, forward[0].ref  # type: ignore[misc]
        return other, lambda rec: lambda row: row.get(target_key) == rec.get(ref_field)
    raise QueryFailed(f"Relationship {relation} not found on object {obj.name}")


@function("readRelated")
@unwrapped
def read_related(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = object_for_read(child_text(el, "object"), ctx)
    ctx.require(obj.name, "V")
    fmt = (child_text(el, "returnFormat") or "xml").strip().lower()
    if fmt != "xml":
        raise NotInSandbox(f"returnFormat {fmt} is not implemented in the sandbox; use xml.")
    other, related = _relation(obj, (child_text(el, "relation") or "").strip())
    ctx.require(other.name if other.parent_field is None else obj.name, "V")
    other = other.with_custom(custom_fields(ctx.store, ctx.company_id, other.name))
    fields = field_list(other, child_text(el, "fields"))
    keys = [k.strip() for k in (child_text(el, "keys") or "").split(",") if k.strip()]
    keep = visible_filter(ctx, obj)
    sources = [
        r
        for k in keys
        if k.isdigit()
        and (r := ctx.store.get(ctx.company_id, obj.name, int(k))) is not None
        and (keep is None or keep(r))
    ]
    stamp = stamp_of(ctx)
    seen: set[int] = set()
    records = []
    for source in sources:
        test = related(source)
        for row in ctx.store.rows(ctx.company_id, other.name).values():
            if row["RECORDNO"] not in seen and test(row):
                seen.add(row["RECORDNO"])
                records.append(
                    (
                        other.name,
                        nested_record(ctx.store, ctx.company_id, other, row, fields, stamp, with_lines=False),
                    )
                )
    return FunctionOutcome(records=records, data_attrs={"listtype": other.name, "count": str(len(records))})


# --- views and reports --------------------------------------------------------------------------------


def define(store: Any, company_id: str, kind: str, name: str, obj: str, query: str, fields: str) -> None:
    """Save a view or report definition (control plane)."""
    target = get_object(obj)
    if target is None:
        raise ValueError(f"unknown object {obj}")
    parse(query)  # refuse a bad filter now rather than at read time
    key = (VIEWS_META if kind == "view" else REPORTS_META).format(company=company_id)
    saved = dict(store.get_meta(key) or {})
    saved[name] = {"object": target.name, "query": query, "fields": fields}
    store.set_meta(key, saved)


def _definition(ctx: CallContext, kind: str, name: str) -> dict[str, str]:
    key = (VIEWS_META if kind == "view" else REPORTS_META).format(company=ctx.company_id)
    found = (ctx.store.get_meta(key) or {}).get(name)
    if found is None:
        raise ValidationFailed(
            f"There is no {kind} named '{name}' in this company.",
            correction=f"Use the name of a saved {kind}.",
        )
    return dict(found)


def _run_saved(ctx: CallContext, definition: dict[str, str], size: int, listtype: str) -> FunctionOutcome:
    obj = get_object(definition["object"])
    assert obj is not None
    ctx.require(obj.name, "L")
    obj = obj.with_custom(custom_fields(ctx.store, ctx.company_id, obj.name))
    fields = field_list(obj, definition.get("fields") or "*")
    node = parse(definition.get("query") or "")
    rows = ctx.store.row_list(ctx.company_id, obj.name)
    recordnos = [r["RECORDNO"] for r in select(rows, obj, node, user_tz(ctx), keep=visible_filter(ctx, obj))]
    table = ctx.store.rows(ctx.company_id, obj.name)
    fmt = flat_formatter(obj, fields, stamp_of(ctx))
    page = [fmt(table[n]) for n in recordnos[:size] if n in table]
    remaining = max(len(recordnos) - size, 0)
    result_id = ""
    if remaining:
        result_id = ctx.store.results.put(
            now=ctx.now.timestamp(),
            entry=CachedResult(
                ctx.company_id, obj.name, recordnos, fields, size, ctx.user_id, extra={"pagesize": size}
            ),
        )
    return FunctionOutcome(
        records=[(obj.lower, r) for r in page],
        data_attrs={
            "listtype": listtype,
            "count": str(len(page)),
            "totalcount": str(len(recordnos)),
            "numremaining": str(remaining),
            "resultId": result_id,
        },
    )


@function("readView")
@unwrapped
def read_view(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    """A saved view's records, paged like readByQuery (readMore continues with the resultId)."""
    fmt = (child_text(el, "returnFormat") or "xml").strip().lower()
    if fmt != "xml":
        raise NotInSandbox(f"returnFormat {fmt} is not implemented in the sandbox; use xml.")
    name = (child_text(el, "view") or "").strip()
    definition = _definition(ctx, "view", name)
    size = page_size(child_text(el, "pagesize"), READ_DEFAULT, READ_MAX)
    return _run_saved(ctx, definition, size, get_object(definition["object"]).lower)  # type: ignore[union-attr]


@function("readReport")
@unwrapped
def read_report(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    """A custom report: with ``returnDef="true"`` its definition; with waitTime 0 the report ID to
    collect with readMore ``<reportId>``; otherwise the first page at once (modelled: the sandbox's
    reports finish instantly)."""
    name = (child_text(el, "report") or "").strip()
    definition = _definition(ctx, "report", name)
    obj = get_object(definition["object"])
    assert obj is not None
    if (el.get("returnDef") or "").strip().lower() == "true":
        body = etree.Element("data", listtype="reportdef", count="1")
        rep = etree.SubElement(body, "report", name=name, object=obj.name)
        for field in field_list(obj, definition.get("fields") or "*"):
            etree.SubElement(rep, "column", name=field)
        return FunctionOutcome(raw_data=etree.tostring(body))
    fmt = (child_text(el, "returnFormat") or "xml").strip().lower()
    if fmt != "xml":
        raise NotInSandbox(f"returnFormat {fmt} is not implemented in the sandbox; use xml.")
    size = page_size(child_text(el, "pagesize"), READ_DEFAULT, READ_MAX)
    wait = (child_text(el, "waitTime") or "0").strip() or "0"
    if not wait.isdigit() or int(wait) > 30:
        # the SDKs allow 0 to 30 seconds (ReadReport::setWaitTime)
        raise QuerySyntaxError(f"Invalid waitTime '{wait}': a whole number of seconds from 0 to 30.")
    if wait == "0":
        ctx.require(obj.name, "L")
        fields = field_list(obj, definition.get("fields") or "*")
        node = parse(definition.get("query") or "")
        rows = ctx.store.row_list(ctx.company_id, obj.name)
        recordnos = [
            r["RECORDNO"] for r in select(rows, obj, node, user_tz(ctx), keep=visible_filter(ctx, obj))
        ]
        report_id = ctx.store.results.put(
            now=ctx.now.timestamp(),
            entry=CachedResult(
                ctx.company_id, obj.name, recordnos, fields, 0, ctx.user_id, extra={"pagesize": size}
            ),
        )
        return FunctionOutcome(data_attrs={"reportId": report_id, "status": "PENDING"})
    return _run_saved(ctx, definition, size, "report")


# --- getObjectTrail --------------------------------------------------------------------------------


@function("getObjectTrail")
@unwrapped
def get_object_trail(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    """The audit trail of one record: its AUDITHISTORY events, oldest first. ``objectKey`` is the
    RECORDNO or the business ID."""
    obj = object_for_read(child_text(el, "object"), ctx)
    ctx.require("AUDITHISTORY", "L")
    key = (child_text(el, "objectKey") or "").strip()
    row = ctx.store.get(ctx.company_id, obj.name, int(key)) if key.isdigit() else None
    if row is None and obj.id_field:
        row = ctx.store.get_by_id(ctx.company_id, obj.name, key)
    if row is None:
        raise ValidationFailed(f"There is no {obj.lower} with key '{key}'.")
    trail_def = get_object("AUDITHISTORY")
    assert trail_def is not None
    events = [
        e
        for e in ctx.store.rows(ctx.company_id, "AUDITHISTORY").values()
        if e.get("OBJECTTYPE") == obj.lower and str(e.get("OBJECTKEY")) == str(row["RECORDNO"])
    ]
    events.sort(key=lambda e: (e.get("ACCESSTIME"), e["RECORDNO"]))
    fmt = flat_formatter(trail_def, trail_def.field_names(), stamp_of(ctx))
    records = [("AUDITHISTORY", fmt(e)) for e in events]
    return FunctionOutcome(
        records=records, data_attrs={"listtype": "AUDITHISTORY", "count": str(len(records))}
    )


# --- dimensions ------------------------------------------------------------------------------------

#: the standard dimensions the sandbox models, in Intacct's order
DIMENSIONS = ("LOCATION", "DEPARTMENT", "EMPLOYEE", "PROJECT", "CUSTOMER", "VENDOR", "ITEM", "CLASS", "TASK")


def _sub(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(parent, tag).text = text


@function("getDimensions")
@unwrapped
def get_dimensions(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    data = etree.Element("data")
    box = etree.SubElement(data, "dimensions")
    for name in DIMENSIONS:
        obj = get_object(name)
        assert obj is not None
        dim = etree.SubElement(box, "dimension")
        _sub(dim, "objectName", obj.name)
        _sub(dim, "objectLabel", obj.label)
        _sub(dim, "termLabel", obj.label)
        _sub(dim, "userDefinedDimension", "false")
        _sub(dim, "enabledInGL", "true")
    return FunctionOutcome(raw_data=etree.tostring(data))


@function("getDimensionRelationships")
@unwrapped
def get_dimension_relationships(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    """Each dimension's links to other dimensions, from the references the schemas declare."""
    data = etree.Element("data")
    box = etree.SubElement(data, "dimensionRelationships")
    names = set(DIMENSIONS)
    for name in DIMENSIONS:
        obj = get_object(name)
        assert obj is not None
        dim = etree.SubElement(box, "dimensionRelationship")
        _sub(dim, "objectName", obj.name)
        rels = etree.SubElement(dim, "relationships")
        for other in all_objects():
            for f in other.fields:
                if f.ref is None:
                    continue
                if other.name == obj.name and f.ref[0] in names and f.ref[0] != obj.name:
                    rel = etree.SubElement(rels, "relationship")
                    _sub(rel, "relatedObjectName", f.ref[0])
                    _sub(rel, "relationshipType", "MANY2ONE")
                    _sub(rel, "relatedBy", f.name)
                elif f.ref[0] == obj.name and other.name in names and other.name != obj.name:
                    rel = etree.SubElement(rels, "relationship")
                    _sub(rel, "relatedObjectName", other.name)
                    _sub(rel, "relationshipType", "ONE2MANY")
                    _sub(rel, "relatedBy", f.name)
    return FunctionOutcome(raw_data=etree.tostring(data))
