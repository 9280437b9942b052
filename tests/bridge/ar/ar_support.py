"""Helpers of the accounts receivable tests (their fixtures are in ``conftest.py``).

``ar_ws`` is the sandbox-connected workspace with the receivables families on, the chart of accounts
imported, AR 1200 and Undeposited Funds 1010 chosen and the invoices pulled once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from intacct_bridge.ar import config
from intacct_bridge.ar.models import ArSettings, Invoice
from intacct_bridge.records.models import Account
from intacct_bridge.sync import service
from intacct_bridge.workspaces.models import Workspace

AR_FAMILIES = ["clients", "accounts", "invoices", "payments", "adjustments"]


def account(ws: Workspace, number: str) -> Account:
    return Account.objects.get(workspace=ws, number=number)


def configure(ws: Workspace, **changes: Any) -> ArSettings:
    current = ArSettings.of(ws)
    data = {
        "ar_account_id": account(ws, "1200").pk,
        "undeposited_account_id": account(ws, "1010").pk,
        "use_intacct_image": current.use_intacct_image,
        "adjustments_enabled": current.adjustments_enabled,
        "adjustment_entity_id": current.adjustment_entity_id,
    } | changes
    settings, problems = config.save(ws, config.SettingsInput(**data))
    assert not problems, problems
    return settings


def sync(ws: Workspace, family: str) -> Any:
    run = service.sync_now(ws, family)
    assert run.status in ("succeeded", "partial"), (run.status, run.message, list(run.issues.values()))
    return run


def open_invoice(
    ws: Workspace, *, min_due: Decimal = Decimal("10.00"), exclude: tuple[int, ...] = ()
) -> Invoice:
    """An open, never-paid top-level invoice (entity-less) with at least ``min_due`` due."""
    from intacct_bridge.sync.models import Link

    entity_ids = set(
        Link.objects.filter(workspace=ws, family="invoices")
        .exclude(entity="")
        .values_list("local_id", flat=True)
    )
    for invoice in Invoice.objects.filter(workspace=ws, state="open", amount_due__gte=min_due).order_by("pk"):
        if invoice.pk not in entity_ids and invoice.pk not in exclude:
            return invoice
    raise AssertionError("the demo company has no open invoice left")


def applied_payments(control: Any, company: str, invoice_recordno: int | None = None) -> list[dict[str, Any]]:
    """ARPYMT records the app created (DOCNUMBER is the app's deterministic key, IBP…)."""
    rows = [r for r in control.records(company, "ARPYMT") if str(r.get("DOCNUMBER") or "").startswith("IBP")]
    if invoice_recordno is None:
        return rows
    return [r for r in rows if invoice_recordno in [int(d.get("RECORDKEY") or 0) for d in details(r)]]


def details(payment: dict[str, Any]) -> list[dict[str, Any]]:
    """The ARPYMTDETAIL rows of a stored ARPYMT (nested as read returns them)."""
    box = payment.get("ARPYMTDETAILS") or {}
    rows = box.get("ARPYMTDETAIL") if isinstance(box, dict) else box
    return [rows] if isinstance(rows, dict) else list(rows or [])


def settled(payment: Any) -> Any:
    from intacct_bridge.ar import payments

    payment.refresh_from_db()
    payments.settle([payment])
    return payment

