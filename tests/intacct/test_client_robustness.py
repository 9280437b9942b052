"""Bad responses, retries, exactly-once rules, argument checks and redaction, against a fake gateway
(httpx.MockTransport plays the server; the client is the real one)."""

from __future__ import annotations

import logging
import re
import threading
import time

import httpx
import intacct_vectors as tv
import pytest

import intacct
from intacct._parse import parse_response

CREDS = intacct.Credentials("S", "sender-pw-123", "C", "U", "user-pw-456")
XML = {"content-type": 'text/xml; encoding="UTF-8"'}


def echo(request: bytes, body: bytes) -> bytes:
    ids = iter(re.findall(rb'<function controlid="([^"]+)"', request))
    return re.sub(
        rb"(<result><status>\w+</status><function>\w+</function><controlid>)[^<]*",
        lambda m: m.group(1) + next(ids, b"?"),
        body,
    )


def success_for(request: bytes) -> bytes:
    """A success result for every function in the request (write results carry a RECORDNO)."""
    ids = re.findall(rb'<function controlid="([^"]+)"><(\w+)', request)
    results = []
    for i, (cid, name) in enumerate(ids):
        data = f'<data listtype="objects" count="1"><vendor><RECORDNO>{i + 1}</RECORDNO></vendor></data>'
        results.append(tv.result("success", name.decode(), cid.decode(), data))
    return tv.ok_response(*results)


class Gateway:
    """Scripted answers: each entry is a status, a body, an exception, or a callable(request)."""

    def __init__(self, *script):
        self.script = list(script)
        self.requests: list[bytes] = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        if b"<getAPISession" in body:
            return httpx.Response(200, content=echo(body, tv.TV01), headers=XML)
        with self.lock:
            self.requests.append(body)
            step = self.script.pop(0) if self.script else "ok"
        if isinstance(step, Exception):
            raise step
        if callable(step):
            return step(request)
        if step == "ok":
            return httpx.Response(200, content=success_for(body), headers=XML)
        if isinstance(step, int):
            return httpx.Response(step, content=b"", headers={"content-type": "text/html"})
        status, content, headers = step
        return httpx.Response(status, content=content, headers=headers)

    def client(self, **kw) -> intacct.Client:
        kw.setdefault("retry", intacct.RetryPolicy(max_retries=3, sleep=lambda s: None))
        return intacct.Client(CREDS, http=httpx.Client(transport=httpx.MockTransport(self)), **kw)


