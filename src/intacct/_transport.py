"""One HTTP POST of a request body, streamed into the parser; HTTP and socket failures mapped to
the error tree. Decides nothing about retrying: it says whether the request may have been
processed (:class:`NoAnswer`) or certainly was not (the other transport errors).

What a server can do to the client is bounded here:

- ``deadline``: the whole request (connect, TLS, sending, headers, body) ends by then. httpx's own
  timeouts are per socket operation, so a server trickling one byte a second would never trip them;
  every socket operation of a request made here gets at most the time left (:class:`_DeadlineBackend`).
- ``max_bytes``: the body is decompressed here, step by step with a bounded output per step, and
  reading stops once it passes ``max_bytes`` (:class:`ResponseTooLarge`): a gzip bomb costs at most
  that much memory.
"""

from __future__ import annotations

import contextvars
import logging
import time
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore
import httpx

from intacct._errors import (
    ConnectionFailed,
    ErrorDetail,
    ProtocolError,
    RateLimited,
    ResponseTooLarge,
    ServerError,
    Timeout,
    TransportError,
)
from intacct._parse import Response, ResponseParser
from intacct._redact import Redactor
from intacct._retry import parse_retry_after

logger = logging.getLogger("intacct")

HEADERS = {
    "Content-Type": "application/xml",
    "Accept": "application/xml, text/xml",
    "Accept-Encoding": "gzip, deflate",
    "User-Agent": "intacct-python (intacct-bridge)",
}

# Statuses that say nothing was processed (the gateway turned the request away).
_SAFE_STATUSES = {429, 502, 503, 504}

#: default cap on a decompressed response body (a 2000-record query page is a few megabytes)
DEFAULT_MAX_RESPONSE_BYTES = 100 * 1024 * 1024
# decompressed bytes produced per step, so one small compressed chunk cannot expand all at once
_STEP = 256 * 1024
# what is kept of a non-XML or error body, for the message and the debug log
_ERROR_BODY_BYTES = 64 * 1024

# The monotonic time by which the request running in this thread must be over (None: no deadline).
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("intacct_deadline", default=None)


