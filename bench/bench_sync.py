"""Benchmark of the sync engine against one sandbox holding 100,000 CUSTOMER records.

    .venv/bin/python bench/bench_sync.py [--customers 100000] [--database sqlite|postgres] [--profile]
                                          # writes var/bench/sync-<database>.json

Measures (goals from issue #16, results in docs/sync.md):
  1. import of every client (engine: read + local records + links) vs the client's ORDINARY read of
     the same records with the same fields (``client.query`` with its defaults: ORDER BY RECORDNO,
     2,000 a page, pages in flight) -- goal <= 3x. The engine's own read (cursor order
     WHENMODIFIED,RECORDNO, 1,000 a page) is timed too, for reference.
  2. the first sync after the import, 100 customers changed meanwhile: data requests (goal <= 3)
     and wall time, as the service does it (nothing skipped); then a second incremental sync after
     100 more changes with the removal check not due
  3. a removal scan (key-only RECORDNO scan) over all the keys: requests and time
  4. peak memory (RSS growth) of the import
  5. with --profile: a second import (a fresh workspace, same records) under cProfile; the top
     functions by own time, in microseconds per record, go to var/bench/sync-profile-<database>.txt
The sandbox runs in its own process so that it does not compete with the engine for the GIL.
PostgreSQL: DATABASE_URL, else postgres://postgres@127.0.0.1:5432/intacct_bridge_bench (created when
missing, emptied first).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import multiprocessing
import os
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "var" / "bench"
DATA_FUNCTIONS = ("query", "readByQuery", "readMore", "read", "readByName")


def _sandbox_main(conn: Any, customers: int) -> None:
    from intacct_sandbox import Sandbox, SandboxServer

    sb = Sandbox()
    creds = sb.seed_demo(seed=1, customers=customers)
    with SandboxServer(sb, host="127.0.0.1", port=0) as server:
        conn.send({**creds, "endpoint": server.endpoint})
        while True:
            method, args, kwargs = conn.recv()
            if method == "stop":
                return
            try:
                conn.send(("ok", getattr(sb.control, method)(*args, **kwargs)))
            except Exception as exc:
                conn.send(("error", repr(exc)))


class Sandbox:
    def __init__(self, customers: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_sandbox_main, args=(child, customers), daemon=True)
        self.proc.start()
        self.creds: dict[str, Any] = self.conn.recv()

    def __getattr__(self, method: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.conn.send((method, args, kwargs))
            status, value = self.conn.recv()
            if status != "ok":
                raise RuntimeError(f"sandbox {method}: {value}")
            return value

        return call

    def stop(self) -> None:
        self.conn.send(("stop", (), {}))
        self.proc.join(10)


def data_requests(before: dict[str, Any], after: dict[str, Any]) -> int:
    def total(stats: dict[str, Any]) -> int:
        funcs = stats.get("functions", {})
        return sum(int(funcs.get(name, 0)) for name in DATA_FUNCTIONS)

    return total(after) - total(before)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


BENCH_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/intacct_bridge_bench"


def ensure_database(url: str) -> None:
    """Create the benchmark's own database when the server lacks it (a fresh machine has only `test`)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url.replace("postgres://", "postgresql://", 1))
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    os.environ["INTACCT_BRIDGE_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-sync-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intacct_bridge.settings")
    if args.database == "postgres":
        os.environ.setdefault("DATABASE_URL", BENCH_POSTGRES_URL)
        ensure_database(os.environ["DATABASE_URL"])
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    import intacct
    from intacct_bridge.records.families import CLIENTS
    from intacct_bridge.sync import service
    from intacct_bridge.sync.engine import Engine
    from intacct_bridge.sync.models import Cursor
    from intacct_bridge.sync.runs import new_run
    from intacct_bridge.workspaces.connection import client_for
    from intacct_bridge.workspaces.models import Connection, Workspace

    call_command("migrate", verbosity=0)
    if args.database == "postgres":
        call_command("flush", interactive=False, verbosity=0)  # the benchmark's own database
    t = time.perf_counter()
    sb = Sandbox(args.customers)
    print(f"sandbox seeded with {args.customers:,} customers in {time.perf_counter() - t:.1f} s", flush=True)
    creds = sb.creds
    settings.INTACCT_SENDER_ID = creds["sender_id"]
    settings.INTACCT_SENDER_PASSWORD = creds["sender_password"]
    ws = Workspace.objects.create(slug="bench", name="Bench", families=["clients"])
    conn = Connection(
        workspace=ws, company_id=creds["company_id"], user_id=creds["user_id"], endpoint=creds["endpoint"]
    )
    conn.set_password(creds["user_password"])
    conn.save()
    results: dict[str, Any] = {"customers": args.customers}

    # 1. the client's ordinary read of the records the import reads (same fields), and, for
    # reference, the engine's own query (cursor order, 1,000 a page)
    fields = CLIENTS.spec.query_fields()
    with client_for(ws) as client:
        client.session()
        t = time.perf_counter()
        n = sum(1 for _ in client.query("CUSTOMER", fields))
        raw = time.perf_counter() - t
        t = time.perf_counter()
        n_engine = sum(
            1 for _ in client.query("CUSTOMER", fields, order_by=["WHENMODIFIED", "RECORDNO"], page_size=1000)
        )
        engine_order = time.perf_counter() - t
    results["raw_read"] = {"records": n, "fields": len(fields), "seconds": round(raw, 2)}
    results["engine_order_read"] = {"records": n_engine, "seconds": round(engine_order, 2)}
    print(
        f"client's ordinary read: {n:,} records x {len(fields)} fields in {raw:.2f} s; "
        f"in the engine's cursor order, 1,000 a page: {engine_order:.2f} s",
        flush=True,
    )

    rss_before = rss_mb()
    t = time.perf_counter()
    run = service.import_records(ws, "clients", None)
    imported = time.perf_counter() - t
    results["import"] = {
        "records": run.created,
        "seconds": round(imported, 2),
        "ratio_to_raw_read": round(imported / raw, 2),
        "api_requests": run.api_requests,
        "peak_rss_growth_mb": round(rss_mb() - rss_before, 1),
        "peak_rss_mb": round(rss_mb(), 1),
    }
    print(
        f"import: {run.created:,} clients in {imported:.2f} s = {imported / raw:.2f}x the raw read; "
        f"peak RSS +{rss_mb() - rss_before:.0f} MB",
        flush=True,
    )

    # 2. the first sync after the import, 100 changes made meanwhile, as the service runs it
    sb.mutate(creds["company_id"], "CUSTOMER", change=100, seed=7)
    results["first_sync_after_import"] = incremental(sb, service, ws)
    # then a steady-state incremental sync: 100 more changes, the removal check not due (measured in 3.)
    Cursor.objects.filter(workspace=ws, family="clients").update(
        removal_checked_at=timezone.now(), key_scan_at=timezone.now()
    )
    sb.mutate(creds["company_id"], "CUSTOMER", change=100, seed=8)
    results["incremental"] = incremental(sb, service, ws)

    # 3. removal scan over every key (10 customers deleted first: the newest, which nothing uses)
    from intacct_bridge.sync.models import Link

    newest = Link.objects.filter(workspace=ws, family="clients").order_by("-recordno")
    with client_for(ws) as client:
        deleted = 0
        for key in newest.values_list("recordno", flat=True)[:50]:
            deleted += client.delete("CUSTOMER", [key])[0].ok
            if deleted == 10:
                break
    before = sb.stats()
    run = new_run(ws, "clients")
    engine = Engine(ws, run, client_for(ws))
    t = time.perf_counter()
    engine.check_removals(CLIENTS, key_scan=True)
    wall = time.perf_counter() - t
    after = sb.stats()
    results["removal_scan"] = {
        "keys": args.customers,
        "unlinked": engine.run.unlinked,
        "data_requests": data_requests(before, after),
        "seconds": round(wall, 2),
    }
    print(
        f"removal scan: {engine.run.unlinked} unlinked, {results['removal_scan']['data_requests']} requests, "
        f"{wall:.2f} s",
        flush=True,
    )
    # 5. where the import's time goes: a second import of the same records into a fresh workspace
    if args.profile:
        ws2 = Workspace.objects.create(slug="bench-profile", name="Bench profile", families=["clients"])
        conn2 = Connection(
            workspace=ws2,
            company_id=creds["company_id"],
            user_id=creds["user_id"],
            endpoint=creds["endpoint"],
        )
        conn2.set_password(creds["user_password"])
        conn2.save()
        profiler = cProfile.Profile()
        t = time.perf_counter()
        profiler.enable()
        run = service.import_records(ws2, "clients", None)
        profiler.disable()
        wall = time.perf_counter() - t
        results["profile"] = profile_report(profiler, run.created, wall, args.database)
    sb.stop()
    results["database"] = args.database
    results["python"] = sys.version.split()[0]
    results["intacct_client"] = getattr(intacct, "__version__", "")
    out = OUT_DIR / f"sync-{args.database}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


