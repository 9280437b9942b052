"""Cash Management: bank and card accounts, deposits, other receipts and charge card transactions
(docs/intacct/payables-receivables.md §7).

CHECKINGACCOUNT / SAVINGSACCOUNT (key BANKACCOUNTID) and CREDITCARD (key CARDID) are the financial
entities payments are made from and deposits go into; each is tied to its GL cash account. OTHERRECEIPTS
(money received that is not a customer payment) and CCTRANSACTION (a charge card purchase) carry GL
lines; DEPOSIT gathers undeposited receipts into a bank account.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from intacct_sandbox.objects.arpayment import PAYMENT_METHODS
from intacct_sandbox.objects.base import (
    Field,
    Lines,
    ObjectDef,
    date_,
    decimal,
    enum,
    integer,
    register,
    status,
    text,
)
from intacct_sandbox.objects.documents import ZERO, gl_line_fields, line_before_write, money
from intacct_sandbox.objects.writes import WriteContext, check_open_period, lines_of
from intacct_sandbox.record_faults import ValidationFailed


def _bank_fields() -> list[Field]:
    return [
        text("BANKACCOUNTID", max_length=20),
        text("BANKACCOUNTNO"),
        text("GLACCOUNTNO", required=True, ref=("GLACCOUNT", "ACCOUNTNO")),
        text("BANKNAME"),
        text("ROUTINGNO"),
        text("BRANCHID"),
        text("CURRENCY", default="USD"),
        text("DEPARTMENTID", ref=("DEPARTMENT", "DEPARTMENTID")),
        text("LOCATIONID", ref=("LOCATION", "LOCATIONID")),
        decimal("BALANCE", readonly=True, default=ZERO),
        status(),
    ]


def _check_cash_account(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    """A bank account's GL account is a balance sheet account with a debit balance (cash)."""
    account = wc.find("GLACCOUNT", str(row.get("GLACCOUNTNO") or ""))
    if account is not None and account.get("ACCOUNTTYPE") != "balancesheet":
        raise ValidationFailed(
            f"GL account {row['GLACCOUNTNO']} is not a balance sheet account and cannot be a bank account's "
            "cash account.",
            correction="Use a cash (balance sheet) GL account.",
        )


#: further columns sageintacctsdk's CHECKINGACCOUNT field list reads
BANK_EXTRAS = ("BANKACCOUNTTYPE", "ACHBANKID", "COMPANYNAME")

CHECKINGACCOUNT = register(
    ObjectDef(
        name="CHECKINGACCOUNT",
        label="Checking Account",
        id_field="BANKACCOUNTID",
        extras=BANK_EXTRAS,
        fields=_bank_fields(),
        before_write=_check_cash_account,
    )
)
SAVINGSACCOUNT = register(
    ObjectDef(
        name="SAVINGSACCOUNT",
        label="Savings Account",
        id_field="BANKACCOUNTID",
        extras=BANK_EXTRAS,
        fields=_bank_fields(),
        before_write=_check_cash_account,
    )
)
CREDITCARD = register(
    ObjectDef(
        name="CREDITCARD",
        label="Charge Card Account",
        id_field="CARDID",
        # further columns sageintacctsdk's CREDITCARD field list reads
        extras=("EXP_MONTH", "EXP_YEAR", "COMMCARD", "DEPT", "LOCATION", "LIABILITYTYPE", "OUTSOURCECARD"),
        fields=[
            text("CARDID", max_length=20),
            text("DESCRIPTION"),
            text("CARDTYPE"),
            text("LIABACCOUNTNO", required=True, ref=("GLACCOUNT", "ACCOUNTNO")),
            text("VENDORID", ref=("VENDOR", "VENDORID")),
            text("CURRENCY", default="USD"),
            status(),
        ],
    )
)

BANKS = ("CHECKINGACCOUNT", "SAVINGSACCOUNT")


