"""Issue #16's figures, each beside its goal, from the JSON the benchmarks wrote under var/bench/.

    .venv/bin/python bench/summary.py        # scripts/bench runs it last

A figure whose benchmark did not run says "not measured"; a feature the service does not have yet
says "not built yet". Nothing here measures anything: it only reads what the benchmarks wrote.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"


def load(name: str) -> dict[str, Any] | None:
    path = VAR / name
    return json.loads(path.read_text()) if path.exists() else None


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem_kib = 0
    ram = mem_kib / 1024 / 1024
    return f"{os.cpu_count()} CPUs (nproc), {cpu}, {ram:.1f} GiB RAM, Python {platform.python_version()}"


Row = tuple[str, str, str, str]  # figure, value, goal, verdict


def verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("met" if ok else "MISSED")


def rows() -> list[Row]:
    out: list[Row] = []
    for db in ("sqlite", "postgres"):
        sync = load(f"sync-{db}.json")
        if sync is None:
            out.append(
                (f"import of all clients, {db}, vs the client's ordinary read", "-", "<= 3x", "not measured")
            )
            continue
        imp, raw = sync["import"], sync["raw_read"]
        ratio = imp["seconds"] / raw["seconds"]
        out.append(
            (
                f"import of {imp['records']:,} clients, {db}, vs the client's ordinary read",
                f"{ratio:.1f}x ({imp['seconds']:.1f} vs {raw['seconds']:.2f} s)",
                "<= 3x",
                verdict(ratio <= 3),
            )
        )
    order = load("sandbox_order.json")
    if order is None:
        out.append(("sandbox: ordered page vs RECORDNO page", "-", "<= 2x", "not measured"))
        out.append(("sandbox: memory growth over repeated full reads", "-", "<= 5%", "not measured"))
    else:
        pages, mem = order["pages"], order["memory"]
        worst_name, worst = max(
            ((n, max(f["ratio"], f["ratio_after_write"])) for n, f in pages["orders"].items()),
            key=lambda x: x[1],
        )
        out.append(
            (
                f"sandbox: 1,000-record page at {pages['customers']:,}, worst order vs RECORDNO",
                f"{worst:.2f}x ({worst_name})",
                "<= 2x",
                verdict(worst <= 2),
            )
        )
        out.append(
            (
                f"sandbox: RSS growth over {mem['reads']} full reads of {mem['customers']:,}",
                f"{mem['growth'] * 100:+.1f}% ({mem['rss_after_first_read_kib'] / 1024:.0f} -> "
                f"{mem['rss_final_kib'] / 1024:.0f} MiB)",
                "<= 5%",
                verdict(mem["growth"] <= 0.05),
            )
        )
    client = load("client.json")
    if client is None:
        out.append(("client read vs sageintacctsdk get_all", "-", ">= 5x", "not measured"))
        out.append(("client CPU per record vs bare lxml + naive dicts", "-", "<= 2x", "not measured"))
    else:
        speed = client["read_speedup_wall"]
        out.append(
            (
                f"client read of {client['ours_read']['records']:,} vs sageintacctsdk get_all (records/s)",
                f"{speed:.1f}x ({client['ours_read']['records_per_s']:,.0f} vs "
                f"{client['sdk_read']['records_per_s']:,.0f}/s)",
                ">= 5x",
                verdict(speed >= 5),
            )
        )
        cpu = client["cpu_per_record"]
        out.append(
            (
                "client CPU per record (whole read) vs bare lxml + naive dict",
                f"{cpu['ratio']:.2f}x ({cpu['ours_us']:.1f} vs {cpu['floor_us']:.1f} us)",
                "<= 2x",
                verdict(cpu["ratio"] <= 2),
            )
        )
    for name, label, goal in (("push.json", "loopback", 3.0), ("push-100ms.json", "100 ms latency", 10.0)):
        push = load(name)
        if push is None or "vs_sdk_vendors" not in push:
            out.append(
                (
                    f"push 1,000 vendors + 1,000 bills vs incumbent, {label}",
                    "-",
                    f">= {goal:g}x",
                    "not measured",
                )
            )
            continue
        engine, sdk = push["engine"]["seconds"], push["sdk_vendors"]["seconds"]
        out.append(
            (
                f"push {push['engine']['pushed']:,} vendors + bills vs sageintacctsdk's vendors, {label}",
                f"{push['vs_sdk_vendors']:.2f}x ({engine:.1f} vs {sdk:.1f} s)",
                f">= {goal:g}x",
                verdict(push["vs_sdk_vendors"] >= goal),
            )
        )
    api = load("api.json")
    if api is None:
        out.append(("API single creates per second (SQLite)", "-", ">= 300/s", "not measured"))
        out.append(("API bulk create (1,000 a request)", "-", "exists", "not measured"))
    else:
        per_s = api["single"]["per_s"]
        out.append(
            (
                "API single creates per second (SQLite, one client)",
                f"{per_s:.0f}/s ({api['single_4_clients']['per_s']:.0f}/s with 4 clients)",
                ">= 300/s",
                verdict(per_s >= 300),
            )
        )
        built = api["bulk"]["endpoint"]
        out.append(
            ("API bulk create (1,000 a request)", built or "not built yet", "exists", verdict(bool(built)))
        )
    sync = load("sync-sqlite.json")
    if sync is None or "first_sync_after_import" not in sync:
        out.append(("incremental: 100 changes, data requests", "-", "<= 3", "not measured"))
    else:
        for key, label in (
            ("first_sync_after_import", "first sync after the import"),
            ("incremental", "later sync"),
        ):
            n = sync[key]["data_requests"]
            out.append((f"incremental: 100 changes, {label}, data requests", str(n), "<= 3", verdict(n <= 3)))
    return out


def main() -> None:
    table = rows()
    print(f"machine: {machine()}")
    w = [max(len(r[i]) for r in table) for i in range(3)]
    for fig, value, goal, v in table:
        print(f"{fig:<{w[0]}}  {value:<{w[1]}}  goal {goal:<{w[2]}}  {v}")


if __name__ == "__main__":
    main()
