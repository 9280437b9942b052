"""What the bills family needs from the sandbox: duplicate bill numbers per vendor, smart rules on the
legacy create_bill, and bills paid in Intacct (control plane pay_bill) so payment state flows back."""

from __future__ import annotations

from typing import Any

import pytest
from gateway_helpers import envelope, errors, fn, seeded

from intacct_sandbox.company.model import ModelError


def create_bill(vendor: str, number: str, amount: str = "100.00", account: str = "6000") -> str:
    return (
        f"<create_bill><vendorid>{vendor}</vendorid>"
        "<datecreated><year>2026</year><month>11</month><day>02</day></datecreated>"
        "<datedue><year>2026</year><month>12</month><day>02</day></datedue>"
        f"<billno>{number}</billno><billitems><lineitem><glaccountno>{account}</glaccountno>"
        f"<amount>{amount}</amount><memo>Paper</memo></lineitem></billitems></create_bill>"
    )


def generic_bill(vendor: str, number: str, amount: str = "100.00") -> str:
    return (
        f"<create><APBILL><VENDORID>{vendor}</VENDORID><WHENCREATED>11/02/2026</WHENCREATED>"
        f"<WHENDUE>12/02/2026</WHENDUE><RECORDID>{number}</RECORDID><APBILLITEMS><APBILLITEM>"
        f"<ACCOUNTNO>6000</ACCOUNTNO><TRX_AMOUNT>{amount}</TRX_AMOUNT></APBILLITEM></APBILLITEMS>"
        "</APBILL></create>"
    )


def bill_of(sb: Any, creds: dict[str, Any], recordno: int | str) -> dict[str, Any]:
    rows = sb.control.records(creds["company_id"], "APBILL")
    return next(r for r in rows if str(r["RECORDNO"]) == str(recordno))


def test_a_vendors_bill_number_is_unique_whichever_function_creates_it() -> None:
    sb, creds, client = seeded()
    first = client.one(creds, create_bill("V0001", "INV-77"))
    assert first.findtext("status") == "success"
    before = sb.control.count(creds["company_id"], "APBILL")
    for body in (create_bill("V0001", "INV-77"), generic_bill("V0001", "INV-77")):
        result = client.one(creds, body)
        assert result.findtext("status") == "failure"
        (code, _d, text, correction), *rest = errors(result)
        assert code == "BL34000061"
        assert "V0001, INV-77" in text and "already exists" in text
        assert correction == "Use a different bill number, or update the existing bill."
        assert rest and rest[0][2] == "Could not create apbill record!"
    assert sb.control.count(creds["company_id"], "APBILL") == before
    # another vendor may use the same number; a bill without a number is never a duplicate
    assert client.one(creds, create_bill("V0002", "INV-77")).findtext("status") == "success"
    no_number = generic_bill("V0001", "").replace("<RECORDID></RECORDID>", "")
    assert client.one(creds, no_number).findtext("status") == "success"
    assert client.one(creds, no_number).findtext("status") == "success"


def test_renumbering_a_bill_onto_another_bills_number_is_refused() -> None:
    _sb, creds, client = seeded()
    client.one(creds, create_bill("V0001", "A-1"))
    second = client.one(creds, create_bill("V0001", "A-2")).findtext("key")
    update = f"<update><APBILL><RECORDNO>{second}</RECORDNO><RECORDID>A-1</RECORDID></APBILL></update>"
    result = client.one(creds, update)
    assert result.findtext("status") == "failure" and errors(result)[0][0] == "BL34000061"
    same = f"<update><APBILL><RECORDNO>{second}</RECORDNO><DESCRIPTION>ok</DESCRIPTION></APBILL></update>"
    assert client.one(creds, same).findtext("status") == "success"


def test_invoice_numbers_are_not_checked_per_customer() -> None:
    # no evidence that Intacct refuses them: invoice numbers are left alone
    _sb, creds, client = seeded()
    body = (
        "<create_invoice><customerid>C00001</customerid><datecreated><year>2026</year><month>11</month>"
        "<day>02</day></datecreated><termname>N30</termname><invoiceno>SAME-1</invoiceno><invoiceitems>"
        "<lineitem><glaccountno>4000</glaccountno><amount>10</amount></lineitem></invoiceitems>"
        "</create_invoice>"
    )
    assert client.one(creds, body).findtext("status") == "success"
    assert client.one(creds, body).findtext("status") == "success"


