"""Every error the sandbox can answer with, as classes that carry their wire code.

The gateway catches ``SandboxFault`` and writes its ``<errormessage>`` at the fault's ``layer``:

    SandboxFault
    ├── ControlFault          control layer: nothing ran (parse errors, bad sender, oversize body)
    ├── AuthenticationFault   authentication layer: no function ran (sign-in, session, sender not authorized)
    ├── ResultFault           result layer: only this function failed
    └── HttpFault             no XML envelope at all, or a bare one (429 GW-0010, 5xx, resets)

Values come from docs/intacct/protocol.md §4; where it says
UNSURE, the choice is marked ``modelled = True`` and listed in the generated coverage document.
Subclasses add their own codes; a raise site may override description2 / correction per instance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class ErrorDetail:
    """One ``<error>`` element."""

    errorno: str
    description: str = ""
    description2: str = ""
    correction: str = ""


class SandboxFault(Exception):
    """Base: an Intacct-style failure with one or more ``<error>`` elements."""

    layer: ClassVar[str] = "result"
    errorno: ClassVar[str] = "BL01001973"
    description: ClassVar[str] = ""
    description2: ClassVar[str] = ""
    correction: ClassVar[str] = ""
    #: True where docs/intacct/protocol.md marks the code or text UNSURE and the sandbox chose the most
    #: plausible one.
    modelled: ClassVar[bool] = False

    def __init__(
        self,
        description2: str | None = None,
        *,
        description: str | None = None,
        correction: str | None = None,
        extra: list[ErrorDetail] | None = None,
    ) -> None:
        self.detail = ErrorDetail(
            self.errorno,
            self.description if description is None else description,
            self.description2 if description2 is None else description2,
            self.correction if correction is None else correction,
        )
        # Intacct often follows the specific error with a generic BL01001973 one; callers add those here.
        self.extra: list[ErrorDetail] = list(extra or [])
        super().__init__(
            f"{self.detail.errorno}: {self.detail.description} {self.detail.description2}".strip()
        )

    @property
    def errors(self) -> list[ErrorDetail]:
        return [self.detail, *self.extra]


class ControlFault(SandboxFault):
    layer = "control"


class AuthenticationFault(SandboxFault):
    layer = "authentication"


class ResultFault(SandboxFault):
    layer = "result"


@dataclass
class HttpFault(Exception):
    """A response that is not a normal 200 XML envelope: status, headers and raw body (maybe empty)."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    #: "reset" closes the connection without any response.
    action: str = "respond"


# --- control layer ------------------------------------------------------------------------------


class XmlParseFault(ControlFault):
    """Not well-formed, not a request, a DOCTYPE, or a schema violation (docs/intacct/protocol.md §4.3)."""

    errorno = "XL03000003"


class SenderCredentialsFault(ControlFault):
    errorno = "XL03000006"
    description2 = "Incorrect Intacct XML Partner ID or password."
    #: docs/intacct/protocol.md §4.2 has this text from a third-party source only
    modelled = True


class TransportPolicyFault(ControlFault):
    errorno = "XL03000006"

    @classmethod
    def for_policy(cls, policy_id: str) -> TransportPolicyFault:
        return cls(f"{policy_id} is not a valid transport policy.")


class RequestTooLargeFault(ControlFault):
    """A body over the size limit. Intacct's code for this is undocumented."""

    errorno = "XL03000003"
    modelled = True

    @classmethod
    def for_limit(cls, limit: int) -> RequestTooLargeFault:
        return cls(f"XML request exceeds the maximum request size of {limit} bytes.")


class DemoExpiredFault(ControlFault):
    """The control block of this failure echoes nothing (docs/intacct/protocol.md §4.2)."""

    errorno = "PL04000055"
    description2 = "This company is a demo company and has expired."


# --- authentication layer -----------------------------------------------------------------------


class SignInFault(AuthenticationFault):
    errorno = "XL03000006"
    description2 = "Sign-in information is incorrect"


class SessionInvalidFault(AuthenticationFault):
    errorno = "XL03000006"
    description2 = "Invalid session"


