"""create_apadjustment (docs/intacct/payables-receivables.md §4).

Shape: intacct-sdk-php ApAdjustmentCreateTest (testDefaultParams, testParamOverrides) and the 1.x
VendorAdjustmentCreate. ``adjustmentno`` is the adjustment's number (RECORDID), ``billno`` the bill it
refers to (DOCNUMBER), ``batchkey`` its summary; the answer is ``<key>`` = RECORDNO.
"""

from __future__ import annotations

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.functions.common import unwrapped
from intacct_sandbox.functions.legacy import _lines, _map
from intacct_sandbox.objects import get_object
from intacct_sandbox.objects.writes import WriteContext, create


@function("create_apadjustment")
@unwrapped
def create_apadjustment(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = get_object("APADJUSTMENT")
    assert obj is not None and obj.lines is not None
    ctx.require(obj.name, "A")
    header = {
        "vendorid": "VENDORID",
        "adjustmentno": "RECORDID",
        "billno": "DOCNUMBER",
        "batchkey": "PRBATCH",
        "action": "ACTION",
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
        frozenset({"apadjustmentitems"}),
    )
    data[obj.lines.collection] = _lines(el, "apadjustmentitems")
    row = create(WriteContext.of(ctx), obj, data)
    return FunctionOutcome(key=str(row["RECORDNO"]))
