"""The vectors of docs/intacct/protocol.md §13: each parsed into the right result, or mapped to the right
error."""

from __future__ import annotations

import re

import httpx
import intacct_vectors as tv
import pytest

import intacct
from intacct import _errors
from intacct._parse import parse_response


def test_tv01_get_api_session():
    resp = parse_response(tv.TV01)
    assert resp.control.status == "success" and resp.control.controlid == "R1"
    assert resp.authentication.status == "success"
    assert resp.authentication.sessiontimeout == "2024-05-02T10:00:00+00:00"
    (res,) = resp.results
    assert (res.status, res.function, res.controlid) == ("success", "getAPISession", "f1")
    assert res.records == [
        {"sessionid": "SID..", "endpoint": "https://emu.intacct.com/ia/xml/xmlgw.phtml", "locationid": None}
    ]


def test_tv02_entity_session():
    resp = parse_response(tv.TV02)
    assert resp.authentication.locationid == "E100"
    assert resp.results[0].records[0]["locationid"] == "E100"


def test_tv03_read_by_query_first_page():
    (res,) = parse_response(tv.TV03).results
    assert res.data_attrs == {
        "listtype": "vendor",
        "count": "2",
        "totalcount": "3",
        "numremaining": "1",
        "resultId": "RID123",
    }
    assert res.records == [
        {"RECORDNO": "1", "VENDORID": "V1", "STATUS": "active"},
        {"RECORDNO": "2", "VENDORID": "V2", "STATUS": "active"},
    ]


def test_tv04_read_more_last_page():
    (res,) = parse_response(tv.TV04).results
    assert res.data_attrs["numremaining"] == "0" and res.data_attrs["resultId"] == ""
    assert [r["RECORDNO"] for r in res.records] == ["3"]


def test_tv05_read_is_nested_and_empty_is_none():
    (res,) = parse_response(tv.TV05).results
    assert res.records == [
        {
            "RECORDNO": "149",
            "CUSTOMERID": "10074",
            "STATUS": "active",
            "DISPLAYCONTACT": {"MAILADDRESS": {"CITY": "Austin"}},
            "PARENTID": None,
        }
    ]


def test_tv06_query_page():
    (res,) = parse_response(tv.TV06).results
    assert res.data_attrs["offset"] == "0" and res.data_attrs["totalcount"] == "2"
    assert [r["RECORDNO"] for r in res.records] == ["208", "227"]


@pytest.mark.parametrize(
    ("body", "function", "records"),
    [
        (tv.TV07, "create", [{"RECORDNO": "501", "CUSTOMERID": "C100"}]),
        (tv.TV08, "create", [{"RECORDNO": "5", "CLASSID": "UT01"}, {"RECORDNO": "6", "CLASSID": "UT02"}]),
        (tv.TV09, "update", [{"RECORDNO": "501", "CUSTOMERID": "C100"}]),
    ],
)
def test_tv07_to_09_write_results(body, function, records):
    (res,) = parse_response(body).results
    assert res.ok and res.function == function and res.records == records
    assert res.data_attrs["listtype"] == "objects"


def test_tv10_delete_has_no_data():
    (res,) = parse_response(tv.TV10).results
    assert res.ok and not res.has_data and res.records == []


def test_tv11_legacy_key():
    (res,) = parse_response(tv.TV11).results
    assert res.key == "C1234" and res.function == "create_class"


@pytest.mark.parametrize(
    ("body", "cls"),
    [
        (tv.TV12, intacct.RequestRejected),
        (tv.TV13, intacct.SenderCredentialsInvalid),
        (tv.TV17, intacct.CompanyUnavailable),
        (tv.TV24, intacct.RateLimited),
    ],
)
def test_control_failures(body, cls):
    resp = parse_response(body)
    assert resp.control.status == "failure" and resp.authentication is None and not resp.results
    assert _errors.classify("control", resp.control_errors) is cls


@pytest.mark.parametrize(
    ("body", "cls"),
    [
        (tv.TV14, intacct.SenderNotAuthorized),
        (tv.TV15, intacct.UserCredentialsInvalid),
        (tv.TV16, intacct.SessionInvalid),
    ],
)
def test_authentication_failures(body, cls):
    resp = parse_response(body)
    assert resp.control.status == "success" and resp.authentication.status == "failure"
    assert not resp.results
    assert _errors.classify("authentication", resp.auth_errors) is cls


