"""The 25 test vectors of docs/intacct/protocol.md §13, against the sandbox.

Values that depend on data (record numbers, IDs) come from the seeded demo company instead of the
vectors' samples; element names, order, attributes, statuses and error texts are the vectors'.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from gateway_helpers import Client, envelope, errors, fn, seeded
from lxml import etree

from intacct_sandbox import Sandbox

AUTH_TAGS = ["status", "userid", "companyid", "locationid", "sessiontimestamp", "sessiontimeout"]
ROLLED_BACK = (
    "XL03000009",
    "",
    "The entire transaction in this operation has been rolled back due to an error.",
    "",
)


@pytest.fixture
def env() -> tuple[Sandbox, dict[str, Any], Client]:
    sb, creds, client = seeded(customers=12, vendors=5, bills=8)
    sb.set_clock(datetime(2024, 5, 1, 10, 0, tzinfo=UTC))
    return sb, creds, client


def _ctrl_ok(doc: etree._Element, creds: dict[str, Any]) -> None:
    control = doc.find("control")
    assert [(c.tag, c.text or "") for c in control] == [
        ("status", "success"),
        ("senderid", creds["sender_id"]),
        ("controlid", "r1"),
        ("uniqueid", "false"),
        ("dtdversion", "3.0"),
    ]


def _result_head(result: etree._Element, status: str, function: str, controlid: str) -> None:
    assert [c.tag for c in result][:3] == ["status", "function", "controlid"]
    assert (result.findtext("status"), result.findtext("function"), result.findtext("controlid")) == (
        status,
        function,
        controlid,
    )


def test_tv01_get_api_session_with_login(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    _sb, creds, client = env
    doc = client.post(envelope(creds, fn("<getAPISession/>")))
    assert [c.tag for c in doc] == ["control", "operation"]
    _ctrl_ok(doc, creds)
    auth = doc.find("operation/authentication")
    assert [c.tag for c in auth] == AUTH_TAGS
    assert auth.findtext("status") == "success" and auth.findtext("locationid") == ""
    assert auth.findtext("sessiontimestamp") == "2024-05-01T03:00:00-07:00"
    (result,) = doc.findall("operation/result")
    _result_head(result, "success", "getAPISession", "f1")
    api = result.find("data/api")
    assert result.find("data").attrib == {}
    assert [c.tag for c in api] == ["sessionid", "endpoint", "locationid"]
    assert api.findtext("endpoint") == "https://emu.intacct.com/ia/xml/xmlgw.phtml"


def test_tv02_get_api_session_for_an_entity(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    _sb, creds, client = env
    sid = client.session(creds, "E100")
    doc = client.post(envelope(creds, fn("<getAPISession/>"), session=sid))
    assert doc.findtext("operation/authentication/locationid") == "E100"
    assert doc.findtext("operation/result/data/api/locationid") == "E100"


def test_tv03_tv04_read_by_query_then_read_more(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    sb, creds, client = env
    active = [v for v in sb.control.records(creds["company_id"], "VENDOR") if v["STATUS"] == "active"]
    assert len(active) >= 3
    query = (
        "<readByQuery><object>VENDOR</object><fields>RECORDNO,VENDORID,STATUS</fields>"
        "<query>STATUS = 'T' AND WHENCREATED &gt;= '01/01/2000 00:00:00'</query>"
        "<pagesize>2</pagesize></readByQuery>"
    )
    first = client.one(creds, query, "q1")
    _result_head(first, "success", "readByQuery", "q1")
    data = first.find("data")
    assert list(data.attrib) == ["listtype", "count", "totalcount", "numremaining", "resultId"]
    assert (data.get("listtype"), data.get("count"), data.get("totalcount")) == (
        "vendor",
        "2",
        str(len(active)),
    )
    assert data.get("numremaining") == str(len(active) - 2) and data.get("resultId")
    assert [[c.tag for c in v] for v in data] == [["RECORDNO", "VENDORID", "STATUS"]] * 2
    assert {v.findtext("STATUS") for v in data} == {"active"}
    result_id = data.get("resultId")
    pages = 1
    while True:
        more = client.one(creds, f"<readMore><resultId>{result_id}</resultId></readMore>", "q2")
        _result_head(more, "success", "readMore", "q2")
        page = more.find("data")
        pages += 1
        if page.get("numremaining") == "0":
            break
    assert page.get("resultId") == "" and page.get("listtype") == "vendor"
    assert pages == -(-len(active) // 2)


def test_tv05_read_by_keys(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    sb, creds, client = env
    customer = sb.control.records(creds["company_id"], "CUSTOMER")[0]
    result = client.one(
        creds, f"<read><object>CUSTOMER</object><keys>{customer['RECORDNO']}</keys><fields>*</fields></read>"
    )
    data = result.find("data")
    assert data.attrib == {"listtype": "CUSTOMER", "count": "1"}
    (record,) = data
    assert record.tag == "CUSTOMER"
    assert record.findtext("CUSTOMERID") == customer["CUSTOMERID"]
    assert (
        record.findtext("DISPLAYCONTACT/MAILADDRESS/CITY")
        == customer["DISPLAYCONTACT"]["MAILADDRESS"]["CITY"]
    )
    assert record.find("PARENTID") is not None and record.findtext("PARENTID") == ""


def test_tv06_query_with_filter_order_and_paging(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    sb, creds, client = env
    bills = sb.control.records(creds["company_id"], "APBILL")
    vendor = bills[0]["VENDORNAME"]
    wanted = sorted(
        int(b["RECORDNO"]) for b in bills if b["VENDORNAME"] == vendor and float(b["TOTALDUE"]) > 0
    )
    body = (
        "<query><select><field>RECORDNO</field><field>VENDORNAME</field></select><object>APBILL</object>"
        f"<filter><and><equalto><field>VENDORNAME</field><value>{vendor}</value></equalto>"
        "<greaterthan><field>TOTALDUE</field><value>0</value></greaterthan></and></filter>"
        "<orderby><order><field>RECORDNO</field><descending/></order></orderby><pagesize>100</pagesize>"
        "<offset>0</offset></query>"
    )
    result = client.one(creds, body, "q3")
    _result_head(result, "success", "query", "q3")
    data = result.find("data")
    assert list(data.attrib) == ["listtype", "totalcount", "offset", "count", "numremaining"]
    assert data.attrib == {
        "listtype": "APBILL",
        "totalcount": str(len(wanted)),
        "offset": "0",
        "count": str(len(wanted)),
        "numremaining": "0",
    }
    assert [int(r.findtext("RECORDNO")) for r in data] == sorted(wanted, reverse=True)
    assert {r.tag for r in data} == {"APBILL"}


def test_tv07_tv09_tv10_create_update_delete(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    sb, creds, client = env
    created = client.one(
        creds,
        "<create><CUSTOMER><CUSTOMERID>C100</CUSTOMERID><NAME>Acme</NAME><STATUS>active</STATUS></CUSTOMER></create>",
        "c1",
    )
    _result_head(created, "success", "create", "c1")
    data = created.find("data")
    assert data.attrib == {"listtype": "objects", "count": "1"}
    (entry,) = data
    assert entry.tag == "customer" and [c.tag for c in entry] == ["RECORDNO", "CUSTOMERID"]
    recordno = entry.findtext("RECORDNO")
    updated = client.one(
        creds,
        f"<update><CUSTOMER><RECORDNO>{recordno}</RECORDNO><NAME>Acme Inc</NAME></CUSTOMER></update>",
        "u1",
    )
    _result_head(updated, "success", "update", "u1")
    assert [(c.tag, c.text) for c in updated.find("data/customer")] == [
        ("RECORDNO", recordno),
        ("CUSTOMERID", "C100"),
    ]
    assert [
        r["NAME"] for r in sb.control.records(creds["company_id"], "CUSTOMER") if r["CUSTOMERID"] == "C100"
    ] == ["Acme Inc"]
    deleted = client.one(creds, f"<delete><object>CUSTOMER</object><keys>{recordno}</keys></delete>", "d1")
    assert [c.tag for c in deleted] == ["status", "function", "controlid"]
    _result_head(deleted, "success", "delete", "d1")


def test_tv08_create_two_objects_in_one_function(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    _sb, creds, client = env
    result = client.one(
        creds,
        "<create><CLASS><CLASSID>UT01</CLASSID><NAME>A</NAME></CLASS><CLASS><CLASSID>UT02</CLASSID><NAME>B</NAME></CLASS></create>",
    )
    data = result.find("data")
    assert data.attrib == {"listtype": "objects", "count": "2"}
    assert [(c.tag, c.findtext("CLASSID")) for c in data] == [("class", "UT01"), ("class", "UT02")]
    assert int(data[1].findtext("RECORDNO")) == int(data[0].findtext("RECORDNO")) + 1


def test_tv11_legacy_create_returns_a_key(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    _sb, creds, client = env
    result = client.one(
        creds, "<create_class><classid>C1234</classid><name>hello</name></create_class>", "l1"
    )
    _result_head(result, "success", "create_class", "l1")
    assert [c.tag for c in result] == ["status", "function", "controlid", "key"]
    assert result.findtext("key") == "C1234"


def test_tv12_malformed_xml(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    _sb, creds, client = env
    body = envelope(creds, fn("<delete><object>CLASS</object><keys>1</keys></function>")).replace(
        "><", ">\n<"
    )
    doc = client.post(body)
    assert [c.tag for c in doc] == ["control", "errormessage"]
    assert (
        doc.findtext("control/status") == "failure" and doc.findtext("control/senderid") == creds["sender_id"]
    )
    (code, desc, desc2, corr) = errors(doc)[0]
    assert code == "XL03000003" and desc == "" and corr == ""
    assert desc2.startswith(
        "XML Parse schema error: Fatal Error 76: Opening and ending tag mismatch: delete line "
    )
    assert " and function. Line: " in desc2 and desc2.endswith(".")


def test_tv13_bad_sender_password(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    _sb, creds, client = env
    doc = client.post(envelope(creds, fn("<getAPISession/>"), sender_password="wrong"))
    assert doc.findtext("control/status") == "failure" and doc.find("operation") is None
    assert errors(doc) == [("XL03000006", "", "Incorrect Intacct XML Partner ID or password.", "")]


def test_tv14_sender_not_authorized(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    sb, creds, client = env
    sb.control.register_sender("S", "SP")
    doc = client.post(envelope(creds, fn("<getAPISession/>"), sender_id="S", sender_password="SP"))
    assert doc.findtext("control/status") == "success"
    auth = doc.find("operation/authentication")
    assert [(c.tag, c.text or "") for c in auth] == [
        ("status", "failure"),
        ("userid", creds["user_id"]),
        ("companyid", creds["company_id"]),
    ]
    assert errors(doc.find("operation")) == [
        (
            "XL03000006",
            "Invalid Web Services Authorization",
            "The sender ID 'S' is not authorized to make Web Services requests "
            f"to company ID '{creds['company_id']}'.",
            "Contact the company administrator to grant Web Services authorization to this sender ID.",
        )
    ]
    assert doc.find("operation/result") is None


def test_tv15_bad_user_login(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    _sb, creds, client = env
    doc = client.post(envelope(creds, fn("<getAPISession/>"), user_password="wrong"))
    assert doc.findtext("operation/authentication/status") == "failure"
    assert errors(doc.find("operation")) == [("XL03000006", "", "Sign-in information is incorrect", "")]
    assert doc.find("operation/result") is None


def test_tv16_unknown_session(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    _sb, creds, client = env
    doc = client.post(envelope(creds, fn("<getAPISession/>"), session="STALE"))
    auth = doc.find("operation/authentication")
    assert [(c.tag, c.text or "") for c in auth] == [("status", "failure"), ("userid", ""), ("companyid", "")]
    assert errors(doc.find("operation")) == [("XL03000006", "", "Invalid session", "")]


def test_tv17_demo_company_expired(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    sb, creds, client = env
    sb.control.set_company(creds["company_id"], expired=True)
    doc = client.post(envelope(creds, fn("<getAPISession/>")))
    assert [(c.tag, c.text or "") for c in doc.find("control")] == [
        ("status", "failure"),
        ("senderid", ""),
        ("controlid", ""),
        ("uniqueid", "false"),
        ("dtdversion", "3.0"),
    ]
    assert errors(doc) == [("PL04000055", "", "This company is a demo company and has expired.", "")]


def test_tv18_permission_denied(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    sb, creds, client = env
    sb.control.create_role(creds["company_id"], "No AR", {"CUSTOMER": "LV"})
    sb.control.set_user(creds["company_id"], creds["user_id"], roles=["No AR"])
    result = client.one(creds, "<readByQuery><object>ARINVOICE</object><query/></readByQuery>", "q1")
    _result_head(result, "failure", "readByQuery", "q1")
    assert errors(result) == [
        (
            "PL04000005",
            "",
            "You do not have permission for API operation READ_BY_QUERY on objects of type arinvoice",
            "",
        )
    ]


def test_tv19_unknown_object(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    sb, creds, client = env
    result = client.one(creds, "<readByQuery><object>BADOBJECT</object><query/></readByQuery>", "q1")
    _result_head(result, "failure", "readByQuery", "q1")
    # as the SDKs' captures show it by default (readByQuery "Query Failed", read "XXX"); the company
    # switch makes every read answer one variant
    assert errors(result) == [("Query Failed", "", "Object definition BADOBJECT not found", "")]
    read = client.one(creds, "<read><object>BADOBJECT</object><keys>1</keys></read>", "r1")
    assert errors(read) == [("XXX", "", "Object definition BADOBJECT not found", "")]
    sb.control.set_error_variant(creds["company_id"], unknown_object="XXX")
    result = client.one(creds, "<readByQuery><object>BADOBJECT</object><query/></readByQuery>", "q2")
    assert errors(result)[0][0] == "XXX"
    sb.control.set_error_variant(creds["company_id"], unknown_object="Query Failed")
    read = client.one(creds, "<read><object>BADOBJECT</object><keys>1</keys></read>", "r2")
    assert errors(read)[0][0] == "Query Failed"


def test_tv20_delete_missing_record(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    _sb, creds, client = env
    result = client.one(creds, "<delete><object>CUSTOMER</object><keys>99999</keys></delete>", "d1")
    _result_head(result, "failure", "delete", "d1")
    assert errors(result) == [("BL01001973", "", "Cannot find customer with key '99999' to delete.", "")]


def test_tv21_duplicate_on_create(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    _sb, creds, client = env
    create = "<create><CLASS><CLASSID>UT01</CLASSID><NAME>A</NAME></CLASS></create>"
    assert client.one(creds, create).findtext("status") == "success"
    result = client.one(creds, create, "c1")
    _result_head(result, "failure", "create", "c1")
    data = result.find("data")
    assert data is not None and data.attrib == {"listtype": "objects", "count": "0"} and len(data) == 0
    assert errors(result) == [
        (
            "BL34000061",
            "",
            "Another Class with the given value(s) UT01  already exists",
            "Use a unique value instead.",
        ),
        ("BL01001973", "", "Could not create class record!", ""),
    ]


def test_tv22_transaction_rollback(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    sb, creds, client = env
    client.one(creds, "<create><CLASS><CLASSID>UT01</CLASSID><NAME>A</NAME></CLASS></create>")
    count = sb.control.count(creds["company_id"], "CLASS")
    content = fn("<create><CLASS><CLASSID>UT05</CLASSID><NAME>A</NAME></CLASS></create>", "f1") + fn(
        "<create><CLASS><CLASSID>UT01</CLASSID><NAME>A</NAME></CLASS></create>", "f2"
    )
    f1, f2 = client.results(envelope(creds, content, transaction=True))
    _result_head(f1, "aborted", "create", "f1")
    assert errors(f1) == [ROLLED_BACK]
    _result_head(f2, "failure", "create", "f2")
    assert [e[0] for e in errors(f2)] == ["BL34000061", "BL01001973", "XL03000009"] and errors(f2)[
        -1
    ] == ROLLED_BACK
    assert sb.control.count(creds["company_id"], "CLASS") == count


def test_tv23_transaction_false_partial_success(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    sb, creds, client = env
    client.one(creds, "<create><CLASS><CLASSID>UT01</CLASSID><NAME>A</NAME></CLASS></create>")
    count = sb.control.count(creds["company_id"], "CLASS")
    content = fn("<create><CLASS><CLASSID>UT05</CLASSID><NAME>A</NAME></CLASS></create>", "f1") + fn(
        "<create><CLASS><CLASSID>UT01</CLASSID><NAME>A</NAME></CLASS></create>", "f2"
    )
    f1, f2 = client.results(envelope(creds, content))
    _result_head(f1, "success", "create", "f1")
    assert f1.find("data/class") is not None
    _result_head(f2, "failure", "create", "f2")
    assert "XL03000009" not in [e[0] for e in errors(f2)]
    assert sb.control.count(creds["company_id"], "CLASS") == count + 1


def test_tv24_rate_limited(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    sb, creds, client = env
    sb.control.fault("rate-limit")
    response = client.raw(envelope(creds, fn("<getAPISession/>")))
    assert response.status_code == 429
    assert response.headers["content-type"] == 'text/xml; encoding="UTF-8"'
    doc = etree.fromstring(response.content)
    assert [(c.tag, c.text) for c in doc.find("control")] == [("status", "failure")]
    (error,) = doc.findall("errormessage/error")
    assert [c.tag for c in error] == ["errorno", "description"]
    assert error.findtext("errorno") == "GW-0010"
    assert error.findtext("description").startswith("Rate limit exceeded [Request ID: ")


def test_tv25_unknown_transport_policy(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    _sb, creds, client = env
    doc = client.post(envelope(creds, fn("<getAPISession/>"), policy="myAsyncPolicy"))
    assert doc.findtext("control/status") == "failure" and doc.find("operation") is None
    assert errors(doc) == [("XL03000006", "", "myAsyncPolicy is not a valid transport policy.", "")]


def test_tv25_acknowledgement_for_a_known_policy(env: tuple[Sandbox, dict[str, Any], Client]) -> None:
    sb, creds, client = env
    # delivery itself is tested in test_gateway_async.py; port 9 (discard) is closed on loopback
    sb.control.register_policy("myAsyncPolicy", "http://127.0.0.1:9/results")
    doc = client.post(envelope(creds, fn("<getAPISession/>"), policy="myAsyncPolicy"))
    assert [c.tag for c in doc] == ["acknowledgement", "control"]
    assert [(c.tag, c.text) for c in doc.find("acknowledgement")] == [("status", "success")]
    _ctrl_ok(doc, creds)
