"""Bad input never breaks the gateway: any body gets a well-formed Intacct answer (HTTP 200 or a bare
400), never a crash, and a request that fails changes no state."""

from __future__ import annotations

from gateway_helpers import Client, envelope, fn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from intacct_sandbox import Sandbox

CREDS = {
    "sender_id": "intacct_bridge_demo",
    "sender_password": "sender-pw",
    "company_id": "DEMO-CO",
    "user_id": "ws_demo",
    "user_password": "user-pw",
}
VALID = envelope(
    CREDS, fn("<create><CLASS><CLASSID>FZ</CLASSID><NAME>n</NAME></CLASS></create>"), transaction=True
)


def _fresh() -> tuple[Sandbox, Client]:
    sb = Sandbox()
    sb.seed_demo(seed=1, customers=3, sender_password="sender-pw", user_password="user-pw")
    return sb, Client(sb)


def _answer(client: Client, body: bytes) -> etree._Element:
    response = client.raw(body)
    assert response.status_code in (200, 400), response.status_code
    doc = etree.fromstring(response.content)
    assert doc.tag == "response" and doc.findtext("control/status") in ("success", "failure")
    return doc


def test_the_unmangled_request_works() -> None:
    sb, client = _fresh()
    before = sb.control.count("DEMO-CO", "CLASS")
    assert _answer(client, VALID.encode()).findtext("operation/result/status") == "success"
    assert sb.control.count("DEMO-CO", "CLASS") == before + 1


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes(body: bytes) -> None:
    _sb, client = _fresh()
    _answer(client, body)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(VALID)), st.integers(1, 40), st.text(max_size=6))
def test_mangled_requests(start: int, length: int, insert: str) -> None:
    sb, client = _fresh()
    before = sb.control.count("DEMO-CO", "CLASS")
    body = (VALID[:start] + insert + VALID[start + length :]).encode("utf-8", "surrogatepass")
    doc = _answer(client, body)
    statuses = [r.findtext("status") for r in doc.findall("operation/result")]
    after = sb.control.count("DEMO-CO", "CLASS")
    assert after == before + (1 if statuses == ["success"] else 0)
