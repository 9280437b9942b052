"""Every pulled family finds every record, whatever its business dates (issue #15, first bullet).

A record created in Intacct after the last sync — for documents, one whose business date (the bill,
invoice or payment date, which Intacct shows in WHENCREATED) lies weeks in the past — is read by the
next sync's incremental pull and, for families that import everything, arrives linked. The sandbox
keeps WHENMODIFIED empty on a record never modified (docs/intacct/objects.md §0.9), so these tests
exercise the harder path: the pass that reads new records by their system creation stamp.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from intacct_bridge.sync import service
from intacct_bridge.sync.cursors import parse_timestamp
from intacct_bridge.sync.models import Cursor, Link, LinkState, RunStatus
from intacct_bridge.sync.registry import all_families
from intacct_bridge.sync.remote import Remote
from intacct_bridge.timesheets.models import TimeSettings
from intacct_bridge.workspaces.models import Workspace
from intacct_sandbox.objects import get_object

pytestmark = pytest.mark.django_db

# family -> (its Intacct object, the families it needs on, True when it imports every record)
PULLED = {
    "clients": ("CUSTOMER", [], False),
    "departments": ("DEPARTMENT", [], False),
    "people": ("EMPLOYEE", ["departments"], False),
    "accounts": ("GLACCOUNT", [], True),
    "vendors": ("VENDOR", [], True),
    "bills": ("APBILL", ["accounts", "vendors", "departments"], True),
    "invoices": ("ARINVOICE", ["clients", "accounts"], True),
    "projects": ("PROJECT", ["clients", "departments"], True),
    "timesheets": ("TIMESHEET", ["departments", "people", "projects"], True),
}
# documents whose WHENCREATED is their business date (objects.md §0.9)
DOCUMENTS = {"APBILL", "ARINVOICE"}


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[int]]:
    """Every RECORDNO the engine's queries returned, per object (the real queries, only observed)."""
    seen: dict[str, set[int]] = defaultdict(set)
    original = Remote._pages

    def observed(self: Remote, obj: str, *args: Any, **kwargs: Any) -> Iterator[list[dict[str, Any]]]:
        for page in original(self, obj, *args, **kwargs):
            seen[obj].update(int(r["RECORDNO"]) for r in page if r.get("RECORDNO") is not None)
            yield page

    monkeypatch.setattr(Remote, "_pages", observed)
    return seen


def _first_sync(ws: Workspace, family: str, obj: str, imports_all: bool, remote: Any) -> None:
    needs = PULLED[family][1]
    ws.families = [*needs, family]
    ws.save(update_fields=["families"])
    TimeSettings.objects.update_or_create(workspace=ws, defaults={"use_app_for_timesheets": False})
    for need in needs:
        if PULLED[need][2]:
            assert service.sync_now(ws, need).status in (RunStatus.SUCCEEDED, RunStatus.PARTIAL)
        else:
            service.import_records(ws, need, None)
    if imports_all:
        run = service.sync_now(ws, family)
    else:
        keys = sorted(int(r["RECORDNO"]) for r in remote(obj))[:2]
        run = service.import_records(ws, family, keys)
        assert run.status == RunStatus.SUCCEEDED, run.message
        run = service.sync_now(ws, family)
    assert run.status in (RunStatus.SUCCEEDED, RunStatus.PARTIAL), run.message
    assert Cursor.objects.get(workspace=ws, family=family).position, "the first sync set the cursor"


@pytest.mark.parametrize("family", list(PULLED))
def test_a_backdated_record_created_after_the_last_sync_arrives_on_the_next(
    family: str, ws: Workspace, remote: Any, intacct_sandbox: Any, company: str, reads: dict[str, set[int]]
) -> None:
    obj, _, imports_all = PULLED[family]
    _first_sync(ws, family, obj, imports_all, remote)
    # created in Intacct now, as a copy of an existing record: documents keep an old business date
    added = intacct_sandbox.control.mutate(company, obj, add=1, seed=7)["added"][0]
    row = next(r for r in remote(obj) if int(r["RECORDNO"]) == added)
    assert not row.get("WHENMODIFIED"), "never modified since it was created"
    if obj in DOCUMENTS:
        business_date = parse_timestamp(str(row["WHENCREATED"]))
        assert business_date is not None and business_date.date() < date.today() - timedelta(days=1)
    reads.clear()
    run = service.sync_now(ws, family)
    assert run.status in (RunStatus.SUCCEEDED, RunStatus.PARTIAL), run.message
    assert added in reads[obj], f"the incremental pull of {family} never read {obj} {added}"
    # projects and timesheets filter what they import (an active project with a qualifying end
    # date, a sheet of a linked employee): for them the read is the cursor's whole guarantee
    if imports_all and family not in ("projects", "timesheets"):
        assert Link.objects.filter(
            workspace=ws, family=family, recordno=added, state=LinkState.LINKED
        ).exists(), [i.text for i in run.issues.all()[:5]]


def test_unchanged_syncs_refetch_nothing_run_after_run(ws: Workspace, remote: Any, reads: Any) -> None:
    """The window re-read by each pull is at most the overlap: it does not grow with every run."""
    ws.families = ["vendors"]
    ws.save(update_fields=["families"])
    service.sync_now(ws, "vendors", overlap=timedelta(0))
    fetched = [service.sync_now(ws, "vendors", overlap=timedelta(0)).fetched for _ in range(3)]
    assert fetched == [0, 0, 0]
    position = Cursor.objects.get(workspace=ws, family="vendors").position
    assert position["modified"], "the cursor moved up to the run's start even with nothing read"


def test_every_pulled_family_reads_new_records_by_the_system_stamp() -> None:
    """Per object, against the sandbox's definition: transaction headers' WHENCREATED is the
    document date, so their new records are read by AUWHENCREATED; other objects' WHENCREATED is a
    timestamp."""
    for fam in all_families():
        definition = get_object(fam.spec.intacct_object)
        assert definition is not None, fam.spec.intacct_object
        expected = "AUWHENCREATED" if definition.transaction else "WHENCREATED"
        assert fam.spec.created_field == expected, (fam.name, fam.spec.intacct_object)


def test_a_bill_an_entity_workspace_enters_with_a_past_date_reaches_the_top_level_one(
    ws: Workspace, owner: Any, intacct_sender: dict[str, Any], remote: Any
) -> None:
    from sync_support import bound_workspace, enable_bills, enter_backdated_bill

    enable_bills(ws)
    e200 = bound_workspace(owner, intacct_sender, "acme-e200", "E200")
    enable_bills(e200)
    bill = enter_backdated_bill(e200, days_ago=45)
    assert service.sync_now(e200, "bills").status in (RunStatus.SUCCEEDED, RunStatus.PARTIAL)
    link = Link.objects.get(workspace=e200, family="bills", local_id=bill.pk)
    assert link.entity == "E200"
    run = service.sync_now(ws, "bills")
    assert Link.objects.filter(workspace=ws, family="bills", recordno=link.recordno).exists(), run.message
