"""Engine additions shared by the family apps: hourly families on daily workspaces, prompt pushes,
family checks in Test connection, and the entity recorded on links."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from intacct_bridge.jobs import tasks
from intacct_bridge.records.families import CLIENTS
from intacct_bridge.records.models import Client
from intacct_bridge.sync import service
from intacct_bridge.sync.family import Family
from intacct_bridge.sync.models import Link, PendingPush, Run, RunStatus, Trigger
from intacct_bridge.sync.registry import register, unregister
from intacct_bridge.sync.spec import Schedule
from intacct_bridge.workspaces import setup_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def hourly_clients(connected_workspace: Any) -> Iterator[Family]:
    """The clients family under another name, with an hourly schedule (as invoices have)."""
    fam = register(
        replace(CLIENTS, spec=replace(CLIENTS.spec, family="hourly-clients", schedule=Schedule.HOURLY))
    )
    connected_workspace.families = ["hourly-clients"]
    connected_workspace.save()
    yield fam
    unregister(fam.name)


def test_an_hourly_family_runs_every_hour_in_a_daily_workspace(
    connected_workspace: Any, hourly_clients: Family, intacct_sandbox: Any
) -> None:
    row = tasks.schedule_for(connected_workspace)
    row.next_due_at = timezone.now() + timedelta(days=2)  # the workspace itself is not due meanwhile
    row.save()
    # slots are on the hour: start ten minutes past one
    now = (timezone.now() + timedelta(hours=1)).replace(minute=10, second=0, microsecond=0)
    (run,) = tasks.dispatch_due(now)
    run.refresh_from_db()
    assert (run.family, run.trigger, run.status) == ("hourly-clients", Trigger.SCHEDULE, RunStatus.SUCCEEDED)
    assert tasks.dispatch_due(now + timedelta(minutes=45)) == []  # once an hour
    (again,) = tasks.dispatch_due(now + timedelta(minutes=55))
    assert again.family == "hourly-clients"
    before = row.next_due_at
    row.refresh_from_db()
    assert row.next_due_at == before  # the family's runs leave the workspace's daily slot alone


def test_push_now_queues_one_family_run(
    connected_workspace: Any, django_capture_on_commit_callbacks: Any, intacct_sandbox: Any
) -> None:
    client = Client.objects.create(workspace=connected_workspace, name="Prompt Co")
    first = tasks.push_now(connected_workspace, "clients", [client.pk], by="alice")
    assert first is not None and first.trigger == Trigger.PUSH and first.family == "clients"
    assert tasks.push_now(connected_workspace, "clients", [client.pk]) is None  # one waiting is enough
    assert PendingPush.objects.filter(workspace=connected_workspace, family="clients").count() == 1
    with pytest.raises(LookupError):
        tasks.push_now(connected_workspace, "no-such-family", [1])
    assert Run.objects.filter(workspace=connected_workspace, trigger=Trigger.PUSH).count() == 1


@pytest.fixture
def family_check() -> Iterator[list[Any]]:
    answers: list[Any] = []
    setup_check.register_check(("clients",), lambda client, ws: answers)
    yield answers
    setup_check._FAMILY_CHECKS.pop()


def test_a_family_check_can_fail_test_connection_in_its_own_words(
    connected_workspace: Any, family_check: list[Any], intacct_sandbox: Any
) -> None:
    family_check.append(("info", "Projects are numbered by Intacct", "Intacct's project IDs are used."))
    test = setup_check.run_test_connection(connected_workspace)
    assert test.ok, test.message
    assert test.notes == [
        {
            "level": "info",
            "title": "Projects are numbered by Intacct",
            "message": "Intacct's project IDs are used.",
        }
    ]
    family_check.append(
        ("error", "The API Proxy permission is missing", "Add Projects > API Proxy to the role.")
    )
    failed = setup_check.run_test_connection(connected_workspace)
    assert not failed.ok
    assert (failed.step, failed.title) == (setup_check.FAMILY_CHECK, "The API Proxy permission is missing")


def test_links_record_the_entity_of_entity_owned_records(
    connected_workspace: Any, intacct_sandbox: Any
) -> None:
    from intacct_bridge.workspaces.connection import client_for

    conn = connected_workspace.connection
    conn.entity_id = "E200"  # an entity-level workspace: its own entity's records and shared ones
    conn.save()
    with client_for(connected_workspace) as client:
        (made,) = client.create([("CUSTOMER", {"CUSTOMERID": "E200-ONLY", "NAME": "Entity Two Co"})])
    assert made.ok, made.error
    run = service.import_records(connected_workspace, "clients", None)
    assert run.status == RunStatus.SUCCEEDED, run.message
    entities = dict(
        Link.objects.filter(workspace=connected_workspace, family="clients").values_list(
            "business_id", "entity"
        )
    )
    assert entities.pop("E200-ONLY") == "E200"
    assert entities and set(entities.values()) == {""}  # the demo's customers are shared


def test_families_with_their_own_pages_have_no_generic_ones(
    client: Any, admin_user: Any, connected_workspace: Any
) -> None:
    from intacct_bridge.workspaces.models import Membership, Profile

    Membership.objects.get_or_create(
        workspace=connected_workspace, user=admin_user, defaults={"profile": Profile.ADMIN}
    )
    client.force_login(admin_user)
    slug = connected_workspace.slug
    assert client.get(f"/w/{slug}/vendors/").status_code == 200
    for family in ("tasks", "timesheets", "payments", "no-such-family"):
        assert client.get(f"/w/{slug}/{family}/new/").status_code == 404, family


def test_import_is_refused_for_families_that_import_nothing(
    connected_workspace: Any, api_client: Any
) -> None:
    connected_workspace.families = ["accounts", "invoices", "payments", "clients"]
    connected_workspace.save()
    api = api_client(connected_workspace, write=True)
    base = f"/api/v1/workspaces/{connected_workspace.slug}"
    for family, code in (("accounts", "read_only"), ("payments", "push_only")):
        answer = api.post(f"{base}/{family}/import", {"all": True}, content_type="application/json")
        assert (answer.status_code, answer.json()["error"]["code"]) == (405, code), family
