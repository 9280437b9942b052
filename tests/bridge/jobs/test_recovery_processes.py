"""Runs recover by themselves, with real processes: ``intacct-bridge worker`` killed with -9 in the
middle of a sync (its run ends interrupted, then redone by another worker), and a Redis restarted
empty under queued runs (they are queued again) — on SQLite + Huey-SQLite and PostgreSQL + Redis."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from recovery_support import (
    cli,
    query,
    queue_sync,
    redis_server,
    runs,
    service_env,
    stop,
    wait_for,
    worker,
)

pytestmark = [pytest.mark.slow]

CUSTOMERS = 600


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.redis])])
def env(request: pytest.FixtureRequest, tmp_path: Path, intacct_sandbox: Any) -> Iterator[dict[str, str]]:
    creds = intacct_sandbox.credentials
    if request.param == "sqlite":
        yield _seeded(service_env(tmp_path, creds, "sqlite"), intacct_sandbox)
        return
    with redis_server() as (_, port):
        yield _seeded(
            service_env(tmp_path, creds, "postgres", f"redis://127.0.0.1:{port}/0"), intacct_sandbox
        )


def _seeded(env: dict[str, str], intacct_sandbox: Any) -> dict[str, str]:
    control = intacct_sandbox.control
    company = intacct_sandbox.credentials["company_id"]
    control.mutate(company, "CUSTOMER", add=CUSTOMERS - control.count(company, "CUSTOMER"), seed=4)
    cli(env, "import", "demo", "clients", "--all")
    control.mutate(company, "CUSTOMER", change="100%", seed=9)
    return env


def converged(env: dict[str, str], intacct_sandbox: Any) -> None:
    rows = json.loads(cli(env, "records", "demo", "clients", "--json").stdout)
    remote = {
        int(c["RECORDNO"]): c["NAME"]
        for c in intacct_sandbox.control.records(intacct_sandbox.credentials["company_id"], "CUSTOMER")
    }
    assert len(rows) == len(remote) == CUSTOMERS
    assert len({r["intacct_recordno"] for r in rows}) == CUSTOMERS  # nothing duplicated locally
    assert all(r["fields"]["name"] == remote[r["intacct_recordno"]] for r in rows)


def test_a_worker_killed_mid_sync_is_noticed_and_its_run_redone(
    env: dict[str, str], intacct_sandbox: Any, tmp_path: Path
) -> None:
    company = intacct_sandbox.credentials["company_id"]
    # every request takes a while, so the sync spans seconds (6 pages)
    intacct_sandbox.control.fault("latency", rate=1.0, company_id=company, fixed_ms=700)
    first = worker(env, tmp_path / "worker1.log")
    second = None
    try:
        run_id = queue_sync(env)
        wait_for(
            lambda: any(r[0] == run_id and r[2] == "running" and r[4] >= 1 for r in runs(env)),
            90,
            "the worker should be in the middle of the sync",
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        assert query(env, "SELECT holder FROM bridge_sync_syncclaim")[0][0]  # the dead worker's claim
        intacct_sandbox.control.clear_faults()
        second = worker(env, tmp_path / "worker2.log")
        done = wait_for(
            lambda: [r for r in runs(env) if r[1] == "recovery" and r[2] == "succeeded"],
            120,
            f"a recovery run should redo the sync: {runs(env)}",
        )
    finally:
        stop(first)
        if second is not None:
            stop(second)
    killed = next(r for r in runs(env) if r[0] == run_id)
    assert killed[2] == "interrupted" and "heartbeat" in killed[3], killed
    assert f"#{run_id}" in done[0][3]
    assert [r[2] for r in runs(env) if r[1] != "import"] == ["interrupted", "succeeded"]
    assert query(env, "SELECT holder FROM bridge_sync_syncclaim")[0][0] == ""
    converged(env, intacct_sandbox)
    log = (tmp_path / "worker2.log").read_text()
    assert f"recovery: run {run_id} of demo interrupted" in log


@pytest.mark.postgres
@pytest.mark.redis
def test_runs_queued_in_a_redis_restarted_empty_are_queued_again(
    tmp_path: Path, intacct_sandbox: Any
) -> None:
    with redis_server() as (first_redis, port):
        env = _seeded(
            service_env(tmp_path, intacct_sandbox.credentials, "postgres", f"redis://127.0.0.1:{port}/0"),
            intacct_sandbox,
        )
        run_id = queue_sync(env)  # no worker yet: the task waits in Redis
        import redis

        assert redis.Redis(port=port).keys("*")  # it is there
    with redis_server(port):  # Redis back, empty: the task is gone, the run still says "queued"
        assert [r[2] for r in runs(env) if r[0] == run_id] == ["queued"]
        proc = worker(env, tmp_path / "worker.log")
        try:
            wait_for(
                lambda: [r for r in runs(env) if r[0] == run_id and r[2] == "succeeded"],
                90,
                f"the lost run should be queued again and run: {runs(env)}",
            )
        finally:
            stop(proc)
    (row,) = [r for r in runs(env) if r[0] == run_id]
    assert "lost from the queue" in row[3]
    assert [r[2] for r in runs(env) if r[1] != "import"] == ["succeeded"]  # re-queued, not duplicated
    converged(env, intacct_sandbox)
    assert first_redis.poll() is not None
