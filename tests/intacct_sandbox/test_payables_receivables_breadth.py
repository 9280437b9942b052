"""AP, AR and Cash Management breadth (issue 19): the conformance vectors of tests/conformance run through
the real gateway, and the behaviours behind them (docs/intacct/payables-receivables.md §2-§9)."""

from __future__ import annotations

import importlib.util
import json
import re
import zlib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from gateway_helpers import Client, envelope
from lxml import etree

import intacct
from intacct._controlid import new_controlid
from intacct._functions import Function
from intacct_sandbox import Sandbox, SandboxServer
from intacct_sandbox.objects.writes import set_closed_through

CONFORMANCE = Path(__file__).parents[1] / "conformance"


def _vectors(name: str) -> list[dict[str, Any]]:
    spec = importlib.util.spec_from_file_location(f"conformance_{name}", CONFORMANCE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.VECTORS)


ALL = [(f"{m}:{v['name']}", v) for m in ("vectors_ap", "vectors_ar", "vectors_cm") for v in _vectors(m)]


class Session:
    """One demo company and one Web Services session, for the behaviour tests."""

    def __init__(self) -> None:
        self.sandbox = Sandbox()
        self.creds = self.sandbox.seed_demo(seed=1)
        self.client = Client(self.sandbox)
        self.sid = self.client.session(self.creds)
        self.company = str(self.creds["company_id"])

    def run(self, function_xml: str) -> etree._Element:
        (result,) = self.client.results(envelope(self.creds, function_xml, session=self.sid))
        return result

    def ok(self, function_xml: str) -> str:
        """Run a function that must succeed; its key (legacy <key>, else the first record's RECORDNO)."""
        result = self.run(function_xml)
        assert result.findtext("status") == "success", etree.tostring(result).decode()
        return result.findtext("key") or result.findtext("data/*/RECORDNO") or ""

    def row(self, obj: str, key: str | int) -> dict[str, Any]:
        row = self.sandbox.store.get(self.company, obj, int(key))
        assert row is not None, (obj, key)
        return dict(row)


# --- the vectors, run as the conformance runner runs them --------------------------------------------
# One demo company for all of them, reached over HTTP by the ``intacct`` client; ``{run}`` is six digits
# unique to the vector and ``{setupN}`` the key setup N answered; ``contains`` is searched in the parsed
# records, the key and the error texts (tests/conformance/test_conformance.py's contract).


@pytest.fixture(scope="module")
def conformance_client() -> Iterator[intacct.Client]:
    sb = Sandbox()
    with SandboxServer(sb, host="127.0.0.1", port=0) as server:
        creds = sb.seed_demo(seed=1)
        credentials = intacct.Credentials(
            sender_id=creds["sender_id"],
            sender_password=creds["sender_password"],
            company_id=creds["company_id"],
            user_id=creds["user_id"],
            user_password=creds["user_password"],
        )
        with intacct.Client(credentials, endpoint=server.endpoint) as client:
            yield client


WRITES = re.compile(r"^(create|update|delete|record|reverse|apply|approve|decline|void|send|confirm)")


def _send(client: intacct.Client, xml: str) -> intacct.Result:
    wrapper = etree.fromstring(xml.encode(), etree.XMLParser(resolve_entities=False, no_network=True))
    (inner,) = [c for c in wrapper if isinstance(c.tag, str)]
    name = str(inner.tag)
    batch = client.batch()
    handle = batch.add(Function(name, inner, controlid=new_controlid(), write=bool(WRITES.match(name))))
    batch.send()
    return handle.result


def _key(result: intacct.Result) -> str:
    if result.key:
        return result.key
    record = result.record or {}
    for value in record.values():
        if isinstance(value, dict) and "RECORDNO" in value:
            return str(value["RECORDNO"])
    return str(record.get("RECORDNO") or "")


