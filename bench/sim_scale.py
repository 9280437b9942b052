"""Scale simulation: N workspaces over M sandbox companies, W worker processes, sandbox latency.

    .venv/bin/python bench/sim_scale.py                       # 1,000 workspaces over 100 companies
    .venv/bin/python bench/sim_scale.py --workspaces 200 --companies 10 --workers 1,2,4,8

Each round queues one job per workspace in Redis (a sync: login + 3 reads; every ``--import-every``-th
workspace an import instead: ``--import-pages`` pages read by 2 threads, so it can hold both of its
company's slots) and starts W real worker processes of ``--threads`` threads each, which take jobs
and make the Intacct calls with ``intacct.Client`` against one sandbox served on loopback, whose
``latency`` fault adds ``--latency-ms`` to every answer and whose per-company limit (2) refuses
what goes over it with HTTP 429 GW-0010, as Intacct does. One second into each import, a prompt push
(one create) for another workspace of the same company is queued; workers take pushes first.

Two modes, side by side for each W:

* ``local``: each client has its own in-process limiter (2), as every sync had before the budget;
* ``shared``: every client's limiter is ``intacct_bridge.budget.BoundLimiter`` over one
  ``RedisBudget`` (per-company limit 2, leases, fair turns, writes before bulk reads).

The workers do the client calls themselves rather than run the service's Huey tasks: wiring the
budget into the service's client factory is a separate step (see docs/operations.md), and the
question here is what the budget does to throughput, refusals and push waits.

Reported per round: syncs/min, the most requests ever in flight at once for one company (counted at
the sandbox by intacct_sandbox.inflight.InflightMeter, refused ones included), the sandbox's
concurrency refusals (429), jobs that failed, the p50/p95 of a push's own time (its slot wait plus
requests) and end to end (from being queued), and the queue depth over time. Writes JSON to
var/bench/sim_scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 2


# ---- worker process ---------------------------------------------------------------------------


def worker(spec: dict[str, Any]) -> None:
    import redis

    import intacct
    from intacct_bridge import budget

    r = redis.Redis.from_url(spec["redis"])
    companies: list[dict[str, Any]] = json.loads(Path(spec["companies"]).read_text())
    keys = spec["keys"]
    shared = (
        budget.RedisBudget(r, budget.Limits(LIMIT), prefix=keys["budget"])
        if spec["mode"] == "shared"
        else None
    )
    m = len(companies)

    def client_for(ws: int) -> Any:
        c = companies[ws % m]
        creds = intacct.Credentials(
            c["sender_id"], c["sender_password"], c["company_id"], c["user_id"], c["user_password"]
        )
        limiter = budget.BoundLimiter(shared, f"ws{ws}") if shared is not None else None
        return intacct.Client(creds, endpoint=spec["endpoint"], limiter=limiter, concurrency=2, max_retries=8)

    def run(job: dict[str, Any]) -> dict[str, Any]:
        ws, kind = job["ws"], job["kind"]
        started = time.time()
        error = None
        client = client_for(ws)
        priority = {"push": budget.Priority.WRITE, "import": budget.Priority.BULK}.get(
            kind, budget.Priority.SYNC
        )
        try:
            with budget.acting_for(f"ws{ws}", priority):
                if kind == "sync":
                    for obj in ("CUSTOMER", "VENDOR", "EMPLOYEE"):
                        list(client.query(obj, ["RECORDNO", "WHENMODIFIED"], page_size=100))
                elif kind == "import":
                    partner = ws + m if ws + m < spec["workspaces"] else ws - m
                    if partner >= 0:
                        threading.Timer(
                            1.0,
                            lambda: r.rpush(
                                keys["push"],
                                json.dumps({"kind": "push", "ws": partner, "queued": time.time()}),
                            ),
                        ).start()
                    errors: list[BaseException] = []

                    def pages() -> None:
                        try:
                            with budget.acting_for(f"ws{ws}", priority):
                                for _ in range(spec["import_pages"] // 2):
                                    client.count("CUSTOMER")
                        except BaseException as exc:
                            errors.append(exc)

                    threads = [threading.Thread(target=pages) for _ in range(2)]
                    for t in threads:
                        t.start()
                    for t in threads:
                        t.join()
                    if errors:
                        raise errors[0]
                else:
                    uid = secrets.token_hex(4)
                    (result,) = client.create(
                        [("CUSTOMER", {"CUSTOMERID": f"P-{uid}", "NAME": f"Push {uid}"})]
                    )
                    if not result.ok:
                        raise RuntimeError(str(result.error))
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:200]
        finally:
            client.close()
        return {**job, "started": started, "ended": time.time(), "error": error}

    def loop() -> None:
        while True:
            item = r.blpop([keys["push"], keys["jobs"]], timeout=0.5)
            if item is None:
                if r.get(keys["done"]):
                    return
                continue
            r.rpush(keys["results"], json.dumps(run(json.loads(item[1]))))

    threads = [threading.Thread(target=loop) for _ in range(spec["threads"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if shared is not None:
        shared.close()


# ---- coordinator ------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def one_round(
    args: argparse.Namespace,
    sb: Any,
    meter: Any,
    endpoint: str,
    companies_file: Path,
    mode: str,
    workers: int,
) -> dict[str, Any]:
    import redis

    r = redis.Redis.from_url(args.redis)
    tag = f"sim:{secrets.token_hex(4)}"
    keys = {k: f"{tag}:{k}" for k in ("jobs", "push", "results", "done", "budget")}
    jobs = [
        {"kind": "import" if i % args.import_every == 0 else "sync", "ws": i, "queued": 0.0}
        for i in range(args.workspaces)
    ]
    now = time.time()
    for job in jobs:
        job["queued"] = now
    r.rpush(keys["jobs"], *[json.dumps(j) for j in jobs])
    imports = sum(1 for j in jobs if j["kind"] == "import")
    pushes = sum(
        1
        for j in jobs
        if j["kind"] == "import" and (j["ws"] + args.companies < args.workspaces or j["ws"] >= args.companies)
    )
    expected = len(jobs) + pushes
    meter.reset()
    refused_before = sb.control.stats().get("faults", {}).get("concurrency", 0)
    spec = {
        "redis": args.redis,
        "endpoint": endpoint,
        "companies": str(companies_file),
        "keys": keys,
        "mode": mode,
        "threads": args.threads,
        "workspaces": args.workspaces,
        "import_pages": args.import_pages,
    }
    started = time.time()
    procs = [
        subprocess.Popen([sys.executable, __file__, "--worker", json.dumps(spec)], cwd=ROOT)
        for _ in range(workers)
    ]
    depth: list[tuple[float, int]] = []
    deadline = started + args.max_seconds
    while r.llen(keys["results"]) < expected and time.time() < deadline:
        depth.append((round(time.time() - started, 1), int(r.llen(keys["jobs"]) + r.llen(keys["push"]))))
        time.sleep(1.0)
    wall = time.time() - started
    r.set(keys["done"], "1")
    for p in procs:
        p.wait(60)
    results = [json.loads(x) for x in r.lrange(keys["results"], 0, -1)]
    for key in keys.values():
        r.delete(key)
    for key in r.scan_iter(match=f"{keys['budget']}:*"):
        r.delete(key)
    snap = meter.snapshot()
    syncs = [x for x in results if x["kind"] == "sync" and not x["error"]]
    push_rows = [x for x in results if x["kind"] == "push"]
    own = [x["ended"] - x["started"] for x in push_rows if not x["error"]]
    e2e = [x["ended"] - x["queued"] for x in push_rows if not x["error"]]
    syncs_span = max((x["ended"] for x in syncs), default=started) - started
    refusals = sb.control.stats().get("faults", {}).get("concurrency", 0) - refused_before
    return {
        "mode": mode,
        "workers": workers,
        "threads": args.threads,
        "wall_s": round(wall, 1),
        "finished": len(results) >= expected,
        "syncs": len(syncs),
        "imports": imports,
        # over the time syncs were running (the last imports may finish alone after them)
        "syncs_per_min": round(len(syncs) / max(1e-6, syncs_span) * 60, 1),
        "max_in_flight_per_company": max(snap["peak"].values(), default=0),
        "requests_served": sum(snap["served"].values()),
        "refusals_429": refusals,
        "failed_jobs": sum(1 for x in results if x["error"]),
        "errors": sorted({x["error"] for x in results if x["error"]})[:3],
        "pushes": len(push_rows),
        "push_own_p50_s": round(pct(own, 0.5), 2),
        "push_own_p95_s": round(pct(own, 0.95), 2),
        "push_e2e_p95_s": round(pct(e2e, 0.95), 2),
        "queue_depth": depth[:: max(1, len(depth) // 12)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--workspaces", type=int, default=1000)
    parser.add_argument("--companies", type=int, default=100)
    parser.add_argument("--workers", default="1,2,4,8", help="worker process counts, comma-separated")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker process")
    parser.add_argument("--latency-ms", type=int, default=150)
    parser.add_argument("--import-every", type=int, default=50)
    parser.add_argument("--import-pages", type=int, default=40)
    parser.add_argument("--modes", default="local,shared")
    parser.add_argument("--max-seconds", type=float, default=900)
    parser.add_argument("--redis", default=os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/6")
    args = parser.parse_args()
    if args.worker:
        worker(json.loads(args.worker))
        return

    from intacct_sandbox import Sandbox, SandboxServer
    from intacct_sandbox.inflight import InflightMeter

    sb = Sandbox()
    meter = InflightMeter(sb.wsgi_app)
    sb.wsgi_app = meter  # type: ignore[assignment]
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    companies_file = out / "sim_scale_companies.json"
    rounds = []
    with SandboxServer(sb, host="127.0.0.1", port=0) as server:
        companies = []
        sender_password = None
        for k in range(args.companies):
            creds = sb.seed_demo(
                company_id=f"SIM{k:03d}",
                seed=k + 1,
                sender_password=sender_password,
                customers=100,
                vendors=5,
                employees=3,
            )
            sender_password = creds["sender_password"]
            companies.append(
                {
                    key: creds[key]
                    for key in ("sender_id", "sender_password", "company_id", "user_id", "user_password")
                }
            )
        companies_file.write_text(json.dumps(companies))
        sb.control.fault("latency", fixed_ms=args.latency_ms)
        print(
            f"{args.workspaces} workspaces over {args.companies} companies, latency {args.latency_ms} ms, "
            f"limit {LIMIT} per company, {args.threads} threads per worker",
            flush=True,
        )
        for workers in [int(w) for w in args.workers.split(",")]:
            for mode in args.modes.split(","):
                row = one_round(args, sb, meter, server.endpoint, companies_file, mode, workers)
                rounds.append(row)
                print(json.dumps({k: v for k, v in row.items() if k != "queue_depth"}), flush=True)
                print("  queue depth (s, jobs):", row["queue_depth"], flush=True)
    companies_file.unlink()
    cols = [
        "workers",
        "mode",
        "syncs_per_min",
        "max_in_flight_per_company",
        "refusals_429",
        "failed_jobs",
        "push_own_p50_s",
        "push_own_p95_s",
        "push_e2e_p95_s",
        "wall_s",
    ]
    print("\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for row in rounds:
        print("| " + " | ".join(str(row[c]) for c in cols) + " |")
    (out / "sim_scale.json").write_text(json.dumps({"args": vars(args), "rounds": rounds}, indent=1))


if __name__ == "__main__":
    main()
