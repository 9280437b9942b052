"""/metrics, /healthz, /readyz (public, at the root), JSON run logs and the failure digest."""

from __future__ import annotations

import json
import logging
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from intacct_bridge import budget
from intacct_bridge.ops import digest, logs
from intacct_bridge.sync.models import Run, RunIssue, RunStatus, Trigger
from intacct_bridge.sync.runs import RunRecorder
from intacct_bridge.workspaces.models import Workspace


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def _run(ws: Workspace, family: str, status: str, seconds: float = 2.0, **counts: int) -> Run:
    now = timezone.now()
    return Run.objects.create(
        workspace=ws,
        family=family,
        status=status,
        started_at=now - timedelta(seconds=seconds),
        finished_at=now,
        **counts,
    )


@pytest.fixture
def local_budget() -> Iterator[budget.LocalBudget]:
    b = budget.LocalBudget(budget.Limits(2))
    budget.reset_shared_budget(b)
    yield b
    budget.reset_shared_budget(None)


def test_healthz_answers_without_sign_in(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_the_database_and_the_queue(client: Client, db: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "queue": "ok"}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.redis
def test_readyz_names_the_queue_when_redis_is_down(
    client: Client, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server not installed")
    import huey.contrib.djhuey as djhuey
    from huey import RedisHuey

    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        queue = RedisHuey("readyz-test", url=f"redis://127.0.0.1:{port}/0")
        monkeypatch.setattr(djhuey, "HUEY", queue)
        deadline = time.monotonic() + 10
        while client.get("/readyz").status_code != 200:
            assert time.monotonic() < deadline, "the test's redis-server did not come up"
            time.sleep(0.05)
        server.terminate()
        server.wait(10)
        response = client.get("/readyz")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "unavailable"
        assert body["down"] == ["queue"]
        assert body["checks"]["database"] == "ok"
        assert "ConnectionError" in body["checks"]["queue"]
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)


def test_metrics_from_the_database_the_queue_and_the_budget(
    client: Client, workspace: Workspace, other_workspace: Workspace, local_budget: budget.LocalBudget
) -> None:
    _run(workspace, "clients", RunStatus.SUCCEEDED, 3, created=4, updated=2, fetched=10, api_requests=3)
    _run(workspace, "clients", RunStatus.SUCCEEDED, 40, pushed=1, api_requests=2)
    failed = _run(other_workspace, "", RunStatus.FAILED, 700, api_requests=1)
    RunIssue.objects.create(run=failed, family="clients", errorno="BL01001973", text="Could not create")
    RunIssue.objects.create(run=failed, family="clients", errorno="BL01001973", text="Could not create")
    Run.objects.create(workspace=workspace, family="vendors", queued_at=timezone.now() - timedelta(minutes=5))
    conn = other_workspace.connection
    conn.paused = True
    conn.save()

    with local_budget.hold("ACME", budget.Caller("acme", budget.Priority.SYNC)):
        response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    m = _samples(response.content.decode())
    assert m[("intacct_bridge_runs_total", (("family", "clients"), ("status", "succeeded")))] == 2
    assert m[("intacct_bridge_runs_total", (("family", "all"), ("status", "failed")))] == 1
    assert m[("intacct_bridge_runs_total", (("family", "vendors"), ("status", "queued")))] == 1
    assert m[("intacct_bridge_records_synced_total", (("family", "clients"),))] == 7
    assert m[("intacct_bridge_records_fetched_total", (("family", "clients"),))] == 10
    assert m[("intacct_bridge_intacct_requests_total", (("family", "clients"),))] == 5
    assert m[("intacct_bridge_intacct_errors_total", (("errorno", "BL01001973"),))] == 2
    assert m[("intacct_bridge_run_duration_seconds_bucket", (("family", "clients"), ("le", "5.0")))] == 1
    assert m[("intacct_bridge_run_duration_seconds_bucket", (("family", "clients"), ("le", "60.0")))] == 2
    assert m[("intacct_bridge_run_duration_seconds_count", (("family", "all"),))] == 1
    assert m[("intacct_bridge_run_duration_seconds_sum", (("family", "clients"),))] == pytest.approx(
        43, abs=0.5
    )
    assert m[("intacct_bridge_workspaces", ())] == 2
    assert m[("intacct_bridge_paused_workspaces", ())] == 1
    assert m[("intacct_bridge_runs_active", (("status", "queued"),))] == 1
    assert 290 < m[("intacct_bridge_oldest_queued_run_age_seconds", ())] < 400
    assert ("intacct_bridge_queue_depth", (("state", "pending"),)) in m
    assert m[("intacct_bridge_intacct_in_flight", (("company", "acme"),))] == 1
    assert all(v == 0 for (name, _), v in m.items() if name == "intacct_bridge_scrape_error")


def test_the_metrics_token_when_set(client: Client, db: Any, settings: Any) -> None:
    settings.INTACCT_BRIDGE_METRICS_TOKEN = "s3cret-token"
    refused = client.get("/metrics")
    assert refused.status_code == 401
    assert refused.json()["error"] == "unauthorized"
    assert client.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 401
    ok = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200
    assert b"intacct_bridge_workspaces" in ok.content


def _json_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    formatter = logs.JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "intacct_bridge.runs"]


