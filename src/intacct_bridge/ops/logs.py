"""Structured logs (opt-in: ``INTACCT_BRIDGE_LOG_JSON=1``): every log line a JSON object, and one line
per run start, end, failure and recovery, from signals on the run model (the engine is untouched).

A run line carries the workspace, family, trigger, run id, status, counts, Intacct requests and the
duration; never credentials (a run holds none; the messages it keeps come redacted from the client).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from django.db.models.signals import post_init, post_save

from intacct_bridge.ops import config
from intacct_bridge.sync.models import Run

run_log = logging.getLogger("intacct_bridge.runs")

FAILED = ("failed", "interrupted")
ENDED = ("succeeded", "partial", "skipped")
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str, ensure_ascii=False)


def configure_json() -> None:
    """With the setting on, the handlers of the root logger (settings.LOGGING's console) write JSON."""
    if not config.log_json():
        return
    formatter = JsonFormatter()
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)


def _remember(sender: Any, instance: Any, **kwargs: Any) -> None:
    instance._ops_status = instance.status


def run_fields(run: Any) -> dict[str, Any]:
    took = None
    if run.started_at and run.finished_at:
        took = round((run.finished_at - run.started_at).total_seconds(), 3)
    return {
        "event": "",
        "run_id": run.pk,
        "workspace": run.workspace.slug,
        "family": run.family or "all",
        "trigger": run.trigger,
        "status": run.status,
        "counts": run.counts(),
        "api_requests": run.api_requests,
        "duration_s": took,
    }


def _previous_failed(run: Any) -> bool:
    previous = (
        type(run)
        .objects.filter(workspace_id=run.workspace_id, family=run.family, finished_at__isnull=False)
        .exclude(pk=run.pk)
        .exclude(status="skipped")
        .order_by("-finished_at", "-id")
        .values_list("status", flat=True)
        .first()
    )
    return previous in FAILED


def _on_save(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    before = None if created else getattr(instance, "_ops_status", None)
    now = instance.status
    instance._ops_status = now
    if before == now or not config.log_json():
        return
    if now == "running":
        event, level, text = "run.started", logging.INFO, "run started"
    elif now in FAILED:
        event, level, text = "run.failed", logging.ERROR, "run failed"
    elif now in ENDED:
        if now != "skipped" and _previous_failed(instance):
            event, level, text = "run.recovered", logging.INFO, "run succeeded after a failure"
        else:
            event, level, text = "run.finished", logging.INFO, "run finished"
    else:
        return
    fields = run_fields(instance)
    fields["event"] = event
    if now in FAILED or now == "partial":
        fields["error"] = (instance.message or "")[:500]
    run_log.log(level, "%s: %s %s/%s", text, instance.pk, fields["workspace"], fields["family"], extra=fields)


def connect() -> None:
    post_init.connect(_remember, sender=Run, dispatch_uid="ops.logs.remember")
    post_save.connect(_on_save, sender=Run, dispatch_uid="ops.logs.on_save")