@pytest.mark.parametrize("legacy", [True, False])
def test_smart_rule_on_bills_fires_for_create_bill_and_generic_create(legacy: bool) -> None:
    sb, creds, client = seeded()
    sb.control.add_smart_rule(
        creds["company_id"], "APBILL", "add", "TOTALENTERED > 10000", "Bills over 10,000 need approval"
    )
    make = create_bill if legacy else generic_bill
    result = client.one(creds, make("V0001", "BIG-1", "10000.01"))
    assert result.findtext("status") == "failure"
    assert errors(result)[0][:3] == (
        "BL01001973",
        "",
        "Smart rule APBILL_RULE_1 was violated. Bills over 10,000 need approval",
    )
    assert client.one(creds, make("V0001", "OK-1", "10000.00")).findtext("status") == "success"


def test_pay_bill_moves_state_totals_and_whenmodified() -> None:
    sb, creds, client = seeded()
    company = creds["company_id"]
    key = client.one(creds, create_bill("V0001", "PAY-1", "300.00")).findtext("key")
    created = bill_of(sb, creds, key)
    assert (created["STATE"], created["TOTALDUE"], created["WHENMODIFIED"]) == ("Posted", "300", None)
    vendor_due = _vendor_due(sb, company, "V0001")
    sb.control.advance_clock(60)
    half = sb.control.pay_bill(company, int(key or 0), "120.50")
    assert (half["STATE"], half["TOTALPAID"], half["TOTALDUE"], half["WHENPAID"]) == (
        "Partially Paid",
        "120.5",
        "179.5",
        None,
    )
    assert half["WHENMODIFIED"] is not None
    assert _vendor_due(sb, company, "V0001") == vendor_due - 120.5
    sb.control.advance_clock(60)
    full = sb.control.pay_bill(company, int(key or 0), "179.50", date="2026-11-20")
    assert (full["STATE"], full["TOTALDUE"], full["WHENPAID"]) == ("Paid", "0", "11/20/2026")
    assert full["WHENMODIFIED"] != half["WHENMODIFIED"]
    assert [line["TOTALPAID"] for line in full["APBILLITEMS"]["APBILLITEM"]] == ["300"]
    # the bridge sees it through an incremental read
    query = (
        "<readByQuery><object>APBILL</object><fields>RECORDNO,STATE,TOTALDUE</fields>"
        f"<query>RECORDNO = {key} AND STATE = 'P'</query><pagesize>10</pagesize></readByQuery>"
    )
    assert client.one(creds, query).findtext("data/apbill/STATE") == "Paid"


def test_pay_bill_refuses_overpayment_paid_and_unknown_bills() -> None:
    sb, creds, client = seeded()
    company = creds["company_id"]
    key = int(client.one(creds, create_bill("V0001", "PAY-2", "50")).findtext("key") or 0)
    with pytest.raises(ModelError, match=r"exceeds the 50\.00 due"):
        sb.control.pay_bill(company, key, "50.01")
    with pytest.raises(ModelError, match="must be positive"):
        sb.control.pay_bill(company, key, "0")
    sb.control.pay_bill(company, key, "50")
    with pytest.raises(ModelError, match="paid in full already"):
        sb.control.pay_bill(company, key, "1")
    with pytest.raises(ModelError, match="no APBILL with RECORDNO 9999"):
        sb.control.pay_bill(company, 9999, "1")
    assert bill_of(sb, creds, key)["TOTALPAID"] == "50"


def test_pay_bill_over_http_and_in_an_entity() -> None:
    _sb, creds, client = seeded()
    sid = client.session(creds, location="E200")
    (result,) = client.results(envelope(creds, fn(create_bill("V0003", "E2-1", "80")), session=sid))
    key = result.findtext("key")
    answer = client.http.post(
        "/_sandbox/pay_bill", json={"company_id": creds["company_id"], "recordno": key, "amount": "80"}
    )
    assert answer.status_code == 200, answer.text
    bill = answer.json()["result"]
    assert (bill["STATE"], bill["MEGAENTITYID"]) == ("Paid", "E200")
    refused = client.http.post(
        "/_sandbox/pay_bill", json={"company_id": creds["company_id"], "recordno": key, "amount": "1"}
    )
    assert refused.status_code == 400 and "paid in full already" in refused.json()["error"]


def _vendor_due(sb: Any, company: str, vendor: str) -> float:
    row = next(r for r in sb.control.records(company, "VENDOR") if r["VENDORID"] == vendor)
    return float(row["TOTALDUE"])
