"""projects ↔ PROJECT, Intacct → app: which Intacct projects are imported and how they arrive."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from psa_support import TODAY, intacct_update, link_of

from intacct_bridge.psa.models import BillingType, Project, PsaSettings, Stage
from intacct_bridge.psa.rules import import_qualifies
from intacct_bridge.records.models import Client
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link, RunStatus
from intacct_bridge.sync.spec import date_in

pytestmark = pytest.mark.django_db


def _qualifying(remote: Any, ws: Any) -> list[dict[str, Any]]:
    settings = PsaSettings.of(ws)
    return [p for p in remote("PROJECT") if import_qualifies(p, settings)]


def test_active_projects_with_a_qualifying_end_date_are_imported_running_and_fixed_price(
    psa_ws: Any, remote: Any
) -> None:
    everything = remote("PROJECT")
    wanted = _qualifying(remote, psa_ws)
    # the demo has one inactive project and one that ended long ago: neither qualifies
    assert 0 < len(wanted) < len(everything)
    inactive = [p for p in everything if p["STATUS"] == "inactive"]
    ended = [p for p in everything if date_in(p["ENDDATE"]) < TODAY - timedelta(days=365)]
    assert inactive and ended
    run = service.sync_now(psa_ws, "projects")
    assert run.status == RunStatus.SUCCEEDED, run.message
    local = {p.project_id: p for p in Project.objects.filter(workspace=psa_ws)}
    assert set(local) == {p["PROJECTID"] for p in wanted}
    for record in wanted:
        project = local[record["PROJECTID"]]
        assert project.name == record["NAME"]
        assert project.stage == Stage.RUNNING  # "In Progress" in Intacct
        assert project.billing_type == BillingType.FIXED_PRICE
        assert project.intacct_active is True
        assert project.start_date == date_in(record["BEGINDATE"])
        assert project.end_date == date_in(record["ENDDATE"])
        assert project.budget == Decimal(str(record["BUDGETAMOUNT"])).quantize(Decimal("0.01"))
        assert project.intacct_category == record["PROJECTCATEGORY"]
    # a second sync changes nothing and imports nothing more
    again = service.sync_now(psa_ws, "projects")
    assert (again.created, again.updated, again.pushed) == (0, 0, 0), again.message


def test_a_customer_not_in_the_app_arrives_with_its_project_as_a_linked_client(
    psa_ws: Any, remote: Any
) -> None:
    assert not Client.objects.filter(workspace=psa_ws).exists()
    psa_ws.bring_in_references = True  # the workspace's setting; off, the project keeps the ID
    psa_ws.save(update_fields=["bring_in_references"])
    service.sync_now(psa_ws, "projects")
    with_customer = [p for p in _qualifying(remote, psa_ws) if p.get("CUSTOMERID")]
    assert with_customer
    for record in with_customer:
        project = Project.objects.get(workspace=psa_ws, project_id=record["PROJECTID"])
        assert project.client is not None
        link = link_of(psa_ws, "clients", project.client.pk)
        assert link is not None and link.is_linked and link.business_id == record["CUSTOMERID"]
        assert project.client.name == record["CUSTOMERNAME"]
    # only the customers of imported projects came in
    assert Client.objects.filter(workspace=psa_ws).count() == len({p["CUSTOMERID"] for p in with_customer})


def test_changes_made_in_intacct_flow_to_the_app_and_app_only_fields_stay(psa_ws: Any, remote: Any) -> None:
    service.sync_now(psa_ws, "projects")
    project = Project.objects.filter(workspace=psa_ws).order_by("pk").first()
    assert project is not None
    project.custom_fields = {"Colour": "green"}
    project.billing_type = BillingType.TIME_AND_MATERIALS
    Project.objects.filter(pk=project.pk).update(
        custom_fields=project.custom_fields, billing_type=project.billing_type
    )
    link = link_of(psa_ws, "projects", project.pk)
    assert link is not None
    intacct_update(
        psa_ws,
        "PROJECT",
        {
            "RECORDNO": str(link.recordno),
            "NAME": "Renamed in Intacct",
            "PROJECTSTATUS": "On Hold",
            "BUDGETAMOUNT": "1234.50",
        },
    )
    run = service.sync_now(psa_ws, "projects")
    assert run.status == RunStatus.SUCCEEDED and run.updated == 1, run.message
    project.refresh_from_db()
    assert (project.name, project.stage, project.budget) == (
        "Renamed in Intacct",
        Stage.ON_HOLD,
        Decimal("1234.50"),
    )
    assert project.custom_fields == {"Colour": "green"}
    assert project.billing_type == BillingType.TIME_AND_MATERIALS


def test_a_project_status_with_no_stage_is_an_issue_naming_it(psa_ws: Any, remote: Any) -> None:
    service.sync_now(psa_ws, "projects")
    project = Project.objects.filter(workspace=psa_ws).order_by("pk").first()
    assert project is not None
    link = link_of(psa_ws, "projects", project.pk)
    assert link is not None
    intacct_update(psa_ws, "PROJECT", {"RECORDNO": str(link.recordno), "PROJECTSTATUS": "Awaiting PO"})
    run = service.sync_now(psa_ws, "projects")
    assert run.status == RunStatus.PARTIAL, run.message
    texts = [i.text for i in run.issues.all()]
    assert any("Awaiting PO" in t and "matches no project stage" in t for t in texts), texts
    project.refresh_from_db()
    assert project.stage == Stage.RUNNING  # kept as it was


def test_an_intacct_project_that_stops_qualifying_stays_linked(psa_ws: Any, remote: Any) -> None:
    """The rule chooses what is imported; a linked project keeps following, inactive or not."""
    service.sync_now(psa_ws, "projects")
    project = Project.objects.filter(workspace=psa_ws).order_by("pk").first()
    assert project is not None
    link = link_of(psa_ws, "projects", project.pk)
    assert link is not None
    intacct_update(psa_ws, "PROJECT", {"RECORDNO": str(link.recordno), "STATUS": "inactive"})
    service.sync_now(psa_ws, "projects")
    project.refresh_from_db()
    assert project.intacct_active is False
    assert Link.objects.get(pk=link.pk).is_linked


def test_changes_from_intacct_are_in_the_event_feed_too(
    psa_ws: Any, remote: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from intacct_bridge.sync.events import event_recorded as psa_event
    from intacct_bridge.sync.models import Event as PsaEvent

    heard: list[Any] = []

    def listener(sender: Any, event: Any, **_: Any) -> None:
        heard.append(event)

    psa_event.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            service.sync_now(psa_ws, "projects")
        imported = Project.objects.filter(workspace=psa_ws)
        created = PsaEvent.objects.filter(workspace=psa_ws, kind="project.created", origin="intacct")
        assert sorted(created.values_list("object_id", flat=True)) == sorted(
            imported.values_list("pk", flat=True)
        )
        project = imported.order_by("pk").first()
        assert project is not None
        link = link_of(psa_ws, "projects", project.pk)
        assert link is not None
        intacct_update(psa_ws, "PROJECT", {"RECORDNO": str(link.recordno), "NAME": "Renamed there"})
        with django_capture_on_commit_callbacks(execute=True):
            service.sync_now(psa_ws, "projects")
        (updated,) = PsaEvent.objects.filter(workspace=psa_ws, kind="project.updated", origin="intacct")
        assert updated.object_id == project.pk and updated.payload["name"] == "Renamed there"
        assert {e.pk for e in heard} == set(
            PsaEvent.objects.filter(workspace=psa_ws).values_list("pk", flat=True)
        )
    finally:
        psa_event.disconnect(listener)


def test_an_explicit_import_is_in_the_event_feed_too(psa_ws: Any, remote: Any) -> None:
    from intacct_bridge.sync.models import Event

    chosen = int(remote("PROJECT")[0]["RECORDNO"])
    run = service.import_records(psa_ws, "projects", [chosen])
    assert run.status == RunStatus.SUCCEEDED, run.message
    link = Link.objects.get(workspace=psa_ws, family="projects", recordno=chosen)
    (event,) = Event.objects.filter(workspace=psa_ws, kind="project.created", object_id=link.local_id)
    assert event.origin == "intacct"
