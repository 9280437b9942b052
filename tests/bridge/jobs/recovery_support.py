"""Real worker processes for the recovery tests: a service environment (SQLite + Huey-SQLite, or
PostgreSQL + a Redis server of the test's own), the CLI, and direct reads of the run table."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BIN = str(Path(sys.executable).with_name("intacct-bridge"))
# the recovery tests' own database (flushed by each test), created when the server lacks it: a fresh
# machine has only `test`
PG_URL = os.environ.get("RECOVERY_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/intacct_bridge_recovery")


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url.replace("postgres://", "postgresql://", 1))
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def redis_server(port: int | None = None) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """A throwaway redis-server without persistence (what "Redis restarted empty" means)."""
    exe = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = port or free_port()
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield proc, port
    finally:
        proc.kill()
        proc.wait(timeout=10)


def cli(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([BIN, *args], env=env, capture_output=True, text=True, timeout=180)
    if check:
        assert done.returncode == 0, done.stderr + done.stdout
    return done


def shell(env: dict[str, str], code: str) -> str:
    return cli(env, "shell", "-c", code).stdout.strip()


def queue_sync(env: dict[str, str], slug: str = "demo") -> int:
    return int(
        shell(
            env,
            "from intacct_bridge.jobs.tasks import queue_sync;"
            "from intacct_bridge.workspaces.models import Workspace;"
            f"print(queue_sync(Workspace.objects.get(slug={slug!r}), by='test').pk)",
        ).splitlines()[-1]
    )


def query(env: dict[str, str], sql: str, *params: Any) -> list[tuple[Any, ...]]:
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
            return list(conn.execute(sql.replace("?", "%s"), params).fetchall())
    path = Path(env["INTACCT_BRIDGE_VAR_DIR"]) / "intacct-bridge.sqlite3"
    with sqlite3.connect(path, timeout=20) as conn:
        return list(conn.execute(sql, params).fetchall())


def runs(env: dict[str, str]) -> list[tuple[int, str, str, str, int]]:
    return [
        (int(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4]))
        for r in query(
            env, "SELECT id, trigger, status, message, pages_done FROM bridge_sync_run ORDER BY id"
        )
    ]


def wait_for(what: Callable[[], Any], timeout: float, message: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = what()
        if got:
            return got
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout} s: {message}")


def worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    out = log.open("ab")
    return subprocess.Popen([BIN, "worker", "--workers", "2"], env=env, stdout=out, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def service_env(tmp_path: Path, creds: dict[str, Any], backend: str, redis_url: str = "") -> dict[str, str]:
    """A fresh service: its own var dir; SQLite + Huey-SQLite, or PostgreSQL (flushed) + Redis."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        INTACCT_BRIDGE_VAR_DIR=str(tmp_path / "var"),
        INTACCT_SENDER_ID=creds["sender_id"],
        INTACCT_SENDER_PASSWORD=creds["sender_password"],
        INTACCT_BRIDGE_SYNC_PAGE_SIZE="100",
        DJANGO_SETTINGS_MODULE="intacct_bridge.settings",
        HUEY_IMMEDIATE="0",
        # short windows so the test sees in seconds what takes two minutes by default
        INTACCT_BRIDGE_STALE_AFTER_SECONDS="4",
        INTACCT_BRIDGE_HEAL_INTERVAL_SECONDS="1",
        LOG_LEVEL="INFO",
    )
    if backend == "postgres":
        ensure_database(PG_URL)
        env["DATABASE_URL"] = PG_URL
        env["REDIS_URL"] = redis_url
        cli(env, "migrate", "--noinput")
        cli(env, "flush", "--noinput")
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
    return env
