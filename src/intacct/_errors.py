"""Every error the client raises, grouped by what the caller should do about it.

::

    IntacctError                    errorno, description, description2, correction, support_id,
    │                               controlid, object, errors (every <error>), http_status
    ├── TransportError              retry later (the client already retried within its budget)
    │   ├── ConnectionFailed        could not connect; nothing was sent
    │   ├── Timeout                 no answer in time (reads only; writes become OutcomeUnknown)
    │   ├── ServerError             HTTP 5xx (.status)
    │   ├── RateLimited             HTTP 429 / GW-0010 (.retry_after)
    │   └── ProtocolError           the answer is not a usable Intacct response (HTML, truncated,
    │       │                       malformed, wrong encoding, DOCTYPE/entities)
    │       └── ResponseTooLarge    the (decompressed) answer passed max_response_bytes
    ├── OutcomeUnknown              a write was sent and no answer came (524, reset, read timeout):
    │                               do not blindly resend; reconcile using .controlids
    ├── RequestRejected             the gateway refused the request itself (XL03000003, GW-0011):
    │                               a bug in the request, not in the setup
    ├── SetupError                  fix the Intacct setup; stop the run
    │   ├── EndpointNotAllowed         the endpoint (or getAPISession's) is outside allowed_endpoints
    │   ├── SenderCredentialsInvalid   sender ID / sender password wrong
    │   ├── SenderNotAuthorized        sender not authorized for this company
    │   ├── WebServicesNotSubscribed   the company has no Web Services subscription
    │   ├── UserCredentialsInvalid     company ID / user ID / user password wrong
    │   ├── UserInactive               the Web Services user is locked or inactive
    │   ├── EntityAccessDenied         the user may not use this entity (location)
    │   ├── CompanyUnavailable         demo expired, company locked
    │   └── SessionInvalid             session expired or unknown (renewed once automatically)
    └── FunctionError               fix this record; the run goes on
        ├── PermissionDenied           the role lacks List/View/Add/Edit/Delete on the object
        ├── NotFound                   the record (key) does not exist
        ├── AlreadyExists              a record with this ID exists (BL34000061)
        ├── AlreadyExecuted            uniqueid=true and this controlid already ran: reconcile
        ├── ValidationFailed           the record was refused (any other result failure)
        ├── SmartRuleRejected          a company Smart Rule refused the record
        ├── RolledBack                 transaction=true and another function failed (XL03000009)
        └── QueryFailed                unknown object/field, bad query, expired resultId

Which class an Intacct answer becomes is decided in one place, :data:`RULES`, from the error
number and text in the catalogue (docs/intacct/protocol.md §4.3).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

__all__ = [
    "AlreadyExecuted",
    "AlreadyExists",
    "CompanyUnavailable",
    "ConnectionFailed",
    "EndpointNotAllowed",
    "EntityAccessDenied",
    "ErrorDetail",
    "FunctionError",
    "IntacctError",
    "NotFound",
    "OutcomeUnknown",
    "PermissionDenied",
    "ProtocolError",
    "QueryFailed",
    "RateLimited",
    "RequestRejected",
    "ResponseTooLarge",
    "RolledBack",
    "SenderCredentialsInvalid",
    "SenderNotAuthorized",
    "ServerError",
    "SessionInvalid",
    "SetupError",
    "SmartRuleRejected",
    "Timeout",
    "TransportError",
    "UserCredentialsInvalid",
    "UserInactive",
    "ValidationFailed",
    "WebServicesNotSubscribed",
]


@dataclass(frozen=True)
class ErrorDetail:
    """One ``<error>`` element of an Intacct answer."""

    errorno: str = ""
    description: str = ""
    description2: str = ""
    correction: str = ""

    @property
    def text(self) -> str:
        return " ".join(p for p in (self.description, self.description2, self.correction) if p)


_SUPPORT_ID = re.compile(r"\[Support ID:\s*([^\]]+)\]")


def decode_support_id(*texts: str) -> str | None:
    """The ``[Support ID: a%7Eb]`` tag Intacct appends to description2, URL-decoded (``a~b``)."""
    for text in texts:
        m = _SUPPORT_ID.search(text or "")
        if m:
            return unquote(m.group(1).strip())
    return None


class IntacctError(Exception):
    """Base of every error raised by :mod:`intacct`."""

    def __init__(
        self,
        message: str = "",
        *,
        errors: Sequence[ErrorDetail] = (),
        controlid: str | None = None,
        object: str | None = None,
        http_status: int | None = None,
    ) -> None:
        self.errors: tuple[ErrorDetail, ...] = tuple(errors)
        first = self.errors[0] if self.errors else ErrorDetail()
        self.errorno = first.errorno
        self.description = first.description
        self.description2 = first.description2
        self.correction = first.correction
        self.support_id = decode_support_id(*(e.description2 for e in self.errors), message)
        self.controlid = controlid
        self.object = object
        self.http_status = http_status
        if not message:
            message = (
                "; ".join(f"{e.errorno}: {e.text}".strip(": ") for e in self.errors) or type(self).__name__
            )
        self.message = message
        super().__init__(message)

    def redact(self, scrub: Callable[[str], str]) -> IntacctError:
        """Mask secrets in every text this error carries (messages, error details, args)."""
        self.errors = tuple(
            ErrorDetail(scrub(e.errorno), scrub(e.description), scrub(e.description2), scrub(e.correction))
            for e in self.errors
        )
        self.description, self.description2 = scrub(self.description), scrub(self.description2)
        self.correction, self.message = scrub(self.correction), scrub(self.message)
        self.args = tuple(scrub(a) if isinstance(a, str) else a for a in self.args)
        return self

    def __str__(self) -> str:
        where = ", ".join(
            f"{k}={v}" for k, v in (("controlid", self.controlid), ("object", self.object)) if v
        )
        return f"{self.message} ({where})" if where else self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, errorno={self.errorno!r}, controlid={self.controlid!r})"
        )


class TransportError(IntacctError):
    """The request did not get a usable answer; safe to retry later."""


class ConnectionFailed(TransportError):
    """Could not connect (nothing was sent)."""


class Timeout(TransportError):
    """No answer in time."""


class ServerError(TransportError):
    """HTTP 5xx without a usable Intacct answer."""

    @property
    def status(self) -> int | None:
        return self.http_status


class RateLimited(TransportError):
    """HTTP 429 / GW-0010."""

    retry_after: float | None = None


class ProtocolError(TransportError):
    """The body is not a usable Intacct response."""


class ResponseTooLarge(ProtocolError):
    """The answer grew past the client's ``max_response_bytes`` (after decompression): reading
    stopped there, so a hostile or broken server cannot exhaust memory (a gzip bomb)."""


class OutcomeUnknown(IntacctError):
    """Writes were sent and no answer came back; they may or may not have been applied."""

    def __init__(self, message: str = "", *, controlids: Sequence[str] = (), **kw: object) -> None:
        self.controlids: tuple[str, ...] = tuple(controlids)
        super().__init__(message, **kw)  # type: ignore[arg-type]


class RequestRejected(IntacctError):
    """The gateway refused the request as malformed (a client bug, not a setup problem)."""


class SetupError(IntacctError):
    """The Intacct setup must be fixed before anything can run."""


class EndpointNotAllowed(SetupError):
    """The endpoint to send to (the configured one, or the one ``getAPISession`` answered) is not in
    the client's ``allowed_endpoints``: nothing was sent there, so no credential or session left."""

    def __init__(self, message: str = "", *, endpoint: str = "", **kw: object) -> None:
        self.endpoint = endpoint
        super().__init__(message, **kw)  # type: ignore[arg-type]


