"""What the pages, the JSON API, the CLI and the jobs call: sync, import, link, unlink, retry, lists.

Every operation that talks to Intacct runs under the workspace's claim (``claims.py``) and is
recorded as a ``Run``; nothing here raises for Intacct problems except ``Busy`` and ``LinkRefused``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.db.models import Model, Q
from django.utils import timezone

from intacct import Client, errors
from intacct_bridge import budget
from intacct_bridge.sync import claims, heartbeat
from intacct_bridge.sync.cursors import RunCursor
from intacct_bridge.sync.engine import Engine, Interrupted, LinkRefused, execute
from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import Link, LinkState, Run, RunIssue, RunStatus, Trigger
from intacct_bridge.sync.registry import get_family
from intacct_bridge.sync.remote import Remote
from intacct_bridge.sync.runs import RunRecorder, new_run
from intacct_bridge.sync.spec import get_path
from intacct_bridge.workspaces.connection import client_for
from intacct_bridge.workspaces.health import is_paused, report_setup_failure
from intacct_bridge.workspaces.models import Workspace

ClientFactory = Callable[[Workspace], Client]


class Busy(Exception):
    """Another sync of this workspace is running; try again when it is done."""


def _client(workspace: Workspace, factory: ClientFactory | None) -> Client:
    if factory is not None:
        return factory(workspace)

    return client_for(workspace)


@contextmanager
def claimed(workspace: Workspace, run: Run | None = None) -> Iterator[str]:
    holder = claims.holder_id()
    if not claims.claim(workspace, holder, run):
        raise Busy(f"A sync of {workspace.slug} is already running.")
    try:
        with heartbeat.beating(workspace, holder):
            yield holder
    finally:
        claims.release(workspace, holder)


def _paused(workspace: Workspace) -> bool:
    return is_paused(workspace)


def _skip_paused(run: Run) -> Run:
    return RunRecorder(run).finish(
        RunStatus.SKIPPED,
        "Syncs are paused: Intacct refused the login. Fix the connection and run Test connection.",
    )


def run_sync(
    run: Run,
    *,
    client_factory: ClientFactory | None = None,
    key_scan: bool = False,
    overlap: timedelta | None = None,
) -> Run:
    """Execute a queued sync run under the claim (raises Busy)."""
    if _paused(run.workspace):
        return _skip_paused(run)
    with claimed(run.workspace, run), budget.acting_for(run.workspace.slug, run.trigger):
        client = _client(run.workspace, client_factory)
        try:
            return execute(run, client, key_scan=key_scan, overlap=overlap)
        finally:
            _close(client)


def sync_now(
    workspace: Workspace, family: str = "", *, trigger: str = Trigger.SYNC_NOW, by: str = "", **options: Any
) -> Run:
    if family:
        get_family(family)  # unknown family: LookupError before anything is recorded
    run = new_run(workspace, family, trigger, by)
    try:
        return run_sync(run, **options)
    except Busy:
        return RunRecorder(run).finish(RunStatus.SKIPPED, "Another sync of this workspace was running.")


def _close(client: Client) -> None:
    close = getattr(client, "close", None)
    if callable(close):
        close()


def _guarded(run: Run, body: Callable[[Engine], object], client_factory: ClientFactory | None) -> Run:
    """Run ``body`` with an engine under the claim, turning Intacct errors into the run's outcome."""
    rec = RunRecorder(run)
    if _paused(run.workspace):
        return _skip_paused(run)
    # the run's requests queue for the company's budget by its trigger: pushes before syncs before imports
    with claimed(run.workspace, run), budget.acting_for(run.workspace.slug, run.trigger):
        rec.start()
        client = _client(run.workspace, client_factory)
        engine = Engine(run.workspace, run, client)
        try:
            body(engine)
        except Interrupted:
            return rec.finish(
                RunStatus.INTERRUPTED,
                "Stopped; what was imported so far is kept.",
                api_requests=engine.remote.requests,
            )
        except errors.SetupError as exc:
            report_setup_failure(run.workspace, exc)
            rec.issue_from(run.family, exc, action="setup")
            return rec.finish(
                RunStatus.FAILED,
                f"Intacct refused the connection: {exc}",
                api_requests=engine.remote.requests,
            )
        except (errors.TransportError, errors.OutcomeUnknown, errors.RequestRejected) as exc:
            return rec.finish(
                RunStatus.FAILED,
                f"Intacct did not answer usefully: {exc}",
                api_requests=engine.remote.requests,
            )
        except errors.FunctionError as exc:
            rec.issue_from(run.family, exc)
            return rec.finish(RunStatus.FAILED, str(exc), api_requests=engine.remote.requests)
        finally:
            _close(client)
        return rec.finish(api_requests=engine.remote.requests)


