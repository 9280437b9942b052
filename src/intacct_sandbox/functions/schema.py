"""lookup and inspect, answered from the sandbox's own schemas (docs/intacct/protocol.md §5.4). The ``<data>``
wrapper attributes are UNSURE; the sandbox writes listtype and count as other reads do."""

from __future__ import annotations

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.functions.common import child_text, object_for_read, unwrapped
from intacct_sandbox.objects import all_objects
from intacct_sandbox.objects.base import DATATYPES, ObjectDef


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


def _label(name: str) -> str:
    return name.replace(".", " ").replace("_", " ").title()


def type_element(obj: ObjectDef, detail: bool = True) -> etree._Element:
    root = etree.Element("Type", Name=obj.name, DocumentType="")
    fields = _sub(root, "Fields")
    for f in obj.fields:
        if not detail:
            _sub(fields, "Field", f.name)
            continue
        el = _sub(fields, "Field")
        _sub(el, "ID", f.name)
        _sub(el, "LABEL", f.label or _label(f.name))
        _sub(el, "DESCRIPTION", f.label or _label(f.name))
        required = f.required or (f.name == obj.id_field and not obj.auto_id)
        _sub(el, "REQUIRED", "true" if required else "false")
        _sub(el, "READONLY", "true" if f.readonly else "false")
        _sub(el, "DATATYPE", DATATYPES[f.type])
        if f.choices:
            values = _sub(el, "VALIDVALUES")
            for display in f.choices:
                _sub(values, "VALIDVALUE", display)
        _sub(el, "ISCUSTOM", "false")
    if detail:
        relationships = _sub(root, "Relationships")
        for f in obj.fields:
            if f.ref is None:
                continue
            rel = _sub(relationships, "Relationship")
            target, _key = f.ref
            _sub(rel, "OBJECTPATH", f.name.removesuffix("ID") or f.name)
            _sub(rel, "OBJECTNAME", target.lower())
            _sub(rel, "LABEL", _label(f.name))
            _sub(rel, "RELATIONSHIPTYPE", "MANY2ONE")
            _sub(rel, "RELATEDBY", f.name)
    return root


def _data(listtype: str, items: list[etree._Element]) -> bytes:
    data = etree.Element("data", listtype=listtype, count=str(len(items)))
    data.extend(items)
    return etree.tostring(data, encoding="unicode").encode("utf-8")


@function("lookup")
@unwrapped
def lookup(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = object_for_read(child_text(el, "object"), ctx, "lookup")
    ctx.require(obj.name, "L")
    return FunctionOutcome(raw_data=_data(obj.name, [type_element(obj)]))


@function("inspect")
@unwrapped
def inspect(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    name = (child_text(el, "object") or child_text(el, "name") or "").strip()
    if name == "*":
        items = []
        for obj in sorted(all_objects(), key=lambda o: o.name):
            item = etree.Element("type", typename=obj.name)
            item.text = obj.label
            items.append(item)
        return FunctionOutcome(raw_data=_data("All", items))
    obj = object_for_read(name, ctx, "inspect")
    ctx.require(obj.name, "L")
    detail = (el.get("detail") or "0").strip() == "1"
    return FunctionOutcome(raw_data=_data(obj.name, [type_element(obj, detail)]))
