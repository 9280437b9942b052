"""The service starts with no environment at all (SQLite + Huey SQLite under ./var), and on
PostgreSQL + Redis when DATABASE_URL / REDIS_URL say so. Each runs the real CLI in a subprocess."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

CLI = [sys.executable, "-m", "intacct_bridge.cli"]


def bare_env(home: Path, **extra: str) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), **extra}


def run_cli(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_it_starts_on_sqlite_with_no_environment(tmp_path: Path) -> None:
    env = bare_env(tmp_path)
    status = run_cli(["status"], tmp_path, env)
    assert status.returncode == 0, status.stderr
    facts = json.loads(status.stdout.strip().splitlines()[-1])
    assert facts["database"] == "sqlite"
    assert facts["queue"] == "SqliteHuey" and facts["queue_ok"] is True
    assert facts["var_dir"] == str(tmp_path / "var")

    server = subprocess.Popen(
        [*CLI, "serve", "--port", "0"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = _wait_for_url(server)
        assert httpx.get(f"{url}/login/").status_code == 200
        assert httpx.get(f"{url}/static/bridge/app.js").status_code == 200
        assert httpx.get(f"{url}/api/v1/workspaces").status_code == 401
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) == 0
    assert (tmp_path / "var" / "intacct-bridge.sqlite3").exists()
    assert oct((tmp_path / "var" / "secret.key").stat().st_mode & 0o777) == "0o600"


def _wait_for_url(server: subprocess.Popen[str]) -> str:
    assert server.stdout is not None
    for line in server.stdout:
        if "web server at " in line:
            return line.split("web server at ")[1].split()[0]
    raise AssertionError(f"the server did not start: {server.stderr.read() if server.stderr else ''}")


@pytest.fixture
def fresh_postgres_db(postgres_url: str) -> Iterator[str]:
    import psycopg

    name = f"ib_settings_{secrets.token_hex(4)}"
    admin_url = postgres_url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = postgres_url.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(admin_url, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.redis
def test_it_starts_on_postgres_and_redis(tmp_path: Path, fresh_postgres_db: str, redis_url: str) -> None:
    env = bare_env(
        tmp_path,
        DATABASE_URL=fresh_postgres_db,
        REDIS_URL=redis_url,
        HUEY_NAME=f"ib-test-{secrets.token_hex(4)}",
    )
    migrate = run_cli(["migrate", "--noinput"], tmp_path, env)
    assert migrate.returncode == 0, migrate.stderr
    status = run_cli(["status"], tmp_path, env)
    assert status.returncode == 0, status.stderr
    facts = json.loads(status.stdout.strip().splitlines()[-1])
    assert facts["database"] == "postgresql"
    assert facts["database_name"] == fresh_postgres_db.rsplit("/", 1)[1]
    assert facts["queue"] == "RedisHuey" and facts["queue_ok"] is True
    admin = run_cli(["createadmin", "--username", "ops"], tmp_path, env)
    assert admin.returncode == 0 and "Password: " in admin.stdout
    # the SQLite file of the embedded default was never created
    assert not (tmp_path / "var" / "intacct-bridge.sqlite3").exists()
