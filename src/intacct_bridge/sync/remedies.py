"""One catalogue that turns an Intacct error (errorno and text) into a plain-language fix.

Every per-record issue and every failed run goes through ``remedy_for``. Entries are tried in order;
the first whose errorno or text pattern matches wins, so specific entries come before broad ones.
A remedy whose ``setup_step`` is set points at the setup checklist (docs/intacct/setup.md §1): the fix is in
Intacct's configuration, not in the record, and retrying the record alone will not help.

Codes the engine raises itself (missing local reference, bad value) start with ``IB-``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Setup checklist steps, in the checklist's words (docs/intacct/setup.md §1).
SETUP_STEPS: dict[str, str] = {
    "web_services": "1. Subscribe the company to Web Services (Company > Subscriptions).",
    "sender": (
        "2. Authorize the sender ID (Company Info > Security > Web Services authorizations, status Active)."
    ),
    "role": (
        "3. Give the role the permissions the integration needs (List, View, Add, Edit, Delete per object)."
    ),
    "user": "4. Set up the Web Services user (user type Business, admin Full, the role, entity access).",
    "credentials": (
        "5. Enter the company ID, user ID and password of the Web Services user on the Connection page."
    ),
    "smart_rules": "6. Exempt the Web Services user from Smart Rules, or fix the record the rule rejects.",
}


@dataclass(frozen=True)
class Remedy:
    code: str  # our stable key ("missing-permission")
    title: str
    fix: str
    setup_step: str = ""  # a key of SETUP_STEPS when the fix is in Intacct's setup
    retry_helps: bool = False  # True for passing conditions (rate limits, outages)

    @property
    def checklist(self) -> str:
        return SETUP_STEPS.get(self.setup_step, "")


@dataclass(frozen=True)
class _Entry:
    remedy: Remedy
    errornos: frozenset[str] = frozenset()
    pattern: re.Pattern[str] | None = None

    def matches(self, errorno: str, text: str) -> bool:
        if errorno and errorno in self.errornos:
            return True
        return bool(self.pattern and self.pattern.search(text))


def _entry(
    code: str,
    title: str,
    fix: str,
    *,
    errornos: tuple[str, ...] = (),
    pattern: str = "",
    setup_step: str = "",
    retry_helps: bool = False,
) -> _Entry:
    return _Entry(
        Remedy(code, title, fix, setup_step, retry_helps),
        frozenset(errornos),
        re.compile(pattern, re.IGNORECASE) if pattern else None,
    )


CATALOGUE: tuple[_Entry, ...] = (
    _entry(
        "web-services-off",
        "Web Services is not subscribed",
        "Turn on the Web Services subscription in Intacct, then run Test connection.",
        pattern=r"not authorized for XML transactions|subscribe to the XML Gateway",
        setup_step="web_services",
    ),
    _entry(
        "sender-not-authorized",
        "The sender ID is not authorized for this company",
        "Add the sender ID under Web Services authorizations with status Active (it is case-sensitive).",
        pattern=r"sender ID .* is not authorized|Invalid Web Services Authorization",
        setup_step="sender",
    ),
    _entry(
        "sign-in-failed",
        "Intacct refused the sign-in",
        "Check the company ID, user ID and password of the Web Services user; re-enter them if they changed.",
        errornos=("XMLGW_JPP0002", "GW-0011"),
        pattern=r"Sign-in information is incorrect|Partner ID or password|Invalid session",
        setup_step="credentials",
    ),
    _entry(
        "user-inactive",
        "The Web Services user is inactive or locked out",
        "Set the Web Services user's status to Active in Intacct.",
        pattern=r"user .*(inactive|locked ?out)|(inactive|locked) user",
        setup_step="user",
    ),
    _entry(
        "missing-permission",
        "The Web Services user's role lacks a permission",
        "Give the role List and View on this object (and Add/Edit for records the app writes), then retry.",
        errornos=("PL04000005",),
        pattern=r"do not have permission|not have (the )?permission|not authorized to perform|"
        r"permission denied",
        setup_step="role",
    ),
    _entry(
        "entity-restriction",
        "The record belongs to an entity the user may not reach",
        "Give the Web Services user access to the record's entity (or top level), or bind the workspace "
        "to the entity that owns the record.",
        pattern=r"entit(y|ies).*(restrict|not (allowed|authori[sz]ed|accessible))|top[- ]level only|"
        r"root[- ]level|restricted to (another|a different) entity|EntityAccessDenied",
        setup_step="user",
    ),
    _entry(
        "module-off",
        "An Intacct application or feature is not subscribed",
        "Subscribe the company to the application this object belongs to, or turn the feature on.",
        pattern=r"module is not subscribed|is not subscribed|feature is disabled for your company",
    ),
    _entry(
        "smart-rule",
        "A Smart Rule in Intacct rejected the record",
        "Fix the field the rule checks (its message says which), or exempt the Web Services user from the "
        'rule: add  {!USERPROFILE.LOGIN!} == "<user>"  to its condition.',
        pattern=r"smart ?rule",
        setup_step="smart_rules",
    ),
    _entry(
        "closed-period",
        "The accounting period is closed",
        "Reopen the period in Intacct or change the record's date to an open period.",
        pattern=r"period (is )?closed|closed period|books are closed|close(d)? (the )?books",
    ),
    _entry(
        "inactive-dimension",
        "A referenced dimension is inactive or missing",
        "Activate the department, location, class or project in Intacct, or pick an active one.",
        pattern=r"(department|location|class|project|item|employee|vendor|customer|dimension)\b.*"
        r"\b(is )?inactive|invalid (department|location|class|project|item|dimension)|"
        r"(department|location|class|project|dimension) .*(does not exist|not found|is not valid)",
    ),
    # bills entered in the app (checked before sending, ap/rules.py) and Intacct's bill refusals
    _entry(
        "bill-account",
        "A bill line's GL account cannot be used",
        "Open the bill and pick an active account of the chart for that line (or reactivate the account "
        "in Sage Intacct and sync the chart); the bill goes with the next sync.",
        errornos=("IB-ACCOUNT",),
    ),
    _entry(
        "bill-vendor",
        "The bill's vendor cannot take bills",
        "Choose an active vendor that is in Sage Intacct (or reactivate or link this one); the bill goes "
        "with the next sync.",
        errornos=("IB-VENDOR",),
    ),
    _entry(
        "bill-total",
        "The bill's total is not positive",
        "Correct the line amounts so the bill totals more than zero (enter credits as vendor credits in "
        "Sage Intacct).",
        errornos=("IB-AMOUNT",),
    ),
    _entry(
        "bill-dates",
        "The bill lacks a date",
        "Enter the bill date and the due date (due on or after the bill date) in the app.",
        errornos=("IB-BILLDATE",),
    ),
    _entry(
        "duplicate-bill-number",
        "The vendor already has a bill with this number",
        "If it is the same bill, it is in Sage Intacct already: delete this copy in the app. Otherwise "
        "correct the bill number (vendors' numbers must be unique) and it goes with the next sync.",
        errornos=("IB-BILLNO",),
        pattern=r"bill number|Bill with the given value",
    ),
    _entry(
        "duplicate",
        "A record with the same ID already exists",
        "Link the existing Intacct record instead of creating a new one, or change the ID.",
        errornos=("BL34000061", "PL05000104"),
        pattern=r"already exists|duplicate",
    ),
    _entry(
        "unknown-country",
        "The country is not one Intacct knows",
        "Correct the country in Intacct (use the country's full name as Intacct lists it).",
        errornos=("IB-COUNTRY",),
        pattern=r"(invalid|unknown) country|country .*(invalid|not valid)",
    ),
    _entry(
        "required-field",
        "A required field is empty",
        "Fill in the field named in the message in Intacct; the record syncs on the next run.",
        errornos=("IB-REQUIRED", "PL01000127"),
        pattern=r"required|is missing|must not be empty|cannot be blank",
    ),
    _entry(
        "missing-reference",
        "The record refers to something not imported yet",
        "Import the referenced record first (for example the employee's department), then retry.",
        errornos=("IB-REFERENCE",),
    ),
    _entry(
        "not-found",
        "The Intacct record no longer exists",
        "It was deleted in Intacct; the local record is unlinked and can be linked to another record.",
        pattern=r"cannot find|not found|does not exist|no longer exists",
    ),
    _entry(
        "already-linked",
        "That Intacct record is already linked to another local record",
        "Unlink the other local record first, or choose a different Intacct record.",
        errornos=("IB-LINKED",),
    ),
    _entry(
        "rate-limited",
        "Intacct asked us to slow down",
        "Nothing to fix: the records are retried on the next run.",
        errornos=("GW-0010",),
        pattern=r"rate limit|too many requests|temporarily off-?line",
        retry_helps=True,
    ),
    _entry(
        "outcome-unknown",
        "Intacct did not confirm the write",
        "Nothing to fix: the next run reads the record back before writing again, so it is never duplicated.",
        errornos=("IB-UNKNOWN",),
        retry_helps=True,
    ),
    _entry(
        "bad-value",
        "A field value could not be read",
        "Correct the value in Intacct (the message names it); the record syncs on the next run.",
        errornos=("IB-VALUE",),
    ),
)

#: the checks the family apps make before anything is sent: their texts say what is wrong and how to
#: fix it, in the app; these remedies say where, by family of codes
APP_CHECKS: tuple[tuple[str, Remedy], ...] = (
    (
        "IB-AR-ACCOUNTS IB-AR-UNDEPOSITED IB-AR-ENTITY IB-AR-ADJUSTMENTS",
        Remedy(
            "ar-settings",
            "The accounting settings are incomplete",
            "Choose active accounts (and the adjustment entity) under Configurations > Billing > Accounting, "
            "then retry the payment or adjustment.",
        ),
    ),
    (
        "IB-AR-",
        Remedy(
            "ar-input",
            "The payment or adjustment was refused before sending",
            "Nothing was sent to Sage Intacct. Correct the amount, invoices or lines as the message says "
            "(sync invoices first if Intacct changed them), then retry.",
        ),
    ),
    (
        "IB-PSA-",
        Remedy(
            "project-check",
            "The project or task was held back before sending",
            "Nothing was sent to Sage Intacct. Do what the message says on the project's page (link, change "
            "the ID, the client, the stage or the end date); it goes with the next sync.",
        ),
    ),
    (
        "IB-PERSON IB-TASK IB-TASK-CLOSED IB-PROJECT-INACTIVE IB-CLIENT IB-NO-HOURS",
        Remedy(
            "timesheet-check",
            "The timesheet was held back before sending",
            "Nothing was sent to Sage Intacct. Fix the person, project or task the message names (or the "
            "entries), then approve and sync again.",
        ),
    ),
    (
        "IB-",
        Remedy(
            "app-check",
            "The record was held back before sending",
            "Nothing was sent to Sage Intacct. Fix the record in the app as the message says; it goes with "
            "the next sync.",
        ),
    ),
)


def _app_check(errorno: str) -> Remedy | None:
    for codes, remedy in APP_CHECKS:
        for code in codes.split():
            if errorno == code or (code.endswith("-") and errorno.startswith(code)):
                return remedy
    return None


FALLBACK = Remedy(
    "other",
    "Intacct rejected the record",
    "Read Intacct's message and correction above, fix the record in Intacct, then retry it here.",
)


def remedy_for(errorno: str | None, *texts: str | None) -> Remedy:
    """The catalogue's remedy for an error number and its texts (description, description2, correction)."""
    number = (errorno or "").strip()
    text = " ".join(t for t in texts if t)
    for entry in CATALOGUE:
        if entry.matches(number, text):
            return entry.remedy
    return _app_check(number) or FALLBACK
