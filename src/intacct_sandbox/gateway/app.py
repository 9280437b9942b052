"""The WSGI application: ``POST /ia/xml/xmlgw.phtml`` on any host, the control plane under
``/_sandbox/``, 404 elsewhere, 405 for other methods. gzip request and response bodies."""

from __future__ import annotations

import gzip
import logging
import zlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from intacct_sandbox.faults import RequestTooLargeFault
from intacct_sandbox.gateway import writer
from intacct_sandbox.gateway.service import GATEWAY_PATH, Gateway

if TYPE_CHECKING:
    from intacct_sandbox.control import ControlHTTP

log = logging.getLogger("intacct_sandbox.gateway")

StartResponse = Callable[..., Any]
Environ = dict[str, Any]

_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    524: "A Timeout Occurred",
}


class ConnectionDropped(Exception):
    """Raised out of the WSGI app to make the server drop the connection without an answer
    (injected connection resets). In-process WSGI clients see the exception."""


def status_line(status: int) -> str:
    return f"{status} {_REASONS.get(status, 'Error')}"


def read_body(environ: Environ, limit: int) -> bytes | None:
    """The request body (None when it is larger than ``limit``)."""
    stream = environ["wsgi.input"]
    length_text = environ.get("CONTENT_LENGTH") or ""
    if length_text.strip():
        length = int(length_text)
        if length > limit:
            return None
        return bytes(stream.read(length)) if length else b""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(65536)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def gunzip(body: bytes, limit: int) -> bytes | None:
    decoder = zlib.decompressobj(wbits=31)
    out = decoder.decompress(body, limit + 1)
    return None if len(out) > limit or decoder.unconsumed_tail else out


class GatewayApp:
    def __init__(self, gateway: Gateway, control: ControlHTTP | None = None) -> None:
        self.gateway = gateway
        self.control = control

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if path.startswith("/_sandbox/") or path == "/_sandbox":
            if self.control is None:
                return _plain(start_response, 404, b"Not Found")
            status, headers, control_body = self.control.handle(
                environ, read_body(environ, 64 * 1024 * 1024) or b""
            )
            headers["Content-Length"] = str(len(control_body))
            start_response(status_line(status), list(headers.items()))
            return [control_body]
        if path != GATEWAY_PATH:
            return _plain(start_response, 404, b"Not Found")
        if method != "POST":
            start_response(
                status_line(405),
                [("Allow", "POST"), ("Content-Type", "text/plain"), ("Content-Length", "18")],
            )
            return [b"Method Not Allowed"]
        limit = self.gateway.max_body
        body: bytes | None = read_body(environ, limit)
        if body is not None and "gzip" in (environ.get("HTTP_CONTENT_ENCODING") or "").lower():
            try:
                body = gunzip(body, limit)
            except zlib.error:
                body = b"\x00not gzip"  # answered as a parse failure
        if body is None:
            fault = RequestTooLargeFault.for_limit(limit)
            answer_body = writer.control_failure(writer.ControlEcho(), fault.errors, False)
            start_response(
                status_line(200),
                [("Content-Type", 'text/xml; encoding="UTF-8"'), ("Content-Length", str(len(answer_body)))],
            )
            return [answer_body]
        try:
            answer = self.gateway.handle(body, _base_url(environ))
        except Exception:
            # a mid-process failure: like Intacct's, an HTTP 500 without XML
            log.exception("the sandbox gateway failed")
            return _plain(start_response, 500, b"Internal Server Error")
        if answer.action == "reset":
            raise ConnectionDropped()
        payload = answer.body
        headers = dict(answer.headers)
        if payload and "gzip" in (environ.get("HTTP_ACCEPT_ENCODING") or "").lower() and answer.status == 200:
            payload = gzip.compress(payload, compresslevel=1)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        headers["Content-Length"] = str(len(payload))
        start_response(status_line(answer.status), list(headers.items()))
        return [payload]


def _base_url(environ: Environ) -> str:
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST")
    if not host:
        host = environ.get("SERVER_NAME", "localhost")
        port = str(environ.get("SERVER_PORT", ""))
        if port and port not in ("80", "443"):
            host = f"{host}:{port}"
    return f"{scheme}://{host}"


def _plain(start_response: StartResponse, status: int, body: bytes) -> list[bytes]:
    start_response(status_line(status), [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
