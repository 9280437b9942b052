"""AP payment requests: the legacy create_paymentrequest / delete_paymentrequest and the state changes
approve / decline / send / confirm / void_appaymentrequest (docs/intacct/payables-receivables.md
§5).

Shapes: intacct-sdk-php ApPaymentApproveTest, ApPaymentDeclineTest, ApPaymentSendTest,
ApPaymentConfirmTest, ApPaymentVoidTest (``<appaymentkeys><appaymentkey>1234</appaymentkey>
</appaymentkeys>``) and the 2.x ApPaymentRequestCreateTest / ApPaymentRequestDeleteTest. Every key is
checked before any payment changes; a state change answers without data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.functions.common import child, child_text, children, unwrapped
from intacct_sandbox.functions.legacy import IGNORED, legacy_date
from intacct_sandbox.objects import get_object
from intacct_sandbox.objects.appymt import apply_effects
from intacct_sandbox.objects.writes import WriteContext, create, delete, touch
from intacct_sandbox.record_faults import RecordNotFound, ValidationFailed

Effect = Callable[[WriteContext, dict[str, Any]], None]


def _release_and_pay(wc: WriteContext, row: dict[str, Any]) -> None:
    apply_effects(wc, row, "select", -1)
    apply_effects(wc, row, "pay", 1)


def _void(wc: WriteContext, row: dict[str, Any]) -> None:
    if row.get("STATE") == "Complete":
        apply_effects(wc, row, "pay", -1)
    else:
        apply_effects(wc, row, "select", -1)


#: function -> (verb in errors, states it may start from, state it ends in, effect on the documents)
TRANSITIONS: dict[str, tuple[str, tuple[str, ...], str, Effect | None]] = {
    "approve_appaymentrequest": ("approved", ("Submitted",), "Approved", None),
    "decline_appaymentrequest": (
        "declined",
        ("Submitted",),
        "Declined",
        lambda wc, row: apply_effects(wc, row, "select", -1),
    ),
    "send_appaymentrequest": ("sent", ("Approved",), "Sent", None),
    "confirm_appaymentrequest": ("confirmed", ("Approved", "Sent"), "Complete", _release_and_pay),
    "void_appaymentrequest": ("voided", ("Approved", "Sent", "Complete"), "Voided", _void),
}


def change_state(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    verb, allowed, target, effect = TRANSITIONS[str(el.tag)]
    obj = get_object("APPYMT")
    assert obj is not None
    ctx.require(obj.name, "E")
    box = child(el, "appaymentkeys")
    keys = [(k.text or "").strip() for k in children(box)] if box is not None else []
    if not keys or any(not k for k in keys):
        raise ValidationFailed(
            f"Required field appaymentkeys is missing in <{el.tag}>.",
            correction="List the payment requests' RECORDNOs in <appaymentkeys><appaymentkey>.",
        )
    wc = WriteContext.of(ctx)
    rows = []
    for key in keys:
        row = wc.get(obj.name, int(key)) if key.isdigit() else None
        if row is None:
            action = str(el.tag).split("_")[0]
            raise RecordNotFound(f"Cannot find appayment with key '{key}' to {action}.")
        if row.get("STATE") not in allowed:
            raise ValidationFailed(
                f"AP payment {key} is {row.get('STATE')}: only {' or '.join(allowed)} payment requests can "
                f"be {verb}.",
                correction=_hint(str(row.get("STATE"))),
            )
        rows.append(row)
    for row in rows:
        if effect is not None:
            effect(wc, row)
        changes: dict[str, Any] = {"STATE": target}
        if target == "Complete":
            changes["WHENPAID"] = row.get("PAYMENTDATE")
        touch(wc, obj, row["RECORDNO"], changes)
    return FunctionOutcome(no_data=True)


def _hint(state: str) -> str:
    return {
        "Draft": "Submit the draft first (update it with ACTION Submit).",
        "Submitted": "Approve the request first.",
        "Approved": "Send or confirm the approved request.",
        "Declined": "A declined request is final: create a new one.",
        "Voided": "A voided payment is final: create a new one.",
        "Complete": "Reverse (reverse_appayment) or void a complete payment.",
        "Reversed": "A reversed payment is final.",
    }.get(state, "Check the payment's STATE.")


function(*TRANSITIONS)(unwrapped(change_state))


@function("create_paymentrequest")
@unwrapped
def create_paymentrequest(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    """The 2.x request: bankaccountid or chargecardid, vendorid, paymentmethod, paymentdate and
    paymentrequestitems (key = bill RECORDNO, paymentamount, credittoapply, discounttoapply)."""
    obj = get_object("APPYMT")
    assert obj is not None
    ctx.require(obj.name, "A")
    mapping = {
        "bankaccountid": "FINANCIALENTITY",
        "chargecardid": "FINANCIALENTITY",
        "vendorid": "VENDORID",
        "memo": "DESCRIPTION",
        "paymentmethod": "PAYMENTMETHOD",
        "grouppayments": "GROUPPAYMENTS",
        "paymentoption": "PAYMENTREQUESTMETHOD",
        "documentnumber": "DOCNUMBER",
        "paymentdescription": "DESCRIPTION",
        "paymentcontact": "PAYMENTCONTACT",
        "currency": "CURRENCY",
        "basecurr": "BASECURR",
    }
    data: dict[str, Any] = {}
    for c in children(el):
        tag = str(c.tag)
        if tag == "paymentdate":
            data["PAYMENTDATE"] = legacy_date(c)
        elif tag == "paymentrequestitems":
            continue
        elif tag in mapping:
            data[mapping[tag]] = c.text or ""
        elif tag not in IGNORED:
            raise ValidationFailed(f"Unknown element <{tag}> in <{el.tag}>.")
    items = child(el, "paymentrequestitems")
    details = []
    for item in children(items) if items is not None else []:
        details.append(
            {
                "RECORDKEY": child_text(item, "key") or "",
                "TRX_PAYMENTAMOUNT": child_text(item, "paymentamount") or "",
                "CREDITTOAPPLY": child_text(item, "credittoapply") or "",
                "DISCOUNTTOAPPLY": child_text(item, "discounttoapply") or "",
            }
        )
    data["APPYMTDETAILS"] = details
    row = create(WriteContext.of(ctx), obj, data)
    return FunctionOutcome(key=str(row["RECORDNO"]))


@function("delete_paymentrequest")
@unwrapped
def delete_paymentrequest(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    obj = get_object("APPYMT")
    assert obj is not None
    ctx.require(obj.name, "D")
    key = (el.get("key") or "").strip()
    wc = WriteContext.of(ctx)
    if not key.isdigit() or wc.get(obj.name, int(key)) is None:
        raise RecordNotFound.for_delete("appayment", key)
    delete(wc, obj, key)
    return FunctionOutcome(no_data=True)
