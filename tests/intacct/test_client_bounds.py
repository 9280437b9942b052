"""What a hostile or broken server can do to the client is bounded: ``timeout`` is a total deadline
per request (a server trickling bytes cannot hold a call past it), the decompressed body is capped
(a gzip bomb ends in ResponseTooLarge with bounded memory), and ``allowed_endpoints`` keeps the
credentials and the session away from any endpoint outside the allowed set. Real loopback servers
(raw sockets) play the server."""

from __future__ import annotations

import re
import socket
import socketserver
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import intacct_vectors as tv
import pytest

import intacct

CREDS = intacct.Credentials("S", "sender-pw-123", "C", "U", "user-pw-456")
NO_RETRY = intacct.RetryPolicy(max_retries=0, sleep=lambda s: None)
XML_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><response>'

Handler = Callable[[socket.socket], None]


def _read_request(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))  # type: ignore[union-attr]
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


@contextmanager
def server(handle: Handler) -> Iterator[str]:
    """A loopback HTTP server whose every connection is answered by ``handle(socket)``."""
    stop = threading.Event()

    class H(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.settimeout(30)
            try:
                _read_request(self.request)
                handle(self.request)
            except OSError:
                pass  # the client gave up: that is what the tests want

    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), H)
    srv.daemon_threads = True
    srv.stop = stop  # type: ignore[attr-defined]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}/ia/xml/xmlgw.phtml"
    finally:
        stop.set()
        srv.shutdown()
        srv.server_close()


def _trickle(sock: socket.socket, data: bytes, every: float = 0.1, limit: float = 30.0) -> None:
    started = time.monotonic()
    for i in range(len(data)):
        if time.monotonic() - started > limit:
            return
        sock.sendall(data[i : i + 1])
        time.sleep(every)