@pytest.mark.parametrize(
    ("body", "cls", "errorno"),
    [
        (tv.TV18, intacct.PermissionDenied, "PL04000005"),
        (tv.TV19, intacct.QueryFailed, "Query Failed"),
        (tv.TV20, intacct.NotFound, "BL01001973"),
        (tv.TV21, intacct.AlreadyExists, "BL34000061"),
    ],
)
def test_result_failures(body, cls, errorno):
    (res,) = parse_response(body).results
    err = _errors.error_for("result", res.errors, controlid=res.controlid, object="X")
    assert type(err) is cls
    assert err.errorno == errorno and err.controlid == res.controlid and err.object == "X"
    assert isinstance(err, intacct.FunctionError)


def test_tv21_keeps_every_error_and_the_correction():
    (res,) = parse_response(tv.TV21).results
    err = _errors.error_for("result", res.errors)
    assert [e.errorno for e in err.errors] == ["BL34000061", "BL01001973"]
    assert err.correction == "Use a unique value instead."
    assert "UT01" in err.description2


def test_tv22_transaction_rollback():
    f1, f2 = parse_response(tv.TV22).results
    assert f1.status == "aborted"
    assert type(_errors.error_for("result", f1.errors, aborted=True)) is intacct.RolledBack
    # The failing function names its cause, not the follow-up rollback error.
    assert type(_errors.error_for("result", f2.errors)) is intacct.AlreadyExists


def test_tv23_partial_success():
    f1, f2 = parse_response(tv.TV23).results
    assert f1.ok and f1.records[0]["CLASSID"] == "UT02"
    assert not f2.ok and all(e.errorno != "XL03000009" for e in f2.errors)


def test_tv25_acknowledgement():
    resp = parse_response(tv.TV25)
    assert resp.acknowledgement == "success" and resp.authentication is None


def test_support_id_is_decoded():
    body = tv.ok_response(
        tv.result(
            "failure",
            "create",
            "c1",
            "<errormessage>"
            + tv.err("BL01001973", "", "Could not create vendor record! [Support ID: AbC%7EXyZ1]")
            + "</errormessage>",
        )
    )
    (res,) = parse_response(body).results
    err = _errors.error_for("result", res.errors)
    assert err.support_id == "AbC~XyZ1"


# -- the same vectors through the whole client, served by an httpx.MockTransport ---------------------

CREDS = intacct.Credentials("S", "sender-secret", "C", "U", "user-secret")
XML = {"content-type": 'text/xml; encoding="UTF-8"'}


def echo(request: bytes, body: bytes) -> bytes:
    """The vector with result controlids replaced by the request's, in order (as a gateway echoes them)."""
    ids = iter(re.findall(rb'<function controlid="([^"]+)"', request))
    return re.sub(
        rb"(<result><status>\w+</status><function>\w+</function><controlid>)[^<]*",
        lambda m: m.group(1) + next(ids, b"?"),
        body,
    )


def serve(*bodies: bytes, status: int = 200):
    """A fake gateway answering TV01 to the login, then ``bodies`` in turn."""
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        if b"<getAPISession" in request.content:
            return httpx.Response(200, content=echo(request.content, tv.TV01), headers=XML)
        body = bodies[min(len(seen) - 2, len(bodies) - 1)]
        return httpx.Response(status, content=echo(request.content, body), headers=XML)

    client = intacct.Client(
        CREDS,
        endpoint="https://api.intacct.com/ia/xml/xmlgw.phtml",
        http=httpx.Client(transport=httpx.MockTransport(handler)),
        retry=intacct.RetryPolicy(max_retries=2, sleep=lambda s: None),
    )
    return client, seen


@pytest.mark.parametrize(
    ("body", "cls"),
    [
        (tv.TV12, intacct.RequestRejected),
        (tv.TV13, intacct.SenderCredentialsInvalid),
        (tv.TV14, intacct.SenderNotAuthorized),
        (tv.TV15, intacct.UserCredentialsInvalid),
        (tv.TV17, intacct.CompanyUnavailable),
        (tv.TV18, intacct.PermissionDenied),
        (tv.TV19, intacct.QueryFailed),
    ],
)
def test_client_raises_the_mapped_error(body, cls):
    client, _ = serve(body)
    with pytest.raises(cls) as info:
        list(client.read_by_query("VENDOR", None, ""))
    assert info.value.errorno


