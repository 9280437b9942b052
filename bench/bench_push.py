"""Benchmark of the push side: 1,000 new vendors and 1,000 bills (3 lines each) sent to the sandbox.

    .venv/bin/python bench/bench_push.py [--vendors 1000 --bills 1000] [--latency-ms 0]
                                                        # writes var/bench/push.json (or push-<ms>ms.json)

Two ways of doing the same work (results in docs/ap.md):
  1. the sync engine: one Sync now of a workspace whose new vendors and ready-to-pay bills wait —
     vendors first (generic <create>, 100 a request), then bills (create_bill, 100 a request), each
     bill read back with its lines; every request of the run is counted, the pulls included
  2. one request per record: client.create(VENDOR) and client.call("create_bill") one at a time,
     as an integration without batching does it
Goal (issue 6): at least 20x fewer requests for the engine. The sandbox runs in its own process on
loopback (bench_sync.Sandbox), so it does not compete with the engine for the GIL. On loopback a
request costs about a millisecond; ``--latency-ms`` adds the sandbox's latency fault to every request
of both ways, closer to a real gateway's round trip.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench" / "push.json"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sync import Sandbox  # noqa: E402
from profiling import top  # noqa: E402

ACCOUNTS = ("6000", "6200", "6300")


def requests_between(before: dict[str, Any], after: dict[str, Any]) -> int:
    return int(after.get("requests", 0)) - int(before.get("requests", 0))


def functions_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, int]:
    a, b = after.get("functions", {}), before.get("functions", {})
    return {name: int(a[name]) - int(b.get(name, 0)) for name in a if int(a[name]) - int(b.get(name, 0))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vendors", type=int, default=1000)
    parser.add_argument("--bills", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--profile", action="store_true", help="the engine's push under cProfile")
    args = parser.parse_args()
    out = OUT if not args.latency_ms else OUT.with_name(f"push-{args.latency_ms:g}ms.json")
    if args.profile:  # profiled times are inflated: never the figures' file
        out = out.with_name(out.stem + "-profiled.json")

    os.environ["INTACCT_BRIDGE_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-push-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intacct_bridge.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from intacct_bridge.ap.models import Bill, BillLine
    from intacct_bridge.records.models import Account, Vendor
    from intacct_bridge.sync import service
    from intacct_bridge.workspaces.connection import client_for
    from intacct_bridge.workspaces.models import Connection, Workspace

    call_command("migrate", verbosity=0)
    sb = Sandbox(200)
    creds = sb.creds
    company = creds["company_id"]
    settings.INTACCT_SENDER_ID = creds["sender_id"]
    settings.INTACCT_SENDER_PASSWORD = creds["sender_password"]
    ws = Workspace.objects.create(slug="bench", name="Bench", families=["accounts", "vendors", "bills"])
    conn = Connection(workspace=ws, company_id=company, user_id=creds["user_id"], endpoint=creds["endpoint"])
    conn.set_password(creds["user_password"])
    conn.save()
    first = service.sync_now(ws)  # the chart, the demo vendors and bills come in first
    assert first.status == "succeeded", first.message
    results: dict[str, Any] = {
        "vendors": args.vendors,
        "bills": args.bills,
        "lines_per_bill": 3,
        "latency_ms": args.latency_ms,
    }
    if args.latency_ms:
        sb.fault("latency", rate=1.0, seed=1, fixed_ms=args.latency_ms)

    # the work waiting in the app: new vendors, and one ready-to-pay bill for each (3 lines)
    today = date.today()
    accounts = [Account.objects.get(workspace=ws, number=n) for n in ACCOUNTS]
    vendors = Vendor.objects.bulk_create(
        Vendor(workspace=ws, name=f"Bench Supplier {i:05d}", print_as=f"Bench Supplier {i:05d}", city="Oslo")
        for i in range(args.vendors)
    )
    bills = Bill.objects.bulk_create(
        Bill(
            workspace=ws,
            vendor=vendors[i % len(vendors)],
            bill_number=f"B-{i:05d}",
            bill_date=today,
            due_date=today + timedelta(days=30),
            total=Decimal("60.00"),
            amount_due=Decimal("60.00"),
            ready_to_pay=True,
        )
        for i in range(args.bills)
    )
    BillLine.objects.bulk_create(
        BillLine(
            bill=bill, line_no=n + 1, account=accounts[n], amount=Decimal(10 * (n + 1)), memo=f"line {n + 1}"
        )
        for bill in bills
        for n in range(3)
    )
    vendors_before, bills_before = sb.count(company, "VENDOR"), sb.count(company, "APBILL")

    # 1. the engine
    before = sb.stats()
    profiler = cProfile.Profile() if args.profile else None
    t, cpu = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    run = service.sync_now(ws)
    if profiler is not None:
        profiler.disable()
    engine_wall, engine_cpu = time.perf_counter() - t, time.process_time() - cpu
    after = sb.stats()
    created_v = sb.count(company, "VENDOR") - vendors_before
    created_b = sb.count(company, "APBILL") - bills_before
    assert run.status == "succeeded", (run.message, list(run.issues.values_list("text", flat=True)[:5]))
    assert (created_v, created_b) == (args.vendors, args.bills), (created_v, created_b)
    results["engine"] = {
        "requests": requests_between(before, after),
        "functions": functions_between(before, after),
        "seconds": round(engine_wall, 2),
        # the engine process's own CPU: the rest of the wall time is waiting for the sandbox
        "cpu_seconds": round(engine_cpu, 2),
        "profiled": profiler is not None,
        "pushed": run.pushed,
        "run_api_requests": run.api_requests,
    }
    pushed = results["engine"]["requests"]
    if profiler is not None:
        print(
            top(
                profiler,
                args.vendors + args.bills,
                "record",
                f"engine push of {args.vendors} vendors + {args.bills} bills under cProfile, "
                f"{engine_wall:.1f} s wall, {engine_cpu:.1f} s CPU",
                OUT.with_name("push-profile.txt"),
            ),
            flush=True,
        )
    print(f"engine: {run.pushed} records pushed in {pushed} requests, {engine_wall:.2f} s", flush=True)

    # 2. one request per record, with the same client library
    vendors_before, bills_before = sb.count(company, "VENDOR"), sb.count(company, "APBILL")
    with client_for(ws, max_retries=3) as client:
        client.session()
        before = sb.stats()
        t = time.perf_counter()
        for i in range(args.vendors):
            client.create(
                [
                    (
                        "VENDOR",
                        {
                            "VENDORID": f"OPR{i:05d}",
                            "NAME": f"One-per-request Supplier {i:05d}",
                            "DISPLAYCONTACT": {"PRINTAS": f"One-per-request Supplier {i:05d}"},
                        },
                    )
                ]
            )[0].raise_for_error()
        for i in range(args.bills):
            client.call(
                "create_bill",
                {
                    "vendorid": f"OPR{i % args.vendors:05d}",
                    "datecreated": today,
                    "datedue": today + timedelta(days=30),
                    "billno": f"OPR-{i:05d}",
                    "externalid": f"OPR-{i:05d}",
                    "billitems": {
                        "lineitem": [
                            {"glaccountno": n, "amount": str(10 * (k + 1)), "memo": f"line {k + 1}"}
                            for k, n in enumerate(ACCOUNTS)
                        ]
                    },
                },
            )
        single_wall = time.perf_counter() - t
        after = sb.stats()
    assert sb.count(company, "VENDOR") - vendors_before == args.vendors
    assert sb.count(company, "APBILL") - bills_before == args.bills
    results["one_per_record"] = {
        "requests": requests_between(before, after),
        "functions": functions_between(before, after),
        "seconds": round(single_wall, 2),
    }
    print(
        f"one per record: {results['one_per_record']['requests']} requests, {single_wall:.2f} s",
        flush=True,
    )
    # 3. the incumbent: sageintacctsdk creating the same number of vendors, one request each
    from bench_client import sdk_client

    sdk = sdk_client(creds, creds["endpoint"])
    before = sb.stats()
    t = time.perf_counter()
    for i in range(args.vendors):
        sdk.vendors.post({"VENDORID": f"SDK{i:05d}", "NAME": f"Incumbent Supplier {i:05d}"})
    sdk_wall = time.perf_counter() - t
    after = sb.stats()
    results["sdk_vendors"] = {"requests": requests_between(before, after), "seconds": round(sdk_wall, 2)}
    # issue #16's goal: the engine's whole push (vendors and bills) against the incumbent's vendors alone
    results["vs_sdk_vendors"] = round(sdk_wall / engine_wall, 2)
    print(
        f"sageintacctsdk, {args.vendors} vendors one per request: {sdk_wall:.2f} s; "
        f"engine (vendors + bills) {results['vs_sdk_vendors']}x faster",
        flush=True,
    )
    results["request_ratio"] = round(results["one_per_record"]["requests"] / results["engine"]["requests"], 1)
    results["time_ratio"] = round(single_wall / engine_wall, 2)
    print(
        f"ratio: {results['request_ratio']}x fewer requests, {results['time_ratio']}x the wall time",
        flush=True,
    )
    sb.stop()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
