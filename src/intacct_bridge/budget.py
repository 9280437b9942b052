"""One Intacct concurrency budget per company, shared by every thread and process of the instance.

Intacct refuses requests over a company's concurrent-request limit (HTTP 429, GW-0010), and every
workspace bound to that company draws on the same limit. A client's own in-process limiter cannot
see the other workers, so this module implements the client's limiter seam
(``intacct.Limiter``: ``slot(key)``) over one shared budget:

* ``RedisBudget`` when Redis is configured (``REDIS_URL``): holders are leases in a sorted set that
  expire unless renewed (a killed worker's slot comes back after ``lease`` seconds), waiters queue
  in Redis, and one Lua script decides who goes next, atomically, for every host.
* ``LocalBudget`` on the embedded default (one worker process): the same queueing in memory.

Fair scheduling, decided where the slot is granted:

1. priority first: writes and prompt pushes (``Priority.WRITE``) before syncs (``SYNC``) before
   bulk imports (``BULK``);
2. within a priority, workspaces take turns: each waiter gets a turn number one past its
   workspace's previous one (but never behind the company's current turn), so a workspace with many
   queued requests cannot keep the slots while another workspace waits;
3. then first come, first served.

The caller (workspace and priority) travels in a contextvar the service sets around a run or a push
(``acting_for``), so the client library needs no change. The client sends batches from its own thread
pool, where the contextvar is not set: there the workspace's current priority is looked up in a
process-wide table ``acting_for`` also keeps (a workspace runs one sync at a time, see
``sync/claims.py``).

The limit of a company: ``INTACCT_BRIDGE_CONCURRENCY`` (default 2, Intacct's usual limit) or its entry
in ``INTACCT_BRIDGE_CONCURRENCY_BY_COMPANY`` (``ACME=4,GLOBEX=1``; company IDs case-insensitive).
"""

from __future__ import annotations

import enum
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger("intacct_bridge.budget")

DEFAULT_LIMIT = 2
DEFAULT_LEASE = 30.0  # seconds a slot outlives its holder's last renewal
KEY_PREFIX = "ib:budget"


class Priority(enum.IntEnum):
    WRITE = 0  # pushes of app changes, payments, creates: a person is waiting for them
    SYNC = 1  # scheduled syncs and Sync now
    BULK = 2  # imports of many records


def priority_for(trigger: str) -> Priority:
    """The priority of a run by its trigger (``sync.models.Trigger`` values)."""
    if trigger in ("push", "link", "retry"):
        return Priority.WRITE
    if trigger == "import":
        return Priority.BULK
    return Priority.SYNC


@dataclass(frozen=True)
class Caller:
    workspace: str
    priority: Priority


_caller: ContextVar[Caller | None] = ContextVar("intacct_bridge_budget_caller", default=None)
_acting: dict[str, list[Priority]] = {}
_acting_lock = threading.Lock()


@contextmanager
def acting_for(workspace: str, priority: Priority | str) -> Iterator[Caller]:
    """Requests made inside (by any thread working for ``workspace``) queue with this priority."""
    if isinstance(priority, str):
        priority = priority_for(priority)
    caller = Caller(workspace, priority)
    token = _caller.set(caller)
    with _acting_lock:
        _acting.setdefault(workspace, []).append(priority)
    try:
        yield caller
    finally:
        _caller.reset(token)
        with _acting_lock:
            stack = _acting.get(workspace, [])
            if stack:
                stack.pop()
            if not stack:
                _acting.pop(workspace, None)


def current_caller(workspace: str = "") -> Caller:
    caller = _caller.get()
    if caller is not None and (not workspace or caller.workspace == workspace):
        return caller
    with _acting_lock:
        stack = _acting.get(workspace)
        priority = stack[-1] if stack else Priority.SYNC
    return Caller(workspace, priority)


def _parse_limits(text: str) -> dict[str, int]:
    limits: dict[str, int] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        company, sep, value = item.partition("=")
        if not sep or not value.strip().isdigit() or int(value) < 1:
            raise ValueError(
                f"INTACCT_BRIDGE_CONCURRENCY_BY_COMPANY: {item.strip()!r} is not COMPANY=N with N >= 1"
            )
        limits[company.strip().lower()] = int(value)
    return limits


