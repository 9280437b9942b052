"""Benchmark of the service's write API (issue #16): single creates per second, and the bulk create.

    .venv/bin/python bench/bench_api.py [--creates 500]      # writes var/bench/api.json

The service runs as it is deployed (``intacct-bridge serve``: waitress, 8 threads) in its own
process on SQLite under a temporary directory. One client on loopback (httpx, keep-alive) sends
``POST /api/v1/workspaces/bench/vendors/records`` with a read-write token and a fresh
Idempotency-Key per record, one request at a time, then the same with 4 clients at once. Goal:
single creates >= 300/s on SQLite. The bulk create endpoint (up to 1,000 records a request, one
Idempotency-Key for the batch) is reported as "not built yet" while the service has none: the
benchmark looks for it in the service's OpenAPI document rather than guessing.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench" / "api.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def setup(env: dict[str, str]) -> str:
    """Migrate, make the workspace and a read-write token (in this process); returns the token."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from intacct_bridge.workspaces.models import ApiToken, Workspace

    call_command("migrate", verbosity=0)
    ws = Workspace.objects.create(slug="bench", name="Bench", families=["vendors"])
    _token, plaintext = ApiToken.issue(ws, write=True, name="bench")
    return plaintext


def vendor(n: int) -> dict[str, Any]:
    return {"fields": {"name": f"Bench vendor {n}", "country": "United States", "city": "Austin"}}


def profile_creates(token: str, n: int) -> str:
    """The same creates in-process (Django's test client, no HTTP server) under cProfile."""
    import cProfile

    from django.test import Client
    from profiling import top

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="127.0.0.1")
    profiler = cProfile.Profile()
    t = time.perf_counter()
    profiler.enable()
    for i in range(n):
        r = client.post(
            "/api/v1/workspaces/bench/vendors/records",
            data=vendor(20_000 + i),
            content_type="application/json",
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )
        assert r.status_code == 201, r.content[:300]
    profiler.disable()
    wall = time.perf_counter() - t
    text = top(
        profiler,
        n,
        "create",
        f"{n} API creates in-process under cProfile, {wall:.2f} s ({n / wall:.0f}/s)",
        OUT.with_name("api-profile.txt"),
    )
    print(text)
    return text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--creates", type=int, default=500)
    ap.add_argument("--profile", action="store_true", help="then profile creates in-process")
    args = ap.parse_args()
    var = tempfile.mkdtemp(prefix="bench-api-")
    env = {
        "INTACCT_BRIDGE_VAR_DIR": var,
        "DJANGO_SETTINGS_MODULE": "intacct_bridge.settings",
    }
    os.environ.pop("DATABASE_URL", None)
    token = setup(env)
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "intacct-bridge"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}/api/v1/workspaces/bench"
    headers = {"Authorization": f"Bearer {token}"}
    results: dict[str, Any] = {"creates": args.creates, "database": "sqlite"}
    try:
        with httpx.Client(headers=headers, timeout=30) as http:
            for _ in range(100):
                try:
                    http.get(f"{base}/vendors/records")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)

            def create(n: int, client: httpx.Client = http) -> None:
                r = client.post(
                    f"{base}/vendors/records", json=vendor(n), headers={"Idempotency-Key": uuid.uuid4().hex}
                )
                if r.status_code != 201:
                    raise RuntimeError(f"create answered {r.status_code}: {r.text[:300]}")

            create(0)  # warm-up
            t = time.perf_counter()
            for n in range(1, args.creates + 1):
                create(n)
            wall = time.perf_counter() - t
            results["single"] = {"seconds": wall, "per_s": args.creates / wall}

            clients = [httpx.Client(headers=headers, timeout=30) for _ in range(4)]
            t = time.perf_counter()
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(lambda n: create(n, clients[n % 4]), range(10_000, 10_000 + args.creates)))
            wall = time.perf_counter() - t
            for c in clients:
                c.close()
            results["single_4_clients"] = {"seconds": wall, "per_s": args.creates / wall}

            # the served API's own OpenAPI document (read in-process: the page needs a signed-in user)
            from intacct_bridge.api.urls import api

            paths = list(api.get_openapi_schema()["paths"])
            results["api_paths"] = len(paths)
            bulk = [p for p in paths if "bulk" in p.lower()]
            results["bulk"] = {
                "endpoint": bulk[0] if bulk else None,
                "status": "built" if bulk else "not built yet",
            }
    finally:
        server.terminate()
        server.wait(10)
    if args.profile:
        results["profile"] = profile_creates(token, min(args.creates, 200))
    print(
        f"API single creates (POST vendors/records, SQLite, waitress): "
        f"{results['single']['per_s']:.0f}/s one client, {results['single_4_clients']['per_s']:.0f}/s "
        f"4 clients (goal >= 300/s)"
    )
    bulk_line = results["bulk"]["endpoint"] or "not built yet"
    print(f"API bulk create (1,000 records a request): {bulk_line}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
