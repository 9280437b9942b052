"""A measuring aid: WSGI middleware counting requests in flight per company, and the most ever.

Wrap the gateway before the server starts (``sb.wsgi_app = InflightMeter(sb.wsgi_app)``). The
company of a request is its login's ``<companyid>``, or the company its ``<sessionid>`` was issued
for (learned from the getAPISession answers passing through), so it counts what the gateway counts
for its concurrency limit without reaching into the gateway. Answers pass through uncompressed.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

_SESSION = re.compile(rb"<sessionid>\s*([^<\s]+)\s*</sessionid>")
_COMPANY = re.compile(rb"<companyid>\s*([^<\s]+)\s*</companyid>")

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class InflightMeter:
    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._sessions: dict[bytes, str] = {}
        self.now: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()  # HTTP 429 answers (the gateway's concurrency refusals)
        self.served: Counter[str] = Counter()

    def _company(self, body: bytes) -> str:
        session = _SESSION.search(body)
        if session is not None:
            with self._lock:
                known = self._sessions.get(session.group(1))
            if known is not None:
                return known
        company = _COMPANY.search(body)
        return company.group(1).decode("utf-8", "replace").lower() if company else ""

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        import io

        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        environ.pop("HTTP_ACCEPT_ENCODING", None)
        company = self._company(body)
        status: list[str] = []

        def capture(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status.append(line)
            return start_response(line, headers, exc_info) if exc_info else start_response(line, headers)

        with self._lock:
            self.now[company] += 1
            self.peak[company] = max(self.peak[company], self.now[company])
        try:
            answer = b"".join(self.app(environ, capture))
        finally:
            with self._lock:
                self.now[company] -= 1
        with self._lock:
            if status and status[0].startswith("429"):
                self.refused[company] += 1
            else:
                self.served[company] += 1
            session = _SESSION.search(answer)
            issued_for = _COMPANY.search(answer)
            if session is not None and issued_for is not None:
                self._sessions[session.group(1)] = issued_for.group(1).decode("utf-8", "replace").lower()
        return [answer]

    def snapshot(self) -> dict[str, dict[str, int]]:
        with self._lock:
            return {
                "peak": dict(self.peak),
                "refused": dict(self.refused),
                "served": dict(self.served),
            }

    def reset(self) -> None:
        with self._lock:
            self.peak.clear()
            self.refused.clear()
            self.served.clear()