@dataclass
class Limits:
    """Concurrent requests allowed per company."""

    default: int = DEFAULT_LIMIT
    by_company: dict[str, int] = field(default_factory=dict)

    def __call__(self, company: str) -> int:
        return self.by_company.get(company.lower(), self.default)

    @classmethod
    def from_env(cls) -> Limits:
        default = int(os.environ.get("INTACCT_BRIDGE_CONCURRENCY") or DEFAULT_LIMIT)
        if default < 1:
            raise ValueError(f"INTACCT_BRIDGE_CONCURRENCY must be >= 1, got {default}")
        return cls(default, _parse_limits(os.environ.get("INTACCT_BRIDGE_CONCURRENCY_BY_COMPANY", "")))


class Budget(Protocol):
    def hold(self, company: str, caller: Caller) -> AbstractContextManager[object]: ...

    def in_flight(self) -> dict[str, int]: ...

    def waiting(self) -> dict[str, int]: ...


class BoundLimiter:
    """The ``intacct.Limiter`` of one workspace's client: every slot comes from the shared budget."""

    def __init__(self, budget: Budget, workspace: str) -> None:
        self.budget = budget
        self.workspace = workspace

    def slot(self, key: str) -> AbstractContextManager[object]:
        return self.budget.hold(key, current_caller(self.workspace))


# ---- in memory (embedded default) -------------------------------------------------------------


@dataclass(order=True)
class _Waiter:
    priority: int
    turn: int
    seq: int
    workspace: str = field(compare=False)


@dataclass
class _Company:
    cond: threading.Condition
    holders: int = 0
    waiters: list[_Waiter] = field(default_factory=list)
    turns: dict[str, int] = field(default_factory=dict)
    now_turn: int = 0
    seq: int = 0


class LocalBudget:
    """The budget within one process (SQLite/Huey default: one worker process runs the syncs)."""

    def __init__(self, limits: Callable[[str], int] | None = None) -> None:
        self.limits = limits or Limits.from_env()
        self._lock = threading.Lock()
        self._companies: dict[str, _Company] = {}

    def _company(self, key: str) -> _Company:
        with self._lock:
            state = self._companies.get(key)
            if state is None:
                state = self._companies[key] = _Company(threading.Condition(threading.Lock()))
            return state

    def _may_go(self, state: _Company, waiter: _Waiter, limit: int) -> bool:
        free = limit - state.holders
        return free > 0 and waiter in sorted(state.waiters)[:free]

    @contextmanager
    def hold(self, company: str, caller: Caller) -> Iterator[object]:
        key = company.lower()
        state = self._company(key)
        limit = self.limits(key)
        with state.cond:
            state.seq += 1
            turn = max(state.turns.get(caller.workspace, 0), state.now_turn) + 1
            state.turns[caller.workspace] = turn
            waiter = _Waiter(int(caller.priority), turn, state.seq, caller.workspace)
            state.waiters.append(waiter)
            try:
                while not self._may_go(state, waiter, limit):
                    state.cond.wait()
            except BaseException:
                state.waiters.remove(waiter)
                state.cond.notify_all()  # the ones behind may go now
                raise
            state.waiters.remove(waiter)
            state.holders += 1
            state.now_turn = max(state.now_turn, turn)
        try:
            yield waiter
        finally:
            with state.cond:
                state.holders -= 1
                state.cond.notify_all()

    def in_flight(self) -> dict[str, int]:
        with self._lock:
            return {key: s.holders for key, s in self._companies.items() if s.holders}

    def waiting(self) -> dict[str, int]:
        with self._lock:
            return {key: len(s.waiters) for key, s in self._companies.items() if s.waiters}


# ---- Redis (every process, every host) --------------------------------------------------------

# KEYS: 1 holders (zset token -> lease expiry ms), 2 waiter expiry (zset member -> ms),
#       3 turns (hash "ws:<slug>" -> last turn, "__now" -> company turn, "__seq"),
#       4..6 waiters per priority (zset member -> turn; member = zero-padded seq ":" token)
# ARGV: 1 token, 2 member or "", 3 workspace, 4 priority, 5 lease ms, 6 limit, 7 waiter ttl ms, 8 key ttl s
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local dead = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, m in ipairs(dead) do
  redis.call('ZREM', KEYS[4], m)
  redis.call('ZREM', KEYS[5], m)
  redis.call('ZREM', KEYS[6], m)
  redis.call('ZREM', KEYS[2], m)
