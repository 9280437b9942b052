"""The client against the sandbox (an independent implementation of the protocol), in-process and
over loopback: every public function, every error class, sessions, paging, batching, faults."""

from __future__ import annotations

import threading
import time
from datetime import date

import httpx
import pytest
from client_sandbox_support import credentials, make_client

import intacct
from intacct import F


@pytest.fixture(params=["wsgi", "loopback"])
def mode(request):
    return request.param


@pytest.fixture
def sb(intacct_sandbox):
    return intacct_sandbox


@pytest.fixture
def client(sb, mode):
    with make_client(sb, mode) as c:
        yield c


def company(sb) -> str:
    return sb.credentials["company_id"]


def vendor(i: int | str, **extra) -> tuple[str, dict]:
    return ("VENDOR", {"VENDORID": f"VT{i}", "NAME": f"Test vendor {i}", **extra})


# -- sessions --------------------------------------------------------------------------------------


def test_session_top_level_and_entity(sb, mode):
    with make_client(sb, mode) as c:
        info = c.session()
        assert info.session_id and info.endpoint.endswith("/ia/xml/xmlgw.phtml")
        assert info.company_id == company(sb) and info.location_id is None
    entity = sb.credentials["entity_ids"][0]
    with make_client(sb, mode, credentials=credentials(sb, entity_id=entity)) as c:
        assert c.session().location_id == entity


def test_expired_session_is_renewed_and_resent(sb, client):
    client.count("CUSTOMER")
    logins = client._sessions.logins
    sb.control.advance_clock(7 * 24 * 3600)  # far past any session timeout
    assert client.count("CUSTOMER") == sb.control.count(company(sb), "CUSTOMER")
    assert client._sessions.logins == logins + 1


def test_session_renewed_only_once(sb, client):
    client.count("CUSTOMER")
    logins = client._sessions.logins
    sb.control.fault("session-expiry", rate=1.0, company_id=company(sb))
    try:
        with pytest.raises(intacct.SessionInvalid):
            client.count("CUSTOMER")
    finally:
        sb.control.clear_faults()
    assert client._sessions.logins == logins + 1


# -- reads -------------------------------------------------------------------------------------------


def test_query_streams_every_record(sb, client):
    recs = list(client.query("CUSTOMER", ["RECORDNO", "CUSTOMERID", "NAME"], page_size=7))
    assert len(recs) == sb.control.count(company(sb), "CUSTOMER") == client.count("CUSTOMER")
    assert len({r["RECORDNO"] for r in recs}) == len(recs)
    assert [int(r["RECORDNO"]) for r in recs] == sorted(int(r["RECORDNO"]) for r in recs)
    assert set(recs[0]) == {"RECORDNO", "CUSTOMERID", "NAME"}


def test_query_where_order_and_sequential(sb, client):
    names = sorted(r["NAME"] for r in sb.control.records(company(sb), "CUSTOMER"))
    got = [
        r["NAME"]
        for r in client.query("CUSTOMER", ["NAME"], order_by=["NAME"], page_size=5, concurrent=False)
    ]
    assert got == names
    first = sb.control.records(company(sb), "CUSTOMER")[0]
    hits = list(client.query("CUSTOMER", ["CUSTOMERID"], where=F("CUSTOMERID") == first["CUSTOMERID"]))
    assert hits == [{"CUSTOMERID": first["CUSTOMERID"]}]
    assert client.count("CUSTOMER", F("CUSTOMERID") == first["CUSTOMERID"]) == 1


@pytest.mark.parametrize("page_size", [1, 5, 10, 2000])
def test_query_paging_edges(sb, client, page_size):
    total = sb.control.count(company(sb), "CUSTOMER")
    recs = list(client.query("CUSTOMER", ["RECORDNO"], page_size=page_size))
    assert len(recs) == total
    assert list(client.query("CUSTOMER", ["RECORDNO"], where=F("CUSTOMERID") == "no such id")) == []


def test_exact_multiple_of_page_size(sb, client):
    total = sb.control.count(company(sb), "CUSTOMER")
    sizes = [d for d in (5, 7, 10, 25) if total % d == 0]
    assert sizes, total
    for size in sizes:
        assert len(list(client.query("CUSTOMER", ["RECORDNO"], page_size=size))) == total
        assert len(list(client.read_by_query("CUSTOMER", ["RECORDNO"], "", page_size=size))) == total


