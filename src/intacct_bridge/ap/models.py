"""Bills (APBILL) and their lines (APBILLITEM).

A bill entered in the app is a draft until someone marks it *ready to pay*; the next sync creates it
in Intacct once, after which Intacct owns it: its state, totals and payments come back with every
pull. ``intacct_state`` stays empty until Intacct has the bill.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.db import models

from intacct_bridge.records.models import Account, Department, Vendor
from intacct_bridge.workspaces.models import Workspace

ZERO = Decimal("0.00")


class IntacctState(models.TextChoices):
    """APBILL STATE as Intacct reports it (display values)."""

    DRAFT = "Draft", "Draft"
    SUBMITTED = "Submitted", "Submitted"
    POSTED = "Posted", "Posted"
    PARTIALLY_PAID = "Partially Paid", "Partially paid"
    PAID = "Paid", "Paid"
    REVERSED = "Reversed", "Reversed"


class Bill(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="bills")
    # nullable only so an imported bill whose vendor cannot be resolved is kept (with an issue),
    # never lost; the app's forms and API always require one
    vendor = models.ForeignKey(Vendor, null=True, blank=True, on_delete=models.PROTECT, related_name="bills")
    bill_number = models.CharField(max_length=60, blank=True, default="")
    bill_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    gl_posting_date = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True, default="")
    currency = models.CharField(max_length=3, default="USD")
    total = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    amount_paid = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    amount_due = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    # "" until Intacct has the bill; then Intacct's STATE (Posted, Partially Paid, Paid, ...)
    intacct_state = models.CharField(max_length=20, blank=True, default="")
    # app-only: a person (or host product) says the bill may go to Intacct for payment
    ready_to_pay = models.BooleanField(default=False)
    # the Intacct entity that owns the bill (MEGAENTITYID; "" = top level)
    entity = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-bill_date", "-id"]
        indexes: ClassVar = [models.Index(fields=["workspace", "vendor", "bill_number"])]

    def __str__(self) -> str:
        number = self.bill_number or f"#{self.pk}"
        return f"Bill {number}" + (f" · {self.vendor.name}" if self.vendor is not None else "")

    @property
    def in_intacct(self) -> bool:
        return bool(self.intacct_state)

    @property
    def status_label(self) -> str:
        """What the bill is, for people: Intacct's state once there, else where it is on its way."""
        if self.intacct_state:
            return self.intacct_state
        return "Ready to pay" if self.ready_to_pay else "Draft in the app"

    def lines_total(self) -> Decimal:
        return sum((line.amount for line in self.lines.all()), ZERO)


class BillLine(models.Model):
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    recordno = models.BigIntegerField(null=True, blank=True)
    # PROTECT: old bills keep pointing at accounts even after they turn inactive
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    memo = models.CharField(max_length=400, blank=True, default="")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    location_id = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering: ClassVar = ["line_no", "id"]

    def __str__(self) -> str:
        return f"line {self.line_no}: {self.amount}"