end
local member = ARGV[2]
local queue = KEYS[4 + tonumber(ARGV[4])]
if member == '' or not redis.call('ZSCORE', queue, member) then
  local seq = redis.call('HINCRBY', KEYS[3], '__seq', 1)
  member = string.format('%015d', seq) .. ':' .. ARGV[1]
  local now_turn = tonumber(redis.call('HGET', KEYS[3], '__now') or '0')
  local last = tonumber(redis.call('HGET', KEYS[3], 'ws:' .. ARGV[3]) or '0')
  local turn = math.max(last, now_turn) + 1
  redis.call('HSET', KEYS[3], 'ws:' .. ARGV[3], turn)
  redis.call('ZADD', queue, turn, member)
end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[7]), member)
for i = 1, 6 do redis.call('EXPIRE', KEYS[i], tonumber(ARGV[8])) end
local free = tonumber(ARGV[6]) - redis.call('ZCARD', KEYS[1])
if free <= 0 then return {0, member} end
local ahead = 0
for q = 4, 6 do
  if ahead >= free then break end
  local heads = redis.call('ZRANGE', KEYS[q], 0, free - ahead - 1)
  for _, m in ipairs(heads) do
    if m == member then
      local turn = tonumber(redis.call('ZSCORE', queue, member))
      redis.call('ZREM', queue, member)
      redis.call('ZREM', KEYS[2], member)
      redis.call('ZADD', KEYS[1], now + tonumber(ARGV[5]), ARGV[1])
      local now_turn = tonumber(redis.call('HGET', KEYS[3], '__now') or '0')
      if turn > now_turn then redis.call('HSET', KEYS[3], '__now', turn) end
      return {1, member}
    end
    ahead = ahead + 1
  end
end
return {0, member}
"""

# KEYS: 1 holders, 2..4 waiters per priority; ARGV: 1 token, 2 limit, 3 wake key prefix
# Frees the slot and wakes the waiters now at the head of the queue (they still ask _ACQUIRE).
_RELEASE = """
redis.call('ZREM', KEYS[1], ARGV[1])
local free = tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[1])
local woken = 0
for q = 2, 4 do
  if woken >= free then break end
  for _, m in ipairs(redis.call('ZRANGE', KEYS[q], 0, free - woken - 1)) do
    local key = ARGV[3] .. m
    redis.call('RPUSH', key, '1')
    redis.call('PEXPIRE', key, 5000)
    woken = woken + 1
  end
end
return woken
"""

# KEYS: 1 holders; ARGV: 1 lease ms, 2.. tokens. Pushes the lease of held slots forward.
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local kept = 0
for i = 2, #ARGV do
  kept = kept + redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[i])
end
return kept
"""


