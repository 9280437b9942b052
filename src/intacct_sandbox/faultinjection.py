"""Injected faults: deterministic by seed, global or per company.

Each rule draws from its own ``random.Random(seed)`` once per request it could apply to, so a test
that sends the same requests sees the same faults. Kinds:

- ``latency`` (params ``fixed_ms``, ``per_record_ms``): added delay before the answer
- ``rate-limit``: HTTP 429 with a GW-0010 body; nothing runs
- ``http-502`` / ``http-503`` / ``http-504`` / ``http-524``: that status with no XML; nothing runs
  for 502/503/504; **524 runs the work first** (a CDN cut the connection while Intacct kept going)
- ``reset-before-commit``: the connection is dropped and nothing runs
- ``reset-after-commit``: the work commits, then the connection is dropped without an answer
- ``truncated``: the answer is cut in half; ``malformed``: the answer is not well-formed XML
- ``concurrency`` (param ``limit``): the company's concurrent-request limit (default from the company)
- ``session-expiry``: every API session counts as expired
- ``http-401``: HTTP 401 with the bare XMLGW_JPP0002 "Sign-in information is incorrect" body
- ``http-400``: HTTP 400 with the bare GW-0011 "Invalid Request" body
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any

KINDS = (
    "latency",
    "rate-limit",
    "http-502",
    "http-503",
    "http-504",
    "http-524",
    "reset-before-commit",
    "reset-after-commit",
    "truncated",
    "malformed",
    "concurrency",
    "session-expiry",
    "http-401",
    "http-400",
)
#: faults that answer instead of running the request
BEFORE = ("rate-limit", "http-400", "http-401", "http-502", "http-503", "http-504", "reset-before-commit")
#: faults that change the answer of a request that ran
AFTER = ("http-524", "reset-after-commit", "truncated", "malformed")
PARAMS = {"latency": {"fixed_ms", "per_record_ms"}, "concurrency": {"limit"}}


@dataclass
class FaultRule:
    kind: str
    rate: float = 1.0
    seed: int = 1
    company_id: str | None = None
    params: dict[str, float] = field(default_factory=dict)
    rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def applies(self, company_id: str | None) -> bool:
        return self.company_id is None or (
            company_id is not None and self.company_id.lower() == company_id.lower()
        )

    def fires(self) -> bool:
        # always draw, so the sequence does not depend on the rate
        return self.rng.random() < self.rate

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rate": self.rate,
            "seed": self.seed,
            "company_id": self.company_id,
            **self.params,
        }


class FaultError(ValueError):
    pass


class FaultInjector:
    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def add(
        self, kind: str, rate: float = 1.0, seed: int = 1, company_id: str | None = None, **params: float
    ) -> FaultRule:
        if kind not in KINDS:
            raise FaultError(f"unknown fault kind {kind!r}; kinds: {', '.join(KINDS)}")
        if not 0.0 <= float(rate) <= 1.0:
            raise FaultError("rate must be between 0 and 1")
        unknown = set(params) - PARAMS.get(kind, set())
        if unknown:
            raise FaultError(f"fault {kind} takes no parameter {', '.join(sorted(unknown))}")
        if kind == "concurrency" and int(params.get("limit", 0)) < 1:
            raise FaultError("concurrency needs limit >= 1")
        rule = FaultRule(kind, float(rate), int(seed), company_id, {k: float(v) for k, v in params.items()})
        with self._lock:
            self._rules = [r for r in self._rules if not (r.kind == kind and r.company_id == company_id)]
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self._rules = []

    def rules(self) -> list[dict[str, Any]]:
        return [r.describe() for r in self._rules]

    def first(self, kinds: tuple[str, ...], company_id: str | None) -> FaultRule | None:
        """The first rule among ``kinds`` that fires for this request (each candidate draws once)."""
        hit: FaultRule | None = None
        with self._lock:
            for rule in self._rules:
                if rule.kind in kinds and rule.applies(company_id) and rule.fires() and hit is None:
                    hit = rule
        return hit

    def concurrency_limit(self, company_id: str | None) -> int | None:
        with self._lock:
            for rule in self._rules:
                if rule.kind == "concurrency" and rule.applies(company_id):
                    return int(rule.params["limit"])
        return None

    def latency(self, company_id: str | None) -> tuple[float, float]:
        """(fixed seconds, seconds per record) of the latency rule that fires, or zeros."""
        rule = self.first(("latency",), company_id)
        if rule is None:
            return 0.0, 0.0
        return rule.params.get("fixed_ms", 0.0) / 1000, rule.params.get("per_record_ms", 0.0) / 1000
