"""What the bill pages and the API share: entering a bill (checked, idempotent under a key), marking
it ready to pay, and what a bill's page shows about its life in Intacct (link, entity, issues)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model

from intacct_bridge.ap import events, rules
from intacct_bridge.ap.models import Bill, BillLine
from intacct_bridge.records.models import Account, Department, Vendor
from intacct_bridge.sync.creates import CreateRefused, _replay
from intacct_bridge.sync.models import IdempotentCreate, Link, PendingPush, RunIssue
from intacct_bridge.sync.registry import get_family
from intacct_bridge.sync.spec import hash_values
from intacct_bridge.workspaces.models import Workspace

FAMILY = "bills"


class BillRefused(Exception):
    """Bad input: ``problems`` are (code, text) pairs naming what to fix."""

    def __init__(self, problems: rules.Problems) -> None:
        super().__init__("; ".join(text for _, text in problems))
        self.problems = problems


@dataclass(frozen=True)
class LineInput:
    account: Account | None
    amount: Decimal
    memo: str = ""
    department: Department | None = None
    location_id: str = ""


@dataclass(frozen=True)
class BillInput:
    vendor: Vendor | None
    bill_date: date | None
    due_date: date | None
    lines: Sequence[LineInput]
    bill_number: str = ""
    gl_posting_date: date | None = None
    description: str = ""
    currency: str = "USD"
    ready_to_pay: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _draft(workspace: Workspace, data: BillInput) -> rules.BillDraft:
    lines = [rules.LineDraft(line.account, line.amount) for line in data.lines]
    return rules.BillDraft(workspace, data.vendor, data.bill_number, data.bill_date, data.due_date, lines)


def _entity(workspace: Workspace) -> str:
    conn = workspace.connection_or_none
    return (conn.entity_id if conn is not None else "") or ""


def _save(workspace: Workspace, data: BillInput) -> Bill:
    bill = Bill.objects.create(
        workspace=workspace,
        vendor=data.vendor,
        bill_number=data.bill_number.strip(),
        bill_date=data.bill_date,
        due_date=data.due_date,
        gl_posting_date=data.gl_posting_date,
        description=data.description,
        currency=(data.currency or "USD").upper(),
        ready_to_pay=data.ready_to_pay,
        entity=_entity(workspace),
    )
    _write_lines(bill, data.lines)
    total = sum((line.amount for line in data.lines), Decimal("0.00"))
    # not in Intacct yet: everything is still due
    Bill.objects.filter(pk=bill.pk).update(total=total, amount_due=total)
    bill.total = bill.amount_due = total
    if data.ready_to_pay:
        PendingPush.objects.get_or_create(workspace=workspace, family=FAMILY, local_id=bill.pk)
    return bill


def _digest(body: Any) -> str:
    return hash_values({"family": FAMILY, "body": json.dumps(body, sort_keys=True, default=str)})


def replay(workspace: Workspace, key: str, body: Any) -> Bill | None:
    """The bill an earlier request with this Idempotency-Key created, None for a new key; the key
    with another body is refused (CreateRefused ``key_reused``)."""
    return _bill_or_none(_replay(workspace, get_family(FAMILY), key, _digest(body)))


def _bill_or_none(found: Model | None) -> Bill | None:
    """The bills family's records are Bills: what a replay found, typed as one."""
    assert found is None or isinstance(found, Bill)
    return found


def create_bill(
    workspace: Workspace, data: BillInput, *, key: str = "", body: Any = None
) -> tuple[Bill, bool]:
    """(bill, created). Refuses (BillRefused) what the rules catch. With ``key`` (an Idempotency-Key)
    the same key and body answer with the first bill; the key with another body is refused
    (CreateRefused ``key_reused``)."""
    fam = get_family(FAMILY)
    digest = _digest(body)
    if key:
        earlier = replay(workspace, key, body)
        if earlier is not None:
            return earlier, False
    problems = rules.problems_of(_draft(workspace, data))
    if problems:
        raise BillRefused(problems)
    try:
        with transaction.atomic():
            bill = _save(workspace, data)
            events.record(bill, events.BILL_CREATED)
            if key:
                IdempotentCreate.objects.create(
                    workspace=workspace, key=key, family=FAMILY, request_hash=digest, local_id=bill.pk
                )
    except IntegrityError:
        # the same key won a race with us: answer as a retry would be answered
        earlier = _bill_or_none(_replay(workspace, fam, key, digest)) if key else None
        if earlier is None:
            raise
        return earlier, False
    return bill, True


def _sent(bill: Bill) -> rules.Problems:
    if (
        bill.intacct_state
        or Link.objects.filter(workspace=bill.workspace, family=FAMILY, local_id=bill.pk).exists()
    ):
        return [("IB-SENT", "This bill is in Sage Intacct already; change it there.")]
    return []


