"""Project invoices in the app: raise one (optionally under an Idempotency-Key), *Export to Sage
Intacct* (customer, GL account, location/entity chosen in a dialog) and *Synchronize*.

The export queues the invoice for the ``project-invoices`` family (``jobs.push_now``): the engine
creates the ARINVOICE once with ``create_invoice`` under the deterministic key ``IBPI<id>`` in
EXTERNALID, reading it back instead of sending again when an answer is lost. Exporting an
invoice that is already exported answers with it, unchanged. Its payment status is pulled every
hour by the family's schedule, and at once by ``synchronize``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from intacct_bridge.jobs import tasks as jobs
from intacct_bridge.psa.models import Project
from intacct_bridge.records.models import Account, Client
from intacct_bridge.sync import service
from intacct_bridge.sync.models import IdempotentCreate, Link, LinkState
from intacct_bridge.sync.spec import hash_values
from intacct_bridge.timesheets import rules
from intacct_bridge.timesheets.models import (
    InvoiceExportState,
    ProjectInvoice,
    ProjectInvoiceLine,
)
from intacct_bridge.workspaces.models import Workspace

FAMILY = "project-invoices"


class InvoiceRefused(Exception):
    """``code``: invalid (422), already_exported / key_reused (409), not_found (404)."""
    def __init__(self, code: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _money(value: Any, what: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InvoiceRefused("invalid", f"{what}: {value!r} is not an amount.") from None
    if not amount.is_finite():
        raise InvoiceRefused("invalid", f"{what}: {value!r} is not an amount.")
    return amount


def _day(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvoiceRefused("invalid", f"{what}: {value!r} is not a date (YYYY-MM-DD).") from None


def create_invoice(
    workspace: Workspace, data: Mapping[str, Any], *, key: str = ""
) -> tuple[ProjectInvoice, bool]:
    """(invoice, created). ``data``: project (local id), number, date, due_date, currency,
    description, client (local id, default the project's), lines [{description, amount, account}].
    The same Idempotency-Key answers with the invoice it made; another body under it is refused."""
    digest = hash_values({"family": FAMILY, "body": repr(sorted(data.items()))})
    if key:
        earlier = _replay(workspace, key, digest)
        if earlier is not None:
            return earlier, False
    project = None
    if data.get("project") is not None:
        project = Project.objects.filter(workspace=workspace, pk=data["project"]).first()
        if project is None:
            raise InvoiceRefused("invalid", f"project {data['project']}: no such project in this workspace.")
    client = None
    client_id = data.get("client") or (project.client_id if project else None)
    if client_id is not None:
        client = Client.objects.filter(workspace=workspace, pk=client_id).first()
        if client is None:
            raise InvoiceRefused("invalid", f"client {client_id}: no such client in this workspace.")
    number = str(data.get("number") or "").strip()
    if not number:
        raise InvoiceRefused("invalid", "number: an invoice number is required.")
    if ProjectInvoice.objects.filter(workspace=workspace, number=number).exists():
        raise InvoiceRefused("invalid", f"number: invoice {number} already exists in this workspace.")
    day = _day(data.get("date") or timezone.localdate(), "date")
    due = _day(data.get("due_date") or day, "due_date")
    if due < day:
        raise InvoiceRefused("invalid", "due_date: the due date is before the invoice date.")
    raw_lines: Sequence[Mapping[str, Any]] = data.get("lines") or []
    if not raw_lines:
        raise InvoiceRefused("invalid", "lines: an invoice needs at least one line.")
    lines = []
    for n, raw in enumerate(raw_lines, 1):
        amount = _money(raw.get("amount"), f"lines[{n}].amount")
        if amount == 0:
            raise InvoiceRefused("invalid", f"lines[{n}].amount: a line needs a non-zero amount.")
        account = None
        if raw.get("account") is not None:
            account = Account.objects.filter(workspace=workspace, pk=raw["account"]).first()
            if account is None:
                raise InvoiceRefused("invalid", f"lines[{n}].account: no such GL account.")
        lines.append(
            ProjectInvoiceLine(
                line_no=n,
                description=str(raw.get("description") or "")[:1000],
                amount=amount,
                account=account,
            )
        )
    currency = str(data.get("currency") or "USD").upper()
    if len(currency) != 3 or not currency.isalpha():
        raise InvoiceRefused("invalid", f"currency: {currency!r} is not a currency code.")
    try:
        with transaction.atomic():
            invoice = ProjectInvoice.objects.create(
                workspace=workspace,
                project=project,
                client=client,
                number=number,
                date=day,
                due_date=due,
                currency=currency,
                description=str(data.get("description") or "")[:1000],
                export_client=client,
            )
            for line in lines:
                line.invoice = invoice
            ProjectInvoiceLine.objects.bulk_create(lines)
            invoice.recompute_total()
            invoice.save(update_fields=["total", "amount_due"])
            if key:
                IdempotentCreate.objects.create(
                    workspace=workspace, key=key, family=FAMILY, request_hash=digest, local_id=invoice.pk
                )
    except IntegrityError:
        earlier = _replay(workspace, key, digest) if key else None
        if earlier is None:
            raise InvoiceRefused(
                "invalid", f"number: invoice {number} already exists in this workspace."
            ) from None
        return earlier, False
    return invoice, True


def _replay(workspace: Workspace, key: str, digest: str) -> ProjectInvoice | None:
    done = IdempotentCreate.objects.filter(workspace=workspace, key=key).first()
    if done is None:
        return None
    if done.family != FAMILY or done.request_hash != digest:
        raise InvoiceRefused(
            "key_reused", f"Idempotency-Key {key!r} was already used for another request.", 409
        )
    invoice = ProjectInvoice.objects.filter(workspace=workspace, pk=done.local_id).first()
    if invoice is None:
        raise InvoiceRefused(
            "key_reused", f"The invoice made under Idempotency-Key {key!r} was deleted since.", 409
        )
    return invoice


def request_export(
    invoice: ProjectInvoice,
    *,
    client: Client | None,
    account: Account | None,
    location: str = "",
    by: str = "",
) -> ProjectInvoice:
    """*Export to Sage Intacct*: check the choices, queue the invoice and export it now. An invoice
    already exported (or being exported) is answered as it is: it goes to Intacct once."""
    with transaction.atomic():
        invoice = ProjectInvoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.export_state in (InvoiceExportState.EXPORTED, InvoiceExportState.QUEUED):
            return invoice
        if client is not None and client.workspace_id != invoice.workspace_id:
            raise InvoiceRefused("invalid", "customer: no such client in this workspace.")
        if account is not None and account.workspace_id != invoice.workspace_id:
            raise InvoiceRefused("invalid", "account: no such GL account in this workspace.")
        invoice.export_client = client
        invoice.export_account = account
        invoice.export_location = location.strip()[:40]
        problems = rules.invoice_problems(invoice)
        if problems:
            raise InvoiceRefused("invalid", " ".join(text for _, text in problems))
        invoice.export_state = InvoiceExportState.QUEUED
        invoice.export_message = ""
        invoice.export_requested_at = timezone.now()
        invoice.export_requested_by = by[:150]
        invoice.entity = invoice.export_location
        invoice.save()

    jobs.push_now(invoice.workspace, FAMILY, [invoice.pk], by=by)
    invoice.refresh_from_db()
    return invoice


def settle_exports(workspace: Workspace) -> int:
    """Invoices the engine linked (created in Intacct) are exported, even when the run that linked
    them stopped before its follow-up (a lost answer read back, then a broken connection)."""
    linked = Link.objects.filter(workspace=workspace, family=FAMILY, state=LinkState.LINKED).values_list(
        "local_id", flat=True
    )
    return ProjectInvoice.objects.filter(
        workspace=workspace, export_state=InvoiceExportState.QUEUED, pk__in=list(linked)
    ).update(export_state=InvoiceExportState.EXPORTED, export_message="", exported_at=timezone.now())


def synchronize(invoice: ProjectInvoice, by: str = "") -> ProjectInvoice:
    """*Synchronize*: pull the family now (the invoice's payment status), not waiting for the hour.
    A changed status is an event, as with the hourly pull (``rules.report_payment_changes``)."""
    service.sync_now(invoice.workspace, FAMILY, by=by)
    settle_exports(invoice.workspace)
    invoice.refresh_from_db()
    return invoice
