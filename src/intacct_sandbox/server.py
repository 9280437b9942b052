"""SandboxServer: the sandbox's WSGI app on a threaded loopback HTTP/1.1 server (keep-alive).

    with SandboxServer(sb, host="127.0.0.1", port=0) as server:
        server.url, server.endpoint

Ready when ``start()`` (or ``__enter__``) returns. Injected connection resets really drop the socket
(SO_LINGER 0, so the client sees a reset, not a clean close).
"""

from __future__ import annotations

import io
import socket
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from intacct_sandbox.gateway.app import ConnectionDropped
from intacct_sandbox.sandbox import Sandbox


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body go out in separate writes: without this, Nagle + delayed ACK add ~40 ms per answer
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def _body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        body = self._body()
        path, _, query = self.path.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "REMOTE_ADDR": self.client_address[0],
            "SERVER_NAME": self.server.server_address[0],
            "SERVER_PORT": str(self.server.server_address[1]),
            "SERVER_PROTOCOL": self.request_version,
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in self.headers.items():
            key = "HTTP_" + name.upper().replace("-", "_")
            if key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                environ[key] = value
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            started[:] = [status, headers]

        try:
            chunks = list(self.server.app(environ, start_response))
        except ConnectionDropped:
            self._drop()
            return
        status, headers = started
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":  # a HEAD answer has headers only
            for chunk in chunks:
                self.wfile.write(chunk)
        self.wfile.flush()

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.connection.close()

    do_POST = _serve
    do_GET = _serve
    do_PUT = _serve
    do_DELETE = _serve
    do_PATCH = _serve
    do_HEAD = _serve
    do_OPTIONS = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    app: Any
    verbose: bool = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | ConnectionDropped):
            return  # clients that go away, and the resets we inject
        super().handle_error(request, client_address)


class SandboxServer:
    def __init__(
        self, sandbox: Sandbox | None = None, host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False
    ) -> None:
        self.sandbox = sandbox if sandbox is not None else Sandbox()
        self.host = host
        self.port = port
        self.verbose = verbose
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.ready = threading.Event()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the server is not running")
        host, port = self._server.server_address[:2]
        text = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{text}]" if ":" in text else text
        return f"http://{shown}:{port}"

    @property
    def endpoint(self) -> str:
        return self.url + "/ia/xml/xmlgw.phtml"

    def start(self) -> SandboxServer:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        server_class = type("_SandboxHTTPServer", (_Server,), {"address_family": family})
        server = server_class((self.host, self.port), _Handler)
        server.app = self.sandbox.wsgi_app
        server.verbose = self.verbose
        self._server = server
        self.sandbox.base_url = self.url
        self._thread = threading.Thread(target=server.serve_forever, name="intacct-sandbox", daemon=True)
        self._thread.start()
        self.ready.set()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.sandbox.base_url = None
        self.ready.clear()

    def serve_forever(self) -> None:
        """Run in the calling thread until interrupted (the CLI's ``serve``)."""
        self.start()
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(0.5)
        finally:
            self.stop()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