def test_client_session_goes_to_returned_endpoint():
    urls = []

    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        body = tv.TV01 if b"<getAPISession" in request.content else tv.TV05
        return httpx.Response(200, content=echo(request.content, body), headers={"content-type": "text/xml"})

    client = intacct.Client(CREDS, http=httpx.Client(transport=httpx.MockTransport(handler)))
    assert client.read("CUSTOMER", [149])[0]["DISPLAYCONTACT"]["MAILADDRESS"]["CITY"] == "Austin"
    assert urls == [
        "https://api.intacct.com/ia/xml/xmlgw.phtml",
        "https://emu.intacct.com/ia/xml/xmlgw.phtml",
    ]
    info = client.session()
    assert info.expires_at is not None and info.expires_at.year == 2024
    assert "SID.." not in repr(info)


def test_client_renews_an_invalid_session_once():
    client, seen = serve(tv.TV16, tv.TV05)
    assert client.read("CUSTOMER", [149])[0]["RECORDNO"] == "149"
    assert sum(b"<getAPISession" in b for b in seen) == 2


def test_client_gives_up_after_one_renewal():
    client, seen = serve(tv.TV16)
    with pytest.raises(intacct.SessionInvalid):
        client.read("CUSTOMER", [149])
    assert sum(b"<getAPISession" in b for b in seen) == 2


def test_rate_limit_429_is_retried_then_raised():
    client, seen = serve(tv.TV24, status=429)
    with pytest.raises(intacct.RateLimited) as info:
        client.read("CUSTOMER", [1])
    assert info.value.errorno == "GW-0010" and info.value.http_status == 429
    assert len(seen) == 1 + 3  # login + first try + 2 retries


def test_rollback_results_in_a_batch():
    client, _ = serve(tv.TV22)
    with client.batch(transaction=True) as b:
        h1 = b.create("CLASS", {"CLASSID": "UT02"}, controlid="f1")
        h2 = b.create("CLASS", {"CLASSID": "UT01"}, controlid="f2")
    assert isinstance(h1.result.error, intacct.RolledBack)
    assert isinstance(h2.result.error, intacct.AlreadyExists)


@pytest.mark.parametrize(
    ("errors", "cls"),
    [
        ([tv.err("BL01001973", "Smart rule violation", "Credit limit too high")], intacct.SmartRuleRejected),
        ([tv.err("XL03000008", "", "controlid v-1 has already been executed")], intacct.AlreadyExecuted),
        ([tv.err("BL01001973", "", "Cannot update non-existing CLASS with CLASSID=UT99.")], intacct.NotFound),
        ([tv.err("BL01001973", "", "Invalid Project '10064' specified.")], intacct.ValidationFailed),
        ([tv.err("Query Failed", "", "Invalid resultId R1: it has expired")], intacct.QueryFailed),
    ],
)
def test_more_result_texts(errors, cls):
    body = tv.ok_response(
        tv.result("failure", "create", "c1", "<errormessage>" + "".join(errors) + "</errormessage>")
    )
    (res,) = parse_response(body).results
    assert type(_errors.error_for("result", res.errors)) is cls


def test_whitespace_values_survive_and_pretty_printing_is_ignored():
    flat = tv.ok_response(
        tv.result("success", "query", "q", '<data listtype="X" count="1"><X><NAME> </NAME><A/></X></data>')
    )
    assert parse_response(flat).results[0].records == [{"NAME": " ", "A": None}]
    pretty = tv.ok_response(
        tv.result(
            "success",
            "read",
            "q",
            '<data listtype="X" count="1">\n  <X>\n    <NAME> </NAME>\n    <C>\n      <CITY>x</CITY>\n'
            "    </C>\n    <L>1</L>\n    <L>2</L>\n  </X>\n</data>",
        )
    )
    assert parse_response(pretty).results[0].records == [{"NAME": " ", "C": {"CITY": "x"}, "L": ["1", "2"]}]
