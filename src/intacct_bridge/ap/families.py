"""The ap families (specs on the sync engine), registered when the app is ready.

``bills`` ↔ APBILL + APBILLITEM, two-way: every Intacct bill (open and paid) comes in with its lines,
totals and state; a bill entered in the app and marked ready to pay is created once with
``create_bill`` (the legacy function the official SDKs use for bills), its deterministic key in
EXTERNALID so a lost answer is settled by reading it back. After that Intacct owns the bill.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from intacct_bridge.ap import events, rules
from intacct_bridge.ap.models import Bill
from intacct_bridge.sync.context import RunContext
from intacct_bridge.sync.family import CreateContext, Family
from intacct_bridge.sync.models import PendingPush
from intacct_bridge.sync.registry import register
from intacct_bridge.sync.spec import (
    Direction,
    FamilySpec,
    FieldMap,
    ImportMode,
    LineSpec,
    date_in,
    date_out,
    money_in,
    money_out,
    text_in,
)


def currency_in(value: Any) -> str:
    return text_in(value).upper() or "USD"


BILL_LINES = LineSpec(
    intacct_object="APBILLITEM",
    parent_key="RECORDKEY",
    model="bridge_ap.BillLine",
    parent_attr="bill",
    fields=(
        FieldMap("account", "ACCOUNTNO", reference="accounts", import_missing=True),
        FieldMap("amount", "TRX_AMOUNT", to_app=money_in, to_intacct=money_out),
        FieldMap("memo", "ENTRYDESCRIPTION"),
        FieldMap("department", "DEPARTMENTID", reference="departments", import_missing=True),
        FieldMap("location_id", "LOCATIONID"),
    ),
)


def _validate(values: Mapping[str, Any]) -> rules.Problems:
    """A pulled bill: Intacct keeps its own rules, so only what the app needs to show it."""
    return [] if values.get("vendor") else [(rules.VENDOR, "The bill has no VENDORID.")]


def _d(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def confirm_vendors(ctx: RunContext) -> set[int]:
    """The vendors of the bills waiting to go to Intacct, asked of Intacct now (one query)."""
    waiting = PendingPush.objects.filter(workspace=ctx.workspace, family="bills").values_list(
        "local_id", flat=True
    )
    bills = Bill.objects.filter(pk__in=list(waiting), vendor__isnull=False)
    return ctx.confirm_linked("vendors", {int(v) for v in bills.values_list("vendor_id", flat=True) if v})


def build_create(ctx: CreateContext[Bill]) -> dict[str, Any]:
    """``create_bill`` parameters in the order the official SDKs write them (BillCreate): vendor,
    dates as <year><month><day>, bill number, description, external ID (our key), currency, lines."""
    v = ctx.values
    params: dict[str, Any] = {"vendorid": v["vendor"], "datecreated": _d(v["bill_date"])}
    if v.get("gl_posting_date"):
        params["dateposted"] = _d(v["gl_posting_date"])
    params["datedue"] = _d(v["due_date"])
    if v.get("bill_number"):
        params["billno"] = v["bill_number"]
    if v.get("description"):
        params["description"] = v["description"]
    params["externalid"] = ctx.key
    params["currency"] = v.get("currency") or "USD"
    items = []
    for line in ctx.lines:
        item: dict[str, Any] = {"glaccountno": line["account"], "amount": money_out(line["amount"])}
        if line.get("memo"):
            item["memo"] = line["memo"]
        if line.get("location_id"):
            item["locationid"] = line["location_id"]
        if line.get("department"):
            item["departmentid"] = line["department"]
        items.append(item)
    params["billitems"] = {"lineitem": items}
    return params


class Bills(Family[Bill]):
    def validate(self, values: Mapping[str, Any]) -> rules.Problems:
        return _validate(values)

    def ready_to_push(self, local: Bill) -> bool:
        # only bills someone marked ready to pay go to Intacct, and only once (Intacct owns them after)
        return bool(local.ready_to_pay) and not local.intacct_state

    def check_push(self, ctx: RunContext, local: Bill) -> rules.Problems:
        # a vendor deleted in Intacct since the last removal check (a bills-only run checks none) is
        # unlinked before its bills are judged, so they get IB-VENDOR instead of Intacct's refusal
        ctx.remember("ap.vendors_confirmed", lambda: confirm_vendors(ctx))
        # the chart's and the vendors' link states, read once per run for all its bills
        links = ctx.remember("ap.links", lambda: rules.LinkStates(ctx.workspace))
        return rules.check_bill(local, links, ctx.lines_of(self, local))

    def build_create(self, context: CreateContext[Bill]) -> Mapping[str, Any]:
        return build_create(context)

    def after_push(self, ctx: RunContext, locals_: list[Bill]) -> None:
        events.record_pushed(locals_)

    def after_pull(self, ctx: RunContext, created: list[Bill], updated: list[Bill]) -> None:
        events.record_pulled(created, updated)


BILLS = register(
    Bills(
        spec=FamilySpec(
            family="bills",
            label="Bills",
            intacct_object="APBILL",
            business_id="RECORDNO",
            name_field="RECORDID",
            model="bridge_ap.Bill",
            fields=(
                FieldMap("vendor", "VENDORID", reference="vendors", import_missing=True),
                FieldMap("bill_number", "RECORDID"),
                FieldMap("bill_date", "WHENCREATED", to_app=date_in, to_intacct=date_out),
                FieldMap("due_date", "WHENDUE", to_app=date_in, to_intacct=date_out),
                FieldMap("gl_posting_date", "WHENPOSTED", to_app=date_in, to_intacct=date_out),
                FieldMap("description", "DESCRIPTION"),
                FieldMap("currency", "CURRENCY", to_app=currency_in),
                FieldMap("total", "TOTALENTERED", to_app=money_in, to_intacct=money_out, push=False),
                FieldMap("amount_paid", "TOTALPAID", to_app=money_in, to_intacct=money_out, push=False),
                FieldMap("amount_due", "TOTALDUE", to_app=money_in, to_intacct=money_out, push=False),
                FieldMap("intacct_state", "STATE", push=False),
                FieldMap("entity", "MEGAENTITYID", push=False),
            ),
            direction=Direction.TWO_WAY,
            import_mode=ImportMode.ALL,
            extra_fields=("VENDORNAME", "EXTERNALID"),
            lines=BILL_LINES,
            create_function="create_bill",
            created_key_field="EXTERNALID",
            created_id_prefix="IBB",
            # WHENCREATED is the bill date (a business date): new bills are found by the system stamp
            created_field="AUWHENCREATED",
            push_updates=False,
            describe=lambda r: (
                " · ".join(p for p in (text_in(r.get("RECORDID")), text_in(r.get("VENDORNAME"))) if p)
                or f"Bill {r.get('RECORDNO')}"
            ),
            notes="Two-way: all bills imported with lines and state; bills marked ready to pay are "
            "created once with create_bill, then Intacct owns them (payments flow back).",
        ),
        search_fields=("bill_number", "description"),
        noun="bill",
        remote_noun="bill",
    )
)
