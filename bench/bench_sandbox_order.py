"""Benchmark of the sandbox's ordered pages and of its memory under repeated reads (issue #16):

1. one 1,000-record ``query`` page ordered by each field Intacct indexes (RECORDNO, WHENMODIFIED,
   WHENCREATED, CUSTOMERID, NAME; ascending and descending; and the sync engine's cursor order
   WHENMODIFIED,RECORDNO) against a RECORDNO-ordered page at the same offset, in-process over WSGI
   (no socket, no client parsing). The first page of an order builds it (one sort, reported
   apart); later pages, with and without a write to the table in between, use the order kept on
   write. Goal: every ordered page within 2x of the RECORDNO page.
2. the sandbox's resident memory (VmRSS of the sandbox server, in its own process) after a first full
   read and after R more full reads over loopback, cycling the client's ordinary query, a
   readByQuery walk and the engine's cursor order. Goal: growth <= 5%.

  .venv/bin/python bench/bench_sandbox_order.py [--customers 100000] [--reads 100] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench_sandbox_gateway import envelope, post
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench" / "sandbox_order.json"
FIELDS = ["RECORDNO", "CUSTOMERID", "NAME", "STATUS", "WHENMODIFIED"]
ORDERS: list[tuple[str, list[tuple[str, bool]]]] = [
    ("RECORDNO desc", [("RECORDNO", True)]),
    ("WHENMODIFIED", [("WHENMODIFIED", False)]),
    ("WHENMODIFIED desc", [("WHENMODIFIED", True)]),
    ("WHENCREATED", [("WHENCREATED", False)]),
    ("WHENCREATED desc", [("WHENCREATED", True)]),
    ("CUSTOMERID", [("CUSTOMERID", False)]),
    ("CUSTOMERID desc", [("CUSTOMERID", True)]),
    ("NAME", [("NAME", False)]),
    ("NAME desc", [("NAME", True)]),
    ("WHENMODIFIED,RECORDNO", [("WHENMODIFIED", False), ("RECORDNO", False)]),
]


def query_fn(order: list[tuple[str, bool]], offset: int, size: int = 1000) -> str:
    select = "".join(f"<field>{f}</field>" for f in FIELDS)
    orders = "".join(
        f"<order><field>{name}</field>{'<descending/>' if desc else '<ascending/>'}</order>"
        for name, desc in order
    )
    return (
        f"<query><object>CUSTOMER</object><select>{select}</select><orderby>{orders}</orderby>"
        f"<pagesize>{size}</pagesize><offset>{offset}</offset></query>"
    )


def median_seconds(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def ordered_pages(customers: int, repeat: int) -> dict[str, Any]:
    from intacct_sandbox import Sandbox

    sb = Sandbox()
    creds = sb.seed_demo(seed=1, customers=customers)
    session = etree.fromstring(post(sb, envelope(creds, "<getAPISession/>", "false"))).findtext(
        "operation/result/data/api/sessionid"
    )

    def page(order: list[tuple[str, bool]], offset: int) -> bytes:
        return post(sb, envelope(creds, query_fn(order, offset), "false", session))

    first = page([("RECORDNO", False)], 0)
    assert b"<status>success</status>" in first, first[:500]
    offsets = [0, customers // 2, max(customers - 1000, 0)]
    n = [0]

    def write() -> None:
        # one update through the gateway: changes WHENMODIFIED, so every open order moves a record
        n[0] += 1
        cid = f"C{n[0] % customers + 1:05d}"
        upd = (
            f"<update><CUSTOMER><CUSTOMERID>{cid}</CUSTOMERID><NAME>Renamed {n[0]}</NAME></CUSTOMER></update>"
        )
        answer = post(sb, envelope(creds, upd, "false", session))
        assert b"<status>success</status>" in answer, answer[:800]

    base_order = [("RECORDNO", False)]

    def timed_page(order: list[tuple[str, bool]], off: int) -> float:
        t = time.perf_counter()
        page(order, off)
        return time.perf_counter() - t

    def timings(order: list[tuple[str, bool]]) -> dict[str, float]:
        """Pages of ``order`` and of RECORDNO alternately (the machine is shared: side by side is
        fairer than one after the other), at the first, middle and last offsets: first with no
        write anywhere (steady state), then each page right after an update of the table."""
        mine, base, mine_w, base_w = [], [], [], []
        for _ in range(repeat):
            for off in offsets:
                base.append(timed_page(base_order, off))
                mine.append(timed_page(order, off))
        for _ in range(repeat):
            for off in offsets:
                write()
                base_w.append(timed_page(base_order, off))
                write()
                mine_w.append(timed_page(order, off))
        m, b = statistics.median(mine), statistics.median(base)
        mw, bw = statistics.median(mine_w), statistics.median(base_w)
        return {
            "page_s": m,
            "recordno_page_s": b,
            "ratio": m / b,
            "page_after_write_s": mw,
            "recordno_page_after_write_s": bw,
            "ratio_after_write": mw / bw,
        }

    out: dict[str, Any] = {"customers": customers, "orders": {}}
    for name, order in ORDERS:
        t = time.perf_counter()
        page(order, offsets[1])
        build = time.perf_counter() - t
        figures = timings(order)
        figures["first_page_s"] = build
        out["orders"][name] = figures
    out["worst_ratio"] = max(max(f["ratio"], f["ratio_after_write"]) for f in out["orders"].values())
    return out


def memory(customers: int, reads: int) -> dict[str, Any]:
    from bench_client import SandboxProcess, credentials

    import intacct

    sb = SandboxProcess(customers)
    creds = sb.creds
    try:
        client = intacct.Client(credentials(creds), endpoint=creds["endpoint"], concurrency=2)
        kinds = {
            # the client's ordinary read: query, ORDER BY RECORDNO, offset pages
            "query": lambda: client.query("CUSTOMER", FIELDS),
            # a readByQuery walk (resultId + readMore), as a string condition is sent
            "readByQuery": lambda: client.query("CUSTOMER", FIELDS, where="RECORDNO > 0"),
            # the sync engine's cursor order
            "cursor order": lambda: client.query("CUSTOMER", FIELDS, order_by=["WHENMODIFIED", "RECORDNO"]),
        }
        names = list(kinds)
        with client:
            seeded = sb.rss_kib()
            count = sum(1 for _ in kinds["query"]())
            after_first = sb.rss_kib()
            samples = []
            for i in range(reads):
                got = sum(1 for _ in kinds[names[(i + 1) % len(names)]]())
                assert got == count, (got, count)
                if (i + 1) % 10 == 0 or i + 1 == reads:
                    samples.append((i + 1, sb.rss_kib()))
            final = sb.rss_kib()
    finally:
        sb.stop()
    return {
        "customers": customers,
        "reads": reads,
        "kinds": names,
        "rss_seeded_kib": seeded,
        "rss_after_first_read_kib": after_first,
        "rss_final_kib": final,
        "samples": samples,
        "growth": final / after_first - 1,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--reads", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--json", type=Path, default=OUT)
    ap.add_argument("--skip-memory", action="store_true", help="pages only; keep the JSON's memory figure")
    args = ap.parse_args()
    pages = ordered_pages(args.customers, args.repeat)
    print(
        f"1,000-record query page at {args.customers:,} customers, ordered vs ORDER BY RECORDNO "
        "(medians, side by side; no writes, then 'after a write': an update just before each page)"
    )
    for name, f in pages["orders"].items():
        print(
            f"  {name:<24} {f['page_s'] * 1000:5.1f} vs {f['recordno_page_s'] * 1000:5.1f} ms"
            f" {f['ratio']:5.2f}x"
            f"   after a write {f['page_after_write_s'] * 1000:5.1f} vs "
            f"{f['recordno_page_after_write_s'] * 1000:5.1f} ms {f['ratio_after_write']:5.2f}x"
            f"   first page (builds the order) {f['first_page_s'] * 1000:.0f} ms"
        )
    print(f"  worst ordered page / RECORDNO page (goal <= 2x): {pages['worst_ratio']:.2f}x")
    if args.skip_memory and args.json.exists():
        mem = json.loads(args.json.read_text())["memory"]  # keep the last memory figure
    else:
        mem = memory(args.customers, args.reads)
    print(
        f"sandbox RSS, {args.reads} full reads of {args.customers:,} ({', '.join(mem['kinds'])} in turn): "
        f"{mem['rss_seeded_kib'] / 1024:.0f} MiB seeded, {mem['rss_after_first_read_kib'] / 1024:.0f} after "
        f"the first read, {mem['rss_final_kib'] / 1024:.0f} after the last: "
        f"growth {mem['growth'] * 100:+.1f}% (goal <= 5%)"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"pages": pages, "memory": mem}, indent=2))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
