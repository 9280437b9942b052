"""ARPYMT + ARPYMTDETAIL (docs/intacct/objects.md §12): a received payment applied to the customer's invoices
(RECORDKEY) or debit memos (POSADJKEY). Each applied invoice must belong to the payment's customer and
still owe at least the amount applied."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from intacct_sandbox.objects.base import Lines, ObjectDef, date_, decimal, enum, integer, register, text
from intacct_sandbox.objects.documents import ZERO, money
from intacct_sandbox.objects.prbatch import place_in_batch, refresh_batch
from intacct_sandbox.objects.writes import WriteContext, check_open_period, lines_of
from intacct_sandbox.record_faults import AlreadyPaid, Overpayment, ValidationFailed

PAYMENT_METHODS = ("Printed Check", "Cash", "EFT", "Credit Card", "Online Charge Card", "Online ACH Debit")

ARPYMTDETAIL = register(
    ObjectDef(
        name="ARPYMTDETAIL",
        label="Payment Detail",
        parent_field="PAYMENTKEY",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=[
            integer("PAYMENTKEY", readonly=True),
            integer("LINE_NO", readonly=True),
            integer("RECORDKEY"),
            integer("ENTRYKEY"),
            integer("POSADJKEY"),
            decimal("TRX_PAYMENTAMOUNT", required=True),
            decimal("PAYMENTAMOUNT", readonly=True),
        ],
    )
)


def target_of(wc: WriteContext, detail: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The invoice or debit memo a detail pays; it must exist and be visible."""
    if detail.get("RECORDKEY") is not None and detail.get("POSADJKEY") is not None:
        raise ValidationFailed("Send RECORDKEY or POSADJKEY in a payment detail, not both.")
    if detail.get("RECORDKEY") is not None:
        obj, key = "ARINVOICE", int(detail["RECORDKEY"])
    elif detail.get("POSADJKEY") is not None:
        obj, key = "ARADJUSTMENT", int(detail["POSADJKEY"])
    else:
        raise ValidationFailed("Required field RECORDKEY is missing in a payment detail.")
    row = wc.get(obj, key)
    if row is None:
        raise ValidationFailed(
            f"Invalid {'Invoice' if obj == 'ARINVOICE' else 'Adjustment'} '{key}' specified."
        )
    return obj, row


def check_applications(
    wc: WriteContext, customer: str | None, pairs: list[tuple[int | None, int | None, Decimal]]
) -> None:
    """(invoice key, adjustment key, amount) applications: same customer, enough still due."""
    wanted: dict[tuple[str, int], Decimal] = {}
    for invoice_key, adjustment_key, amount in pairs:
        obj, row = target_of(wc, {"RECORDKEY": invoice_key, "POSADJKEY": adjustment_key})
        if amount <= ZERO:
            raise ValidationFailed(f"The amount applied to {obj.lower()} {row['RECORDNO']} must be positive.")
        if customer is not None and row.get("CUSTOMERID") != customer:
            raise ValidationFailed(
                f"Invoice {row['RECORDNO']} belongs to customer {row.get('CUSTOMERID')}, not {customer}.",
                correction="Apply a payment only to the paying customer's invoices.",
            )
        if row.get("STATE") == "Draft":
            raise ValidationFailed(f"Invoice {row['RECORDNO']} is a draft and cannot be paid.")
        if row.get("STATE") == "Paid":
            raise AlreadyPaid(f"Invoice {row['RECORDNO']} is paid in full already.")
        key = (obj, int(row["RECORDNO"]))
        wanted[key] = wanted.get(key, ZERO) + amount
        if wanted[key] > money(row.get("TOTALDUE")):
            raise Overpayment(
                f"The amount {wanted[key]} exceeds the {money(row.get('TOTALDUE'))} due on {obj.lower()} "
                f"{row['RECORDNO']}.",
            )


def apply_to(wc: WriteContext, invoice_key: int | None, adjustment_key: int | None, amount: Decimal) -> None:
    from intacct_sandbox.objects.aradjustment import apply_payment as apply_adjustment
    from intacct_sandbox.objects.arinvoice import apply_payment as apply_invoice

    obj, row = target_of(wc, {"RECORDKEY": invoice_key, "POSADJKEY": adjustment_key})
    (apply_invoice if obj == "ARINVOICE" else apply_adjustment)(wc, row, amount)


