"""pytest fixtures for the Intacct sandbox (entry point ``pytest11: intacct_sandbox``).

- ``intacct_sandbox_server`` (session): a running SandboxServer on 127.0.0.1, port 0
- ``intacct_sandbox`` (function): a SandboxHandle on that server with the state reset, faults
  cleared, the clock real, and the demo company seeded (seed 1)

    def test_reads(intacct_sandbox):
        creds = intacct_sandbox.credentials        # endpoint, sender, company, user, entities, GL accounts
        intacct_sandbox.control.mutate(creds["company_id"], "CUSTOMER", change=3)
        intacct_sandbox.control.fault("rate-limit", rate=0.5, seed=7)

Imports of the sandbox happen inside the fixtures, so merely having the plugin installed costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from intacct_sandbox.control import Control
    from intacct_sandbox.sandbox import Sandbox
    from intacct_sandbox.server import SandboxServer


@dataclass
class SandboxHandle:
    sandbox: Sandbox
    server: SandboxServer
    credentials: dict[str, Any]

    @property
    def control(self) -> Control:
        return self.sandbox.control

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def endpoint(self) -> str:
        return self.server.endpoint


@pytest.fixture(scope="session")
def intacct_sandbox_server() -> Iterator[SandboxServer]:
    from intacct_sandbox.server import SandboxServer

    with SandboxServer(host="127.0.0.1", port=0) as server:
        yield server


@pytest.fixture
def intacct_sandbox(intacct_sandbox_server: SandboxServer) -> Iterator[SandboxHandle]:
    sandbox = intacct_sandbox_server.sandbox
    sandbox.control.reset()
    sandbox.set_clock(None)
    credentials = sandbox.seed_demo(seed=1)
    yield SandboxHandle(sandbox, intacct_sandbox_server, credentials)
    sandbox.control.clear_faults()
