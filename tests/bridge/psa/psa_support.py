"""Helpers of the psa tests (projects and tasks); their fixtures are in ``conftest.py``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from intacct_bridge.psa.models import Project, Stage
from intacct_bridge.records.models import Client
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link, RunIssue
from intacct_bridge.workspaces.connection import client_for
from intacct_bridge.workspaces.models import Workspace

TODAY = date.today()


def remote_projects(remote: Any, **match: Any) -> list[dict[str, Any]]:
    return [p for p in remote("PROJECT") if all(str(p.get(k)) == str(v) for k, v in match.items())]


def remote_tasks(remote: Any, **match: Any) -> list[dict[str, Any]]:
    return [t for t in remote("TASK") if all(str(t.get(k)) == str(v) for k, v in match.items())]


def linked_client(ws: Workspace, remote: Any) -> Client:
    """A client imported from the first active demo customer (so projects can name it)."""
    customer = next(c for c in remote("CUSTOMER") if c.get("STATUS") == "active")
    run = service.import_records(ws, "clients", [int(customer["RECORDNO"])], options={})
    assert run.created == 1, run.message
    link = Link.objects.get(workspace=ws, family="clients", recordno=int(customer["RECORDNO"]))
    return Client.objects.get(pk=link.local_id)


def new_project(ws: Workspace, **fields: Any) -> Project:
    values: dict[str, Any] = {
        "name": "Website relaunch",
        "stage": Stage.RUNNING,
        "start_date": TODAY,
        "end_date": TODAY + timedelta(days=90),
    }
    values.update(fields)
    return Project.objects.create(workspace=ws, **values)


def issues(ws: Workspace, family: str, local_id: int | None = None) -> list[RunIssue]:
    rows = RunIssue.objects.filter(run__workspace=ws, family=family)
    if local_id is not None:
        rows = rows.filter(local_id=local_id)
    return list(rows.order_by("id"))


def intacct_update(ws: Workspace, obj: str, fields: dict[str, Any]) -> None:
    with client_for(ws) as intacct:
        result = intacct.update([(obj, fields)])[0]
        assert result.ok, result.error


def link_of(ws: Workspace, family: str, local_id: int) -> Link | None:
    return Link.objects.filter(workspace=ws, family=family, local_id=local_id).first()