class SenderNotAuthorizedFault(AuthenticationFault):
    errorno = "XL03000006"
    description = "Invalid Web Services Authorization"
    correction = "Contact the company administrator to grant Web Services authorization to this sender ID."

    @classmethod
    def for_sender(cls, sender_id: str, company_id: str) -> SenderNotAuthorizedFault:
        return cls(
            f"The sender ID '{sender_id}' is not authorized to make Web Services requests "
            f"to company ID '{company_id}'."
        )


class NotSubscribedFault(AuthenticationFault):
    """Web Services subscription off: the text is documented, the layer and code are not."""

    errorno = "XL03000006"
    description2 = "This company is not authorized for XML transactions. Please subscribe to the XML Gateway."
    modelled = True


class EntityAccessFault(AuthenticationFault):
    """A login or session asking for an entity the user may not use (text modelled)."""

    errorno = "XL03000006"
    modelled = True


# --- result layer -------------------------------------------------------------------------------


class PermissionFault(ResultFault):
    errorno = "PL04000005"
    #: a single third-party source for the code
    modelled = True

    @classmethod
    def for_operation(cls, operation: str, obj: str) -> PermissionFault:
        return cls(
            f"You do not have permission for API operation {operation} on objects of type {obj.lower()}"
        )


class SmartRuleFault(ResultFault):
    """An error smart rule matched the record; its message is description2."""

    errorno = "BL01001973"
    modelled = True


class DuplicateControlIdFault(ResultFault):
    """uniqueid=true and this function controlid already completed: no public sample exists."""

    errorno = "XL03000008"
    modelled = True

    @classmethod
    def for_controlid(cls, controlid: str) -> DuplicateControlIdFault:
        return cls(
            f"The function with controlid '{controlid}' has already been executed; "
            "with uniqueid=true it is not executed again."
        )


class UnknownFunctionFault(ResultFault):
    """A function element the sandbox does not model: a loud failure instead of a guess."""

    errorno = "XL03000003"
    modelled = True

    @classmethod
    def for_name(cls, name: str, dtd_version: str) -> UnknownFunctionFault:
        return cls(f"Function '{name}' is not implemented in the sandbox (dtdversion {dtd_version}).")


class SessionLocationFault(ResultFault):
    """getAPISession for an entity the user may not use (text modelled)."""

    errorno = "XL03000006"
    modelled = True


#: the XL03000009 error added to every result of a rolled-back transaction
ROLLED_BACK = ErrorDetail(
    "XL03000009", "", "The entire transaction in this operation has been rolled back due to an error.", ""
)


# --- HTTP-level answers ---------------------------------------------------------------------------


def bare_error_body(errorno: str, description: str) -> bytes:
    """The bare control-failure body the gateway's GW-/XMLGW_ errors carry (docs/intacct/protocol.md §4.1)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><response><control><status>failure</status></control>'
        f"<errormessage><error><errorno>{errorno}</errorno><description>{description}</description>"
        "</error></errormessage></response>"
    ).encode()


XML_HEADERS = {"Content-Type": 'text/xml; encoding="UTF-8"'}


def rate_limited(request_id: str) -> HttpFault:
    """HTTP 429 GW-0010; the description wording is modelled (TV24, docs/intacct/protocol.md §13.5)."""
    return HttpFault(
        429, bare_error_body("GW-0010", f"Rate limit exceeded [Request ID: {request_id}]"), XML_HEADERS
    )


def invalid_request(request_id: str) -> HttpFault:
    return HttpFault(
        400, bare_error_body("GW-0011", f"Invalid Request [Request ID: {request_id}]"), XML_HEADERS
    )


def sign_in_rejected() -> HttpFault:
    return HttpFault(
        401,
        bare_error_body("XMLGW_JPP0002", "Sign-in information is incorrect. Please check your request."),
        XML_HEADERS,
    )


#: fault classes of this module whose code or text the sandbox chose (for the coverage document)
GATEWAY_FAULTS: tuple[type[SandboxFault], ...] = (
    XmlParseFault,
    SenderCredentialsFault,
    TransportPolicyFault,
    DemoExpiredFault,
    RequestTooLargeFault,
    SignInFault,
    SessionInvalidFault,
    SenderNotAuthorizedFault,
    NotSubscribedFault,
    EntityAccessFault,
    PermissionFault,
    SmartRuleFault,
    DuplicateControlIdFault,
    UnknownFunctionFault,
    SessionLocationFault,
)