def financial_entity(
    wc: WriteContext, key: Any, kinds: tuple[str, ...] = BANKS, what: str = "bank account"
) -> tuple[str, dict[str, Any]]:
    """(object, record) of the active bank (or card) account an ID names; refused otherwise."""
    text_key = str(key or "").strip()
    for obj in kinds:
        row = wc.find(obj, text_key) if text_key else None
        if row is None:
            continue
        if row.get("STATUS") == "inactive":
            raise ValidationFailed(
                f"The {what} '{text_key}' is inactive.", correction=f"Activate it or use another {what}."
            )
        return obj, row
    raise ValidationFailed(
        f"Invalid {what} '{text_key}' specified.",
        correction=f"Use the ID of an existing {what} (Cash Management).",
    )


# --- other receipts -------------------------------------------------------------------------------

OTHERRECEIPTSENTRY = register(
    ObjectDef(
        name="OTHERRECEIPTSENTRY",
        label="Other Receipt Line",
        parent_field="RECORDKEY",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=gl_line_fields(),
        before_write=line_before_write,
    )
)


def _receipt_before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    sources = [n for n in ("FINANCIALENTITY", "UNDEPOSITEDACCOUNTNO") if row.get(n)]
    if len(sources) != 1:
        raise ValidationFailed(
            "Send exactly one of bankaccountid (deposit into a bank account) or undepglaccountno "
            "(hold in undeposited funds)."
        )
    if row.get("FINANCIALENTITY"):
        financial_entity(wc, row["FINANCIALENTITY"])
        if row.get("DEPOSITDATE") is None:
            raise ValidationFailed(
                "Required field depositdate is missing: a receipt put into a bank account needs its "
                "deposit date."
            )
    else:
        account = wc.find("GLACCOUNT", str(row["UNDEPOSITEDACCOUNTNO"]))
        if account is None:
            raise ValidationFailed(f"Invalid GL account '{row['UNDEPOSITEDACCOUNTNO']}' specified.")
        if account.get("ACCOUNTTYPE") != "balancesheet":
            raise ValidationFailed(
                f"GL account {row['UNDEPOSITEDACCOUNTNO']} cannot hold undeposited funds: it is not a "
                "balance sheet account."
            )
    check_open_period(wc, row.get("WHENCREATED"), "receipt date")
    total = sum((money(line.get("TRX_AMOUNT")) for line in lines_of(wc, OTHERRECEIPTS, row)), ZERO)
    if total <= ZERO:
        raise ValidationFailed(f"The receipt's total {total} must be more than zero.")
    row["TOTALENTERED"] = total
    row["STATE"] = "Deposited" if row.get("FINANCIALENTITY") else "Undeposited"


def _receipt_before_delete(wc: WriteContext, row: dict[str, Any]) -> None:
    if row.get("DEPOSITKEY") is not None:
        raise ValidationFailed(
            f"Other receipt {row['RECORDNO']} is part of deposit {row['DEPOSITKEY']} and cannot be deleted."
        )


OTHERRECEIPTS = register(
    ObjectDef(
        name="OTHERRECEIPTS",
        label="Other Receipt",
        transaction=True,
        sequence="PRRECORD",
        creatable=False,
        updatable=False,
        lines=Lines("OTHERRECEIPTSENTRIES", "OTHERRECEIPTSENTRY", "OTHERRECEIPTSENTRY"),
        fields=[
            text("PAYEE", required=True),
            date_("WHENCREATED", required=True),
            date_("PAYMENTDATE", required=True),
            enum("PAYMENTMETHOD", {m: m for m in PAYMENT_METHODS}, required=True),
            text("FINANCIALENTITY"),
            text("UNDEPOSITEDACCOUNTNO"),
            date_("DEPOSITDATE"),
            text("DOCNUMBER"),
            text("DESCRIPTION"),
            text("SUPDOCID"),
            text("CURRENCY", default="USD"),
            decimal("TOTALENTERED", readonly=True),
            enum("STATE", {"Undeposited": "U", "Deposited": "D"}, readonly=True),
            integer("DEPOSITKEY", readonly=True),
        ],
        before_write=_receipt_before_write,
        before_delete=_receipt_before_delete,
    )
)


