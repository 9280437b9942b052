"""The Sandbox: one emulated Intacct instance (record store, company model, clock, faults) with its
WSGI app and control handle."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from intacct_sandbox.faultinjection import FaultInjector
from intacct_sandbox.gateway.app import GatewayApp
from intacct_sandbox.gateway.service import DEFAULT_MAX_BODY, Gateway
from intacct_sandbox.store import RecordStore


class Sandbox:
    """``Sandbox()`` keeps state in memory; ``Sandbox(path="x.sqlite3")`` persists it in SQLite.

    ``control_token``: when set, the HTTP control plane requires header ``X-Sandbox-Token``.
    ``allow_remote_control``: the HTTP control plane answers only loopback clients unless True.
    """

    def __init__(
        self,
        path: str | None = None,
        *,
        max_body: int = DEFAULT_MAX_BODY,
        control_token: str | None = None,
        allow_remote_control: bool = False,
    ) -> None:
        import intacct_sandbox.functions  # noqa: F401  (registers every function handler)
        from intacct_sandbox.control import Control, ControlHTTP

        self.path = path
        self.store = RecordStore(path)
        self.lock = threading.RLock()
        self.faults = FaultInjector()
        for rule in self.store.get_meta("gw:faults", []) or []:
            rule = dict(rule)
            self.faults.add(
                rule.pop("kind"), rule.pop("rate"), rule.pop("seed"), rule.pop("company_id"), **rule
            )
        self._fixed: datetime | None = None
        self._offset = timedelta()
        self.gateway = Gateway(self.store, self.now, self.faults, self.lock, max_body)
        self.control = Control(self)
        self.wsgi_app = GatewayApp(
            self.gateway, ControlHTTP(self.control, control_token, allow_remote_control)
        )
        #: set by a running SandboxServer: "http://127.0.0.1:PORT"
        self.base_url: str | None = None
        self._load_clock()
        self._sync_result_clock()

    def now(self) -> datetime:
        """The sandbox clock: real UTC time, or the time set with set_clock, plus any advance."""
        base = self._fixed if self._fixed is not None else datetime.now(UTC)
        return (base + self._offset).replace(microsecond=0)

    def set_clock(self, when: datetime | None) -> None:
        if when is not None and when.tzinfo is None:
            raise ValueError("set_clock needs a timezone-aware datetime")
        self._fixed = None if when is None else when.astimezone(UTC)
        self._offset = timedelta()
        self._save_clock()

    def advance_clock(self, seconds: float) -> None:
        self._offset += timedelta(seconds=seconds)
        self._save_clock()

    def _save_clock(self) -> None:
        # kept with the state, like the faults: a CLI command on a state file moves a later server's clock
        value = {
            "fixed": None if self._fixed is None else self._fixed.isoformat(),
            "offset": self._offset.total_seconds(),
        }
        with self.lock:
            self.store.begin()
            if self._fixed is None and not self._offset:
                self.store.delete_meta("gw:clock")
            else:
                self.store.set_meta("gw:clock", value)
            self.store.commit()
        self._sync_result_clock()

    def _load_clock(self) -> None:
        saved = self.store.get_meta("gw:clock")
        if saved:
            self._fixed = None if saved.get("fixed") is None else datetime.fromisoformat(saved["fixed"])
            self._offset = timedelta(seconds=float(saved.get("offset", 0)))

    def _sync_result_clock(self) -> None:
        # readMore result sets expire by the sandbox clock
        self.store.results._clock = lambda: self.now().timestamp()

    @property
    def endpoint(self) -> str | None:
        return None if self.base_url is None else self.base_url + "/ia/xml/xmlgw.phtml"

    def seed_demo(self, company_id: str | None = None, seed: int = 1, **sizes: Any) -> dict[str, Any]:
        return self.control.seed_demo(company_id, seed=seed, **sizes)

    def close(self) -> None:
        with self.lock:
            self.store.close()
