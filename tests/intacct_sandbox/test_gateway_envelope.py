"""HTTP layer and envelope: routes, headers, gzip, size limit, parsing failures, dtdversion, whitespace."""

from __future__ import annotations

import gzip

from gateway_helpers import Client, envelope, errors, fn, seeded
from lxml import etree

from intacct_sandbox import Sandbox

READ = (
    "<readByQuery><object>CUSTOMER</object><fields>CUSTOMERID</fields><query/>"
    "<pagesize>3</pagesize></readByQuery>"
)


def test_routes_methods_and_content_type() -> None:
    _sb, creds, client = seeded()
    assert client.http.get("/ia/xml/xmlgw.phtml").status_code == 405
    assert client.http.get("/ia/xml/xmlgw.phtml").headers["allow"] == "POST"
    assert client.http.post("/other", content=b"<request/>").status_code == 404
    response = client.raw(envelope(creds, fn(READ)))
    assert response.status_code == 200
    assert response.headers["content-type"] == 'text/xml; encoding="UTF-8"'
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_any_host_is_accepted() -> None:
    sb, creds, _ = seeded()
    other = Client(sb, base_url="http://whatever.example:9999")
    assert other.one(creds, READ).findtext("status") == "success"


def test_gzip_request_and_response() -> None:
    _sb, creds, client = seeded()
    body = gzip.compress(envelope(creds, fn(READ)).encode())
    response = client.http.post(
        "/ia/xml/xmlgw.phtml",
        content=body,
        headers={"Content-Encoding": "gzip", "Accept-Encoding": "gzip"},
    )
    assert response.headers["content-encoding"] == "gzip"
    doc = etree.fromstring(response.content)  # httpx decoded it
    assert doc.findtext("operation/result/status") == "success"
    plain = client.http.post(
        "/ia/xml/xmlgw.phtml",
        content=envelope(creds, fn(READ)).encode(),
        headers={"Accept-Encoding": "identity"},
    )
    assert "content-encoding" not in plain.headers


def test_request_over_the_size_limit_is_a_control_failure() -> None:
    sb = Sandbox(max_body=2000)
    creds = sb.seed_demo(seed=1, customers=3)
    client = Client(sb)
    doc = client.post(envelope(creds, fn(READ)) + " " * 3000)
    assert doc.findtext("control/status") == "failure"
    (err,) = errors(doc)
    assert err[0] == "XL03000003" and "2000 bytes" in err[2]
    assert doc.find("operation") is None
    # the limit also holds after gunzip (a small gzip bomb)
    bomb = gzip.compress(envelope(creds, fn(READ)).encode() + b" " * 100_000)
    response = client.http.post("/ia/xml/xmlgw.phtml", content=bomb, headers={"Content-Encoding": "gzip"})
    assert errors(etree.fromstring(response.content))[0][0] == "XL03000003"


def test_parse_error_names_line_and_column_and_echoes_what_it_can() -> None:
    _sb, creds, client = seeded()
    body = envelope(creds, fn("<delete><object>CUSTOMER</object><keys>1</keys></function>"))
    body = body.replace("><", ">\n<")
    doc = client.post(body)
    assert doc.findtext("control/status") == "failure"
    assert doc.findtext("control/senderid") == creds["sender_id"]
    assert doc.findtext("control/controlid") == "r1"
    first = errors(doc)[0]
    assert first[0] == "XL03000003"
    assert first[2].startswith(
        "XML Parse schema error: Fatal Error 76: Opening and ending tag mismatch: delete line"
    )
    assert ". Line: " in first[2] and ", column: " in first[2]


def test_doctype_and_entities_are_refused_never_expanded() -> None:
    _sb, creds, client = seeded()
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE request [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        + envelope(creds, fn(READ)).split("?>", 1)[1].replace("r1", "&b;")
    )
    doc = client.post(laughs)
    assert doc.findtext("control/status") == "failure"
    assert "aaaa" not in etree.tostring(doc).decode()
    assert errors(doc)[0][0] == "XL03000003" and "DOCTYPE" in errors(doc)[0][2]
    external = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><request>&x;</request>'
    )
    doc = client.post(external)
    assert errors(doc)[0][0] == "XL03000003" and "root:" not in etree.tostring(doc).decode()


def test_schema_problems_are_control_failures() -> None:
    _sb, creds, client = seeded()
    cases = [
        "<notarequest/>",
        envelope(creds, fn(READ)).replace("<controlid>r1</controlid>", ""),
        envelope(creds, fn(READ)).replace(' controlid="f1"', ""),
        envelope(creds, fn(READ)).replace("<dtdversion>3.0</dtdversion>", "<dtdversion>4.0</dtdversion>"),
        envelope(creds, fn(READ)).replace("<uniqueid>false</uniqueid>", "<uniqueid>maybe</uniqueid>"),
    ]
    for body in cases:
        doc = client.post(body)
        assert doc.findtext("control/status") == "failure", body
        assert errors(doc)[0][0] == "XL03000003", body
        assert doc.find("operation") is None