# --- deposits -------------------------------------------------------------------------------------

DEPOSIT = register(
    ObjectDef(
        name="DEPOSIT",
        label="Deposit",
        transaction=True,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=[
            text("FINANCIALENTITY", required=True),
            date_("WHENCREATED", required=True),
            text("DEPOSITID", required=True),
            text("DESCRIPTION"),
            text("SUPDOCID"),
            text("RECEIPTKEYS", readonly=True),
            decimal("TOTALENTERED", readonly=True),
            enum("STATE", {"Deposited": "D"}, readonly=True, default="Deposited"),
        ],
    )
)


def deposit_total(receipts: list[tuple[str, dict[str, Any]]]) -> Decimal:
    return sum((money(r.get("TOTALENTERED")) for _, r in receipts), ZERO)


# --- charge card transactions ---------------------------------------------------------------------

CCTRANSACTIONENTRY = register(
    ObjectDef(
        name="CCTRANSACTIONENTRY",
        label="Charge Card Transaction Line",
        parent_field="RECORDKEY",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=gl_line_fields(),
        before_write=line_before_write,
    )
)


def _cc_before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    if old is not None and old.get("STATE") in ("Reversed", "Reversal"):
        raise ValidationFailed(
            f"Charge card transaction {old['RECORDNO']} is {old['STATE']} and cannot change."
        )
    financial_entity(wc, row.get("FINANCIALENTITY"), ("CREDITCARD",), "charge card account")
    check_open_period(wc, row.get("WHENCREATED"), "transaction date")
    row["TOTALENTERED"] = sum(
        (money(line.get("TRX_AMOUNT")) for line in lines_of(wc, CCTRANSACTION, row)), ZERO
    )
    row["STATE"] = row.get("STATE") or "Posted"


def _cc_before_delete(wc: WriteContext, row: dict[str, Any]) -> None:
    if row.get("STATE") in ("Reversed", "Reversal"):
        raise ValidationFailed(
            f"Charge card transaction {row['RECORDNO']} is {row['STATE']} and cannot be deleted."
        )


CCTRANSACTION = register(
    ObjectDef(
        name="CCTRANSACTION",
        label="Charge Card Transaction",
        transaction=True,
        # further columns sageintacctsdk's CCTRANSACTION field list reads (cards are paid outside AP)
        extras=(
            "RECORD_URL",
            "BASECURR",
            "TRX_TOTALENTERED",
            "TOTALPAID",
            "TRX_TOTALPAID",
            "TOTALSELECTED",
            "TRX_TOTALSELECTED",
            "TOTALDUE",
            "TRX_TOTALDUE",
            "WHENPAID",
            "RAWSTATE",
            "CLEARED",
            "INCLUSIVETAX",
            "TAXSOLUTIONID",
            "TAXMETHOD",
        ),
        creatable=False,
        updatable=False,
        lines=Lines("CCTRANSACTIONENTRIES", "CCTRANSACTIONENTRY", "CCTRANSACTIONENTRY"),
        fields=[
            text("FINANCIALENTITY", required=True),
            date_("WHENCREATED", required=True),
            text("RECORDID"),
            text("PAYEE"),
            text("DESCRIPTION"),
            text("SUPDOCID"),
            text("CURRENCY", default="USD"),
            decimal("TOTALENTERED", readonly=True),
            enum("STATE", {"Posted": "A", "Reversed": "R", "Reversal": "V"}, readonly=True),
            integer("REVERSALKEY", readonly=True),
            integer("REVERSEDKEY", readonly=True),
            date_("REVERSALDATE", readonly=True),
        ],
        before_write=_cc_before_write,
        before_delete=_cc_before_delete,
    )
)
