"""Safe parsing of request bodies: no DTD, no entities, no network; any DOCTYPE is refused.

Parse errors become XL03000003 control failures with one ``<error>`` per libxml2 error, worded the way
the gateway words them ("XML Parse schema error: Fatal Error 76: ... Line: 19, column: 18.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from intacct_sandbox.faults import ErrorDetail, XmlParseFault


def _parser() -> etree.XMLParser:
    # one per parse: its error_log then holds exactly this document's errors
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_LOCATION_SUFFIX = re.compile(r",? line \d+, column \d+$")


def _detail(kind: str, code: int, message: str, line: int, column: int) -> ErrorDetail:
    message = _LOCATION_SUFFIX.sub("", message.strip()).rstrip(".")
    return ErrorDetail(
        XmlParseFault.errorno,
        "",
        f"XML Parse schema error: {kind} {code}: {message}. Line: {line}, column: {column}.",
    )


def parse_request(body: bytes) -> etree._Element:
    """The request's root element, or XmlParseFault."""
    if _DOCTYPE.search(body[:65536] if len(body) > 65536 else body) is not None:
        line = body[: _DOCTYPE.search(body).start()].count(b"\n") + 1  # type: ignore[union-attr]
        raise XmlParseFault(
            f"XML Parse schema error: Fatal Error 94: DOCTYPE and entity declarations are not allowed. "
            f"Line: {line}, column: 1."
        )
    parser = _parser()
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        entries = list(parser.error_log.filter_from_errors())
        details = [
            _detail("Fatal Error" if e.level == 3 else "Error", e.type, e.message, e.line, e.column)
            for e in entries
        ] or [_detail("Fatal Error", int(getattr(exc, "code", 1)), exc.msg, exc.lineno or 1, exc.offset or 1)]
        fault = XmlParseFault(details[0].description2)
        fault.extra = details[1:]
        raise fault from None
    if root.getroottree().docinfo.internalDTD is not None or root.getroottree().docinfo.doctype:  # type: ignore[union-attr]
        raise XmlParseFault(
            "XML Parse schema error: Fatal Error 94: DOCTYPE is not allowed. Line: 1, column: 1."
        )
    return root


def salvage_echo(body: bytes) -> tuple[str, str]:
    """(senderid, controlid) from a body that failed to parse, when recoverable."""
    if _DOCTYPE.search(body) is not None:
        return "", ""
    try:
        root = etree.fromstring(
            body,
            etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True),
        )
    except etree.XMLSyntaxError:
        return "", ""
    if root is None:
        return "", ""
    return (root.findtext("control/senderid") or "", root.findtext("control/controlid") or "")


def schema_error(element: str, expected: str, where: etree._Element | None = None) -> XmlParseFault:
    return XmlParseFault(
        f"XML Parse schema error: Error 1871: Element '{element}': Missing child element(s). "
        f"Expected is ( {expected} ). Line: {_line(where)}, column: 1."
    )


def _line(el: etree._Element | None) -> int:
    line = el.sourceline if el is not None else None
    return line if isinstance(line, int) else 1


@dataclass
class Login:
    userid: str
    companyid: str
    password: str
    locationid: str | None
    clientid: str | None


@dataclass
class FunctionCall:
    controlid: str
    name: str
    element: etree._Element


@dataclass
class Operation:
    transaction: bool
    login: Login | None
    sessionid: str | None
    functions: list[FunctionCall] = field(default_factory=list)


@dataclass
class Envelope:
    senderid: str
    password: str
    controlid: str
    uniqueid: bool
    uniqueid_text: str
    dtdversion: str
    includewhitespace: bool
    policyid: str | None
    operations: list[Operation]
    #: the request body's length (asynchronous requests have a size limit of their own)
    size: int = 0


def _text(el: etree._Element | None, name: str) -> str | None:
    if el is None:
        return None
    child = el.find(name)
    return None if child is None else (child.text or "").strip()


def _bool(text: str | None, default: bool) -> bool:
    if text is None or text == "":
        return default
    value = text.strip().lower()
    if value not in ("true", "false", "1", "0"):
        raise XmlParseFault(
            f"XML Parse schema error: Error 1824: Element: '{value}' is not a valid value of the atomic type "
            "'xs:boolean'. Line: 1, column: 1."
        )
    return value in ("true", "1")


def read_envelope(root: etree._Element) -> Envelope:
    if root.tag != "request":
        raise XmlParseFault(
            f"XML Parse schema error: Error 1845: Element '{root.tag}': No matching global declaration "
            f"available for the validation root. Line: {_line(root)}, column: 1."
        )
    control = root.find("control")
    if control is None:
        raise schema_error("request", "control", root)
    senderid = _text(control, "senderid")
    controlid = _text(control, "controlid")
    if senderid is None:
        raise schema_error("control", "senderid", control)
    if controlid is None:
        raise schema_error("control", "controlid", control)
    dtd = _text(control, "dtdversion") or "3.0"
    if dtd not in ("2.1", "3.0"):
        raise XmlParseFault(
            "XML Parse schema error: Error 1840: Element 'dtdversion': [facet 'enumeration'] "
            f"The value '{dtd}' is not an element of the set {{'2.1', '3.0'}}. "
            f"Line: {_line(control)}, column: 1."
        )
    uniqueid_text = _text(control, "uniqueid")
    operations = [_operation(op) for op in root.findall("operation")]
    if not operations:
        raise schema_error("request", "operation", root)
    return Envelope(
        senderid=senderid,
        password=_text(control, "password") or "",
        controlid=controlid,
        # the documented default is true: a repeated function controlid is not run again
        uniqueid=_bool(uniqueid_text, True),
        uniqueid_text=(uniqueid_text or "true").lower(),
        dtdversion=dtd,
        includewhitespace=_bool(_text(control, "includewhitespace"), True),
        policyid=_text(control, "policyid") or None,
        operations=operations,
    )


def _operation(op: etree._Element) -> Operation:
    transaction = _bool(op.get("transaction"), False)
    auth = op.find("authentication")
    if auth is None:
        raise schema_error("operation", "authentication", op)
    login_el = auth.find("login")
    login = None
    sessionid = None
    if login_el is not None:
        login = Login(
            userid=_text(login_el, "userid") or "",
            companyid=_text(login_el, "companyid") or "",
            password=_text(login_el, "password") or "",
            locationid=_text(login_el, "locationid") or None,
            clientid=_text(login_el, "clientid") or None,
        )
    elif auth.find("sessionid") is not None:
        sessionid = _text(auth, "sessionid") or ""
    else:
        raise schema_error("authentication", "login, sessionid", auth)
    calls: list[FunctionCall] = []
    for content in op.findall("content"):
        for fn in content:
            if not isinstance(fn.tag, str):
                continue
            if fn.tag != "function":
                raise schema_error("content", "function", fn)
            controlid = fn.get("controlid")
            if controlid is None:
                raise XmlParseFault(
                    "XML Parse schema error: Error 1868: Element 'function': "
                    "The attribute 'controlid' is required but missing. "
                    f"Line: {fn.sourceline or 1}, column: 1."
                )
            inner = [c for c in fn if isinstance(c.tag, str)]
            if len(inner) != 1:
                raise schema_error("function", "one function element", fn)
            calls.append(FunctionCall(controlid, str(inner[0].tag), inner[0]))
    return Operation(transaction, login, sessionid, calls)
