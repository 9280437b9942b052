"""Payments → ARPYMT (create_arpayment) applied to invoices exactly once: partial and full payments,
the invoice following Intacct at once, every refused input (nothing sent), an invoice paid in Intacct
meanwhile (refused, shown, not retried by itself), explicit retry, Idempotency-Key, permissions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ar_support import account, applied_payments, configure, details, open_invoice, settled, sync

from intacct_bridge.ar import payments
from intacct_bridge.ar.models import ArSettings, Invoice, Payment, PaymentState
from intacct_bridge.sync.models import Link, PendingPush

pytestmark = pytest.mark.django_db


def recordno(invoice: Invoice) -> int:
    return Link.objects.get(workspace=invoice.workspace, family="invoices", local_id=invoice.pk).recordno


def test_a_partial_then_a_full_payment_are_applied_once_and_the_invoice_follows(
    ar_ws: Any, pay: Any, intacct_sandbox: Any, company: str
) -> None:
    invoice = open_invoice(ar_ws)
    due = invoice.amount_due
    half = (due / 2).quantize(Decimal("0.01"))
    first = pay(invoice, half, reference="CHK-1001", method="Printed Check")
    assert first.state == PaymentState.APPLIED, first.last_error
    invoice.refresh_from_db()
    assert invoice.state == "partially_paid" and invoice.amount_due == due - half
    rows = applied_payments(intacct_sandbox.control, company, recordno(invoice))
    assert len(rows) == 1
    stored = rows[0]
    assert stored["DOCNUMBER"] == f"IBP{first.pk}" and stored["UNDEPOSITEDACCOUNTNO"] == "1010"
    assert stored["CUSTOMERID"] == invoice.customer_id and stored["PAYMENTMETHOD"] == "Printed Check"
    assert [(int(d["RECORDKEY"]), Decimal(d["TRX_PAYMENTAMOUNT"])) for d in details(stored)] == [
        (recordno(invoice), half)
    ]
    second = pay(invoice, invoice.amount_due, method="EFT")
    assert second.state == PaymentState.APPLIED
    invoice.refresh_from_db()
    assert invoice.state == "paid" and invoice.amount_due == 0 and invoice.amount_paid == invoice.total
    assert len(applied_payments(intacct_sandbox.control, company, recordno(invoice))) == 2
    assert Link.objects.get(family="payments", local_id=first.pk).recordno == int(stored["RECORDNO"])
    # nothing is sent again by later runs
    sync(ar_ws, "payments")
    assert len(applied_payments(intacct_sandbox.control, company)) == 2


def test_one_payment_over_two_invoices_of_one_customer(
    ar_ws: Any, intacct_sandbox: Any, company: str, django_capture_on_commit_callbacks: Any
) -> None:
    from intacct_bridge.workspaces.connection import client_for

    first = open_invoice(ar_ws)
    with client_for(ar_ws) as intacct:
        intacct.call(
            "create_invoice",
            {
                "customerid": first.customer_id,
                "datecreated": first.date,
                "datedue": first.due_date,
                "invoiceno": "INV-TWO",
                "invoiceitems": {"lineitem": [{"glaccountno": "4000", "amount": "120.00", "memo": "Second"}]},
            },
        )
    sync(ar_ws, "invoices")
    second = Invoice.objects.get(workspace=ar_ws, number="INV-TWO")
    data = payments.PaymentInput(
        applications=[(first.pk, "10.00"), (second.pk, "120.00")], reference="WIRE-9"
    )
    with django_capture_on_commit_callbacks(execute=True):
        payment, created = payments.record_payment(ar_ws, data, by="test")
    payment = settled(payment)
    assert created and payment.state == PaymentState.APPLIED and payment.amount == Decimal("130.00")
    [stored] = applied_payments(intacct_sandbox.control, company)
    assert Decimal(stored["TOTALENTERED"]) == Decimal("130.00")
    assert sorted((int(d["RECORDKEY"]), Decimal(d["TRX_PAYMENTAMOUNT"])) for d in details(stored)) == sorted(
        [(recordno(first), Decimal("10.00")), (recordno(second), Decimal("120.00"))]
    )
    second.refresh_from_db()
    assert second.state == "paid"


def _refused(ws: Any, applications: list[tuple[int, Any]], **fields: Any) -> payments.PaymentRefused:
    with pytest.raises(payments.PaymentRefused) as caught:
        payments.record_payment(ws, payments.PaymentInput(applications=applications, **fields))
    return caught.value


def _deactivate(ws: Any, number: str) -> None:
    from intacct_bridge.workspaces.connection import client_for

    with client_for(ws) as intacct:
        [result] = intacct.update([("GLACCOUNT", {"ACCOUNTNO": number, "STATUS": "inactive"})])
        assert result.ok, result.error
    sync(ws, "accounts")


def test_bad_payments_are_refused_clearly_and_nothing_is_saved_or_sent(
    ar_ws: Any, intacct_sandbox: Any, company: str
) -> None:
    invoice = open_invoice(ar_ws)
    paid = Invoice.objects.filter(workspace=ar_ws, state="paid").first()
    other = (
        Invoice.objects.filter(workspace=ar_ws, state="open").exclude(customer_id=invoice.customer_id).first()
    )
    assert paid is not None and other is not None
    cases = [
        ([(invoice.pk, "0")], {}, "IB-AR-AMOUNT", "more than zero"),
        ([(invoice.pk, "-5.00")], {}, "IB-AR-AMOUNT", "more than zero"),
        ([(invoice.pk, "1.005")], {}, "IB-AR-AMOUNT", "two decimals"),
        ([(invoice.pk, str(invoice.amount_due + Decimal("0.01")))], {}, "IB-AR-OVERPAY", "still due"),
        ([(paid.pk, "1.00")], {}, "IB-AR-PAID", "paid in full"),
        ([(invoice.pk, "1.00"), (other.pk, "1.00")], {}, "IB-AR-FOREIGN", "several customers"),
        ([(invoice.pk, "1.00")], {"currency": "EUR"}, "IB-AR-CURRENCY", "EUR"),
        ([(invoice.pk, "1.00")], {"method": "Barter"}, "IB-AR-METHOD", "Unknown payment method"),
        ([(invoice.pk, "1.00")], {"amount": "2.00"}, "IB-AR-AMOUNT", "differs"),
        ([], {}, "IB-AR-INVOICE", "at least one invoice"),
        ([(invoice.pk, "abc")], {}, "invalid", "not an amount"),
        ([(invoice.pk, "1.00"), (invoice.pk, "1.00")], {}, "IB-AR-INVOICE", "named twice"),
    ]
    for applications, fields, code, words in cases:
        exc = _refused(ar_ws, applications, **fields)
        assert exc.code == "invalid"
        assert words in exc.message, (applications, fields, exc.message)
        if code != "invalid":
            assert code in [c for c, _ in exc.problems], (code, exc.problems)
    assert Payment.objects.count() == 0 and PendingPush.objects.filter(family="payments").count() == 0
    assert applied_payments(intacct_sandbox.control, company) == []


def test_an_invoice_of_another_workspace_is_refused_like_a_missing_one(
    ar_ws: Any, other_workspace: Any
) -> None:
    invoice = open_invoice(ar_ws)
    exc = _refused(other_workspace, [(invoice.pk, "1.00")])
    assert "not an invoice of this workspace" in exc.message


def test_payments_wait_for_both_accounts_and_a_usable_undeposited_account(ar_ws: Any) -> None:
    invoice = open_invoice(ar_ws)
    ArSettings.objects.filter(workspace=ar_ws).update(ar_account=None, undeposited_account=None)
    exc = _refused(ar_ws, [(invoice.pk, "1.00")])
    assert "No accounts-receivable GL account is chosen" in exc.message
    assert "No undeposited-funds account is chosen" in exc.message
    assert "Configurations > Billing > Accounting" in exc.message
    # the page says so instead of offering the form
    # a revenue account is no place for undeposited funds; an inactive cash account neither
    ArSettings.objects.filter(workspace=ar_ws).update(
        ar_account=account(ar_ws, "1200"), undeposited_account=account(ar_ws, "4000")
    )
    assert "not a bank/cash-type account" in _refused(ar_ws, [(invoice.pk, "1.00")]).message
    _deactivate(ar_ws, "1010")
    ArSettings.objects.filter(workspace=ar_ws).update(undeposited_account=account(ar_ws, "1010"))
    assert "is inactive in Intacct" in _refused(ar_ws, [(invoice.pk, "1.00")]).message


def test_payments_in_flight_count_against_the_amount_due(ar_ws: Any) -> None:
    invoice = open_invoice(ar_ws)
    half = (invoice.amount_due / 2).quantize(Decimal("0.01"))
    payments.record_payment(ar_ws, payments.PaymentInput(applications=[(invoice.pk, half)]), push=False)
    rest = invoice.amount_due - half
    exc = _refused(ar_ws, [(invoice.pk, rest + Decimal("0.01"))])
    assert "already recorded in payments not yet applied" in exc.message
    payment, _ = payments.record_payment(
        ar_ws, payments.PaymentInput(applications=[(invoice.pk, rest)]), push=False
    )
    assert payment.state == PaymentState.PENDING


def test_an_invoice_paid_in_intacct_since_the_last_sync_is_refused_shown_and_not_resent(
    ar_ws: Any, pay: Any, push: Any, intacct_sandbox: Any, company: str
) -> None:
    invoice = open_invoice(ar_ws)
    intacct_sandbox.control.pay_invoice(company, recordno(invoice), str(invoice.amount_due))
    calls = intacct_sandbox.control.stats()["functions"].get("create_arpayment", 0)
    payment = pay(invoice, invoice.amount_due)
    assert payment.state == PaymentState.FAILED
    assert f"{invoice.number} is paid in full in Sage Intacct already" in payment.last_error
    assert payment.last_errorno
    assert applied_payments(intacct_sandbox.control, company) == []
    after_one = intacct_sandbox.control.stats()["functions"].get("create_arpayment", 0)
    assert after_one == calls + 1
    # later runs (a prompt push, the hourly sync) do not send it again
    push()
    sync(ar_ws, "payments")
    assert intacct_sandbox.control.stats()["functions"].get("create_arpayment", 0) == after_one
    assert settled(payment).state == PaymentState.FAILED
    # refreshing the invoice shows why; an explicit retry is now refused before anything is sent
    sync(ar_ws, "invoices")
    invoice.refresh_from_db()
    assert invoice.state == "paid"
    payment = payments.retry(ar_ws, payment)
    assert payment.state == PaymentState.FAILED and payment.last_errorno == "IB-AR-PAID"
    assert intacct_sandbox.control.stats()["functions"].get("create_arpayment", 0) == after_one


def test_a_failed_payment_is_sent_again_only_by_an_explicit_retry(
    ar_ws: Any, push: Any, intacct_sandbox: Any, company: str
) -> None:
    invoice = open_invoice(ar_ws)
    payment, _ = payments.record_payment(
        ar_ws, payments.PaymentInput(applications=[(invoice.pk, "25.00")]), push=False
    )
    # the configuration lost its account before the push: refused before sending
    ArSettings.objects.filter(workspace=ar_ws).update(undeposited_account=None)
    push()
    payment = settled(payment)
    assert payment.state == PaymentState.FAILED and payment.last_errorno == "IB-AR-ACCOUNTS"
    configure(ar_ws)
    push()
    assert settled(payment).state == PaymentState.FAILED  # not by itself
    assert applied_payments(intacct_sandbox.control, company) == []
    with pytest.raises(payments.PaymentRefused):
        payments.retry(
            ar_ws, Payment.objects.create(workspace=ar_ws, customer_id="X", amount=1, state="applied")
        )
    payment = payments.retry(ar_ws, payment, push=False)
    push()
    payment = settled(payment)
    assert payment.state == PaymentState.APPLIED and payment.last_error == ""
    assert len(applied_payments(intacct_sandbox.control, company)) == 1


def test_the_invoice_changed_before_the_push_is_checked_again(
    ar_ws: Any, push: Any, intacct_sandbox: Any, company: str
) -> None:
    invoice = open_invoice(ar_ws)
    payment, _ = payments.record_payment(
        ar_ws, payments.PaymentInput(applications=[(invoice.pk, invoice.amount_due)]), push=False
    )
    intacct_sandbox.control.pay_invoice(company, recordno(invoice), "1.00")
    sync(ar_ws, "invoices")
    push()
    payment = settled(payment)
    assert payment.state == PaymentState.FAILED and payment.last_errorno == "IB-AR-OVERPAY"
    assert applied_payments(intacct_sandbox.control, company) == []


def test_an_invoice_of_an_entity_this_connection_does_not_reach_is_refused(
    ar_ws: Any, owner: Any, signed_in: Any
) -> None:
    """A top-level connection reads every entity's invoices but Intacct applies its payments only to
    invoices it can see: an E200 invoice is refused before anything is sent, and the page says why."""
    entity_links = Link.objects.filter(workspace=ar_ws, family="invoices").exclude(entity="")
    invoice = Invoice.objects.filter(
        pk__in=entity_links.values_list("local_id", flat=True), state__in=["open", "partially_paid"]
    ).first()
    assert invoice is not None
    exc = _refused(ar_ws, [(invoice.pk, "1.00")])
    assert "IB-AR-ENTITY" in [c for c, _ in exc.problems] and "belongs to entity E200" in exc.message
    page = signed_in(owner).get(f"/w/{ar_ws.slug}/invoices/{invoice.pk}/").content.decode()
    assert 'id="pay-entity"' in page and 'id="pay-form"' not in page


def test_an_invoice_removed_in_intacct_cannot_be_paid(ar_ws: Any, push: Any) -> None:
    invoice = open_invoice(ar_ws)
    payment, _ = payments.record_payment(
        ar_ws, payments.PaymentInput(applications=[(invoice.pk, "2.00")]), push=False
    )
    Link.objects.filter(family="invoices", local_id=invoice.pk).update(state="unlinked")
    assert "no longer in Sage Intacct" in _refused(ar_ws, [(invoice.pk, "1.00")]).message
    push()
    payment = settled(payment)
    assert payment.state == PaymentState.FAILED and "no longer in Sage Intacct" in payment.last_error
