"""Fixtures of the tests of the engine."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _inline_huey(immediate_huey: Any) -> Any:
    return immediate_huey
