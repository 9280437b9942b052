"""The "required services" rule of tests/conftest.py, run on a throw-away suite: a test needing a
service that is not there SKIPS loudly on a laptop and FAILS under INTACCT_BRIDGE_REQUIRE_SERVICES=1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT_CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"

SUITE = """
import pytest

@pytest.mark.redis
def test_needs_redis():
    pass

def test_needs_nothing():
    pass
"""


def run_suite(tmp_path: Path, require: bool) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conftest.py").write_text(ROOT_CONFTEST.read_text())
    (tmp_path / "test_suite.py").write_text(SUITE)
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nmarkers =\n    redis: r\n    postgres: p\n    browser: b\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "INTACCT_BRIDGE_REQUIRE_SERVICES"}
    env["TEST_REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    env["INTACCT_BRIDGE_VAR_DIR"] = str(tmp_path / "var")
    if require:
        env["INTACCT_BRIDGE_REQUIRE_SERVICES"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-p", "no:django", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_missing_service_skips_loudly_on_a_laptop(tmp_path: Path) -> None:
    result = run_suite(tmp_path, require=False)
    assert result.returncode == 0, result.stdout
    assert "1 passed, 1 skipped" in result.stdout
    assert "NO REDIS: nothing listening at 127.0.0.1:1" in result.stdout
    assert "tests needing PostgreSQL/Redis/chromium were SKIPPED" in result.stdout


def test_a_missing_service_fails_where_required(tmp_path: Path) -> None:
    result = run_suite(tmp_path, require=True)
    assert result.returncode == 1, result.stdout
    assert "1 passed, 1 error" in result.stdout  # failed in setup, before the test body
    assert "REDIS IS REQUIRED HERE" in result.stdout


@pytest.mark.redis
def test_redis_is_really_used_when_marked(redis_url: str) -> None:
    import redis

    assert redis.Redis.from_url(redis_url).ping() is True
