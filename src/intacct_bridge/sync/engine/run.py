"""A run: every enabled family in dependency order (``registry.run_order``), recorded as a ``Run``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import intacct.errors as errors
from intacct import Client
from intacct_bridge.sync.engine.base import Interrupted
from intacct_bridge.sync.engine.documents import Documents
from intacct_bridge.sync.engine.link import Linking
from intacct_bridge.sync.engine.pull import Pull
from intacct_bridge.sync.engine.push import Push
from intacct_bridge.sync.engine.removal import Removal
from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import Link, Run, RunStatus
from intacct_bridge.sync.registry import all_families, get_family, run_order
from intacct_bridge.sync.runs import RunRecorder
from intacct_bridge.workspaces.health import report_setup_failure
from intacct_bridge.workspaces.models import Workspace


class Engine(Pull, Linking, Documents, Removal, Push):
    """The one sync loop every family runs through, assembled from its sections."""

    def sync_family(self, fam: Family[Any], *, check_removals: bool = False, key_scan: bool = False) -> None:
        try:
            if fam.pulls_for(self.workspace):
                self.pull(fam)
                self.check_removals(fam, force=check_removals, key_scan=key_scan)
            if fam.pushes_for(self.workspace):
                self.push(fam)
        except errors.FunctionError as exc:
            # e.g. the role may not read this object: this family fails, the others go on
            self.rec.issue_from(fam.name, exc, action="pull")


def families_of(workspace: Workspace, family: str = "") -> list[Family[Any]]:
    if family:
        return [get_family(family)]
    enabled = set(workspace.families or [])
    return [f for f in all_families() if f.name in enabled]


def execute(
    run: Run,
    client: Client | None = None,
    *,
    check_removals: bool = False,
    key_scan: bool = False,
    overlap: timedelta | None = None,
) -> Run:
    """Run a sync (all the workspace's families, or ``run.family``) and record it. Never raises for
    Intacct problems: they end up in the run's status, message and issues."""
    workspace = run.workspace
    engine: Engine | None = None
    rec = RunRecorder(run)
    rec.start()
    try:
        engine = Engine(workspace, run, client, overlap=overlap)
        for fam in run_order(families_of(workspace, run.family)):
            engine.sync_family(fam, check_removals=check_removals, key_scan=key_scan)
    except Interrupted:
        return rec.finish(
            RunStatus.INTERRUPTED,
            "Stopped at a page boundary; the next run continues from there.",
            api_requests=engine.remote.requests if engine else None,
        )
    except errors.SetupError as exc:
        _report_setup(workspace, exc)
        rec.issue_from(run.family or "all", exc, action="setup")
        return rec.finish(
            RunStatus.FAILED,
            f"Intacct refused the connection: {exc}",
            api_requests=engine.remote.requests if engine else None,
        )
    except (errors.TransportError, errors.OutcomeUnknown, errors.RequestRejected) as exc:
        return rec.finish(
            RunStatus.FAILED,
            f"Intacct did not answer usefully ({type(exc).__name__}: {exc}); "
            "nothing was lost, the next run picks up from the same point.",
            api_requests=engine.remote.requests if engine else None,
        )
    return rec.finish(api_requests=engine.remote.requests)


def _report_setup(workspace: Workspace, exc: Exception) -> None:
    report_setup_failure(workspace, exc)


def with_link_ids(family: str, workspace: Workspace, ids: Iterable[int]) -> dict[int, Link]:
    return {
        ln.local_id: ln
        for ln in Link.objects.filter(workspace=workspace, family=family, local_id__in=list(ids))
    }
