"""create_billbatch, create_invoicebatch, create_arpaymentbatch, create_apadjustmentbatch,
create_aradjustmentbatch: AP/AR summaries (docs/intacct/payables-receivables.md §2).

Shape (intacct-sdk-php BillSummaryCreateTest and its AR/adjustment/payment siblings):
``<create_billbatch><batchtitle>unit test</batchtitle><datecreated><year/><month/><day/></datecreated>
</create_billbatch>``; both are required (the SDK refuses either missing: "Title is required for
create", "GL Posting Date is required for create"). The answer is ``<key>`` = the summary's RECORDNO,
which documents then name in ``<batchkey>``.
"""

from __future__ import annotations

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.functions.common import child, child_text, children, unwrapped
from intacct_sandbox.functions.legacy import legacy_date
from intacct_sandbox.objects import get_object
from intacct_sandbox.objects.prbatch import KINDS
from intacct_sandbox.objects.writes import WriteContext, create
from intacct_sandbox.record_faults import ValidationFailed

#: function -> summary kind
BATCH_FUNCTIONS = {
    "create_billbatch": "apbill",
    "create_apadjustmentbatch": "apadjustment",
    "create_invoicebatch": "arinvoice",
    "create_arpaymentbatch": "arpayment",
    "create_aradjustmentbatch": "aradjustment",
}


def create_batch(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    kind = BATCH_FUNCTIONS[str(el.tag)]
    obj = get_object("PRBATCH")
    assert obj is not None
    ctx.require(KINDS[kind][0], "A")
    for c in children(el):
        if str(c.tag) not in ("batchtitle", "datecreated"):
            raise ValidationFailed(f"Unknown element <{c.tag}> in <{el.tag}>.")
    title = (child_text(el, "batchtitle") or "").strip()
    if not title:
        raise ValidationFailed(
            "Required field batchtitle is missing.", correction="Give the summary a title."
        )
    posting = legacy_date(child(el, "datecreated"))
    if posting is None:
        raise ValidationFailed(
            "Required field datecreated is missing.", correction="Send the summary's GL posting date."
        )
    wc = WriteContext.of(ctx)
    for other in wc.store.scan(wc.company_id, "PRBATCH"):
        if other.get("RECORDTYPE") == kind and other.get("TITLE") == title:
            raise ValidationFailed(
                f"A {KINDS[kind][1]} summary titled '{title}' exists already (key {other['RECORDNO']}).",
                correction="Use a different title, or send the existing summary's key in batchkey.",
            )
    row = create(wc, obj, {"TITLE": title, "CREATED": posting, "RECORDTYPE": kind})
    return FunctionOutcome(key=str(row["RECORDNO"]))


function(*BATCH_FUNCTIONS)(unwrapped(create_batch))