def incremental(sb: Any, service: Any, ws: Any) -> dict[str, Any]:
    before = sb.stats()
    t = time.perf_counter()
    run = service.sync_now(ws, "clients")
    wall = time.perf_counter() - t
    after = sb.stats()
    out = {
        "changed": 100,
        "updated": run.updated,
        "fetched": run.fetched,
        "data_requests": data_requests(before, after),
        "all_requests": int(after.get("requests", 0)) - int(before.get("requests", 0)),
        "seconds": round(wall, 3),
        "status": run.status,
    }
    print(
        f"sync: {run.updated} updated, {run.fetched} fetched, {out['data_requests']} data requests "
        f"({out['all_requests']} in all), {wall:.3f} s",
        flush=True,
    )
    return out


def profile_report(profiler: cProfile.Profile, records: int, wall: float, database: str) -> dict[str, Any]:
    """Top functions by own time (cProfile; its overhead inflates small calls) per imported record."""
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, name), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        short = filename.split("/site-packages/")[-1].split("/src/")[-1]
        rows.append((tottime, cumtime, ncalls, f"{short}:{line}({name})"))
    rows.sort(reverse=True)
    total = sum(r[0] for r in rows)
    lines = [
        f"import of {records:,} clients under cProfile ({database}): {wall:.1f} s wall, "
        f"{total / max(records, 1) * 1e6:.0f} us of profiled CPU per record",
        f"{'own us/rec':>10} {'cum us/rec':>10} {'calls':>9}  function",
    ]
    for tottime, cumtime, ncalls, where in rows[:25]:
        lines.append(
            f"{tottime / max(records, 1) * 1e6:10.1f} {cumtime / max(records, 1) * 1e6:10.1f}"
            f" {ncalls:9d}  {where}"
        )
    text = "\n".join(lines)
    path = OUT_DIR / f"sync-profile-{database}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n")
    print(text, flush=True)
    return {
        "records": records,
        "wall_seconds": round(wall, 2),
        "us_per_record": round(total / max(records, 1) * 1e6, 1),
        "top": [
            {"function": w, "own_us_per_record": round(t / max(records, 1) * 1e6, 2), "calls": c}
            for t, _cum, c, w in rows[:25]
        ],
    }


if __name__ == "__main__":
    main()
