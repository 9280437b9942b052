"""Bill pages (list, detail, New bill, Mark ready to pay) and Settings > Accounting software sync."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from intacct_bridge.ap import service as bill_service
from intacct_bridge.ap.forms import BillForm, chart_accounts, line_formset
from intacct_bridge.ap.models import Bill, IntacctState
from intacct_bridge.jobs.tasks import next_due, schedule_for
from intacct_bridge.sync import service
from intacct_bridge.sync.models import Cursor, Link, Run
from intacct_bridge.sync.registry import all_families
from intacct_bridge.sync.spec import Schedule
from intacct_bridge.workspaces.access import workspace_view

#: the list filter: Intacct states plus the two states a bill has before it gets there
STATE_FILTERS = [
    ("draft", "Draft in the app"),
    ("ready", "Ready to pay"),
    *[(value, label) for value, label in IntacctState.choices],
]
AP_FAMILIES = ("accounts", "vendors", "bills")


def _bill(request: HttpRequest, bill_id: int) -> Bill:
    ws = request.workspace  # type: ignore[attr-defined]
    bill = Bill.objects.select_related("vendor").filter(workspace=ws, pk=bill_id).first()
    if bill is None:
        raise Http404("No such bill")
    return bill


def _filtered(ws: Any, state: str, search: str) -> Any:
    qs = Bill.objects.filter(workspace=ws).select_related("vendor")
    if state == "draft":
        qs = qs.filter(intacct_state="", ready_to_pay=False)
    elif state == "ready":
        qs = qs.filter(intacct_state="", ready_to_pay=True)
    elif state:
        qs = qs.filter(intacct_state=state)
    if search:
        qs = qs.filter(
            Q(bill_number__icontains=search)
            | Q(vendor__name__icontains=search)
            | Q(description__icontains=search)
        )
    return qs


@workspace_view()
def bill_list(request: HttpRequest, slug: str) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    state = request.GET.get("state", "")
    if state not in dict(STATE_FILTERS):
        state = ""
    search = request.GET.get("q", "").strip()
    page = Paginator(_filtered(ws, state, search), 50).get_page(request.GET.get("page"))
    ids = [b.pk for b in page]
    links = {ln.local_id: ln for ln in Link.objects.filter(workspace=ws, family="bills", local_id__in=ids)}
    rows = [{"bill": b, "link": links.get(b.pk)} for b in page]
    return render(
        request,
        "ap/bill_list.html",
        {"page": page, "rows": rows, "state": state, "states": STATE_FILTERS, "search": search},
    )


@workspace_view()
def bill_detail(request: HttpRequest, slug: str, bill_id: int) -> HttpResponse:
    bill = _bill(request, bill_id)
    link = bill_service.link_of(bill)
    return render(
        request,
        "ap/bill_detail.html",
        {
            "bill": bill,
            "lines": bill.lines.select_related("account", "department"),
            "link": link,
            "entity": (link.entity if link is not None and hasattr(link, "entity") else "") or bill.entity,
            "issues": bill_service.issues_of(bill),
            "pending": bill_service.pending(bill),
        },
    )


def _inputs(form: BillForm, lines: Any) -> bill_service.BillInput:
    data = form.cleaned_data
    rows = [
        bill_service.LineInput(
            account=f.cleaned_data.get("account"),
            amount=f.cleaned_data["amount"],
            memo=f.cleaned_data.get("memo") or "",
            department=f.cleaned_data.get("department"),
            location_id=(f.cleaned_data.get("location_id") or "").strip(),
        )
        for f in lines.forms
        if not f.is_blank  # the empty extra rows
    ]
    return bill_service.BillInput(
        vendor=data["vendor"],
        bill_number=data.get("bill_number") or "",
        bill_date=data["bill_date"],
        due_date=data["due_date"],
        gl_posting_date=data.get("gl_posting_date"),
        description=data.get("description") or "",
        currency=data.get("currency") or "USD",
        ready_to_pay=bool(data.get("ready_to_pay")),
        lines=rows,
    )


@workspace_view()
def new_bill(request: HttpRequest, slug: str) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    problems: list[tuple[str, str]] = []
    if request.method == "POST":
        form = BillForm(request.POST, workspace=ws)
        lines = line_formset(ws, request.POST)
        if form.is_valid() and lines.is_valid():
            try:
                bill, _ = bill_service.create_bill(ws, _inputs(form, lines))
            except bill_service.BillRefused as exc:
                problems = exc.problems
            else:
                if bill.ready_to_pay:
                    messages.success(
                        request, "Bill saved and marked ready to pay: the next sync sends it to Sage Intacct."
                    )
                else:
                    messages.success(
                        request, "Bill saved as a draft. Mark it ready to pay to send it to Sage Intacct."
                    )
                return redirect("ap:bill", slug=slug, bill_id=bill.pk)
    else:
        form = BillForm(workspace=ws)
        lines = line_formset(ws)
    return render(
        request,
        "ap/bill_form.html",
        {
            "form": form,
            "lines": lines,
            "problems": problems,
            "no_accounts": not chart_accounts(ws).exists(),
        },
    )


def _initial(bill: Bill) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    header = {
        "vendor": bill.vendor_id,
        "bill_number": bill.bill_number,
        "bill_date": bill.bill_date,
        "due_date": bill.due_date,
        "gl_posting_date": bill.gl_posting_date,
        "description": bill.description,
        "currency": bill.currency,
        "ready_to_pay": bill.ready_to_pay,
    }
    lines = [
        {
            "account": line.account_id,
            "amount": line.amount,
            "memo": line.memo,
            "department": line.department_id,
            "location_id": line.location_id,
        }
        for line in bill.lines.all()
    ]
    return header, lines


@workspace_view()
def edit_bill(request: HttpRequest, slug: str, bill_id: int) -> HttpResponse:
    """Change a bill before it reaches Intacct (the fix for a bill the sync held back)."""
    bill = _bill(request, bill_id)
    ws = request.workspace  # type: ignore[attr-defined]
    if bill.intacct_state or bill_service.link_of(bill) is not None:
        messages.error(request, "This bill is in Sage Intacct already; change it there.")
        return redirect("ap:bill", slug=slug, bill_id=bill.pk)
    problems: list[tuple[str, str]] = []
    if request.method == "POST":
        form = BillForm(request.POST, workspace=ws)
        lines = line_formset(ws, request.POST)
        if form.is_valid() and lines.is_valid():
            try:
                bill_service.update_bill(bill, _inputs(form, lines))
            except bill_service.BillRefused as exc:
                problems = exc.problems
            else:
                messages.success(request, "Bill saved.")
                return redirect("ap:bill", slug=slug, bill_id=bill.pk)
    else:
        header, rows = _initial(bill)
        form = BillForm(initial=header, workspace=ws)
        lines = line_formset(ws, initial=rows)
    return render(
        request,
        "ap/bill_form.html",
        {"form": form, "lines": lines, "problems": problems, "bill": bill, "no_accounts": False},
    )


@require_POST
@workspace_view()
def delete_bill(request: HttpRequest, slug: str, bill_id: int) -> HttpResponse:
    bill = _bill(request, bill_id)
    problems = bill_service.delete_bill(bill)
    if problems:
        messages.error(request, problems[0][1])
        return redirect("ap:bill", slug=slug, bill_id=bill_id)
    messages.success(request, "Bill deleted; it never reached Sage Intacct.")
    return redirect("ap:bills", slug=slug)


@require_POST
@workspace_view()
def mark_ready(request: HttpRequest, slug: str, bill_id: int) -> HttpResponse:
    bill = _bill(request, bill_id)
    problems = bill_service.mark_ready(bill)
    if problems:
        for _, text in problems:
            messages.error(request, text)
    else:
        messages.success(request, "Marked ready to pay: the next sync creates the bill in Sage Intacct.")
    return redirect("ap:bill", slug=slug, bill_id=bill.pk)


def _next_run(ws: Any, fam: Any, schedule: Any) -> Any:
    """The workspace's next scheduled run, or the next hour for a family that syncs hourly."""
    from django.utils import timezone


    if schedule.frequency == "off" or fam.spec.schedule == Schedule.OFF:
        return None
    if fam.spec.schedule == Schedule.HOURLY:
        hourly = next_due(ws, "hourly", timezone.now())
        return min(t for t in (hourly, schedule.next_due_at) if t is not None)
    return schedule.next_due_at


