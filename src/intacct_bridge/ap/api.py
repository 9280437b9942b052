"""JSON API of the ap app, mounted under /api/v1/workspaces/{slug}/.

GET  bills                 bills, newest first (?state=Posted|Paid|...|draft|ready, ?vendor=<id>)
GET  bills/{id}            one bill with its lines, Intacct RECORDNO, state, entity and issues
POST bills                 enter a bill (vendor by app id or Intacct VENDORID, lines, ready_to_pay);
                           an ``Idempotency-Key`` header answers a repeat with the first bill (200)
POST bills/{id}/ready      mark ready to pay: the next sync creates it in Intacct
DELETE bills/{id}          delete a bill that never reached Intacct
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from intacct_bridge.ap import bills as bill_service
from intacct_bridge.ap.models import Bill
from intacct_bridge.api.auth import workspace_for
from intacct_bridge.api.errors import ApiError, not_found
from intacct_bridge.api.schemas import ErrorOut
from intacct_bridge.records.currencies import Currency
from intacct_bridge.records.models import Account, Department, Vendor
from intacct_bridge.sync.creates import CreateRefused
from intacct_bridge.sync.models import Link, LinkState
from intacct_bridge.workspaces.models import Workspace

router = Router(tags=["ap"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class LineIn(Schema):
    account: str = Field(description="GL account number of the imported chart (active)")
    amount: Decimal = Field(max_digits=14, decimal_places=2)
    memo: str = ""
    department: str | None = Field(None, description="Intacct DEPARTMENTID of an imported department")
    location_id: str = ""


class BillIn(Schema):
    vendor_id: int | None = Field(None, description="the app's vendor id")
    vendor: str | None = Field(None, description="or the vendor's Intacct VENDORID")
    bill_number: str = Field("", max_length=60)
    bill_date: date
    due_date: date
    gl_posting_date: date | None = None
    description: str = ""
    currency: Currency = "USD"
    ready_to_pay: bool = False
    lines: list[LineIn]


class VendorOut(Schema):
    id: int | None
    name: str
    intacct_id: str | None


class LineOut(Schema):
    line_no: int
    account: str | None
    amount: str
    memo: str
    department: str | None
    location_id: str | None


class BillOut(Schema):
    id: int
    vendor: VendorOut
    bill_number: str
    bill_date: str | None
    due_date: str | None
    gl_posting_date: str | None
    description: str
    currency: str
    total: str
    amount_paid: str
    amount_due: str
    ready_to_pay: bool
    status: str
    intacct_state: str | None
    intacct_recordno: int | None
    entity: str | None
    lines: list[LineOut]


class BillDetailOut(BillOut):
    issues: list[dict[str, Any]]


def _refused(problems: list[tuple[str, str]]) -> ApiError:
    return ApiError(422, "invalid", "; ".join(text for _, text in problems))


def _vendor(ws: Workspace, body: BillIn) -> Vendor:
    if body.vendor_id is not None:
        found = Vendor.objects.filter(workspace=ws, pk=body.vendor_id).first()
        if found is None:
            raise _refused([("IB-VENDOR", f"Unknown vendor: no vendor with id {body.vendor_id}.")])
        return found
    if body.vendor:
        link = Link.objects.filter(
            workspace=ws, family="vendors", business_id=body.vendor, state=LinkState.LINKED
        ).first()
        found = Vendor.objects.filter(workspace=ws, pk=link.local_id).first() if link else None
        if found is None:
            raise _refused(
                [
                    (
                        "IB-VENDOR",
                        f"Unknown vendor: no vendor with Intacct VENDORID {body.vendor!r} "
                        "(sync vendors first?).",
                    )
                ]
            )
        return found
    raise _refused([("IB-VENDOR", "vendor_id or vendor: the bill needs a vendor.")])


def _lines(ws: Workspace, body: BillIn) -> list[bill_service.LineInput]:
    numbers = {line.account for line in body.lines}
    accounts = {a.number: a for a in Account.objects.filter(workspace=ws, number__in=numbers)}
    depts = {
        ln.business_id: ln.local_id
        for ln in Link.objects.filter(
            workspace=ws,
            family="departments",
            state=LinkState.LINKED,
            business_id__in=[line.department for line in body.lines if line.department],
        )
    }
    out = []
    problems = []
    for n, line in enumerate(body.lines, start=1):
        account = accounts.get(line.account)
        if account is None:
            problems.append(
                (
                    "IB-ACCOUNT",
                    f"Line {n}: GL account {line.account} is not in the chart imported from Intacct.",
                )
            )
        department = None
        if line.department:
            department = Department.objects.filter(workspace=ws, pk=depts.get(line.department, 0)).first()
            if department is None:
                problems.append(
                    ("IB-REFERENCE", f"Line {n}: department {line.department!r} was never imported.")
                )
        out.append(
            bill_service.LineInput(account, line.amount, line.memo, department, line.location_id.strip())
        )
    if problems:
        raise _refused(problems)
    return out


def _bill(ws: Workspace, bill_id: int) -> Bill:
    bill = Bill.objects.select_related("vendor").filter(workspace=ws, pk=bill_id).first()
    if bill is None:
        raise not_found("No such bill")
    return bill


@router.get("bills", response={200: list[BillOut], **ERRORS})
def list_bills(
    request: HttpRequest, slug: str, state: str | None = None, vendor: int | None = None, limit: int = 200
) -> Any:
    ws = workspace_for(request, slug)
    qs = (
        Bill.objects.filter(workspace=ws)
        .select_related("vendor")
        .prefetch_related("lines__account", "lines__department")
    )
    if state == "draft":
        qs = qs.filter(intacct_state="", ready_to_pay=False)
    elif state == "ready":
        qs = qs.filter(intacct_state="", ready_to_pay=True)
    elif state:
        qs = qs.filter(intacct_state=state)
    if vendor is not None:
        qs = qs.filter(vendor_id=vendor)
    rows = list(qs[: max(1, min(limit, 1000))])
    links = {
        ln.local_id: ln
        for ln in Link.objects.filter(workspace=ws, family="bills", local_id__in=[b.pk for b in rows])
    }
    vendor_links = {
        ln.local_id: ln
        for ln in Link.objects.filter(
            workspace=ws, family="vendors", local_id__in={b.vendor_id for b in rows if b.vendor_id}
        )
    }
    return [bill_service.bill_dict(b, links=links, vendor_links=vendor_links) for b in rows]


@router.get("bills/{bill_id}", response={200: BillDetailOut, **ERRORS})
def get_bill(request: HttpRequest, slug: str, bill_id: int) -> Any:
    ws = workspace_for(request, slug)
    return bill_service.bill_dict(_bill(ws, bill_id), issues=True)


@router.post("bills", response={200: BillDetailOut, 201: BillDetailOut, **ERRORS})
def create_bill(request: HttpRequest, slug: str, body: BillIn) -> Any:
    """A bill entered by a host product. The same ``Idempotency-Key`` with the same body answers with
    the first bill (200); with another body it is refused (409)."""
    ws = workspace_for(request, slug, write=True)
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 200:
        raise ApiError(422, "invalid", "Idempotency-Key: at most 200 characters")
    payload = body.model_dump(mode="json")
    if key:
        # a repeat is answered before the body is resolved again (the vendor may have changed since)
        try:
            earlier = bill_service.replay(ws, key, payload)
        except CreateRefused as exc:
            raise ApiError(409, exc.code, exc.message) from None
        if earlier is not None:
            return Status(200, bill_service.bill_dict(earlier, issues=True))
    data = bill_service.BillInput(
        vendor=_vendor(ws, body),
        bill_number=body.bill_number.strip(),
        bill_date=body.bill_date,
        due_date=body.due_date,
        gl_posting_date=body.gl_posting_date,
        description=body.description,
        currency=body.currency.upper(),
        ready_to_pay=body.ready_to_pay,
        lines=_lines(ws, body),
    )
    try:
        bill, created = bill_service.create_bill(ws, data, key=key, body=payload)
    except bill_service.BillRefused as exc:
        raise _refused(exc.problems) from None
    except CreateRefused as exc:
        raise ApiError(409, exc.code, exc.message) from None
    return Status(201 if created else 200, bill_service.bill_dict(bill, issues=True))


@router.post("bills/{bill_id}/ready", response={200: BillDetailOut, **ERRORS})
def mark_ready(request: HttpRequest, slug: str, bill_id: int) -> Any:
    ws = workspace_for(request, slug, write=True)
    bill = _bill(ws, bill_id)
    problems = bill_service.mark_ready(bill)
    if problems:
        code = "already_sent" if problems[0][0] == "IB-SENT" else "invalid"
        raise ApiError(409 if code == "already_sent" else 422, code, "; ".join(t for _, t in problems))
    return bill_service.bill_dict(bill, issues=True)


@router.delete("bills/{bill_id}", response={204: None, **ERRORS})
def delete_bill(request: HttpRequest, slug: str, bill_id: int) -> Any:
    ws = workspace_for(request, slug, write=True)
    problems = bill_service.delete_bill(_bill(ws, bill_id))
    if problems:
        raise ApiError(409, "already_sent", problems[0][1])
    return Status(204, None)
