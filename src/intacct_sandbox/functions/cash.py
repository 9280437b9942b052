"""Cash Management legacy functions: record_deposit, record_otherreceipt, record_cctransaction,
update_cctransaction (docs/intacct/payables-receivables.md §7).

Shapes: intacct-sdk-php DepositCreateTest, OtherReceiptCreateTest, ChargeCardTransactionCreateTest,
ChargeCardTransactionUpdateTest (and their *LineCreate / *LineUpdate tests); sageintacctsdk's
ChargeCardTransactions posts through record_cctransaction. Each answers ``<key>`` = the RECORDNO.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.functions.common import child, child_text, children, unwrapped
from intacct_sandbox.functions.legacy import IGNORED, LINE_MAP, _map, legacy_date
from intacct_sandbox.functions.line_updates import merged_lines
from intacct_sandbox.objects import get_object
from intacct_sandbox.objects.base import ObjectDef
from intacct_sandbox.objects.cash import deposit_total, financial_entity
from intacct_sandbox.objects.values import parse_date
from intacct_sandbox.objects.writes import WriteContext, create, touch, update
from intacct_sandbox.record_faults import RecordNotFound, ValidationFailed

CC_LINE_MAP = {**LINE_MAP, "paymentamount": "TRX_AMOUNT", "description": "ENTRYDESCRIPTION"}


def _obj(name: str) -> ObjectDef:
    obj = get_object(name)
    assert obj is not None
    return obj


def _items(el: etree._Element, container: str, mapping: dict[str, str]) -> list[dict[str, Any]]:
    box = child(el, container)
    if box is None:
        return []
    return [_map(item, mapping, {}, {}, frozenset()) for item in children(box)]


@function("record_otherreceipt")
@unwrapped
def record_otherreceipt(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = _obj("OTHERRECEIPTS")
    ctx.require(obj.name, "A")
    data = _map(
        el,
        {
            "payee": "PAYEE",
            "paymentmethod": "PAYMENTMETHOD",
            "bankaccountid": "FINANCIALENTITY",
            "undepglaccountno": "UNDEPOSITEDACCOUNTNO",
            "refid": "DOCNUMBER",
            "description": "DESCRIPTION",
            "supdocid": "SUPDOCID",
            "currency": "CURRENCY",
        },
        {"paymentdate": "PAYMENTDATE", "receiveddate": "WHENCREATED", "depositdate": "DEPOSITDATE"},
        {},
        frozenset({"receiptitems"}),
    )
    data["OTHERRECEIPTSENTRIES"] = _items(el, "receiptitems", LINE_MAP)
    row = create(WriteContext.of(ctx), obj, data)
    return FunctionOutcome(key=str(row["RECORDNO"]))


@function("record_deposit")
@unwrapped
def record_deposit(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    """Undeposited receipts (AR payments into undeposited funds, other receipts held there) go into a
    bank account on the deposit date; each receipt can be deposited once."""
    obj = _obj("DEPOSIT")
    ctx.require(obj.name, "A")
    for c in children(el):
        tag = str(c.tag)
        if tag not in ("bankaccountid", "depositdate", "depositid", "receiptkeys", "description") and (
            tag not in IGNORED
        ):
            raise ValidationFailed(f"Unknown element <{tag}> in <{el.tag}>.")
    wc = WriteContext.of(ctx)
    financial_entity(wc, child_text(el, "bankaccountid"))
    box = child(el, "receiptkeys")
    keys = [(k.text or "").strip() for k in children(box)] if box is not None else []
    if not keys:
        raise ValidationFailed(
            "Required field receiptkeys is missing: a deposit must have at least 1 receipt.",
            correction="List the undeposited receipts' keys in <receiptkeys><receiptkey>.",
        )
    receipts: list[tuple[str, dict[str, Any]]] = []
    for key in keys:
        found = None
        for name in ("ARPYMT", "OTHERRECEIPTS"):
            row = wc.get(name, int(key)) if key.isdigit() else None
            if row is not None:
                found = (name, row)
                break
        if found is None:
            raise ValidationFailed(
                f"Invalid receipt '{key}' specified: no payment or other receipt has that key."
            )
        name, row = found
        if row.get("DEPOSITKEY") is not None or row.get("STATE") == "Deposited":
            raise ValidationFailed(
                f"Receipt {key} has been deposited already.", correction="Leave it out of this deposit."
            )
        if not row.get("UNDEPOSITEDACCOUNTNO"):
            raise ValidationFailed(
                f"Receipt {key} was not received into undeposited funds and cannot be deposited.",
                correction="Deposit only receipts held in an undeposited funds account.",
            )
        if row.get("STATE") in ("Draft", "Reversed"):
            raise ValidationFailed(f"Receipt {key} is {row['STATE']} and cannot be deposited.")
        if any(r is row for _, r in receipts):
            raise ValidationFailed(f"Receipt {key} is listed twice.")
        receipts.append(found)
    when = parse_date(legacy_date(child(el, "depositdate")) or "")
    for name, row in receipts:
        received = row.get("RECEIPTDATE") if name == "ARPYMT" else row.get("WHENCREATED")
        if when is not None and isinstance(received, date) and when < received:
            raise ValidationFailed(
                f"The deposit date {when.strftime('%m/%d/%Y')} is before receipt {row['RECORDNO']}'s date "
                f"{received.strftime('%m/%d/%Y')}.",
                correction="Deposit on or after the date the money was received.",
            )
    data = {
        "FINANCIALENTITY": child_text(el, "bankaccountid") or "",
        "WHENCREATED": legacy_date(child(el, "depositdate")) or "",
        "DEPOSITID": child_text(el, "depositid") or "",
        "DESCRIPTION": child_text(el, "description") or "",
    }
    deposit = create(wc, obj, data)
    deposit = touch(
        wc,
        obj,
        deposit["RECORDNO"],
        {"TOTALENTERED": deposit_total(receipts), "RECEIPTKEYS": ",".join(keys)},
        audit_it=False,
    )
    for name, row in receipts:
        changes: dict[str, Any] = {"DEPOSITKEY": deposit["RECORDNO"]}
        if name == "OTHERRECEIPTS":
            changes["STATE"] = "Deposited"
            changes["DEPOSITDATE"] = deposit.get("WHENCREATED")
        touch(wc, _obj(name), row["RECORDNO"], changes)
    return FunctionOutcome(key=str(deposit["RECORDNO"]))


CC_HEADER = {
    "chargecardid": "FINANCIALENTITY",
    "referenceno": "RECORDID",
    "payee": "PAYEE",
    "description": "DESCRIPTION",
    "supdocid": "SUPDOCID",
    "currency": "CURRENCY",
}


@function("record_cctransaction")
@unwrapped
def record_cctransaction(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = _obj("CCTRANSACTION")
    ctx.require(obj.name, "A")
    data = _map(el, CC_HEADER, {"paymentdate": "WHENCREATED"}, {}, frozenset({"ccpayitems"}))
    data["CCTRANSACTIONENTRIES"] = _items(el, "ccpayitems", CC_LINE_MAP)
    row = create(WriteContext.of(ctx), obj, data)
    return FunctionOutcome(key=str(row["RECORDNO"]))


@function("update_cctransaction")
@unwrapped
def update_cctransaction(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    """Header fields replace the stored ones; ``<updateccpayitem line_num="N">`` changes line N
    (counted from 1) and ``<ccpayitems>`` adds lines (sageintacctsdk sends only supdocid)."""
    obj = _obj("CCTRANSACTION")
    ctx.require(obj.name, "E")
    key = (el.get("key") or "").strip()
    wc = WriteContext.of(ctx)
    row = wc.get(obj.name, int(key)) if key.isdigit() else None
    if row is None:
        raise RecordNotFound(f"Cannot find cctransaction with key '{key}' to update.")
    data = _map(
        el,
        {k: v for k, v in CC_HEADER.items() if k != "chargecardid"},
        {"paymentdate": "WHENCREATED"},
        {},
        frozenset({"updateccpayitems", "ccpayitems", "exchrate"}),
    )
    lines = merged_lines(wc, obj, row["RECORDNO"], child(el, "updateccpayitems"), CC_LINE_MAP)
    added = _items(el, "ccpayitems", CC_LINE_MAP)
    if lines is not None or added:
        current = (
            lines if lines is not None else merged_lines(wc, obj, row["RECORDNO"], el.makeelement("x"), {})
        )
        data["CCTRANSACTIONENTRIES"] = [*(current or []), *added]
    data["RECORDNO"] = str(row["RECORDNO"])
    update(wc, obj, data)
    return FunctionOutcome(key=str(row["RECORDNO"]))
