"""Envelopes written exactly as the official SDKs write them are accepted, and every answer has the
structure their response parsers insist on (intacct-sdk-php Xml/Response: a control block; on control
success an operation with an authentication block holding status, userid and companyid; results with
status, function and controlid; errors with an errorno)."""

from __future__ import annotations

import uuid

import pytest
from gateway_helpers import Client, envelope, fn, seeded
from lxml import etree

READ = (
    "<readByQuery><object>CUSTOMER</object><fields>*</fields><query></query><pagesize>1000</pagesize>"
    "<returnFormat>xml</returnFormat></readByQuery>"
)


def php_parser_accepts(doc: etree._Element) -> None:
    """The checks intacct-sdk-php's response classes make before they hand results out."""
    assert doc.tag == "response"
    control = doc.find("control")
    assert control is not None and control.findtext("status") in ("success", "failure")
    if control.findtext("status") == "failure":
        assert doc.find("errormessage") is not None
        assert all(e.findtext("errorno") for e in doc.findall("errormessage/error"))
        return
    operation = doc.find("operation")
    assert operation is not None
    auth = operation.find("authentication")
    assert auth is not None
    for tag in ("status", "userid", "companyid"):
        assert auth.find(tag) is not None, tag
    if auth.findtext("status") == "failure":
        assert all(e.findtext("errorno") for e in operation.findall("errormessage/error"))
        return
    for result in operation.findall("result"):
        for tag in ("status", "function", "controlid"):
            assert result.find(tag) is not None, tag
        assert result.findtext("status") in ("success", "failure", "aborted")
        if result.findtext("status") != "success":
            assert all(e.findtext("errorno") for e in result.findall("errormessage/error"))


def _php_envelope(sender: str, password: str, session: str, content: str) -> bytes:
    # RequestBlock as intacct-sdk-php writes it (iso-8859-1 declaration, explicit uniqueid/whitespace)
    return (
        '<?xml version="1.0" encoding="iso-8859-1"?>\n'
        f"<request><control><senderid>{sender}</senderid><password>{password}</password>"
        "<controlid>unittest</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion>"
        '<includewhitespace>false</includewhitespace></control><operation transaction="false">'
        f"<authentication><sessionid>{session}</sessionid></authentication><content>{content}</content>"
        "</operation></request>"
    ).encode("iso-8859-1")


def test_php_sdk_envelope_with_session_and_empty_content() -> None:
    _sb, creds, client = seeded()
    sid = client.session(creds)
    doc = client.post(_php_envelope(creds["sender_id"], creds["sender_password"], sid, ""))
    php_parser_accepts(doc)
    assert doc.findtext("operation/authentication/status") == "success"
    assert doc.findall("operation/result") == []


def test_php_sdk_envelope_with_functions() -> None:
    _sb, creds, client = seeded()
    sid = client.session(creds)
    content = f'<function controlid="{uuid.uuid4()}">{READ}</function>'
    doc = client.post(_php_envelope(creds["sender_id"], creds["sender_password"], sid, content))
    php_parser_accepts(doc)
    assert doc.find("operation/result/data").get("listtype") == "customer"


def test_net_and_js_style_declarations_and_sdk_headers() -> None:
    _sb, creds, client = seeded()
    body = envelope(creds, fn(READ, str(uuid.uuid4()))).replace('encoding="UTF-8"', 'encoding="utf-8"')
    response = client.http.post(
        "/ia/xml/xmlgw.phtml",
        content=body.encode(),
        headers={
            "Content-Type": "application/xml",
            "Accept-Encoding": "gzip,deflate",
            "User-Agent": "intacct-sdk-net-client/3.2.0",
        },
    )
    doc = etree.fromstring(response.content)
    php_parser_accepts(doc)
    assert doc.findtext("operation/result/status") == "success"


@pytest.mark.parametrize(
    "variant",
    [
        {"sender_password": "wrong"},
        {"user_password": "wrong"},
        {"session": "STALE.."},
        {"content": fn("<readByQuery><object>NOPE</object><query/></readByQuery>")},
        {"content": fn("<delete><object>CUSTOMER</object><keys>99999</keys></delete>")},
        {"content": fn("<create><CLASS><CLASSID>A</CLASSID></CLASS></create>") * 2, "transaction": True},
        {"content": fn("<unknownFunction/>")},
        {"content": fn("<getAPISession/>"), "dtd": "2.1"},
    ],
)
def test_every_answer_has_the_structure_sdk_parsers_require(variant: dict[str, object]) -> None:
    _sb, creds, client = seeded()
    options = dict(variant)
    content = str(options.pop("content", fn("<getAPISession/>")))
    doc = client.post(envelope(creds, content, **options))  # type: ignore[arg-type]
    php_parser_accepts(doc)


def test_answers_are_parseable_by_a_strict_xml_parser_when_pretty() -> None:
    sb, creds, _ = seeded()
    client = Client(sb)
    response = client.raw(envelope(creds, fn(READ), whitespace="true"))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)
    php_parser_accepts(etree.fromstring(response.content, parser))
