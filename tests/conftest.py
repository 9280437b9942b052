"""Suite-wide test setup.

"Required services": tests marked ``postgres``, ``redis`` or ``browser`` need a PostgreSQL server,
a Redis server or ``/usr/bin/chromium``. When one is missing they SKIP with a loud reason on a
laptop, and FAIL when ``INTACCT_BRIDGE_REQUIRE_SERVICES=1`` (CI), so CI cannot go green without
actually running them.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from functools import cache
from typing import Any
from urllib.parse import urlparse

import pytest

# Before Django's settings are read: keep test state out of the working tree's var/, and run Huey
# tasks inline (tests that need a real queue start a consumer themselves).
_OWN_VAR_DIR = (
    None if os.environ.get("INTACCT_BRIDGE_VAR_DIR") else tempfile.mkdtemp(prefix="intacct-bridge-test-")
)
if _OWN_VAR_DIR:
    os.environ["INTACCT_BRIDGE_VAR_DIR"] = _OWN_VAR_DIR
os.environ.setdefault("HUEY_IMMEDIATE", "1")

REQUIRED = os.environ.get("INTACCT_BRIDGE_REQUIRE_SERVICES") == "1"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = "/usr/bin/chromium"


def _port_open(url: str, default_port: int) -> str | None:
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as exc:
        return f"nothing listening at {host}:{port} ({exc})"
    return None


@cache
def postgres_missing() -> str | None:
    problem = _port_open(POSTGRES_URL, 5432)
    if problem:
        return problem
    import psycopg

    try:
        psycopg.connect(
            POSTGRES_URL.replace("postgres://", "postgresql://", 1), dbname="postgres", connect_timeout=3
        ).close()
    except psycopg.Error as exc:
        return f"cannot connect to {POSTGRES_URL}: {exc}"
    return None


@cache
def redis_missing() -> str | None:
    problem = _port_open(REDIS_URL, 6379)
    if problem:
        return problem
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping()
    except redis.RedisError as exc:
        return f"cannot talk to {REDIS_URL}: {exc}"
    return None


@cache
def browser_missing() -> str | None:
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} not installed (apt-get install chromium)"
    if shutil.which("node") is None and not _playwright_driver_present():
        return "the Playwright driver is missing (pip install playwright)"
    return None


def _playwright_driver_present() -> bool:
    try:
        from playwright._impl._driver import compute_driver_executable
    except ImportError:
        return False
    driver = compute_driver_executable()
    path = driver[0] if isinstance(driver, tuple) else driver
    return os.path.exists(path)


SERVICES = {"postgres": postgres_missing, "redis": redis_missing, "browser": browser_missing}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker, missing in SERVICES.items():
        if item.get_closest_marker(marker) is None:
            continue
        problem = missing()
        if problem is None:
            continue
        if REQUIRED:
            pytest.fail(
                f"{marker.upper()} IS REQUIRED HERE (INTACCT_BRIDGE_REQUIRE_SERVICES=1): {problem}",
                pytrace=False,
            )
        pytest.skip(f"NO {marker.upper()}: {problem}; this test did NOT run")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "did NOT run" in str(r.longrepr)]
    if skipped:
        terminalreporter.write_sep(
            "!",
            f"{len(skipped)} tests needing PostgreSQL/Redis/chromium were SKIPPED",
            yellow=True,
            bold=True,
        )


def pytest_unconfigure(config: pytest.Config) -> None:
    if _OWN_VAR_DIR:
        shutil.rmtree(_OWN_VAR_DIR, ignore_errors=True)


@pytest.fixture
def postgres_url() -> str:
    return POSTGRES_URL


@pytest.fixture
def redis_url() -> str:
    return REDIS_URL


@pytest.fixture
def immediate_huey() -> Any:
    """Huey tasks run inside the request or the call that queues them, as a worker would run them at
    once (a real consumer is exercised by the process tests)."""
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = before


@pytest.fixture(autouse=True)
def allow_sandbox_endpoint(request: pytest.FixtureRequest) -> None:
    """Service tests (tests/bridge, tests/e2e) that talk to the test sandbox allow its URL
    explicitly, as an operator running a sandbox would (INTACCT_BRIDGE_ALLOWED_ENDPOINTS); the
    default allows only Intacct's own gateway. Also in the environment, for the service processes
    some tests start."""
    if "intacct_sandbox" not in request.fixturenames or not {"bridge", "e2e"} & set(request.path.parts):
        return
    from intacct_bridge.workspaces.endpoints import DEFAULT

    sandbox = request.getfixturevalue("intacct_sandbox")
    allowed = f"{DEFAULT},{sandbox.credentials['endpoint']}"
    request.getfixturevalue("settings").INTACCT_BRIDGE_ALLOWED_ENDPOINTS = allowed
    request.getfixturevalue("monkeypatch").setenv("INTACCT_BRIDGE_ALLOWED_ENDPOINTS", allowed)
