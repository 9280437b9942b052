"""Models of the ar app: the accounting settings, invoices pulled from Intacct (with their lines and a
cached copy of Intacct's PDF), payments recorded here and applied in Intacct, and credit adjustments.

Money is ``Decimal`` with two places everywhere. Invoices belong to Intacct (every pull overwrites
their mapped fields); payments and adjustments are created here and written to Intacct exactly once,
after which Intacct owns them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone

from intacct_bridge.records.models import Account, Client
from intacct_bridge.workspaces.models import Workspace

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


class ArSettings(models.Model):
    """Configurations > Billing > Accounting: where payments go in Intacct, and the optional parts."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="ar_settings")
    # the receivables account open invoices sit in (shown on payments; Intacct posts to it itself)
    ar_account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the holding account payments are deposited to until someone records the bank deposit
    undeposited_account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    use_intacct_image = models.BooleanField(default=False)
    adjustments_enabled = models.BooleanField(default=False)
    # the entity (LOCATIONID) adjustments are written in, for multi-entity companies; "" = top level
    adjustment_entity_id = models.CharField(max_length=40, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True, default="")

    def __str__(self) -> str:
        return f"AR settings of {self.workspace}"

    @classmethod
    def of(cls, workspace: Workspace) -> ArSettings:
        row, _ = cls.objects.get_or_create(workspace=workspace)
        return row