def test_wrong_encoding_is_a_parse_failure_but_declared_latin1_is_read() -> None:
    sb, creds, client = seeded()
    bad = envelope(creds, fn(READ)).encode().replace(b"r1", b"\xff\xfe")
    assert errors(client.post(bad))[0][0] == "XL03000003"
    create = "<create><CUSTOMER>"
    create += "<CUSTOMERID>LAT1</CUSTOMERID><NAME>Caf\u00e9 M\u00fcller</NAME></CUSTOMER></create>"
    latin = envelope(creds, fn(create)).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    doc = client.post(latin)
    assert doc.findtext("operation/result/status") == "success", etree.tostring(doc)
    names = [
        r["NAME"] for r in sb.control.records(creds["company_id"], "CUSTOMER") if r["CUSTOMERID"] == "LAT1"
    ]
    assert names == ["Caf\u00e9 M\u00fcller"]


def test_results_come_back_in_order_with_function_and_controlid() -> None:
    _sb, creds, client = seeded()
    content = (
        fn(READ, "a") + fn("<readByQuery><object>NOPE</object><query/></readByQuery>", "b") + fn(READ, "c")
    )
    results = client.results(envelope(creds, content))
    assert [(r.findtext("status"), r.findtext("function"), r.findtext("controlid")) for r in results] == [
        ("success", "readByQuery", "a"),
        ("failure", "readByQuery", "b"),
        ("success", "readByQuery", "c"),
    ]


def test_control_echo_and_dtd_21() -> None:
    _sb, creds, client = seeded()
    doc = client.post(envelope(creds, fn("<getAPISession/>"), dtd="2.1", uniqueid="false"))
    assert [c.tag for c in doc.find("control")] == [
        "status",
        "senderid",
        "controlid",
        "uniqueid",
        "dtdversion",
    ]
    assert doc.findtext("control/dtdversion") == "2.1"
    # 2.1: the api block has no locationid and the authentication block no sessiontimeout
    assert doc.find("operation/result/data/api/locationid") is None
    assert doc.find("operation/authentication/sessiontimeout") is None
    generic = client.results(envelope(creds, fn(READ), dtd="2.1"))[0]
    assert generic.findtext("status") == "failure"
    assert "not implemented in the sandbox" in errors(generic)[0][2]
    legacy = client.results(
        envelope(creds, fn("<create_class><classid>Z21</classid><name>Old</name></create_class>"), dtd="2.1")
    )[0]
    assert legacy.findtext("status") == "success" and legacy.findtext("key")


def test_includewhitespace_controls_indentation() -> None:
    _sb, creds, client = seeded()
    compact = client.raw(envelope(creds, fn(READ), whitespace="false")).content
    pretty = client.raw(envelope(creds, fn(READ), whitespace="true")).content
    default = client.raw(
        envelope(creds, fn(READ)).replace("<includewhitespace>false</includewhitespace>", "")
    ).content
    assert b"\n" not in compact.split(b"?>", 1)[1]
    assert b"\n  <control>" in pretty and b"\n  <control>" in default
    strip = etree.XMLParser(remove_blank_text=True)
    assert (
        etree.tostring(etree.fromstring(compact, strip)).replace(b"resultId", b"")[:200]
        == etree.tostring(etree.fromstring(pretty, strip)).replace(b"resultId", b"")[:200]
    )


def test_unknown_function_is_a_loud_result_failure() -> None:
    _sb, creds, client = seeded()
    result = client.one(creds, "<frobnicate><x/></frobnicate>")
    assert result.findtext("status") == "failure"
    (err,) = errors(result)
    assert "frobnicate" in err[2] and "not implemented in the sandbox" in err[2]


def test_special_characters_round_trip_escaped() -> None:
    _sb, creds, client = seeded()
    create = "<create><CUSTOMER><CUSTOMERID>AMP1</CUSTOMERID>"
    create += "<NAME>Bob &amp; Sons &lt;x&gt;</NAME></CUSTOMER></create>"
    assert client.one(creds, create).findtext("status") == "success"
    read = client.one(
        creds,
        "<readByQuery><object>CUSTOMER</object><fields>NAME</fields>"
        "<query>CUSTOMERID = 'AMP1'</query></readByQuery>",
    )
    assert read.findtext("data/customer/NAME") == "Bob & Sons <x>"


def test_methods_over_a_real_keep_alive_connection() -> None:
    import httpx

    from intacct_sandbox import SandboxServer

    sb, creds, _ = seeded()
    with SandboxServer(sb) as server, httpx.Client() as http:
        assert [http.request(m, server.endpoint).status_code for m in ("HEAD", "GET", "OPTIONS", "PUT")] == [
            405
        ] * 4
        assert http.get(server.url + "/nope").status_code == 404
        # the same connection still serves the gateway afterwards
        response = http.post(server.endpoint, content=envelope(creds, fn(READ)).encode())
        assert response.status_code == 200
        assert etree.fromstring(response.content).findtext("operation/result/status") == "success"