def test_read_by_query_and_read_more(sb, client):
    total = sb.control.count(company(sb), "CUSTOMER")
    recs = list(client.read_by_query("CUSTOMER", ["RECORDNO", "CUSTOMERID", "STATUS"], "", page_size=3))
    assert len(recs) == total and {r["STATUS"] for r in recs} <= {"active", "inactive"}
    active = list(client.query("CUSTOMER", ["RECORDNO"], where="STATUS = 'T'"))
    assert (
        len(active)
        == client.count("CUSTOMER", "STATUS = 'T'")
        == client.count("CUSTOMER", F("STATUS").eq(True))
    )
    assert list(client.read_by_query("CUSTOMER", None, "CUSTOMERID = 'nobody'")) == []


def test_expired_result_id_is_query_failed(sb, client):
    it = client.read_by_query("CUSTOMER", ["RECORDNO"], "", page_size=2)
    next(it), next(it)
    sb.control.advance_clock(24 * 3600)
    with pytest.raises(intacct.QueryFailed) as info:
        list(it)
    assert info.value.controlid and info.value.object == "CUSTOMER"


def test_read_and_read_by_name(sb, client):
    row = sb.control.records(company(sb), "CUSTOMER")[0]
    (by_key,) = client.read("CUSTOMER", [row["RECORDNO"]])
    (by_name,) = client.read_by_name("CUSTOMER", [row["CUSTOMERID"]])
    assert by_key["CUSTOMERID"] == by_name["CUSTOMERID"] == row["CUSTOMERID"]
    assert isinstance(by_key["DISPLAYCONTACT"], dict)
    assert client.read("CUSTOMER", [row["RECORDNO"]], fields=["RECORDNO", "NAME"]) == [
        {"RECORDNO": str(row["RECORDNO"]), "NAME": row["NAME"]}
    ]


def test_inspect_and_lookup(client):
    assert client.lookup("VENDOR")
    assert client.inspect("VENDOR")


def test_typed_conversions_on_real_records(client):
    recs = list(
        client.query(
            "CUSTOMER", ["RECORDNO", "STATUS", "WHENMODIFIED"], where=F("WHENMODIFIED").is_not_null()
        )
    )
    rec = recs[0]
    assert intacct.to_status(rec["STATUS"]) in (True, False)
    assert intacct.to_datetime(rec["WHENMODIFIED"]).year >= 2000
    assert intacct.to_int(rec["RECORDNO"]) > 0


# -- writes and batches -------------------------------------------------------------------------------


def test_create_update_delete_round_trip(sb, client):
    before = sb.control.count(company(sb), "VENDOR")
    created = client.create([vendor(1), vendor(2, ONHOLD=True, CREDITLIMIT="1000.50")])
    assert [r.ok for r in created] == [True, True] and all(r.record_no for r in created)
    assert sb.control.count(company(sb), "VENDOR") == before + 2
    (upd,) = client.update([("VENDOR", {"VENDORID": "VT1", "NAME": "Renamed"})])
    assert upd.ok
    assert client.read_by_name("VENDOR", ["VT1"])[0]["NAME"] == "Renamed"
    deleted = client.delete("VENDOR", [r.record_no for r in created])
    assert [d.ok for d in deleted] == [True, True]
    assert sb.control.count(company(sb), "VENDOR") == before


def test_many_creates_are_batched(sb, mode):
    with make_client(sb, mode, batch_size=40) as c:
        sent = c.requests_sent
        res = c.create([vendor(i) for i in range(100)])
        assert all(r.ok for r in res) and [r.controlid for r in res] == [r.controlid for r in res]
        assert c.requests_sent - sent == 3 + 1  # three batches plus the login
    ids = {r["VENDORID"] for r in sb.control.records(company(sb), "VENDOR")}
    assert {f"VT{i}" for i in range(100)} <= ids


