"""What a family's hooks get during a run: one RunContext per run, its memo computed once and never
shared with another run, the workspace's linked IDs."""

from __future__ import annotations

from typing import Any

import pytest

from intacct_bridge.records.families import CLIENTS
from intacct_bridge.sync import service
from intacct_bridge.sync.engine import Engine
from intacct_bridge.sync.runs import new_run
from intacct_bridge.workspaces.connection import client_for

pytestmark = pytest.mark.django_db


def test_the_memo_computes_once_per_run_and_each_run_has_its_own(ws: Any) -> None:
    calls: list[str] = []

    def compute(value: str) -> str:
        calls.append(value)
        return value

    with client_for(ws) as intacct:
        first = Engine(ws, new_run(ws), intacct).context
        second = Engine(ws, new_run(ws), intacct).context
        assert first.remember("k", lambda: compute("a")) == "a"
        assert first.remember("k", lambda: compute("b")) == "a"
        assert second.remember("k", lambda: compute("c")) == "c"
    assert calls == ["a", "c"]
    assert first.workspace == ws and first.issues.run != second.issues.run


def test_linked_ids_are_the_workspace_links_business_ids(ws: Any, remote: Any) -> None:
    recordnos = sorted(int(r["RECORDNO"]) for r in remote("CUSTOMER"))[:2]
    service.import_records(ws, CLIENTS.name, recordnos)
    with client_for(ws) as intacct:
        ctx = Engine(ws, new_run(ws), intacct).context
        linked = ctx.linked_ids(CLIENTS.name)
    wanted = {str(r["CUSTOMERID"]) for r in remote("CUSTOMER") if int(r["RECORDNO"]) in recordnos}
    assert set(linked) == wanted
    assert len(set(linked.values())) == 2
