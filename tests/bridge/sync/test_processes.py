"""Separate worker processes on one database: one sync per workspace at a time (the claim holds
across processes), and kill -9 mid-sync followed by a rerun converges with no duplicates."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.slow]

BIN = str(Path(sys.executable).with_name("intacct-bridge"))


@pytest.fixture
def service_env(tmp_path: Path, intacct_sandbox: Any) -> dict[str, str]:
    creds = intacct_sandbox.credentials
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        INTACCT_BRIDGE_VAR_DIR=str(tmp_path / "var"),
        INTACCT_SENDER_ID=creds["sender_id"],
        INTACCT_SENDER_PASSWORD=creds["sender_password"],
        INTACCT_BRIDGE_SYNC_PAGE_SIZE="100",
        # a killed sync's claim is stale after 3 s without a heartbeat (120 s by default)
        INTACCT_BRIDGE_STALE_AFTER_SECONDS="3",
        DJANGO_SETTINGS_MODULE="intacct_bridge.settings",
    )
    (tmp_path / "creds.json").write_text(json.dumps(creds))
    cli(
        env,
        "workspace",
        "add",
        "demo",
        "--credentials-file",
        str(tmp_path / "creds.json"),
        "--families",
        "clients",
    )
    control = intacct_sandbox.control
    company = creds["company_id"]
    control.mutate(company, "CUSTOMER", add=1200 - control.count(company, "CUSTOMER"), seed=4)
    cli(env, "import", "demo", "clients", "--all")
    control.mutate(company, "CUSTOMER", change="100%", seed=9)
    # every request takes a while, so a sync spans seconds (12 pages)
    control.fault("latency", rate=1.0, company_id=company, fixed_ms=350)
    return env


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([BIN, *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def db(env: dict[str, str]) -> sqlite3.Connection:
    return sqlite3.connect(Path(env["INTACCT_BRIDGE_VAR_DIR"]) / "intacct-bridge.sqlite3", timeout=20)


def converged(env: dict[str, str], intacct_sandbox: Any) -> None:
    rows = json.loads(cli(env, "records", "demo", "clients", "--json"))
    remote = {
        int(c["RECORDNO"]): c["NAME"]
        for c in intacct_sandbox.control.records(intacct_sandbox.credentials["company_id"], "CUSTOMER")
    }
    assert len(rows) == len(remote) == 1200
    assert len({r["intacct_recordno"] for r in rows}) == 1200
    assert all(r["link_state"] == "linked" for r in rows)
    assert all(r["fields"]["name"] == remote[r["intacct_recordno"]] for r in rows)


def test_two_workers_one_sync(service_env: dict[str, str], intacct_sandbox: Any) -> None:
    procs = [
        subprocess.Popen(
            [BIN, "sync", "demo", "--json"],
            env=service_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    runs = [json.loads(out) for out, _ in outs]
    assert sorted(r["status"] for r in runs) == ["skipped", "succeeded"], outs
    converged(service_env, intacct_sandbox)


def test_kill_minus_nine_then_rerun_converges(service_env: dict[str, str], intacct_sandbox: Any) -> None:
    proc = subprocess.Popen(
        [BIN, "sync", "demo", "--json"], env=service_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    pages = 0
    while time.monotonic() < deadline and pages < 3:
        time.sleep(0.1)
        with db(service_env) as conn:
            row = conn.execute(
                "SELECT max(pages_done) FROM bridge_sync_run WHERE trigger='sync_now'"
            ).fetchone()
        pages = row[0] or 0
    assert pages >= 3 and proc.poll() is None, "the sync should still be running"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    with db(service_env) as conn:
        holder = conn.execute("SELECT holder FROM bridge_sync_syncclaim").fetchone()[0]
    assert holder  # the dead worker still "holds" the claim
    time.sleep(3.5)  # its heartbeat ages past the stale window

    run = json.loads(cli(service_env, "sync", "demo", "--json"))
    assert run["status"] == "succeeded", run
    converged(service_env, intacct_sandbox)
    with db(service_env) as conn:
        statuses = [r[0] for r in conn.execute("SELECT status FROM bridge_sync_run WHERE trigger='sync_now'")]
    assert sorted(statuses) == ["interrupted", "succeeded"]


def test_sigterm_finishes_the_page_and_saves_a_consistent_cursor(
    service_env: dict[str, str], intacct_sandbox: Any
) -> None:
    with db(service_env) as conn:
        start = conn.execute("SELECT position FROM bridge_sync_cursor WHERE family='clients'").fetchone()[0]
    # no overlap window: the changes made seconds ago may be promoted, so resuming can be seen
    env = {**service_env, "INTACCT_BRIDGE_SYNC_OVERLAP_SECONDS": "0"}
    time.sleep(1.1)
    proc = subprocess.Popen(
        [BIN, "sync", "demo", "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    deadline = time.monotonic() + 60
    pages = 0
    while time.monotonic() < deadline and pages < 3:
        time.sleep(0.1)
        with db(service_env) as conn:
            row = conn.execute(
                "SELECT max(pages_done) FROM bridge_sync_run WHERE trigger='sync_now'"
            ).fetchone()
        pages = row[0] or 0
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=60)
    run = json.loads(out)
    assert run["status"] == "interrupted", run
    assert 0 < run["progress"]["pages"] < 13
    with db(service_env) as conn:
        saved = conn.execute("SELECT position FROM bridge_sync_cursor WHERE family='clients'").fetchone()[0]
    assert json.loads(saved) != json.loads(start)  # the sorted progress of the finished pages is kept
    run = json.loads(cli(env, "sync", "demo", "--json"))
    assert run["status"] == "succeeded"
    assert run["counts"]["fetched"] < 1200  # resumed, not started over
    converged(service_env, intacct_sandbox)
