"""A real loopback webhook receiver for the tests: an HTTP server in a thread that verifies every
delivery's signature with the ``standardwebhooks`` library, as a host product would, and answers
the statuses a test queues (200 when none)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool
    error: str = ""

    @property
    def data(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    secret: str = ""
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/bridge"

    def answer(self, *statuses: int) -> None:
        """The next requests get these statuses (then 200)."""
        self.answers.extend(statuses)

    @property
    def verified(self) -> list[Received]:
        return [r for r in self.received if r.verified]

    def types(self) -> list[str]:
        return [r.data["type"] for r in self.received]

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    Webhook(receiver.secret).verify(body, headers)
                    got = Received(headers, body, True)
                except WebhookVerificationError as exc:
                    got = Received(headers, body, False, str(exc))
                receiver.received.append(got)
                status = receiver.answers.pop(0) if receiver.answers else 200
                if not got.verified:
                    status = 401
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


class Clock:
    """The sender's clock in a test: starts now, moved forward by hand."""

    def __init__(self) -> None:
        self.at: datetime = timezone.now()

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)