# -- hostile and broken bodies -------------------------------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    b"<response><control><status>&lol2;</status></control></response>"
)
EXTERNAL = (
    b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><response>&x;</response>"""
)
HTML = b"<html><body><div class='cf-error-details'>Bad gateway</div></body></html>"


@pytest.mark.parametrize(
    "body",
    [
        BILLION_LAUGHS,
        EXTERNAL,
        HTML,
        tv.TV05[:-30],  # truncated
        b"<response><control><status>success</status></control><operation>",  # unterminated
        b"not xml at all",
        b"",
        b'<?xml version="1.0" encoding="UTF-8"?><response><control><status>\xff\xfe</status></control></response>',  # noqa: E501
        b"<other/>",
        b"<response><operation/></response>",  # no control
    ],
)
def test_parse_response_refuses_bad_bodies(body):
    with pytest.raises(intacct.ProtocolError):
        parse_response(body)


def test_doctype_split_across_chunks_is_refused():
    from intacct._parse import ResponseParser

    p = ResponseParser()
    p.feed(b'<?xml version="1.0"?><!DOC')
    with pytest.raises(intacct.ProtocolError):
        p.feed(b"TYPE x []><response/>")


def test_declared_latin1_is_decoded():
    body = tv.TV05.replace(b"Austin", "Zürich".encode("latin-1"))
    res = parse_response(b'<?xml version="1.0" encoding="ISO-8859-1"?>' + body).results[0]
    assert res.records[0]["DISPLAYCONTACT"]["MAILADDRESS"]["CITY"] == "Zürich"


@pytest.mark.parametrize(
    "answer",
    [
        (200, HTML, {"content-type": "text/html"}),
        (200, tv.TV05[:-30], XML),
        (200, BILLION_LAUGHS, XML),
    ],
)
def test_read_gets_protocol_error_after_retries(answer):
    gw = Gateway(answer, answer, answer, answer)
    with pytest.raises(intacct.ProtocolError):
        gw.client().read("CUSTOMER", [1])
    assert len(gw.requests) == 4


def test_write_with_broken_answer_is_outcome_unknown():
    gw = Gateway((200, tv.TV05[:-30], XML))
    res = gw.client().create([("VENDOR", {"VENDORID": "V1"}, "v-1")])
    assert isinstance(res[0].error, intacct.OutcomeUnknown)
    assert res[0].error.controlids == ("v-1",)
    assert len(gw.requests) == 1


# -- retries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [502, 503, 504])
def test_transient_statuses_are_retried_for_writes_with_same_controlids(status):
    gw = Gateway(status, status, "ok")
    res = gw.client().create([("VENDOR", {"VENDORID": "V1"}, "v-1"), ("VENDOR", {"VENDORID": "V2"}, "v-2")])
    assert [r.ok for r in res] == [True, True]
    assert len(gw.requests) == 3
    ids = [re.findall(rb'<function controlid="([^"]+)"', b) for b in gw.requests]
    assert ids == [[b"v-1", b"v-2"]] * 3
    assert all(b"<uniqueid>true</uniqueid>" in b for b in gw.requests)


def test_524_is_not_retried_for_writes():
    gw = Gateway(524, "ok")
    (res,) = gw.client().create([("VENDOR", {"VENDORID": "V1"}, "v-1")])
    assert isinstance(res.error, intacct.OutcomeUnknown) and res.error.controlids == ("v-1",)
    assert res.error.http_status == 524
    assert len(gw.requests) == 1


def test_524_and_resets_are_retried_for_reads():
    gw = Gateway(524, httpx.ReadError("reset"), (200, echo_tv05 := tv.TV05, XML))
    gw.script[-1] = lambda req: httpx.Response(200, content=echo(req.read(), echo_tv05), headers=XML)
    assert gw.client().read("CUSTOMER", [149])[0]["RECORDNO"] == "149"
    assert len(gw.requests) == 3
    assert all(b"<uniqueid>false</uniqueid>" in b for b in gw.requests)


def test_reset_after_sending_a_write_is_outcome_unknown():
    gw = Gateway(httpx.RemoteProtocolError("server disconnected"))
    with pytest.raises(intacct.OutcomeUnknown) as info:
        gw.client().call("create_class", {"classid": "C1"}, controlid="l-1")
    assert info.value.controlids == ("l-1",)


def test_connect_errors_are_retried_then_raised():
    gw = Gateway(*[httpx.ConnectError("refused")] * 10)
    with pytest.raises(intacct.ConnectionFailed):
        gw.client().create([("VENDOR", {"VENDORID": "V1"})])[0].raise_for_error()
    assert len(gw.requests) == 4


def test_retry_after_is_honoured_and_budget_bounded():
    waits: list[float] = []
    gw = Gateway((429, tv.TV24, {**XML, "retry-after": "7"}), "ok")
    client = gw.client(retry=intacct.RetryPolicy(max_retries=3, sleep=waits.append))
    assert client.create([("VENDOR", {"VENDORID": "V1"})])[0].ok
    assert waits == [7.0]
    policy = intacct.RetryPolicy(max_retries=10, base_delay=1, max_delay=8, max_total=5)
    assert policy.next_wait(1, time.monotonic()) is not None
    assert policy.next_wait(1, time.monotonic() - 4.9) is None  # would end after the budget
    assert policy.next_wait(11, time.monotonic()) is None
    delays = [policy.delay(n) for n in range(1, 8)]
    assert all(0 < d <= 8 for d in delays) and delays[-1] >= 4  # exponential, capped, jittered


# -- batching and concurrency ---------------------------------------------------------------------


def test_creates_are_split_into_requests_of_batch_size_and_keep_order():
    gw = Gateway()
    client = gw.client(batch_size=7, concurrency=3)
    res = client.create([("VENDOR", {"VENDORID": f"V{i}"}, f"v-{i}") for i in range(20)])
    assert [r.controlid for r in res] == [f"v-{i}" for i in range(20)]
    assert all(r.ok and r.record_no for r in res)
    assert sorted(len(re.findall(rb"<function ", b)) for b in gw.requests) == [6, 7, 7]


def test_concurrency_limit_is_respected():
    active = 0
    peak = 0
    lock = threading.Lock()

    def slow(request):
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.03)
        with lock:
            active -= 1
        return httpx.Response(200, content=success_for(request.read()), headers=XML)

    gw = Gateway(*[slow] * 12)
    client = gw.client(batch_size=1, concurrency=2)
    assert all(r.ok for r in client.create([("VENDOR", {"VENDORID": f"V{i}"}) for i in range(12)]))
    assert peak == 2


def test_shared_limiter_across_clients():
    limiter = intacct.InProcessLimiter(1)
    held = limiter.slot("C")
    held.__enter__()
    got = threading.Event()

    def take():
        with limiter.slot("C"):
            got.set()

    t = threading.Thread(target=take)
    t.start()
    assert not got.wait(0.05)
    held.__exit__(None, None, None)
    assert got.wait(1)
    t.join()
    assert isinstance(limiter, intacct.Limiter)


def test_batch_handles_and_duplicate_controlids():
    gw = Gateway()
    client = gw.client()
    with client.batch() as b:
        h = b.create("VENDOR", {"VENDORID": "V1"}, controlid="v-123")
        with pytest.raises(ValueError):
            b.create("VENDOR", {"VENDORID": "V2"}, controlid="v-123")
        with pytest.raises(RuntimeError):
            _ = h.result
    assert h.result.ok and h.result.controlid == "v-123"
    with pytest.raises(RuntimeError):
        b.send()


def test_batch_not_sent_when_the_block_raises():
    gw = Gateway()
    with pytest.raises(KeyError), gw.client().batch() as b:
        b.create("VENDOR", {"VENDORID": "V1"})
        raise KeyError("x")
    assert gw.requests == []


# -- arguments are checked before anything is sent -----------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.query("CUSTOMER", ["RECORDNO"], page_size=2001),
        lambda c: c.query("CUSTOMER", ["RECORDNO"], page_size=0),
        lambda c: c.query("CUSTOMER", []),
        lambda c: c.query("CUSTOMER", ["RECORDNO"], where="A = 1", order_by=["NAME"]),
        lambda c: c.read_by_query("CUSTOMER", None, "", page_size=1001),
        lambda c: c.read("CUSTOMER", []),
        lambda c: c.read("CUSTOMER", list(range(101))),
        lambda c: c.read("CUSTOMER", "149"),
        lambda c: c.read_by_name("CUSTOMER", [""]),
        lambda c: c.read("bad object", [1]),
        lambda c: c.create([("VENDOR", {})]),
        lambda c: c.create([("VENDOR", {"bad key": 1})]),
        lambda c: c.create([("VENDOR", {"VENDORID": "x"}, "")]),
        lambda c: c.create([("VENDOR", {"VENDORID": "x"}, "c" * 257)]),
        lambda c: c.create([("VENDOR", {"VENDORID": "x"}, "same"), ("VENDOR", {"VENDORID": "y"}, "same")]),
        lambda c: c.delete("CUSTOMER", []),
        lambda c: c.call("bad name!", {}),
    ],
)
def test_invalid_arguments_raise_before_any_request(call):
    gw = Gateway()
    with pytest.raises((ValueError, TypeError)):
        call(gw.client())
    assert gw.requests == []


def test_client_settings_are_checked():
    with pytest.raises(ValueError):
        intacct.Client(CREDS, batch_size=0)
    with pytest.raises(ValueError):
        intacct.Client(CREDS, concurrency=0)
    with pytest.raises(ValueError):
        intacct.Credentials("S", "", "C", "U", "P")


# -- redaction ---------------------------------------------------------------------------------


def test_secrets_never_reach_logs_messages_or_reprs(caplog):
    caplog.set_level(logging.DEBUG, logger="intacct")
    gw = Gateway(
        (
            200,
            tv.TV15.replace(
                b"Sign-in information is incorrect", b"Sign-in information is incorrect user-pw-456"
            ),
            XML,
        )
    )
    client = gw.client()
    with pytest.raises(intacct.UserCredentialsInvalid) as info:
        client.read("CUSTOMER", [1])
    session_id = client.session().session_id
    assert session_id == "SID.."
    text = (
        caplog.text + str(info.value) + repr(info.value) + repr(client) + repr(CREDS) + repr(client.session())
    )
    assert "<password>***</password>" in caplog.text and "<sessionid>***</sessionid>" in caplog.text
    for secret in ("sender-pw-123", "user-pw-456", "SID.."):
        assert secret not in text


# -- the public surface ----------------------------------------------------------------------------


def test_public_surface_is_exactly_all():
    public = {n for n in dir(intacct) if not n.startswith(("_", "@"))}
    modules = {"errors"}
    assert set(intacct.__all__) == public - modules
    import intacct.errors as errors

    assert set(errors.__all__) <= set(intacct.__all__)
    assert issubclass(intacct.SenderNotAuthorized, intacct.SetupError)
    assert issubclass(intacct.RolledBack, intacct.FunctionError)
    assert issubclass(intacct.RateLimited, intacct.TransportError)


def test_a_dripping_server_cannot_hold_a_read_forever():
    def drip():
        yield tv.TV05[:50]
        while True:
            time.sleep(0.02)
            yield b" "

    def handler(request):
        return httpx.Response(200, content=drip(), headers=XML)

    gw = Gateway(*[handler] * 5)
    client = gw.client(timeout=0.2, retry=intacct.RetryPolicy(max_retries=1, sleep=lambda s: None))
    t = time.monotonic()
    with pytest.raises(intacct.Timeout):
        client.read("CUSTOMER", [1])
    assert time.monotonic() - t < 3


def test_refused_get_api_session_is_a_setup_error():
    def handler(request: httpx.Request) -> httpx.Response:
        body = request.read()
        refusal = tv.result(
            "failure",
            "getAPISession",
            "x",
            "<errormessage>"
            + tv.err("XL03000006", "", "User U is not authorized for entity 'E200'.")
            + "</errormessage>",
        )
        return httpx.Response(200, content=echo(body, tv.ok_response(refusal)), headers=XML)

    creds = intacct.Credentials("S", "SP", "C", "U", "UP", entity_id="E200")
    client = intacct.Client(creds, http=httpx.Client(transport=httpx.MockTransport(handler)))
    with pytest.raises(intacct.EntityAccessDenied):
        client.session()
