"""Payments under faults on the gateway: resets after commit, 524 (Intacct ran it, the answer was lost),
429 rate limits. However often the push is cut off, every payment ends applied exactly once: each
deterministic key (DOCNUMBER IBP<id>) appears at most once in Intacct after every round, and once
settled the sandbox's applied-payment count equals the app's."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from ar_support import applied_payments, open_invoice, settled

from intacct_bridge.ar import payments
from intacct_bridge.ar.models import Invoice, Payment, PaymentState
from intacct_bridge.sync.models import Link

pytestmark = pytest.mark.django_db

ROUNDS = 25


def _record(ws: Any, invoices: list[Invoice], n: int) -> list[Payment]:
    out = []
    for i in range(n):
        invoice = invoices[i % len(invoices)]
        data = payments.PaymentInput(applications=[(invoice.pk, "1.00")], reference=f"F-{i}")
        payment, _ = payments.record_payment(ws, data, push=False)
        out.append(payment)
    return out


def _check_no_duplicates(control: Any, company: str, mine: list[Payment]) -> int:
    keys = Counter(str(r["DOCNUMBER"]) for r in applied_payments(control, company))
    assert all(n == 1 for n in keys.values()), (
        f"duplicated in Intacct: {[k for k, n in keys.items() if n > 1]}"
    )
    applied = {f"IBP{p.pk}" for p in Payment.objects.filter(pk__in=[p.pk for p in mine], state="applied")}
    assert applied <= set(keys), "a payment the app calls applied is missing in Intacct"
    return len(keys)


@pytest.mark.parametrize("kind", ["reset-after-commit", "http-524", "rate-limit"])
def test_payments_are_applied_exactly_once_under_faults(
    kind: str, ar_ws: Any, push: Any, intacct_sandbox: Any, company: str
) -> None:
    invoices = []
    for _ in range(3):
        invoices.append(open_invoice(ar_ws, exclude=tuple(i.pk for i in invoices)))
    mine = _record(ar_ws, invoices, 9)
    control = intacct_sandbox.control
    control.fault(kind, rate=0.5, seed=7, company_id=company)
    faults_seen = 0
    try:
        for _ in range(ROUNDS):
            push()
            _check_no_duplicates(control, company, mine)
            if all(settled(p).state == PaymentState.APPLIED for p in mine):
                break
        faults_seen = sum(control.stats()["faults"].values())
    finally:
        control.clear_faults()
    assert faults_seen > 0, "the fault never fired: the test proved nothing"
    push()  # one clean round settles anything still in doubt
    in_intacct = _check_no_duplicates(control, company, mine)
    states = Counter(settled(p).state for p in mine)
    assert states == Counter({PaymentState.APPLIED: len(mine)}), states
    assert in_intacct == Payment.objects.filter(workspace=ar_ws, state="applied").count() == len(mine)
    for invoice in invoices:
        links = Link.objects.get(family="invoices", local_id=invoice.pk)
        total = sum(
            (
                Decimal(d["TRX_PAYMENTAMOUNT"])
                for r in applied_payments(control, company, links.recordno)
                for d in r["ARPYMTDETAILS"]["ARPYMTDETAIL"]
            ),
            Decimal(0),
        )
        assert total == Decimal("3.00")


def test_a_payment_sent_by_a_run_that_died_is_read_back_not_sent_again(
    ar_ws: Any, push: Any, intacct_sandbox: Any, company: str
) -> None:
    """The worker sent create_arpayment and died before reading the answer: the next run finds the
    payment by its key in Intacct and links it instead of sending it a second time."""
    from intacct_bridge.ar.payments import create_params
    from intacct_bridge.workspaces.connection import client_for

    invoice = open_invoice(ar_ws)
    payment, _ = payments.record_payment(
        ar_ws, payments.PaymentInput(applications=[(invoice.pk, "5.00")]), push=False
    )
    params = create_params(ar_ws, payment, f"IBP{payment.pk}")  # what the dead run sent; marks it sent
    with client_for(ar_ws) as intacct:
        intacct.call("create_arpayment", params)
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.SENT
    before = intacct_sandbox.control.stats()["functions"].get("create_arpayment", 0)
    push()
    payment = settled(payment)
    assert payment.state == PaymentState.APPLIED
    assert intacct_sandbox.control.stats()["functions"].get("create_arpayment", 0) == before
    [stored] = applied_payments(intacct_sandbox.control, company)
    assert Link.objects.get(family="payments", local_id=payment.pk).recordno == int(stored["RECORDNO"])


def test_retrying_an_unknown_payment_reads_it_back_first(
    ar_ws: Any, push: Any, intacct_sandbox: Any, company: str
) -> None:
    from intacct_bridge.ar.payments import create_params
    from intacct_bridge.workspaces.connection import client_for

    invoice = open_invoice(ar_ws)
    payment, _ = payments.record_payment(
        ar_ws, payments.PaymentInput(applications=[(invoice.pk, "3.00")]), push=False
    )
    with client_for(ar_ws) as intacct:
        intacct.call("create_arpayment", create_params(ar_ws, payment, f"IBP{payment.pk}"))
    Payment.objects.filter(pk=payment.pk).update(state=PaymentState.UNKNOWN, last_error="lost answer")
    payment.refresh_from_db()
    payment = payments.retry(ar_ws, payment, push=False)
    assert payment.state == PaymentState.UNKNOWN
    before = intacct_sandbox.control.stats()["functions"].get("create_arpayment", 0)
    push()
    assert settled(payment).state == PaymentState.APPLIED
    assert intacct_sandbox.control.stats()["functions"].get("create_arpayment", 0) == before
    assert len(applied_payments(intacct_sandbox.control, company)) == 1
