"""The company setup model, persisted in the record store's meta values (so it commits and rolls back
with the records and lives in the same SQLite file).

Meta keys: ``gw:senders`` (sender id -> password hash), ``gw:company:<ID>`` (one company, its
authorizations, users, roles and smart rules), ``gw:session:<id>`` (one API session) and
``gw:done:<company>:<sender>`` (function controlids completed under uniqueid=true).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import asdict, dataclass, field
from typing import Any

from intacct_sandbox.company.rules import compile_condition

#: how long an API session lives without use, per company (Company > Security in Intacct). Captured
#: answers show 6, 12 and 24 hours between sessiontimestamp and sessiontimeout; 6 hours, the shortest
#: seen from a real company, is the default (docs/intacct/gl-company-reads.md §4)
DEFAULT_SESSION_MINUTES = 360

PERMISSION_LETTERS = "LVAED"
USER_TYPES = ("business", "employee", "project manager", "approver", "dashboard", "warehouse")
SMART_RULE_EVENTS = ("add", "set", "delete")
#: Intacct grants permissions per application (module), then per object; a role may name a whole module
#: as "module:AR" (every object of Accounts Receivable)
MODULES: dict[str, tuple[str, ...]] = {
    "AR": (
        "CUSTOMER",
        "ARINVOICE",
        "ARINVOICEITEM",
        "ARPYMT",
        "ARPYMTDETAIL",
        "ARADJUSTMENT",
        "ARADJUSTMENTITEM",
        "ARACCOUNTLABEL",
        "CUSTOMERCHARGECARD",
        "ARADVANCE",
        "ARADVANCEITEM",
    ),
    "AP": (
        "VENDOR",
        "APBILL",
        "APBILLITEM",
        "APADJUSTMENT",
        "APADJUSTMENTITEM",
        "APPYMT",
        "APPYMTDETAIL",
        "APACCOUNTLABEL",
        "PRBATCH",
    ),
    "CM": (
        "CHECKINGACCOUNT",
        "SAVINGSACCOUNT",
        "CREDITCARD",
        "DEPOSIT",
        "OTHERRECEIPTS",
        "OTHERRECEIPTSENTRY",
        "CCTRANSACTION",
        "CCTRANSACTIONENTRY",
        "BANKACCTTXNFEED",
        "BANKACCTTXNRECORD",
    ),
    "GL": ("GLACCOUNT", "STATACCOUNT", "GLBATCH", "GLENTRY", "GLDETAIL"),
    "CO": (
        "DEPARTMENT",
        "LOCATION",
        "CLASS",
        "CONTACT",
        "EMPLOYEE",
        "USERINFO",
        "AUDITHISTORY",
        "SUPDOC",
        "SUPDOCATTACHMENT",
        "SUPDOCFOLDER",
        "ALLOCATION",
        "ALLOCATIONENTRY",
        "LOCATIONENTITY",
    ),
    "PA": ("PROJECT", "TASK", "TIMESHEET", "TIMESHEETENTRY", "OBSPCTCOMPLETED", "COSTTYPE"),
    "EE": (
        "EEACCOUNTLABEL",
        "EEXPENSES",
        "EEXPENSESITEM",
        "EEXPENSESBATCH",
        "EXPENSEADJUSTMENTS",
        "EXPENSEADJUSTMENTSITEM",
        "EPPAYMENT",
        "EXPENSEPAYMENTTYPE",
    ),
    "IC": ("ITEM",),
}
_MODULE_OF = {obj: module for module, objects in MODULES.items() for obj in objects}
#: rights that are not objects: Projects > "API Proxy" (create and approve timesheets of other
#: employees; docs/intacct/objects.md §16, docs/intacct/setup.md §2). Granted by the letter A, by '*' or by
#: 'module:PA'.
RIGHTS: dict[str, str] = {"PROJECTS_API_PROXY": "PA"}
_MODULE_OF.update(RIGHTS)


def hash_password(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


def password_matches(stored_hash: str, password: str) -> bool:
    return hmac.compare_digest(stored_hash, hash_password(password))


@dataclass
class Role:
    name: str
    #: object name (upper case) or "*" -> granted letters among L V A E D
    permissions: dict[str, str]


@dataclass
class User:
    user_id: str
    password_hash: str
    roles: list[str] = field(default_factory=list)
    user_type: str = "business"
    admin: str = "full"
    status: str = "active"
    #: None: top level (and every entity); else the entity IDs the user may use
    entities: list[str] | None = None
    timezone: str | None = None
    date_format: str = "MM/DD/YYYY"
    web_services_only: bool = True
    #: the EMPLOYEEID this login belongs to (employee users); Web Services users usually have none
    employee_id: str | None = None


@dataclass
class SmartRule:
    object: str
    event: str
    condition: str
    message: str
    kind: str = "error"
    # the rule's ID in Intacct; integrations quote it ("Smart rule VENDOR_TOP was violated ...")
    rule_id: str = ""


@dataclass
class Company:
    company_id: str
    multi_entity: bool = False
    entities: list[str] = field(default_factory=list)
    timezone: str = "America/Los_Angeles"
    web_services: bool = True
    #: sender id (case-sensitive) -> authorization active
    senders: dict[str, bool] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    smart_rules: list[SmartRule] = field(default_factory=list)
    #: concurrent API requests allowed (Intacct's standard level of service is small; 2 modelled)
    concurrency_limit: int = 2
    session_minutes: int = DEFAULT_SESSION_MINUTES
    #: a demo company past its end date: every request gets the PL04000055 control failure
    expired: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Company:
        data = dict(data)
        data["users"] = {k: User(**v) for k, v in data.get("users", {}).items()}
        data["roles"] = {k: Role(**v) for k, v in data.get("roles", {}).items()}
        data["smart_rules"] = [SmartRule(**r) for r in data.get("smart_rules", [])]
        return cls(**data)

    def user(self, user_id: str) -> User | None:
        """User IDs are matched without regard to case, as Intacct's sign-in does."""
        user = self.users.get(user_id)
        if user is None:
            wanted = user_id.lower()
            user = next((u for k, u in self.users.items() if k.lower() == wanted), None)
        return user

    def granted(self, user: User, obj: str) -> str:
        letters = ""
        for role_name in user.roles:
            role = self.roles.get(role_name)
            if role is not None:
                name = obj.upper()
                letters += role.permissions.get(name, "") + role.permissions.get("*", "")
                module = _MODULE_OF.get(name)
                if module is not None:
                    letters += role.permissions.get(f"module:{module}", "")
        return letters