class SenderCredentialsInvalid(SetupError):
    """Sender ID or sender password wrong."""


class SenderNotAuthorized(SetupError):
    """Sender not authorized for this company (Company > Security > Web Services authorizations)."""


class WebServicesNotSubscribed(SetupError):
    """The company does not subscribe to Web Services."""


class UserCredentialsInvalid(SetupError):
    """Company ID, user ID or user password wrong."""


class UserInactive(SetupError):
    """The Web Services user is inactive or locked out."""


class EntityAccessDenied(SetupError):
    """The user may not sign in to this entity."""


class CompanyUnavailable(SetupError):
    """The company cannot be used (demo expired, locked)."""


class SessionInvalid(SetupError):
    """The session is unknown or expired."""


class FunctionError(IntacctError):
    """One function failed; the others in the request are unaffected (unless transaction=true)."""


class PermissionDenied(FunctionError):
    """The user's role lacks the permission for this operation on this object."""


class NotFound(FunctionError):
    """The record does not exist."""


class AlreadyExists(FunctionError):
    """A record with the same ID exists."""


class AlreadyExecuted(FunctionError):
    """uniqueid=true and this function controlid already ran: the earlier attempt applied."""


class ValidationFailed(FunctionError):
    """The record or the arguments were refused."""


class SmartRuleRejected(FunctionError):
    """A Smart Rule of the company refused the record."""


class RolledBack(FunctionError):
    """transaction=true and another function of the operation failed."""


class QueryFailed(FunctionError):
    """The query could not run (unknown object or field, bad query, expired resultId)."""


