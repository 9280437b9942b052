"""Request and response bodies of the time API (``api.py``); names unique across the whole API.
The responses are what ``serialize.py`` builds: hours and amounts as decimal strings, dates and
times as ISO strings."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from intacct_bridge.records.currencies import Currency

# ---- requests -------------------------------------------------------------------------------------


class TimeSettingsIn(Schema):
    use_app_for_timesheets: bool | None = None
    cutoff: dt.date | None = None
    clear_cutoff: bool = False
    entry_location: str | None = None


class EntryIn(Schema):
    date: dt.date
    hours: str
    project: int
    task: int | None = None
    notes: str = ""


class TimesheetIn(Schema):
    person: int
    begin_date: dt.date
    description: str = ""
    entries: list[EntryIn]
    submit: bool = False


class RejectIn(Schema):
    note: str = ""


class ProjectInvoiceLineIn(Schema):
    description: str = ""
    amount: str
    account: int | None = None


class ProjectInvoiceIn(Schema):
    project: int | None = None
    client: int | None = None
    number: str
    date: dt.date | None = None
    due_date: dt.date | None = None
    currency: Currency = "USD"
    description: str = ""
    lines: list[ProjectInvoiceLineIn]


class ExportIn(Schema):
    customer: int | None = None  # a linked client's id; default the invoice's client
    account: int | None = None  # a GL account's id in the synced chart
    location: str = ""


# ---- responses ------------------------------------------------------------------------------------


class TimeSettingsOut(Schema):
    use_app_for_timesheets: bool
    cutoff: str | None
    effective_cutoff: str
    entry_location: str


class TimesheetExportOut(Schema):
    state: str
    label: str
    message: str
    remedy: str
    intacct_recordno: int | None


class TimeEntryOut(Schema):
    id: int
    line_no: int
    date: str
    hours: str
    project: int | None
    task: int | None
    billable: bool
    notes: str
    intacct_recordno: int | None
    exported: bool


class TimesheetOut(Schema):
    id: int
    person: int | None
    person_name: str
    begin_date: str
    description: str
    state: str
    submitted_at: str | None
    approved_by: str | None
    approved_at: str | None
    rejected_at: str | None
    rejection_note: str
    total_hours: str
    export: TimesheetExportOut
    intacct_state: str | None
    exported_at: str | None
    entries: list[TimeEntryOut]


class ProjectInvoiceLineOut(Schema):
    line_no: int
    description: str
    amount: str
    account: int | None


class ProjectInvoiceExportOut(Schema):
    state: str
    label: str
    message: str
    customer: int | None
    account: int | None
    location: str
    requested_at: str | None
    exported_at: str | None
    intacct_recordno: int | None


class ProjectInvoicePaymentOut(Schema):
    status: str
    intacct_state: str | None
    amount_paid: str
    amount_due: str
    paid_on: str | None


class ProjectInvoiceOut(Schema):
    id: int
    number: str
    project: int | None
    client: int | None
    date: str
    due_date: str
    currency: str
    description: str
    total: str
    lines: list[ProjectInvoiceLineOut]
    export: ProjectInvoiceExportOut
    payment: ProjectInvoicePaymentOut