def _check_undeposited_account(wc: WriteContext, account_no: Any) -> None:
    """Undeposited funds is a cash account: a balance sheet account with a debit balance (an income
    statement or liability account is refused; UNSURE, modelled)."""
    if account_no in (None, ""):
        return
    account = wc.find("GLACCOUNT", str(account_no))
    if account is not None and (account.get("ACCOUNTTYPE"), account.get("NORMALBALANCE")) != (
        "balancesheet",
        "debit",
    ):
        raise ValidationFailed(
            f"GL account {account_no} cannot hold undeposited funds: it is not a balance sheet asset "
            "account.",
            correction="Use the company's undeposited funds (cash) account.",
        )


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    if old is not None and old.get("STATE") != "Draft":
        raise ValidationFailed(
            f"Payment {old['RECORDNO']} is complete and cannot be changed.",
            correction="Only draft payments can be updated.",
        )
    sources = [n for n in ("FINANCIALENTITY", "UNDEPOSITEDACCOUNTNO", "PRBATCH") if row.get(n)]
    if len(sources) != 1:
        raise ValidationFailed("Send exactly one of FINANCIALENTITY, UNDEPOSITEDACCOUNTNO or PRBATCH.")
    place_in_batch(wc, "ARPYMT", row, old)
    if row.get("FINANCIALENTITY"):
        from intacct_sandbox.objects.cash import financial_entity

        financial_entity(wc, row["FINANCIALENTITY"])
    check_open_period(wc, row.get("RECEIPTDATE"), "receipt date")
    _check_undeposited_account(wc, row.get("UNDEPOSITEDACCOUNTNO"))
    details = lines_of(wc, ARPYMT, row)
    # checked on every write: a draft submitted later is checked against what is due then
    check_applications(
        wc,
        row.get("CUSTOMERID"),
        [(d.get("RECORDKEY"), d.get("POSADJKEY"), money(d.get("TRX_PAYMENTAMOUNT"))) for d in details],
    )
    applied = sum((money(d.get("TRX_PAYMENTAMOUNT")) for d in details), ZERO)
    entered = money(row.get("AMOUNTTOPAY")) if row.get("AMOUNTTOPAY") is not None else applied
    if entered < applied:
        raise ValidationFailed(f"The details apply {applied}, more than the payment amount {entered}.")
    for d in details:
        d["PAYMENTAMOUNT"] = money(d.get("TRX_PAYMENTAMOUNT"))
    customer = wc.find("CUSTOMER", str(row["CUSTOMERID"])) if row.get("CUSTOMERID") else None
    row["CUSTOMERNAME"] = None if customer is None else customer.get("NAME")
    row["WHENCREATED"] = row.get("RECEIPTDATE")
    row["TOTALENTERED"] = entered
    row["TOTALPAID"] = applied
    row["TOTALDUE"] = entered - applied
    row["STATE"] = "Draft" if str(row.get("ACTION") or "").lower() == "draft" else "Complete"


def _after_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    refresh_batch(wc, row.get("PRBATCHKEY"))
    if row.get("STATE") == "Draft":
        return
    for detail in wc.store.children(wc.company_id, "ARPYMTDETAIL", row["RECORDNO"]):
        apply_to(wc, detail.get("RECORDKEY"), detail.get("POSADJKEY"), money(detail.get("TRX_PAYMENTAMOUNT")))


def _before_delete(wc: WriteContext, row: dict[str, Any]) -> None:
    if row.get("STATE") != "Draft":
        raise ValidationFailed(
            f"Payment {row['RECORDNO']} is complete and cannot be deleted.",
            correction="Reverse the payment instead.",
        )


ARPYMT = register(
    ObjectDef(
        name="ARPYMT",
        extras=(
            "RECORDTYPE",
            "FINANCIALENTITYTYPE",
            "FINANCIALACCOUNTNAME",
            "FINANCIALACCOUNTCURRENCY",
            "SUMMARYTITLE",
            "DISPLAYSTATE",
            "PAYMENTMETHODKEY",
            "EXCH_RATE_DATE",
            "EXCH_RATE_TYPE_ID",
            "EXCHANGE_RATE",
            "TRX_TOTALENTERED",
            "TRX_TOTALPAID",
            "TRX_TOTALDUE",
            "BILLTOPAYTONAME",
            "CLEARED",
            "CLRDATE",
            "RECORDID",
            "BILLTOPAYTOKEY",
            "PARENTPAYMENTKEY",
            "TAXSOLUTIONID",
            "SUPDOCID",
            "MULTIENTITYPYMTKEY",
            "RECORD_URL",
        ),
        label="AR Payment",
        transaction=True,
        sequence="PRRECORD",
        lines=Lines("ARPYMTDETAILS", "ARPYMTDETAIL", "ARPYMTDETAIL", min_lines=0),
        fields=[
            enum("PAYMENTMETHOD", {m: m for m in PAYMENT_METHODS}, required=True),
            text("CUSTOMERID", required=True, ref=("CUSTOMER", "CUSTOMERID")),
            text("CUSTOMERNAME", readonly=True),
            text("PAYERNAME"),
            date_("RECEIPTDATE", required=True),
            date_("PAYMENTDATE"),
            date_("WHENCREATED", readonly=True),
            date_("WHENPAID"),
            text("CURRENCY", default="USD"),
            text("BASECURR", default="USD"),
            text("FINANCIALENTITY"),
            text("UNDEPOSITEDACCOUNTNO", ref=("GLACCOUNT", "ACCOUNTNO")),
            text("PRBATCH"),
            integer("PRBATCHKEY"),
            text("DOCNUMBER"),
            text("DESCRIPTION"),
            decimal("AMOUNTTOPAY"),
            enum("ACTION", {"Submit": "Submit", "Draft": "Draft"}, default="Submit"),
            enum("STATE", {"Draft": "D", "Complete": "C", "Reversed": "R"}, readonly=True),
            date_("REVERSALDATE", readonly=True),
            integer("DEPOSITKEY", readonly=True),
            decimal("TOTALENTERED", readonly=True),
            decimal("TOTALPAID", readonly=True),
            decimal("TOTALDUE", readonly=True),
        ],
        before_write=_before_write,
        after_write=_after_write,
        before_delete=_before_delete,
        after_delete=lambda wc, row: refresh_batch(wc, row.get("PRBATCHKEY")),
    )
)
