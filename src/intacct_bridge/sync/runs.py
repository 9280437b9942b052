"""Recording a run: counters, progress, per-record issues (with their remedy) and the end state."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone

from intacct_bridge.sync.models import COUNTERS, Run, RunIssue, RunStatus, Trigger
from intacct_bridge.sync.remedies import remedy_for
from intacct_bridge.workspaces.models import Workspace


def new_run(workspace: Workspace, family: str = "", trigger: str = Trigger.SYNC_NOW, by: str = "") -> Run:
    return Run.objects.create(workspace=workspace, family=family, trigger=trigger, requested_by=by)


def error_fields(exc: BaseException) -> tuple[str, str, str]:
    """(errorno, text, correction) of a client error, or of any exception."""
    errorno = str(getattr(exc, "errorno", "") or "")
    parts = [getattr(exc, "description", ""), getattr(exc, "description2", "")]
    text = " ".join(p for p in parts if p) or str(exc)
    return errorno, text, str(getattr(exc, "correction", "") or "")


class RunRecorder:
    """Counts in memory, saves progress at page boundaries (one UPDATE), issues as they happen."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def start(self) -> None:
        self.run.status = RunStatus.RUNNING
        self.run.started_at = timezone.now()
        self.run.save(update_fields=["status", "started_at"])

    def count(self, name: str, n: int = 1) -> None:
        assert name in COUNTERS
        setattr(self.run, name, getattr(self.run, name) + n)

    def progress(
        self, *, phase: str | None = None, pages: int = 0, records: int = 0, api_requests: int | None = None
    ) -> None:
        run = self.run
        if phase is not None:
            run.phase = phase
        run.pages_done += pages
        run.records_done += records
        if api_requests is not None:
            run.api_requests = api_requests
        run.save(update_fields=[*COUNTERS, "pages_done", "records_done", "phase", "api_requests"])

    def issue(
        self,
        family: str,
        *,
        errorno: str,
        text: str,
        correction: str = "",
        recordno: int | None = None,
        business_id: str = "",
        local_id: int | None = None,
        action: str = "pull",
    ) -> RunIssue:
        remedy = remedy_for(errorno, text, correction)
        self.count("failed")
        return RunIssue.objects.create(
            run=self.run,
            family=family,
            recordno=recordno,
            business_id=business_id,
            local_id=local_id,
            action=action,
            errorno=errorno,
            text=text,
            correction=correction,
            remedy_code=remedy.code,
            remedy=remedy.fix,
            setup_step=remedy.checklist,
        )

    def issue_from(self, family: str, exc: BaseException, **where: Any) -> RunIssue:
        errorno, text, correction = error_fields(exc)
        return self.issue(family, errorno=errorno, text=text, correction=correction, **where)

    def finish(self, status: str | None = None, message: str = "", api_requests: int | None = None) -> Run:
        run = self.run
        if status is None:
            status = RunStatus.PARTIAL if run.failed else RunStatus.SUCCEEDED
        run.status = status
        run.finished_at = timezone.now()
        run.phase = ""
        if message:
            run.message = message
        if api_requests is not None:
            run.api_requests = api_requests
        run.save()
        return run


def bump(run: Run, **deltas: int) -> None:
    """Atomic counter increments from outside the recorder (e.g. an API call on a finished run)."""
    Run.objects.filter(pk=run.pk).update(**{k: F(k) + v for k, v in deltas.items()})
