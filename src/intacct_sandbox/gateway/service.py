"""The gateway proper: body -> answer. Control block, authentication (login or session), the functions
of each operation with transactions and uniqueid replay protection, and the injected faults.

HTTP details (methods, paths, gzip) live in ``app``; XML writing in ``writer``.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from intacct_sandbox._contract import FunctionOutcome, handler_for
from intacct_sandbox.company.model import Company, CompanyModel, User, password_matches
from intacct_sandbox.faultinjection import AFTER, BEFORE, FaultInjector
from intacct_sandbox.faults import (
    ROLLED_BACK,
    AuthenticationFault,
    DemoExpiredFault,
    DuplicateControlIdFault,
    EntityAccessFault,
    ErrorDetail,
    HttpFault,
    NotSubscribedFault,
    RequestTooLargeFault,
    SandboxFault,
    SenderCredentialsFault,
    SenderNotAuthorizedFault,
    SessionInvalidFault,
    SessionLocationFault,
    SignInFault,
    TransportPolicyFault,
    UnknownFunctionFault,
    XmlParseFault,
    invalid_request,
    rate_limited,
    sign_in_rejected,
)
from intacct_sandbox.gateway import writer
from intacct_sandbox.gateway.context import GatewayContext
from intacct_sandbox.gateway.parse import (
    Envelope,
    FunctionCall,
    Operation,
    parse_request,
    read_envelope,
    salvage_echo,
)

log = logging.getLogger("intacct_sandbox.gateway")

GATEWAY_PATH = "/ia/xml/xmlgw.phtml"
DEFAULT_MAX_BODY = 10 * 1024 * 1024
#: how long a completed function controlid is remembered for uniqueid=true (modelled)
DONE_TTL = timedelta(days=7)
#: expired sessions and old controlids are swept every this many requests
SWEEP_EVERY = 500
#: the documented maximum size of an asynchronous request (characters)
ASYNC_MAX_CHARS = 500_000
#: the functions a 2.1 request may call besides the legacy object-specific ones
#: (docs/intacct/protocol.md §2.3)
GENERIC_30_ONLY = frozenset(
    {
        "readByQuery",
        "readMore",
        "read",
        "readByName",
        "readRelated",
        "query",
        "create",
        "update",
        "delete",
        "lookup",
        "inspect",
    }
)


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": 'text/xml; encoding="UTF-8"'})
    #: "respond", or "reset": drop the connection without an answer
    action: str = "respond"


@dataclass
class Stats:
    requests: int = 0
    functions: Counter[str] = field(default_factory=Counter)
    companies: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "functions": dict(self.functions),
            "companies": dict(self.companies),
            "faults": dict(self.faults),
        }


@dataclass
class Caller:
    company: Company
    user: User
    location_id: str | None
    session_id: str | None
    expires: datetime


class Gateway:
    def __init__(
        self,
        store: Any,
        clock: Callable[[], datetime],
        faults: FaultInjector,
        lock: threading.RLock,
        max_body: int = DEFAULT_MAX_BODY,
    ) -> None:
        self.store = store
        self.model = CompanyModel(store)
        self.clock = clock
        self.faults = faults
        self.lock = lock
        self.max_body = max_body
        self.stats = Stats()
        self._inflight: Counter[str] = Counter()
        self._inflight_lock = threading.Lock()

    # --- entry point ------------------------------------------------------------------------------

    def handle(self, body: bytes, base_url: str) -> Answer:
        request_id = secrets.token_hex(8)
        if len(body) > self.max_body:
            fault = RequestTooLargeFault.for_limit(self.max_body)
            return Answer(200, writer.control_failure(writer.ControlEcho(), fault.errors, False))
        if not body.strip():
            # an empty POST is refused before any XML handling (modelled on GW-0011)
            refused = invalid_request(request_id)
            return Answer(refused.status, refused.body, refused.headers)
        try:
            envelope = read_envelope(parse_request(body))
            envelope.size = len(body)
        except XmlParseFault as fault:
            senderid, controlid = salvage_echo(body)
            echo = writer.ControlEcho(senderid=senderid, controlid=controlid)
            return Answer(200, writer.control_failure(echo, fault.errors, False))
        company_id = self._company_hint(envelope)
        before = self.faults.first(BEFORE, company_id)
        if before is not None:
            self.stats.faults[before.kind] += 1
            return _fault_answer(before.kind, request_id)
        key = (company_id or "").lower()
        limit = self._concurrency_limit(company_id)
        with self._inflight_lock:
            if limit is not None and self._inflight[key] >= limit:
                self.stats.faults["concurrency"] += 1
                refused = rate_limited(request_id)
                return Answer(refused.status, refused.body, refused.headers)
            self._inflight[key] += 1
        try:
            with self.lock:
                answer, records = self._process(envelope, base_url)
            fixed, per_record = self.faults.latency(company_id)
            if fixed or per_record:
                time.sleep(fixed + per_record * records)
        finally:
            with self._inflight_lock:
                self._inflight[key] -= 1
        after = self.faults.first(AFTER, company_id)
        if after is not None:
            self.stats.faults[after.kind] += 1
            return _spoil(answer, after.kind)
        return answer

    def _company_hint(self, envelope: Envelope) -> str | None:
        op = envelope.operations[0]
        if op.login is not None:
            return op.login.companyid
        session = self.store.get_meta(f"gw:session:{op.sessionid}") if op.sessionid else None
        return None if session is None else str(session["company"])

    def sweep(self) -> int:
        """Forget expired sessions and function controlids older than DONE_TTL; returns how many."""
        now = self.clock().timestamp()
        oldest = now - DONE_TTL.total_seconds()
        stale = [
            key
            for key in self.store.meta_keys("gw:session:")
            if float((self.store.get_meta(key) or {}).get("expires", 0)) <= now
        ]
        stale += [
            key for key in self.store.meta_keys("gw:done:") if float(self.store.get_meta(key) or 0) < oldest
        ]
        if stale:
            self.store.begin()
            for key in stale:
                self.store.delete_meta(key)
            self.store.commit()
        return len(stale)

    def _deliver(self, envelope: Envelope, base_url: str, url: str) -> None:
        """Run an asynchronous request and POST its response to the transport policy's URL."""
        with self.lock:
            answer, _records = self._process(envelope, base_url, offline=True)
        request = urllib.request.Request(  # noqa: S310  (the policy URL the sandbox's admin registered)
            url, data=answer.body, headers={"Content-Type": "text/xml; charset=UTF-8"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30):  # noqa: S310
                self.stats.faults["async-delivered"] += 1
        except (OSError, ValueError):
            log.warning("could not deliver the asynchronous response to %s", url)
            self.stats.faults["async-undelivered"] += 1

    def _company_expired(self, op: Operation) -> bool:
        company_id = op.login.companyid if op.login is not None else None
        if company_id is None and op.sessionid:
            session = self.store.get_meta(f"gw:session:{op.sessionid}")
            company_id = None if session is None else str(session["company"])
        company = self.model.find(company_id) if company_id else None
        return company is not None and company.expired

    def _concurrency_limit(self, company_id: str | None) -> int | None:
        injected = self.faults.concurrency_limit(company_id)
        if injected is not None:
            return injected
        company = self.model.find(company_id) if company_id else None
        return None if company is None else company.concurrency_limit

    # --- one request under the lock ---------------------------------------------------------------

    def _process(self, envelope: Envelope, base_url: str, *, offline: bool = False) -> tuple[Answer, int]:
        self.stats.requests += 1
        if self.stats.requests % SWEEP_EVERY == 0:
            self.sweep()
        pretty = envelope.includewhitespace
        echo = writer.ControlEcho(
            senderid=envelope.senderid,
            controlid=envelope.controlid,
            uniqueid=envelope.uniqueid_text,
            dtdversion=envelope.dtdversion,
        )
        try:
            if not self.model.sender_ok(envelope.senderid, envelope.password):
                raise SenderCredentialsFault()
            for op in envelope.operations:
                if self._company_expired(op):
                    echo = writer.ControlEcho(uniqueid=envelope.uniqueid_text, dtdversion=envelope.dtdversion)
                    raise DemoExpiredFault()
            policy_url = None
            if envelope.policyid is not None and not offline:
                policy_url = self.model.policies().get(envelope.policyid)
                if policy_url is None:
                    raise TransportPolicyFault.for_policy(envelope.policyid)
                if envelope.size > ASYNC_MAX_CHARS:
                    raise RequestTooLargeFault.for_limit(ASYNC_MAX_CHARS)
        except SandboxFault as fault:
            return Answer(200, writer.control_failure(echo, fault.errors, pretty)), 0
        if policy_url is not None:
            threading.Thread(
                target=self._deliver,
                args=(envelope, base_url, policy_url),
                name="intacct-sandbox-async",
                daemon=True,
            ).start()
            out = writer.Out(pretty)
            out.open("response")
            out.open("acknowledgement")
            out.leaf("status", "success")
            out.close("acknowledgement")
            writer.control(out, echo)
            out.close("response")
            return Answer(200, out.bytes()), 0
        out = writer.Out(pretty)
        out.open("response")
        writer.control(out, echo)
        records = 0
        for op in envelope.operations:
            records += self._operation(out, envelope, op, base_url)
        out.close("response")
        return Answer(200, out.bytes()), records

    def _operation(self, out: writer.Out, envelope: Envelope, op: Operation, base_url: str) -> int:
        now = self.clock()
        out.open("operation")
        self.store.begin()
        try:
            caller = self._authenticate(envelope, op, now)
        except AuthenticationFault as fault:
            self.store.rollback()
            userid = op.login.userid if op.login else ""
            companyid = op.login.companyid if op.login else ""
            writer.authentication(out, writer.AuthEcho("failure", userid, companyid))
            writer.errors(out, fault.errors)
            out.close("operation")
            return 0
        self.store.commit()
        tz = ZoneInfo(caller.user.timezone or caller.company.timezone)
        writer.authentication(
            out,
            writer.AuthEcho(
                "success",
                caller.user.user_id,
                caller.company.company_id,
                caller.location_id,
                now.astimezone(tz).isoformat(timespec="seconds"),
                caller.expires.astimezone(tz).isoformat(timespec="seconds"),
                envelope.dtdversion,
            ),
        )
        self.stats.companies[caller.company.company_id] += 1
        entries = self._run_functions(envelope, op, caller, now, base_url)
        records = 0
        for entry in entries:
            if entry.outcome is not None:
                records += entry.outcome.record_count
            writer.result(out, entry)
        out.close("operation")
        return records

    # --- authentication ---------------------------------------------------------------------------

    def _authenticate(self, envelope: Envelope, op: Operation, now: datetime) -> Caller:
        if op.login is not None:
            login = op.login
            company = self.model.find(login.companyid) if login.companyid else None
            if company is None or login.clientid is not None:
                raise SignInFault()
            self._check_company(company, envelope.senderid)
            user = company.user(login.userid)
            if (
                user is None
                or user.status != "active"
                or not password_matches(user.password_hash, login.password)
            ):
                raise SignInFault()
            location = self._entity_for(company, user, login.locationid)
            return Caller(company, user, location, None, now + timedelta(minutes=company.session_minutes))
        key = f"gw:session:{op.sessionid}"
        session = self.store.get_meta(key) if op.sessionid else None
        expired = session is None or float(session["expires"]) <= now.timestamp()
        if not expired and self.faults.first(("session-expiry",), str(session["company"])) is not None:  # type: ignore[index]
            self.stats.faults["session-expiry"] += 1
            expired = True
        if expired:
            if session is not None:
                self.store.delete_meta(key)
                self.store.commit()
                self.store.begin()
            raise SessionInvalidFault()
        assert session is not None
        company = self.model.find(str(session["company"]))
        user = company.user(str(session["user"])) if company is not None else None
        if company is None or user is None or user.status != "active":
            raise SessionInvalidFault()
        self._check_company(company, envelope.senderid)
        expires = now + timedelta(minutes=company.session_minutes)
        session["expires"] = expires.timestamp()  # sliding timeout
        self.store.set_meta(key, session)
        return Caller(company, user, session.get("location"), op.sessionid, expires)

    def _check_company(self, company: Company, sender_id: str) -> None:
        if not company.web_services:
            raise NotSubscribedFault()
        if not company.senders.get(sender_id, False):
            raise SenderNotAuthorizedFault.for_sender(sender_id, company.company_id)

    def _entity_for(self, company: Company, user: User, location_id: str | None) -> str | None:
        if not location_id:
            if user.entities is not None:
                raise EntityAccessFault(
                    f"User {user.user_id} is restricted to entity-level access; sign in with a location ID."
                )
            return None
        if location_id not in company.entities:
            raise EntityAccessFault(f"Invalid location ID '{location_id}' for company {company.company_id}.")
        if user.entities is not None and location_id not in user.entities:
            raise EntityAccessFault(f"User {user.user_id} is not authorized for entity '{location_id}'.")
        return location_id

    # --- functions --------------------------------------------------------------------------------

    def _run_functions(
        self, envelope: Envelope, op: Operation, caller: Caller, now: datetime, base_url: str
    ) -> list[writer.ResultEntry]:
        entries: list[writer.ResultEntry] = []
        if op.transaction:
            self.store.begin()
            failed = False
            for call in op.functions:
                if failed:
                    entries.append(writer.ResultEntry("aborted", call.name, call.controlid))
                    continue
                entry, _partial = self._call(envelope, call, caller, now, base_url)
                failed = entry.status == "failure"
                entries.append(entry)
            if failed:
                self.store.rollback()
                for entry in entries:
                    if entry.status == "success":
                        entry.status = "aborted"
                    # rolled back: records a failing write made before its error are gone too
                    entry.outcome = None
                    entry.errors.append(ROLLED_BACK)
            else:
                self.store.commit()
            return entries
        for call in op.functions:
            self.store.begin()
            entry, keep = self._call(envelope, call, caller, now, base_url)
            if entry.status == "success" or keep:
                self.store.commit()
            else:
                self.store.rollback()
            entries.append(entry)
        return entries

    def _call(
        self, envelope: Envelope, call: FunctionCall, caller: Caller, now: datetime, base_url: str
    ) -> tuple[writer.ResultEntry, bool]:
        """Run one function inside the caller's store transaction; (entry, keep partial work)."""
        self.stats.functions[call.name] += 1
        done_key = f"gw:done:{caller.company.company_id}:{envelope.senderid}:{call.controlid}"
        try:
            if envelope.uniqueid and self.store.get_meta(done_key) is not None:
                raise DuplicateControlIdFault.for_controlid(call.controlid)
            outcome = self._dispatch(envelope, call, caller, now, base_url)
        except SandboxFault as fault:
            partial = getattr(fault, "partial", None)
            keep = isinstance(partial, FunctionOutcome) and bool(partial.records)
            return writer.ResultEntry("failure", call.name, call.controlid, partial, list(fault.errors)), keep
        except Exception as exc:  # a sandbox bug: answer loudly rather than drop the request
            log.exception("function %s failed", call.name)
            detail = ErrorDetail(
                "BL01001973", "Internal error in the sandbox", f"{type(exc).__name__}: {exc}", ""
            )
            return writer.ResultEntry("failure", call.name, call.controlid, None, [detail]), False
        if envelope.uniqueid:
            self.store.set_meta(done_key, now.timestamp())
        return writer.ResultEntry("success", call.name, call.controlid, outcome), False

    def _dispatch(
        self, envelope: Envelope, call: FunctionCall, caller: Caller, now: datetime, base_url: str
    ) -> FunctionOutcome:
        if call.name == "getAPISession":
            return self._get_api_session(envelope, call, caller, now, base_url)
        handler = handler_for(call.name)
        if handler is None or (envelope.dtdversion == "2.1" and call.name in GENERIC_30_ONLY):
            raise UnknownFunctionFault.for_name(call.name, envelope.dtdversion)
        ctx = GatewayContext(
            company=caller.company,
            user=caller.user,
            location_id=caller.location_id,
            dtd_version=envelope.dtdversion,
            controlid=call.controlid,
            function_name=call.name,
            store=self.store,
            now=now,
            compact=not envelope.includewhitespace,
        )
        return handler(ctx, call.element)

    def _get_api_session(
        self, envelope: Envelope, call: FunctionCall, caller: Caller, now: datetime, base_url: str
    ) -> FunctionOutcome:
        location = caller.location_id
        loc_el = call.element.find("locationid")
        if loc_el is not None:
            wanted = (loc_el.text or "").strip() or None
            try:
                location = self._entity_for(caller.company, caller.user, wanted)
            except EntityAccessFault as fault:
                raise SessionLocationFault(fault.detail.description2) from None
        session_id = secrets.token_urlsafe(24) + ".."
        expires = now + timedelta(minutes=caller.company.session_minutes)
        self.store.set_meta(
            f"gw:session:{session_id}",
            {
                "company": caller.company.company_id,
                "user": caller.user.user_id,
                "location": location,
                "expires": expires.timestamp(),
                "sender": envelope.senderid,
            },
        )
        api: dict[str, Any] = {"sessionid": session_id, "endpoint": base_url + GATEWAY_PATH}
        if envelope.dtdversion != "2.1":
            api["locationid"] = location or ""
        return FunctionOutcome(records=[("api", api)])


def _fault_answer(kind: str, request_id: str) -> Answer:
    if kind == "rate-limit":
        fault: HttpFault = rate_limited(request_id)
        return Answer(fault.status, fault.body, fault.headers)
    if kind == "http-401":
        fault = sign_in_rejected()
        return Answer(fault.status, fault.body, fault.headers)
    if kind == "http-400":
        fault = invalid_request(request_id)
        return Answer(fault.status, fault.body, fault.headers)
    if kind == "reset-before-commit":
        return Answer(0, b"", {}, action="reset")
    status = int(kind.removeprefix("http-"))
    return _bare_status(status)


def _bare_status(status: int) -> Answer:
    reason = {
        502: "Bad Gateway",
        503: "Service Unavailable",
        504: "Gateway Timeout",
        524: "A timeout occurred",
    }
    body = f"<html><body><h1>{status} {reason.get(status, 'Error')}</h1></body></html>".encode()
    return Answer(status, body, {"Content-Type": "text/html; charset=UTF-8"})


def _spoil(answer: Answer, kind: str) -> Answer:
    if kind == "http-524":
        return _bare_status(524)
    if kind == "reset-after-commit":
        return Answer(0, b"", {}, action="reset")
    if kind == "truncated":
        return Answer(answer.status, answer.body[: max(1, len(answer.body) // 2)], answer.headers)
    # malformed: well-formed up to a point, then a broken tag
    cut = answer.body[: max(1, len(answer.body) // 2)]
    return Answer(answer.status, cut + b"<<status>\x00</response>", answer.headers)
