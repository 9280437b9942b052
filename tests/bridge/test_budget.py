"""The shared Intacct concurrency budget (intacct_bridge.budget) with real processes and Redis.

* two OS processes hammering one sandbox company through ``intacct.Client(limiter=...)`` never have
  more requests in flight than the company's limit (counted at the sandbox by InflightMeter), while
  the same processes with their own in-process limiters do exceed it;
* a write waiting behind a bulk reader gets the next slot; workspaces take turns;
* a killed holder's slot comes back after its lease; a live holder's lease is renewed.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from intacct_bridge import budget
from intacct_sandbox import Sandbox, SandboxServer
from intacct_sandbox.inflight import InflightMeter

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
WORKER = str(Path(__file__).with_name("budget_worker.py"))


def _redis() -> Any:
    import redis

    conn = redis.Redis.from_url(REDIS_URL)
    try:
        conn.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    return conn


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test's own, removed afterwards."""
    name = f"test:budget:{secrets.token_hex(4)}"
    yield name
    conn = _redis()
    for key in conn.scan_iter(match=f"{name}:*"):
        conn.delete(key)


def _spawn(spec: dict[str, Any]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, WORKER, json.dumps(spec)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _finish(proc: subprocess.Popen[str], timeout: float = 60) -> str:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    return out


def _wait_for(predicate: Any, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


@pytest.fixture(scope="module")
def metered() -> Iterator[tuple[SandboxServer, InflightMeter, dict[str, Any]]]:
    sb = Sandbox()
    meter = InflightMeter(sb.wsgi_app)
    sb.wsgi_app = meter  # type: ignore[assignment]
    with SandboxServer(sb, host="127.0.0.1", port=0) as server:
        creds = sb.seed_demo(seed=1)
        yield server, meter, creds


def _hammer(
    metered: tuple[SandboxServer, InflightMeter, dict[str, Any]], prefix: str, shared: bool
) -> dict[str, dict[str, int]]:
    server, meter, creds = metered
    sb = server.sandbox
    company = creds["company_id"]
    # the sandbox itself lets everything through, so the meter sees what we would have sent Intacct
    sb.control.clear_faults()
    sb.control.fault("concurrency", company_id=company, limit=50)
    sb.control.fault("latency", company_id=company, fixed_ms=40)
    meter.reset()
    procs = [
        _spawn(
            {
                "redis": REDIS_URL,
                "prefix": prefix,
                "mode": "hammer",
                "shared": shared,
                "workspace": f"ws{i}",
                "threads": 3,
                "seconds": 3,
                "endpoint": server.endpoint,
                "credentials": creds,
            }
        )
        for i in range(2)
    ]
    for p in procs:
        _finish(p)
    sb.control.clear_faults()
    return meter.snapshot()


@pytest.mark.redis
@pytest.mark.slow
def test_two_processes_on_one_company_never_exceed_its_limit(
    metered: tuple[SandboxServer, InflightMeter, dict[str, Any]], prefix: str
) -> None:
    _redis()
    company = metered[2]["company_id"].lower()
    seen = _hammer(metered, prefix, shared=True)
    assert seen["served"].get(company, 0) > 20
    assert seen["peak"][company] == 2  # the limit, used in full, never more


@pytest.mark.redis
@pytest.mark.slow
def test_without_the_shared_budget_the_same_processes_exceed_it(
    metered: tuple[SandboxServer, InflightMeter, dict[str, Any]], prefix: str
) -> None:
    """The control: each process's own limiter (2 each) lets 2 processes send up to 4 at once."""
    _redis()
    company = metered[2]["company_id"].lower()
    seen = _hammer(metered, prefix, shared=False)
    assert seen["peak"][company] > 2


def _budgets(prefix: str, lease: float = 30) -> list[budget.Budget]:
    return [
        budget.LocalBudget(budget.Limits(2)),
        budget.RedisBudget(_redis(), budget.Limits(2), lease=lease, prefix=prefix),
    ]


class Holder:
    """Holds one slot in a thread until ``release()``; ``granted`` is set when it has it."""

    def __init__(self, b: budget.Budget, workspace: str, priority: budget.Priority, log: list[str]) -> None:
        self.granted = threading.Event()
        self._release = threading.Event()
        self.workspace = workspace

        def run() -> None:
            with b.hold("ACME", budget.Caller(workspace, priority)):
                log.append(workspace)
                self.granted.set()
                self._release.wait(30)

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def release(self) -> None:
        self._release.set()
        self.thread.join(10)


def _waiting(b: budget.Budget) -> int:
    return sum(b.waiting().values())


@pytest.mark.redis
@pytest.mark.parametrize("kind", ["local", "redis"])
def test_a_write_waiting_behind_bulk_reads_gets_the_next_slot(kind: str, prefix: str) -> None:
    b = _budgets(prefix)[kind == "redis"]
    log: list[str] = []
    first = [Holder(b, "importer", budget.Priority.BULK, log) for _ in range(2)]
    for h in first:
        assert h.granted.wait(10)
    bulk = [Holder(b, "importer", budget.Priority.BULK, log) for _ in range(4)]
    _wait_for(lambda: _waiting(b) == 4)
    write = Holder(b, "payments", budget.Priority.WRITE, log)
    _wait_for(lambda: _waiting(b) == 5)
    first[0].release()
    assert write.granted.wait(10)
    assert log == ["importer", "importer", "payments"]
    assert b.in_flight() == {"acme": 2}
    for h in [first[1], write, *bulk]:
        h.release()
    assert log.count("importer") == 6


@pytest.mark.redis
@pytest.mark.parametrize("kind", ["local", "redis"])
def test_workspaces_of_one_company_take_turns(kind: str, prefix: str) -> None:
    b = _budgets(prefix)[kind == "redis"]
    log: list[str] = []
    first = [Holder(b, "big", budget.Priority.SYNC, log) for _ in range(2)]
    for h in first:
        assert h.granted.wait(10)
    queued = [Holder(b, "big", budget.Priority.SYNC, log) for _ in range(4)]
    _wait_for(lambda: _waiting(b) == 4)
    small = Holder(b, "small", budget.Priority.SYNC, log)
    _wait_for(lambda: _waiting(b) == 5)
    first[0].release()
    _wait_for(lambda: len(log) == 3)
    first[1].release()
    assert small.granted.wait(10)
    # the small workspace's request goes second, not after the big one's four
    assert log == ["big", "big", "big", "small"]
    for h in [small, *queued]:
        h.release()


@pytest.mark.redis
def test_a_write_from_another_process_goes_before_queued_bulk_reads(prefix: str, tmp_path: Path) -> None:
    """Across processes: a bulk process queues 3 waiters; our write queued later is served first."""
    b = _budgets(prefix)[1]
    log: list[str] = []
    first = [Holder(b, "holder", budget.Priority.SYNC, log) for _ in range(2)]
    for h in first:
        assert h.granted.wait(10)
    grants = tmp_path / "grants.log"
    bulk = _spawn(
        {
            "redis": REDIS_URL,
            "prefix": prefix,
            "mode": "queue",
            "company": "ACME",
            "workspace": "importer",
            "priority": "BULK",
            "threads": 3,
            "seconds": 0.2,
            "log": str(grants),
        }
    )
    _wait_for(lambda: _waiting(b) == 3)
    write = Holder(b, "payments", budget.Priority.WRITE, log)
    _wait_for(lambda: _waiting(b) == 4)
    first[0].release()
    assert write.granted.wait(10)
    assert not grants.exists()  # no bulk read went before the write
    first[1].release()
    write.release()
    _finish(bulk)
    assert grants.read_text().count("granted importer") == 3


@pytest.mark.redis
@pytest.mark.slow
def test_a_killed_holders_slots_come_back_after_the_lease(prefix: str) -> None:
    lease = 1.5
    b = budget.RedisBudget(_redis(), budget.Limits(2), lease=lease, prefix=prefix)
    holder = _spawn(
        {
            "redis": REDIS_URL,
            "prefix": prefix,
            "mode": "hold",
            "company": "ACME",
            "workspace": "w1",
            "threads": 2,
            "lease": lease,
            "seconds": 120,
        }
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        log: list[str] = []
        # the live holder renews its leases: nothing frees up for more than two lease periods
        waiter = Holder(b, "w2", budget.Priority.WRITE, log)
        assert not waiter.granted.wait(lease * 2.5)
        assert b.in_flight() == {"acme": 2}
        holder.kill()  # SIGKILL: no release, no cleanup
        holder.wait(10)
        killed_at = time.monotonic()
        assert waiter.granted.wait(lease * 4)
        assert time.monotonic() - killed_at <= lease * 4
        assert b.in_flight() == {"acme": 1}
        waiter.release()
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.communicate(timeout=10)


def test_per_company_limits_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTACCT_BRIDGE_CONCURRENCY", "3")
    monkeypatch.setenv("INTACCT_BRIDGE_CONCURRENCY_BY_COMPANY", "Acme=5, globex=1")
    limits = budget.Limits.from_env()
    assert (limits("ACME"), limits("Globex"), limits("other")) == (5, 1, 3)
    monkeypatch.setenv("INTACCT_BRIDGE_CONCURRENCY_BY_COMPANY", "acme:4")
    with pytest.raises(ValueError, match="'acme:4' is not COMPANY=N"):
        budget.Limits.from_env()


def test_the_callers_priority_reaches_the_clients_pool_threads() -> None:
    """The contextvar is not set in the client's batch threads: the workspace's table entry is."""
    seen: list[budget.Caller] = []
    with budget.acting_for("acme", "push"):
        assert budget.current_caller("acme").priority is budget.Priority.WRITE
        t = threading.Thread(target=lambda: seen.append(budget.current_caller("acme")))
        t.start()
        t.join()
    assert seen == [budget.Caller("acme", budget.Priority.WRITE)]
    assert budget.current_caller("acme").priority is budget.Priority.SYNC
    assert budget.priority_for("import") is budget.Priority.BULK


def test_without_redis_requests_go_on_within_the_process_limit() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    b = budget.RedisBudget.from_url(f"redis://127.0.0.1:{port}/0", limits=budget.Limits(1))
    caller = budget.Caller("acme", budget.Priority.SYNC)
    with b.hold("ACME", caller):
        assert b._fallback.in_flight() == {"acme": 1}
    assert b._fallback.in_flight() == {}


class Recording:
    """A budget that notes who asked for each slot, over a real LocalBudget."""

    def __init__(self) -> None:
        self.inner = budget.LocalBudget(budget.Limits(2))
        self.seen: list[tuple[str, budget.Caller]] = []

    def hold(self, company: str, caller: budget.Caller) -> Any:
        self.seen.append((company, caller))
        return self.inner.hold(company, caller)

    def in_flight(self) -> dict[str, int]:
        return self.inner.in_flight()

    def waiting(self) -> dict[str, int]:
        return self.inner.waiting()


def test_the_service_client_takes_its_slots_from_the_budget(connected_workspace: Any) -> None:
    """The wiring in docs/operations.md: ``client_for(ws, limiter=budget.limiter_for(slug))``."""
    from intacct_bridge.workspaces.connection import client_for

    recording = Recording()
    budget.reset_shared_budget(recording)
    try:
        ws = connected_workspace
        with client_for(ws, limiter=budget.limiter_for(ws.slug)) as client:
            with budget.acting_for(ws.slug, "push"):
                assert client.count("CUSTOMER") > 0
            client.count("VENDOR")
    finally:
        budget.reset_shared_budget(None)
    company = ws.connection.company_id
    assert recording.seen[0] == (company, budget.Caller("acme", budget.Priority.WRITE))  # the login
    assert recording.seen[-1] == (company, budget.Caller("acme", budget.Priority.SYNC))
    assert len(recording.seen) == 3
