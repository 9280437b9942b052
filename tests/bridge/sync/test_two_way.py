"""The engine's push and two-way paths, proven with a test-only family (local Client ↔ VENDOR)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from intacct_bridge.records.models import Client
from intacct_bridge.sync import service
from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import Conflict, Link, PendingPush, RunStatus
from intacct_bridge.sync.registry import register, unregister
from intacct_bridge.sync.spec import ConflictPolicy, Direction, FamilySpec, FieldMap, get_path
from intacct_bridge.workspaces.connection import client_for

pytestmark = pytest.mark.django_db


class _TestVendors(Family):
    def local_title(self, local: Any) -> str:
        return str(local.name)


def _family(policy: ConflictPolicy) -> Family:
    return _TestVendors(
        spec=FamilySpec(
            family="test_vendors",
            label="Test vendors",
            intacct_object="VENDOR",
            business_id="VENDORID",
            name_field="NAME",
            model="bridge_records.Client",
            fields=(
                FieldMap("name", "NAME"),
                FieldMap("city", "DISPLAYCONTACT.MAILADDRESS.CITY"),
            ),
            direction=Direction.TWO_WAY,
            conflict_policy=policy,
            created_id_prefix="TV",
        ),
    )


@pytest.fixture(params=[ConflictPolicy.INTACCT_WINS])
def vendors(request: Any) -> Iterator[Family]:
    fam = register(_family(request.param))
    yield fam
    unregister(fam.name)


def _vendors(intacct_sandbox: Any, company: str, prefix: str = "TV") -> list[dict[str, Any]]:
    return [
        v for v in intacct_sandbox.control.records(company, "VENDOR") if str(v["VENDORID"]).startswith(prefix)
    ]


def _make(ws: Any, n: int) -> list[Client]:
    return [Client.objects.create(workspace=ws, name=f"Local vendor {i}", city="Oslo") for i in range(n)]


def test_push_creates_with_deterministic_ids_once(
    ws: Any, vendors: Family, intacct_sandbox: Any, company: str
) -> None:
    locals_ = _make(ws, 3)
    run = service.sync_now(ws, vendors.name)
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert run.pushed == 3
    created = _vendors(intacct_sandbox, company)
    assert sorted(v["VENDORID"] for v in created) == sorted(f"TV{c.pk}" for c in locals_)
    assert {get_path(v, "DISPLAYCONTACT.MAILADDRESS.CITY") for v in created} == {"Oslo"}
    again = service.sync_now(ws, vendors.name)
    assert again.pushed == 0
    assert len(_vendors(intacct_sandbox, company)) == 3
    assert not PendingPush.objects.exists()


def test_local_changes_are_pushed_and_remote_changes_pulled(
    ws: Any, vendors: Family, intacct_sandbox: Any, company: str
) -> None:
    first, second = _make(ws, 2)
    service.sync_now(ws, vendors.name)
    first.city = "Bergen"
    first.save()
    with client_for(ws) as intacct:
        intacct.update([("VENDOR", {"VENDORID": f"TV{second.pk}", "NAME": "Renamed in Intacct"})])[
            0
        ].raise_for_error()
    run = service.sync_now(ws, vendors.name)
    assert run.pushed == 1 and run.updated == 1, run.message
    remote = {v["VENDORID"]: v for v in _vendors(intacct_sandbox, company)}
    assert get_path(remote[f"TV{first.pk}"], "DISPLAYCONTACT.MAILADDRESS.CITY") == "Bergen"
    second.refresh_from_db()
    assert second.name == "Renamed in Intacct"


@pytest.mark.parametrize(
    ("vendors", "winner"),
    [
        (ConflictPolicy.INTACCT_WINS, "intacct"),
        (ConflictPolicy.APP_WINS, "app"),
        (ConflictPolicy.NEWEST_WINS, "intacct"),  # Intacct's edit comes a second after the app's
    ],
    indirect=["vendors"],
)
def test_conflicts_follow_the_policy_and_keep_both_versions(
    ws: Any, vendors: Family, winner: str, intacct_sandbox: Any, company: str
) -> None:
    (local,) = _make(ws, 1)
    service.sync_now(ws, vendors.name)
    local.name = "Changed in the app"
    local.save()
    if vendors.spec.conflict_policy == ConflictPolicy.NEWEST_WINS:
        time.sleep(1.1)  # WHENMODIFIED has whole seconds: make Intacct's edit clearly the newer one
    with client_for(ws) as intacct:
        intacct.update([("VENDOR", {"VENDORID": f"TV{local.pk}", "NAME": "Changed in Intacct"})])[
            0
        ].raise_for_error()
    run = service.sync_now(ws, vendors.name)
    assert run.conflicts == 1, run.message
    conflict = Conflict.objects.get()
    assert conflict.winner == winner
    assert conflict.app_values["name"] == "Changed in the app"
    assert conflict.intacct_values["name"] == "Changed in Intacct"
    local.refresh_from_db()
    (remote,) = _vendors(intacct_sandbox, company)
    expected = "Changed in Intacct" if winner == "intacct" else "Changed in the app"
    assert local.name == expected and remote["NAME"] == expected


@pytest.mark.parametrize("kind", ["reset-after-commit", "reset-before-commit"])
def test_unknown_outcomes_are_read_back_never_duplicated(
    ws: Any, vendors: Family, intacct_sandbox: Any, company: str, kind: str
) -> None:
    locals_ = _make(ws, 4)
    intacct_sandbox.control.fault(kind, rate=1.0, seed=2, company_id=company)
    # no retries: the read-back fails too, the run ends "failed" and the outbox keeps the pushes
    first = service.sync_now(ws, vendors.name, client_factory=lambda w: client_for(w, max_retries=0))
    intacct_sandbox.control.clear_faults()
    assert first.status == RunStatus.FAILED, [(i.errorno, i.text) for i in first.issues.all()]
    assert PendingPush.objects.count() == 4
    service.sync_now(ws, vendors.name)
    created = _vendors(intacct_sandbox, company)
    assert sorted(v["VENDORID"] for v in created) == sorted(f"TV{c.pk}" for c in locals_)
    assert Link.objects.filter(family=vendors.name).count() == 4
    assert not PendingPush.objects.exists()
