"""CUSTOMERCHARGECARD: a customer's stored charge card for payment services
(docs/intacct/payables-receivables.md §11). Written by create/update_customerchargecard and deleted by
delete_customerchargecard ``recordno="…"``.

Only the last four digits of the card number are kept (the sandbox never stores a full card number;
reads show it masked). A card must not have expired; one card per customer is the default.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from intacct_sandbox.objects.base import ObjectDef, boolean, enum, mailaddress, register, status, text
from intacct_sandbox.objects.writes import WriteContext
from intacct_sandbox.record_faults import ValidationFailed

#: the PHP SDK's AbstractCustomerChargeCard constants
CARD_TYPES = ("Visa", "Mastercard", "Discover", "American Express", "Diners Club", "Other Charge Card")
MONTHS = tuple(calendar.month_name[1:])


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    raw = str(row.get("CARDNUM") or "").replace(" ", "").replace("-", "")
    if old is None or (raw and raw != old.get("CARDNUM")):
        if not raw.isdigit() or not 12 <= len(raw) <= 19:
            raise ValidationFailed(
                "Invalid card number: 12 to 19 digits are expected.", correction="Send the card's number."
            )
        row["CARDNUM"] = "*" * (len(raw) - 4) + raw[-4:]
    year = str(row.get("EXP_YEAR") or "").strip()
    if not (year.isdigit() and len(year) == 4):
        raise ValidationFailed(f"Invalid exp_year '{year}': a four-digit year is expected.")
    month = MONTHS.index(str(row["EXP_MONTH"])) + 1
    last_day = date(int(year), month, calendar.monthrange(int(year), month)[1])
    if last_day < wc.now.date():
        raise ValidationFailed(
            f"The card expired at the end of {row['EXP_MONTH']} {year}.",
            correction="Send a card that has not expired.",
        )
    if row.get("DEFAULTCARD"):
        for other in wc.store.scan(wc.company_id, "CUSTOMERCHARGECARD"):
            if (
                other.get("CUSTOMERID") == row.get("CUSTOMERID")
                and other.get("DEFAULTCARD")
                and (old is None or other["RECORDNO"] != old["RECORDNO"])
            ):
                wc.store.replace(
                    wc.company_id, "CUSTOMERCHARGECARD", other["RECORDNO"], {**other, "DEFAULTCARD": False}
                )


CUSTOMERCHARGECARD = register(
    ObjectDef(
        name="CUSTOMERCHARGECARD",
        label="Customer Charge Card",
        fields=[
            text("CUSTOMERID", required=True, ref=("CUSTOMER", "CUSTOMERID")),
            text("CARDNUM", required=True),
            enum("CARDTYPE", {t: t for t in CARD_TYPES}, required=True),
            enum("EXP_MONTH", {m: m for m in MONTHS}, required=True),
            text("EXP_YEAR", required=True),
            text("DESCRIPTION"),
            status(),
            boolean("DEFAULTCARD", default=False),
            boolean("USEBILLTOADDR", default=False),
            *mailaddress(""),
        ],
        creatable=False,
        updatable=False,
        before_write=_before_write,
    )
)
