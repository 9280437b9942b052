"""create_customerchargecard and update_customerchargecard (docs/intacct/payables-receivables.md §11).

Shapes: intacct-sdk-php CustomerChargeCardCreateTest / CustomerChargeCardUpdateTest. The answer is
``<key>`` = the card's RECORDNO. delete_customerchargecard is a legacy delete (functions/legacy.py).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.functions.common import children, unwrapped
from intacct_sandbox.objects import get_object
from intacct_sandbox.objects.writes import WriteContext, create, update
from intacct_sandbox.record_faults import RecordNotFound, ValidationFailed

FIELDS = {
    "customerid": "CUSTOMERID",
    "cardnum": "CARDNUM",
    "cardtype": "CARDTYPE",
    "exp_month": "EXP_MONTH",
    "exp_year": "EXP_YEAR",
    "description": "DESCRIPTION",
    "status": "STATUS",
    "defaultcard": "DEFAULTCARD",
    "usebilltoaddr": "USEBILLTOADDR",
}
ADDRESS = {
    "address1": "ADDRESS1",
    "address2": "ADDRESS2",
    "city": "CITY",
    "state": "STATE",
    "zip": "ZIP",
    "country": "COUNTRY",
}


def _data(el: etree._Element, allowed: frozenset[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for c in children(el):
        tag = str(c.tag)
        if tag == "mailaddress":
            address = {ADDRESS[str(a.tag)]: a.text or "" for a in children(c) if str(a.tag) in ADDRESS}
            if address:
                data["MAILADDRESS"] = address
        elif tag in allowed:
            data[FIELDS[tag]] = c.text or ""
        else:
            raise ValidationFailed(f"Unknown element <{tag}> in <{el.tag}>.")
    return data


@function("create_customerchargecard")
@unwrapped
def create_customerchargecard(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = get_object("CUSTOMERCHARGECARD")
    assert obj is not None
    ctx.require(obj.name, "A")
    row = create(WriteContext.of(ctx), obj, _data(el, frozenset(FIELDS)))
    return FunctionOutcome(key=str(row["RECORDNO"]))


@function("update_customerchargecard")
@unwrapped
def update_customerchargecard(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = get_object("CUSTOMERCHARGECARD")
    assert obj is not None
    ctx.require(obj.name, "E")
    key = (el.get("recordno") or "").strip()
    wc = WriteContext.of(ctx)
    if not key.isdigit() or wc.get(obj.name, int(key)) is None:
        raise RecordNotFound(f"Cannot find customerchargecard with key '{key}' to update.")
    allowed = frozenset(FIELDS) - {"customerid", "cardnum", "cardtype"}
    data = _data(el, allowed)
    data["RECORDNO"] = key
    update(wc, obj, data)
    return FunctionOutcome(key=key)