class InvoiceState(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    PARTIALLY_PAID = "partially_paid", "Partially paid"
    PAID = "paid", "Paid"
    REVERSED = "reversed", "Reversed"


class Invoice(models.Model):
    """An ARINVOICE as last read from Intacct (read-only here)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invoices")
    number = models.CharField(max_length=60, blank=True, default="")
    # the customer as Intacct names it, kept even when the customer is not a client here
    customer_id = models.CharField(max_length=60, blank=True, default="")
    customer_name = models.CharField(max_length=200, blank=True, default="")
    client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="invoices"
    )
    date = models.DateField(null=True, blank=True)
    posted_on = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    description = models.CharField(max_length=1000, blank=True, default="")
    total = models.DecimalField(**MONEY, default=ZERO)
    amount_paid = models.DecimalField(**MONEY, default=ZERO)
    amount_due = models.DecimalField(**MONEY, default=ZERO)
    state = models.CharField(max_length=20, choices=InvoiceState.choices, default=InvoiceState.OPEN)
    currency = models.CharField(max_length=3, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-date", "-id"]

    def __str__(self) -> str:
        return self.number or f"Invoice {self.pk}"

    @property
    def payable(self) -> bool:
        return self.state in (InvoiceState.OPEN, InvoiceState.PARTIALLY_PAID) and self.amount_due > ZERO


class InvoiceLine(models.Model):
    """An ARINVOICEITEM, replaced with its invoice by every pull."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    recordno = models.BigIntegerField(null=True, blank=True)
    account_number = models.CharField(max_length=24, blank=True, default="")
    account_title = models.CharField(max_length=200, blank=True, default="")
    description = models.CharField(max_length=1000, blank=True, default="")
    amount = models.DecimalField(**MONEY, default=ZERO)
    amount_paid = models.DecimalField(**MONEY, default=ZERO)
    department_id = models.CharField(max_length=60, blank=True, default="")
    location_id = models.CharField(max_length=60, blank=True, default="")

    class Meta:
        ordering: ClassVar = ["invoice", "line_no"]

    def __str__(self) -> str:
        return f"{self.invoice} line {self.line_no}"


class InvoiceImage(models.Model):
    """Intacct's PDF of an invoice (retrievepdf), kept until the invoice changes in Intacct."""

    invoice = models.OneToOneField(Invoice, on_delete=models.CASCADE, related_name="image")
    # what the copy was made from: the invoice's WHENMODIFIED and the hash of its mapped values;
    # either changing means Intacct's copy may differ, so the next view fetches it again
    source_version = models.CharField(max_length=200)
    pdf = models.BinaryField()
    fetched_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"image of {self.invoice}"


class PaymentMethod(models.TextChoices):
    # Intacct's AR payment methods (docs/intacct/objects.md §12)
    CHECK = "Printed Check", "Check"
    CASH = "Cash", "Cash"
    EFT = "EFT", "EFT / bank transfer"
    CREDIT_CARD = "Credit Card", "Credit card"


class PaymentState(models.TextChoices):
    PENDING = "pending", "Pending"  # recorded here, not sent yet
    SENT = "sent", "Sent"  # handed to Intacct, answer awaited
    APPLIED = "applied", "Applied"  # Intacct confirmed: applied to the invoices
    FAILED = "failed", "Failed"  # refused (by Intacct or our checks): needs a fix and an explicit retry
    UNKNOWN = "unknown", "Unknown"  # Intacct's answer was lost; read back before any re-send


class Payment(models.Model):
    """A customer payment recorded in the app, applied to one or more of that customer's invoices."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="payments")
    customer_id = models.CharField(max_length=60)
    customer_name = models.CharField(max_length=200, blank=True, default="")
    client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    method = models.CharField(max_length=30, choices=PaymentMethod.choices, default=PaymentMethod.CHECK)
    date = models.DateField(default=timezone.localdate)
    reference = models.CharField(max_length=60, blank=True, default="")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, blank=True, default="")
    state = models.CharField(max_length=10, choices=PaymentState.choices, default=PaymentState.PENDING)
    last_errorno = models.CharField(max_length=40, blank=True, default="")
    last_error = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    created_by = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Payment {self.pk} of {self.amount} {self.currency} from {self.customer_id}"

    @property
    def retryable(self) -> bool:
        return self.state in (PaymentState.FAILED, PaymentState.UNKNOWN)


class PaymentApplication(models.Model):
    """The part of a payment applied to one invoice."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="applications")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="applications")
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering: ClassVar = ["id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["payment", "invoice"], name="one_application_per_invoice")
        ]

    def __str__(self) -> str:
        return f"{self.amount} of {self.payment} to {self.invoice}"


class AdjustmentState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    POSTED = "posted", "Posted"
    FAILED = "failed", "Failed"
    UNKNOWN = "unknown", "Unknown"


class Adjustment(models.Model):
    """A credit adjustment (an Intacct credit memo, ARADJUSTMENT) for a customer, optionally against
    one invoice. Amounts are entered positive; Intacct receives them as negative (credit) lines."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="ar_adjustments")
    customer_id = models.CharField(max_length=60)
    customer_name = models.CharField(max_length=200, blank=True, default="")
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.SET_NULL, related_name="adjustments"
    )
    date = models.DateField(default=timezone.localdate)
    memo = models.CharField(max_length=1000, blank=True, default="")
    # the invoice number sent as Intacct's invoiceno (kept even if the invoice disappears locally)
    invoice_number = models.CharField(max_length=60, blank=True, default="")
    entity_id = models.CharField(max_length=40, blank=True, default="")
    currency = models.CharField(max_length=3, blank=True, default="")
    state = models.CharField(max_length=10, choices=AdjustmentState.choices, default=AdjustmentState.PENDING)
    last_errorno = models.CharField(max_length=40, blank=True, default="")
    last_error = models.TextField(blank=True, default="")
    created_by = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Adjustment {self.pk} for {self.customer_id}"

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines.all()), ZERO)


class AdjustmentLine(models.Model):
    adjustment = models.ForeignKey(Adjustment, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    recordno = models.BigIntegerField(null=True, blank=True)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**MONEY)
    memo = models.CharField(max_length=1000, blank=True, default="")

    class Meta:
        ordering: ClassVar = ["adjustment", "line_no"]

    def __str__(self) -> str:
        return f"{self.adjustment} line {self.line_no}"
