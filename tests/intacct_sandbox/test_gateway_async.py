"""Asynchronous requests (policyid): acknowledgement now, the response POSTed to the policy's URL later."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from gateway_helpers import envelope, errors, fn, seeded
from lxml import etree


@pytest.fixture
def receiver() -> Iterator[tuple[str, queue.Queue[bytes]]]:
    received: queue.Queue[bytes] = queue.Queue()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.put(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/intacct-results", received
    server.shutdown()
    server.server_close()


def test_acknowledgement_then_delivery(receiver: tuple[str, queue.Queue[bytes]]) -> None:
    url, received = receiver
    sb, creds, client = seeded()
    sb.control.register_policy("myAsyncPolicy", url)
    create = "<create><CLASS><CLASSID>AS1</CLASSID><NAME>async</NAME></CLASS></create>"
    ack = client.post(envelope(creds, fn(create, "a1"), policy="myAsyncPolicy"))
    assert [c.tag for c in ack] == ["acknowledgement", "control"]
    assert ack.findtext("acknowledgement/status") == "success"
    assert ack.findtext("control/status") == "success" and ack.find("operation") is None
    delivered = etree.fromstring(received.get(timeout=10))
    assert delivered.findtext("operation/result/controlid") == "a1"
    assert delivered.findtext("operation/result/status") == "success"
    assert any(r["CLASSID"] == "AS1" for r in sb.control.records(creds["company_id"], "CLASS"))


def test_unknown_policy_and_bad_sender_fail_synchronously(receiver: tuple[str, queue.Queue[bytes]]) -> None:
    url, received = receiver
    sb, creds, client = seeded()
    sb.control.register_policy("known", url)
    doc = client.post(envelope(creds, fn("<getAPISession/>"), policy="other"))
    assert errors(doc) == [("XL03000006", "", "other is not a valid transport policy.", "")]
    doc = client.post(envelope(creds, fn("<getAPISession/>"), policy="known", sender_password="bad"))
    assert doc.findtext("control/status") == "failure" and doc.find("acknowledgement") is None
    assert received.empty()