class RedisBudget:
    """The budget shared through Redis. ``lease``: seconds a held slot survives a dead holder."""

    def __init__(
        self,
        redis: Any,
        limits: Callable[[str], int] | None = None,
        *,
        lease: float = DEFAULT_LEASE,
        poll: float = 0.25,
        prefix: str = KEY_PREFIX,
    ) -> None:
        if lease <= 0:
            raise ValueError("lease must be positive")
        self.redis = redis
        self.limits = limits or Limits.from_env()
        self.lease = lease
        self.poll = poll
        self.prefix = prefix
        self._acquire = redis.register_script(_ACQUIRE)
        self._release = redis.register_script(_RELEASE)
        self._renew = redis.register_script(_RENEW)
        self._held: dict[str, set[str]] = {}  # company key -> tokens held by this process
        self._held_lock = threading.Lock()
        self._renewer: threading.Thread | None = None
        self._stop = threading.Event()
        self._fallback = LocalBudget(self.limits)
        self._warned = False

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> RedisBudget:
        import redis

        return cls(redis.Redis.from_url(url), **kwargs)

    def _keys(self, company: str) -> list[str]:
        base = f"{self.prefix}:{{{company}}}"
        return [f"{base}:holders", f"{base}:wexp", f"{base}:turns", f"{base}:w0", f"{base}:w1", f"{base}:w2"]

    def _wake_prefix(self, company: str) -> str:
        return f"{self.prefix}:{{{company}}}:wake:"

    def _ensure_renewer(self) -> None:
        with self._held_lock:
            if self._renewer is None or not self._renewer.is_alive():
                self._stop.clear()
                self._renewer = threading.Thread(
                    target=self._renew_loop, name="intacct-budget-lease", daemon=True
                )
                self._renewer.start()

    def _renew_loop(self) -> None:
        while not self._stop.wait(self.lease / 3):
            with self._held_lock:
                held = {k: list(v) for k, v in self._held.items() if v}
            for company, tokens in held.items():
                try:
                    self._renew(keys=[self._keys(company)[0]], args=[int(self.lease * 1000), *tokens])
                except Exception:  # Redis briefly away: the next round tries again
                    log.warning("budget: could not renew the leases of %s", company, exc_info=True)

    def close(self) -> None:
        self._stop.set()

    @contextmanager
    def hold(self, company: str, caller: Caller) -> Iterator[object]:
        import redis

        try:
            slot = self._hold(company, caller)
            token = slot.__enter__()
        except (redis.ConnectionError, redis.TimeoutError):
            # Redis away: keep syncing within this process's share rather than fail every request
            if not self._warned:
                log.warning("budget: Redis unreachable; limiting %s within this process only", company)
                self._warned = True
            with self._fallback.hold(company, caller) as waiter:
                yield waiter
            return
        self._warned = False
        try:
            yield token
        except BaseException as exc:
            if not slot.__exit__(type(exc), exc, exc.__traceback__):
                raise
        else:
            slot.__exit__(None, None, None)

    @contextmanager
    def _hold(self, company: str, caller: Caller) -> Iterator[object]:
        key = company.lower()
        keys = self._keys(key)
        limit = self.limits(key)
        token = secrets.token_hex(8)
        member = ""
        wait_ttl = int(max(self.poll * 20, 5.0) * 1000)
        key_ttl = int(max(self.lease * 10, 3600))
        while True:
            granted, member_b = self._acquire(
                keys=keys,
                args=[
                    token,
                    member,
                    caller.workspace,
                    int(caller.priority),
                    int(self.lease * 1000),
                    limit,
                    wait_ttl,
                    key_ttl,
                ],
            )
            member = member_b.decode() if isinstance(member_b, bytes) else str(member_b)
            if granted:
                break
            # woken by a release, or look again after ``poll`` (a holder may have died)
            self.redis.blpop([self._wake_prefix(key) + member], timeout=self.poll)
        with self._held_lock:
            self._held.setdefault(key, set()).add(token)
        self._ensure_renewer()
        try:
            yield token
        finally:
            with self._held_lock:
                self._held.get(key, set()).discard(token)
            try:
                self.redis.delete(self._wake_prefix(key) + member)
                self._release(keys=[keys[0], *keys[3:]], args=[token, limit, self._wake_prefix(key)])
            except Exception:  # Redis away: the lease frees the slot when it runs out
                log.warning("budget: could not release a slot of %s", key, exc_info=True)

    def _scan(self, suffix: str) -> Iterator[tuple[str, str]]:
        for raw in self.redis.scan_iter(match=f"{self.prefix}:{{*}}:{suffix}", count=500):
            name = raw.decode() if isinstance(raw, bytes) else str(raw)
            company = name[len(self.prefix) + 2 : name.rindex("}")]
            yield company, name

    def in_flight(self) -> dict[str, int]:
        now_ms = time.time() * 1000  # close enough for a gauge; leases are seconds long
        out: dict[str, int] = {}
        for company, name in self._scan("holders"):
            n = int(self.redis.zcount(name, now_ms, "+inf"))
            if n:
                out[company] = n
        return out

    def waiting(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for company, name in self._scan("wexp"):
            n = int(self.redis.zcard(name))
            if n:
                out[company] = n
        return out


# ---- the service's factory ----------------------------------------------------------------------

_shared: Budget | None = None
_shared_lock = threading.Lock()


def _redis_url() -> str:
    try:
        from django.conf import settings

        url = str(getattr(settings, "REDIS_URL", "") or "")
    except Exception:  # used without Django (bench scripts)
        url = ""
    return url or os.environ.get("REDIS_URL", "")


def shared_budget() -> Budget:
    """The process's budget: Redis-backed when Redis is configured, else in memory."""
    global _shared
    with _shared_lock:
        if _shared is None:
            url = _redis_url()
            lease = float(os.environ.get("INTACCT_BRIDGE_BUDGET_LEASE") or DEFAULT_LEASE)
            _shared = RedisBudget.from_url(url, lease=lease) if url else LocalBudget()
        return _shared


def reset_shared_budget(budget: Budget | None = None) -> None:
    """Forget (or replace) the process's budget: tests, and settings changed at runtime."""
    global _shared
    with _shared_lock:
        _shared = budget


def limiter_for(workspace: str) -> BoundLimiter:
    """The limiter to give ``intacct.Client(limiter=...)`` for a client of ``workspace`` (its slug)."""
    return BoundLimiter(shared_budget(), workspace)
