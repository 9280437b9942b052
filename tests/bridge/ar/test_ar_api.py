"""The accounting configuration (page and API) and the payments API: Idempotency-Key, clear 422s,
who may record and retry payments, one workspace never reaching another's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ar_support import account, applied_payments, open_invoice

from intacct_bridge.ar.models import ArSettings, Invoice, Payment
from intacct_bridge.workspaces.models import Membership, Profile

pytestmark = pytest.mark.django_db


def url(ws: Any, path: str) -> str:
    return f"/api/v1/workspaces/{ws.slug}/{path}"


# ---- configuration ------------------------------------------------------------------------------


def test_the_settings_page_checks_the_accounts(ar_ws: Any, owner: Any, signed_in: Any) -> None:
    client = signed_in(owner)
    page = client.get(f"/w/{ar_ws.slug}/billing/accounting/").content.decode()
    assert "1010 Undeposited Funds" in page and 'id="save-settings"' in page
    cases = [
        (
            {"ar_account": account(ar_ws, "1200").pk, "undeposited_account": account(ar_ws, "4000").pk},
            "bank/cash",
        ),
        (
            {"ar_account": account(ar_ws, "4000").pk, "undeposited_account": account(ar_ws, "1010").pk},
            "balance-sheet",
        ),
        (
            {"ar_account": account(ar_ws, "1010").pk, "undeposited_account": account(ar_ws, "1010").pk},
            "must differ",
        ),
        ({"ar_account": "999999", "undeposited_account": account(ar_ws, "1010").pk}, "not in this workspace"),
        ({"adjustment_entity_id": "E 100!"}, "not an entity ID"),
    ]
    for form, words in cases:
        response = client.post(f"/w/{ar_ws.slug}/billing/accounting/", form)
        assert response.status_code == 200 and words in response.content.decode(), (form, words)
    settings = ArSettings.objects.get(workspace=ar_ws)
    assert settings.undeposited_account == account(ar_ws, "1010")  # nothing bad was saved
    ok = client.post(
        f"/w/{ar_ws.slug}/billing/accounting/",
        {
            "ar_account": account(ar_ws, "1200").pk,
            "undeposited_account": account(ar_ws, "1000").pk,
            "use_intacct_image": "on",
        },
    )
    assert ok.status_code == 302
    settings.refresh_from_db()
    assert settings.undeposited_account == account(ar_ws, "1000") and settings.use_intacct_image
    assert not settings.adjustments_enabled and settings.updated_by == owner.username


def test_only_admins_change_the_configuration(
    ar_ws: Any, teammate: Any, signed_in: Any, api_client: Any
) -> None:
    client = signed_in(teammate)
    assert client.get(f"/w/{ar_ws.slug}/billing/accounting/").status_code == 200
    assert client.post(f"/w/{ar_ws.slug}/billing/accounting/", {"ar_account": ""}).status_code == 403
    response = api_client(ar_ws).put(url(ar_ws, "ar/settings"), {}, content_type="application/json")
    assert response.status_code == 403


def test_settings_api_get_and_put(ar_ws: Any, api_client: Any) -> None:
    api = api_client(ar_ws, write=True)
    body = api.get(url(ar_ws, "ar/settings")).json()
    assert body["undeposited_account"]["number"] == "1010" and body["ar_account"]["number"] == "1200"
    bad = api.put(
        url(ar_ws, "ar/settings"),
        {"ar_account_id": account(ar_ws, "1200").pk, "undeposited_account_id": account(ar_ws, "6000").pk},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "bank/cash-type" in bad.json()["error"]["message"]
    good = api.put(
        url(ar_ws, "ar/settings"),
        {
            "ar_account_id": account(ar_ws, "1200").pk,
            "undeposited_account_id": account(ar_ws, "1010").pk,
            "adjustments_enabled": True,
            "adjustment_entity_id": "E200",
        },
        content_type="application/json",
    )
    assert (
        good.status_code == 200
        and good.json()["adjustments_enabled"]
        and good.json()["adjustment_entity_id"] == "E200"
    )


def test_without_accounts_the_invoice_page_says_what_to_do(ar_ws: Any, owner: Any, signed_in: Any) -> None:
    ArSettings.objects.filter(workspace=ar_ws).update(ar_account=None, undeposited_account=None)
    invoice = open_invoice(ar_ws)
    page = signed_in(owner).get(f"/w/{ar_ws.slug}/invoices/{invoice.pk}/").content.decode()
    assert 'id="pay-blocked"' in page and 'id="pay-form"' not in page
    assert "No undeposited-funds account is chosen" in page


# ---- payments API -------------------------------------------------------------------------------


def test_idempotency_key_same_body_first_payment_other_body_409(
    ar_ws: Any, api_client: Any, intacct_sandbox: Any, company: str, django_capture_on_commit_callbacks: Any
) -> None:
    invoice = open_invoice(ar_ws)
    api = api_client(ar_ws, write=True)
    body = {
        "applications": [{"invoice_id": invoice.pk, "amount": "7.25"}],
        "method": "EFT",
        "reference": "T-1",
    }
    headers = {"Idempotency-Key": "host-order-42"}
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post(url(ar_ws, "payments"), body, content_type="application/json", headers=headers)
    assert first.status_code == 201, first.content
    again = api.post(url(ar_ws, "payments"), body, content_type="application/json", headers=headers)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert again.json()["state"] == "applied"
    other = dict(body, reference="T-2")
    clash = api.post(url(ar_ws, "payments"), other, content_type="application/json", headers=headers)
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "key_reused"
    assert Payment.objects.filter(workspace=ar_ws).count() == 1
    assert len(applied_payments(intacct_sandbox.control, company)) == 1
    detail = api.get(url(ar_ws, f"payments/{first.json()['id']}")).json()
    assert detail["intacct_recordno"] and detail["applications"][0]["amount"] == "7.25"
    listed = api.get(url(ar_ws, "payments?state=applied")).json()
    assert [p["id"] for p in listed] == [first.json()["id"]]
    assert api.get(url(ar_ws, "payments?page=2&per_page=1")).json() == []  # paged, newest first
    retry = api.post(url(ar_ws, f"payments/{first.json()['id']}/retry"))
    assert retry.status_code == 409 and retry.json()["error"]["code"] == "not_retryable"


def test_payment_api_refuses_bad_input_with_422(ar_ws: Any, api_client: Any) -> None:
    invoice = open_invoice(ar_ws)
    api = api_client(ar_ws, write=True)
    over = str(invoice.amount_due + Decimal("1.00"))
    cases = [
        ({"applications": [{"invoice_id": invoice.pk, "amount": over}]}, "still due"),
        ({"applications": [{"invoice_id": invoice.pk, "amount": "0"}]}, "more than zero"),
        ({"applications": [{"invoice_id": invoice.pk, "amount": "1"}], "currency": "GBP"}, "GBP"),
        ({"applications": [{"invoice_id": 987654321, "amount": "1"}]}, "not an invoice of this workspace"),
        ({"applications": [{"invoice_id": invoice.pk, "amount": "lots"}]}, "amount"),
        ({"applications": []}, "at least one invoice"),
    ]
    for body, words in cases:
        response = api.post(url(ar_ws, "payments"), body, content_type="application/json")
        assert response.status_code == 422, (body, response.content)
        assert words in response.json()["error"]["message"], (body, response.json())
    assert Payment.objects.count() == 0


def test_who_may_record_payments(
    ar_ws: Any, teammate: Any, outsider: Any, other_workspace: Any, signed_in: Any, api_client: Any
) -> None:
    invoice = open_invoice(ar_ws)
    body = {"applications": [{"invoice_id": invoice.pk, "amount": "1.00"}]}
    assert (
        api_client(ar_ws).post(url(ar_ws, "payments"), body, content_type="application/json").status_code
        == 403
    )
    collaborator = signed_in(teammate)
    collaborator.get("/")  # a CSRF cookie for the session API
    api_post = collaborator.post(url(ar_ws, "payments"), body, content_type="application/json")
    assert api_post.status_code in (403,)
    page_post = collaborator.post(f"/w/{ar_ws.slug}/invoices/{invoice.pk}/pay", {"amount": "1.00"})
    assert page_post.status_code == 403
    assert 'id="pay-form"' not in collaborator.get(f"/w/{ar_ws.slug}/invoices/{invoice.pk}/").content.decode()
    theirs = api_client(other_workspace, write=True)
    assert theirs.post(url(ar_ws, "payments"), body, content_type="application/json").status_code == 404
    assert theirs.get(url(ar_ws, "payments")).status_code == 404
    assert Payment.objects.count() == 0


def test_a_controller_records_a_payment_on_the_page(
    ar_ws: Any, teammate: Any, signed_in: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Membership.objects.filter(workspace=ar_ws, user=teammate).update(profile=Profile.CONTROLLER)
    invoice = open_invoice(ar_ws)
    client = signed_in(teammate)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/w/{ar_ws.slug}/invoices/{invoice.pk}/pay",
            {"amount": "2.00", "method": "Cash", "date": "2026-11-20", "reference": "DESK"},
        )
    assert response.status_code == 302
    payment = Payment.objects.get(workspace=ar_ws)
    assert (
        payment.created_by == teammate.username
        and payment.method == "Cash"
        and str(payment.date) == "2026-11-20"
    )
    listing = client.get(f"/w/{ar_ws.slug}/payments/").content.decode()
    assert f'data-id="{payment.pk}"' in listing and "DESK" in listing
    bad = client.post(f"/w/{ar_ws.slug}/invoices/{invoice.pk}/pay", {"amount": "-1"}, follow=True)
    assert "Payment not recorded" in bad.content.decode() and "more than zero" in bad.content.decode()
    assert Invoice.objects.get(pk=invoice.pk).amount_due == invoice.amount_due - Decimal("2.00")


def test_a_refused_payment_is_shown_with_intacct_words_and_retried_from_its_page(
    ar_ws: Any,
    owner: Any,
    signed_in: Any,
    intacct_sandbox: Any,
    company: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from intacct_bridge.sync.models import Link

    invoice = open_invoice(ar_ws)
    recordno = Link.objects.get(family="invoices", local_id=invoice.pk).recordno
    client = signed_in(owner)
    # paid in Intacct meanwhile: Intacct refuses the app's payment
    intacct_sandbox.control.pay_invoice(company, recordno, str(invoice.amount_due))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/w/{ar_ws.slug}/invoices/{invoice.pk}/pay", {"amount": str(invoice.amount_due)})
    payment = Payment.objects.get(workspace=ar_ws)
    listing = client.get(f"/w/{ar_ws.slug}/payments/?state=failed").content.decode()
    # the invoice was read back at once: the message names its number and says it is paid there
    assert f'data-id="{payment.pk}"' in listing and ">Retry<" in listing
    assert f"Invoice {invoice.number} is paid in full in Sage Intacct already" in listing
    detail = client.get(f"/w/{ar_ws.slug}/payments/{payment.pk}/").content.decode()
    assert 'id="payment-error"' in detail and "not sent again by itself" in detail
    # Sync invoices now shows it paid; a retry is checked again and refused without sending
    with django_capture_on_commit_callbacks(execute=True):
        synced = client.post(f"/w/{ar_ws.slug}/sync/now/", {"family": "invoices"})
    assert synced.status_code == 302 and "/sync/runs/" in synced["Location"]
    invoice.refresh_from_db()
    assert invoice.state == "paid"
    retried = client.post(
        f"/w/{ar_ws.slug}/payments/{payment.pk}/retry",
        {"next": f"/w/{ar_ws.slug}/payments/{payment.pk}/"},
        follow=True,
    )
    assert "paid in full already" in retried.content.decode()
    assert retried.redirect_chain[-1][0] == f"/w/{ar_ws.slug}/payments/{payment.pk}/"
    payment.refresh_from_db()
    assert payment.state == "failed" and payment.last_errorno == "IB-AR-PAID"
    assert applied_payments(intacct_sandbox.control, company) == []


def test_generic_import_link_and_create_routes_refuse_payments_and_adjustments(
    ar_ws: Any, api_client: Any
) -> None:
    api = api_client(ar_ws, write=True)
    for family in ("payments", "adjustments"):
        for path, body in (
            (f"{family}/import", {"all": True}),
            (f"{family}/records", {"fields": {}}),
            (f"{family}/1/link", {"intacct_recordno": 1}),
            (f"{family}/1/unlink", {}),
        ):
            response = api.post(url(ar_ws, path), body, content_type="application/json")
            assert response.status_code == 405 and response.json()["error"]["code"] == "push_only", (
                path,
                response,
            )
    assert Payment.objects.count() == 0


def test_generic_family_pages_are_not_offered_for_payments(ar_ws: Any, owner: Any, signed_in: Any) -> None:
    client = signed_in(owner)
    for path in ("payments/new/", "payments/import/", "payments/intacct/", "adjustments/1/link/"):
        assert client.get(f"/w/{ar_ws.slug}/{path}").status_code == 404, path
    assert client.post(f"/w/{ar_ws.slug}/payments/import/", {"all": "1"}).status_code == 404
    assert Payment.objects.count() == 0


def test_test_connection_says_what_still_blocks_payments(ar_ws: Any) -> None:
    from intacct_bridge.workspaces.setup_check import run_test_connection

    configured = run_test_connection(ar_ws)
    assert configured.ok and not [
        n for n in configured.notes if n["title"] == "Payments cannot be recorded yet"
    ]
    ArSettings.objects.filter(workspace=ar_ws).update(undeposited_account=None)
    test = run_test_connection(ar_ws)
    assert test.ok  # a warning, not a failed connection
    [note] = [n for n in test.notes if n["title"] == "Payments cannot be recorded yet"]
    assert note["level"] == "warning" and "No undeposited-funds account is chosen" in note["message"]
