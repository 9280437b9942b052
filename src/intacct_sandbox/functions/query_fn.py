"""The ``query`` function (docs/intacct/protocol.md §5.5): select/aggregates, filter, orderby, options,
pagesize 1..2000 and offset. Each call is a new query; there is no resultId."""

from __future__ import annotations

from typing import Any

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.fragments import page_fragments
from intacct_sandbox.functions.common import (
    child,
    child_text,
    children,
    object_for_read,
    page_size,
    stamp_of,
    unwrapped,
    user_tz,
    visible_filter,
)
from intacct_sandbox.objects import get_object
from intacct_sandbox.objects.base import ObjectDef
from intacct_sandbox.objects.values import to_wire
from intacct_sandbox.objects.writes import custom_fields
from intacct_sandbox.ordered import OrderedRows
from intacct_sandbox.query.ast import resolve_field, select
from intacct_sandbox.query.filters import parse_filter
from intacct_sandbox.query.ordering import AGGREGATES, group_rows, order_rows
from intacct_sandbox.record_faults import InvalidFields, NotInSandbox, QuerySyntaxError

QUERY_MAX = 2000
QUERY_DEFAULT = 100


def _flag(el: etree._Element | None, tag: str) -> bool:
    if el is None:
        return False
    return (child_text(el, tag) or "").strip().lower() in ("true", "1", "t")


def related_field(obj: ObjectDef, name: str) -> tuple[str, str, str] | None:
    """A many-to-one related field (``VENDOR.CREDITLIMIT`` on APBILL, §5.5): (reference field on obj,
    target object, field of the target), found through the schema's references."""
    path, _, target_field = name.upper().rpartition(".")
    for f in obj.fields:
        if f.ref is None or not path:
            continue
        if path in (f.name.removesuffix("ID"), f.ref[0]):
            target = get_object(f.ref[0])
            if target is not None and target_field in target.by_name:
                return f.name, target.name, target_field
    return None


def with_related(
    ctx: CallContext, row: dict[str, Any], joins: dict[str, tuple[str, str, str]]
) -> dict[str, Any]:
    out = dict(row)
    for column, (ref_field, target, target_field) in joins.items():
        key = row.get(ref_field)
        other = ctx.store.get_by_id(ctx.company_id, target, str(key)) if key not in (None, "") else None
        out[column] = None if other is None else other.get(target_field)
    return out


