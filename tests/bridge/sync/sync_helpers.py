"""Plain helpers shared by the sync tests."""

from __future__ import annotations

from typing import Any

from intacct_bridge.sync import service
from intacct_bridge.workspaces.models import Workspace


def keys_of(records: list[dict[str, Any]], n: int) -> list[int]:
    return sorted(int(r["RECORDNO"]) for r in records)[:n]


def do_import(ws: Workspace, family: str, ids: list[int] | None, **options: Any) -> Any:
    return service.import_records(ws, family, ids, options=options)
