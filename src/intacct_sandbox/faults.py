"""Every error the sandbox can answer with, as classes that carry their wire code.

The gateway catches ``SandboxFault`` and writes its ``<errormessage>`` at the fault's ``layer``:

    SandboxFault
    ├── ControlFault          control layer: nothing ran (parse errors, bad sender, oversize body)
    ├── AuthenticationFault   authentication layer: no function ran (sign-in, session, sender not authorized)
    ├── ResultFault           result layer: only this function failed
    └── HttpFault             no XML envelope at all, or a bare one (429 GW-0010, 5xx, resets)

Values come from the protocol dossier (shared/intacct-xml-protocol.md §4); where the dossier says
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
    #: True where the dossier marks the code or text UNSURE and the sandbox chose the most plausible one.
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
        super().__init__(f"{self.detail.errorno}: {self.detail.description} {self.detail.description2}".strip())

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