@function("query")
@unwrapped
def query(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = object_for_read(child_text(el, "object"), ctx, "query")
    # records and listtype are named as the request spells the object: sageintacctsdk's AllocationEntry
    # queries "allocationentry" and reads data["allocationentry"] (docs/intacct/gl-company-reads.md §5)
    element = (child_text(el, "object") or "").strip()
    ctx.require(obj.name, "L")
    obj = obj.with_custom(custom_fields(ctx.store, ctx.company_id, obj.name))
    select_el = child(el, "select")
    if select_el is None or not children(select_el):
        raise InvalidFields(
            "The query needs a <select> with at least one <field>; returning all fields is not supported."
        )
    unknown = [
        (item.text or "").strip().upper()
        for item in children(select_el)
        if (item.text or "").strip() not in ("", "*")
        and (item.text or "").strip().upper() not in obj.by_name
        and related_field(obj, (item.text or "").strip()) is None
    ]
    if unknown:
        # every unknown select field at once, as "\n\t<object>: [F1, F2]": sageintacctsdk's
        # AllocationEntry reads that list and retries without them (docs/intacct/gl-company-reads.md §3)
        raise InvalidFields(f"Invalid fields in the select:\n\t{obj.lower}: [{', '.join(unknown)}]")
    plain: list[str] = []
    aggregates: list[tuple[str, str]] = []
    joins: dict[str, tuple[str, str, str]] = {}
    for item in children(select_el):
        name = (item.text or "").strip()
        if name == "*":
            raise InvalidFields("Returning all fields is not supported; list the fields in <select>.")
        join = related_field(obj, name) if item.tag == "field" and name.upper() not in obj.by_name else None
        if join is not None:
            joins[name.upper()] = join
            plain.append(name.upper())
            continue
        f = resolve_field(obj, name)
        if item.tag == "field":
            plain.append(f.name)
        elif item.tag in AGGREGATES:
            aggregates.append((str(item.tag), f.name))
        else:
            raise QuerySyntaxError(f"Unknown select element <{item.tag}>.")
    # a field selected twice is answered once
    plain = list(dict.fromkeys(plain))
    options = child(el, "options")
    caseinsensitive = _flag(options, "caseinsensitive")
    showprivate = _flag(options, "showprivate")
    fmt_name = (child_text(options, "returnformat") if options is not None else None) or "xml"
    if fmt_name.strip().lower() != "xml":
        raise NotInSandbox(f"returnformat {fmt_name.strip()} is not implemented in the sandbox; use xml.")
    size = page_size(child_text(el, "pagesize"), QUERY_DEFAULT, QUERY_MAX)
    offset_text = (child_text(el, "offset") or "0").strip() or "0"
    if not offset_text.isdigit():
        raise QuerySyntaxError(f"Invalid offset {offset_text}: it must be a whole number of 0 or more.")
    offset = int(offset_text)
    filter_el = child(el, "filter")
    node = parse_filter(filter_el) if filter_el is not None else None
    order: list[tuple[str, bool]] = []
    orderby = child(el, "orderby")
    for order_el in children(orderby) if orderby is not None else []:
        name = (child_text(order_el, "field") or "").strip()
        if not name:
            raise QuerySyntaxError("<order> needs a <field>.")
        order.append((resolve_field(obj, name).name, child(order_el, "descending") is not None))

    # Stored rows come from the store in the order asked for: RECORDNO order is the table's own, any
    # other order is kept sorted on write (intacct_sandbox.ordered), so no page sorts the table.
    # Grouped rows are made per call and sorted below.
    if order and not aggregates and order != [("RECORDNO", False)]:
        source = ctx.store.sorted_rows(ctx.company_id, obj.name, tuple(order), caseinsensitive)
    else:
        source = ctx.store.row_list(ctx.company_id, obj.name)
    rows = select(
        # a shared snapshot (read-only; select returns it as is when nothing filters)
        source,
        obj,
        node,
        user_tz(ctx),
        caseinsensitive,
        keep=visible_filter(ctx, obj, showprivate),
    )
    if aggregates and joins:
        raise QuerySyntaxError(
            "Related fields (VENDOR.NAME) cannot be grouped in the sandbox; select them without aggregates."
        )
    if aggregates:
        rows = group_rows(rows, obj, plain, aggregates)
        columns = [*plain, *(f"{kind.upper()}.{name}" for kind, name in aggregates)]
        order = [(n, d) for n, d in order if n in plain]
    else:
        columns = plain
    if order and aggregates:
        rows = order_rows(rows, obj, order, caseinsensitive)
    total = len(rows)
    recordnos: list[int] | None = None
    if isinstance(rows, OrderedRows):
        recordnos, page = rows.keyed(offset, offset + size)
    else:
        page = list(rows[offset : offset + size])
    if joins:
        page = [with_related(ctx, row, joins) for row in page]
    stamp = stamp_of(ctx)
    records: list[tuple[str, dict[str, Any]]] = []
    fragments: list[str] | None = None
    if getattr(ctx, "compact", False) and not joins and not aggregates:
        # stored rows only (joined and grouped rows are made per call): cacheable fragments
        fragments = page_fragments(ctx, ctx.company_id, obj.name, element, columns, page, stamp, recordnos)
    else:
        records = [(element, {c: to_wire(row.get(c), stamp) for c in columns}) for row in page]
    remaining = max(total - offset - len(page), 0)
    return FunctionOutcome(
        records=records,
        fragments=fragments,
        data_attrs={
            "listtype": element,
            "totalcount": str(total),
            "offset": str(offset),
            "count": str(len(page)),
            "numremaining": str(remaining),
        },
    )
