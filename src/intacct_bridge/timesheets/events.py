"""Events of the time app, ready for webhooks.

Every state change a host product would want to hear about (a timesheet submitted, approved,
rejected, exported to Intacct or withdrawn from it; a project invoice exported or its payment
status changed) goes through ``emit``, which records it in the shared outbox (``sync/events.py``:
an ``Event`` row in the caller's transaction, ``event_recorded`` sent after the commit — where a
webhook sender connects). The API serves the feed at ``GET events?kind=timesheet.``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from intacct_bridge.sync import events
from intacct_bridge.workspaces.models import Workspace

TIMESHEET_SUBMITTED = "timesheet.submitted"
TIMESHEET_APPROVED = "timesheet.approved"
TIMESHEET_REJECTED = "timesheet.rejected"
TIMESHEET_EXPORTED = "timesheet.exported"
TIMESHEET_WITHDRAWN = "timesheet.withdrawn_from_intacct"
TIMESHEET_EXPORT_BLOCKED = "timesheet.export_blocked"
TIME_ENTRY_DELETED_IN_INTACCT = "time_entry.deleted_in_intacct"
INVOICE_EXPORTED = "project_invoice.exported"
INVOICE_PAYMENT_CHANGED = "project_invoice.payment_status_changed"

EVENTS = (
    TIMESHEET_SUBMITTED,
    TIMESHEET_APPROVED,
    TIMESHEET_REJECTED,
    TIMESHEET_EXPORTED,
    TIMESHEET_WITHDRAWN,
    TIMESHEET_EXPORT_BLOCKED,
    TIME_ENTRY_DELETED_IN_INTACCT,
    INVOICE_EXPORTED,
    INVOICE_PAYMENT_CHANGED,
)


def emit(workspace: Workspace, event: str, data: Mapping[str, Any], *, origin: str = "app") -> None:
    """Record one of the EVENTS above in the shared outbox."""
    assert event in EVENTS, event
    # the event's subject: the timesheet, or the project invoice
    object_id = next((v for k in ("timesheet", "project_invoice") if isinstance(v := data.get(k), int)), None)
    events.record(workspace, event, data, object_id=object_id, origin=origin)
