"""update_bill and update_invoice ([net] BillUpdate / InvoiceUpdate, docs/intacct/payables-receivables.md
§12), and the line merge they share with update_cctransaction.

``<update_bill key="1234">`` names the bill by RECORDNO, ``key="X" externalkey="true"`` by EXTERNALID.
Header elements replace the stored ones; inside ``<updatebillitems>`` / ``<updateinvoiceitems>`` an
``<updatelineitem line_num="N">`` changes line N (counted from 1) and a ``<lineitem>`` adds a line.
The answer is ``<key>`` = the RECORDNO.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.functions.common import child, children, unwrapped
from intacct_sandbox.functions.legacy import DOC_DATES, DOC_MAP, LINE_MAP, _map
from intacct_sandbox.objects import get_object
from intacct_sandbox.objects.base import ObjectDef
from intacct_sandbox.objects.writes import WriteContext, update
from intacct_sandbox.record_faults import RecordNotFound, ValidationFailed


def merged_lines(
    wc: WriteContext, obj: ObjectDef, parent: int, box: etree._Element | None, mapping: dict[str, str]
) -> list[dict[str, Any]] | None:
    """The document's lines as wire text with the box's changes and additions; None if no box."""
    if box is None:
        return None
    assert obj.lines is not None
    line_def = get_object(obj.lines.line_object)
    assert line_def is not None
    editable = {f.name for f in line_def.fields if not f.readonly}
    lines = [
        {k: "" if v is None else str(v) for k, v in line.items() if k in editable}
        for line in wc.store.children(wc.company_id, obj.lines.line_object, parent)
    ]
    for item in children(box):
        fields = {
            k: v for k, v in _map(item, mapping, {}, {}, frozenset()).items() if not isinstance(v, dict)
        }
        if str(item.tag).startswith("update"):
            number = (item.get("line_num") or "").strip()
            if not number.isdigit() or not 1 <= int(number) <= len(lines):
                raise ValidationFailed(
                    f"Invalid line_num '{number}' in <{item.tag}>: the document has {len(lines)} line(s).",
                    correction="Number lines from 1, or send a <lineitem> to add one.",
                )
            lines[int(number) - 1].update(fields)
        else:
            lines.append(fields)
    return lines


def _document(
    ctx: CallContext, el: etree._Element, name: str
) -> tuple[WriteContext, ObjectDef, dict[str, Any]]:
    obj = get_object(name)
    assert obj is not None
    ctx.require(obj.name, "E")
    key = (el.get("key") or "").strip()
    wc = WriteContext.of(ctx)
    if (el.get("externalkey") or "").strip().lower() == "true":
        row = next((r for r in wc.store.scan(wc.company_id, obj.name) if r.get("EXTERNALID") == key), None)
        row = row if row is not None and wc.visible(obj.name, row) else None
    else:
        row = wc.get(obj.name, int(key)) if key.isdigit() else None
    if row is None:
        raise RecordNotFound(f"Cannot find {obj.lower} with key '{key}' to update.")
    return wc, obj, row


def _update_document(
    ctx: CallContext, el: etree._Element, name: str, header: dict[str, str], nested: dict[str, str], box: str
) -> FunctionOutcome:
    wc, obj, row = _document(ctx, el, name)
    data = _map(el, {**DOC_MAP, **header}, DOC_DATES, nested, frozenset({box, "exchrate"}))
    assert obj.lines is not None
    lines = merged_lines(wc, obj, row["RECORDNO"], child(el, box), LINE_MAP)
    if lines is not None:
        data[obj.lines.collection] = lines
    data["RECORDNO"] = str(row["RECORDNO"])
    update(wc, obj, data)
    return FunctionOutcome(key=str(row["RECORDNO"]))


@function("update_bill")
@unwrapped
def update_bill(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    return _update_document(
        ctx,
        el,
        "APBILL",
        {"vendorid": "VENDORID", "billno": "RECORDID"},
        {"payto": "BILLTOPAYTOCONTACTNAME", "returnto": "SHIPTORETURNTOCONTACTNAME"},
        "updatebillitems",
    )


@function("update_invoice")
@unwrapped
def update_invoice(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    # [net] InvoiceUpdate writes the bill's payto/returnto names for the invoice's bill-to/ship-to
    return _update_document(
        ctx,
        el,
        "ARINVOICE",
        {"customerid": "CUSTOMERID", "invoiceno": "RECORDID"},
        {
            "billto": "BILLTO.CONTACTNAME",
            "shipto": "SHIPTO.CONTACTNAME",
            "payto": "BILLTO.CONTACTNAME",
            "returnto": "SHIPTO.CONTACTNAME",
        },
        "updateinvoiceitems",
    )