def import_records(
    workspace: Workspace,
    family: str,
    recordnos: Sequence[int] | None,
    *,
    options: Mapping[str, Any] | None = None,
    by: str = "",
    client_factory: ClientFactory | None = None,
    run: Run | None = None,
) -> Run:
    """Create local records from the chosen Intacct records (None = all). Raises Busy."""
    fam = get_family(family)
    run = run or new_run(workspace, family, Trigger.IMPORT, by)
    opts = dict(options or {})
    return _guarded(run, lambda engine: engine.import_records(fam, recordnos, opts), client_factory)


def link(
    workspace: Workspace,
    family: str,
    local: Model,
    recordno: int,
    *,
    by: str = "",
    client_factory: ClientFactory | None = None,
) -> Run:
    """Link ``local`` to an Intacct record and take its mapped values. Raises LinkRefused or Busy."""
    fam = get_family(family)
    run = new_run(workspace, family, Trigger.LINK, by)
    refused: list[LinkRefused] = []

    def body(engine: Engine) -> None:
        try:
            engine.link(fam, local, recordno)
        except LinkRefused as exc:
            refused.append(exc)

    run = _guarded(run, body, client_factory)
    if refused:
        RunRecorder(run).finish(RunStatus.FAILED, refused[0].message)
        raise refused[0]
    return run


def unlink(workspace: Workspace, family: str, local_id: int, reason: str = "unlinked by an admin") -> bool:
    """Detach a local record from Intacct; it stays, keeps its values and can be linked again."""
    return bool(
        Link.objects.filter(
            workspace=workspace, family=family, local_id=local_id, state=LinkState.LINKED
        ).update(state=LinkState.UNLINKED, unlinked_reason=reason, last_synced_at=timezone.now())
    )


def mark_fixed(issue: RunIssue) -> None:
    issue.fixed = True
    issue.fixed_at = timezone.now()
    issue.save(update_fields=["fixed", "fixed_at"])


def retry_failed(
    run: Run, *, by: str = "", client_factory: ClientFactory | None = None, only_fixed: bool = False
) -> Run:
    """Read the failed records of ``run`` again from Intacct and sync (or import) just those."""
    issues = run.issues.filter(recordno__isnull=False, retried_in__isnull=True)
    if only_fixed:
        issues = issues.filter(fixed=True)
    by_family: dict[str, dict[str, set[int]]] = {}
    for issue in issues:
        bucket = by_family.setdefault(issue.family, {"import": set(), "sync": set()})
        # a record that never got imported is imported again; one that exists locally is re-synced
        fresh = issue.action == "import" and issue.local_id is None
        bucket["import" if fresh else "sync"].add(int(issue.recordno or 0))
    retry = new_run(run.workspace, run.family, Trigger.RETRY, by)

    def body(engine: Engine) -> None:
        for family, keys in by_family.items():
            fam = get_family(family)
            if keys["import"]:
                engine.import_records(fam, sorted(keys["import"]), {})
            if keys["sync"]:
                rc = RunCursor.start(None, timezone.now(), engine.cursor_row(family).timezone)
                records = engine.remote.read(fam.spec, sorted(keys["sync"]))
                engine.pull_page(fam, records, rc, unordered=True)
                found = {int(r["RECORDNO"]) for r in records}
                engine.unlink_removed(fam, keys["sync"] - found, "removed in Intacct")

    result = _guarded(retry, body, client_factory)
    issues.update(retried_in=result)
    return result


# ---- lists -----------------------------------------------------------------------------------


def link_state(link: Link | None) -> str:
    if link is None:
        return "local"
    return "linked" if link.state == LinkState.LINKED else "unlinked"


def local_records(workspace: Workspace, family: str) -> list[dict[str, Any]]:
    """The family's local records with their link, as ``intacct-bridge records --json`` prints them."""
    fam = get_family(family)
    objects = list(fam.model._default_manager.filter(workspace=workspace).order_by("pk"))
    links = {ln.local_id: ln for ln in Link.objects.filter(workspace=workspace, family=family)}
    return [record_dict(fam, obj, links.get(obj.pk)) for obj in objects]


