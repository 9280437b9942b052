"""Soak: N workspaces' syncs while worker processes are killed with -9 at random and the queue is
lost once; then nothing may be stuck, every workspace must have synced after its last trigger, and
no record may be duplicated in the sandbox or locally.

    .venv/bin/python bench/soak_recovery.py                        # 100 workspaces, 3 workers, 120 s
    .venv/bin/python bench/soak_recovery.py --workspaces 20 --duration 60
    .venv/bin/python bench/soak_recovery.py --postgres postgres://postgres@127.0.0.1:5432/soak

SQLite + Huey-SQLite by default (the queue loss is ``HUEY.flush()``); with ``--postgres`` the
queue is a redis-server of the soak's own (no persistence), restarted empty for the queue loss. The
stale window is shortened (``--stale`` seconds, healer every ``--heal`` seconds) so a bounded soak
sees many recoveries; with the defaults (120 s, 30 s) each recovery takes that much longer.
Prints the kills survived and the time to recovery (kill -> the redo run starting) p50/max, and
writes ``var/bench/soak-recovery.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = str(Path(sys.executable).with_name("intacct-bridge"))
SENDER_PASSWORD = "soak-sender-password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_redis(port: int) -> subprocess.Popen[bytes]:
    exe = shutil.which("redis-server") or "/usr/bin/redis-server"
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.05)
    raise SystemExit("redis-server did not start")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspaces", type=int, default=100)
    ap.add_argument("--workers", type=int, default=3, help="worker processes alive at a time")
    ap.add_argument("--duration", type=float, default=120, help="seconds of kills and triggers")
    ap.add_argument("--kill-every", type=float, default=8)
    ap.add_argument("--latency-ms", type=float, default=300, help="per Intacct request")
    ap.add_argument("--stale", type=int, default=6)
    ap.add_argument("--heal", type=int, default=2)
    ap.add_argument("--postgres", default="", help="a PostgreSQL database URL (emptied first)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--customers", type=int, default=100, help="per company, all changed at each trigger")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    from intacct_sandbox import Sandbox, SandboxServer

    var = Path(tempfile.mkdtemp(prefix="soak-recovery-"))
    server = SandboxServer(Sandbox(), port=0).__enter__()
    redis_proc = None
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "HUEY_IMMEDIATE")}
    env.update(
        INTACCT_BRIDGE_VAR_DIR=str(var),
        INTACCT_SENDER_ID="intacct_bridge_demo",
        INTACCT_SENDER_PASSWORD=SENDER_PASSWORD,
        INTACCT_BRIDGE_ALLOWED_ENDPOINTS=server.endpoint,
        INTACCT_BRIDGE_STALE_AFTER_SECONDS=str(args.stale),
        INTACCT_BRIDGE_HEAL_INTERVAL_SECONDS=str(args.heal),
        INTACCT_BRIDGE_SYNC_PAGE_SIZE="20",
        DJANGO_SETTINGS_MODULE="intacct_bridge.settings",
        LOG_LEVEL="WARNING",
    )
    redis_port = 0
    if args.postgres:
        redis_port = free_port()
        redis_proc = start_redis(redis_port)
        env.update(DATABASE_URL=args.postgres, REDIS_URL=f"redis://127.0.0.1:{redis_port}/0")
    os.environ.update(env)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count
    from huey.contrib.djhuey import HUEY

    from intacct_bridge.jobs.tasks import queue_sync
    from intacct_bridge.records.models import Client, Vendor
    from intacct_bridge.sync import service
    from intacct_bridge.sync.models import Link, PendingPush, Run, RunStatus
    from intacct_bridge.workspaces.models import Connection, Workspace

    call_command("migrate", verbosity=0)
    if args.postgres:
        call_command("flush", interactive=False, verbosity=0)
    control = server.sandbox.control
    print(f"setting up {args.workspaces} workspaces (one Intacct company each) in {var} …", flush=True)
    spaces = []
    for i in range(args.workspaces):
        company = f"SOAK{i:03d}"
        creds = control.seed_demo(
            company, seed=i + 1, sender_password=SENDER_PASSWORD, customers=args.customers, vendors=4
        )
        ws = Workspace.objects.create(slug=f"soak{i:03d}", name=f"Soak {i}", families=["clients", "vendors"])
        conn = Connection(
            workspace=ws, company_id=company, user_id=creds["user_id"], endpoint=server.endpoint
        )
        conn.set_password(creds["user_password"])
        conn.save()
        for j in range(2):  # created in the app: each must reach Intacct exactly once
            vendor = Vendor.objects.create(workspace=ws, name=f"Soak vendor {i}-{j}")
            PendingPush.objects.create(workspace=ws, family="vendors", local_id=vendor.pk)
        service.import_records(ws, "clients", None)  # then every trigger syncs their changes
        spaces.append((ws, company))
    control.fault("latency", rate=1.0, fixed_ms=args.latency_ms)

    workers: list[subprocess.Popen[bytes]] = []
    logs = (var / "workers.log").open("ab")

    def spawn() -> None:
        workers.append(
            subprocess.Popen(
                [BIN, "worker", "--workers", "2"], env=env, stdout=logs, stderr=subprocess.STDOUT
            )
        )

    last_trigger: dict[int, datetime] = {}

    def trigger(ws: Workspace, company: str) -> None:
        control.mutate(company, "CUSTOMER", change="100%", seed=rng.randint(1, 10**6))
        last_trigger[ws.pk] = datetime.now(UTC)
        queue_sync(ws, by="soak")

    for _ in range(args.workers):
        spawn()
    for ws, company in spaces:
        trigger(ws, company)
    kills: list[float] = []
    lost_at = 0.0
    start = time.time()
    next_kill = start + args.kill_every
    next_retrigger = start + 10
    print(f"chaos for {args.duration:.0f} s: kill -9 a worker every {args.kill_every:.0f} s …", flush=True)
    while time.time() - start < args.duration:
        now = time.time()
        if now >= next_kill:
            victim = rng.choice([w for w in workers if w.poll() is None])
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            kills.append(time.time())
            workers.remove(victim)
            spawn()
            next_kill = now + args.kill_every
        if not lost_at and now - start >= args.duration / 2:
            lost_at = time.time()
            if redis_proc is not None:
                redis_proc.kill()
                redis_proc.wait()
                redis_proc = start_redis(redis_port)  # back, empty
            else:
                HUEY.flush()
            print(f"  queue lost at {lost_at - start:.0f} s", flush=True)
        if now >= next_retrigger:
            for ws, company in rng.sample(spaces, max(1, len(spaces) // 2)):
                trigger(ws, company)
            next_retrigger = now + 10
        time.sleep(0.5)
    chaos_end = time.time()
    print(
        f"chaos over after {len(kills)} kills; waiting for the runs to settle (5 minutes at most) …",
        flush=True,
    )
    active = [RunStatus.QUEUED, RunStatus.RUNNING]
    while time.time() - chaos_end < 300 and Run.objects.filter(status__in=active).exists():
        time.sleep(2)
    settled = time.time() - chaos_end
    for w in workers:
        w.send_signal(signal.SIGTERM)
    for w in workers:
        try:
            w.wait(timeout=30)
        except subprocess.TimeoutExpired:
            w.kill()

    problems: list[str] = []
    stuck = list(Run.objects.filter(status__in=active).values_list("pk", "workspace__slug", "status"))
    if stuck:
        problems.append(f"{len(stuck)} runs stuck after 5 minutes: {stuck[:5]}")
    for ws, company in spaces:
        synced = Run.objects.filter(
            workspace=ws,
            status__in=[RunStatus.SUCCEEDED, RunStatus.PARTIAL],
            started_at__gte=last_trigger[ws.pk],
        ).exists()
        if not synced:
            problems.append(f"{ws.slug} has no finished sync after its last trigger")
        remote_ids = [str(v["VENDORID"]) for v in control.records(company, "VENDOR")]
        ours = [v for v in remote_ids if v.startswith("IBV")]
        if len(ours) != len(set(ours)) or len(ours) != 2:
            problems.append(f"{ws.slug}: the app's vendors in Intacct are {sorted(ours)} (want 2, once each)")
        if len(remote_ids) != len(set(remote_ids)):
            problems.append(f"{ws.slug}: duplicate VENDORIDs in Intacct")
        customers = control.count(company, "CUSTOMER")
        local = Client.objects.filter(workspace=ws).count()
        if local != customers:
            problems.append(f"{ws.slug}: {local} local clients for {customers} in Intacct")
    doubled = (
        Link.objects.values("workspace", "family", "recordno").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    if doubled:
        problems.append(f"{doubled} Intacct records linked twice locally")

    # time to recovery: from a kill to the start of the run redoing what that worker held
    recoveries = []
    for run in Run.objects.filter(status=RunStatus.INTERRUPTED, message__contains="heartbeat"):
        assert run.finished_at is not None
        # it was marked interrupted at least one stale window after its worker was killed
        killed_at = max((k for k in kills if k <= run.finished_at.timestamp() - args.stale), default=None)
        redo = Run.objects.filter(
            workspace=run.workspace, message__startswith=f"Redoes run #{run.pk},"
        ).first()
        if killed_at is not None and redo is not None and redo.started_at is not None:
            recoveries.append(redo.started_at.timestamp() - killed_at)
    requeued = Run.objects.exclude(requeued_at=None)
    lost_recovery = [r.requeued_at.timestamp() - lost_at for r in requeued if r.requeued_at]
    figures = {
        "database": "postgresql+redis" if args.postgres else "sqlite+huey-sqlite",
        "workspaces": args.workspaces,
        "workers": args.workers,
        "duration_s": args.duration,
        "stale_s": args.stale,
        "heal_s": args.heal,
        "kills_survived": len(kills),
        "runs_interrupted_and_redone": len(recoveries),
        "recovery_p50_s": round(statistics.median(recoveries), 1) if recoveries else None,
        "recovery_max_s": round(max(recoveries), 1) if recoveries else None,
        "runs_requeued_after_queue_loss": len(lost_recovery),
        "queue_loss_recovery_max_s": round(max(lost_recovery), 1) if lost_recovery else None,
        "settled_after_chaos_s": round(settled, 1),
        "runs_total": Run.objects.count(),
        "problems": problems,
    }
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "soak-recovery.json").write_text(json.dumps(figures, indent=2))
    for key, value in figures.items():
        if key != "problems":
            print(f"{key:32} {value}")
    for p in problems:
        print(f"PROBLEM: {p}")
    print("OK: nothing stuck, every workspace synced, nothing duplicated" if not problems else "FAILED")
    if redis_proc is not None:
        redis_proc.kill()
        redis_proc.wait()
    server.__exit__(None, None, None)
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
