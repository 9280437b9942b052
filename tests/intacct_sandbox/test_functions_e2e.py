"""The data half through the real gateway (HTTP envelope, login, sessions, transactions), in-process over
WSGI. Skipped until ``intacct_sandbox.Sandbox`` exists (it is the other half of the sandbox)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from lxml import etree

import intacct_sandbox

Sandbox = getattr(intacct_sandbox, "Sandbox", None)
pytestmark = pytest.mark.skipif(Sandbox is None, reason="the sandbox gateway has not landed yet")


@pytest.fixture
def sandbox() -> Iterator[tuple[httpx.Client, dict[str, Any], Any]]:
    assert Sandbox is not None
    sb = Sandbox()
    creds = sb.seed_demo(seed=1, customers=120, invoices=20)
    with httpx.Client(transport=httpx.WSGITransport(app=sb.wsgi_app), base_url="http://sandbox") as client:
        yield client, creds, sb


def envelope(
    creds: dict[str, Any], content: str, *, transaction: bool = False, session: str | None = None
) -> str:
    auth = (
        f"<sessionid>{session}</sessionid>"
        if session
        else f"<login><userid>{creds['user_id']}</userid><companyid>{creds['company_id']}</companyid>"
        f"<password>{creds['user_password']}</password></login>"
    )
    return (
        f"<?xml version='1.0' encoding='UTF-8'?><request><control><senderid>{creds['sender_id']}</senderid>"
        f"<password>{creds['sender_password']}</password><controlid>r1</controlid><uniqueid>false</uniqueid>"
        f"<dtdversion>3.0</dtdversion><includewhitespace>false</includewhitespace></control>"
        f'<operation transaction="{"true" if transaction else "false"}"><authentication>{auth}'
        f"</authentication><content>{content}</content></operation></request>"
    )


def post(client: httpx.Client, body: str) -> etree._Element:
    response = client.post(
        "/ia/xml/xmlgw.phtml", content=body.encode(), headers={"Content-Type": "x-intacct-xml-request"}
    )
    assert response.status_code == 200, response.text
    return etree.fromstring(response.content)


def results(doc: etree._Element) -> list[etree._Element]:
    assert doc.findtext("control/status") == "success", etree.tostring(doc)
    assert doc.findtext("operation/authentication/status") == "success", etree.tostring(doc)
    return doc.findall("operation/result")


def one(client: httpx.Client, creds: dict[str, Any], function: str, controlid: str = "f1") -> etree._Element:
    body = envelope(creds, f'<function controlid="{controlid}">{function}</function>')
    (result,) = results(post(client, body))
    return result


def test_readbyquery_and_readmore_over_http(sandbox: tuple[httpx.Client, dict[str, Any], Any]) -> None:
    client, creds, _ = sandbox
    first = one(
        client,
        creds,
        "<readByQuery><object>CUSTOMER</object><fields>RECORDNO,CUSTOMERID,"
        "DISPLAYCONTACT.MAILADDRESS.CITY</fields><query/><pagesize>100</pagesize></readByQuery>",
    )
    assert first.findtext("status") == "success"
    data = first.find("data")
    assert data is not None and data.get("listtype") == "customer"
    assert (data.get("count"), data.get("totalcount"), data.get("numremaining")) == ("100", "120", "20")
    assert data[0].tag == "customer" and data[0].find("DISPLAYCONTACT.MAILADDRESS.CITY") is not None
    more = one(client, creds, f"<readMore><resultId>{data.get('resultId')}</resultId></readMore>")
    more_data = more.find("data")
    assert more_data is not None and (more_data.get("count"), more_data.get("numremaining")) == ("20", "0")


def test_sdk_shaped_bill_then_read_and_pdf(sandbox: tuple[httpx.Client, dict[str, Any], Any]) -> None:
    client, creds, _ = sandbox
    expense = creds["gl_accounts"]["expense"]
    bill = one(
        client,
        creds,
        "<create_bill><vendorid>V0001</vendorid><datecreated><year>2024</year>"
        "<month>06</month><day>30</day></datecreated><termname>N30</termname><billitems>"
        f"<lineitem><glaccountno>{expense}</glaccountno><amount>76343.43</amount></lineitem>"
        "</billitems></create_bill>",
    )
    assert bill.findtext("status") == "success"
    key = bill.findtext("key")
    read = one(client, creds, f"<read><object>APBILL</object><keys>{key}</keys><fields>*</fields></read>")
    record = read.find("data/APBILL")
    assert record is not None and record.findtext("TOTALDUE") == "76343.43"
    assert record.findtext("APBILLITEMS/APBILLITEM/ACCOUNTNO") == expense
    pdf = one(client, creds, "<retrievepdf><ARINVOICE><RECORDNO>1</RECORDNO></ARINVOICE></retrievepdf>")
    assert base64.b64decode(pdf.findtext("data/arinvoice/pdfdata") or "").startswith(b"%PDF")


def test_transaction_rolls_back_every_function(sandbox: tuple[httpx.Client, dict[str, Any], Any]) -> None:
    client, creds, _ = sandbox
    content = (
        '<function controlid="f1"><create><VENDOR><VENDORID>VNEW</VENDORID><NAME>New</NAME></VENDOR>'
        '</create></function><function controlid="f2"><create><VENDOR><VENDORID>V0001</VENDORID>'
        "<NAME>Dup</NAME></VENDOR></create></function>"
    )
    first, second = results(post(client, envelope(creds, content, transaction=True)))
    assert (first.findtext("status"), second.findtext("status")) == ("aborted", "failure")
    assert "BL34000061" in [e.text for e in second.iter("errorno")]
    check = one(client, creds, "<readByName><object>VENDOR</object><keys>VNEW</keys></readByName>")
    assert check.find("data").get("count") == "0"  # type: ignore[union-attr]
