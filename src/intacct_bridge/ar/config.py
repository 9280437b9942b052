"""Saving the accounting configuration (Configurations > Billing > Accounting) with its checks: both
GL accounts come from this workspace's imported chart, the undeposited-funds one is an active
bank/cash-type account (``rules.is_cash_account``), the AR one an active balance-sheet account."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from intacct_bridge.ar.models import ArSettings
from intacct_bridge.ar.rules import Problems, undeposited_account_problems
from intacct_bridge.records.models import Account
from intacct_bridge.workspaces.models import Workspace

ENTITY_ID = re.compile(r"^[A-Za-z0-9_\-]{1,40}$")


@dataclass(frozen=True)
class SettingsInput:
    ar_account_id: int | None
    undeposited_account_id: int | None
    use_intacct_image: bool = False
    adjustments_enabled: bool = False
    adjustment_entity_id: str = ""


def _account(workspace: Workspace, account_id: int | None) -> Account | None:
    if account_id is None:
        return None
    return Account.objects.filter(workspace=workspace, pk=account_id).first()


def check(workspace: Workspace, data: SettingsInput) -> tuple[Problems, Account | None, Account | None]:
    problems: Problems = []
    ar = _account(workspace, data.ar_account_id)
    undeposited = _account(workspace, data.undeposited_account_id)
    if data.ar_account_id is not None and ar is None:
        problems.append(
            (
                "IB-AR-ACCOUNTS",
                "The accounts-receivable account is not in this workspace's chart of accounts.",
            )
        )
    elif ar is not None and not ar.active:
        problems.append(("IB-AR-ACCOUNTS", f"The accounts-receivable account {ar} is inactive in Intacct."))
    elif ar is not None and ar.account_type.lower() != "balancesheet":
        problems.append(
            ("IB-AR-ACCOUNTS", f"The accounts-receivable account {ar} is not a balance-sheet account.")
        )
    if data.undeposited_account_id is not None and undeposited is None:
        problems.append(
            (
                "IB-AR-UNDEPOSITED",
                "The undeposited-funds account is not in this workspace's chart of accounts.",
            )
        )
    elif undeposited is not None:
        problems += undeposited_account_problems(undeposited)
    if ar is not None and undeposited is not None and ar.pk == undeposited.pk:
        problems.append(
            ("IB-AR-ACCOUNTS", "The accounts-receivable and undeposited-funds accounts must differ.")
        )
    entity = data.adjustment_entity_id.strip()
    if entity and not ENTITY_ID.match(entity):
        problems.append(("IB-AR-ENTITY", f"{entity!r} is not an entity ID (letters, digits, - and _)."))
    return problems, ar, undeposited


def save(workspace: Workspace, data: SettingsInput, by: str = "") -> tuple[ArSettings, Problems]:
    """Saves only when every check passes; returns the (possibly unchanged) settings and the problems."""
    settings = ArSettings.of(workspace)
    problems, ar, undeposited = check(workspace, data)
    if problems:
        return settings, problems
    settings.ar_account = ar
    settings.undeposited_account = undeposited
    settings.use_intacct_image = data.use_intacct_image
    settings.adjustments_enabled = data.adjustments_enabled
    settings.adjustment_entity_id = data.adjustment_entity_id.strip()
    settings.updated_by = by
    settings.save()
    return settings, []


def settings_dict(settings: ArSettings) -> dict[str, Any]:
    def account(a: Account | None) -> dict[str, Any] | None:
        return None if a is None else {"id": a.pk, "number": a.number, "title": a.title, "active": a.active}

    return {
        "ar_account": account(settings.ar_account),
        "undeposited_account": account(settings.undeposited_account),
        "use_intacct_image": settings.use_intacct_image,
        "adjustments_enabled": settings.adjustments_enabled,
        "adjustment_entity_id": settings.adjustment_entity_id,
        "updated_at": settings.updated_at.isoformat() if settings.updated_at else None,
    }
