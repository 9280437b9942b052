"""Plain helpers shared by the sync tests."""

from __future__ import annotations

from typing import Any

from intacct_bridge.sync import service
from intacct_bridge.workspaces.models import Workspace


def keys_of(records: list[dict[str, Any]], n: int) -> list[int]:
    return sorted(int(r["RECORDNO"]) for r in records)[:n]


def do_import(ws: Workspace, family: str, ids: list[int] | None, **options: Any) -> Any:
    return service.import_records(ws, family, ids, options=options)


def delete_one(ws: Workspace, obj: str, candidates: list[int]) -> int:
    """Delete the first candidate Intacct lets go of (others are used by invoices or projects)."""
    from intacct_bridge.workspaces.connection import client_for

    with client_for(ws) as intacct:
        for recordno in candidates:
            if intacct.delete(obj, [recordno])[0].ok:
                return recordno
    raise AssertionError(f"no deletable {obj} among {candidates}")


def bound_workspace(owner: Any, creds: dict[str, Any], slug: str, entity: str) -> Workspace:
    """A second workspace on the sandbox's demo company, signed in at ``entity``."""
    from intacct_bridge.workspaces.models import Connection, Membership, Profile

    ws = Workspace.objects.create(slug=slug, name=f"Acme {entity}")
    Membership.objects.create(workspace=ws, user=owner, profile=Profile.ADMIN)
    conn = Connection(
        workspace=ws,
        company_id=creds["company_id"],
        user_id=creds["user_id"],
        endpoint=creds["endpoint"],
        entity_id=entity,
    )
    conn.set_password(creds["user_password"])
    conn.save()
    return ws


def enable_bills(ws: Workspace) -> None:
    """The payables families on and synced once (chart, vendors, bills)."""
    ws.families = ["accounts", "vendors", "bills"]
    ws.save(update_fields=["families"])
    run = service.sync_now(ws)
    assert run.status in ("succeeded", "partial"), run.message


def enter_backdated_bill(ws: Workspace, days_ago: int) -> Any:
    """A bill entered in the app (ready to pay) whose bill date is ``days_ago`` days back."""
    from datetime import date, timedelta
    from decimal import Decimal

    from intacct_bridge.ap import service as bills
    from intacct_bridge.records.models import Account, Vendor
    from intacct_bridge.sync.models import Link, LinkState

    linked = Link.objects.filter(workspace=ws, family="vendors", state=LinkState.LINKED, entity="")
    ids = list(linked.values_list("local_id", flat=True))
    vendor = Vendor.objects.filter(pk__in=ids, active=True).first()
    when = date.today() - timedelta(days=days_ago)
    bill, created = bills.create_bill(
        ws,
        bills.BillInput(
            vendor=vendor,
            bill_number=f"OLD-{days_ago}",
            bill_date=when,
            due_date=when + timedelta(days=30),
            description="Entered late",
            lines=[bills.LineInput(Account.objects.get(workspace=ws, number="6000"), Decimal("125.00"))],
            ready_to_pay=True,
        ),
    )
    assert created
    return bill
