"""The gateway's CallContext: who is calling, in which company and entity, with which permissions."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from intacct_sandbox.company.model import Company, User
from intacct_sandbox.company.rules import compile_condition
from intacct_sandbox.faults import PermissionFault, SmartRuleFault

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def api_operation(function_name: str) -> str:
    """readByQuery -> READ_BY_QUERY, create_bill -> CREATE_BILL (the permission fault's wording)."""
    return _CAMEL.sub("_", function_name).upper()


class GatewayContext:
    """One function call's context (implements _contract.CallContext)."""

    def __init__(
        self,
        *,
        company: Company,
        user: User,
        location_id: str | None,
        dtd_version: str,
        controlid: str,
        function_name: str,
        store: Any,
        now: datetime,
        compact: bool = False,
    ) -> None:
        self.company = company
        self.user = user
        self.company_id = company.company_id
        self.user_id = user.user_id
        #: the signed-in login's own employee (timesheets of others need the API Proxy right)
        self.employee_id = user.employee_id
        self.location_id = location_id
        self.dtd_version = dtd_version
        self.controlid = controlid
        self.function_name = function_name
        self.store = store
        self.now = now
        self.compact = compact
        #: the Web Services user's timezone (their preference, else the company's)
        self.tzinfo: tzinfo = ZoneInfo(user.timezone or company.timezone)

    def require(self, obj: str, permission: str) -> None:
        if permission not in self.company.granted(self.user, obj):
            raise PermissionFault.for_operation(api_operation(self.function_name), obj)

    def check_smart_rules(self, obj: str, event: str, record: dict[str, Any]) -> None:
        for rule in self.company.smart_rules:
            if rule.object == obj.upper() and rule.event == event and rule.kind == "error":
                if compile_condition(rule.condition)(record):
                    # what integrations show from Intacct (docs/intacct/setup.md §3): the rule's ID, then
                    # its message (exact punctuation UNSURE)
                    raise SmartRuleFault(
                        f"Smart rule {rule.rule_id or rule.object} was violated. {rule.message}"
                    )

    def timestamp(self, when: datetime | None = None) -> str:
        d = (when or self.now).astimezone(self.tzinfo)
        # %-formatting: about twice as fast as strftime, and pages format thousands of these
        return "%02d/%02d/%04d %02d:%02d:%02d" % (d.month, d.day, d.year, d.hour, d.minute, d.second)  # noqa: UP031