class ModelError(ValueError):
    """A control-plane request the model refuses (unknown company, bad letters, ...)."""


def _letters(text: str) -> str:
    letters = text.upper()
    bad = set(letters) - set(PERMISSION_LETTERS)
    if bad:
        raise ModelError(f"unknown permission letters {''.join(sorted(bad))!r}: use L V A E D")
    return "".join(c for c in PERMISSION_LETTERS if c in letters)


class CompanyModel:
    """Reads and writes the model through a RecordStore's meta values. Every write must run inside
    a store transaction (the Sandbox wraps control calls in one)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    # --- senders ----------------------------------------------------------------------------------

    def senders(self) -> dict[str, str]:
        return dict(self.store.get_meta("gw:senders", {}) or {})

    def register_sender(self, sender_id: str, password: str) -> None:
        if not sender_id:
            raise ModelError("a sender ID is required")
        senders = self.senders()
        senders[sender_id] = hash_password(password)
        self.store.set_meta("gw:senders", senders)

    def sender_ok(self, sender_id: str, password: str) -> bool:
        stored = self.senders().get(sender_id)
        return stored is not None and password_matches(stored, password)

    # --- transport policies (asynchronous requests) ----------------------------------------------

    def policies(self) -> dict[str, str]:
        return dict(self.store.get_meta("gw:policies", {}) or {})

    def register_policy(self, policy_id: str, url: str) -> None:
        if not policy_id or len(policy_id) > 40:
            raise ModelError("a policy ID has 1 to 40 characters")
        if not url.startswith(("http://", "https://")):
            raise ModelError("the policy URL must be http:// or https://")
        policies = self.policies()
        policies[policy_id] = url
        self.store.set_meta("gw:policies", policies)

    # --- companies --------------------------------------------------------------------------------

    def company_ids(self) -> list[str]:
        return [key.removeprefix("gw:company:") for key in self.store.meta_keys("gw:company:")]

    def find(self, company_id: str) -> Company | None:
        """Company IDs are matched without regard to case."""
        data = self.store.get_meta(f"gw:company:{company_id}")
        if data is None:
            wanted = company_id.lower()
            match = next((c for c in self.company_ids() if c.lower() == wanted), None)
            data = None if match is None else self.store.get_meta(f"gw:company:{match}")
        return None if data is None else Company.from_json(data)

    def get(self, company_id: str) -> Company:
        company = self.find(company_id)
        if company is None:
            raise ModelError(f"no company {company_id!r}")
        return company

    def save(self, company: Company) -> None:
        self.store.set_meta(f"gw:company:{company.company_id}", company.to_json())

    def create_company(
        self,
        company_id: str,
        *,
        multi_entity: bool = False,
        entities: tuple[str, ...] | list[str] = (),
        timezone: str = "America/Los_Angeles",
        web_services: bool = True,
        concurrency_limit: int = 2,
        session_minutes: int = DEFAULT_SESSION_MINUTES,
    ) -> Company:
        if not company_id or self.find(company_id) is not None:
            raise ModelError(
                f"company {company_id!r} exists already" if company_id else "a company ID is required"
            )
        _check_timezone(timezone)
        company = Company(
            company_id,
            multi_entity=multi_entity or bool(entities),
            entities=list(entities),
            timezone=timezone,
            web_services=web_services,
            concurrency_limit=concurrency_limit,
            session_minutes=session_minutes,
        )
        self.save(company)
        return company

    def set_company(self, company_id: str, **changes: Any) -> Company:
        company = self.get(company_id)
        allowed = {
            "expired",
            "web_services",
            "timezone",
            "concurrency_limit",
            "session_minutes",
            "entities",
            "multi_entity",
        }
        unknown = set(changes) - allowed
        if unknown:
            raise ModelError(f"cannot change {', '.join(sorted(unknown))} of a company")
        if "timezone" in changes:
            _check_timezone(changes["timezone"])
        for name, value in changes.items():
            setattr(company, name, list(value) if name == "entities" else value)
        self.save(company)
        return company

    def authorize_sender(self, company_id: str, sender_id: str, active: bool = True) -> None:
        company = self.get(company_id)
        company.senders[sender_id] = active
        self.save(company)

    # --- roles, users, rules ----------------------------------------------------------------------

    def create_role(self, company_id: str, name: str, permissions: dict[str, str]) -> Role:
        company = self.get(company_id)
        role = Role(name, {_permission_key(obj): _letters(p) for obj, p in permissions.items()})
        company.roles[name] = role
        self.save(company)
        return role

    def create_user(
        self,
        company_id: str,
        user_id: str,
        password: str,
        *,
        roles: tuple[str, ...] | list[str] = (),
        user_type: str = "business",
        admin: str = "full",
        status: str = "active",
        entities: list[str] | tuple[str, ...] | None = None,
        timezone: str | None = None,
        date_format: str = "MM/DD/YYYY",
        web_services_only: bool = True,
        employee_id: str | None = None,
    ) -> User:
        company = self.get(company_id)
        if company.user(user_id) is not None:
            raise ModelError(f"user {user_id!r} exists already in {company.company_id}")
        user = User(
            user_id,
            hash_password(password),
            roles=list(roles),
            user_type=user_type,
            admin=admin,
            status=status,
            entities=None if entities is None else list(entities),
            timezone=timezone,
            date_format=date_format,
            web_services_only=web_services_only,
            employee_id=employee_id or None,
        )
        _check_user(company, user)
        company.users[user_id] = user
        self.save(company)
        return user

    def set_user(self, company_id: str, user_id: str, **changes: Any) -> User:
        company = self.get(company_id)
        user = company.user(user_id)
        if user is None:
            raise ModelError(f"no user {user_id!r} in {company.company_id}")
        for name, value in changes.items():
            if name == "password":
                user.password_hash = hash_password(str(value))
            elif name in ("roles", "entities"):
                setattr(user, name, None if value is None else list(value))
            elif name in (
                "user_type",
                "admin",
                "status",
                "timezone",
                "date_format",
                "web_services_only",
                "employee_id",
            ):
                setattr(user, name, value)
            else:
                raise ModelError(f"cannot change {name!r} of a user")
        _check_user(company, user)
        self.save(company)
        return user

    def add_smart_rule(
        self,
        company_id: str,
        obj: str,
        event: str,
        condition: str,
        message: str,
        kind: str = "error",
        rule_id: str = "",
    ) -> SmartRule:
        company = self.get(company_id)
        if event not in SMART_RULE_EVENTS:
            raise ModelError(f"event must be one of {', '.join(SMART_RULE_EVENTS)}")
        if kind not in ("error", "warning"):
            raise ModelError("kind must be 'error' or 'warning'")
        compile_condition(condition)  # refuse what cannot be evaluated now, not at the first write
        rule_id = rule_id or f"{obj.upper()}_RULE_{len(company.smart_rules) + 1}"
        rule = SmartRule(obj.upper(), event, condition, message, kind, rule_id)
        company.smart_rules.append(rule)
        self.save(company)
        return rule


def _permission_key(key: str) -> str:
    """'*', 'module:AR' or an object name the sandbox knows (typos fail now, not as a denied read)."""
    from intacct_sandbox.objects import SCHEMAS

    if key == "*":
        return key
    if key.lower().startswith("module:"):
        module = key.split(":", 1)[1].upper()
        if module not in MODULES:
            raise ModelError(f"unknown module {module!r}: one of {', '.join(MODULES)}")
        return f"module:{module}"
    name = key.upper()
    if name not in SCHEMAS and name not in RIGHTS:
        raise ModelError(f"unknown object {key!r} in a role")
    return name


def _check_timezone(name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ModelError(f"unknown timezone {name!r}") from exc


def _check_user(company: Company, user: User) -> None:
    if user.user_type not in USER_TYPES:
        raise ModelError(f"user type must be one of {', '.join(USER_TYPES)}")
    if user.status not in ("active", "inactive", "lockedout"):
        raise ModelError("status must be active, inactive or lockedout")
    if user.admin not in ("full", "limited", "off"):
        raise ModelError("admin must be full, limited or off")
    missing = [r for r in user.roles if r not in company.roles]
    if missing:
        raise ModelError(f"no role {missing[0]!r} in {company.company_id}")
    unknown = [e for e in user.entities or [] if e not in company.entities]
    if unknown:
        raise ModelError(f"no entity {unknown[0]!r} in {company.company_id}")
    if user.timezone is not None:
        _check_timezone(user.timezone)
