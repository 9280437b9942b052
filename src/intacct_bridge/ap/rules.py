"""The bill rules checked before anything is sent to Intacct.

One set of rules for the New bill page, the JSON API and the sync's ``check_push``: what the app can
know by itself (an unknown or inactive vendor, an account that is inactive or no longer in the
chart, a total that is not positive, a bill number this vendor already used). Whatever only Intacct
knows (a closed period, a Smart Rule, a bill number known only there) comes back from Intacct with
its errorno and text when the bill is pushed.

Problem codes are remedy-catalogue errornos (``intacct_bridge.sync.remedies``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from intacct_bridge.ap.models import Bill, IntacctState
from intacct_bridge.records.models import Account, Vendor
from intacct_bridge.sync.models import Link, LinkState

#: (code, text), as ``Family.check_push`` returns them
Problems = list[tuple[str, str]]

VENDOR = "IB-VENDOR"  # no vendor, an inactive one, or one Intacct no longer has
ACCOUNT = "IB-ACCOUNT"  # a line without an account, or with one inactive / not in the chart
AMOUNT = "IB-AMOUNT"  # a total that is zero or negative
DUPLICATE = "IB-BILLNO"  # a bill number the vendor already used
REQUIRED = "IB-BILLDATE"  # a date Intacct needs, missing or before the bill date

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LineDraft:
    account: Account | None
    amount: Decimal


@dataclass(frozen=True)
class BillDraft:
    """What the rules look at, whether the bill is saved yet or not."""
    workspace: Any
    vendor: Vendor | None
    bill_number: str
    bill_date: date | None
    due_date: date | None
    lines: Sequence[LineDraft]
    pk: int | None = None  # the bill itself, when saved (not its own duplicate)


def draft_of(bill: Any, workspace: Any = None, lines: list[Any] | None = None) -> BillDraft:
    """The checkable shape of a saved bill; ``lines`` when the caller has them already (a sync's
    push batch reads every bill's lines in one query)."""
    rows = lines if lines is not None else list(bill.lines.select_related("account"))
    drafts = [LineDraft(line.account, line.amount) for line in rows]
    return BillDraft(
        workspace if workspace is not None else bill.workspace,
        bill.vendor,
        bill.bill_number,
        bill.bill_date,
        bill.due_date,
        drafts,
        bill.pk,
    )


class LinkStates:
    """Which local records of a family are linked / unlinked: read once for a whole push batch
    (a sync checks hundreds of bills against the same chart), or per call for one bill."""

    def __init__(self, workspace: Any) -> None:
        self.workspace = workspace
        self._states: dict[str, dict[int, str]] = {}

    def of(self, family: str) -> dict[int, str]:
        if family not in self._states:
            rows = Link.objects.filter(workspace=self.workspace, family=family)
            self._states[family] = dict(rows.values_list("local_id", "state"))
        return self._states[family]

    def linked(self, family: str, local_ids: set[int]) -> set[int]:
        states = self.of(family)
        return {i for i in local_ids if states.get(i) == LinkState.LINKED}

    def unlinked(self, family: str, local_ids: set[int]) -> set[int]:
        states = self.of(family)
        return {i for i in local_ids if states.get(i) == LinkState.UNLINKED}


class _OneShot(LinkStates):
    """For a single bill (a page, an API call): ask only about the ids at hand."""
    def _rows(self, family: str, local_ids: set[int], state: str) -> set[int]:
        if not local_ids:
            return set()
        rows = Link.objects.filter(
            workspace=self.workspace, family=family, local_id__in=local_ids, state=state
        )
        return set(rows.values_list("local_id", flat=True))

    def linked(self, family: str, local_ids: set[int]) -> set[int]:
        return self._rows(family, local_ids, LinkState.LINKED)

    def unlinked(self, family: str, local_ids: set[int]) -> set[int]:
        return self._rows(family, local_ids, LinkState.UNLINKED)


def vendor_problems(draft: BillDraft, links: LinkStates) -> Problems:
    vendor = draft.vendor
    if vendor is None:
        return [(VENDOR, "The bill has no vendor: choose one of the vendors (or create it first).")]
    if vendor.workspace_id != draft.workspace.pk:
        return [(VENDOR, "Unknown vendor: it is not one of this workspace's vendors.")]
    if not vendor.active:
        return [(VENDOR, f"Vendor {vendor.name!r} is inactive; Intacct takes no bills for it.")]
    if links.unlinked("vendors", {vendor.pk}):
        return [
            (VENDOR, f"Vendor {vendor.name!r} was removed from Intacct; link it again or choose another.")
        ]
    return []


def line_problems(draft: BillDraft, links: LinkStates) -> Problems:
    problems: Problems = []
    if not draft.lines:
        return [(ACCOUNT, "The bill has no lines: add at least one line with a GL account and an amount.")]
    accounts = {line.account.pk for line in draft.lines if line.account is not None}
    removed = links.unlinked("accounts", accounts)
    in_chart = links.linked("accounts", accounts)
    for n, line in enumerate(draft.lines, start=1):
        account = line.account
        if account is None:
            problems.append((ACCOUNT, f"Line {n} has no GL account."))
        elif (
            account.workspace_id != draft.workspace.pk or account.pk in removed or account.pk not in in_chart
        ):
            problems.append(
                (ACCOUNT, f"Line {n}: GL account {account.number} is not in the chart imported from Intacct.")
            )
        elif not account.active:
            problems.append(
                (ACCOUNT, f"Line {n}: GL account {account} is inactive in Intacct; choose an active account.")
            )
    return problems


def total_problems(draft: BillDraft) -> Problems:
    total = sum((line.amount for line in draft.lines), ZERO)
    if draft.lines and total <= ZERO:
        return [(AMOUNT, f"The bill's total is {total}; a bill must total more than zero.")]
    return []


def date_problems(draft: BillDraft) -> Problems:
    problems: Problems = []
    if draft.bill_date is None:
        problems.append((REQUIRED, "The bill has no bill date."))
    if draft.due_date is None:
        problems.append((REQUIRED, "The bill has no due date."))
    elif draft.bill_date is not None and draft.due_date < draft.bill_date:
        problems.append((REQUIRED, "The due date is before the bill date."))
    return problems


def duplicate_problems(draft: BillDraft) -> Problems:
    """Another bill of the same vendor with the same number: the one already in Intacct (or the
    older one) keeps the number; this one is held back."""
    if draft.vendor is None or not draft.bill_number.strip():
        return []
    others = Bill.objects.filter(
        workspace=draft.workspace, vendor=draft.vendor, bill_number__iexact=draft.bill_number.strip()
    ).exclude(intacct_state=IntacctState.REVERSED)
    if draft.pk is not None:
        mine = Bill.objects.filter(pk=draft.pk).values_list("intacct_state", flat=True).first()
        if mine:  # already in Intacct: Intacct settled it
            return []
        others = others.exclude(pk=draft.pk).exclude(intacct_state="", pk__gt=draft.pk)
    first = others.order_by("pk").first()
    if first is None:
        return []
    where = f"in Intacct ({first.intacct_state})" if first.intacct_state else "in the app"
    return [
        (
            DUPLICATE,
            f"Vendor {draft.vendor.name!r} already has bill number {draft.bill_number!r} "
            f"(bill {first.pk}, {where}).",
        )
    ]


def problems_of(draft: BillDraft, links: LinkStates | None = None) -> Problems:
    links = links if links is not None else _OneShot(draft.workspace)
    return [
        *vendor_problems(draft, links),
        *line_problems(draft, links),
        *total_problems(draft),
        *date_problems(draft),
        *duplicate_problems(draft),
    ]


def check_bill(bill: Any, links: LinkStates | None = None, lines: list[Any] | None = None) -> Problems:
    return problems_of(draft_of(bill, links.workspace if links is not None else None, lines), links)
