"""readByQuery, readMore, read and readByName (docs/intacct/protocol.md §5.1-§5.3)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.fragments import page_fragments
from intacct_sandbox.functions.common import (
    child_text,
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
from intacct_sandbox.objects import get_object
from intacct_sandbox.objects.base import ObjectDef
from intacct_sandbox.objects.writes import custom_fields
from intacct_sandbox.query.ast import select
from intacct_sandbox.query.readbyquery import parse
from intacct_sandbox.record_faults import NotInSandbox, OperationNotAllowed, ResultIdInvalid
from intacct_sandbox.store import CachedResult

READ_BY_QUERY_MAX = 1000
READ_BY_QUERY_DEFAULT = 100
READ_KEYS_MAX = 100


def _check_format(el: etree._Element, tag: str = "returnFormat") -> None:
    fmt = (child_text(el, tag) or child_text(el, tag.lower()) or "xml").strip().lower()
    if fmt != "xml":
        raise NotInSandbox(f"returnFormat {fmt} is not implemented in the sandbox; use xml.")


def _page(
    ctx: CallContext, obj: ObjectDef, fields: list[str], recordnos: list[int], start: int, size: int
) -> tuple[list[tuple[str, dict[str, Any]]], list[str] | None, int]:
    """Records of one page (skipping ones deleted meanwhile) and the position after it: as compact
    fragments when the answer is compact, else as dicts."""
    rows = ctx.store.rows(ctx.company_id, obj.name)
    end = min(start + size, len(recordnos))
    get = rows.get
    page = [row for row in map(get, recordnos[start:end]) if row is not None]
    if getattr(ctx, "compact", False):
        fragments = page_fragments(ctx, ctx.company_id, obj.name, obj.lower, fields, page, stamp_of(ctx))
        return [], fragments, end
    fmt = flat_formatter(obj, fields, stamp_of(ctx))
    return [(obj.lower, fmt(row)) for row in page], None, end


def _answer(
    obj: ObjectDef,
    records: list[tuple[str, dict[str, Any]]],
    fragments: list[str] | None,
    total: int,
    remaining: int,
    result_id: str,
) -> FunctionOutcome:
    return FunctionOutcome(
        records=records,
        fragments=fragments,
        data_attrs={
            "listtype": obj.lower,
            "count": str(len(records) + len(fragments or ())),
            "totalcount": str(total),
            "numremaining": str(remaining),
            "resultId": result_id,
        },
    )


@function("readByQuery")
@unwrapped
def read_by_query(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = object_for_read(child_text(el, "object"), ctx, "readByQuery")
    ctx.require(obj.name, "L")
    _check_format(el)
    obj = obj.with_custom(custom_fields(ctx.store, ctx.company_id, obj.name))
    fields = field_list(obj, child_text(el, "fields"))
    size = page_size(child_text(el, "pagesize"), READ_BY_QUERY_DEFAULT, READ_BY_QUERY_MAX)
    node = parse(child_text(el, "query"))
    keep = visible_filter(ctx, obj)
    if node is None and keep is None:
        # the store's shared snapshot: no copy of a 100k-key table per query (writes replace it)
        recordnos = ctx.store.recordnos(ctx.company_id, obj.name)
    else:
        rows = ctx.store.row_list(ctx.company_id, obj.name)
        recordnos = [r["RECORDNO"] for r in select(rows, obj, node, user_tz(ctx), keep=keep)]
    records, fragments, position = _page(ctx, obj, fields, recordnos, 0, size)
    remaining = len(recordnos) - position
    result_id = ""
    if remaining > 0:
        result_id = ctx.store.results.put(
            now=ctx.now.timestamp(),
            entry=CachedResult(
                ctx.company_id, obj.name, recordnos, fields, position, ctx.user_id, extra={"pagesize": size}
            ),
        )
    return _answer(obj, records, fragments, len(recordnos), remaining, result_id)


@function("readMore")
@unwrapped
def read_more(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    cache = ctx.store.results
    # readReport's reportId names a result set the same way (docs/intacct/gl-company-reads.md §5)
    result_id = (child_text(el, "resultId") or child_text(el, "reportId") or "").strip()
    if not result_id:
        name = (child_text(el, "object") or "").strip().upper()
        if not name:
            raise ResultIdInvalid("readMore needs a resultId (or an object whose last query continues).")
        result_id = cache.last_for_object(ctx.company_id, ctx.user_id, name) or ""
        if not result_id:
            raise ResultIdInvalid(f"There is no query on {name} to continue; run readByQuery first.")
    entry = cache.get(result_id, now=ctx.now.timestamp())
    if entry is None or entry.company_id != ctx.company_id or entry.owner != ctx.user_id:
        raise ResultIdInvalid(
            f"Invalid resultId {result_id}: it has expired, was fully read, or belongs to another session.",
            correction="Run readByQuery again to start a new result set.",
        )
    obj = get_object(entry.object_name)
    assert obj is not None
    ctx.require(obj.name, "L")
    records, fragments, position = _page(
        ctx,
        obj,
        entry.fields,
        entry.recordnos,
        entry.position,
        int(entry.extra.get("pagesize", READ_BY_QUERY_DEFAULT)),
    )
    entry.position = position
    remaining = len(entry.recordnos) - position
    if remaining <= 0:
        cache.drop(result_id)
    return _answer(
        obj, records, fragments, len(entry.recordnos), remaining, result_id if remaining > 0 else ""
    )


def _keys(el: etree._Element) -> list[str]:
    raw = child_text(el, "keys") or ""
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if len(keys) > READ_KEYS_MAX:
        raise OperationNotAllowed(f"Too many keys: at most {READ_KEYS_MAX} per read.")
    return keys


def _read_answer(
    ctx: CallContext, obj: ObjectDef, rows: list[dict[str, Any]], fields: list[str], everything: bool
) -> FunctionOutcome:
    stamp = stamp_of(ctx)
    records = [
        (obj.name, nested_record(ctx.store, ctx.company_id, obj, row, fields, stamp, with_lines=everything))
        for row in rows
    ]
    return FunctionOutcome(records=records, data_attrs={"listtype": obj.name, "count": str(len(records))})


@function("read")
@unwrapped
def read(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    """By RECORDNO; missing keys are left out of the answer (UNSURE §5.3: modelled as no error)."""
    obj = object_for_read(child_text(el, "object"), ctx)
    ctx.require(obj.name, "V")
    _check_format(el)
    fields_text = child_text(el, "fields")
    obj = obj.with_custom(custom_fields(ctx.store, ctx.company_id, obj.name))
    fields = field_list(obj, fields_text)
    keep = visible_filter(ctx, obj)
    keys = _keys(el)
    if keys:
        found = []
        for key in keys:
            row = ctx.store.get(ctx.company_id, obj.name, int(key)) if key.isdigit() else None
            if row is not None and (keep is None or keep(row)):
                found.append(row)
    else:
        # no keys: the first 100 records, as the docs describe
        found = list(
            select(ctx.store.row_list(ctx.company_id, obj.name), obj, None, keep=keep)[:READ_KEYS_MAX]
        )
    return _read_answer(ctx, obj, found, fields, (fields_text or "*").strip() == "*")


@function("readByName")
@unwrapped
def read_by_name(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = object_for_read(child_text(el, "object"), ctx)
    ctx.require(obj.name, "V")
    _check_format(el)
    if obj.id_field is None:
        raise OperationNotAllowed(
            f"API operation 'READ_BY_NAME' cannot be performed on objects of type "
            f"{obj.lower}: it has no name key; use read with RECORDNOs."
        )
    fields_text = child_text(el, "fields")
    obj = obj.with_custom(custom_fields(ctx.store, ctx.company_id, obj.name))
    fields = field_list(obj, fields_text)
    keep = visible_filter(ctx, obj)
    found = []
    for key in _keys(el):
        row = ctx.store.get_by_id(ctx.company_id, obj.name, key)
        if row is not None and (keep is None or keep(row)):
            found.append(row)
    return _read_answer(ctx, obj, found, fields, (fields_text or "*").strip() == "*")