def trickle_headers(sock: socket.socket) -> None:
    _trickle(sock, b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nX-Slow: " + b"a" * 1000)


def trickle_body(sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n" + XML_HEAD)
    _trickle(sock, b" " * 100000)


@pytest.mark.parametrize("handle", [trickle_headers, trickle_body], ids=["headers", "body"])
def test_a_trickling_server_cannot_hold_a_call_past_the_timeout(handle: Handler) -> None:
    with server(handle) as url:
        client = intacct.Client(CREDS, endpoint=url, timeout=1.0, retry=NO_RETRY)
        started = time.monotonic()
        with pytest.raises(intacct.Timeout, match="took longer than 1s"):
            client.session()
        elapsed = time.monotonic() - started
        client.close()
    # the server would go on for 30 s (headers) or 10000 s (body); the call ends at its deadline
    assert elapsed < 5, elapsed


def _bomb(decompressed: int) -> bytes:
    """A gzip body that decompresses to ``decompressed`` bytes of valid-looking XML."""
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = [z.compress(XML_HEAD)]
    block = b" " * (1 << 20)
    for _ in range(decompressed >> 20):
        out.append(z.compress(block))
    out.append(z.flush())
    return b"".join(out)


def test_a_gzip_bomb_ends_in_a_clear_error_with_bounded_memory() -> None:
    body = _bomb(300 << 20)  # 300 MB once decompressed, ~300 KB on the wire
    assert len(body) < 1 << 20

    def handle(sock: socket.socket) -> None:
        sock.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Encoding: gzip\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )

    cap = 8 << 20
    with server(handle) as url:
        client = intacct.Client(CREDS, endpoint=url, retry=NO_RETRY, max_response_bytes=cap)
        tracemalloc.start()
        try:
            with pytest.raises(intacct.ResponseTooLarge, match=f"larger than {cap} bytes once decompressed"):
                client.session()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
            client.close()
    assert peak < 4 * cap, peak


def test_an_endless_plain_body_is_cut_at_the_cap() -> None:
    def handle(sock: socket.socket) -> None:
        sock.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 1000000000\r\n\r\n" + XML_HEAD
        )
        block = b" " * 65536
        for _ in range(1000000000 // 65536):
            sock.sendall(block)

    with server(handle) as url:
        client = intacct.Client(CREDS, endpoint=url, retry=NO_RETRY, max_response_bytes=2 << 20)
        with pytest.raises(intacct.ResponseTooLarge):
            client.session()
        client.close()


def test_an_endless_error_page_is_not_read_to_its_end() -> None:
    def handle(sock: socket.socket) -> None:
        sock.sendall(b"HTTP/1.1 503 Busy\r\nContent-Type: text/html\r\nContent-Length: 1000000000\r\n\r\n")
        block = b"<p>busy</p>" * 6000
        for _ in range(1000000000 // len(block)):
            sock.sendall(block)

    with server(handle) as url:
        client = intacct.Client(CREDS, endpoint=url, retry=NO_RETRY, timeout=20)
        with pytest.raises(intacct.ServerError, match="HTTP 503"):
            client.session()
        client.close()


def test_a_deflate_answer_is_still_understood() -> None:
    """The decoder the cap lives in decodes what the gateway sends (here: zlib-wrapped deflate)."""

    def handle(sock: socket.socket) -> None:
        body = zlib.compress(tv.TV01.replace(b"<controlid>f1", b"<controlid>x"))
        sock.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Encoding: deflate\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )

    with server(handle) as url:
        client = intacct.Client(CREDS, endpoint=url, retry=NO_RETRY)
        # the canned answer's controlid does not match: the point is that it was decoded and parsed
        with pytest.raises(intacct.ProtocolError, match="without its result"):
            client.session()
        client.close()


# --- allowed_endpoints ------------------------------------------------------------------------------


class Recorder:
    def __init__(self, session_endpoint: str) -> None:
        self.session_endpoint = session_endpoint
        self.urls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        body = request.read()
        cid = re.search(rb'<function controlid="([^"]+)"', body).group(1).decode()  # type: ignore[union-attr]
        answer = tv.TV01.replace(b"<controlid>f1", f"<controlid>{cid}".encode()).replace(
            b"https://emu.intacct.com/ia/xml/xmlgw.phtml", self.session_endpoint.encode()
        )
        return httpx.Response(200, content=answer, headers={"content-type": "text/xml"})


def _client(recorder: Recorder, allowed: object, endpoint: str = intacct.DEFAULT_ENDPOINT) -> intacct.Client:
    return intacct.Client(
        CREDS,
        endpoint=endpoint,
        http=httpx.Client(transport=httpx.MockTransport(recorder)),
        allowed_endpoints=allowed,  # type: ignore[arg-type]
        retry=NO_RETRY,
    )


def test_an_endpoint_outside_the_allowed_set_receives_nothing() -> None:
    recorder = Recorder(intacct.DEFAULT_ENDPOINT)
    client = _client(
        recorder, {intacct.DEFAULT_ENDPOINT}, endpoint="https://evil.example.com/ia/xml/xmlgw.phtml"
    )
    with pytest.raises(intacct.EndpointNotAllowed, match=r"evil\.example\.com") as exc:
        client.session()
    assert isinstance(exc.value, intacct.SetupError)
    assert recorder.urls == []


@pytest.mark.parametrize(
    "allowed",
    [{intacct.DEFAULT_ENDPOINT}, lambda url: url == intacct.DEFAULT_ENDPOINT],
    ids=["set", "function"],
)
def test_a_get_api_session_answer_pointing_elsewhere_is_refused(allowed: object) -> None:
    recorder = Recorder("https://collector.example.net/ia/xml/xmlgw.phtml")
    client = _client(recorder, allowed)
    with pytest.raises(intacct.EndpointNotAllowed, match="getAPISession answered with endpoint"):
        client.read("CUSTOMER", [1])
    # only the login went out, to the allowed gateway; the session id never left
    assert recorder.urls == [intacct.DEFAULT_ENDPOINT]


def test_an_allowed_session_endpoint_is_used() -> None:
    other = "https://eu.intacct.com/ia/xml/xmlgw.phtml"
    recorder = Recorder(other)
    client = _client(recorder, {intacct.DEFAULT_ENDPOINT, other})
    assert client.session().endpoint == other


def test_allowed_endpoints_must_not_be_a_bare_string() -> None:
    with pytest.raises(TypeError, match="not a string"):
        _client(Recorder(""), intacct.DEFAULT_ENDPOINT)


def test_redirects_are_never_followed() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(307, headers={"Location": "https://collector.example.net/"})

    client = intacct.Client(
        CREDS,
        http=httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True),
        retry=NO_RETRY,
    )
    with pytest.raises(intacct.TransportError):
        client.session()
    assert seen == [intacct.DEFAULT_ENDPOINT]
