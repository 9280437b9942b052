"""The one serializer: response envelopes and FunctionOutcome -> XML bytes.

Built by appending escaped strings to a list (no per-record DOM): a 1,000-record page must cost far
less than parsing it. ``pretty`` follows the request's ``includewhitespace`` (true = indented).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from intacct_sandbox._contract import FunctionOutcome
from intacct_sandbox.faults import ErrorDetail
from intacct_sandbox.xmltext import esc, esc_attr

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


class Out:
    """An append-only XML text builder with optional indentation."""

    __slots__ = ("depth", "parts", "pretty")

    def __init__(self, pretty: bool) -> None:
        self.parts: list[str] = []
        self.pretty = pretty
        self.depth = 0

    def _nl(self) -> None:
        if self.pretty:
            self.parts.append("\n" + "  " * self.depth)

    def open(self, tag: str, attrs: dict[str, str] | None = None) -> None:
        self._nl()
        if attrs:
            self.parts.append(f"<{tag}" + "".join(f' {k}="{esc_attr(v)}"' for k, v in attrs.items()) + ">")
        else:
            self.parts.append(f"<{tag}>")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self._nl()
        self.parts.append(f"</{tag}>")

    def leaf(self, tag: str, text: str | None) -> None:
        self._nl()
        self.parts.append(f"<{tag}/>" if text is None or text == "" else f"<{tag}>{esc(text)}</{tag}>")

    def empty(self, tag: str, attrs: dict[str, str]) -> None:
        self._nl()
        self.parts.append(f"<{tag}" + "".join(f' {k}="{esc_attr(v)}"' for k, v in attrs.items()) + "/>")

    def raw(self, fragment: str) -> None:
        self._nl()
        self.parts.append(fragment)

    def record(self, tag: str, record: dict[str, Any]) -> None:
        if not self.pretty:
            self.parts.append(_compact_record(tag, record))
            return
        self.open(tag)
        for name, value in record.items():
            self.value(name, value)
        self.close(tag)

    def value(self, name: str, value: Any) -> None:
        if isinstance(value, dict):
            self.record(name, value)
        elif isinstance(value, list):
            for item in value:
                self.value(name, item)
        else:
            self.leaf(name, None if value is None else value if isinstance(value, str) else str(value))

    def bytes(self) -> bytes:
        return (XML_DECLARATION + "".join(self.parts) + ("\n" if self.pretty else "")).encode("utf-8")


def _compact_record(tag: str, record: dict[str, Any]) -> str:
    # the hot path of big pages: one flat string join per record
    parts = [f"<{tag}>"]
    append = parts.append
    for name, value in record.items():
        if isinstance(value, str):
            if value:
                if "&" in value or "<" in value or ">" in value:
                    value = esc(value)
                append(f"<{name}>{value}</{name}>")
            else:
                append(f"<{name}/>")
        elif value is None:
            append(f"<{name}/>")
        elif isinstance(value, dict):
            append(_compact_record(name, value))
        elif isinstance(value, list):
            for item in value:
                append(
                    _compact_record(name, item)
                    if isinstance(item, dict)
                    else f"<{name}>{esc(str(item))}</{name}>"
                )
        else:
            append(f"<{name}>{esc(str(value))}</{name}>")
    append(f"</{tag}>")
    return "".join(parts)


def errors(out: Out, details: Iterable[ErrorDetail]) -> None:
    out.open("errormessage")
    for d in details:
        out.open("error")
        out.leaf("errorno", d.errorno)
        out.leaf("description", d.description or None)
        out.leaf("description2", d.description2 or None)
        out.leaf("correction", d.correction or None)
        out.close("error")
    out.close("errormessage")


@dataclass
class ControlEcho:
    status: str = "success"
    senderid: str = ""
    controlid: str = ""
    uniqueid: str = "false"
    dtdversion: str = "3.0"


def control(out: Out, echo: ControlEcho) -> None:
    out.open("control")
    out.leaf("status", echo.status)
    out.leaf("senderid", echo.senderid)
    out.leaf("controlid", echo.controlid)
    out.leaf("uniqueid", echo.uniqueid)
    out.leaf("dtdversion", echo.dtdversion)
    out.close("control")


def control_failure(echo: ControlEcho, details: list[ErrorDetail], pretty: bool) -> bytes:
    out = Out(pretty)
    out.open("response")
    echo.status = "failure"
    control(out, echo)
    errors(out, details)
    out.close("response")
    return out.bytes()


@dataclass
class AuthEcho:
    status: str
    userid: str = ""
    companyid: str = ""
    locationid: str | None = None
    sessiontimestamp: str | None = None
    sessiontimeout: str | None = None
    #: the 2.1 response DTD has no sessiontimeout
    dtd_version: str = "3.0"


def authentication(out: Out, auth: AuthEcho) -> None:
    out.open("authentication")
    out.leaf("status", auth.status)
    out.leaf("userid", auth.userid)
    out.leaf("companyid", auth.companyid)
    if auth.status == "success":
        out.leaf("locationid", auth.locationid or "")
        out.leaf("sessiontimestamp", auth.sessiontimestamp)
        if auth.dtd_version != "2.1":
            out.leaf("sessiontimeout", auth.sessiontimeout)
    out.close("authentication")


@dataclass
class ResultEntry:
    status: str
    function: str
    controlid: str
    outcome: FunctionOutcome | None = None
    errors: list[ErrorDetail] = field(default_factory=list)


def result(out: Out, entry: ResultEntry) -> None:
    out.open("result")
    out.leaf("status", entry.status)
    out.leaf("function", entry.function)
    out.leaf("controlid", entry.controlid)
    outcome = entry.outcome
    if outcome is not None and outcome.data_after_errors and entry.errors:
        errors(out, entry.errors)
        data(out, outcome)
        out.close("result")
        return
    if outcome is not None:
        if outcome.legacy_listtype is not None:
            name, attrs = outcome.legacy_listtype
            out._nl()
            attr_text = "".join(f' {k}="{esc_attr(v)}"' for k, v in attrs.items())
            out.parts.append(f"<listtype{attr_text}>{esc(name)}</listtype>")
        if outcome.key is not None:
            out.leaf("key", outcome.key)
        if outcome.raw_data is not None:
            out.raw(outcome.raw_data.decode("utf-8"))
        elif not outcome.no_data and (
            outcome.records or outcome.fragments or outcome.data_attrs or outcome.key is None
        ):
            data(out, outcome)
    elif entry.status == "failure" and entry.function in ("create", "update"):
        # a failed generic write still carries an empty <data> (TV21, docs/intacct/protocol.md §13.4)
        out.empty("data", {"listtype": "objects", "count": "0"})
    if entry.errors:
        errors(out, entry.errors)
    out.close("result")


def data(out: Out, outcome: FunctionOutcome) -> None:
    if outcome.fragments and not out.pretty:
        # records the function rendered already (compact answers only): written verbatim
        out.open("data", outcome.data_attrs)
        out.parts.extend(outcome.fragments)
        out.close("data")
        return
    if outcome.fragments:
        raise ValueError("pre-rendered fragments in an indented answer")
    if not outcome.records:
        if outcome.data_attrs:
            out.empty("data", outcome.data_attrs)
        else:
            out.leaf("data", None)
        return
    out.open("data", outcome.data_attrs)
    for tag, record in outcome.records:
        out.record(tag, record)
    out.close("data")
