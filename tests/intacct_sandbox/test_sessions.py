"""getAPISession, session authentication, entity sessions, sliding timeout, invalid and expired sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gateway_helpers import Client, envelope, errors, fn, seeded
from lxml import etree

READ = (
    "<readByQuery><object>CUSTOMER</object><fields>CUSTOMERID</fields><query/>"
    "<pagesize>1</pagesize></readByQuery>"
)
T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def test_get_api_session_answer_and_endpoint_from_host() -> None:
    sb, creds, _ = seeded()
    client = Client(sb, base_url="http://127.0.0.1:4567")
    result = client.one(creds, "<getAPISession/>")
    api = result.find("data/api")
    assert [c.tag for c in api] == ["sessionid", "endpoint", "locationid"]
    assert api.findtext("endpoint") == "http://127.0.0.1:4567/ia/xml/xmlgw.phtml"
    assert api.findtext("locationid") == ""
    assert api.findtext("sessionid").endswith("..")
    doc = client.post(envelope(creds, fn(READ), session=api.findtext("sessionid")))
    auth = doc.find("operation/authentication")
    assert [c.tag for c in auth] == [
        "status",
        "userid",
        "companyid",
        "locationid",
        "sessiontimestamp",
        "sessiontimeout",
    ]
    assert auth.findtext("userid") == creds["user_id"] and auth.findtext("companyid") == creds["company_id"]
    assert doc.findtext("operation/result/status") == "success"


def test_entity_session_and_back_to_top_level() -> None:
    _sb, creds, client = seeded()
    sid = client.session(creds, "E100")
    doc = client.post(envelope(creds, fn(READ), session=sid))
    assert doc.findtext("operation/authentication/locationid") == "E100"
    back = client.post(envelope(creds, fn("<getAPISession><locationid/></getAPISession>"), session=sid))
    assert back.findtext("operation/result/data/api/locationid") == ""
    unknown = client.one(creds, "<getAPISession><locationid>E999</locationid></getAPISession>")
    assert unknown.findtext("status") == "failure" and "E999" in errors(unknown)[0][2]


def test_login_with_location_id() -> None:
    _sb, creds, client = seeded()
    doc = client.post(envelope(creds, fn("<getAPISession/>"), location="E200"))
    assert doc.findtext("operation/authentication/locationid") == "E200"
    assert doc.findtext("operation/result/data/api/locationid") == "E200"


def test_invalid_session_is_an_authentication_failure() -> None:
    _sb, creds, client = seeded()
    doc = client.post(envelope(creds, fn(READ), session="STALE"))
    assert doc.findtext("control/status") == "success"
    auth = doc.find("operation/authentication")
    assert [c.tag for c in auth] == ["status", "userid", "companyid"]
    assert auth.findtext("status") == "failure"
    assert errors(doc.find("operation")) == [("XL03000006", "", "Invalid session", "")]
    assert doc.find("operation/result") is None


def test_session_timeout_slides_and_expires_by_the_sandbox_clock() -> None:
    sb, creds, client = seeded()
    sb.set_clock(T0)
    sb.control.set_company(creds["company_id"], session_minutes=60)
    sid = client.session(creds)
    sb.advance_clock(50 * 60)
    doc = client.post(envelope(creds, fn(READ), session=sid))
    timeout = datetime.fromisoformat(doc.findtext("operation/authentication/sessiontimeout"))
    stamp = datetime.fromisoformat(doc.findtext("operation/authentication/sessiontimestamp"))
    assert timeout - stamp == timedelta(minutes=60)
    assert stamp == T0 + timedelta(minutes=50)
    assert stamp.utcoffset() == timedelta(hours=-7)  # the demo user is on Los Angeles time (PDT in May)
    sb.advance_clock(50 * 60)  # 100 minutes after creation, 50 after the last use: still alive
    assert (
        client.post(envelope(creds, fn(READ), session=sid)).findtext("operation/authentication/status")
        == "success"
    )
    sb.advance_clock(61 * 60)
    expired = client.post(envelope(creds, fn(READ), session=sid))
    assert expired.findtext("operation/authentication/status") == "failure"
    assert errors(expired)[0][2] == "Invalid session"


def test_session_is_refused_when_the_sender_loses_its_authorization() -> None:
    sb, creds, client = seeded()
    sid = client.session(creds)
    sb.control.authorize_sender(creds["company_id"], creds["sender_id"], active=False)
    doc = client.post(envelope(creds, fn(READ), session=sid))
    assert doc.findtext("operation/authentication/status") == "failure"
    assert errors(doc)[0][1] == "Invalid Web Services Authorization"


def test_session_of_a_deactivated_user_is_invalid() -> None:
    sb, creds, client = seeded()
    sid = client.session(creds)
    sb.control.set_user(creds["company_id"], creds["user_id"], status="inactive")
    doc = client.post(envelope(creds, fn(READ), session=sid))
    assert errors(doc)[0][2] == "Invalid session"


def test_session_expiry_fault() -> None:
    sb, creds, client = seeded()
    sid = client.session(creds)
    sb.control.fault("session-expiry")
    doc = client.post(envelope(creds, fn(READ), session=sid))
    assert errors(doc)[0][2] == "Invalid session", etree.tostring(doc)
    sb.control.clear_faults()
    # the expired session stays dead; a new login works
    assert errors(client.post(envelope(creds, fn(READ), session=sid)))[0][2] == "Invalid session"
    assert client.session(creds)


def test_entity_restricted_user() -> None:
    sb, creds, client = seeded()
    company = creds["company_id"]
    sb.control.create_user(company, "e1only", "pw1", roles=["Full Access"], entities=["E100"])
    user = {**creds, "user_id": "e1only", "user_password": "pw1"}
    top = client.post(envelope(user, fn(READ)))
    assert top.findtext("operation/authentication/status") == "failure"
    assert "entity" in errors(top)[0][2]
    other = client.post(envelope(user, fn(READ), location="E200"))
    assert other.findtext("operation/authentication/status") == "failure"
    ok = client.post(envelope(user, fn("<getAPISession/>"), location="E100"))
    assert ok.findtext("operation/result/data/api/locationid") == "E100"
    denied = client.post(envelope(user, fn("<getAPISession><locationid/></getAPISession>"), location="E100"))
    assert denied.findtext("operation/result/status") == "failure"


def test_sweep_forgets_expired_sessions_and_old_controlids() -> None:
    sb, creds, client = seeded()
    sb.set_clock(T0)
    sb.control.set_company(creds["company_id"], session_minutes=60)
    sid = client.session(creds)
    create = fn("<create><CLASS><CLASSID>SW1</CLASSID><NAME>n</NAME></CLASS></create>", "sweep-me")
    assert client.results(envelope(creds, create, uniqueid="true"))[0].findtext("status") == "success"
    assert sb.gateway.sweep() == 0
    sb.advance_clock(2 * 3600)
    assert sb.gateway.sweep() == 1  # the expired session
    assert sb.store.get_meta(f"gw:session:{sid}") is None
    sb.advance_clock(8 * 24 * 3600)
    assert sb.gateway.sweep() == 1  # the controlid is forgotten after a week


def test_session_lifetime_is_the_company_setting_six_hours_by_default() -> None:
    sb, creds, client = seeded()
    sb.set_clock(T0)
    sid = client.session(creds)
    doc = client.post(envelope(creds, fn(READ), session=sid))
    timeout = datetime.fromisoformat(doc.findtext("operation/authentication/sessiontimeout"))
    stamp = datetime.fromisoformat(doc.findtext("operation/authentication/sessiontimestamp"))
    assert timeout - stamp == timedelta(hours=6)
    sb.advance_clock(5 * 3600)  # idle for 5 hours: alive, and the timeout slides
    assert client.post(envelope(creds, fn(READ), session=sid)).findtext(
        "operation/authentication/status"
    ) == ("success")
    sb.control.set_company(creds["company_id"], session_minutes=12 * 60)  # a company set to 12 hours
    sid = client.session(creds)
    sb.advance_clock(11 * 3600)
    assert client.post(envelope(creds, fn(READ), session=sid)).findtext(
        "operation/authentication/status"
    ) == ("success")
    sb.advance_clock(12 * 3600 + 60)
    expired = client.post(envelope(creds, fn(READ), session=sid))
    assert errors(expired)[0][2] == "Invalid session"
