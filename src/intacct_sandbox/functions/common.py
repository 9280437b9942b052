"""Helpers shared by the function handlers: request XML to dicts, records to response shapes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from lxml import etree

from intacct_sandbox.objects import get_object
from intacct_sandbox.objects.base import ObjectDef
from intacct_sandbox.objects.values import Stamp, to_wire, tz_of, utc_stamp
from intacct_sandbox.objects.writes import is_visible
from intacct_sandbox.record_faults import (
    CAPTURED_UNKNOWN_OBJECT,
    UNKNOWN_OBJECT_META,
    InvalidFieldsList,
    PageSizeInvalid,
    QueryFailed,
    UnknownObject,
    UnknownObjectInQuery,
)

Row = dict[str, Any]


Handler = Callable[[Any, etree._Element], Any]


def unwrapped(handler: Handler) -> Handler:
    """Accept the ``<function controlid=...>`` wrapper as well as its content element, whichever the
    gateway hands over."""

    def run(ctx: Any, el: etree._Element) -> Any:
        if el.tag == "function":
            inner = children(el)
            if inner:
                el = inner[0]
        return handler(ctx, el)

    run.__name__ = getattr(handler, "__name__", "handler")
    run.__doc__ = handler.__doc__
    return run


def children(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def child(el: etree._Element, tag: str) -> etree._Element | None:
    for c in el:
        if isinstance(c.tag, str) and c.tag == tag:
            return c
    return None


def child_text(el: etree._Element, tag: str, default: str | None = None) -> str | None:
    c = child(el, tag)
    if c is None:
        return default
    return c.text if c.text is not None else ""


def element_to_dict(el: etree._Element, list_tags: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Nested dict of an element's children; a tag in ``list_tags`` becomes a list of its children."""
    out: dict[str, Any] = {}
    for c in children(el):
        tag = str(c.tag)
        if tag in list_tags:
            out[tag] = [element_to_dict(item) for item in children(c)]
        elif children(c):
            out[tag] = element_to_dict(c, list_tags)
        else:
            out[tag] = c.text or ""
    return out


def unknown_object_errorno(ctx: Any, function: str) -> str:
    """The errorno of an unknown object for this function, by the company's variant ("captured" unless
    switched)."""
    store = getattr(ctx, "store", None)
    chosen = store.get_meta(UNKNOWN_OBJECT_META.format(company=ctx.company_id)) if store is not None else None
    if chosen in ("XXX", "Query Failed"):
        return str(chosen)
    return CAPTURED_UNKNOWN_OBJECT.get(function, "XXX")


def object_for_read(name: str | None, ctx: Any = None, function: str = "read") -> ObjectDef:
    """The object of a read, or the unknown-object failure as Intacct answers it for ``function``
    (docs/intacct/gl-company-reads.md §3): ``query`` answers XL03000009 with an empty ``<data>``,
    inspect "Object type X not found", the other reads "Object definition X not found" with the
    company's errorno variant."""
    text = (name or "").strip()
    obj = get_object(text) if text else None
    if obj is None:
        if function == "query":
            raise UnknownObjectInQuery.for_name(text)
        if ctx is None:
            raise QueryFailed.unknown_object(text)
        raise UnknownObject.for_name(
            text, unknown_object_errorno(ctx, function), inspect=function == "inspect"
        )
    return obj


def stamp_of(ctx: Any) -> Stamp:
    fn = getattr(ctx, "timestamp", None)
    if fn is None:
        return utc_stamp
    cache: dict[datetime, str] = {}

    def stamp(value: datetime) -> str:
        # demo data shares timestamps across many rows: format each distinct one once
        text = cache.get(value)
        if text is None:
            text = cache[value] = fn(value)
        return text

    return stamp


def user_tz(ctx: Any) -> tzinfo:
    explicit = getattr(ctx, "tzinfo", None)
    if isinstance(explicit, tzinfo):
        return explicit
    fn = getattr(ctx, "timestamp", None)
    return tz_of(fn, ctx.now) if fn is not None else tz_of(utc_stamp, ctx.now)


