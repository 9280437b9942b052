"""One HTTP POST of a request body, streamed into the parser; HTTP and socket failures mapped to
the error tree. Decides nothing about retrying: it says whether the request may have been
processed (:class:`NoAnswer`) or certainly was not (the other transport errors)."""

from __future__ import annotations

import logging
import time

import httpx

from intacct._errors import (
    ConnectionFailed,
    ErrorDetail,
    ProtocolError,
    RateLimited,
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


class NoAnswer(TransportError):
    """The request was sent and no usable answer came back; it may have been processed."""

    def __init__(self, message: str, *, cause: TransportError | None = None, http_status: int | None = None):
        super().__init__(message, http_status=http_status)
        self.cause = cause


def _is_xml(content_type: str) -> bool:
    ct = content_type.lower()
    return "xml" in ct and "html" not in ct


class Transport:
    def __init__(self, http: httpx.Client, redactor: Redactor, deadline: float | None = None) -> None:
        self.http = http
        self.redact = redactor
        #: whole-response time limit: a server dripping bytes cannot hold a request forever
        self.deadline = deadline

    def post(self, url: str, body: bytes) -> Response:
        debug = logger.isEnabledFor(logging.DEBUG)
        if debug:
            logger.debug("POST %s\n%s", url, self.redact.xml(body))
        try:
            with self.http.stream("POST", url, content=body, headers=HEADERS) as r:
                return self._read(r, debug)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise ConnectionFailed(self.redact(f"could not connect to {url}: {exc}")) from None
        except (httpx.ReadTimeout, httpx.WriteTimeout) as exc:
            raise NoAnswer(
                self.redact(f"no answer in time from {url}: {exc}"), cause=Timeout(f"timed out: {exc}")
            ) from None
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError, httpx.CloseError) as exc:
            raise NoAnswer(self.redact(f"connection to {url} broke after sending: {exc!r}")) from None
        except httpx.TransportError as exc:
            raise NoAnswer(self.redact(f"transport failure talking to {url}: {exc!r}")) from None

    def _read(self, r: httpx.Response, debug: bool) -> Response:
        status = r.status_code
        ctype = r.headers.get("content-type", "")
        retry_after = parse_retry_after(r.headers.get("retry-after"))
        if status == 200 or (400 <= status < 500 and _is_xml(ctype)):
            if ctype and not _is_xml(ctype):
                head = r.read()[:200]
                raise NoAnswer(
                    f"HTTP {status} with {ctype!r} instead of XML: {head!r}",
                    cause=ProtocolError(f"non-XML response ({ctype})", http_status=status),
                    http_status=status,
                )
            parser = ResponseParser()
            chunks: list[bytes] = []
            started = time.monotonic()
            try:
                for chunk in r.iter_bytes():
                    if self.deadline is not None and time.monotonic() - started > self.deadline:
                        raise NoAnswer(
                            f"the response took longer than {self.deadline:.0f}s",
                            cause=Timeout("response too slow", http_status=status),
                            http_status=status,
                        )
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
        body = r.read()
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
