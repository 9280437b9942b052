"""Request and response bodies of the ap API (``api.py``); names unique across the whole API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from intacct_bridge.records.currencies import Currency


class BillLineIn(Schema):
    account: str = Field(description="GL account number of the imported chart (active)")
    amount: Decimal = Field(max_digits=14, decimal_places=2)
    memo: str = ""
    department: str | None = Field(None, description="Intacct DEPARTMENTID of an imported department")
    location_id: str = ""


class BillIn(Schema):
    vendor_id: int | None = Field(None, description="the app's vendor id")
    vendor: str | None = Field(None, description="or the vendor's Intacct VENDORID")
    bill_number: str = Field("", max_length=60)
    bill_date: date
    due_date: date
    gl_posting_date: date | None = None
    description: str = ""
    currency: Currency = "USD"
    ready_to_pay: bool = False
    lines: list[BillLineIn]


class VendorOut(Schema):
    id: int | None
    name: str
    intacct_id: str | None


class LineOut(Schema):
    line_no: int
    account: str | None
    amount: str
    memo: str
    department: str | None
    location_id: str | None


class BillOut(Schema):
    id: int
    vendor: VendorOut
    bill_number: str
    bill_date: str | None
    due_date: str | None
    gl_posting_date: str | None
    description: str
    currency: str
    total: str
    amount_paid: str
    amount_due: str
    ready_to_pay: bool
    status: str
    intacct_state: str | None
    intacct_recordno: int | None
    entity: str | None
    lines: list[LineOut]


class BillDetailOut(BillOut):
    issues: list[dict[str, Any]]
