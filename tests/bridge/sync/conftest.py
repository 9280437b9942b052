"""Helpers for the sync tests: a client factory bound to the sandbox and short run helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from intacct_bridge.workspaces.models import Workspace


@pytest.fixture
def company(intacct_sandbox: Any) -> str:
    return str(intacct_sandbox.credentials["company_id"])


@pytest.fixture
def remote(intacct_sandbox: Any, company: str) -> Callable[[str], list[dict[str, Any]]]:
    """remote("CUSTOMER") -> the sandbox's stored records of that object."""

    def records(obj: str) -> list[dict[str, Any]]:
        return list(intacct_sandbox.control.records(company, obj))

    return records


@pytest.fixture
def ws(connected_workspace: Workspace) -> Workspace:
    return connected_workspace


@pytest.fixture(autouse=True)
def immediate_huey() -> Any:
    """Huey tasks run inline in these tests (a real consumer is exercised by the process tests)."""
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = before
