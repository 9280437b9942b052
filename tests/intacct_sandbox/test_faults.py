"""Injected faults, deterministic by seed, global or per company; resets really drop the socket."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from gateway_helpers import envelope, fn, seeded
from lxml import etree

from intacct_sandbox import ConnectionDropped, SandboxServer
from intacct_sandbox.faultinjection import FaultError

READ = (
    "<readByQuery><object>CUSTOMER</object><fields>CUSTOMERID</fields><query/>"
    "<pagesize>5</pagesize></readByQuery>"
)


def _class(class_id: str) -> str:
    return fn(f"<create><CLASS><CLASSID>{class_id}</CLASSID><NAME>n</NAME></CLASS></create>")


def test_rate_limit_is_429_gw_0010() -> None:
    sb, creds, client = seeded()
    sb.control.fault("rate-limit")
    response = client.raw(envelope(creds, fn(READ)))
    assert response.status_code == 429
    assert response.headers["content-type"] == 'text/xml; encoding="UTF-8"'
    doc = etree.fromstring(response.content)
    assert doc.findtext("control/status") == "failure"
    assert [c.tag for c in doc.find("control")] == ["status"]
    assert doc.findtext("errormessage/error/errorno") == "GW-0010"
    assert sb.control.stats()["faults"]["rate-limit"] == 1


@pytest.mark.parametrize("status", [502, 503, 504])
def test_http_errors_without_xml_and_nothing_runs(status: int) -> None:
    sb, creds, client = seeded()
    before = sb.control.count(creds["company_id"], "CLASS")
    sb.control.fault(f"http-{status}")
    response = client.raw(envelope(creds, _class("H1")))
    assert response.status_code == status
    assert not response.headers["content-type"].startswith(("text/xml", "application/xml"))
    assert sb.control.count(creds["company_id"], "CLASS") == before


def test_524_runs_the_work_but_answers_without_xml() -> None:
    sb, creds, client = seeded()
    before = sb.control.count(creds["company_id"], "CLASS")
    sb.control.fault("http-524")
    assert client.raw(envelope(creds, _class("H2"))).status_code == 524
    assert sb.control.count(creds["company_id"], "CLASS") == before + 1


def test_rate_and_seed_are_deterministic() -> None:
    def pattern() -> list[int]:
        sb, creds, client = seeded()
        sb.control.fault("rate-limit", rate=0.5, seed=42)
        return [client.raw(envelope(creds, fn(READ))).status_code for _ in range(20)]

    first = pattern()
    assert first == pattern()
    assert 429 in first and 200 in first


def test_faults_per_company() -> None:
    sb, creds, client = seeded()
    sb.control.create_company("QUIET")
    sb.control.fault("rate-limit", company_id="QUIET")
    assert client.raw(envelope(creds, fn(READ))).status_code == 200
    sb.control.clear_faults()
    sb.control.fault("rate-limit", company_id=creds["company_id"])
    assert client.raw(envelope(creds, fn(READ))).status_code == 429


def test_truncated_and_malformed_answers() -> None:
    sb, creds, client = seeded()
    sb.control.fault("truncated")
    body = client.raw(envelope(creds, fn(READ))).content
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(body)
    sb.control.clear_faults()
    sb.control.fault("malformed")
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(client.raw(envelope(creds, fn(READ))).content)


def test_reset_before_and_after_commit_in_process() -> None:
    sb, creds, client = seeded()
    company = creds["company_id"]
    before = sb.control.count(company, "CLASS")
    sb.control.fault("reset-before-commit")
    with pytest.raises(ConnectionDropped):
        client.raw(envelope(creds, _class("X1")))
    assert sb.control.count(company, "CLASS") == before
    sb.control.clear_faults()
    sb.control.fault("reset-after-commit")
    with pytest.raises(ConnectionDropped):
        client.raw(envelope(creds, _class("X2")))
    assert sb.control.count(company, "CLASS") == before + 1


def test_reset_drops_the_socket_of_a_real_server() -> None:
    sb, creds, _ = seeded()
    with SandboxServer(sb) as server:
        sb.control.fault("reset-after-commit")
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            httpx.post(server.endpoint, content=envelope(creds, _class("X3")).encode())
        sb.control.clear_faults()
        ok = httpx.post(server.endpoint, content=envelope(creds, fn(READ)).encode())
        assert ok.status_code == 200


def test_latency_fixed_and_per_record() -> None:
    sb, creds, client = seeded(customers=20)
    sb.control.fault("latency", fixed_ms=50, per_record_ms=10)
    started = time.perf_counter()
    client.raw(envelope(creds, fn(READ)))  # 5 records
    assert time.perf_counter() - started >= 0.05 + 5 * 0.01


def test_concurrency_limit_refuses_with_429() -> None:
    sb, creds, _ = seeded()
    sb.control.fault("latency", fixed_ms=300)
    statuses: list[int] = []
    with SandboxServer(sb) as server:

        def call() -> None:
            statuses.append(
                httpx.post(server.endpoint, content=envelope(creds, fn(READ)).encode()).status_code
            )

        threads = [threading.Thread(target=call) for _ in range(4)]
        for thread in threads:
            thread.start()
            time.sleep(0.02)
        for thread in threads:
            thread.join()
    assert sorted(statuses) == [200, 200, 429, 429]  # the company's default limit is 2


def test_concurrency_fault_overrides_the_limit() -> None:
    sb, creds, _ = seeded()
    sb.control.fault("latency", fixed_ms=300)
    sb.control.fault("concurrency", limit=1)
    statuses: list[int] = []
    with SandboxServer(sb) as server:

        def call() -> None:
            statuses.append(
                httpx.post(server.endpoint, content=envelope(creds, fn(READ)).encode()).status_code
            )

        threads = [threading.Thread(target=call) for _ in range(2)]
        for thread in threads:
            thread.start()
            time.sleep(0.05)
        for thread in threads:
            thread.join()
    assert sorted(statuses) == [200, 429]


def test_bad_fault_requests() -> None:
    sb, _creds, _client = seeded()
    with pytest.raises(FaultError):
        sb.control.fault("explode")
    with pytest.raises(FaultError):
        sb.control.fault("rate-limit", rate=2)
    with pytest.raises(FaultError):
        sb.control.fault("rate-limit", fixed_ms=5)


def test_gateway_rejections_with_bare_bodies() -> None:
    sb, creds, client = seeded()
    sb.control.fault("http-401")
    response = client.raw(envelope(creds, fn(READ)))
    assert response.status_code == 401
    doc = etree.fromstring(response.content)
    assert doc.findtext("errormessage/error/errorno") == "XMLGW_JPP0002"
    assert (
        doc.findtext("errormessage/error/description")
        == "Sign-in information is incorrect. Please check your request."
    )
    sb.control.clear_faults()
    sb.control.fault("http-400")
    response = client.raw(envelope(creds, fn(READ)))
    assert response.status_code == 400
    assert etree.fromstring(response.content).findtext("errormessage/error/errorno") == "GW-0011"
    sb.control.clear_faults()
    empty = client.raw(b"")
    assert empty.status_code == 400 and b"GW-0011" in empty.content
