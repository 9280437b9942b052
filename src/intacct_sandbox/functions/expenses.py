"""Time & Expenses legacy functions as the SDKs' EmployeeExpense classes send them
(docs/intacct/gl-company-reads.md §2): expense reports (create, reverse, summaries), expense
adjustments and reimbursement requests. Answers carry ``<key>`` (the RECORDNO)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.functions.common import child, child_text, children, unwrapped
from intacct_sandbox.functions.legacy import legacy_date
from intacct_sandbox.objects import get_object
from intacct_sandbox.objects.base import ObjectDef
from intacct_sandbox.objects.expenses import reimburse, reverse_report
from intacct_sandbox.objects.values import parse_date
from intacct_sandbox.objects.writes import WriteContext, create, update
from intacct_sandbox.record_faults import ValidationFailed

#: elements the SDKs may send that the sandbox accepts without modelling (exchange rates, custom fields)
IGNORED = frozenset({"exchratedate", "exchratetype", "exchrate", "customfields", "contractid", "warehouseid"})

LINE_MAP = {
    "expensetype": "EXPENSETYPE",
    "glaccountno": "GLACCOUNTNO",
    "amount": "AMOUNT",
    "currency": "CURRENCY",
    "trx_amount": "TRX_AMOUNT",
    "memo": "MEMO",
    "form1099": "FORM1099",
    "form1099type": None,
    "form1099box": None,
    "paidfor": "PAIDFOR",
    "locationid": "LOCATIONID",
    "departmentid": "DEPARTMENTID",
    "projectid": "PROJECTID",
    "customerid": "CUSTOMERID",
    "vendorid": "VENDORID",
    "employeeid": "EMPLOYEEID",
    "itemid": "ITEMID",
    "classid": "CLASSID",
    "billable": "BILLABLE",
    "exppmttype": "EXPPMTTYPE",
    "quantity": "QUANTITY",
    "rate": "RATE",
}


def _object(name: str) -> ObjectDef:
    obj = get_object(name)
    assert obj is not None
    return obj


def _line(item: etree._Element) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in children(item):
        tag = str(c.tag)
        if tag in IGNORED or LINE_MAP.get(tag, "") is None:
            continue
        if tag == "expensedate":
            out["EXPENSEDATE"] = legacy_date(c)
        elif tag in LINE_MAP:
            out[str(LINE_MAP[tag])] = c.text or ""
        else:
            raise ValidationFailed(f"Unknown element <{tag}> in <{item.tag}>.")
    return out


def _header(el: etree._Element, mapping: dict[str, str], lines_tag: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for c in children(el):
        tag = str(c.tag)
        if tag in IGNORED or tag == lines_tag:
            continue
        if tag == "datecreated":
            data["WHENCREATED"] = legacy_date(c)
        elif tag == "dateposted":
            data["WHENPOSTED"] = legacy_date(c)
        elif tag in mapping:
            data[mapping[tag]] = c.text or ""
        else:
            raise ValidationFailed(f"Unknown element <{tag}> in <{el.tag}>.")
    return data


def _document(
    ctx: CallContext, el: etree._Element, obj_name: str, mapping: dict[str, str], lines_tag: str
) -> int:
    obj = _object(obj_name)
    ctx.require(obj.name, "A")
    data = _header(el, mapping, lines_tag)
    box = child(el, lines_tag)
    assert obj.lines is not None
    data[obj.lines.collection] = [_line(item) for item in children(box)] if box is not None else []
    row = create(WriteContext.of(ctx), obj, data)
    return int(row["RECORDNO"])


COMMON = {
    "employeeid": "EMPLOYEEID",
    "batchkey": "PRBATCHKEY",
    "description": "DESCRIPTION",
    "basecurr": "BASECURR",
    "currency": "CURRENCY",
    "supdocid": "SUPDOCID",
}


@function("create_expensereport")
@unwrapped
def create_expensereport(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    mapping = {
        **COMMON,
        "expensereportno": "RECORDID",
        "state": "STATE",
        "memo": "MEMO",
        "externalid": "EXTERNALID",
    }
    return FunctionOutcome(key=str(_document(ctx, el, "EEXPENSES", mapping, "expenses")))


@function("create_expenseadjustmentreport")
@unwrapped
def create_expenseadjustmentreport(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    mapping = {**COMMON, "adjustmentno": "RECORDID", "docnumber": "DOCNUMBER"}
    return FunctionOutcome(key=str(_document(ctx, el, "EXPENSEADJUSTMENTS", mapping, "expenseadjustments")))


@function("reverse_expensereport")
@unwrapped
def reverse_expensereport(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    ctx.require("EEXPENSES", "E")
    key = (el.get("key") or "").strip()
    wc = WriteContext.of(ctx)
    report = wc.get("EEXPENSES", int(key)) if key.isdigit() else None
    if report is None:
        raise ValidationFailed(f"Invalid expense report key '{key}': there is no such expense report.")
    when_text = legacy_date(child(el, "datereversed"))
    when = parse_date(when_text) if when_text else None
    if when is None:
        raise ValidationFailed("Required field datereversed is missing.")
    reverse_report(wc, report, when, child_text(el, "description"))
    return FunctionOutcome(key=key)


@function("create_expensereportbatch")
@unwrapped
def create_expensereportbatch(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = _object("EEXPENSESBATCH")
    ctx.require("EEXPENSES", "A")
    data = {"TITLE": child_text(el, "batchtitle") or "", "CREATED": legacy_date(child(el, "datecreated"))}
    for c in children(el):
        if c.tag not in ("batchtitle", "datecreated"):
            raise ValidationFailed(f"Unknown element <{c.tag}> in <create_expensereportbatch>.")
    row = create(WriteContext.of(ctx), obj, data)
    return FunctionOutcome(key=str(row["RECORDNO"]))


def _amount(text: str | None) -> Decimal | None:
    if text is None or text.strip() == "":
        return None
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        raise ValidationFailed(f"Invalid paymentamount '{text}'.") from None


@function("create_reimbursementrequest")
@unwrapped
def create_reimbursementrequest(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    """Pays expense reports of one employee (each item: the report's key and an optional amount)."""
    obj = _object("EPPAYMENT")
    ctx.require("EEXPENSES", "E")
    box = child(el, "eppaymentrequestitems")
    items: list[tuple[int, Decimal | None]] = []
    for item in children(box) if box is not None else []:
        key = (child_text(item, "key") or "").strip()
        if not key.isdigit():
            raise ValidationFailed(f"Invalid key '{key}' in eppaymentrequestitem.")
        items.append((int(key), _amount(child_text(item, "paymentamount"))))
    if not items:
        raise ValidationFailed("Required element eppaymentrequestitems is missing: name the reports to pay.")
    employee = (child_text(el, "employeeid") or "").strip()
    wc = WriteContext.of(ctx)
    data = {
        "EMPLOYEEID": employee,
        "FINANCIALENTITY": child_text(el, "bankaccountid") or "",
        "PAYMENTMETHOD": child_text(el, "paymentmethod") or "",
        "PAYMENTDATE": legacy_date(child(el, "paymentdate")),
        "PAYMENTOPTION": child_text(el, "paymentoption") or "",
        "MEMO": child_text(el, "memo") or "",
        "DOCNUMBER": child_text(el, "documentnumber") or "",
        "DESCRIPTION": child_text(el, "paymentdescription") or "",
        "PAYMENTCONTACT": child_text(el, "paymentcontact") or "",
    }
    if wc.find("EMPLOYEE", employee) is None:
        raise ValidationFailed(f"Invalid Employee '{employee}' specified.")
    total, keys = reimburse(wc, employee, items)
    row = create(wc, obj, data)
    wc.store.replace(
        wc.company_id,
        obj.name,
        row["RECORDNO"],
        {**row, "AMOUNT": total, "REPORTKEYS": ",".join(map(str, keys)), "STATE": "Submitted"},
    )
    return FunctionOutcome(key=str(row["RECORDNO"]))


@function("update_expensereport")
@unwrapped
def update_expensereport(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    """``<update_expensereport key="N"><supdocid>A1</supdocid></update_expensereport>`` (sageintacctsdk's
    ExpenseReports.update_attachment): attaches a supporting document, or changes the description or
    memo, of an expense report that is not paid or reversed."""
    obj = _object("EEXPENSES")
    ctx.require(obj.name, "E")
    key = (el.get("key") or "").strip()
    wc = WriteContext.of(ctx)
    report = wc.get(obj.name, int(key)) if key.isdigit() else None
    if report is None:
        raise ValidationFailed(f"Invalid expense report key '{key}': there is no such expense report.")
    data: dict[str, Any] = {"RECORDNO": key}
    allowed = {
        "supdocid": "SUPDOCID",
        "description": "DESCRIPTION",
        "memo": "MEMO",
        "externalid": "EXTERNALID",
    }
    for c in children(el):
        if c.tag not in allowed:
            raise ValidationFailed(f"Unknown element <{c.tag}> in <update_expensereport>.")
        data[allowed[str(c.tag)]] = c.text or ""
    update(wc, obj, data)
    return FunctionOutcome(key=key)