def test_batch_handles_results_in_order(sb, client):
    with client.batch() as b:
        ok = b.create(*vendor("B1"), controlid="v-B1")
        dup = b.create(*vendor("B1"), controlid="v-B1-again")
        gone = b.delete("VENDOR", [999999])
        rd = b.read("CUSTOMER", [sb.control.records(company(sb), "CUSTOMER")[0]["RECORDNO"]])
    assert ok.result.ok and ok.result.controlid == "v-B1"
    assert isinstance(dup.result.error, intacct.AlreadyExists)
    assert isinstance(gone.result.error, intacct.NotFound)
    assert rd.result.ok and rd.result.record


def test_transaction_rolls_back_everything(sb, client):
    client.create([vendor("T0")])
    before = sb.control.count(company(sb), "VENDOR")
    with client.batch(transaction=True) as b:
        a = b.create(*vendor("T1"))
        d = b.create(*vendor("T0"))
    assert isinstance(d.result.error, intacct.AlreadyExists)
    assert isinstance(a.result.error, intacct.RolledBack)
    assert sb.control.count(company(sb), "VENDOR") == before


def test_legacy_call(sb, client):
    res = client.call("create_class", {"classid": "UTX1", "name": "Legacy class"}, controlid="cls-1")
    assert res.key == "UTX1"


# -- every error class -----------------------------------------------------------------------------------


def expect_setup(sb, mode, cls, **overrides):
    with make_client(sb, mode, credentials=credentials(sb, **overrides)) as c, pytest.raises(cls) as info:
        c.count("CUSTOMER")
    assert info.value.errorno
    return info.value


def test_sender_credentials_invalid(sb, mode):
    expect_setup(sb, mode, intacct.SenderCredentialsInvalid, sender_password="wrong")


def test_sender_not_authorized(sb, mode):
    sb.control.register_sender("OTHERSENDER", "other-pw")
    err = expect_setup(
        sb, mode, intacct.SenderNotAuthorized, sender_id="OTHERSENDER", sender_password="other-pw"
    )
    assert err.correction


def test_web_services_not_subscribed(sb, mode):
    sb.control.set_web_services(company(sb), False)
    expect_setup(sb, mode, intacct.WebServicesNotSubscribed)


def test_user_credentials_invalid(sb, mode):
    expect_setup(sb, mode, intacct.UserCredentialsInvalid, user_password="wrong")


def test_user_inactive(sb, mode):
    # The sandbox answers an inactive user with the sign-in text: the two may be indistinguishable.
    sb.control.set_user(company(sb), sb.credentials["user_id"], status="inactive")
    expect_setup(sb, mode, (intacct.UserInactive, intacct.UserCredentialsInvalid))


def test_entity_access_denied(sb, mode):
    e1, e2 = sb.credentials["entity_ids"][:2]
    sb.control.create_user(company(sb), "ENTUSER", "Ent-pw-1", roles=(), entities=[e1])
    expect_setup(
        sb, mode, intacct.EntityAccessDenied, user_id="ENTUSER", user_password="Ent-pw-1", entity_id=e2
    )


def test_permission_denied(sb, mode):
    sb.control.create_role(company(sb), "ListOnly", {"CUSTOMER": "L"})
    sb.control.create_user(company(sb), "LISTER", "Lister-pw-1", roles=["ListOnly"])
    with make_client(
        sb, mode, credentials=credentials(sb, user_id="LISTER", user_password="Lister-pw-1")
    ) as c:
        (res,) = c.create([("CUSTOMER", {"CUSTOMERID": "PD1", "NAME": "x"})])
        with pytest.raises(intacct.PermissionDenied):
            c.read_by_query("VENDOR", ["RECORDNO"], "").__next__()
    assert isinstance(res.error, intacct.PermissionDenied) and res.error.object == "CUSTOMER"


def test_validation_failed(client):
    (res,) = client.create([("VENDOR", {"VENDORID": "NONAME"})])
    assert isinstance(res.error, intacct.ValidationFailed)
    assert res.error.description2 or res.error.description


