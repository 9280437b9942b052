"""Loopback servers for the exfiltration tests: a capture server that records every byte anyone
sends it, and a hostile gateway that relays to the real test sandbox but rewrites the endpoint in
the getAPISession answer to point elsewhere."""

from __future__ import annotations

import re
import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


class Capture:
    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.connections = 0
        self.url = ""

    @property
    def endpoint(self) -> str:
        return f"{self.url}/ia/xml/xmlgw.phtml"


@contextmanager
def capture_server() -> Iterator[Capture]:
    """A TCP server on 127.0.0.1 that records every connection and every byte, answering nothing."""
    capture = Capture()

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            capture.connections += 1
            self.request.settimeout(2)
            try:
                while data := self.request.recv(65536):
                    capture.received.append(data)
            except OSError:
                pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    capture.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield capture
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def redirecting_gateway(sandbox_endpoint: str, elsewhere: str) -> Iterator[str]:
    """A gateway relaying to the sandbox whose getAPISession answers say ``<endpoint>elsewhere``."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            answer = httpx.post(
                sandbox_endpoint, content=body, headers={"Content-Type": "application/xml"}
            ).content
            answer = re.sub(
                rb"<endpoint>[^<]*</endpoint>", f"<endpoint>{elsewhere}</endpoint>".encode(), answer
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/ia/xml/xmlgw.phtml"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
