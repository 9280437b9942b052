"""Fixtures of the tests of the ar app (invoices, payments, adjustments).

``ar_ws`` is the sandbox-connected workspace with the receivables families on, the chart of accounts
imported, AR 1200 and Undeposited Funds 1010 chosen and the invoices pulled once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from ar_support import AR_FAMILIES, configure, settled, sync

from intacct_bridge.ar import payments
from intacct_bridge.ar.models import Invoice
from intacct_bridge.jobs import tasks as jobs
from intacct_bridge.sync.models import Run
from intacct_bridge.workspaces.models import Workspace


@pytest.fixture(name="ar_ws")
def ar_ws_fixture(ws: Workspace) -> Workspace:
    ws.families = AR_FAMILIES
    ws.save(update_fields=["families"])
    sync(ws, "accounts")
    configure(ws)
    sync(ws, "invoices")
    return ws


@pytest.fixture(name="pay")
def pay_fixture(ar_ws: Workspace, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """pay(invoice, amount, **fields) -> Payment, through the same path as the page and the API; the
    prompt push runs as it would after the request's commit."""
    def record(invoice: Invoice, amount: Any, **fields: Any) -> Any:
        data = payments.PaymentInput(applications=[(invoice.pk, amount)], **fields)
        with django_capture_on_commit_callbacks(execute=True):
            payment, _ = payments.record_payment(ar_ws, data, by="test")
        return settled(payment)

    return record


@pytest.fixture(name="push")
def push_fixture(ar_ws: Workspace, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """push(family="payments"): a family-only push run as the prompt-push task runs it."""

    def run(family: str = "payments") -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            jobs.push_now(ar_ws, family, [])
        return Run.objects.filter(workspace=ar_ws, family=family).order_by("-pk").first()

    return run
