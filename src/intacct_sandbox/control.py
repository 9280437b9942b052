"""The control plane: Python methods to set up companies, seed and mutate data, inject faults and
inspect state; the same operations as JSON over HTTP under ``/_sandbox/`` (loopback clients only,
optional token; gateway credentials never reach it).

HTTP: ``POST /_sandbox/<method>`` with a JSON object of keyword arguments answers
``{"ok": true, "result": ...}`` or ``{"ok": false, "error": "..."}`` (HTTP 400);
``GET /_sandbox/show`` and ``GET /_sandbox/stats`` need no body.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from intacct_sandbox.company.model import DEFAULT_SESSION_MINUTES, CompanyModel, ModelError, User
from intacct_sandbox.company.rules import RuleSyntaxError
from intacct_sandbox.faultinjection import FaultError
from intacct_sandbox.gateway.service import Stats

if TYPE_CHECKING:
    from intacct_sandbox.sandbox import Sandbox

DEMO_COMPANY = "DEMO-CO"
DEMO_SENDER = "intacct_bridge_demo"
DEMO_USER = "ws_demo"
DEMO_ENTITIES = ("E100", "E200")
DEMO_TIMEZONE = "America/Los_Angeles"
FULL_ACCESS_ROLE = "Full Access"

#: methods the HTTP control plane exposes (everything public on Control)
HTTP_METHODS = (
    "create_company",
    "set_company",
    "set_web_services",
    "register_sender",
    "authorize_sender",
    "register_policy",
    "create_role",
    "create_user",
    "set_user",
    "add_smart_rule",
    "seed_demo",
    "mutate",
    "fault",
    "clear_faults",
    "records",
    "count",
    "pay_bill",
    "pay_invoice",
    "set_autonumber",
    "set_error_variant",
    "create_view",
    "create_report",
    "delete_record",
    "set_clock",
    "advance_clock",
    "reset",
    "stats",
    "show",
)

#: errors the control plane reports as a refused request (not a crash)
CONTROL_ERRORS = (ModelError, FaultError, RuleSyntaxError, ValueError, KeyError)


class Control:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.model = CompanyModel(sandbox.store)

    @contextmanager
    def _write(self) -> Iterator[None]:
        store = self.sandbox.store
        with self.sandbox.lock:
            store.begin()
            try:
                yield
            except BaseException:
                store.rollback()
                raise
            store.commit()

    # --- company setup ----------------------------------------------------------------------------

    def create_company(
        self,
        company_id: str,
        *,
        multi_entity: bool = False,
        entities: tuple[str, ...] | list[str] = (),
        timezone: str = DEMO_TIMEZONE,
        web_services: bool = True,
        concurrency_limit: int = 2,
        session_minutes: int = DEFAULT_SESSION_MINUTES,
    ) -> None:
        with self._write():
            self.model.create_company(
                company_id,
                multi_entity=multi_entity,
                entities=entities,
                timezone=timezone,
                web_services=web_services,
                concurrency_limit=concurrency_limit,
                session_minutes=session_minutes,
            )
            if entities:
                self._ensure_entities(company_id, list(entities))

    def set_company(self, company_id: str, **changes: Any) -> None:
        with self._write():
            company = self.model.set_company(company_id, **changes)
            if "entities" in changes:
                self._ensure_entities(company.company_id, company.entities)

    def _ensure_entities(self, company_id: str, entities: list[str]) -> None:
        store = self.sandbox.store
        for entity_id in entities:
            if store.get_by_id(company_id, "LOCATION", entity_id) is None:
                # each entity is a LOCATION record (records name it in LOCATIONID / MEGAENTITYID)
                from intacct_sandbox.objects import get_object

                location = get_object("LOCATION")
                assert location is not None
                row = {f.name: f.default for f in location.fields if f.name != "RECORDNO"}
                row.update(
                    {
                        "LOCATIONID": entity_id,
                        "NAME": entity_id,
                        "ENTITY": True,
                        "WHENCREATED": self.sandbox.now(),
                        "WHENMODIFIED": None,
                    }
                )
                store.insert(company_id, "LOCATION", row)
        from intacct_sandbox.objects.location_entity import sync_entities

        sync_entities(store, company_id)

    def set_web_services(self, company_id: str, subscribed: bool) -> None:
        with self._write():
            self.model.set_company(company_id, web_services=bool(subscribed))

    def register_sender(self, sender_id: str, password: str) -> None:
        with self._write():
            self.model.register_sender(sender_id, password)

    def register_policy(self, policy_id: str, url: str) -> None:
        """A transport policy: asynchronous requests naming it are acknowledged, then their response is
        POSTed to ``url``."""
        with self._write():
            self.model.register_policy(policy_id, url)

    def authorize_sender(self, company_id: str, sender_id: str, active: bool = True) -> None:
        with self._write():
            self.model.authorize_sender(company_id, sender_id, active)

    def create_role(self, company_id: str, name: str, permissions: dict[str, str]) -> None:
        with self._write():
            self.model.create_role(company_id, name, permissions)

    def create_user(self, company_id: str, user_id: str, password: str, **options: Any) -> None:
        with self._write():
            user = self.model.create_user(company_id, user_id, password, **options)
            self._userinfo(company_id, user)

    def set_user(self, company_id: str, user_id: str, **changes: Any) -> None:
        with self._write():
            user = self.model.set_user(company_id, user_id, **changes)
            self._userinfo(company_id, user)

    def _userinfo(self, company_id: str, user: User) -> None:
        """Keep the user's USERINFO record (what CREATEDBY/MODIFIEDBY point at) in step with the model."""
        from intacct_sandbox.objects.userinfo import upsert_user

        upsert_user(
            self.sandbox.store,
            self.model.get(company_id).company_id,
            user.user_id,
            user_type=_userinfo_type(user.user_type),
            admin=user.admin,
            status=user.status,
            web_services_only=user.web_services_only,
            now=self.sandbox.now(),
        )

    def add_smart_rule(
        self,
        company_id: str,
        object: str,
        event: str,
        condition: str,
        message: str,
        kind: str = "error",
        rule_id: str = "",
    ) -> None:
        with self._write():
            self.model.add_smart_rule(company_id, object, event, condition, message, kind, rule_id)

    # --- data -------------------------------------------------------------------------------------

    def seed_demo(
        self,
        company_id: str | None = None,
        seed: int = 1,
        *,
        sender_id: str = DEMO_SENDER,
        sender_password: str | None = None,
        user_id: str = DEMO_USER,
        user_password: str | None = None,
        entities: tuple[str, ...] | list[str] = DEMO_ENTITIES,
        **sizes: int,
    ) -> dict[str, Any]:
        """The demo company: multi-entity, a sender authorized for it, a full-access Web Services user
        on America/Los_Angeles time, and deterministic demo records. Returns the credentials (§1.1)."""
        from intacct_sandbox.demo_data import populate

        company_id = company_id or DEMO_COMPANY
        if sender_password is None and sender_id in self.model.senders():
            # only a hash is kept: a new random password would lock out whoever uses the sender now
            raise ModelError(
                f"sender {sender_id!r} exists already: pass its sender_password (or another sender_id)"
            )
        sender_password = sender_password or secrets.token_urlsafe(12)
        user_password = user_password or secrets.token_urlsafe(12)
        with self._write():
            self.model.create_company(
                company_id, multi_entity=True, entities=list(entities), timezone=DEMO_TIMEZONE
            )
            self.model.register_sender(sender_id, sender_password)
            self.model.authorize_sender(company_id, sender_id, True)
            self.model.create_role(company_id, FULL_ACCESS_ROLE, {"*": "LVAED"})
            info = populate(
                self.sandbox.store,
                company_id,
                seed=seed,
                entities=tuple(entities),
                clock=self.sandbox.now(),
                **{k: int(v) for k, v in sizes.items()},
            )
            user = self.model.create_user(
                company_id, user_id, user_password, roles=[FULL_ACCESS_ROLE], timezone=DEMO_TIMEZONE
            )
            self._userinfo(company_id, user)
            # saved views and a custom report for readView / readReport (docs/intacct/gl-company-reads.md §5)
            from intacct_sandbox.functions.generic_reads import define
            from intacct_sandbox.objects.location_entity import sync_entities

            store = self.sandbox.store
            sync_entities(store, company_id)
            define(
                store, company_id, "view", "Active customers", "CUSTOMER", "STATUS = 'T'", "CUSTOMERID,NAME"
            )
            define(
                store,
                company_id,
                "view",
                "Posted bills",
                "APBILL",
                "STATE = 'A'",
                "RECORDNO,VENDORID,TOTALDUE",
            )
            define(store, company_id, "report", "Customer list", "CUSTOMER", "", "CUSTOMERID,NAME,STATUS")
        creds: dict[str, Any] = {
            "sender_id": sender_id,
            "sender_password": sender_password,
            "company_id": company_id,
            "user_id": user_id,
            "user_password": user_password,
            "entity_ids": list(info.get("entity_ids", entities)),
            "gl_accounts": dict(info["gl_accounts"]),
        }
        if self.sandbox.endpoint is not None:
            creds = {"endpoint": self.sandbox.endpoint, **creds}
        return creds

    def mutate(
        self,
        company_id: str,
        object: str,
        change: int | str = 0,
        delete: int | str = 0,
        add: int | str = 0,
        seed: int = 1,
    ) -> dict[str, Any]:
        from intacct_sandbox.mutate import mutate

        with self._write():
            company = self.model.get(company_id)
            return mutate(
                self.sandbox.store,
                company.company_id,
                object.upper(),
                change=_count(change),
                delete=_count(delete),
                add=_count(add),
                seed=seed,
                now=self.sandbox.now(),
            )

    # --- what a person does in Intacct's UI (state the sync families pull back) ------------------

    @contextmanager
    def _ui(self, company_id: str, obj: str, recordno: int) -> Iterator[tuple[Any, dict[str, Any]]]:
        """A write as the company's administrator in the UI: in the record's own entity, no role or
        smart-rule checks (those guard the API), audited as user UI_ADMIN. Model errors of the record
        (overpayment, draft, ...) come back as ModelError with Intacct's text."""
        from intacct_sandbox.faults import SandboxFault
        from intacct_sandbox.objects.writes import WriteContext

        with self._write():
            company = self.model.get(company_id)
            row = self.sandbox.store.get(company.company_id, obj.upper(), int(recordno))
            if row is None:
                raise ModelError(f"no {obj.upper()} with RECORDNO {recordno} in {company.company_id}")
            wc = WriteContext(
                company.company_id,
                UI_ADMIN,
                row.get("MEGAENTITYID"),
                self.sandbox.store,
                self.sandbox.now(),
            )
            try:
                yield wc, row
            except SandboxFault as exc:
                raise ModelError(f"{exc.detail.errorno}: {exc.detail.description2}") from exc

    def pay_bill(
        self, company_id: str, recordno: int, amount: str | float | int, date: str | None = None
    ) -> dict[str, Any]:
        """Pay an APBILL in Intacct (Pay bills): TOTALPAID/TOTALDUE/STATE move, WHENMODIFIED is new,
        WHENPAID is set when paid in full. Returns the bill as ``records`` shows it."""
        from intacct_sandbox.objects.apbill import pay

        with self._ui(company_id, "APBILL", recordno) as (wc, bill):
            pay(wc, bill, _decimal(amount), _date(date))
        return self._one(company_id, "APBILL", recordno)

    def pay_invoice(
        self,
        company_id: str,
        recordno: int,
        amount: str | float | int,
        date: str | None = None,
        undeposited_account: str = "1010",
        reference: str | None = None,
    ) -> dict[str, Any]:
        """Receive a payment on an ARINVOICE in Intacct's UI: an ARPYMT (Printed Check, deposited to
        ``undeposited_account``) applied to the invoice. Returns the new ARPYMT's RECORDNO and the
        invoice as ``records`` shows it."""
        from intacct_sandbox.objects import get_object
        from intacct_sandbox.objects.writes import create

        arpymt = get_object("ARPYMT")
        assert arpymt is not None
        with self._ui(company_id, "ARINVOICE", recordno) as (wc, invoice):
            received = _date(date) or wc.now.date()
            payment = create(
                wc,
                arpymt,
                {
                    "PAYMENTMETHOD": "Printed Check",
                    "CUSTOMERID": invoice.get("CUSTOMERID"),
                    "RECEIPTDATE": received.strftime("%m/%d/%Y"),
                    "UNDEPOSITEDACCOUNTNO": undeposited_account,
                    "DOCNUMBER": reference or "",
                    "AMOUNTTOPAY": str(_decimal(amount)),
                    "ARPYMTDETAILS": [
                        {"RECORDKEY": str(recordno), "TRX_PAYMENTAMOUNT": str(_decimal(amount))}
                    ],
                },
            )
        return {
            "payment_recordno": int(payment["RECORDNO"]),
            "invoice": self._one(company_id, "ARINVOICE", recordno),
        }

    def delete_record(self, company_id: str, object: str, recordno: int) -> None:
        """Delete a record as a user would in Intacct: headers with their lines, or one line of a
        TIMESHEET (the sheet gets a new WHENMODIFIED and HOURS). Every deletion is in AUDITHISTORY."""
        from intacct_sandbox.objects import get_object
        from intacct_sandbox.objects.timesheet import delete_entry
        from intacct_sandbox.objects.writes import delete

        obj = get_object(object)
        if obj is None:
            raise ModelError(f"unknown object {object!r}")
        if obj.parent_field is not None and obj.name != "TIMESHEETENTRY":
            raise ModelError(f"{obj.name} lines are deleted with their document (or by editing it)")
        with self._ui(company_id, obj.name, recordno) as (wc, row):
            if obj.name == "TIMESHEETENTRY":
                delete_entry(wc, row)
            else:
                delete(wc, obj, str(recordno))

    def set_autonumber(self, company_id: str, object: str, on: bool, prefix: str | None = None) -> None:
        """Document sequencing of PROJECT (or CUSTOMER, VENDOR, EMPLOYEE) IDs: on, Intacct assigns
        ``prefix`` + 4 digits (P-0001) and ignores an ID sent in a create."""
        from intacct_sandbox.objects.autonumber import set_autonumber

        with self._write():
            company = self.model.get(company_id)
            set_autonumber(self.sandbox.store, company.company_id, object, bool(on), prefix)

    def create_view(
        self, company_id: str, name: str, object: str, query: str = "", fields: str = "*"
    ) -> None:
        """A saved list view for ``readView``: an object, a readByQuery filter and a field list."""
        from intacct_sandbox.functions.generic_reads import define

        with self._write():
            company = self.model.get(company_id)
            define(self.sandbox.store, company.company_id, "view", name, object, query, fields)

    def create_report(
        self, company_id: str, name: str, object: str, query: str = "", fields: str = "*"
    ) -> None:
        """A custom report for ``readReport``: an object, a readByQuery filter and its columns."""
        from intacct_sandbox.functions.generic_reads import define

        with self._write():
            company = self.model.get(company_id)
            define(self.sandbox.store, company.company_id, "report", name, object, query, fields)

    def set_error_variant(self, company_id: str, unknown_object: str = "captured") -> None:
        """Which of the two real errornos an unknown object answers on the reads: ``captured`` (the
        default: readByQuery ``Query Failed``, read/readByName/lookup/inspect ``XXX``, as the captures
        show), or ``XXX`` or ``Query Failed`` for every one (docs/intacct/gl-company-reads.md §3).
        ``query`` always answers XL03000009 with an empty ``<data>``."""
        from intacct_sandbox.record_faults import UNKNOWN_OBJECT_META, UNKNOWN_OBJECT_VARIANTS

        if unknown_object not in UNKNOWN_OBJECT_VARIANTS:
            raise ValueError(
                f"unknown_object must be one of {', '.join(UNKNOWN_OBJECT_VARIANTS)}, not {unknown_object!r}"
            )
        with self._write():
            company = self.model.get(company_id)
            self.sandbox.store.set_meta(
                UNKNOWN_OBJECT_META.format(company=company.company_id), unknown_object
            )

    def _one(self, company_id: str, object: str, recordno: int) -> dict[str, Any]:
        from intacct_sandbox.functions.common import nested_record
        from intacct_sandbox.objects import get_object
        from intacct_sandbox.objects.values import utc_stamp

        obj = get_object(object)
        assert obj is not None
        with self.sandbox.lock:
            company = self.model.get(company_id)
            row = self.sandbox.store.get(company.company_id, obj.name, int(recordno))
            assert row is not None
            return nested_record(
                self.sandbox.store, company.company_id, obj, row, obj.field_names(), utc_stamp
            )

    def records(self, company_id: str, object: str) -> list[dict[str, Any]]:
        from intacct_sandbox.functions.common import export_records

        with self.sandbox.lock:
            company = self.model.get(company_id)
            return export_records(self.sandbox.store, company.company_id, object.upper())

    def count(self, company_id: str, object: str) -> int:
        with self.sandbox.lock:
            company = self.model.get(company_id)
            return int(self.sandbox.store.count(company.company_id, object.upper()))

    # --- faults, clock, state ---------------------------------------------------------------------

    def fault(
        self, kind: str, rate: float = 1.0, seed: int = 1, company_id: str | None = None, **params: float
    ) -> dict[str, Any]:
        rule = self.sandbox.faults.add(kind, rate, seed, company_id, **params).describe()
        with self._write():
            # kept with the state, so a server started later on a state file injects them too
            self.sandbox.store.set_meta("gw:faults", self.sandbox.faults.rules())
        return rule

    def clear_faults(self) -> None:
        self.sandbox.faults.clear()
        with self._write():
            self.sandbox.store.delete_meta("gw:faults")

    def set_clock(self, when: datetime | str | None) -> None:
        self.sandbox.set_clock(datetime.fromisoformat(when) if isinstance(when, str) else when)

    def advance_clock(self, seconds: float) -> None:
        self.sandbox.advance_clock(float(seconds))

    def reset(self) -> None:
        with self.sandbox.lock:
            self.sandbox.store.reset()
            self.sandbox.faults.clear()
            self.sandbox.set_clock(None)
            self.sandbox.gateway.stats = Stats()

    def stats(self) -> dict[str, Any]:
        return self.sandbox.gateway.stats.as_dict()

    def show(self) -> dict[str, Any]:
        """The company model (without password hashes), record counts, faults and the clock."""
        from intacct_sandbox.objects import SCHEMAS

        with self.sandbox.lock:
            companies = []
            for company_id in self.model.company_ids():
                data = self.model.get(company_id).to_json()
                for user in data["users"].values():
                    user.pop("password_hash", None)
                data["record_counts"] = {
                    obj: count
                    for obj in sorted(SCHEMAS)
                    if (count := self.sandbox.store.count(company_id, obj))
                }
                companies.append(data)
            return {
                "senders": sorted(self.model.senders()),
                "companies": companies,
                "faults": self.sandbox.faults.rules(),
                "policies": self.model.policies(),
                "clock": self.sandbox.now().isoformat(),
                "endpoint": self.sandbox.endpoint,
            }