def test_smart_rule_rejection_reaches_the_caller(sb, client):
    # Intacct reports a smart rule as a plain business error whose text is the rule's own message
    # (no public sample has a distinguishing code); the text is kept for the caller.
    sb.control.add_smart_rule(
        company(sb), "VENDOR", "add", "CREDITLIMIT > 10000", "Credit limit too high", rule_id="VENDOR_LIMIT"
    )
    (res,) = client.create([vendor("SR", CREDITLIMIT=20000)])
    assert isinstance(res.error, intacct.SmartRuleRejected)
    assert "Smart rule VENDOR_LIMIT was violated" in res.error.message
    assert "Credit limit too high" in res.error.message
    assert "VTSR" not in [r["VENDORID"] for r in sb.control.records(company(sb), "VENDOR")]


def test_query_failed(client):
    with pytest.raises(intacct.QueryFailed):
        list(client.query("BADOBJECT", ["RECORDNO"]))


def test_already_executed_on_replayed_controlid(sb, client):
    (first,) = client.create([(*vendor("AE"), "vendor-AE")])
    assert first.ok
    (again,) = client.create([(*vendor("AE2"), "vendor-AE")])
    assert isinstance(again.error, intacct.AlreadyExecuted)
    ids = [r["VENDORID"] for r in sb.control.records(company(sb), "VENDOR")]
    assert "VTAE2" not in ids and ids.count("VTAE") == 1


# -- faults: retries, unknown outcomes, concurrency -------------------------------------------------------


@pytest.mark.parametrize("kind", ["http-502", "http-503", "http-504", "rate-limit"])
def test_transient_faults_are_retried(sb, client, kind):
    client.session()
    sb.control.fault(kind, rate=0.5, seed=3, company_id=company(sb))
    try:
        # pages one after another: the seeded faults then meet the requests in one fixed order, so
        # the test is deterministic (fetched concurrently, the threads' timing decides which request
        # draws which fault, and now and then one request drew four in a row and spent its retries)
        total = len(list(client.query("CUSTOMER", ["RECORDNO"], page_size=5, concurrent=False)))
        res = client.create(
            [
                vendor(
                    f"R{i}",
                )
                for i in range(10)
            ]
        )
    finally:
        sb.control.clear_faults()
    assert total == sb.control.count(company(sb), "CUSTOMER")
    assert all(r.ok or isinstance(r.error, intacct.AlreadyExecuted) for r in res)
    ids = [r["VENDORID"] for r in sb.control.records(company(sb), "VENDOR")]
    assert all(ids.count(f"VTR{i}") == 1 for i in range(10))


@pytest.mark.parametrize(
    ("kind", "cls"), [("http-503", intacct.ServerError), ("rate-limit", intacct.RateLimited)]
)
def test_persistent_faults_raise_after_the_budget(sb, client, kind, cls):
    client.session()
    sb.control.fault(kind, rate=1.0, company_id=company(sb))
    try:
        with pytest.raises(cls):
            client.count("CUSTOMER")
    finally:
        sb.control.clear_faults()


@pytest.mark.parametrize("kind", ["truncated", "malformed"])
def test_broken_bodies_are_protocol_errors_for_reads(sb, client, kind):
    client.session()
    sb.control.fault(kind, rate=1.0, company_id=company(sb))
    try:
        with pytest.raises(intacct.ProtocolError):
            client.count("CUSTOMER")
    finally:
        sb.control.clear_faults()


def test_524_is_outcome_unknown_for_writes(sb, client):
    client.session()
    sb.control.fault("http-524", rate=1.0, company_id=company(sb))
    try:
        (res,) = client.create([(*vendor("U1"), "vendor-U1")])
    finally:
        sb.control.clear_faults()
    assert isinstance(res.error, intacct.OutcomeUnknown) and res.error.controlids == ("vendor-U1",)


def test_reset_after_commit_never_duplicates(sb):
    # Over loopback only: in-process, the sandbox signals a reset by raising out of the WSGI app.
    client = make_client(sb, "loopback")
    client.session()
    sb.control.fault("reset-after-commit", rate=1.0, company_id=company(sb))
    try:
        (res,) = client.create([(*vendor("RC"), "vendor-RC")])
    finally:
        sb.control.clear_faults()
    assert isinstance(res.error, intacct.OutcomeUnknown) and res.error.controlids == ("vendor-RC",)
    # Reconciling by re-sending the same controlid cannot apply it twice.
    (again,) = client.create([(*vendor("RC"), "vendor-RC")])
    assert isinstance(again.error, intacct.AlreadyExecuted)
    assert [r["VENDORID"] for r in sb.control.records(company(sb), "VENDOR")].count("VTRC") == 1


