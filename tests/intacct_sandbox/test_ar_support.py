"""What the payments and invoices families need: create_arpayment (the function the official SDKs use,
intacct-sdk-php ArPaymentCreate) applied to invoices and deposited to undeposited funds, refused when it
overpays or pays a paid invoice, found again by its reference (refid -> DOCNUMBER); and payments
received in Intacct's UI (control plane pay_invoice) for the hourly status pull."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from gateway_helpers import envelope, errors, fn, seeded

from intacct_sandbox.company.model import ModelError


def new_invoice(client: Any, creds: dict[str, Any], customer: str, *amounts: str) -> int:
    lines = "".join(
        f"<lineitem><glaccountno>4000</glaccountno><amount>{a}</amount></lineitem>" for a in amounts
    )
    result = client.one(
        creds,
        f"<create_invoice><customerid>{customer}</customerid><datecreated><year>2026</year><month>11</month>"
        f"<day>02</day></datecreated><termname>N30</termname><invoiceitems>{lines}</invoiceitems>"
        "</create_invoice>",
    )
    assert result.findtext("status") == "success"
    return int(result.findtext("key") or 0)


def payment(customer: str, invoice: int, amount: str, ref: str, account: str = "1010") -> str:
    """The element order intacct-sdk-php's ArPaymentCreate writes."""
    return (
        f"<create_arpayment><customerid>{customer}</customerid><paymentamount>{amount}</paymentamount>"
        f"<undepfundsacct>{account}</undepfundsacct><refid>{ref}</refid>"
        "<datereceived><year>2026</year><month>11</month><day>10</day></datereceived>"
        "<paymentmethod>EFT</paymentmethod>"
        f"<arpaymentitem><invoicekey>{invoice}</invoicekey><amount>{amount}</amount></arpaymentitem>"
        "</create_arpayment>"
    )


def invoice_row(sb: Any, creds: dict[str, Any], key: int) -> dict[str, Any]:
    return next(r for r in sb.control.records(creds["company_id"], "ARINVOICE") if r["RECORDNO"] == str(key))


def applied_to(sb: Any, creds: dict[str, Any], key: int) -> Decimal:
    """The sum of payment details applied to one invoice (what tests of 'never applied twice' assert)."""
    return sum(
        (
            Decimal(detail["TRX_PAYMENTAMOUNT"])
            for pay in sb.control.records(creds["company_id"], "ARPYMT")
            for detail in _details(pay)
            if detail["RECORDKEY"] == str(key)
        ),
        Decimal(0),
    )


def _details(pay: dict[str, Any]) -> list[dict[str, Any]]:
    box = pay.get("ARPYMTDETAILS") or {}
    items = box.get("ARPYMTDETAIL") or []
    return items if isinstance(items, list) else [items]


def test_create_arpayment_applies_deposits_and_is_found_by_its_reference() -> None:
    sb, creds, client = seeded()
    company = creds["company_id"]
    key = new_invoice(client, creds, "C00001", "100.00", "50.00")
    payments = sb.control.count(company, "ARPYMT")
    result = client.one(creds, payment("C00001", key, "60.00", "IBP-42-1"))
    assert result.findtext("status") == "success"
    paid_key = result.findtext("key")
    assert sb.control.count(company, "ARPYMT") == payments + 1
    inv = invoice_row(sb, creds, key)
    assert (inv["STATE"], inv["TOTALPAID"], inv["TOTALDUE"]) == ("Partially Paid", "60", "90")
    assert applied_to(sb, creds, key) == Decimal("60")
    # found again by the reference we sent, through readByQuery and query
    by_query = client.one(
        creds,
        "<readByQuery><object>ARPYMT</object><fields>RECORDNO,DOCNUMBER,UNDEPOSITEDACCOUNTNO,STATE,"
        "TOTALPAID</fields><query>DOCNUMBER = 'IBP-42-1'</query><pagesize>10</pagesize></readByQuery>",
    )
    found = by_query.find("data/arpymt")
    assert found is not None and found.findtext("RECORDNO") == paid_key
    assert (found.findtext("UNDEPOSITEDACCOUNTNO"), found.findtext("STATE")) == ("1010", "Complete")
    generic = client.one(
        creds,
        "<query><object>ARPYMT</object><select><field>RECORDNO</field><field>TOTALPAID</field></select>"
        "<filter><equalto><field>DOCNUMBER</field><value>IBP-42-1</value></equalto></filter></query>",
    )
    assert generic.findtext("data/ARPYMT/RECORDNO") == paid_key
    assert generic.findtext("data/ARPYMT/TOTALPAID") == "60"