def update_bill(bill: Bill, data: BillInput) -> None:
    """Change a bill that is not in Intacct yet (its lines are replaced). Raises BillRefused."""
    problems = _sent(bill)
    if not problems:
        draft = _draft(bill.workspace, data)
        problems = rules.problems_of(
            rules.BillDraft(
                draft.workspace,
                draft.vendor,
                draft.bill_number,
                draft.bill_date,
                draft.due_date,
                draft.lines,
                bill.pk,
            )
        )
    if problems:
        raise BillRefused(problems)
    total = sum((line.amount for line in data.lines), Decimal("0.00"))
    with transaction.atomic():
        bill.vendor = data.vendor
        bill.bill_number = data.bill_number.strip()
        bill.bill_date, bill.due_date, bill.gl_posting_date = (
            data.bill_date,
            data.due_date,
            data.gl_posting_date,
        )
        bill.description = data.description
        bill.currency = (data.currency or "USD").upper()
        bill.ready_to_pay = data.ready_to_pay
        bill.total = bill.amount_due = total
        bill.save()
        bill.lines.all().delete()
        _write_lines(bill, data.lines)
        if data.ready_to_pay:
            PendingPush.objects.get_or_create(workspace=bill.workspace, family=FAMILY, local_id=bill.pk)
        events.record(bill, events.BILL_UPDATED)


def delete_bill(bill: Bill) -> rules.Problems:
    """Delete a bill that never reached Intacct (a draft, a copy, one Intacct refused)."""
    problems = _sent(bill)
    if problems:
        return problems
    with transaction.atomic():
        PendingPush.objects.filter(workspace=bill.workspace, family=FAMILY, local_id=bill.pk).delete()
        events.record(bill, events.BILL_DELETED)
        bill.delete()
    return []


def mark_ready(bill: Bill) -> rules.Problems:
    """Mark a bill ready to pay: checked now, queued for the next sync. Problems: nothing changed."""
    if bill.intacct_state:
        return [("IB-SENT", "This bill is in Sage Intacct already; it is paid there.")]
    problems = rules.check_bill(bill)
    if problems:
        return problems
    with transaction.atomic():
        Bill.objects.filter(pk=bill.pk).update(ready_to_pay=True)
        bill.ready_to_pay = True
        PendingPush.objects.get_or_create(workspace=bill.workspace, family=FAMILY, local_id=bill.pk)
        events.record(bill, events.BILL_READY)
    return []


def link_of(bill: Bill) -> Link | None:
    return Link.objects.filter(workspace=bill.workspace, family=FAMILY, local_id=bill.pk).first()


def issues_of(bill: Bill, limit: int = 10) -> list[RunIssue]:
    """The bill's issues of the last runs, newest first (Intacct's errorno and text, our remedy)."""
    rows = RunIssue.objects.filter(run__workspace=bill.workspace, family=FAMILY, local_id=bill.pk)
    return list(rows.select_related("run").order_by("-id")[:limit])


def pending(bill: Bill) -> PendingPush | None:
    return PendingPush.objects.filter(workspace=bill.workspace, family=FAMILY, local_id=bill.pk).first()


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def bill_dict(
    bill: Bill,
    link: Link | None = None,
    *,
    issues: bool = False,
    links: dict[int, Link] | None = None,
    vendor_links: dict[int, Link] | None = None,
) -> dict[str, Any]:
    """The API's view of a bill. A list passes the links it read for all its bills (and prefetches
    the lines), so a page of bills costs a few queries, not a few per bill."""
    if links is not None:
        link = links.get(bill.pk)
    elif link is None:
        link = link_of(bill)
    vendor = bill.vendor
    if vendor is None:
        vendor_link = None
    elif vendor_links is not None:
        vendor_link = vendor_links.get(vendor.pk)
    else:
        vendor_link = Link.objects.filter(
            workspace_id=bill.workspace_id, family="vendors", local_id=vendor.pk
        ).first()
    out: dict[str, Any] = {
        "id": bill.pk,
        "vendor": {
            "id": vendor.pk if vendor else None,
            "name": vendor.name if vendor else "",
            "intacct_id": vendor_link.business_id if vendor_link and vendor_link.is_linked else None,
        },
        "bill_number": bill.bill_number,
        "bill_date": bill.bill_date.isoformat() if bill.bill_date else None,
        "due_date": bill.due_date.isoformat() if bill.due_date else None,
        "gl_posting_date": bill.gl_posting_date.isoformat() if bill.gl_posting_date else None,
        "description": bill.description,
        "currency": bill.currency,
        "total": _money(bill.total),
        "amount_paid": _money(bill.amount_paid),
        "amount_due": _money(bill.amount_due),
        "ready_to_pay": bill.ready_to_pay,
        "status": bill.status_label,
        "intacct_state": bill.intacct_state or None,
        "intacct_recordno": link.recordno if link is not None and link.is_linked else None,
        "entity": (getattr(link, "entity", "") if link is not None else "") or bill.entity or None,
        "lines": [
            {
                "line_no": line.line_no,
                "account": line.account.number if line.account else None,
                "amount": _money(line.amount),
                "memo": line.memo,
                "department": line.department.name if line.department else None,
                "location_id": line.location_id or None,
            }
            for line in bill.lines.all()
        ],
    }
    if issues:
        out["issues"] = [i.to_dict() for i in issues_of(bill)]
    return out


__all__ = [
    "BillInput",
    "BillRefused",
    "CreateRefused",
    "LineInput",
    "bill_dict",
    "create_bill",
    "delete_bill",
    "issues_of",
    "link_of",
    "mark_ready",
    "replay",
    "update_bill",
]


def _write_lines(bill: Bill, lines: Any) -> None:
    BillLine.objects.bulk_create(
        BillLine(
            bill=bill,
            line_no=n,
            account=line.account,
            amount=line.amount,
            memo=line.memo,
            department=line.department,
            location_id=line.location_id,
        )
        for n, line in enumerate(lines, start=1)
    )
