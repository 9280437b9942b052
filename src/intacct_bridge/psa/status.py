"""Where a project or task stands with Sage Intacct, in words for the pages and the API: linked (with
its ID and status), waiting to be sent, not exported (and why), unlinked; and its open issues."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from intacct_bridge.psa import rules
from intacct_bridge.psa.models import Project, PsaSettings, Task
from intacct_bridge.sync.models import Conflict, Link, PendingPush, RunIssue
from intacct_bridge.workspaces.models import Workspace


def is_linked(ws: Workspace, family: str, local_id: int) -> bool:
    return Link.objects.filter(workspace=ws, family=family, local_id=local_id, state="linked").exists()


def _links(ws: Workspace, family: str, ids: Sequence[int]) -> dict[int, Link]:
    return {
        ln.local_id: ln for ln in Link.objects.filter(workspace=ws, family=family, local_id__in=list(ids))
    }


def _pending(ws: Workspace, family: str, ids: Sequence[int]) -> set[int]:
    rows = PendingPush.objects.filter(workspace=ws, family=family, local_id__in=list(ids))
    return set(rows.values_list("local_id", flat=True))


def _link_state(link: Link | None) -> dict[str, Any]:
    if link is None:
        return {
            "state": "local",
            "intacct_id": None,
            "intacct_recordno": None,
            "entity": "",
            "last_synced_at": None,
        }
    return {
        "state": "linked" if link.is_linked else "unlinked",
        "intacct_id": link.business_id or None,
        "intacct_recordno": link.recordno,
        "entity": link.entity,
        "last_synced_at": link.last_synced_at.isoformat() if link.last_synced_at else None,
        "last_synced": link.last_synced_at,
        "unlinked_reason": link.unlinked_reason,
    }


def project_states(ws: Workspace, projects: Sequence[Project]) -> dict[int, dict[str, Any]]:
    ids = [p.pk for p in projects]
    links, pending = _links(ws, "projects", ids), _pending(ws, "projects", ids)
    settings = PsaSettings.of(ws)
    syncing = "projects" in (ws.families or [])
    out: dict[int, dict[str, Any]] = {}
    for project in projects:
        state = _link_state(links.get(project.pk))
        problem = rules.export_problem(project, settings) if state["state"] == "local" else None
        if state["state"] == "linked":
            label = f"In Sage Intacct as {state['intacct_id']}" + (
                "" if project.intacct_active else " (inactive)"
            )
        elif state["state"] == "unlinked":
            label = f"Unlinked ({state['unlinked_reason']})"
        elif not syncing:
            label = "Projects do not sync in this workspace"
        elif problem is not None:
            label = "Not exported"
        else:
            label = "Waiting to be sent"
        out[project.pk] = state | {
            "label": label,
            "not_exported": problem[1] if problem else "",
            "pending": project.pk in pending,
        }
    return out


def task_states(ws: Workspace, tasks: Sequence[Task]) -> list[dict[str, Any]]:
    ids = [t.pk for t in tasks]
    links, pending = _links(ws, "tasks", ids), _pending(ws, "tasks", ids)
    return [_link_state(links.get(t.pk)) | {"pending": t.pk in pending} for t in tasks]


def open_issues(ws: Workspace, project: Project, tasks: Sequence[Task]) -> list[RunIssue]:
    """Unfixed issues of the project and its tasks from the latest run that had any for each, and
    not settled since (a later successful sync of the record)."""
    wanted = {("projects", project.pk)} | {("tasks", t.pk) for t in tasks}
    links = {("projects", project.pk): _links(ws, "projects", [project.pk]).get(project.pk)}
    links.update({("tasks", k): v for k, v in _links(ws, "tasks", [t.pk for t in tasks]).items()})
    rows = (
        RunIssue.objects.filter(run__workspace=ws, fixed=False, local_id__in=[k for _, k in wanted])
        .filter(family__in=["projects", "tasks"])
        .order_by("-run_id", "id")
    )
    latest: dict[tuple[str, int], int] = {}
    out: list[RunIssue] = []
    for issue in rows:
        key = (issue.family, int(issue.local_id or 0))
        if key not in wanted:
            continue
        run_id = latest.setdefault(key, issue.run_id)
        if issue.run_id != run_id:
            continue
        link = links.get(key)
        if link is not None and link.last_synced_at and link.last_synced_at > issue.created_at:
            continue
        out.append(issue)
    return out


def export_note(ws: Workspace, project: Project) -> str:
    """One sentence after a save: will this reach Intacct, and when?"""
    if "projects" not in (ws.families or []):
        return "Projects do not sync in this workspace."
    if is_linked(ws, "projects", project.pk):
        return "The change goes to Sage Intacct now."
    problem = rules.export_problem(project, PsaSettings.of(ws))
    if problem is not None:
        return f"Not exported to Sage Intacct: {problem[1]}"
    return "It is being sent to Sage Intacct now."


def task_note(ws: Workspace, project: Project) -> str:
    if "tasks" not in (ws.families or []):
        return "Tasks do not sync in this workspace."
    if is_linked(ws, "projects", project.pk):
        return "It goes to Sage Intacct now."
    return "It reaches Sage Intacct once the project is there (tasks sync within linked projects)."


def open_conflicts(ws: Workspace, project: Project) -> list[dict[str, Any]]:
    """The project's unreviewed conflicts (both sides changed it), as rows of both versions."""
    out = []
    rows = Conflict.objects.filter(
        workspace=ws, family="projects", local_id=project.pk, resolved_at__isnull=True
    )
    for conflict in rows:
        names = sorted(set(conflict.app_values) | set(conflict.intacct_values))
        fields = [
            {
                "field": name.replace("_", " "),
                "app": conflict.app_values.get(name),
                "intacct": conflict.intacct_values.get(name),
                "differs": conflict.app_values.get(name) != conflict.intacct_values.get(name),
            }
            for name in names
        ]
        out.append({"conflict": conflict, "rows": fields})
    return out