def _family_rows(ws: Any) -> list[dict[str, Any]]:
    """Each AP family the workspace has on: last run, next run, where its cursor stands."""
    schedule = schedule_for(ws)
    enabled = set(ws.families or [])
    cursors = {c.family: c for c in Cursor.objects.filter(workspace=ws, family__in=AP_FAMILIES)}
    out = []
    for fam in all_families():
        if fam.name not in AP_FAMILIES:
            continue
        last = (
            Run.objects.filter(workspace=ws)
            .filter(Q(family=fam.name) | Q(family=""))
            .exclude(started_at=None)
            .order_by("-started_at")
            .first()
            if fam.name in enabled
            else None
        )
        out.append(
            {
                "fam": fam,
                "enabled": fam.name in enabled,
                "last": last,
                "next": _next_run(ws, fam, schedule) if fam.name in enabled else None,
                "cursor": cursors.get(fam.name),
                "direction": {
                    "pull": "Sage Intacct → app",
                    "push": "app → Sage Intacct",
                    "two_way": "both ways",
                }[fam.direction(ws) if hasattr(fam, "direction") else fam.spec.direction],
                "read_only": fam.read_only,
            }
        )
    return out


@workspace_view()
def accounting_settings(request: HttpRequest, slug: str) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]

    conn = ws.connection_or_none
    return render(
        request,
        "ap/settings.html",
        {
            "conn": conn,
            "entity": (conn.entity_id if conn is not None else "") or "",
            "families": _family_rows(ws),
            "schedule": schedule_for(ws),
            "active": service.active_run(ws),
            "last_run": Run.objects.filter(workspace=ws)
            .exclude(started_at=None)
            .order_by("-started_at")
            .first(),
            "last_test": ws.connection_tests.first(),
            "is_admin": request.membership.is_admin,  # type: ignore[attr-defined]
        },
    )
