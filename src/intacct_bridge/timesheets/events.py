"""Events of the time app, ready for webhooks.

Every state change a host product would want to hear about (a timesheet submitted, approved,
rejected, exported to Intacct or withdrawn from it; a project invoice exported or its payment
status changed) goes through ``emit``: **this is where a webhook would be sent**. ``emit`` writes a
``TimeEvent`` row in the caller's transaction (an outbox: a sender POSTs undelivered rows as
``{"event": kind, "workspace": slug, "data": payload}`` in id order and sets ``delivered_at``), and
after the commit logs it and sends the Django signal ``time_event`` for in-process receivers. No
sender is configured yet: the API lists the events (``GET time/events``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from intacct_bridge.workspaces.models import Workspace

log = logging.getLogger(__name__)

#: sent with ``workspace``, ``event`` (a name below) and ``data`` (a JSON-ready dict)
time_event = Signal()

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


def emit(workspace: Workspace, event: str, data: Mapping[str, Any]) -> None:
    """The one place a webhook would be sent from (see the module docstring)."""
    from intacct_bridge.timesheets.models import TimeEvent

    assert event in EVENTS, event
    payload = dict(data)
    TimeEvent.objects.create(workspace=workspace, kind=event, payload=payload)

    def send() -> None:
        log.info("event %s in %s: %s", event, workspace.slug, payload)
        time_event.send(sender=Workspace, workspace=workspace, event=event, data=payload)

    transaction.on_commit(send)