def test_overpayment_and_payment_on_a_paid_invoice_are_refused_with_nothing_applied() -> None:
    sb, creds, client = seeded()
    company = creds["company_id"]
    key = new_invoice(client, creds, "C00002", "80.00")
    before = sb.control.count(company, "ARPYMT")
    over = client.one(creds, payment("C00002", key, "80.01", "R-1"))
    assert over.findtext("status") == "failure"
    code, _d, text, correction = errors(over)[0]
    assert code == "BL01001973" and "exceeds the 80.00 due" in text
    assert correction == "Apply no more than the amount due."
    assert client.one(creds, payment("C00002", key, "80.00", "R-2")).findtext("status") == "success"
    again = client.one(creds, payment("C00002", key, "1.00", "R-3"))
    code, _d, text, correction = errors(again)[0]
    assert code == "BL01001973" and text == f"Invoice {key} is paid in full already."
    assert correction.startswith("Refresh the document")
    assert sb.control.count(company, "ARPYMT") == before + 1
    assert applied_to(sb, creds, key) == Decimal("80")


def test_payment_to_an_unknown_or_non_cash_undeposited_account_is_refused() -> None:
    _sb, creds, client = seeded()
    key = new_invoice(client, creds, "C00003", "10")
    result = client.one(creds, payment("C00003", key, "10", "R-9", account="1999"))
    assert result.findtext("status") == "failure"
    assert "Invalid GL Account '1999'" in errors(result)[0][2]
    expense = client.one(creds, payment("C00003", key, "10", "R-10", account="6000"))
    code, _d, text, correction = errors(expense)[0]
    assert code == "BL01001973" and text.startswith("GL account 6000 cannot hold undeposited funds")
    assert correction == "Use the company's undeposited funds (cash) account."
    assert (
        client.one(creds, payment("C00003", key, "10", "R-11", account="1010")).findtext("status")
        == "success"
    )


def test_pay_invoice_in_the_ui_moves_the_invoice_and_counts_one_payment() -> None:
    sb, creds, client = seeded()
    company = creds["company_id"]
    key = new_invoice(client, creds, "C00004", "200.00")
    before = sb.control.count(company, "ARPYMT")
    sb.control.advance_clock(30)
    first = sb.control.pay_invoice(company, key, "75", reference="CHK-1")
    assert first["invoice"]["STATE"] == "Partially Paid" and first["invoice"]["WHENMODIFIED"]
    second = sb.control.pay_invoice(company, key, "125.00", date="2026-11-21")
    assert (second["invoice"]["STATE"], second["invoice"]["TOTALDUE"]) == ("Paid", "0")
    assert sb.control.count(company, "ARPYMT") == before + 2
    assert applied_to(sb, creds, key) == Decimal("200")
    assert second["payment_recordno"] > first["payment_recordno"]
    with pytest.raises(ModelError, match="paid in full already"):
        sb.control.pay_invoice(company, key, "1")
    # visible to a modified-since pull
    result = client.one(
        creds,
        "<readByQuery><object>ARINVOICE</object><fields>RECORDNO,STATE</fields>"
        f"<query>RECORDNO = {key} AND WHENMODIFIED IS NOT NULL</query><pagesize>5</pagesize></readByQuery>",
    )
    assert result.findtext("data/arinvoice/STATE") == "Paid"


def test_pay_invoice_over_http_on_an_entity_invoice() -> None:
    sb, creds, client = seeded()
    sid = client.session(creds, location="E200")
    (created,) = client.results(
        envelope(
            creds,
            fn(
                "<create_invoice><customerid>C00005</customerid><datecreated><year>2026</year><month>11"
                "</month><day>02</day></datecreated><termname>N30</termname><invoiceitems><lineitem>"
                "<glaccountno>4000</glaccountno><amount>30</amount></lineitem></invoiceitems></create_invoice>"
            ),
            session=sid,
        )
    )
    key = created.findtext("key")
    answer = client.http.post(
        "/_sandbox/pay_invoice", json={"company_id": creds["company_id"], "recordno": key, "amount": "30"}
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()["result"]
    assert (result["invoice"]["STATE"], result["invoice"]["MEGAENTITYID"]) == ("Paid", "E200")
    pay = next(
        r
        for r in sb.control.records(creds["company_id"], "ARPYMT")
        if r["RECORDNO"] == str(result["payment_recordno"])
    )
    assert (pay["MEGAENTITYID"], pay["UNDEPOSITEDACCOUNTNO"]) == ("E200", "1010")