def test_json_run_lines_start_end_failure_recovery(
    other_workspace: Workspace, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.INTACCT_BRIDGE_LOG_JSON = True
    caplog.set_level(logging.INFO, logger="intacct_bridge.runs")
    first = RunRecorder(
        Run.objects.create(workspace=other_workspace, family="clients", trigger=Trigger.SCHEDULE)
    )
    first.start()
    first.finish(RunStatus.FAILED, "Intacct refused the login")
    second = RunRecorder(Run.objects.create(workspace=other_workspace, family="clients"))
    second.start()
    second.count("created", 3)
    second.finish()
    lines = _json_lines(caplog)
    assert [line["event"] for line in lines] == ["run.started", "run.failed", "run.started", "run.recovered"]
    failed = lines[1]
    assert failed["level"] == "ERROR"
    assert failed["workspace"] == "globex"
    assert failed["family"] == "clients"
    assert failed["run_id"] == first.run.pk
    assert failed["error"] == "Intacct refused the login"
    assert lines[3]["counts"]["created"] == 3
    assert lines[3]["status"] == "succeeded"
    assert isinstance(lines[3]["duration_s"], float)
    text = "\n".join(json.dumps(line) for line in lines)
    assert "globex-secret-password" not in text
    assert other_workspace.connection.encrypted_password not in text


def test_no_run_lines_unless_asked(
    workspace: Workspace, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.INTACCT_BRIDGE_LOG_JSON = False
    caplog.set_level(logging.INFO, logger="intacct_bridge.runs")
    rec = RunRecorder(Run.objects.create(workspace=workspace))
    rec.start()
    rec.finish()
    assert _json_lines(caplog) == []


def test_the_daily_digest_goes_to_the_admins_of_workspaces_with_failures(
    workspace: Workspace, other_workspace: Workspace, settings: Any
) -> None:
    settings.SITE_URL = "https://bridge.example.com"
    failed = _run(workspace, "clients", RunStatus.FAILED, message="Intacct did not answer")
    RunIssue.objects.create(
        run=failed,
        family="clients",
        errorno="BL03000018",
        text="Customer C-9 is inactive",
        remedy="Reactivate customer C-9 in Intacct.",
    )
    _run(workspace, "vendors", RunStatus.PARTIAL, failed=2)
    _run(other_workspace, "clients", RunStatus.SUCCEEDED)  # no failure: no e-mail for globex
    old = _run(workspace, "people", RunStatus.FAILED)
    Run.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=2))

    assert digest.send_failure_digest() == 1
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]  # the admin; bob is a collaborator
    assert message.subject == "[Intacct Bridge] Acme Consulting: 2 runs with failures in the last 24 hours"
    assert "BL03000018: Customer C-9 is inactive" in message.body
    assert "What to do: Reactivate customer C-9 in Intacct." in message.body
    assert f"https://bridge.example.com/w/acme/sync/runs/{failed.pk}/" in message.body
    assert "Intacct did not answer" in message.body
    assert "2 records failed" in message.body
    assert "people" not in message.body


def test_the_digest_is_a_periodic_task_sent_once_a_day(workspace: Workspace) -> None:
    from huey.contrib.djhuey import HUEY

    from intacct_bridge.ops import tasks

    assert tasks.failure_digest.task_class in HUEY._registry._periodic_tasks
    _run(workspace, "clients", RunStatus.FAILED)
    HUEY.get(f"ops.digest:{tasks._day()}")  # forget an earlier test run's send today
    assert tasks.failure_digest.call_local() == 1
    assert tasks.failure_digest.call_local() == 0  # another worker's scheduler the same day
    assert len(mail.outbox) == 1


def test_without_mail_settings_the_digest_goes_to_the_console(
    workspace: Workspace, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.EMAIL_BACKEND = digest.SMTP  # Django's default: SMTP to localhost, nothing configured
    _run(workspace, "clients", RunStatus.FAILED)
    assert digest.send_failure_digest() == 1
    out = capsys.readouterr().out
    assert "To: alice@example.com" in out
    assert "Acme Consulting: 1 run with failures" in out


def test_the_setting_makes_every_log_line_json(tmp_path: Any) -> None:
    import os
    import sys

    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('intacct_bridge.demo').warning('queue %s is slow', 'default')"
    )
    env = {
        **os.environ,
        "INTACCT_BRIDGE_LOG_JSON": "1",
        "INTACCT_BRIDGE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "intacct_bridge.settings",
    }
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stderr.strip().splitlines()[-1])
    assert line["level"] == "WARNING"
    assert line["logger"] == "intacct_bridge.demo"
    assert line["message"] == "queue default is slow"
