"""Fixtures of the tests of the timesheets app (timesheets, project invoices)."""

from __future__ import annotations

from typing import Any

import pytest
from time_support import prepare_time_ws


@pytest.fixture
def time_ws(ws: Any) -> Any:
    """The sandbox-connected workspace with the time families on (``time_support.prepare_time_ws``)."""
    return prepare_time_ws(ws)
