"""Generic create / update / delete (docs/intacct/protocol.md §6).

Several records, even of several objects, per function. A failing record fails the function; the
records before it that succeeded are listed on the fault (``fault.partial``) in the documented
``<data listtype="objects" count="N"/>`` shape, since Intacct reports them alongside the errors (§6).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.faults import ResultFault
from intacct_sandbox.functions.common import (
    child,
    child_text,
    children,
    element_to_dict,
    key_result,
    unwrapped,
)
from intacct_sandbox.objects import get_object
from intacct_sandbox.objects.base import ObjectDef
from intacct_sandbox.objects.writes import WriteContext, check_allowed, create, delete, update
from intacct_sandbox.record_faults import CouldNotCreate, QueryFailed, RecordNotFound, ValidationFailed


def write_object(tag: str) -> ObjectDef:
    obj = get_object(tag)
    if obj is None:
        raise QueryFailed.unknown_object(tag)
    return obj


def _line_tags(obj: ObjectDef) -> frozenset[str]:
    if obj.lines is None:
        return frozenset()
    return frozenset({obj.lines.collection, obj.lines.collection.lower()})


MULTI_VALUE_SEPARATOR = "#~#"


def _join_repeated(item: etree._Element, line_tags: frozenset[str]) -> etree._Element:
    """A container element repeated once per value (UserCreate's <USERLOCATIONS><LOCATIONID>E100
    </LOCATIONID></USERLOCATIONS><USERLOCATIONS>…) becomes one, its leaves' values joined with #~#,
    Intacct's separator for multi-value fields (RESTRICTEDLOCATIONS). Line collections are untouched."""
    seen: dict[str, etree._Element] = {}
    repeated = False
    for c in children(item):
        tag = str(c.tag)
        if tag in line_tags or not children(c):
            continue
        if tag in seen:
            repeated = True
        seen.setdefault(tag, c)
    if not repeated:
        return item
    copy = etree.fromstring(etree.tostring(item))
    first: dict[str, etree._Element] = {}
    for c in children(copy):
        tag = str(c.tag)
        if tag in line_tags or not children(c):
            continue
        if tag not in first:
            first[tag] = c
            continue
        for leaf in children(c):
            target = child(first[tag], str(leaf.tag))
            if target is None:
                first[tag].append(leaf)
            else:
                target.text = f"{target.text or ''}{MULTI_VALUE_SEPARATOR}{leaf.text or ''}"
        copy.remove(c)
    return copy


def _objects_outcome(records: list[tuple[str, dict[str, Any]]]) -> FunctionOutcome:
    return FunctionOutcome(records=records, data_attrs={"listtype": "objects", "count": str(len(records))})


def _run(ctx: CallContext, el: etree._Element, operation: str) -> FunctionOutcome:
    wc = WriteContext.of(ctx)
    done: list[tuple[str, dict[str, Any]]] = []
    items = children(el)
    if not items:
        raise ValidationFailed(f"<{el.tag}> holds no object to {el.tag}.")
    for item in items:
        try:
            obj = write_object(str(item.tag))
            check_allowed(obj, operation)
            ctx.require(obj.name, "A" if operation == "CREATE" else "E")
            data = element_to_dict(_join_repeated(item, _line_tags(obj)), _line_tags(obj))
            row = create(wc, obj, data) if operation == "CREATE" else update(wc, obj, data)
            done.append(key_result(obj, row))
        except ResultFault as fault:
            if operation == "CREATE" and not any(
                e.errorno == "BL01001973" and "Could not create" in e.description2 for e in fault.errors
            ):
                name = str(item.tag).lower()
                fault.extra.append(CouldNotCreate(f"Could not create {name} record!").detail)
            fault.partial = _objects_outcome(done)  # type: ignore[attr-defined]
            raise
    return _objects_outcome(done)


@function("create")
@unwrapped
def create_fn(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    return _run(ctx, el, "CREATE")


@function("update")
@unwrapped
def update_fn(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    return _run(ctx, el, "UPDATE")


@function("delete")
@unwrapped
def delete_fn(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    """``<delete><object>CUSTOMER</object><keys>112,113</keys></delete>``: RECORDNOs; success has no data.
    Every key is checked before anything is deleted."""
    obj = write_object((child_text(el, "object") or "").strip())
    check_allowed(obj, "DELETE")
    ctx.require(obj.name, "D")
    keys = [k.strip() for k in (child_text(el, "keys") or "").split(",") if k.strip()]
    if not keys:
        raise ValidationFailed("Required field keys is missing: list the RECORDNOs to delete.")
    wc = WriteContext.of(ctx)
    for key in keys:
        if not key.isdigit() or wc.get(obj.name, int(key)) is None:
            raise RecordNotFound.for_delete(obj.lower, key)
    for key in keys:
        delete(wc, obj, key)
    return FunctionOutcome(no_data=True)
