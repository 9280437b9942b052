"""The ar families (specs on the sync engine), registered when the app is ready.

* ``invoices`` ← ARINVOICE + ARINVOICEITEM: one-way, every invoice imported, hourly. The customer is
  kept as text (ID and name) and, through ``reference="clients"``, as the linked Client; a customer not
  yet imported as a client is imported with its invoice (``import_missing``), so receivables always
  know who owes them.
* ``payments`` → ARPYMT through ``create_arpayment`` (what intacct-sdk-php's ``ArPaymentCreate`` and
  intacct-sdk-net's ``ArPaymentCreate`` send), deposited to the undeposited-funds account and applied
  to the named invoices (``arpaymentitem``), exactly once: the engine's deterministic key travels in
  ``refid`` (read back as DOCNUMBER) so a lost answer is looked up before anything is sent again.
* ``adjustments`` → ARADJUSTMENT through ``create_aradjustment`` (credit memos), only when the
  workspace turned the module on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from intacct_bridge.ar import adjustments as adjustment_flow
from intacct_bridge.ar import events as invoice_events
from intacct_bridge.ar import payments as payment_flow
from intacct_bridge.ar.models import Adjustment, Invoice, Payment
from intacct_bridge.sync.context import RunContext
from intacct_bridge.sync.family import CreateContext, Family, Problems
from intacct_bridge.sync.registry import register
from intacct_bridge.sync.spec import (
    Direction,
    FamilySpec,
    FieldMap,
    ImportMode,
    LineSpec,
    Schedule,
    date_in,
    money_in,
    money_out,
    text_in,
)

# ---- transforms ---------------------------------------------------------------------------------

#: Intacct's invoice STATE (display values) -> the app's state
INVOICE_STATES = {
    "draft": "draft",
    "posted": "open",
    "submitted": "open",
    "approved": "open",
    "partially paid": "partially_paid",
    "paid": "paid",
    "reversed": "reversed",
}


def invoice_state_in(value: Any) -> str:
    text = text_in(value).lower()
    if text in INVOICE_STATES:
        return INVOICE_STATES[text]
    if not text:
        return "open"
    raise ValueError(f"unknown invoice state {text!r}")


def currency_in(value: Any) -> str:
    return text_in(value).upper()[:3]


# ---- invoices ← ARINVOICE -------------------------------------------------------------------------


def _validate_invoice(values: Mapping[str, Any]) -> Problems:
    problems: Problems = []
    if not values.get("customer_id"):
        problems.append(("IB-REQUIRED", "The invoice has no customer (CUSTOMERID is empty)."))
    return problems


def _invoice_title(remote: Mapping[str, Any]) -> str:
    number = text_in(remote.get("RECORDID")) or f"#{text_in(remote.get('RECORDNO'))}"
    return f"{number} {text_in(remote.get('CUSTOMERNAME'))}".strip()


class Invoices(Family[Invoice]):
    def validate(self, values: Mapping[str, Any]) -> Problems:
        return _validate_invoice(values)

    def after_pull(self, ctx: RunContext, created: list[Invoice], updated: list[Invoice]) -> None:
        invoice_events.record_pulled(created, updated)


INVOICES = register(
    Invoices(
        spec=FamilySpec(
            family="invoices",
            label="Invoices",
            intacct_object="ARINVOICE",
            business_id="RECORDNO",
            name_field="RECORDID",
            model="bridge_ar.Invoice",
            fields=(
                FieldMap("number", "RECORDID", push=False),
                FieldMap("customer_id", "CUSTOMERID", push=False),
                FieldMap("customer_name", "CUSTOMERNAME", push=False),
                FieldMap("client", "CUSTOMERID", push=False, reference="clients", import_missing=True),
                FieldMap("date", "WHENCREATED", to_app=date_in, push=False),
                FieldMap("posted_on", "WHENPOSTED", to_app=date_in, push=False),
                FieldMap("due_date", "WHENDUE", to_app=date_in, push=False),
                FieldMap("paid_on", "WHENPAID", to_app=date_in, push=False),
                FieldMap("description", "DESCRIPTION", push=False),
                FieldMap("total", "TOTALENTERED", to_app=money_in, push=False),
                FieldMap("amount_paid", "TOTALPAID", to_app=money_in, push=False),
                FieldMap("amount_due", "TOTALDUE", to_app=money_in, push=False),
                FieldMap("state", "STATE", to_app=invoice_state_in, push=False),
                FieldMap("currency", "CURRENCY", to_app=currency_in, push=False),
            ),
            lines=LineSpec(
                intacct_object="ARINVOICEITEM",
                parent_key="RECORDKEY",
                model="bridge_ar.InvoiceLine",
                parent_attr="invoice",
                fields=(
                    FieldMap("account_number", "ACCOUNTNO", push=False),
                    FieldMap("account_title", "ACCOUNTTITLE", push=False),
                    FieldMap("description", "ENTRYDESCRIPTION", push=False),
                    FieldMap("amount", "AMOUNT", to_app=money_in, push=False),
                    FieldMap("amount_paid", "TOTALPAID", to_app=money_in, push=False),
                    FieldMap("department_id", "DEPARTMENTID", push=False),
                    FieldMap("location_id", "LOCATIONID", push=False),
                ),
            ),
            direction=Direction.PULL,
            import_mode=ImportMode.ALL,
            schedule=Schedule.HOURLY,
            # WHENCREATED is the invoice date on ARINVOICE; the creation timestamp is AUWHENCREATED
            created_field="AUWHENCREATED",
            describe=_invoice_title,
            notes="One-way Intacct → app, every invoice, hourly; the customer follows the Clients links.",
        ),
        search_fields=("number", "customer_id", "customer_name"),
        read_only=True,
        noun="invoice",
        remote_noun="invoice",
    )
)


# ---- payments → ARPYMT (create_arpayment) -------------------------------------------------------------


class Payments(Family[Payment]):
    def ready_to_push(self, local: Payment) -> bool:
        return payment_flow.ready_to_push(local)

    def check_push(self, ctx: RunContext, local: Payment) -> Problems:
        return payment_flow.recheck(local)

    def build_create(self, context: CreateContext[Payment]) -> Mapping[str, Any]:
        return payment_flow.create_params(context.workspace, context.local, context.key)

    def after_push(self, ctx: RunContext, locals_: list[Payment]) -> None:
        payment_flow.after_push(ctx, locals_)

    def push_refused(self, ctx: RunContext, local: Payment, error: Exception) -> str:
        return payment_flow.push_refused(ctx, local, error)


PAYMENTS = register(
    Payments(
        spec=FamilySpec(
            family="payments",
            label="Payments",
            intacct_object="ARPYMT",
            business_id="RECORDNO",
            name_field="DOCNUMBER",
            model="bridge_ar.Payment",
            fields=(
                FieldMap("customer_id", "CUSTOMERID", push=False),
                FieldMap("amount", "TOTALENTERED", to_app=money_in, to_intacct=money_out, push=False),
                FieldMap("date", "RECEIPTDATE", to_app=date_in, push=False),
                FieldMap("method", "PAYMENTMETHOD", push=False),
                FieldMap("currency", "CURRENCY", to_app=currency_in, push=False),
            ),
            direction=Direction.PUSH,
            import_mode=ImportMode.SELECTED,
            create_function="create_arpayment",
            # create_arpayment's refid, read back as DOCNUMBER (docs/sandbox.md)
            created_key_field="DOCNUMBER",
            created_id_prefix="IBP",
            # WHENCREATED is the payment date; AUWHENCREATED the system stamp (docs/intacct/objects.md §0.9)
            created_field="AUWHENCREATED",
            push_updates=False,
            notes="App → Intacct once: applied to the invoices, deposited to the undeposited-funds account.",
        ),
        search_fields=("customer_id", "customer_name", "reference"),
        noun="payment",
        remote_noun="AR payment",
    )
)


# ---- adjustments → ARADJUSTMENT (create_aradjustment) -----------------------------------------------


class Adjustments(Family[Adjustment]):
    def ready_to_push(self, local: Adjustment) -> bool:
        return adjustment_flow.ready_to_push(local)

    def check_push(self, ctx: RunContext, local: Adjustment) -> Problems:
        return adjustment_flow.check_push(ctx, local)

    def build_create(self, context: CreateContext[Adjustment]) -> Mapping[str, Any]:
        return adjustment_flow.create_params(context.workspace, context.local, context.key)

    def after_push(self, ctx: RunContext, locals_: list[Adjustment]) -> None:
        adjustment_flow.after_push(ctx, locals_)


ADJUSTMENTS = register(
    Adjustments(
        spec=FamilySpec(
            family="adjustments",
            label="Adjustments",
            intacct_object="ARADJUSTMENT",
            business_id="RECORDNO",
            name_field="RECORDID",
            model="bridge_ar.Adjustment",
            fields=(
                FieldMap("customer_id", "CUSTOMERID", push=False),
                FieldMap("date", "WHENCREATED", to_app=date_in, push=False),
                FieldMap("memo", "DESCRIPTION", push=False),
            ),
            lines=LineSpec(
                intacct_object="ARADJUSTMENTITEM",
                parent_key="RECORDKEY",
                model="bridge_ar.AdjustmentLine",
                parent_attr="adjustment",
                fields=(
                    FieldMap("account", "ACCOUNTNO", push=False, reference="accounts"),
                    FieldMap("amount", "AMOUNT", to_app=money_in, push=False),
                    FieldMap("memo", "ENTRYDESCRIPTION", push=False),
                ),
            ),
            direction=Direction.PUSH,
            import_mode=ImportMode.SELECTED,
            create_function="create_aradjustment",
            # create_aradjustment's externalid: meant for the sending system's own key
            created_key_field="EXTERNALID",
            created_id_prefix="IBA",
            # WHENCREATED is the adjustment date; AUWHENCREATED the system stamp (objects.md §0.9)
            created_field="AUWHENCREATED",
            push_updates=False,
            notes="App → Intacct once (credit memos), when the workspace turned adjustments on.",
        ),
        search_fields=("customer_id", "customer_name", "memo"),
        noun="adjustment",
        remote_noun="AR adjustment",
    )
)
