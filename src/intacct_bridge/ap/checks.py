"""The AP families' Test connection notes: what in the company's setup decides whether vendors and
bills created in the app can reach Intacct exactly as the app sends them."""

from __future__ import annotations

from intacct import Client, F
from intacct_bridge.workspaces.models import Workspace
from intacct_bridge.workspaces.setup_check import Note

#: get_companyprefs application="AP": T when Intacct numbers vendors itself (document sequencing)
VENDOR_NUMBERING = "AUTONUMBER_VENDORID"


def vendor_numbering(client: Client) -> bool | None:
    """True / False from the company's Accounts Payable preferences; None when it does not say."""
    result = client.call("get_companyprefs", {"@application": "AP"})
    for record in result.records:
        if str(record.get("preference") or "").upper() == VENDOR_NUMBERING:
            return str(record.get("prefvalue") or "").strip().upper() in ("T", "TRUE", "YES")
    return None


def active_accounts(client: Client) -> int:
    return int(client.count("GLACCOUNT", F("STATUS").eq("active")))


def test_connection_check(client: Client, workspace: Workspace) -> list[Note]:
    notes: list[Note] = []
    enabled = set(workspace.families or [])
    if "vendors" in enabled or "bills" in enabled:
        numbering = vendor_numbering(client)
        if numbering:
            notes.append(
                (
                    "warning",
                    "Sage Intacct numbers vendors itself",
                    "Vendors created in the app take Intacct's vendor ID instead of IBV<id>, so a bill "
                    "for a vendor created in the same sync can fail until the next one, and a vendor "
                    "whose answer was lost cannot be found by its ID. Turn off vendor ID numbering in "
                    "Accounts Payable > Setup, or create new vendors in Intacct.",
                )
            )
        elif numbering is None:
            notes.append(
                (
                    "info",
                    "Vendor numbering: unknown",
                    "Intacct did not say whether it numbers vendors; app vendors are sent as IBV<id>.",
                )
            )
    if "bills" in enabled and active_accounts(client) == 0:
        notes.append(
            (
                "error",
                "The chart of accounts has no active account",
                "Bill lines need an active GL account: activate accounts in Sage Intacct (General "
                "Ledger > Chart of accounts), then sync the chart.",
            )
        )
    return notes