#: the login control-plane "UI" changes are made by (Intacct's company administrator)
UI_ADMIN = "Admin"


def _decimal(value: str | float | int) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ModelError(f"not an amount: {value!r}") from exc


def _date(value: str | None) -> date | None:
    """ISO (2024-05-01) or mm/dd/yyyy."""
    if value in (None, ""):
        return None
    text = str(value)
    try:
        return date.fromisoformat(text) if "-" in text else datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError as exc:
        raise ModelError(f"not a date: {value!r} (use YYYY-MM-DD or MM/DD/YYYY)") from exc


def _count(value: int | str) -> int | str:
    text = str(value).strip()
    return text if text.endswith("%") else int(text)


def _userinfo_type(user_type: str) -> str:
    return {"business": "business user", "employee": "employee user"}.get(user_type, user_type)


class ControlHTTP:
    """The control plane over HTTP (JSON)."""

    def __init__(self, control: Control, token: str | None = None, allow_remote: bool = False) -> None:
        self.control = control
        self.token = token
        self.allow_remote = allow_remote

    def handle(self, environ: dict[str, Any], body: bytes) -> tuple[int, dict[str, str], bytes]:
        if not self.allow_remote and not _is_loopback(str(environ.get("REMOTE_ADDR") or "127.0.0.1")):
            return _json(403, {"ok": False, "error": "the control plane answers loopback clients only"})
        if self.token is not None and not hmac.compare_digest(
            str(environ.get("HTTP_X_SANDBOX_TOKEN", "")), self.token
        ):
            return _json(403, {"ok": False, "error": "missing or wrong X-Sandbox-Token"})
        name = str(environ.get("PATH_INFO", "")).removeprefix("/_sandbox").strip("/")
        if name not in HTTP_METHODS:
            return _json(
                404, {"ok": False, "error": f"no control method {name!r}", "methods": list(HTTP_METHODS)}
            )
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        if method == "GET" and name in ("show", "stats"):
            kwargs: dict[str, Any] = {}
        elif method != "POST":
            return _json(405, {"ok": False, "error": "use POST with a JSON object of arguments"})
        else:
            try:
                kwargs = json.loads(body or b"{}")
            except ValueError:
                return _json(400, {"ok": False, "error": "the body is not JSON"})
            if not isinstance(kwargs, dict):
                return _json(400, {"ok": False, "error": "the body must be a JSON object"})
        fn: Callable[..., Any] = getattr(self.control, name)
        try:
            result = fn(**kwargs)
        except TypeError as exc:
            return _json(400, {"ok": False, "error": f"bad arguments for {name}: {exc}"})
        except CONTROL_ERRORS as exc:
            return _json(400, {"ok": False, "error": str(exc)})
        return _json(200, {"ok": True, "result": result})


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


def _json(status: int, payload: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(payload, default=str).encode()
