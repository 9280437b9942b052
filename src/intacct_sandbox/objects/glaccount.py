"""GLACCOUNT (docs/intacct/objects.md §8): ACCOUNTNO + TITLE; a duplicate number is the documented
BL01001973 "The account number '…' already exists" (docs/intacct/protocol.md §4.3)."""

from __future__ import annotations

from typing import Any

from intacct_sandbox.objects.base import ObjectDef, boolean, enum, register, status, text
from intacct_sandbox.objects.writes import WriteContext
from intacct_sandbox.record_faults import ValidationFailed

ACCOUNTTYPES = {"balancesheet": "balancesheet", "incomestatement": "incomestatement"}
NORMALBALANCES = {"debit": "debit", "credit": "credit"}
CLOSINGTYPES = {"non-closing account": "non-closing account", "closing account": "closing account"}
REQUIRES = (
    "REQUIREDEPT",
    "REQUIRELOC",
    "REQUIREPROJECT",
    "REQUIRECUSTOMER",
    "REQUIREVENDOR",
    "REQUIREEMPLOYEE",
    "REQUIREITEM",
    "REQUIRECLASS",
)


class DuplicateAccount(ValidationFailed):
    description = "Duplicate account number"
    correction = "Enter unique account number"
    modelled = False


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    number = row.get("ACCOUNTNO")
    existing = wc.store.get_by_id(wc.company_id, "GLACCOUNT", str(number)) if number else None
    if existing is not None and (old is None or existing["RECORDNO"] != old["RECORDNO"]):
        raise DuplicateAccount(f"The account number '{number}' already exists")
    if row.get("CLOSINGTYPE") == "closing account" and not row.get("CLOSINGACCOUNTNO"):
        raise ValidationFailed("Required field CLOSINGACCOUNTNO is missing for a closing account.")


GLACCOUNT = register(
    ObjectDef(
        name="GLACCOUNT",
        extras=("ALTERNATIVEACCOUNT",),
        label="GL Account",
        id_field="ACCOUNTNO",
        entity_owned=False,
        fields=[
            text("ACCOUNTNO", max_length=24),
            text("TITLE", required=True),
            enum("ACCOUNTTYPE", ACCOUNTTYPES, default="balancesheet"),
            enum("NORMALBALANCE", NORMALBALANCES, default="debit"),
            enum("CLOSINGTYPE", CLOSINGTYPES, default="non-closing account"),
            text("CLOSINGACCOUNTNO", ref=("GLACCOUNT", "ACCOUNTNO")),
            text("CATEGORY"),
            status(),
            boolean("TAXABLE", default=False),
            *(boolean(n, default=False) for n in REQUIRES),
        ],
        before_write=_before_write,
    )
)
