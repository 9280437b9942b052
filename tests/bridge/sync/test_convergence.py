"""A 10,000-customer sync under 10% injected faults converges with nothing lost or duplicated."""

from __future__ import annotations

from typing import Any

import pytest

from intacct import RetryPolicy
from intacct_bridge.records.models import Client
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link, RunStatus
from intacct_bridge.workspaces.connection import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

FAULTS = ("http-502", "http-503", "rate-limit", "reset-before-commit", "truncated", "malformed", "http-524")


def _fast_client(ws: Any) -> Any:
    # the client's own retries, with short waits so the test stays quick
    return client_for(ws, retry=RetryPolicy(max_retries=4, base_delay=0.01, max_delay=0.05, max_total=10))


def test_ten_thousand_customers_converge_under_faults(ws: Any, intacct_sandbox: Any, company: str) -> None:
    control = intacct_sandbox.control
    control.mutate(company, "CUSTOMER", add=10_000 - control.count(company, "CUSTOMER"), seed=4)
    first = service.import_records(ws, "clients", None, client_factory=_fast_client)
    assert first.status == RunStatus.SUCCEEDED, first.message
    assert Client.objects.filter(workspace=ws).count() == 10_000

    control.mutate(company, "CUSTOMER", change="30%", seed=5)
    for i, kind in enumerate(FAULTS):  # ~10% of requests hit one fault or another
        control.fault(kind, rate=0.1 / len(FAULTS), seed=11 + i, company_id=company)
    runs = []
    for _ in range(6):
        run = service.sync_now(ws, "clients", client_factory=_fast_client)
        runs.append(run)
        if run.status == RunStatus.SUCCEEDED:
            break
    control.clear_faults()
    assert runs[-1].status == RunStatus.SUCCEEDED, [(r.status, r.message) for r in runs]

    remote = {int(c["RECORDNO"]): c["NAME"] for c in control.records(company, "CUSTOMER")}
    links = dict(Link.objects.filter(workspace=ws, family="clients").values_list("local_id", "recordno"))
    names = dict(Client.objects.filter(workspace=ws).values_list("pk", "name"))
    assert len(links) == len(names) == len(remote) == 10_000
    assert len(set(links.values())) == 10_000
    assert all(names[local] == remote[recordno] for local, recordno in links.items())
