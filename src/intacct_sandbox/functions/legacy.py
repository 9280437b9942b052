"""Legacy (2.1-style) functions the official SDKs still send (docs/intacct/protocol.md §6;
docs/intacct/objects.md §9, §11-§13): lower-case, dates split into <year><month><day>, the answer is
``<key>``.

Shapes follow intacct-sdk-php's tests (BillCreateTest, InvoiceCreateTest, ArPaymentCreateTest,
ArPaymentApplyTest, ArAdjustmentCreateTest, *DeleteTest). Elements the sandbox does not model but the
SDK may send (exchange rates, custom fields, nogl, supdocid) are accepted and ignored; any other
element is rejected so a misspelt one is never silently dropped.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.functions.common import child, child_text, children, unwrapped
from intacct_sandbox.objects import get_object
from intacct_sandbox.objects.arpayment import apply_to, check_applications
from intacct_sandbox.objects.base import ObjectDef
from intacct_sandbox.objects.documents import ZERO, money
from intacct_sandbox.objects.writes import WriteContext, create, delete, touch
from intacct_sandbox.record_faults import RecordNotFound, ValidationFailed

IGNORED = frozenset(
    {
        "exchratedate",
        "exchratetype",
        "exchrate",
        "nogl",
        "supdocid",
        "customfields",
        "taxsolutionid",
        "revrectemplate",
        "defrevaccount",
        "revrecstartdate",
        "revrecenddate",
        "taxentries",
        "totalamount",
        "allocationid",
        "key",
        "contractid",
        "warehouseid",
        "cctype",
        "authcode",
        "overpaylocid",
        "overpaydeptid",
        "inclusivetax",
        # line elements the SDKs' *LineCreate classes write that Intacct computes itself
        "totalpaid",
        "totaldue",
        "item1099",
        "form1099type",
        "form1099box",
    }
)


def legacy_date(el: etree._Element | None) -> str | None:
    """<year>2015</year><month>06</month><day>30</day> -> 06/30/2015."""
    if el is None:
        return None
    parts = [(child_text(el, p) or "").strip() for p in ("year", "month", "day")]
    if not all(p.isdigit() for p in parts):
        raise ValidationFailed(f"Invalid date in <{el.tag}>: year, month and day must be numbers.")
    year, month, day = parts
    return f"{int(month):02d}/{int(day):02d}/{int(year):04d}"


def _map(
    el: etree._Element,
    mapping: dict[str, str],
    dates: dict[str, str],
    nested: dict[str, str],
    skip: frozenset[str],
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for c in children(el):
        tag = str(c.tag)
        if tag in skip or (tag in IGNORED and tag not in mapping):
            continue
        if tag in dates:
            data[dates[tag]] = legacy_date(c)
        elif tag in nested:
            data[nested[tag]] = child_text(c, "contactname") or ""
        elif tag in mapping:
            data[mapping[tag]] = c.text or ""
        else:
            raise ValidationFailed(f"Unknown element <{tag}> in <{el.tag}>.")
    out: dict[str, Any] = {}
    for name, value in data.items():
        # dotted targets (BILLTO.CONTACTNAME) become nested, as generic requests send them
        node = out
        parts = name.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


LINE_MAP = {
    "glaccountno": "ACCOUNTNO",
    "accountlabel": "ACCOUNTLABEL",
    "offsetglaccountno": "OFFSETGLACCOUNTNO",
    "amount": "TRX_AMOUNT",
    "memo": "ENTRYDESCRIPTION",
    "locationid": "LOCATIONID",
    "departmentid": "DEPARTMENTID",
    "projectid": "PROJECTID",
    "taskid": "TASKID",
    "customerid": "CUSTOMERID",
    "vendorid": "VENDORID",
    "employeeid": "EMPLOYEEID",
    "itemid": "ITEMID",
    "classid": "CLASSID",
    "billable": "BILLABLE",
}
DOC_DATES = {"datecreated": "WHENCREATED", "dateposted": "WHENPOSTED", "datedue": "WHENDUE"}
DOC_MAP = {
    "termname": "TERMNAME",
    "action": "ACTION",
    "batchkey": "PRBATCH",
    "ponumber": "DOCNUMBER",
    "onhold": "ONHOLD",
    "description": "DESCRIPTION",
    "externalid": "EXTERNALID",
    "basecurr": "BASECURR",
    "currency": "CURRENCY",
}


def _lines(el: etree._Element, container: str) -> list[dict[str, Any]]:
    box = child(el, container)
    if box is None:
        return []
    return [_map(item, LINE_MAP, {}, {}, frozenset()) for item in children(box)]


def _create_document(
    ctx: CallContext,
    el: etree._Element,
    obj_name: str,
    header: dict[str, str],
    nested: dict[str, str],
    container: str,
) -> FunctionOutcome:
    obj = get_object(obj_name)
    assert obj is not None
    ctx.require(obj.name, "A")
    data = _map(el, {**DOC_MAP, **header}, DOC_DATES, nested, frozenset({container}))
    assert obj.lines is not None
    data[obj.lines.collection] = _lines(el, container)
    row = create(WriteContext.of(ctx), obj, data)
    return FunctionOutcome(key=str(row["RECORDNO"]))


@function("create_bill")
@unwrapped
def create_bill(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    return _create_document(
        ctx,
        el,
        "APBILL",
        {"vendorid": "VENDORID", "billno": "RECORDID"},
        {"payto": "BILLTOPAYTOCONTACTNAME", "returnto": "SHIPTORETURNTOCONTACTNAME"},
        "billitems",
    )


@function("create_invoice")
@unwrapped
def create_invoice(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    return _create_document(
        ctx,
        el,
        "ARINVOICE",
        {"customerid": "CUSTOMERID", "invoiceno": "RECORDID"},
        {"billto": "BILLTO.CONTACTNAME", "shipto": "SHIPTO.CONTACTNAME"},
        "invoiceitems",
    )


@function("create_aradjustment")
@unwrapped
def create_aradjustment(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = get_object("ARADJUSTMENT")
    assert obj is not None and obj.lines is not None
    ctx.require(obj.name, "A")
    header = {
        "customerid": "CUSTOMERID",
        "adjustmentno": "RECORDID",
        "invoiceno": "DOCNUMBER",
        "batchkey": "PRBATCH",
        "description": "DESCRIPTION",
        "externalid": "EXTERNALID",
        "basecurr": "BASECURR",
        "currency": "CURRENCY",
    }
    data = _map(
        el,
        header,
        {"datecreated": "WHENCREATED", "dateposted": "WHENPOSTED"},
        {},
        frozenset({"aradjustmentitems", "action"}),
    )
    data[obj.lines.collection] = _lines(el, "aradjustmentitems")
    row = create(WriteContext.of(ctx), obj, data)
    return FunctionOutcome(key=str(row["RECORDNO"]))


def _amount(text: str | None, what: str) -> Decimal:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        raise ValidationFailed(f"Invalid amount '{text}' in {what}.") from None
    return money(value)


def _payment_items(el: etree._Element) -> list[tuple[int, Decimal]]:
    items = []
    for item in el.iter("arpaymentitem"):
        key = (child_text(item, "invoicekey") or "").strip()
        if not key.isdigit():
            raise ValidationFailed(f"Invalid invoicekey '{key}' in arpaymentitem.")
        items.append((int(key), _amount(child_text(item, "amount"), "arpaymentitem")))
    return items


@function("create_arpayment")
@unwrapped
def create_arpayment(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = get_object("ARPYMT")
    assert obj is not None
    ctx.require(obj.name, "A")
    mapping = {
        "customerid": "CUSTOMERID",
        "paymentamount": "AMOUNTTOPAY",
        "batchkey": "PRBATCH",
        "bankaccountid": "FINANCIALENTITY",
        "undepfundsacct": "UNDEPOSITEDACCOUNTNO",
        "refid": "DOCNUMBER",
        "paymentmethod": "PAYMENTMETHOD",
        "basecurr": "BASECURR",
        "currency": "CURRENCY",
    }
    data = _map(
        el, mapping, {"datereceived": "RECEIPTDATE"}, {}, frozenset({"arpaymentitem", "arpaymentitems"})
    )
    if not data.get("AMOUNTTOPAY"):
        raise ValidationFailed("Required field paymentamount is missing.")
    data["ARPYMTDETAILS"] = [
        {"RECORDKEY": str(key), "TRX_PAYMENTAMOUNT": str(amount)} for key, amount in _payment_items(el)
    ]
    row = create(WriteContext.of(ctx), obj, data)
    return FunctionOutcome(key=str(row["RECORDNO"]))


@function("apply_arpayment")
@unwrapped
def apply_arpayment(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    """Apply an existing payment's unapplied amount (or a credit memo's credit) to invoices."""
    key = (child_text(el, "arpaymentkey") or "").strip()
    if not key.isdigit():
        raise ValidationFailed("Required field arpaymentkey is missing.")
    legacy_date(child(el, "paymentdate"))
    wc = WriteContext.of(ctx)
    source_obj: ObjectDef | None = None
    source = wc.get("ARPYMT", int(key))
    if source is not None:
        source_obj = get_object("ARPYMT")
        available = money(source.get("TOTALDUE"))
    else:
        source = wc.get("ARADJUSTMENT", int(key))
        if source is None or money(source.get("TOTALDUE")) >= ZERO:
            raise ValidationFailed(f"Invalid payment key '{key}': no payment or credit memo with that key.")
        source_obj = get_object("ARADJUSTMENT")
        available = -money(source.get("TOTALDUE"))
    assert source_obj is not None
    ctx.require("ARPYMT", "E")
    items = _payment_items(el)
    if not items:
        raise ValidationFailed("Required element arpaymentitems is missing: name the invoices to pay.")
    total = sum((amount for _, amount in items), ZERO)
    if total > available:
        raise ValidationFailed(f"The amounts to apply ({total}) exceed the {available} available on {key}.")
    check_applications(wc, source.get("CUSTOMERID"), [(invoice, None, amount) for invoice, amount in items])
    for invoice, amount in items:
        apply_to(wc, invoice, None, amount)
    if source_obj.name == "ARPYMT":
        start = len(wc.store.children(wc.company_id, "ARPYMTDETAIL", source["RECORDNO"]))
        for number, (invoice, amount) in enumerate(items, start=start):
            wc.store.insert(
                wc.company_id,
                "ARPYMTDETAIL",
                {
                    "PAYMENTKEY": source["RECORDNO"],
                    "LINE_NO": number,
                    "RECORDKEY": invoice,
                    "TRX_PAYMENTAMOUNT": amount,
                    "PAYMENTAMOUNT": amount,
                    "WHENCREATED": wc.now,
                },
            )
        touch(
            wc,
            source_obj,
            source["RECORDNO"],
            {"TOTALPAID": money(source.get("TOTALPAID")) + total, "TOTALDUE": available - total},
        )
    else:
        paid = money(source.get("TOTALPAID")) - total
        touch(
            wc,
            source_obj,
            source["RECORDNO"],
            {"TOTALPAID": paid, "TOTALDUE": money(source.get("TOTALENTERED")) - paid},
        )
    return FunctionOutcome(key=key)


# --- legacy deletes ---------------------------------------------------------------------------------

#: function -> (object, attribute, attribute holds the business ID (True) or the RECORDNO (False))
LEGACY_DELETES: dict[str, tuple[str, str, bool]] = {
    "delete_customer": ("CUSTOMER", "customerid", True),
    "delete_vendor": ("VENDOR", "vendorid", True),
    "delete_contact": ("CONTACT", "contactname", True),
    "delete_employee": ("EMPLOYEE", "employeeid", True),
    "delete_department": ("DEPARTMENT", "departmentid", True),
    "delete_location": ("LOCATION", "locationid", True),
    "delete_glaccount": ("GLACCOUNT", "glaccountno", True),
    "delete_class": ("CLASS", "classid", True),
    "delete_project": ("PROJECT", "key", True),
    "delete_task": ("TASK", "key", False),
    "delete_timesheet": ("TIMESHEET", "key", False),
    "delete_bill": ("APBILL", "key", False),
    "delete_invoice": ("ARINVOICE", "key", False),
    "delete_aradjustment": ("ARADJUSTMENT", "key", False),
    "delete_apadjustment": ("APADJUSTMENT", "key", False),
    "delete_apaccountlabel": ("APACCOUNTLABEL", "accountlabel", True),
    "delete_araccountlabel": ("ARACCOUNTLABEL", "accountlabel", True),
    "delete_customerchargecard": ("CUSTOMERCHARGECARD", "recordno", False),
}


def legacy_delete(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj_name, attribute, by_id = LEGACY_DELETES[str(el.tag)]
    obj = get_object(obj_name)
    assert obj is not None
    ctx.require(obj.name, "D")
    # the SDKs write some deletes with a ``key`` attribute (ClassDelete: <delete_class key="C1234"/>)
    key = (el.get(attribute) or el.get("key") or child_text(el, attribute) or "").strip()
    wc = WriteContext.of(ctx)
    row = wc.find(obj.name, key) if by_id else (wc.get(obj.name, int(key)) if key.isdigit() else None)
    if row is None:
        raise RecordNotFound.for_delete(obj.lower, key)
    delete(wc, obj, str(row["RECORDNO"]))
    return FunctionOutcome(no_data=True)


function(*LEGACY_DELETES)(unwrapped(legacy_delete))


@function("create_class")
@unwrapped
def create_class(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    """TV11: ``<create_class><classid/><name/></create_class>`` answered with ``<key>`` = CLASSID."""
    obj = get_object("CLASS")
    assert obj is not None
    ctx.require(obj.name, "A")
    data = _map(
        el,
        {
            "classid": "CLASSID",
            "name": "NAME",
            "description": "DESCRIPTION",
            "parentid": "PARENTID",
            "status": "STATUS",
        },
        {},
        {},
        frozenset(),
    )
    row = create(WriteContext.of(ctx), obj, data)
    return FunctionOutcome(key=str(row["CLASSID"]))