def _time_left(timeout: float | None, exc: type[Exception]) -> float | None:
    """The socket timeout to use: the operation's own, cut to what is left of the deadline."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise exc("the request's total time limit passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, _time_left(timeout, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """Wraps httpcore's network backend so each socket operation honours the request's deadline."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(
            host, port, _time_left(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_unix_socket(
            path, _time_left(timeout, httpcore.ConnectTimeout), socket_options
        )
        return _DeadlineStream(stream)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def enforce_deadlines(http: httpx.Client) -> bool:
    """Make ``http``'s connection pools (direct and proxied) honour :data:`_DEADLINE`.

    httpx offers no per-request total timeout and no public hook for the network backend, so the
    pools' backend is wrapped in place; False if this httpx/httpcore has no such attribute (the
    deadline is then checked between body chunks only)."""
    transports = [getattr(http, "_transport", None), *getattr(http, "_mounts", {}).values()]
    done = False
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is None:
            continue
        if not isinstance(backend, _DeadlineBackend):
            pool._network_backend = _DeadlineBackend(backend)  # type: ignore[union-attr]
        done = True
    return done


class _Decoder:
    """Content-Encoding (identity, gzip, deflate) decoded with a bounded output per step, and the
    decompressed total held under ``limit``."""

    def __init__(self, encoding: str, limit: int) -> None:
        enc = encoding.strip().lower()
        self.limit = limit
        self.total = 0
        self._raw_deflate_tried = False
        self._z: Any = None
        if enc in ("", "identity"):
            return
        if enc in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self._z = zlib.decompressobj()
        else:
            raise ProtocolError(f"unsupported Content-Encoding {encoding!r} (asked for gzip or deflate)")
        self._deflate = enc == "deflate"

    def _count(self, piece: bytes) -> bytes:
        self.total += len(piece)
        if self.total > self.limit:
            raise ResponseTooLarge(
                f"the response is larger than {self.limit} bytes once decompressed; stopped reading it"
            )
        return piece

    def feed(self, raw: bytes) -> Iterator[bytes]:
        if self._z is None:
            yield self._count(raw)
            return
        data = raw
        while data:
            try:
                piece = self._z.decompress(data, _STEP)
            except zlib.error as exc:
                # "deflate" is zlib-wrapped by the standard, raw deflate by some servers
                if self._deflate and not self._raw_deflate_tried and self.total == 0:
                    self._raw_deflate_tried = True
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise ProtocolError(f"the response body could not be decompressed: {exc}") from None
            data = self._z.unconsumed_tail
            if piece:
                yield self._count(piece)

    def flush(self) -> Iterator[bytes]:
        if self._z is not None:
            try:
                rest = self._z.flush()
            except zlib.error as exc:
                raise ProtocolError(f"the response body could not be decompressed: {exc}") from None
            if rest:
                yield self._count(rest)


class NoAnswer(TransportError):
    """The request was sent and no usable answer came back; it may have been processed."""

    def __init__(self, message: str, *, cause: TransportError | None = None, http_status: int | None = None):
        super().__init__(message, http_status=http_status)
        self.cause = cause


def _is_xml(content_type: str) -> bool:
    ct = content_type.lower()
    return "xml" in ct and "html" not in ct


class Transport:
    def __init__(
        self,
        http: httpx.Client,
        redactor: Redactor,
        deadline: float | None = None,
        max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self.http = http
        self.redact = redactor
        #: total time limit per request: a server dripping bytes cannot hold a request past it
        self.deadline = deadline
        #: cap on the decompressed body
        self.max_bytes = max_bytes
        enforce_deadlines(http)

    def post(self, url: str, body: bytes) -> Response:
        debug = logger.isEnabledFor(logging.DEBUG)
        if debug:
            logger.debug("POST %s\n%s", url, self.redact.xml(body))
        started = time.monotonic()
        token = _DEADLINE.set(None if self.deadline is None else started + self.deadline)
        try:
            # never follow a redirect: the credentials in the body go only to the endpoint given
            with self.http.stream("POST", url, content=body, headers=HEADERS, follow_redirects=False) as r:
                return self._read(r, debug, started)
        except httpx.ConnectTimeout as exc:
            if self._past_deadline(started):
                raise self._too_slow(url, None) from None
            raise ConnectionFailed(self.redact(f"could not connect to {url}: {exc}")) from None
        except (httpx.ConnectError, httpx.PoolTimeout) as exc:
            raise ConnectionFailed(self.redact(f"could not connect to {url}: {exc}")) from None
        except (httpx.ReadTimeout, httpx.WriteTimeout) as exc:
            if self._past_deadline(started):
                raise self._too_slow(url, None) from None
            raise NoAnswer(
                self.redact(f"no answer in time from {url}: {exc}"), cause=Timeout(f"timed out: {exc}")
            ) from None
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError, httpx.CloseError) as exc:
            raise NoAnswer(self.redact(f"connection to {url} broke after sending: {exc!r}")) from None
        except httpx.TransportError as exc:
            raise NoAnswer(self.redact(f"transport failure talking to {url}: {exc!r}")) from None
        finally:
            _DEADLINE.reset(token)

    def _past_deadline(self, started: float) -> bool:
        return self.deadline is not None and time.monotonic() - started >= self.deadline

    def _too_slow(self, url: str, status: int | None) -> NoAnswer:
        return NoAnswer(
            self.redact(f"no complete answer from {url} within the {self.deadline:g}s time limit"),
            cause=Timeout(f"the request took longer than {self.deadline:g}s", http_status=status),
            http_status=status,
        )

    def _body(self, r: httpx.Response, started: float, limit: int) -> Iterator[bytes]:
        """The decompressed body, chunk by chunk, within the deadline and ``limit`` bytes."""
        if r.is_stream_consumed:
            # a response built in memory (httpx.MockTransport): httpx has already decoded it
            yield from _Decoder("", limit).feed(r.content)
            return
        decoder = _Decoder(r.headers.get("content-encoding", ""), limit)
        for raw in r.iter_raw():
            if self._past_deadline(started):
                raise self._too_slow(str(r.url), r.status_code)
            yield from decoder.feed(raw)
        yield from decoder.flush()

    def _head(self, r: httpx.Response, started: float) -> bytes:
        """At most the first ``_ERROR_BODY_BYTES`` of a body nobody will parse."""
        out = bytearray()
        try:
            for piece in self._body(r, started, self.max_bytes):
                out += piece
                if len(out) >= _ERROR_BODY_BYTES:
                    break
        except ProtocolError:
            pass
        return bytes(out[:_ERROR_BODY_BYTES])

    def _read(self, r: httpx.Response, debug: bool, started: float) -> Response:
        status = r.status_code
        ctype = r.headers.get("content-type", "")
        retry_after = parse_retry_after(r.headers.get("retry-after"))
        if status == 200 or (400 <= status < 500 and _is_xml(ctype)):
            if ctype and not _is_xml(ctype):
                head = self._head(r, started)[:200]
                raise NoAnswer(
                    f"HTTP {status} with {ctype!r} instead of XML: {head!r}",
                    cause=ProtocolError(f"non-XML response ({ctype})", http_status=status),
                    http_status=status,
                )
            parser = ResponseParser()
            chunks: list[bytes] = []
            try:
                for chunk in self._body(r, started, self.max_bytes):
                    if debug:
                        chunks.append(chunk)
                    parser.feed(chunk)
                resp = parser.close()
            except ProtocolError as exc:
                if status == 429:
                    raise self._rate_limited([], retry_after) from None
                exc.http_status = status
                raise NoAnswer(str(exc), cause=exc, http_status=status) from None
            if debug:
                logger.debug("HTTP %s\n%s", status, self.redact.xml(b"".join(chunks)))
            if status == 429:
                raise self._rate_limited(resp.control_errors, retry_after)
            return resp
        body = self._head(r, started)
        if debug:
            logger.debug(
                "HTTP %s (%s)\n%s", status, ctype, self.redact(body[:2000].decode("utf-8", "replace"))
            )
        if status == 429:
            raise self._rate_limited([], retry_after)
        err = ServerError(f"HTTP {status} from the gateway", http_status=status)
        if status in _SAFE_STATUSES:
            raise err
        # 500, 524 and any other status: the work may have run (524: the CDN cut the
        # connection while Intacct kept processing).
        raise NoAnswer(f"HTTP {status}: outcome unknown", cause=err, http_status=status)

    @staticmethod
    def _rate_limited(errors: list[ErrorDetail], retry_after: float | None) -> RateLimited:
        exc = RateLimited(errors=errors or [ErrorDetail("GW-0010", "Rate limit exceeded")], http_status=429)
        exc.retry_after = retry_after
        return exc
