"""The queue unreachable (a Redis that is not there): Sync now answers 503 ``queue_unavailable``
(the page says so) and leaves no run behind; a change's push run stays queued for the healer;
``intacct-bridge status`` names what is down, one line each, and exits 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from huey.storage import RedisStorage
from recovery_support import free_port

from intacct_bridge.jobs import tasks
from intacct_bridge.sync.models import Run, RunStatus
from intacct_bridge.workspaces.models import Workspace

BIN = str(Path(sys.executable).with_name("intacct-bridge"))


@pytest.fixture
def queue_down(immediate_huey: Any) -> Iterator[None]:
    """Huey on a Redis port where nothing listens: every enqueue meets a real ConnectionError."""
    huey = immediate_huey
    huey.immediate = False
    saved = huey.storage
    huey.storage = RedisStorage(name="down", url=f"redis://127.0.0.1:{free_port()}/0")
    yield
    huey.storage = saved
    huey.immediate = True


def test_api_sync_now_answers_503_json_and_records_nothing(
    ws: Workspace, api_client: Any, queue_down: None
) -> None:
    resp = api_client(ws, write=True).post(
        f"/api/v1/workspaces/{ws.slug}/sync", {}, content_type="application/json"
    )
    assert resp.status_code == 503 and resp["Content-Type"].startswith("application/json")
    error = resp.json()["error"]
    assert error["code"] == "queue_unavailable"
    assert "queue is unreachable" in error["message"] and "Traceback" not in error["message"]
    assert not Run.objects.filter(workspace=ws).exists()


def test_the_sync_now_button_shows_the_problem(
    ws: Workspace, owner: Any, client: Any, queue_down: None
) -> None:
    client.force_login(owner)
    resp = client.post(f"/w/{ws.slug}/sync/now/", follow=True)
    assert resp.status_code == 200
    assert "The task queue is unreachable, so nothing was started" in resp.content.decode()
    assert not Run.objects.filter(workspace=ws).exists()
    as_json = client.post(f"/w/{ws.slug}/sync/now/", headers={"Accept": "application/json"})
    assert as_json.status_code == 503 and as_json.json()["error"]["code"] == "queue_unavailable"


def test_a_push_run_waits_for_the_healer_instead_of_failing_the_save(
    ws: Workspace, queue_down: None, run_commits: Any
) -> None:
    with run_commits():
        run = tasks.queue_push_run(ws, "clients", "alice")
    assert run is not None
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED  # the healer queues it when the queue is back


def _status(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BIN, "status"], env=env, capture_output=True, text=True, timeout=60)


def test_status_names_the_queue_and_the_database_down(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        INTACCT_BRIDGE_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/nowhere",
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
        HUEY_IMMEDIATE="0",
    )
    done = _status(env)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith("error: the database is down (postgresql): ")
    assert lines[1].startswith("error: the queue is down (RedisHuey): ")
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    assert facts["database_ok"] is False and facts["queue_ok"] is False

    env.pop("DATABASE_URL")  # SQLite: up; the queue alone is down
    done = _status(env)
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: the queue is down (RedisHuey): ")


def test_an_import_from_the_page_says_the_queue_is_down(
    ws: Workspace, owner: Any, client: Any, queue_down: None
) -> None:
    client.force_login(owner)
    resp = client.post(f"/w/{ws.slug}/clients/import/", {"all": "1"}, follow=True)
    assert resp.status_code == 200
    assert "The task queue is unreachable" in resp.content.decode()
    assert not Run.objects.filter(workspace=ws).exists()
