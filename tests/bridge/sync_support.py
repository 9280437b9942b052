"""Plain helpers shared by the sync tests."""

from __future__ import annotations

from typing import Any

from intacct_bridge.sync import service
from intacct_bridge.workspaces.models import Workspace


def keys_of(records: list[dict[str, Any]], n: int) -> list[int]:
    return sorted(int(r["RECORDNO"]) for r in records)[:n]


def do_import(ws: Workspace, family: str, ids: list[int] | None, **options: Any) -> Any:
    return service.import_records(ws, family, ids, options=options)


def delete_one(ws: Workspace, obj: str, candidates: list[int]) -> int:
    """Delete the first candidate Intacct lets go of (others are used by invoices or projects)."""
    from intacct_bridge.workspaces.connection import client_for

    with client_for(ws) as intacct:
        for recordno in candidates:
            if intacct.delete(obj, [recordno])[0].ok:
                return recordno
    raise AssertionError(f"no deletable {obj} among {candidates}")
