"""A refusal that reveals a changed state refreshes it (issue #15): Intacct refuses a payment because
the invoice was paid there meanwhile; the invoice is read back in the same run and shown Paid (no
payment form any more), and the payment's message names the invoice number, not Intacct's RECORDNO.
The run's issue keeps Intacct's errorno and words."""

from __future__ import annotations

import re
from typing import Any

import pytest
from ar_support import open_invoice

from intacct_bridge.ar.models import PaymentState
from intacct_bridge.sync.models import Link, RunIssue

pytestmark = pytest.mark.django_db


def test_a_payment_refused_as_already_paid_shows_the_invoice_paid_at_once(
    ar_ws: Any, pay: Any, intacct_sandbox: Any, company: str, owner: Any, client: Any
) -> None:
    invoice = open_invoice(ar_ws)
    recordno = Link.objects.get(workspace=ar_ws, family="invoices", local_id=invoice.pk).recordno
    assert invoice.number and invoice.number != str(recordno)
    intacct_sandbox.control.pay_invoice(company, recordno, str(invoice.amount_due))

    payment = pay(invoice, invoice.amount_due)  # no sync of invoices in between

    assert payment.state == PaymentState.FAILED
    invoice.refresh_from_db()
    assert invoice.state == "paid" and invoice.amount_due == 0, "read back in the same run"
    assert invoice.number in payment.last_error and "paid in full" in payment.last_error
    assert not re.search(rf"\b{recordno}\b", payment.last_error), payment.last_error
    issue = RunIssue.objects.filter(family="payments", local_id=payment.pk).latest("pk")
    assert issue.errorno and "paid in full already" in issue.text  # Intacct's own number and words
    assert invoice.number in issue.correction
    client.force_login(owner)
    page = client.get(f"/w/{ar_ws.slug}/invoices/{invoice.pk}/").content.decode()
    assert "Paid" in page and invoice.number in page
    assert f"/invoices/{invoice.pk}/pay" not in page, "no payment form for a paid invoice"
