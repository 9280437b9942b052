"""Benchmark of the sandbox's data half, in-process (no HTTP, no XML serialization):

1. demo data generation for N customers (default 100,000);
2. one 1,000-record readByQuery page (all fields) from that company: unfiltered and filtered;
3. one readMore page; 4. one 1,000-record ``query`` page at offset N/2.

  .venv/bin/python bench/bench_sandbox_data.py [--customers 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

import intacct_sandbox.functions  # noqa: F401  (registers handlers)
from intacct_sandbox.demo_data import populate
from intacct_sandbox.functions.local import LocalContext, call
from intacct_sandbox.store import RecordStore


def best_and_median(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    store = RecordStore()
    start = time.perf_counter()
    populate(store, "BENCH", seed=1, clock=datetime(2024, 6, 1, tzinfo=UTC), customers=args.customers)
    generate = time.perf_counter() - start
    ctx = LocalContext(store, "BENCH")
    rbq = (
        "<readByQuery><object>CUSTOMER</object><fields>*</fields><query>{q}</query>"
        "<pagesize>1000</pagesize></readByQuery>"
    )
    rows = [("demo data generation", generate, generate)]
    rows.append(
        ("readByQuery page, no filter", *best_and_median(lambda: call(ctx, rbq.format(q="")), args.repeat))
    )
    rows.append(
        (
            "readByQuery page, STATUS = 'T' AND city",
            *best_and_median(
                lambda: call(
                    ctx, rbq.format(q="STATUS = 'T' AND DISPLAYCONTACT.MAILADDRESS.CITY = 'Austin'")
                ),
                args.repeat,
            ),
        )
    )

    def read_more() -> object:
        first = call(ctx, rbq.format(q=""))
        start = time.perf_counter()
        call(ctx, f"<readMore><resultId>{first.data_attrs['resultId']}</resultId></readMore>")
        return time.perf_counter() - start

    more = sorted(float(read_more()) for _ in range(args.repeat))  # type: ignore[arg-type]
    rows.append(("readMore page", more[0], statistics.median(more)))
    offset = args.customers // 2
    query = (
        f"<query><select><field>RECORDNO</field><field>CUSTOMERID</field><field>NAME</field></select>"
        f"<object>CUSTOMER</object><pagesize>1000</pagesize><offset>{offset}</offset></query>"
    )
    rows.append((f"query page at offset {offset}", *best_and_median(lambda: call(ctx, query), args.repeat)))
    print(f"sandbox data half, {args.customers:,} customers (best / median of {args.repeat})")
    for name, best, median in rows:
        print(f"  {name:<45} {best * 1000:9.1f} ms  {median * 1000:9.1f} ms")


if __name__ == "__main__":
    main()