@pytest.mark.parametrize("vector", [v for _, v in ALL], ids=[i for i, _ in ALL])
def test_vector(
    conformance_client: intacct.Client, vector: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    vector_id = request.node.callspec.id
    keys = {"run": f"{zlib.crc32(vector_id.encode()) % 1_000_000:06d}"}
    for number, setup in enumerate(vector.get("setup", [])):
        done = _send(conformance_client, setup.format(**keys))
        assert done.ok, f"setup {number} failed: {done.error!r}"
        keys[f"setup{number}"] = _key(done)
    result = _send(conformance_client, vector["request"].format(**keys))
    expect = vector["expect"]
    if expect["status"] == "success":
        assert result.ok, f"expected success, got {result.error!r}"
    else:
        assert not result.ok and result.error is not None, f"expected a failure, got {result.records!r}"
        if "errorno" in expect:
            assert result.error.errorno == expect["errorno"], repr(result.error)
    text = json.dumps([result.records, result.key, result.data_attrs], default=str)
    if result.error is not None:
        text += " " + " ".join(f"{e.errorno} {e.text}" for e in result.error.errors)
    for needle in expect.get("contains", []):
        assert needle.format(**keys) in text, f"{needle!r} not in {text[:2000]}"


def test_every_vector_has_the_runner_format() -> None:
    for name, vector in ALL:
        assert set(vector) <= {"name", "provenance", "setup", "request", "expect", "sandbox_only"}, name
        assert vector["provenance"].strip() and vector["request"].startswith("<function controlid="), name
        assert set(vector["expect"]) <= {"status", "errorno", "error_type", "contains"}, name
    assert len({name for name, _ in ALL}) == len(ALL)


# --- behaviours ------------------------------------------------------------------------------------

D0630 = "<year>2015</year><month>06</month><day>30</day>"


def fn(body: str, controlid: str = "t") -> str:
    return f'<function controlid="{controlid}">{body}</function>'


def invoice_xml(customer: str, amount: str, extra: str = "") -> str:
    return fn(
        f"<create_invoice><customerid>{customer}</customerid><datecreated>{D0630}</datecreated>"
        f"<termname>N30</termname>{extra}<invoiceitems><lineitem><glaccountno>4000</glaccountno>"
        f"<amount>{amount}</amount></lineitem></invoiceitems></create_invoice>"
    )


def bill_xml(vendor: str, amount: str, extra: str = "", number: str = "") -> str:
    billno = f"<billno>{number}</billno>" if number else ""
    return fn(
        f"<create_bill><vendorid>{vendor}</vendorid><datecreated>{D0630}</datecreated><termname>N30</termname>"
        f"{extra}{billno}<billitems><lineitem><glaccountno>6000</glaccountno><amount>{amount}</amount>"
        "</lineitem><lineitem><glaccountno>6100</glaccountno><amount>50</amount></lineitem></billitems>"
        "</create_bill>"
    )


def failure(s: Session, function_xml: str) -> str:
    result = s.run(function_xml)
    assert result.findtext("status") == "failure", etree.tostring(result).decode()
    return " ".join(e.findtext("description2") or "" for e in result.iter("error"))


def money(row: dict[str, Any], name: str) -> str:
    return str(Decimal(row[name] or 0).quantize(Decimal("0.01")))


def test_a_reversed_payment_reopens_its_invoice() -> None:
    s = Session()
    due_before = money(
        s.row("CUSTOMER", s.sandbox.store.get_by_id(s.company, "CUSTOMER", "C00001")["RECORDNO"]), "TOTALDUE"
    )
    inv = s.ok(invoice_xml("C00001", "450"))
    pay = s.ok(
        fn(
            "<create_arpayment><customerid>C00001</customerid><paymentamount>200</paymentamount>"
            "<undepfundsacct>1010</undepfundsacct><datereceived>" + D0630 + "</datereceived><paymentmethod>"
            "Printed Check</paymentmethod><arpaymentitem><invoicekey>"
            + inv
            + "</invoicekey><amount>200</amount>"
            "</arpaymentitem></create_arpayment>"
        )
    )
    assert (s.row("ARINVOICE", inv)["STATE"], money(s.row("ARINVOICE", inv), "TOTALDUE")) == (
        "Partially Paid",
        "250.00",
    )
    s.ok(fn(f'<reverse_arpayment key="{pay}"><datereversed>{D0630}</datereversed></reverse_arpayment>'))
    invoice = s.row("ARINVOICE", inv)
    assert (invoice["STATE"], money(invoice, "TOTALPAID"), money(invoice, "TOTALDUE")) == (
        "Posted",
        "0.00",
        "450.00",
    )
    (line,) = s.sandbox.store.children(s.company, "ARINVOICEITEM", int(inv))
    assert money(line, "TOTALPAID") == "0.00"
    payment = s.row("ARPYMT", pay)
    assert (payment["STATE"], str(payment["REVERSALDATE"])) == ("Reversed", "2015-06-30")
    customer = s.sandbox.store.get_by_id(s.company, "CUSTOMER", "C00001")
    assert money(customer, "TOTALDUE") == str(Decimal(due_before) + Decimal("450.00"))
    assert "reversed already" in failure(
        s, fn(f'<reverse_arpayment key="{pay}"><datereversed>{D0630}</datereversed></reverse_arpayment>')
    )
    # a demo payment (paid in full): its invoice is due in full again, WHENPAID cleared
    demo_invoice = s.row("ARINVOICE", 2)
    assert demo_invoice["STATE"] == "Paid"
    s.ok(
        fn(
            '<reverse_arpayment key="3"><datereversed><year>2099</year><month>01</month><day>01</day>'
            "</datereversed></reverse_arpayment>"
        )
    )
    reopened = s.row("ARINVOICE", 2)
    assert (reopened["STATE"], reopened["WHENPAID"], money(reopened, "TOTALDUE")) == (
        "Posted",
        None,
        money(demo_invoice, "TOTALENTERED"),
    )


def test_a_reversed_bill_is_cancelled_by_a_reversal_with_negated_lines() -> None:
    s = Session()
    vendor = s.sandbox.store.get_by_id(s.company, "VENDOR", "V0001")
    due_before = Decimal(vendor["TOTALDUE"])
    key = s.ok(bill_xml("V0001", "100", number="B-77"))
    assert Decimal(s.sandbox.store.get_by_id(s.company, "VENDOR", "V0001")["TOTALDUE"]) == due_before + 150
    assert (
        s.ok(
            fn(
                f'<reverse_bill key="{key}"><datereversed>{D0630}</datereversed><description>duplicate'
                "</description>"
                "</reverse_bill>"
            )
        )
        == key
    )
    original = s.row("APBILL", key)
    reversal = s.row("APBILL", original["REVERSALKEY"])
    assert (original["STATE"], money(original, "TOTALDUE")) == ("Reversed", "0.00")
    assert (reversal["STATE"], reversal["REVERSEDKEY"], money(reversal, "TOTALENTERED")) == (
        "Reversal",
        int(key),
        "-150.00",
    )
    assert reversal["DESCRIPTION"] == "duplicate"
    lines = s.sandbox.store.children(s.company, "APBILLITEM", reversal["RECORDNO"])
    assert [money(line, "AMOUNT") for line in lines] == ["-100.00", "-50.00"]
    assert Decimal(s.sandbox.store.get_by_id(s.company, "VENDOR", "V0001")["TOTALDUE"]) == due_before
    # the bill number is free again; a reversed bill cannot be reversed, edited or paid
    s.ok(bill_xml("V0001", "100", number="B-77"))
    assert "Reversed already" in failure(
        s, fn(f'<reverse_bill key="{key}"><datereversed>{D0630}</datereversed></reverse_bill>')
    )
    assert "cannot be changed" in failure(
        s, fn(f"<update><APBILL><RECORDNO>{key}</RECORDNO><DESCRIPTION>x</DESCRIPTION></APBILL></update>")
    )
    early = fn(
        f'<reverse_invoice key="{s.ok(invoice_xml("C00002", "5"))}"><datereversed><year>2015</year>'
        "<month>06</month><day>01</day></datereversed></reverse_invoice>"
    )
    assert "before the invoice date" in failure(s, early)


def test_a_summary_posts_its_documents_on_its_date() -> None:
    s = Session()
    batch = s.ok(
        fn(
            "<create_billbatch><batchtitle>July bills</batchtitle><datecreated><year>2015</year>"
            "<month>07</month><day>31</day></datecreated></create_billbatch>"
        )
    )
    first = s.ok(bill_xml("V0002", "100", f"<dateposted>{D0630}</dateposted><batchkey>{batch}</batchkey>"))
    second = s.ok(bill_xml("V0003", "20", f"<batchkey>{batch}</batchkey>"))
    for key in (first, second):
        bill = s.row("APBILL", key)
        assert (str(bill["WHENPOSTED"]), bill["PRBATCHKEY"], bill["PRBATCH"]) == (
            "2015-07-31",
            int(batch),
            "July bills",
        )
    summary = s.row("PRBATCH", batch)
    assert (money(summary, "TOTAL"), summary["DOCUMENTS"], summary["RECORDTYPE"]) == ("220.00", 2, "apbill")
    s.ok(fn(f'<delete_bill key="{second}"/>'))
    assert money(s.row("PRBATCH", batch), "TOTAL") == "150.00"
    # a summary holds one kind of document, and its title is unique within the kind
    assert "holds bills" in failure(s, invoice_xml("C00001", "5", f"<batchkey>{batch}</batchkey>"))
    assert "exists already" in failure(
        s,
        fn(
            "<create_billbatch><batchtitle>July bills</batchtitle><datecreated>" + D0630 + "</datecreated>"
            "</create_billbatch>"
        ),
    )
    # books closed through the summary's date: nothing more can post in it
    set_closed_through(s.sandbox.store, s.company, date(2015, 7, 31))
    assert "closed period" in failure(s, bill_xml("V0002", "1", f"<batchkey>{batch}</batchkey>"))


def _payment(s: Session, bill: str, amount: str, action: str = "") -> str:
    act = f"<ACTION>{action}</ACTION>" if action else ""
    return s.ok(
        fn(
            "<create><APPYMT><PAYMENTMETHOD>Printed Check</PAYMENTMETHOD><FINANCIALENTITY>BA1"
            "</FINANCIALENTITY>"
            f"<VENDORID>V0004</VENDORID><PAYMENTDATE>07/15/2015</PAYMENTDATE>{act}<APPYMTDETAILS><APPYMTDETAIL>"
            f"<RECORDKEY>{bill}</RECORDKEY><TRX_PAYMENTAMOUNT>{amount}</TRX_PAYMENTAMOUNT></APPYMTDETAIL>"
            "</APPYMTDETAILS></APPYMT></create>"
        )
    )


def _state(s: Session, action: str, key: str) -> etree._Element:
    return s.run(
        fn(
            f"<{action}_appaymentrequest><appaymentkeys><appaymentkey>{key}</appaymentkey>"
            f"</appaymentkeys></{action}_appaymentrequest>"
        )
    )


def test_payment_request_state_machine_and_its_refusals() -> None:
    s = Session()
    s.ok(
        fn(
            "<create><CHECKINGACCOUNT><BANKACCOUNTID>BA1</BANKACCOUNTID><GLACCOUNTNO>1000</GLACCOUNTNO>"
            "</CHECKINGACCOUNT></create>"
        )
    )
    bill = s.ok(bill_xml("V0004", "250"))  # 300 due
    due_before = Decimal(s.sandbox.store.get_by_id(s.company, "VENDOR", "V0004")["TOTALDUE"])
    pay = _payment(s, bill, "200")
    assert s.row("APPYMT", pay)["STATE"] == "Submitted"
    row = s.row("APBILL", bill)
    assert (money(row, "TOTALSELECTED"), money(row, "TOTALDUE"), row["STATE"]) == (
        "200.00",
        "300.00",
        "Posted",
    )
    # what one request selected cannot be paid by another
    assert "exceeds the 100.00 still to pay" in failure(
        s,
        fn(
            "<create><APPYMT><PAYMENTMETHOD>EFT</PAYMENTMETHOD><FINANCIALENTITY>BA1</FINANCIALENTITY><VENDORID>V0004"
            "</VENDORID><PAYMENTDATE>07/15/2015</PAYMENTDATE><APPYMTDETAILS><APPYMTDETAIL><RECORDKEY>"
            + bill
            + "</RECORDKEY><TRX_PAYMENTAMOUNT>150</TRX_PAYMENTAMOUNT></APPYMTDETAIL></APPYMTDETAILS>"
            "</APPYMT></create>"
        ),
    )
    assert "reverse_bill" not in failure(
        s, fn(f'<reverse_bill key="{bill}"><datereversed>{D0630}</datereversed></reverse_bill>')
    )
    for action in ("send", "confirm"):
        result = _state(s, action, pay)
        assert result.findtext("status") == "failure" and "only" in etree.tostring(result).decode()
    assert _state(s, "approve", pay).findtext("status") == "success"
    assert "Submitted payment requests can be declined" in etree.tostring(_state(s, "decline", pay)).decode()
    assert "cannot be changed" in failure(
        s, fn(f"<update><APPYMT><RECORDNO>{pay}</RECORDNO><DESCRIPTION>x</DESCRIPTION></APPYMT></update>")
    )
    assert "cannot be deleted" in failure(
        s, fn(f"<delete><object>APPYMT</object><keys>{pay}</keys></delete>")
    )
    assert _state(s, "send", pay).findtext("status") == "success"
    assert _state(s, "confirm", pay).findtext("status") == "success"
    payment, row = s.row("APPYMT", pay), s.row("APBILL", bill)
    assert (payment["STATE"], str(payment["WHENPAID"])) == ("Complete", "2015-07-15")
    assert (row["STATE"], money(row, "TOTALPAID"), money(row, "TOTALDUE"), money(row, "TOTALSELECTED")) == (
        "Partially Paid",
        "200.00",
        "100.00",
        "0.00",
    )
    lines = s.sandbox.store.children(s.company, "APBILLITEM", int(bill))
    assert [money(line, "TOTALPAID") for line in lines] == ["200.00", "0.00"]
    assert Decimal(s.sandbox.store.get_by_id(s.company, "VENDOR", "V0004")["TOTALDUE"]) == due_before - 200
    # voiding the complete payment re-opens the bill; a voided payment is final
    assert _state(s, "void", pay).findtext("status") == "success"
    row = s.row("APBILL", bill)
    assert (row["STATE"], money(row, "TOTALDUE")) == ("Posted", "300.00")
    assert "Voided" in failure(
        s, fn(f'<reverse_appayment key="{pay}"><datereversed>{D0630}</datereversed></reverse_appayment>')
    )
    # a declined request gives its selection back; a draft selects nothing until submitted
    declined = _payment(s, bill, "300")
    assert _state(s, "decline", declined).findtext("status") == "success"
    assert money(s.row("APBILL", bill), "TOTALSELECTED") == "0.00"
    draft = _payment(s, bill, "300", "Draft")
    assert money(s.row("APBILL", bill), "TOTALSELECTED") == "0.00"
    assert "Submit the draft first" in etree.tostring(_state(s, "approve", draft)).decode()
    s.ok(fn(f"<update><APPYMT><RECORDNO>{draft}</RECORDNO><ACTION>Submit</ACTION></APPYMT></update>"))
    assert money(s.row("APBILL", bill), "TOTALSELECTED") == "300.00"
    # every key is checked before any changes
    both = fn(
        f"<approve_appaymentrequest><appaymentkeys><appaymentkey>{draft}</appaymentkey><appaymentkey>"
        f"{pay}</appaymentkey></appaymentkeys></approve_appaymentrequest>"
    )
    assert "Voided" in failure(s, both) and s.row("APPYMT", draft)["STATE"] == "Submitted"


def test_confirmed_payment_draws_on_a_debit_memo_and_reversal_gives_it_back() -> None:
    s = Session()
    s.ok(
        fn(
            "<create><CHECKINGACCOUNT><BANKACCOUNTID>BA1</BANKACCOUNTID><GLACCOUNTNO>1000</GLACCOUNTNO>"
            "</CHECKINGACCOUNT></create>"
        )
    )
    bill = s.ok(bill_xml("V0004", "50"))  # 100 due
    memo = s.ok(
        fn(
            f"<create_apadjustment><vendorid>V0004</vendorid><datecreated>{D0630}</datecreated>"
            "<apadjustmentitems><lineitem><glaccountno>6000</glaccountno><amount>-30</amount></lineitem>"
            "</apadjustmentitems></create_apadjustment>"
        )
    )
    assert s.row("APADJUSTMENT", memo)["ADJUSTMENTTYPE"] == "Debit Memo"
    pay = s.ok(
        fn(
            "<create><APPYMT><PAYMENTMETHOD>Cash</PAYMENTMETHOD><FINANCIALENTITY>BA1</FINANCIALENTITY><VENDORID>"
            "V0004</VENDORID><PAYMENTDATE>07/15/2015</PAYMENTDATE><APPYMTDETAILS><APPYMTDETAIL><RECORDKEY>"
            + bill
            + "</RECORDKEY><TRX_PAYMENTAMOUNT>70</TRX_PAYMENTAMOUNT></APPYMTDETAIL><APPYMTDETAIL><RECORDKEY>"
            + bill
            + "</RECORDKEY><ADJUSTMENTKEY>"
            + memo
            + "</ADJUSTMENTKEY><TRX_ADJUSTMENTAMOUNT>30</TRX_ADJUSTMENTAMOUNT>"
            "</APPYMTDETAIL></APPYMTDETAILS></APPYMT></create>"
        )
    )
    assert money(s.row("APPYMT", pay), "TOTALENTERED") == "70.00"
    # the open request holds the memo's credit: another one cannot draw it too
    other = s.ok(bill_xml("V0004", "10"))
    twice = (
        "<create><APPYMT><PAYMENTMETHOD>Cash</PAYMENTMETHOD><FINANCIALENTITY>BA1</FINANCIALENTITY><VENDORID>"
        f"V0004</VENDORID><PAYMENTDATE>07/15/2015</PAYMENTDATE><APPYMTDETAILS><APPYMTDETAIL><RECORDKEY>{other}"
        f"</RECORDKEY><ADJUSTMENTKEY>{memo}</ADJUSTMENTKEY><TRX_ADJUSTMENTAMOUNT>5</TRX_ADJUSTMENTAMOUNT>"
        "</APPYMTDETAIL></APPYMTDETAILS></APPYMT></create>"
    )
    assert "exceeds the 0.00 left" in failure(s, fn(twice))
    assert money(s.row("APADJUSTMENT", memo), "TOTALSELECTED") == "30.00"
    for action in ("approve", "confirm"):
        assert _state(s, action, pay).findtext("status") == "success"
    assert (s.row("APBILL", bill)["STATE"], s.row("APADJUSTMENT", memo)["STATE"]) == ("Paid", "Paid")
    assert "cannot be deleted" in failure(s, fn(f'<delete_apadjustment key="{memo}"/>'))
    s.ok(
        fn(
            f'<reverse_appayment key="{pay}"><datereversed><year>2015</year><month>07</month><day>20</day>'
            "</datereversed></reverse_appayment>"
        )
    )
    memo_row, bill_row = s.row("APADJUSTMENT", memo), s.row("APBILL", bill)
    assert (memo_row["STATE"], money(memo_row, "TOTALDUE")) == ("Posted", "-30.00")
    assert (bill_row["STATE"], money(bill_row, "TOTALDUE"), bill_row["WHENPAID"]) == (
        "Posted",
        "100.00",
        None,
    )
    assert s.row("APPYMT", pay)["STATE"] == "Reversed"


def test_displaycontact_update_is_persisted_and_writes_the_contact() -> None:
    s = Session()
    customer = s.sandbox.store.get_by_id(s.company, "CUSTOMER", "C00003")
    name = customer["DISPLAYCONTACT.CONTACTNAME"]
    s.ok(
        fn(
            "<update><CUSTOMER><CUSTOMERID>C00003</CUSTOMERID><DISPLAYCONTACT><EMAIL1>ap@new.example</EMAIL1>"
            "<MAILADDRESS><CITY>Reno</CITY></MAILADDRESS></DISPLAYCONTACT></CUSTOMER></update>"
        )
    )
    read = s.run(
        fn(
            "<read><object>CUSTOMER</object><keys>" + str(customer["RECORDNO"]) + "</keys><fields>*"
            "</fields><returnFormat>xml</returnFormat></read>"
        )
    )
    assert read.findtext("data/CUSTOMER/DISPLAYCONTACT/EMAIL1") == "ap@new.example"
    assert read.findtext("data/CUSTOMER/DISPLAYCONTACT/MAILADDRESS/CITY") == "Reno"
    assert read.findtext("data/CUSTOMER/DISPLAYCONTACT/PRINTAS") == customer["DISPLAYCONTACT.PRINTAS"]
    contact = s.sandbox.store.get_by_id(s.company, "CONTACT", name)
    assert (contact["EMAIL1"], contact["MAILADDRESS.CITY"]) == ("ap@new.example", "Reno")
    # the empty block the SDKs always send changes nothing
    s.ok(fn("<update><CUSTOMER><CUSTOMERID>C00003</CUSTOMERID><DISPLAYCONTACT/></CUSTOMER></update>"))
    after = s.sandbox.store.get_by_id(s.company, "CUSTOMER", "C00003")
    assert after["DISPLAYCONTACT.EMAIL1"] == "ap@new.example"
    s.ok(
        fn(
            "<update><VENDOR><VENDORID>V0005</VENDORID><DISPLAYCONTACT><PHONE1>555-0100</PHONE1>"
            "</DISPLAYCONTACT></VENDOR></update>"
        )
    )
    vendor = s.sandbox.store.get_by_id(s.company, "VENDOR", "V0005")
    assert vendor["DISPLAYCONTACT.PHONE1"] == "555-0100"
    assert s.sandbox.store.get_by_id(s.company, "CONTACT", vendor["DISPLAYCONTACT.CONTACTNAME"])[
        "PHONE1"
    ] == ("555-0100")


def test_deposit_gathers_undeposited_receipts() -> None:
    s = Session()
    s.ok(
        fn(
            "<create><SAVINGSACCOUNT><BANKACCOUNTID>SAV1</BANKACCOUNTID><GLACCOUNTNO>1000</GLACCOUNTNO>"
            "</SAVINGSACCOUNT></create>"
        )
    )
    receipt = s.ok(
        fn(
            f"<record_otherreceipt><paymentdate>{D0630}</paymentdate><payee>Costco</payee><receiveddate>{D0630}"
            "</receiveddate><paymentmethod>Cash</paymentmethod><undepglaccountno>1010</undepglaccountno>"
            "<receiptitems><lineitem><glaccountno>4100</glaccountno><amount>40</amount></lineitem><lineitem>"
            "<glaccountno>4000</glaccountno><amount>2.5</amount></lineitem></receiptitems></record_otherreceipt>"
        )
    )
    assert (
        s.row("OTHERRECEIPTS", receipt)["STATE"],
        money(s.row("OTHERRECEIPTS", receipt), "TOTALENTERED"),
    ) == (
        "Undeposited",
        "42.50",
    )
    deposit = s.ok(
        fn(
            "<record_deposit><bankaccountid>SAV1</bankaccountid><depositdate><year>2099</year><month>01</month>"
            f"<day>02</day></depositdate><depositid>Slip 1</depositid><receiptkeys><receiptkey>{receipt}"
            "</receiptkey><receiptkey>3</receiptkey></receiptkeys></record_deposit>"
        )
    )
    row = s.row("DEPOSIT", deposit)
    demo_payment = s.row("ARPYMT", 3)
    assert money(row, "TOTALENTERED") == str(Decimal("42.50") + Decimal(demo_payment["TOTALENTERED"]))
    assert (s.row("OTHERRECEIPTS", receipt)["DEPOSITKEY"], demo_payment["DEPOSITKEY"]) == (int(deposit),) * 2
    assert s.row("OTHERRECEIPTS", receipt)["STATE"] == "Deposited"


def test_sageintacctsdk_posts_and_reads_cash_management_and_ap_payments() -> None:
    from sageintacctsdk import SageIntacctSDK
    from sageintacctsdk.apis.api_base import ApiBase

    from intacct_sandbox import SandboxServer

    sb = Sandbox()
    creds = sb.seed_demo(seed=1)
    with SandboxServer(sb) as server:
        original = ApiBase.__init__

        def pointed(self: ApiBase, *args: Any, **kwargs: Any) -> None:
            original(self, *args, **kwargs)
            self._ApiBase__api_url = server.endpoint  # type: ignore[attr-defined]

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(ApiBase, "__init__", pointed)
            sdk = SageIntacctSDK(
                sender_id=creds["sender_id"],
                sender_password=creds["sender_password"],
                user_id=creds["user_id"],
                company_id=creds["company_id"],
                user_password=creds["user_password"],
            )
            assert sdk.checking_accounts.post({"BANKACCOUNTID": "SDK-BANK", "GLACCOUNTNO": "1000"})[
                "status"
            ] == ("success")
            accounts = sdk.checking_accounts.get_all()
            assert "SDK-BANK" in str(accounts)
            sdk.api_base.format_and_send_request(
                {"create": {"CREDITCARD": {"CARDID": "SDK-CARD", "LIABACCOUNTNO": "2100"}}}
            )
            assert "SDK-CARD" in str(sdk.charge_card_accounts.get_all())
            sdk.api_base.format_and_send_request(
                {"create": {"SAVINGSACCOUNT": {"BANKACCOUNTID": "SDK-SAVE", "GLACCOUNTNO": "1000"}}}
            )
            assert "SDK-SAVE" in str(sdk.savings_accounts.get_all())
            cc = sdk.charge_card_transactions.post(
                {
                    "chargecardid": "SDK-CARD",
                    "paymentdate": {"year": "2015", "month": "06", "day": "30"},
                    "referenceno": "R-1",
                    "payee": "Costco",
                    "ccpayitems": {"ccpayitem": [{"glaccountno": "6000", "paymentamount": "12.34"}]},
                }
            )
            key = cc["key"]
            assert sdk.charge_card_transactions.update_attachment(key, "ATT-1")["status"] == "success"
            stored = sb.store.get(creds["company_id"], "CCTRANSACTION", int(key))
            assert (stored["SUPDOCID"], str(stored["TOTALENTERED"])) == ("ATT-1", "12.34")
            payment = sdk.ap_payments.post(
                {
                    "FINANCIALENTITY": "SDK-BANK",
                    "PAYMENTMETHOD": "Cash",
                    "VENDORID": "V0014",
                    "PAYMENTDATE": "07/15/2015",
                    "APPYMTDETAILS": {"APPYMTDETAIL": [{"RECORDKEY": "1", "TRX_PAYMENTAMOUNT": "10"}]},
                }
            )
            assert payment["status"] == "success"
            got = sdk.ap_payments.get_all()
            # one record comes back as a dict, not a list (the SDK's XML-to-dict conversion)
            assert [p["STATE"] for p in (got if isinstance(got, list) else [got])] == ["Submitted"]


def test_customer_charge_card_keeps_only_its_last_digits() -> None:
    s = Session()
    card = s.ok(
        fn(
            "<create_customerchargecard><customerid>C00001</customerid><cardnum>4111 1111 1111 1111</cardnum>"
            "<cardtype>Visa</cardtype><exp_month>December</exp_month><exp_year>2099</exp_year>"
            "<defaultcard>true</defaultcard><mailaddress><city>Austin</city></mailaddress>"
            "</create_customerchargecard>"
        )
    )
    row = s.row("CUSTOMERCHARGECARD", card)
    assert (row["CARDNUM"], row["MAILADDRESS.CITY"], row["DEFAULTCARD"]) == (
        "************1111",
        "Austin",
        True,
    )
    second = s.ok(
        fn(
            "<create_customerchargecard><customerid>C00001</customerid><cardnum>5500000000000004</cardnum>"
            "<cardtype>Mastercard</cardtype><exp_month>January</exp_month><exp_year>2098</exp_year>"
            "<defaultcard>true</defaultcard></create_customerchargecard>"
        )
    )
    assert (
        s.row("CUSTOMERCHARGECARD", card)["DEFAULTCARD"],
        s.row("CUSTOMERCHARGECARD", second)["DEFAULTCARD"],
    ) == (
        False,
        True,
    )
    s.ok(
        fn(
            f'<update_customerchargecard recordno="{card}"><exp_year>2097</exp_year><status>inactive</status>'
            "</update_customerchargecard>"
        )
    )
    row = s.row("CUSTOMERCHARGECARD", card)
    assert (row["EXP_YEAR"], row["STATUS"], row["CARDNUM"]) == ("2097", "inactive", "************1111")
    assert "Unknown element <cardnum>" in failure(
        s,
        fn(f'<update_customerchargecard recordno="{card}"><cardnum>1</cardnum></update_customerchargecard>'),
    )
    assert "12 to 19 digits" in failure(
        s,
        fn(
            "<create_customerchargecard><customerid>C00001</customerid><cardnum>12ab</cardnum><cardtype>Visa"
            "</cardtype><exp_month>June</exp_month><exp_year>2099</exp_year></create_customerchargecard>"
        ),
    )


def test_arpayment_into_a_bank_account_needs_the_account() -> None:
    s = Session()
    body = (
        "<create_arpayment><customerid>C00001</customerid><paymentamount>10</paymentamount>"
        f"<bankaccountid>BA7</bankaccountid><datereceived>{D0630}</datereceived>"
        "<paymentmethod>EFT</paymentmethod></create_arpayment>"
    )
    assert "Invalid bank account 'BA7'" in failure(s, fn(body))
    s.ok(
        fn(
            "<create><CHECKINGACCOUNT><BANKACCOUNTID>BA7</BANKACCOUNTID><GLACCOUNTNO>1000</GLACCOUNTNO>"
            "</CHECKINGACCOUNT></create>"
        )
    )
    s.ok(fn(body))


def test_update_bill_merges_lines_and_moves_totals() -> None:
    s = Session()
    key = s.ok(bill_xml("V0006", "100", "<externalid>EXT-9</externalid>"))  # lines 100 + 50
    s.ok(
        fn(
            '<update_bill key="EXT-9" externalkey="true"><description>fixed</description><updatebillitems>'
            '<updatelineitem line_num="2"><amount>75</amount><memo>second</memo></updatelineitem><lineitem>'
            "<glaccountno>6200</glaccountno><amount>5</amount></lineitem></updatebillitems></update_bill>"
        )
    )
    bill = s.row("APBILL", key)
    lines = s.sandbox.store.children(s.company, "APBILLITEM", int(key))
    assert (bill["DESCRIPTION"], money(bill, "TOTALENTERED"), money(bill, "TOTALDUE")) == (
        "fixed",
        "180.00",
        "180.00",
    )
    assert [(line["ACCOUNTNO"], money(line, "AMOUNT"), line["ENTRYDESCRIPTION"]) for line in lines] == [
        ("6000", "100.00", None),
        ("6100", "75.00", "second"),
        ("6200", "5.00", None),
    ]
    assert "has 3 line(s)" in failure(
        s,
        fn(
            f'<update_bill key="{key}"><updatebillitems><updatelineitem line_num="4"><amount>1</amount>'
            "</updatelineitem></updatebillitems></update_bill>"
        ),
    )
    assert "Cannot find apbill with key 'NOPE'" in failure(
        s, fn('<update_bill key="NOPE" externalkey="true"><description>x</description></update_bill>')
    )


def test_negative_bill_credit_is_drawn_on_confirm_and_given_back_on_void() -> None:
    s = Session()
    s.ok(
        fn(
            "<create><CHECKINGACCOUNT><BANKACCOUNTID>BA1</BANKACCOUNTID><GLACCOUNTNO>1000</GLACCOUNTNO>"
            "</CHECKINGACCOUNT></create>"
        )
    )
    bill = s.ok(bill_xml("V0008", "50"))  # 100 due
    negative = s.ok(
        fn(
            f"<create_bill><vendorid>V0008</vendorid><datecreated>{D0630}</datecreated><termname>N30</termname>"
            "<billitems><lineitem><glaccountno>6000</glaccountno><amount>-70</amount></lineitem></billitems>"
            "</create_bill>"
        )
    )
    assert "exceeds the 70.00 left" in failure(
        s,
        fn(
            "<create><APPYMT><PAYMENTMETHOD>Cash</PAYMENTMETHOD><FINANCIALENTITY>BA1</FINANCIALENTITY><VENDORID>"
            "V0008</VENDORID><PAYMENTDATE>07/15/2015</PAYMENTDATE><APPYMTDETAILS><APPYMTDETAIL><RECORDKEY>"
            + bill
            + "</RECORDKEY><INLINEKEY>"
            + negative
            + "</INLINEKEY><TRX_INLINEAMOUNT>80</TRX_INLINEAMOUNT>"
            "</APPYMTDETAIL></APPYMTDETAILS></APPYMT></create>"
        ),
    )
    pay = s.ok(
        fn(
            "<create><APPYMT><PAYMENTMETHOD>Cash</PAYMENTMETHOD><FINANCIALENTITY>BA1</FINANCIALENTITY><VENDORID>"
            "V0008</VENDORID><PAYMENTDATE>07/15/2015</PAYMENTDATE><APPYMTDETAILS><APPYMTDETAIL><RECORDKEY>"
            + bill
            + "</RECORDKEY><INLINEKEY>"
            + negative
            + "</INLINEKEY><TRX_INLINEAMOUNT>70</TRX_INLINEAMOUNT>"
            "<TRX_PAYMENTAMOUNT>30</TRX_PAYMENTAMOUNT></APPYMTDETAIL></APPYMTDETAILS></APPYMT></create>"
        )
    )
    for action in ("approve", "confirm"):
        assert _state(s, action, pay).findtext("status") == "success"
    assert (s.row("APBILL", bill)["STATE"], s.row("APBILL", negative)["STATE"]) == ("Paid", "Paid")
    assert money(s.row("APBILL", negative), "TOTALDUE") == "0.00"
    assert _state(s, "void", pay).findtext("status") == "success"
    back = s.row("APBILL", negative)
    (line,) = s.sandbox.store.children(s.company, "APBILLITEM", int(negative))
    assert (back["STATE"], money(back, "TOTALDUE"), money(line, "TOTALPAID")) == ("Posted", "-70.00", "0.00")
    assert money(s.row("APBILL", bill), "TOTALDUE") == "100.00"


def test_ar_advance_and_bank_feed() -> None:
    s = Session()
    batch = s.ok(
        fn(
            "<create_arpaymentbatch><batchtitle>Advances</batchtitle><datecreated>"
            + D0630
            + "</datecreated></create_arpaymentbatch>"
        )
    )
    advance = s.ok(
        fn(
            "<create><ARADVANCE><CUSTOMERID>C00001</CUSTOMERID><PAYMENTMETHOD>EFT</PAYMENTMETHOD><PAYMENTDATE>"
            "06/30/2015</PAYMENTDATE><RECEIPTDATE>06/30/2015</RECEIPTDATE><PRBATCH>" + batch + "</PRBATCH>"
            "<ARADVANCEITEMS><ARADVANCEITEM><ACCOUNTNO>2100</ACCOUNTNO><TRX_AMOUNT>40</TRX_AMOUNT></ARADVANCEITEM>"
            "<ARADVANCEITEM><ACCOUNTNO>2100</ACCOUNTNO><TRX_AMOUNT>2.5</TRX_AMOUNT></ARADVANCEITEM></ARADVANCEITEMS>"
            "</ARADVANCE></create>"
        )
    )
    row = s.row("ARADVANCE", advance)
    assert (row["STATE"], money(row, "TOTALENTERED"), row["PRBATCHKEY"]) == ("Posted", "42.50", int(batch))
    assert money(s.row("PRBATCH", batch), "TOTAL") == "42.50"
    s.ok(
        fn(
            f"<update><ARADVANCE><RECORDNO>{advance}</RECORDNO><DESCRIPTION>x</DESCRIPTION><ARADVANCEITEMS/>"
            "</ARADVANCE></update>"
        )
    )
    assert len(s.sandbox.store.children(s.company, "ARADVANCEITEM", int(advance))) == 2
    s.ok(
        fn(
            "<create><CHECKINGACCOUNT><BANKACCOUNTID>BA1</BANKACCOUNTID><GLACCOUNTNO>1000</GLACCOUNTNO>"
            "</CHECKINGACCOUNT></create>"
        )
    )
    feed = s.ok(
        fn(
            "<create><BANKACCTTXNFEED><FINANCIALENTITY>BA1</FINANCIALENTITY><FEEDDATE>05/15/2020</FEEDDATE>"
            "<BANKACCTTXNRECORDS><BANKACCTTXNRECORD><POSTINGDATE><year>2020</year><month>4</month><day>9</day>"
            "</POSTINGDATE><TRANSACTIONTYPE>withdrawal</TRANSACTIONTYPE><AMOUNT>-184</AMOUNT></BANKACCTTXNRECORD>"
            "<BANKACCTTXNRECORD><POSTINGDATE>04/10/2020</POSTINGDATE><TRANSACTIONTYPE>deposit</TRANSACTIONTYPE>"
            "<AMOUNT>50</AMOUNT></BANKACCTTXNRECORD></BANKACCTTXNRECORDS></BANKACCTTXNFEED></create>"
        )
    )
    records = s.sandbox.store.children(s.company, "BANKACCTTXNRECORD", int(feed))
    assert [str(r["POSTINGDATE"]) for r in records] == ["2020-04-09", "2020-04-10"]
    assert (
        s.row("BANKACCTTXNFEED", feed)["TRANSACTIONS"],
        money(s.row("BANKACCTTXNFEED", feed), "TOTAL"),
    ) == (
        2,
        "-134.00",
    )
    assert "Invalid value 'refund'" in failure(
        s,
        fn(
            "<create><BANKACCTTXNFEED><FINANCIALENTITY>BA1</FINANCIALENTITY><FEEDDATE>05/15/2020</FEEDDATE>"
            "<BANKACCTTXNRECORDS><BANKACCTTXNRECORD><POSTINGDATE>04/10/2020</POSTINGDATE><TRANSACTIONTYPE>refund"
            "</TRANSACTIONTYPE><AMOUNT>5</AMOUNT></BANKACCTTXNRECORD></BANKACCTTXNRECORDS></BANKACCTTXNFEED>"
            "</create>"
        ),
    )