@dataclass(frozen=True)
class Rule:
    """``errorno`` exact match and/or a lower-case ``text`` fragment; ``layers`` where it applies."""

    cls: type[IntacctError]
    errorno: str | None = None
    text: str | None = None
    layers: tuple[str, ...] = ("control", "authentication", "result")

    def matches(self, layer: str, err: ErrorDetail) -> bool:
        if layer not in self.layers:
            return False
        if self.errorno is not None and err.errorno.strip().lower() != self.errorno.lower():
            return False
        if self.text is not None and self.text not in f"{err.errorno} {err.text}".lower():
            return False
        return True


_GATE = ("control", "authentication")

#: The one mapping table: first rule matching any error of the layer wins, so causes come before
#: the generic follow-up errors (BL01001973, XL03000009) Intacct appends.
RULES: tuple[Rule, ...] = (
    Rule(RateLimited, errorno="GW-0010"),
    Rule(RateLimited, text="api rate limit exceeded"),
    Rule(RequestRejected, errorno="GW-0011"),
    Rule(RequestRejected, errorno="XL03000003", layers=("control",)),
    Rule(WebServicesNotSubscribed, text="not authorized for xml transactions"),
    Rule(WebServicesNotSubscribed, text="subscribe to the xml gateway"),
    Rule(SenderNotAuthorized, text="invalid web services authorization"),
    Rule(SenderNotAuthorized, text="is not authorized to make web services requests"),
    Rule(SenderCredentialsInvalid, text="partner id or password"),
    Rule(SenderCredentialsInvalid, text="sender id or password"),
    Rule(SessionInvalid, text="invalid session", layers=_GATE),
    Rule(SessionInvalid, text="session has expired", layers=_GATE),
    Rule(EntityAccessDenied, text="entity", layers=_GATE),
    Rule(EntityAccessDenied, text="location", layers=_GATE),
    Rule(UserInactive, text="inactive", layers=_GATE),
    Rule(UserInactive, text="locked", layers=_GATE),
    Rule(UserCredentialsInvalid, errorno="XMLGW_JPP0002"),
    Rule(UserCredentialsInvalid, text="sign-in information is incorrect"),
    Rule(CompanyUnavailable, errorno="PL04000055"),
    Rule(SenderCredentialsInvalid, errorno="XL03000006", layers=("control",)),
    Rule(PermissionDenied, text="you do not have permission"),
    Rule(PermissionDenied, text="cannot be performed on objects of type"),
    Rule(PermissionDenied, text="permission denied"),
    Rule(SmartRuleRejected, text="smart rule"),
    Rule(SmartRuleRejected, text="smartrule"),
    Rule(AlreadyExecuted, text="already been executed"),
    Rule(AlreadyExecuted, errorno="XL03000008", layers=("result",)),
    Rule(AlreadyExists, errorno="BL34000061"),
    Rule(AlreadyExists, errorno="PL05000104"),
    Rule(AlreadyExists, text="already exists"),
    # An unknown object comes back as errorno "Query Failed", "XXX" (read, inspect) or XL03000009
    # (query): one class for all three, before XL03000009 would make it RolledBack and "not found"
    # NotFound (docs/intacct/gl-company-reads.md §3).
    Rule(QueryFailed, errorno="Query Failed"),
    Rule(QueryFailed, text="object definition"),
    Rule(QueryFailed, text="object type"),
    Rule(QueryFailed, text="invalid fields list"),
    Rule(QueryFailed, text="resultid"),
    Rule(NotFound, text="cannot find"),
    Rule(NotFound, text="non-existing"),
    Rule(NotFound, text="not found"),
    Rule(NotFound, text="does not exist"),
    Rule(RolledBack, errorno="XL03000009"),
)

_DEFAULT: dict[str, type[IntacctError]] = {
    "control": SetupError,
    "authentication": SetupError,
    "result": ValidationFailed,
}


def classify(layer: str, errors: Sequence[ErrorDetail]) -> type[IntacctError]:
    """The error class for the ``<error>`` list of one layer (control, authentication or result)."""
    for rule in RULES:
        if any(rule.matches(layer, e) for e in errors):
            return rule.cls
    return _DEFAULT[layer]


def error_for(
    layer: str,
    errors: Sequence[ErrorDetail],
    *,
    controlid: str | None = None,
    object: str | None = None,
    http_status: int | None = None,
    aborted: bool = False,
) -> IntacctError:
    """Build the typed error for an Intacct failure; ``aborted`` results are always RolledBack."""
    cls: type[IntacctError] = RolledBack if aborted else classify(layer, errors)
    # Report the error that decided the class first, so .errorno/.description name the cause.
    ordered = list(errors)
    for rule in RULES:
        if rule.cls is cls:
            hit = [e for e in ordered if rule.matches(layer, e)]
            if hit:
                ordered = hit[:1] + [e for e in ordered if e is not hit[0]]
                break
    return cls(errors=ordered, controlid=controlid, object=object, http_status=http_status)
