"""Prometheus metrics, computed at scrape time from the database, the queue and the budget.

Reading the state where it lives (runs, issues, connections, Huey, the shared budget) rather than
counting in the process that did the work means every worker's runs appear on any web process's
/metrics, across restarts, without a multiprocess registry and without touching the engine.

Intacct requests per family are the runs' own ``api_requests``; errors by errorno are the runs'
recorded issues (per record, and the run-level errors the engine records as issues). Transport
retries the client absorbs (a 429 or 502 retried successfully) are not recorded anywhere a scrape can
read, so they are not counted here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q, Sum
from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from intacct_bridge import budget
from intacct_bridge.sync.models import Run, RunIssue, RunStatus
from intacct_bridge.workspaces.models import Connection, Workspace

log = logging.getLogger("intacct_bridge.ops")

DURATION_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)


def _family(name: str) -> str:
    return name or "all"


def _seconds(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) / 1_000_000  # SQLite sums durations as microseconds


class BridgeCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        failed = GaugeMetricFamily(
            "intacct_bridge_scrape_error", "1 when a part of this scrape could not be read", labels=["part"]
        )
        parts = {
            "runs": self._runs,
            "durations": self._durations,
            "workspaces": self._workspaces,
            "queue": self._queue,
            "budget": self._budget,
        }
        for name, part in parts.items():
            try:
                # collect the part in full first: a half-written family is worse than none
                yield from list(part())
                failed.add_metric([name], 0)
            except Exception:  # one unreachable part (the queue, say) must not hide the others
                log.warning("metrics: %s failed", name, exc_info=True)
                failed.add_metric([name], 1)
        yield failed

    def _runs(self) -> Iterable[Metric]:
        runs = CounterMetricFamily(
            "intacct_bridge_runs", "Sync runs by family and status", labels=["family", "status"]
        )
        for by_status in Run.objects.order_by().values("family", "status").annotate(n=Count("id")):
            runs.add_metric([_family(by_status["family"]), by_status["status"]], by_status["n"])
        yield runs
        synced = CounterMetricFamily(
            "intacct_bridge_records_synced",
            "Records created, updated, unlinked or pushed by runs",
            labels=["family"],
        )
        fetched = CounterMetricFamily(
            "intacct_bridge_records_fetched", "Records read from Intacct by runs", labels=["family"]
        )
        requests = CounterMetricFamily(
            "intacct_bridge_intacct_requests", "Requests sent to Intacct by runs", labels=["family"]
        )
        totals = (
            Run.objects.order_by()
            .values("family")
            .annotate(
                records_synced=Sum(F("created") + F("updated") + F("unlinked") + F("pushed")),
                fetched=Sum("fetched"),
                requests=Sum("api_requests"),
            )
        )
        for total in totals:
            family = [_family(total["family"])]
            synced.add_metric(family, total["records_synced"] or 0)
            fetched.add_metric(family, total["fetched"] or 0)
            requests.add_metric(family, total["requests"] or 0)
        yield from (synced, fetched, requests)
        errors = CounterMetricFamily(
            "intacct_bridge_intacct_errors", "Errors recorded by runs, by Intacct errorno", labels=["errorno"]
        )
        for by_errorno in RunIssue.objects.order_by().values("errorno").annotate(n=Count("id")):
            errors.add_metric([by_errorno["errorno"] or "none"], by_errorno["n"])
        yield errors

    def _durations(self) -> Iterable[Metric]:
        took = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
        buckets = {
            f"le{i}": Count("id", filter=Q(took__lte=timedelta(seconds=b)))
            for i, b in enumerate(DURATION_BUCKETS)
        }
        rows = (
            Run.objects.order_by()
            .filter(started_at__isnull=False, finished_at__isnull=False)
            .annotate(took=took)
            .values("family")
            .annotate(n=Count("id"), total=Sum("took"), **buckets)
        )
        hist = HistogramMetricFamily(
            "intacct_bridge_run_duration_seconds", "Duration of finished runs", labels=["family"]
        )
        for annotated in rows:
            row: dict[str, Any] = dict(annotated)  # the bucket counts' keys are built, not literal
            points = [(str(b), row[f"le{i}"]) for i, b in enumerate(DURATION_BUCKETS)]
            points.append(("+Inf", row["n"]))
            hist.add_metric([_family(row["family"])], points, sum_value=_seconds(row["total"]))
        yield hist

    def _workspaces(self) -> Iterable[Metric]:
        yield GaugeMetricFamily("intacct_bridge_workspaces", "Workspaces", value=Workspace.objects.count())
        yield GaugeMetricFamily(
            "intacct_bridge_paused_workspaces",
            "Workspaces whose syncs are paused (Intacct refused the login)",
            value=Connection.objects.filter(paused=True).count(),
        )
        states = GaugeMetricFamily("intacct_bridge_runs_active", "Runs queued or running", labels=["status"])
        counts = dict(
            Run.objects.order_by()
            .filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
            .values_list("status")
            .annotate(n=Count("id"))
        )
        for status in (RunStatus.QUEUED, RunStatus.RUNNING):
            states.add_metric([str(status)], counts.get(status, 0))
        yield states
        oldest = Run.objects.filter(status=RunStatus.QUEUED).aggregate(t=Min("queued_at"))["t"]
        age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily(
            "intacct_bridge_oldest_queued_run_age_seconds",
            "How long the oldest queued run has waited (0 when none waits)",
            value=max(0.0, age),
        )

    def _queue(self) -> Iterable[Metric]:
        from huey.contrib.djhuey import HUEY

        depth = GaugeMetricFamily("intacct_bridge_queue_depth", "Tasks in the Huey queue", labels=["state"])
        depth.add_metric(["pending"], HUEY.pending_count())
        depth.add_metric(["scheduled"], HUEY.scheduled_count())  # retries waiting for their time
        yield depth

    def _budget(self) -> Iterable[Metric]:
        shared = budget.shared_budget()
        in_flight = GaugeMetricFamily(
            "intacct_bridge_intacct_in_flight",
            "Requests in flight to Intacct per company (the shared budget's holders)",
            labels=["company"],
        )
        for company, n in sorted(shared.in_flight().items()):
            in_flight.add_metric([company], n)
        yield in_flight
        waiting = GaugeMetricFamily(
            "intacct_bridge_intacct_waiting",
            "Requests waiting for a slot of their company's budget",
            labels=["company"],
        )
        for company, n in sorted(shared.waiting().items()):
            waiting.add_metric([company], n)
        yield waiting


def registry() -> CollectorRegistry:
    reg = CollectorRegistry(auto_describe=False)
    reg.register(BridgeCollector())
    return reg


def render() -> bytes:
    return bytes(generate_latest(registry()))