def _field_value(fam: Family[Any], obj: Model, name: str) -> Any:
    spec_field = next(f for f in fam.spec.fields if f.app == name)
    if spec_field.reference:
        return getattr(obj, f"{name}_id")
    value = getattr(obj, name)
    return value.isoformat() if hasattr(value, "isoformat") else value


def record_dict(fam: Family[Any], obj: Model, link: Link | None) -> dict[str, Any]:
    return {
        "id": obj.pk,
        "title": fam.local_title(obj),
        "link_state": link_state(link),
        "intacct_recordno": link.recordno if link is not None else None,
        "intacct_id": (link.business_id or None) if link is not None else None,
        "last_synced_at": (
            link.last_synced_at.isoformat() if link is not None and link.last_synced_at else None
        ),
        "fields": {name: _field_value(fam, obj, name) for name in fam.spec.app_fields},
    }


def candidates(
    workspace: Workspace,
    family: str,
    search: str = "",
    *,
    page: int = 1,
    per_page: int = 25,
    client_factory: ClientFactory | None = None,
) -> dict[str, Any]:
    """A page of Intacct records not linked yet (for the import modal and the link dropdown)."""
    fam = get_family(family)
    linked = list(
        Link.objects.filter(workspace=workspace, family=family, state=LinkState.LINKED).values_list(
            "recordno", flat=True
        )
    )
    client = _client(workspace, client_factory)
    try:
        remote = Remote(client)
        rows = remote.search(fam.spec, search.strip(), page * per_page + 1, exclude=linked)
    finally:
        _close(client)
    start = (page - 1) * per_page
    window = rows[start : start + per_page]
    return {
        "page": page,
        "per_page": per_page,
        "has_next": len(rows) > start + per_page,
        "results": [remote_dict(fam, r) for r in window],
    }


def remote_dict(fam: Family[Any], record: Mapping[str, Any]) -> dict[str, Any]:
    spec = fam.spec
    out = {
        "intacct_recordno": int(record["RECORDNO"]),
        "intacct_id": str(record.get(spec.business_id) or ""),
        "title": spec.title_of(record),
    }
    details = {}
    for f in spec.fields:
        value = get_path(record, f.intacct)
        if value not in (None, ""):
            details[f.app] = str(value)
    out["fields"] = details
    return out


_WORD = re.compile(r"[A-Za-z0-9]{3,}")


def suggestions(
    workspace: Workspace,
    family: str,
    local: Model,
    *,
    limit: int = 8,
    client_factory: ClientFactory | None = None,
) -> list[dict[str, Any]]:
    """Likely Intacct matches for a local record: not linked, sharing a name word, best first."""
    fam = get_family(family)
    title = fam.local_title(local)
    words = sorted(set(_WORD.findall(title)), key=len, reverse=True)[:2] or [title]
    seen: dict[int, dict[str, Any]] = {}
    for word in words:
        for row in candidates(workspace, family, word, per_page=limit, client_factory=client_factory)[
            "results"
        ]:
            seen.setdefault(row["intacct_recordno"], row)
    wanted = {w.lower() for w in _WORD.findall(title)}

    def score(row: dict[str, Any]) -> tuple[int, str]:
        theirs = {w.lower() for w in _WORD.findall(row["title"])}
        exact = row["title"].strip().lower() == title.strip().lower()
        return (-(100 if exact else 0) - len(wanted & theirs), row["title"])

    return sorted(seen.values(), key=score)[:limit]


def active_run(workspace: Workspace) -> Run | None:
    return Run.objects.filter(workspace=workspace, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).first()


def search_locals(workspace: Workspace, family: str, text: str) -> Any:
    fam = get_family(family)
    qs = fam.model._default_manager.filter(workspace=workspace)
    if text:
        cond = Q()
        for name in fam.search_fields:
            cond |= Q(**{f"{name}__icontains": text})
        qs = qs.filter(cond)
    return qs


__all__ = [
    "Busy",
    "LinkRefused",
    "active_run",
    "candidates",
    "import_records",
    "link",
    "local_records",
    "mark_fixed",
    "record_dict",
    "retry_failed",
    "run_sync",
    "suggestions",
    "sync_now",
    "unlink",
]