def field_list(obj: ObjectDef, text: str | None, custom: list[str] | None = None) -> list[str]:
    """``*`` (or empty) = every field (then the custom ones); else a comma-separated list, each
    checked against the schema."""
    raw = (text or "").strip()
    extra = custom or []
    if raw in ("", "*"):
        return [*obj.field_names(), *extra]
    sent = [n.strip() for n in raw.split(",") if n.strip()]
    names = [n.upper() for n in sent]
    # the errorno echoes the names as sent ("Invalid fields list x")
    bad = [s for s, n in zip(sent, names, strict=True) if n not in obj.by_name and n not in extra]
    if bad:
        raise InvalidFieldsList.for_fields(bad)
    return list(dict.fromkeys(names))


def page_size(text: str | None, default: int, maximum: int) -> int:
    if text is None or text.strip() == "":
        return default
    raw = text.strip()
    if not raw.lstrip("-").isdigit() or not 1 <= int(raw) <= maximum:
        raise PageSizeInvalid(f"Invalid pagesize {raw}: it must be an integer from 1 to {maximum}.")
    return int(raw)


def visible_filter(ctx: Any, obj: ObjectDef, showprivate: bool = False) -> Callable[[Row], bool] | None:
    """None when every record is visible (fast path), else the entity-visibility test."""
    if not obj.entity_owned or not ctx.store.has_owned(ctx.company_id, obj.name):
        return None
    location_id = getattr(ctx, "location_id", None)
    return lambda row: is_visible(obj, row, location_id, showprivate)


def flat_formatter(obj: ObjectDef, fields: list[str], stamp: Stamp) -> Callable[[Row], dict[str, Any]]:
    """Row -> {dotted name: text} in the given field order (readByQuery, query)."""
    names = list(fields)

    def fmt(row: Row) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in names:
            value = row.get(name)
            out[name] = value if value is None or value.__class__ is str else to_wire(value, stamp)
        return out

    return fmt


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    """{"A.B.C": x} -> {"A": {"B": {"C": x}}} (read, readByName, create results)."""
    out: dict[str, Any] = {}
    for name, value in flat.items():
        parts = name.split(".")
        node = out
        for part in parts[:-1]:
            nxt = node.get(part)
            if not isinstance(nxt, dict):
                nxt = node[part] = {}
            node = nxt
        node[parts[-1]] = value
    return out


def nested_record(
    store: Any,
    company_id: str,
    obj: ObjectDef,
    row: Row,
    fields: list[str],
    stamp: Stamp,
    with_lines: bool = True,
) -> dict[str, Any]:
    """A record as ``read`` answers it: nested, owned lines under their collection element."""
    record = nest(flat_formatter(obj, fields, stamp)(row))
    if with_lines and obj.lines is not None:
        line_def = get_object(obj.lines.line_object)
        assert line_def is not None
        lines = store.children(company_id, obj.lines.line_object, row["RECORDNO"])
        record[obj.lines.collection] = {
            obj.lines.element: [
                nested_record(store, company_id, line_def, line, line_def.field_names(), stamp)
                for line in lines
            ]
        }
    return record


def export_records(
    store: Any, company_id: str, object_name: str, stamp: Stamp = utc_stamp
) -> list[dict[str, Any]]:
    """Every stored record of an object, nested as ``read`` returns them (control-plane ``records``)."""
    obj = get_object(object_name)
    if obj is None:
        raise QueryFailed.unknown_object(object_name)
    return [
        nested_record(store, company_id, obj, row, obj.field_names(), stamp)
        for row in store.scan(company_id, obj.name)
    ]


def key_result(obj: ObjectDef, row: Row) -> tuple[str, dict[str, Any]]:
    """The create/update result entry: lower-case object holding RECORDNO and the business ID."""
    record: dict[str, Any] = {"RECORDNO": str(row["RECORDNO"])}
    if obj.id_field is not None:
        record[obj.id_field] = to_wire(row.get(obj.id_field), utc_stamp)
    return obj.lower, record
