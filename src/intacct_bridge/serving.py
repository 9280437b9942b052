"""Running the service's processes: the waitress web server and the Huey worker, together or apart.

``running(...)`` is what ``intacct-bridge run`` uses: the web server in the main thread and a Huey
consumer in threads of the same process, both stopped cleanly by Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from types import FrameType
from typing import Any


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def create_web_server(host: str, port: int, threads: int = 8) -> Any:
    """A bound (listening) waitress server; ``.run()`` serves until interrupted."""
    from waitress.server import create_server

    # imported when serving starts: importing the WSGI module sets Django up
    from intacct_bridge.wsgi import application

    return create_server(
        application,
        host=host,
        port=port,
        threads=threads,
        ident="intacct-bridge",
        clear_untrusted_proxy_headers=True,
    )


def server_url(server: Any) -> str:
    host = server.effective_host
    host = f"[{host}]" if ":" in str(host) else host
    return f"http://{host}:{server.effective_port}"


@contextlib.contextmanager
def worker_threads(workers: int) -> Iterator[Any]:
    """A Huey consumer running in threads of this process until the block ends."""
    from huey.contrib.djhuey import HUEY

    consumer = HUEY.create_consumer(workers=workers, worker_type="thread", periodic=True)
    # Consumer.start() installs its own SIGINT/SIGTERM handlers meant for its run() loop, which we do
    # not use; keep ours so that Ctrl-C still reaches the web server.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer.start()
    for sig, handler in saved.items():
        signal.signal(sig, handler)
    healer = start_healer()
    try:
        yield consumer
    finally:
        healer.set()
        consumer.stop(graceful=True)


def serve_forever(server: Any) -> None:
    """Serve until Ctrl-C or SIGTERM, then close the listening socket."""
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        server.run()
    except KeyboardInterrupt:
        print("\nStopping…", file=sys.stderr, flush=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()


def start_healer() -> Any:
    from intacct_bridge.jobs.healer import start_healer as start

    return start()


def run_worker(workers: int, worker_type: str) -> None:
    """A standalone Huey consumer (``intacct-bridge worker``), with Huey's own signal handling."""
    from huey.contrib.djhuey import HUEY

    # every worker heals: a dead worker's runs and runs lost from the queue (jobs/healer.py)
    start_healer()
    HUEY.create_consumer(workers=workers, worker_type=worker_type, periodic=True).run()
