"""Clients ↔ CUSTOMER against the sandbox: import selected, daily overwrite of mapped fields only,
unlink on remote removal and re-link, no remote delete on local removal and re-import."""

from __future__ import annotations

from typing import Any

import pytest
from sync_support import do_import, keys_of

from intacct_bridge.records.models import Client
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Link, RunStatus
from intacct_bridge.sync.spec import get_path

pytestmark = pytest.mark.django_db


def test_it_imports_selected_customers(ws: Any, remote: Any) -> None:
    customers = remote("CUSTOMER")
    chosen = keys_of(customers, 3)
    run = do_import(ws, "clients", chosen)
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert run.created == 3
    rows = service.local_records(ws, "clients")
    assert sorted(r["intacct_recordno"] for r in rows) == chosen
    by_no = {int(c["RECORDNO"]): c for c in customers}
    for row in rows:
        c = by_no[row["intacct_recordno"]]
        assert row["link_state"] == "linked"
        assert row["intacct_id"] == c["CUSTOMERID"]
        assert row["fields"]["name"] == c["NAME"]
        assert row["fields"]["city"] == (get_path(c, "DISPLAYCONTACT.MAILADDRESS.CITY") or "")
        assert row["fields"]["country"] == (get_path(c, "DISPLAYCONTACT.MAILADDRESS.COUNTRY") or "")


def test_importing_again_keeps_existing_clients(ws: Any, remote: Any) -> None:
    chosen = keys_of(remote("CUSTOMER"), 2)
    do_import(ws, "clients", chosen)
    Client.objects.filter(workspace=ws).update(notes="keep me")
    run = do_import(ws, "clients", chosen)
    assert run.created == 0
    assert Client.objects.filter(workspace=ws).count() == 2
    assert set(Client.objects.values_list("notes", flat=True)) == {"keep me"}


def test_sync_overwrites_mapped_fields_only(ws: Any, remote: Any, intacct_sandbox: Any, company: str) -> None:
    chosen = keys_of(remote("CUSTOMER"), 5)
    do_import(ws, "clients", chosen)
    Client.objects.filter(workspace=ws).update(notes="our notes", name="Edited locally")
    intacct_sandbox.control.mutate(company, "CUSTOMER", change="100%", seed=3)
    run = service.sync_now(ws, "clients")
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert run.updated == 5
    now = {int(c["RECORDNO"]): c for c in remote("CUSTOMER")}
    for client in Client.objects.filter(workspace=ws):
        link = Link.objects.get(workspace=ws, family="clients", local_id=client.pk)
        assert client.name == now[link.recordno]["NAME"]
        assert client.notes == "our notes"


def test_an_unchanged_sync_writes_nothing(ws: Any, remote: Any) -> None:
    do_import(ws, "clients", keys_of(remote("CUSTOMER"), 3))
    first = service.sync_now(ws, "clients")
    before = list(Client.objects.values_list("pk", "updated_at"))
    second = service.sync_now(ws, "clients")
    assert second.status == RunStatus.SUCCEEDED
    assert second.updated == 0 and second.created == 0
    assert list(Client.objects.values_list("pk", "updated_at")) == before
    assert first.api_requests >= 1


def test_removed_customer_unlinks_and_can_be_relinked(ws: Any, remote: Any, intacct_sandbox: Any) -> None:
    customers = remote("CUSTOMER")
    victim = keys_of(customers, 1)[0]
    do_import(ws, "clients", [victim])
    client = Client.objects.get(workspace=ws)
    from intacct_bridge.workspaces.connection import client_for

    with client_for(ws) as intacct:
        intacct.delete("CUSTOMER", [victim])[0].raise_for_error()
    run = service.sync_now(ws, "clients")
    assert run.unlinked == 1, run.message
    client.refresh_from_db()  # still here
    assert service.local_records(ws, "clients")[0]["link_state"] == "unlinked"
    other = keys_of(remote("CUSTOMER"), 1)[0]
    service.link(ws, "clients", client, other)
    row = service.local_records(ws, "clients")[0]
    assert row["link_state"] == "linked" and row["intacct_recordno"] == other


def test_local_removal_leaves_the_customer_and_it_can_be_imported_again(ws: Any, remote: Any) -> None:
    target = keys_of(remote("CUSTOMER"), 1)[0]
    do_import(ws, "clients", [target])
    Client.objects.filter(workspace=ws).delete()
    assert any(int(c["RECORDNO"]) == target for c in remote("CUSTOMER"))
    assert not Link.objects.filter(workspace=ws).exists()
    service.sync_now(ws, "clients")
    assert any(int(c["RECORDNO"]) == target for c in remote("CUSTOMER"))
    run = do_import(ws, "clients", [target])
    assert run.created == 1


def test_linking_refuses_a_customer_linked_elsewhere(ws: Any, remote: Any) -> None:
    target = keys_of(remote("CUSTOMER"), 1)[0]
    do_import(ws, "clients", [target])
    other = Client.objects.create(workspace=ws, name="Someone else")
    with pytest.raises(service.LinkRefused) as refused:
        service.link(ws, "clients", other, target)
    assert refused.value.code == "IB-LINKED"


def test_linking_refuses_a_deleted_customer(ws: Any) -> None:
    local = Client.objects.create(workspace=ws, name="Acme")
    with pytest.raises(service.LinkRefused):
        service.link(ws, "clients", local, 987654321)


def test_suggestions_rank_name_matches_first(ws: Any, remote: Any) -> None:
    customer = remote("CUSTOMER")[0]
    local = Client.objects.create(workspace=ws, name=customer["NAME"])
    found = service.suggestions(ws, "clients", local)
    assert found and found[0]["title"] == customer["NAME"]


def test_a_bad_customer_fails_alone(ws: Any, remote: Any, intacct_sandbox: Any, company: str) -> None:
    chosen = keys_of(remote("CUSTOMER"), 3)
    from intacct_bridge.workspaces.connection import client_for

    with client_for(ws) as intacct:
        intacct.update(
            [
                (
                    "CUSTOMER",
                    {"RECORDNO": str(chosen[0]), "DISPLAYCONTACT": {"MAILADDRESS": {"COUNTRY": "Atlantis"}}},
                )
            ]
        )[0].raise_for_error()
    run = do_import(ws, "clients", chosen)
    assert run.status == RunStatus.PARTIAL
    assert run.created == 2 and run.failed == 1
    issue = run.issues.get()
    assert issue.recordno == chosen[0] and issue.remedy_code == "unknown-country"