def test_reset_before_commit_then_resend_applies_once(sb):
    # Over loopback only: in-process, the sandbox signals a reset by raising out of the WSGI app.
    client = make_client(sb, "loopback")
    client.session()
    sb.control.fault("reset-before-commit", rate=1.0, company_id=company(sb))
    try:
        (res,) = client.create([(*vendor("RB"), "vendor-RB")])
    finally:
        sb.control.clear_faults()
    assert isinstance(res.error, intacct.OutcomeUnknown)
    assert "VTRB" not in [r["VENDORID"] for r in sb.control.records(company(sb), "VENDOR")]
    (again,) = client.create([(*vendor("RB"), "vendor-RB")])
    assert again.ok
    assert [r["VENDORID"] for r in sb.control.records(company(sb), "VENDOR")].count("VTRB") == 1


def test_concurrency_limit_respected_under_latency(sb, mode):
    sb.control.fault("concurrency", limit=2, company_id=company(sb))
    sb.control.fault("latency", fixed_ms=30, company_id=company(sb))
    try:
        with make_client(sb, mode, concurrency=2, batch_size=1, retry={"max_retries": 0}) as c:
            total = len(list(c.query("CUSTOMER", ["RECORDNO"], page_size=3)))
            res = c.create([vendor(f"C{i}") for i in range(12)])
        # The same work with more requests in flight than the company allows is turned away.
        with make_client(sb, mode, concurrency=4, batch_size=1, retry={"max_retries": 0}) as c:
            over = c.create([vendor(f"D{i}") for i in range(12)])
    finally:
        sb.control.clear_faults()
    assert total == sb.control.count(company(sb), "CUSTOMER")
    assert all(r.ok for r in res)
    assert any(isinstance(r.error, intacct.RateLimited) for r in over)


def test_one_limiter_shared_by_two_clients(sb, mode):
    limiter = intacct.InProcessLimiter(1)
    active, peak, lock = 0, 0, threading.Lock()

    class Counting:
        def slot(self, key):
            outer = limiter.slot(key)

            class S:
                def __enter__(self_inner):
                    nonlocal active, peak
                    outer.__enter__()
                    with lock:
                        active += 1
                        peak = max(peak, active)

                def __exit__(self_inner, *exc):
                    nonlocal active
                    with lock:
                        active -= 1
                    return outer.__exit__(*exc)

            return S()

    shared = Counting()
    with (
        make_client(sb, mode, limiter=shared, concurrency=3) as a,
        make_client(sb, mode, limiter=shared) as b,
    ):
        t = threading.Thread(target=lambda: list(a.query("CUSTOMER", ["RECORDNO"], page_size=2)))
        t.start()
        list(b.query("CUSTOMER", ["RECORDNO"], page_size=2))
        t.join()
    assert peak == 1


def test_connection_refused_is_connection_failed(sb):
    creds = credentials(sb)
    retry = intacct.RetryPolicy(max_retries=1, base_delay=0.01)
    with intacct.Client(creds, endpoint="http://127.0.0.1:9/ia/xml/xmlgw.phtml", retry=retry) as c:
        t = time.monotonic()
        with pytest.raises(intacct.ConnectionFailed):
            c.session()
        assert time.monotonic() - t < 5


def test_dates_and_decimals_are_written_as_intacct_expects(sb, client):
    (res,) = client.create([vendor("D1", CREDITLIMIT=__import__("decimal").Decimal("1234.50"))])
    assert res.ok
    (rec,) = client.read_by_name("VENDOR", ["VTD1"], fields=["CREDITLIMIT", "WHENCREATED"])
    assert intacct.to_decimal(rec["CREDITLIMIT"]) == __import__("decimal").Decimal("1234.5")
    assert isinstance(intacct.to_date(rec["WHENCREATED"]), date)


def test_wsgi_transport_needs_no_socket(sb):
    with make_client(
        sb, "wsgi", http=httpx.Client(transport=httpx.WSGITransport(app=sb.sandbox.wsgi_app))
    ) as c:
        assert c.count("CUSTOMER") == sb.control.count(company(sb), "CUSTOMER")
