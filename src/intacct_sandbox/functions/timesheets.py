"""approve / decline of timesheets (docs/intacct/objects.md §16; intacct-sdk-php TimesheetApprove/Decline):

    <approve><TIMESHEET><RECORDNO>2</RECORDNO><ENTRYKEYS>497,323</ENTRYKEYS><APPROVEDBY>John</APPROVEDBY>
    <COMMENT>Approved by John</COMMENT></TIMESHEET></approve>

Only TIMESHEET is modelled; other objects named in approve/decline are answered loudly.
"""

from __future__ import annotations

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.functions.common import child_text, children, unwrapped
from intacct_sandbox.objects.timesheet import approve
from intacct_sandbox.objects.writes import WriteContext
from intacct_sandbox.record_faults import NotInSandbox, ValidationFailed


@function("approve", "decline")
@unwrapped
def approve_or_decline(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    items = children(el)
    if len(items) != 1 or items[0].tag != "TIMESHEET":
        names = ", ".join(str(i.tag) for i in items) or "nothing"
        raise NotInSandbox(f"{el.tag} of {names} is not implemented in the sandbox (TIMESHEET only).")
    item = items[0]
    ctx.require("TIMESHEET", "E")
    key = (child_text(item, "RECORDNO") or "").strip()
    wc = WriteContext.of(ctx)
    sheet = wc.get("TIMESHEET", int(key)) if key.isdigit() else None
    if sheet is None:
        raise ValidationFailed(f"Invalid Timesheet '{key}' specified.")
    raw_keys = [k.strip() for k in (child_text(item, "ENTRYKEYS") or "").split(",") if k.strip()]
    if any(not k.isdigit() for k in raw_keys):
        raise ValidationFailed(f"Invalid ENTRYKEYS '{child_text(item, 'ENTRYKEYS')}': list entry RECORDNOs.")
    approve(
        wc,
        sheet,
        [int(k) for k in raw_keys],
        approve_it=el.tag == "approve",
        approved_by=(child_text(item, "APPROVEDBY") or "").strip() or None,
    )
    return FunctionOutcome(no_data=True)
