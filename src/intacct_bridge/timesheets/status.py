"""Where a timesheet stands with Intacct, computed from the link, the push outbox and the run issues
(so it can never disagree with what the engine did)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from intacct_bridge.sync.models import Link, LinkState, PendingPush, RunIssue
from intacct_bridge.timesheets.models import ExportState, TimeSettings, Timesheet, TimesheetState

FAMILY = "timesheets"


@dataclass(frozen=True)
class ExportStatus:
    state: str  # an ExportState value
    message: str = ""
    remedy: str = ""
    intacct_recordno: int | None = None

    @property
    def label(self) -> str:
        return str(ExportState(self.state).label)

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "label": self.label,
            "message": self.message,
            "remedy": self.remedy,
            "intacct_recordno": self.intacct_recordno,
        }


@dataclass
class _Context:
    settings: TimeSettings
    links: dict[int, Link]
    pending: dict[int, PendingPush]
    issues: dict[int, RunIssue]


def _context(workspace: Any, ids: list[int]) -> _Context:
    links = {
        ln.local_id: ln for ln in Link.objects.filter(workspace=workspace, family=FAMILY, local_id__in=ids)
    }
    pending = {
        p.local_id: p
        for p in PendingPush.objects.filter(workspace=workspace, family=FAMILY, local_id__in=ids)
    }
    issues: dict[int, RunIssue] = {}
    rows = RunIssue.objects.filter(
        run__workspace=workspace, family=FAMILY, local_id__in=ids, fixed=False, action="push"
    ).order_by("id")
    for issue in rows:
        issues[int(issue.local_id or 0)] = issue  # the newest per sheet
    return _Context(TimeSettings.of(workspace), links, pending, issues)


def _remedy(issue: RunIssue) -> str:
    """The catalogue's remedy for Intacct's errors; the app's own checks (IB-…) say what to do in
    their text already, and the catalogue's generic words would point at Intacct instead."""
    return "" if issue.errorno.startswith("IB-") else issue.remedy


def _status(sheet: Timesheet, ctx: _Context) -> ExportStatus:
    link = ctx.links.get(sheet.pk)
    if link is not None and link.origin != "created":
        if link.state == LinkState.LINKED:
            return ExportStatus(ExportState.FROM_INTACCT, intacct_recordno=link.recordno)
        return ExportStatus(ExportState.DELETED_IN_INTACCT, link.unlinked_reason)
    if link is not None and link.state == LinkState.LINKED:
        issue = ctx.issues.get(sheet.pk)
        if sheet.intacct_state and sheet.intacct_state != "Approved" and issue is not None:
            # created, but the approval in Intacct was refused: say so, with Intacct's words
            return ExportStatus(
                ExportState.EXPORTED,
                f"In Sage Intacct it is {sheet.intacct_state}: {issue.text}",
                _remedy(issue),
                link.recordno,
            )
        if sheet.state == TimesheetState.APPROVED and sheet.intacct_state in ("Submitted", "Draft"):
            return ExportStatus(
                ExportState.EXPORTED,
                f"Created in Sage Intacct but {sheet.intacct_state} there: approve it in Intacct, or reject "
                "it here and approve it again.",
                intacct_recordno=link.recordno,
            )
        return ExportStatus(ExportState.EXPORTED, intacct_recordno=link.recordno)
    if link is not None:
        return ExportStatus(
            ExportState.DELETED_IN_INTACCT,
            f"The Intacct timesheet {link.recordno} was deleted in Sage Intacct ({link.unlinked_reason}).",
        )
    if sheet.state != TimesheetState.APPROVED:
        if sheet.withdrawn_recordno:
            return ExportStatus(
                ExportState.WITHDRAWN,
                f"Intacct timesheet {sheet.withdrawn_recordno} was deleted when this timesheet was rejected; "
                "approving it again exports it again, once.",
            )
        return ExportStatus(ExportState.NOT_APPROVED)
    settings = ctx.settings
    if not settings.use_app_for_timesheets:
        return ExportStatus(ExportState.FROM_INTACCT, "Timesheets come from Sage Intacct in this workspace.")
    cutoff = settings.effective_cutoff()
    if sheet.begin_date < cutoff:
        return ExportStatus(
            ExportState.BEFORE_CUTOFF,
            f"Weeks before {cutoff:%Y-%m-%d} (the cut-off) are not sent to Sage Intacct.",
        )
    issue = ctx.issues.get(sheet.pk)
    pending = ctx.pending.get(sheet.pk)
    if issue is not None and (pending is None or pending.attempts):
        return ExportStatus(ExportState.BLOCKED, issue.text, _remedy(issue))
    return ExportStatus(ExportState.WAITING)


def export_status(sheet: Timesheet) -> ExportStatus:
    return _status(sheet, _context(sheet.workspace, [sheet.pk]))


def export_statuses(workspace: Any, sheets: Iterable[Timesheet]) -> dict[int, ExportStatus]:
    """Statuses of many sheets of one workspace with a fixed number of queries."""
    rows = list(sheets)
    ctx = _context(workspace, [s.pk for s in rows])
    return {s.pk: _status(s, ctx) for s in rows}
