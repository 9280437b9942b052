"""The admin's choice of records is the rule (issue #15, third bullet).

With clients, departments and people imported selectively and every other family on, a full sync
creates no client, department or team member nobody picked: the documents keep such references by
their Intacct ID (shown on their pages). The workspace setting "Bring in referenced records" (page
and API) brings them in instead, each saying which document brought it.
"""

from __future__ import annotations

from typing import Any

import pytest

from intacct_bridge.ap.models import BillLine
from intacct_bridge.ar.models import Invoice
from intacct_bridge.psa.models import Project
from intacct_bridge.records.models import Client, Department, Person
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link, LinkState, RunStatus
from intacct_bridge.timesheets.models import TimeSettings
from intacct_bridge.workspaces.models import Workspace
from intacct_bridge.workspaces.permissions import ALL_FAMILIES

pytestmark = pytest.mark.django_db


def _everything_on(ws: Workspace, remote: Any) -> tuple[set[int], set[int]]:
    ws.families = list(ALL_FAMILIES)
    ws.save(update_fields=["families"])
    TimeSettings.objects.update_or_create(workspace=ws, defaults={"use_app_for_timesheets": False})
    clients = sorted(int(r["RECORDNO"]) for r in remote("CUSTOMER"))[:2]
    departments = sorted(int(r["RECORDNO"]) for r in remote("DEPARTMENT"))[:1]
    assert service.import_records(ws, "clients", clients).status == RunStatus.SUCCEEDED
    assert service.import_records(ws, "departments", departments).status == RunStatus.SUCCEEDED
    return set(clients), set(departments)


def _linked(ws: Workspace, family: str) -> set[int]:
    rows = Link.objects.filter(workspace=ws, family=family, state=LinkState.LINKED)
    return set(rows.values_list("recordno", flat=True))


def test_import_selected_with_every_other_family_on_creates_nobody_unpicked(
    ws: Workspace, remote: Any, owner: Any, client: Any
) -> None:
    clients, departments = _everything_on(ws, remote)
    run = service.sync_now(ws)
    assert run.status in (RunStatus.SUCCEEDED, RunStatus.PARTIAL), run.message
    assert Invoice.objects.filter(workspace=ws).exists() and Project.objects.filter(workspace=ws).exists()
    assert _linked(ws, "clients") == clients and Client.objects.filter(workspace=ws).count() == 2
    assert _linked(ws, "departments") == departments and Department.objects.filter(workspace=ws).count() == 1
    assert Person.objects.filter(workspace=ws).count() == 0
    assert not run.issues.filter(errorno="IB-REFERENCE", text__contains="customer").exists()
    # an invoice of an unpicked customer keeps the customer's Intacct ID (and shows it)
    invoice = Invoice.objects.filter(workspace=ws, client__isnull=True).exclude(customer_id="").first()
    assert invoice is not None
    client.force_login(owner)
    page = client.get(f"/w/{ws.slug}/invoices/{invoice.pk}/").content.decode()
    assert invoice.customer_id in page and "Imported with every invoice" in page
    # so does a project, on the link, shown on its page
    project = Project.objects.filter(workspace=ws, client__isnull=True).first()
    assert project is not None
    link = Link.objects.get(workspace=ws, family="projects", local_id=project.pk)
    kept = link.options["unpicked"]["client"]
    assert kept and kept in client.get(f"/w/{ws.slug}/projects/{project.pk}/").content.decode()
    # a second sync changes nothing (the kept reference is not a difference every time)
    again = service.sync_now(ws, "projects")
    assert again.updated == 0, again.counts()
    # the admin imports that customer later: the project points at the new client at once
    customer = next(int(r["RECORDNO"]) for r in remote("CUSTOMER") if r["CUSTOMERID"] == kept)
    service.import_records(ws, "clients", [customer])
    project.refresh_from_db()
    link.refresh_from_db()
    assert project.client is not None and "unpicked" not in link.options
    assert Link.objects.get(workspace=ws, family="clients", local_id=project.client.pk).recordno == customer
    assert service.sync_now(ws, "projects").updated == 0


def test_bring_in_referenced_records_is_the_admins_setting_and_says_why(
    ws: Workspace, remote: Any, owner: Any, client: Any, api_client: Any
) -> None:
    _everything_on(ws, remote)
    answer = api_client(ws, write=True).patch(
        f"/api/v1/workspaces/{ws.slug}", {"bring_in_references": True}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["bring_in_references"] is True
    ws.refresh_from_db()
    run = service.sync_now(ws)
    assert run.status in (RunStatus.SUCCEEDED, RunStatus.PARTIAL), run.message
    brought = Link.objects.filter(workspace=ws, family="clients", origin="referenced")
    assert brought.exists()
    link = brought.first()
    assert link is not None and link.options["why"].startswith("Brought in for ")
    client.force_login(owner)
    page = client.get(f"/w/{ws.slug}/clients/{link.local_id}/").content.decode()
    assert "Brought in for " in page
    assert BillLine.objects.filter(bill__workspace=ws, department__isnull=False).exists()
    assert Link.objects.filter(workspace=ws, family="departments", origin="referenced").exists()
    picked = Link.objects.filter(workspace=ws, family="clients", origin="imported").first()
    assert picked is not None and picked.options["why"] == "Imported by an admin"


def test_the_setting_is_on_the_setup_page_for_admins(ws: Workspace, owner: Any, client: Any) -> None:
    client.force_login(owner)
    page = client.get(f"/w/{ws.slug}/setup/").content.decode()
    assert "Bring in referenced records" in page
    client.post(f"/w/{ws.slug}/setup/", {"families": ["clients", "invoices"], "bring_in_references": "on"})
    ws.refresh_from_db()
    assert ws.bring_in_references is True
    client.post(f"/w/{ws.slug}/setup/", {"families": ["clients", "invoices"]})
    ws.refresh_from_db()
    assert ws.bring_in_references is False
