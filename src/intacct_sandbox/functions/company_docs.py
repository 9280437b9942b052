"""Attachments (supporting documents and their folders) and the legacy deletes of the General Ledger,
Company, Time & Expenses and item records, as the SDKs send them (docs/intacct/gl-company-reads.md §2).

``create_supdoc`` / ``update_supdoc`` / ``delete_supdoc`` and ``create_supdocfolder`` /
``update_supdocfolder`` / ``delete_supdocfolder`` are legacy functions: lower-case elements, the answer
is ``<key>`` (the document ID or folder name). An update adds the files it carries to the document.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.functions.common import child, child_text, children, unwrapped
from intacct_sandbox.functions.legacy import LEGACY_DELETES, legacy_delete
from intacct_sandbox.objects import get_object
from intacct_sandbox.objects.base import ObjectDef
from intacct_sandbox.objects.writes import LINES_KEY, WriteContext, create, lines_of, update
from intacct_sandbox.record_faults import UpdateOfMissingRecord, ValidationFailed

#: function -> (object, attribute naming the record, attribute holds the business ID)
DELETES: dict[str, tuple[str, str, bool]] = {
    "delete_statglaccount": ("STATACCOUNT", "glaccountno", True),
    "delete_allocation": ("ALLOCATION", "key", True),
    "delete_item": ("ITEM", "itemid", True),
    "delete_expensetype": ("EEACCOUNTLABEL", "expensetype", True),
    "delete_supdoc": ("SUPDOC", "key", True),
    "delete_supdocfolder": ("SUPDOCFOLDER", "key", True),
    "delete_expensereport": ("EEXPENSES", "key", False),
    "delete_expenseadjustmentreport": ("EXPENSEADJUSTMENTS", "key", False),
}
LEGACY_DELETES.update(DELETES)
function(*DELETES)(unwrapped(legacy_delete))


def _object(name: str) -> ObjectDef:
    obj = get_object(name)
    assert obj is not None
    return obj


def _known(el: etree._Element, allowed: set[str]) -> None:
    for c in children(el):
        if str(c.tag) not in allowed:
            raise ValidationFailed(f"Unknown element <{c.tag}> in <{el.tag}>.")


def _files(el: etree._Element) -> list[dict[str, Any]] | None:
    box = child(el, "attachments")
    if box is None:
        return None
    files = []
    for item in children(box):
        if item.tag != "attachment":
            raise ValidationFailed(f"Unknown element <{item.tag}> in <attachments>.")
        files.append(
            {
                "ATTACHMENTNAME": child_text(item, "attachmentname") or "",
                "ATTACHMENTTYPE": child_text(item, "attachmenttype") or "",
                "ATTACHMENTDATA": child_text(item, "attachmentdata") or "",
            }
        )
    return files


SUPDOC_ELEMENTS = {"supdocid", "supdocname", "supdocfoldername", "supdocdescription", "attachments"}


@function("create_supdoc")
@unwrapped
def create_supdoc(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = _object("SUPDOC")
    ctx.require(obj.name, "A")
    _known(el, SUPDOC_ELEMENTS)
    data: dict[str, Any] = {
        "SUPDOCID": child_text(el, "supdocid") or "",
        "DOCUMENTNAME": child_text(el, "supdocname") or "",
        "FOLDERNAME": child_text(el, "supdocfoldername") or "",
        "DESCRIPTION": child_text(el, "supdocdescription") or "",
        "ATTACHMENTS": _files(el) or [],
    }
    row = create(WriteContext.of(ctx), obj, data)
    return FunctionOutcome(key=str(row["SUPDOCID"]))


@function("update_supdoc")
@unwrapped
def update_supdoc(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    """Changes the name, folder or description given and adds the files sent to the document."""
    obj = _object("SUPDOC")
    ctx.require(obj.name, "E")
    _known(el, SUPDOC_ELEMENTS)
    key = (child_text(el, "supdocid") or "").strip()
    if not key:
        raise ValidationFailed("Required field supdocid is missing.")
    wc = WriteContext.of(ctx)
    existing = wc.find(obj.name, key)
    if existing is None:
        raise UpdateOfMissingRecord.for_key(obj.name, "SUPDOCID", key)
    data: dict[str, Any] = {"SUPDOCID": key}
    for tag, name in (
        ("supdocname", "DOCUMENTNAME"),
        ("supdocfoldername", "FOLDERNAME"),
        ("supdocdescription", "DESCRIPTION"),
    ):
        value = child_text(el, tag)
        if value is not None:
            data[name] = value
    added = _files(el)
    if added:
        kept = [
            {k: line.get(k) for k in ("ATTACHMENTNAME", "ATTACHMENTTYPE", "ATTACHMENTDATA")}
            for line in lines_of(wc, obj, {k: v for k, v in existing.items() if k != LINES_KEY})
        ]
        data["ATTACHMENTS"] = kept + added
    update(wc, obj, data)
    return FunctionOutcome(key=key)


FOLDER_ELEMENTS = {"supdocfoldername", "supdocfolderdescription", "supdocparentfoldername"}


def _folder_data(el: etree._Element) -> dict[str, Any]:
    _known(el, FOLDER_ELEMENTS)
    name = (child_text(el, "supdocfoldername") or "").strip()
    if not name:
        raise ValidationFailed("Required field supdocfoldername is missing.")
    data: dict[str, Any] = {"NAME": name}
    for tag, field in (
        ("supdocfolderdescription", "DESCRIPTION"),
        ("supdocparentfoldername", "PARENTFOLDERNAME"),
    ):
        value = child_text(el, tag)
        if value is not None:
            data[field] = value
    return data


@function("create_supdocfolder")
@unwrapped
def create_supdocfolder(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = _object("SUPDOCFOLDER")
    ctx.require(obj.name, "A")
    row = create(WriteContext.of(ctx), obj, _folder_data(el))
    return FunctionOutcome(key=str(row["NAME"]))


@function("update_supdocfolder")
@unwrapped
def update_supdocfolder(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = _object("SUPDOCFOLDER")
    ctx.require(obj.name, "E")
    data = _folder_data(el)
    update(WriteContext.of(ctx), obj, data)
    return FunctionOutcome(key=str(data["NAME"]))


@function("get_applications")
@unwrapped
def get_applications(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    """The applications the company subscribes to (.NET SDK SubscriptionList): the sandbox's modules,
    one ``<application>`` each with its ID and name (shape modelled)."""
    from intacct_sandbox.company.model import MODULES
    from intacct_sandbox.functions.company_info import APPLICATION_NAMES

    records = [
        ("application", {"id": module, "name": APPLICATION_NAMES.get(module, module)}) for module in MODULES
    ]
    return FunctionOutcome(
        records=records, data_attrs={"listtype": "application", "count": str(len(records))}
    )
