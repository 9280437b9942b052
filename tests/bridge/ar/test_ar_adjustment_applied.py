"""A credit adjustment for an invoice is applied to it (issue #15, fifth bullet): posted as a credit
memo with create_aradjustment, then applied with apply_arpayment (the memo's RECORDNO as the key,
docs/intacct/objects.md §12-§13), so the invoice's amount due drops in Intacct and in the app — in
the entity the adjustment settings name."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ar_support import account, configure, open_invoice

from intacct_bridge.ar import adjustments
from intacct_bridge.ar.models import AdjustmentState
from intacct_bridge.sync.models import Link

pytestmark = pytest.mark.django_db


def _intacct_invoice(control: Any, company: str, recordno: int) -> dict[str, Any]:
    return next(r for r in control.records(company, "ARINVOICE") if int(r["RECORDNO"]) == recordno)


@pytest.mark.parametrize("entity", ["", "E100"])
def test_a_credit_adjustment_is_applied_and_the_amount_due_drops_in_intacct_and_the_app(
    ar_ws: Any, intacct_sandbox: Any, company: str, django_capture_on_commit_callbacks: Any, entity: str
) -> None:
    configure(ar_ws, adjustments_enabled=True, adjustment_entity_id=entity)
    invoice = open_invoice(ar_ws, min_due=Decimal("40.00"))
    due = invoice.amount_due
    recordno = Link.objects.get(workspace=ar_ws, family="invoices", local_id=invoice.pk).recordno
    assert Decimal(str(_intacct_invoice(intacct_sandbox.control, company, recordno)["TOTALDUE"])) == due
    with django_capture_on_commit_callbacks(execute=True):
        adjustment = adjustments.record_adjustment(
            ar_ws,
            adjustments.AdjustmentInput(
                customer_id=invoice.customer_id,
                invoice_id=invoice.pk,
                lines=[(account(ar_ws, "4000").pk, "25.00", "Goodwill")],
            ),
            by="test",
        )
    adjustment.refresh_from_db()
    adjustments.settle([adjustment])
    assert adjustment.state == AdjustmentState.POSTED and not adjustment.last_error, adjustment.last_error
    assert adjustment.entity_id == entity
    # Intacct: the invoice's balance is 25.00 lower, the credit memo used up
    remote_invoice = _intacct_invoice(intacct_sandbox.control, company, recordno)
    assert Decimal(str(remote_invoice["TOTALDUE"])) == due - Decimal("25.00")
    memo_no = Link.objects.get(workspace=ar_ws, family="adjustments", local_id=adjustment.pk).recordno
    memos = intacct_sandbox.control.records(company, "ARADJUSTMENT")
    memo = next(r for r in memos if int(r["RECORDNO"]) == memo_no)
    assert Decimal(str(memo["TOTALDUE"])) == 0
    # the app: read back in the same run
    invoice.refresh_from_db()
    assert invoice.amount_due == due - Decimal("25.00") and invoice.state == "partially_paid"
