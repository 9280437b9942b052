"""Request and response bodies of the ar API (``api.py``); names unique across the whole API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema

from intacct_bridge.records.currencies import OptionalCurrency

# ---- requests -------------------------------------------------------------------------------------


class ApplicationIn(Schema):
    invoice_id: int
    amount: Decimal


class PaymentIn(Schema):
    applications: list[ApplicationIn]
    method: str = "Printed Check"
    date: dt.date | None = None
    reference: str = ""
    amount: Decimal | None = None
    currency: OptionalCurrency = ""


class AdjustmentLineIn(Schema):
    account_id: int
    amount: Decimal
    memo: str = ""


class AdjustmentIn(Schema):
    customer_id: str
    invoice_id: int | None = None
    date: dt.date | None = None
    memo: str = ""
    lines: list[AdjustmentLineIn]


class ArSettingsIn(Schema):
    ar_account_id: int | None = None
    undeposited_account_id: int | None = None
    use_intacct_image: bool = False
    adjustments_enabled: bool = False
    adjustment_entity_id: str = ""


# ---- responses (amounts as "0.00" strings, dates and times as ISO strings) ------------------------


class InvoiceOut(Schema):
    id: int
    number: str
    customer_id: str
    customer_name: str
    client_id: int | None
    date: str | None
    due_date: str | None
    paid_on: str | None
    total: str
    amount_paid: str
    amount_due: str
    state: str
    currency: str
    intacct_recordno: int | None
    entity: str


class InvoiceLineOut(Schema):
    line_no: int
    intacct_recordno: int | None
    account_number: str
    description: str
    amount: str
    amount_paid: str
    department_id: str
    location_id: str


class InvoicePaymentOut(Schema):
    id: int
    amount: str
    state: str


class InvoiceDetailOut(InvoiceOut):
    description: str
    lines: list[InvoiceLineOut]
    payments: list[InvoicePaymentOut]


class InvoicePageOut(Schema):
    page: int
    has_next: bool
    count: int
    results: list[InvoiceOut]


class PaymentApplicationOut(Schema):
    invoice_id: int
    invoice_number: str
    amount: str


class PaymentOut(Schema):
    id: int
    customer_id: str
    customer_name: str
    method: str
    date: str
    reference: str
    amount: str
    currency: str
    state: str
    last_errorno: str
    last_error: str
    attempts: int
    intacct_recordno: int | None
    created_by: str
    created_at: str
    applied_at: str | None
    applications: list[PaymentApplicationOut]


class AdjustmentLineOut(Schema):
    line_no: int
    account: str
    amount: str
    memo: str


class AdjustmentOut(Schema):
    id: int
    customer_id: str
    customer_name: str
    invoice_id: int | None
    invoice_number: str
    date: str
    memo: str
    entity_id: str
    state: str
    last_errorno: str
    last_error: str
    intacct_recordno: int | None
    total: str
    lines: list[AdjustmentLineOut]


class ArAccountOut(Schema):
    id: int
    number: str
    title: str
    active: bool


class ArSettingsOut(Schema):
    ar_account: ArAccountOut | None
    undeposited_account: ArAccountOut | None
    use_intacct_image: bool
    adjustments_enabled: bool
    adjustment_entity_id: str
    updated_at: str | None
