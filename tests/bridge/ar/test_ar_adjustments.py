"""Credit adjustments (module off by default) → ARADJUSTMENT through create_aradjustment, exactly once,
in the entity the settings name; refused input is never saved or sent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ar_support import account, configure, open_invoice, sync

from intacct_bridge.ar import adjustments
from intacct_bridge.ar.models import Adjustment, AdjustmentState
from intacct_bridge.sync.models import Link

pytestmark = pytest.mark.django_db


def stored(control: Any, company: str) -> list[dict[str, Any]]:
    return [
        r
        for r in control.records(company, "ARADJUSTMENT")
        if str(r.get("EXTERNALID") or "").startswith("IBA")
    ]


def lines_of(record: dict[str, Any]) -> list[dict[str, Any]]:
    box = record.get("ARADJUSTMENTITEMS") or {}
    rows = box.get("ARADJUSTMENTITEM") if isinstance(box, dict) else box
    return [rows] if isinstance(rows, dict) else list(rows or [])


def _create(ws: Any, capture: Any, **fields: Any) -> Adjustment:
    with capture(execute=True):
        adjustment = adjustments.record_adjustment(ws, adjustments.AdjustmentInput(**fields), by="test")
    adjustment.refresh_from_db()
    adjustments.settle([adjustment])
    return adjustment


def test_adjustments_are_off_by_default(ar_ws: Any, owner: Any, signed_in: Any, api_client: Any) -> None:
    invoice = open_invoice(ar_ws)
    with pytest.raises(adjustments.PaymentRefused) as caught:
        adjustments.record_adjustment(
            ar_ws,
            adjustments.AdjustmentInput(
                customer_id=invoice.customer_id, lines=[(account(ar_ws, "4000").pk, "5", "")]
            ),
        )
    assert "Adjustments are turned off" in caught.value.message
    off = signed_in(owner).get(f"/w/{ar_ws.slug}/adjustments/")
    assert off.status_code == 404 and "Adjustments are turned off" in off.content.decode()
    assert api_client(ar_ws).get(f"/api/v1/workspaces/{ar_ws.slug}/adjustments").status_code == 404
    assert Adjustment.objects.count() == 0


def test_a_credit_adjustment_is_written_once_as_a_credit_memo(
    ar_ws: Any, intacct_sandbox: Any, company: str, django_capture_on_commit_callbacks: Any
) -> None:
    configure(ar_ws, adjustments_enabled=True)
    invoice = open_invoice(ar_ws)
    adjustment = _create(
        ar_ws,
        django_capture_on_commit_callbacks,
        customer_id=invoice.customer_id,
        invoice_id=invoice.pk,
        memo="Goodwill credit",
        lines=[
            (account(ar_ws, "4000").pk, "12.50", "Late delivery"),
            (account(ar_ws, "4100").pk, "2.50", ""),
        ],
    )
    assert adjustment.state == AdjustmentState.POSTED, adjustment.last_error
    [record] = stored(intacct_sandbox.control, company)
    assert record["EXTERNALID"] == f"IBA{adjustment.pk}" and record["CUSTOMERID"] == invoice.customer_id
    assert record["DOCNUMBER"] == invoice.number and record["DESCRIPTION"] == "Goodwill credit"
    assert Decimal(record["TOTALENTERED"]) == Decimal("-15.00") and record["ADJUSTMENTTYPE"] == "Credit Memo"
    assert sorted(Decimal(x["TRX_AMOUNT"]) for x in lines_of(record)) == [Decimal("-12.50"), Decimal("-2.50")]
    assert Link.objects.get(family="adjustments", local_id=adjustment.pk).recordno == int(record["RECORDNO"])
    sync(ar_ws, "adjustments")
    assert len(stored(intacct_sandbox.control, company)) == 1


def test_the_adjustment_entity_setting_names_the_lines_location(
    ar_ws: Any, intacct_sandbox: Any, company: str, django_capture_on_commit_callbacks: Any
) -> None:
    configure(ar_ws, adjustments_enabled=True, adjustment_entity_id="E100")
    invoice = open_invoice(ar_ws)
    adjustment = _create(
        ar_ws,
        django_capture_on_commit_callbacks,
        customer_id=invoice.customer_id,
        lines=[(account(ar_ws, "4000").pk, "4.00", "")],
    )
    assert adjustment.entity_id == "E100" and adjustment.state == AdjustmentState.POSTED, (
        adjustment.last_error
    )
    [record] = stored(intacct_sandbox.control, company)
    assert [x["LOCATIONID"] for x in lines_of(record)] == ["E100"]


def test_bad_adjustments_are_refused(ar_ws: Any, intacct_sandbox: Any, company: str) -> None:
    from intacct_bridge.ar.models import Invoice

    configure(ar_ws, adjustments_enabled=True)
    invoice = open_invoice(ar_ws)
    other = Invoice.objects.filter(workspace=ar_ws).exclude(customer_id=invoice.customer_id).first()
    assert other is not None
    revenue = account(ar_ws, "4000").pk
    cases = [
        ({"lines": [(revenue, "0", "")]}, "more than zero"),
        ({"lines": []}, "at least one line"),
        ({"lines": [(999999, "1", "")]}, "choose a GL account"),
        ({"lines": [(revenue, "1", "")], "invoice_id": other.pk}, "belongs to"),
        ({"lines": [(revenue, "1", "")], "customer_id": "NOBODY"}, "is not known here"),
    ]
    for fields, words in cases:
        data = {"customer_id": invoice.customer_id} | fields
        with pytest.raises(adjustments.PaymentRefused) as caught:
            adjustments.record_adjustment(ar_ws, adjustments.AdjustmentInput(**data))
        assert words in caught.value.message, (fields, caught.value.message)
    assert Adjustment.objects.count() == 0 and stored(intacct_sandbox.control, company) == []


def test_adjustments_page_and_api(
    ar_ws: Any, owner: Any, signed_in: Any, api_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(ar_ws, adjustments_enabled=True)
    invoice = open_invoice(ar_ws)
    client = signed_in(owner)
    assert 'id="adjustment-form"' in client.get(f"/w/{ar_ws.slug}/adjustments/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/w/{ar_ws.slug}/adjustments/",
            {
                "customer_id": invoice.customer_id,
                "invoice": str(invoice.pk),
                "memo": "From the page",
                "account": [str(account(ar_ws, "4000").pk), ""],
                "line_amount": ["6.00", ""],
                "line_memo": ["", ""],
            },
        )
    assert response.status_code == 302
    api = api_client(ar_ws, write=True)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            f"/api/v1/workspaces/{ar_ws.slug}/adjustments",
            {
                "customer_id": invoice.customer_id,
                "lines": [{"account_id": account(ar_ws, "4100").pk, "amount": "1.25"}],
            },
            content_type="application/json",
        )
    assert created.status_code == 201, created.content
    rows = api.get(f"/api/v1/workspaces/{ar_ws.slug}/adjustments").json()
    assert sorted(r["total"] for r in rows) == ["1.25", "6.00"]
    assert {r["state"] for r in rows} == {"posted"}
    bad = api.post(
        f"/api/v1/workspaces/{ar_ws.slug}/adjustments",
        {
            "customer_id": invoice.customer_id,
            "lines": [{"account_id": account(ar_ws, "4100").pk, "amount": "-1"}],
        },
        content_type="application/json",
    )
    assert bad.status_code == 422 and "more than zero" in bad.json()["error"]["message"]
