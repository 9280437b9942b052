"""Hardened parsing of gateway responses.

The body is fed in chunks as it arrives (``ResponseParser.feed``) to an lxml parser that never loads
a DTD, never resolves or expands entities and has no network access; a DOCTYPE or ENTITY declaration
is refused outright. The parser builds the response's tree as the bytes come in; ``close()`` then
turns each ``<result>`` into plain dicts in one pass and drops the tree. A response is one request's
answer (a page of at most 2,000 records, or at most a batch of writes), so memory is bounded by one
response, whatever the size of the whole read.

Records: one dict per child of ``<data>``; leaf elements give their text (``None`` when empty),
nested elements give nested dicts (``read``), dotted names (``readByQuery``/``query``) stay dotted
keys, a repeated element gives a list. An element with attributes gives a dict: its attributes as
``@name`` keys, its child elements, and its text (when not blank) as ``#text`` —
``<type typename="APBILL">AP Bill</type>`` gives ``{"@typename": "APBILL", "#text": "AP Bill"}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from intacct._errors import ErrorDetail, ProtocolError

__all__ = ["Authentication", "Control", "RawResult", "Response", "ResponseParser", "parse_response"]

Record = dict[str, Any]

_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")
_TAIL = max(len(x) for x in _FORBIDDEN)


@dataclass
class Control:
    status: str
    senderid: str | None = None
    controlid: str | None = None
    uniqueid: str | None = None
    dtdversion: str | None = None


@dataclass
class Authentication:
    status: str
    userid: str | None = None
    companyid: str | None = None
    locationid: str | None = None
    sessiontimestamp: str | None = None
    sessiontimeout: str | None = None


@dataclass
class RawResult:
    """One ``<result>`` as it came: status, function, controlid, data and errors."""

    status: str
    function: str
    controlid: str
    records: list[Record] = field(default_factory=list)
    data_attrs: dict[str, str] = field(default_factory=dict)
    has_data: bool = False
    key: str | None = None
    listtype: str | None = None
    errors: list[ErrorDetail] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "success"


@dataclass
class Response:
    control: Control | None = None
    control_errors: list[ErrorDetail] = field(default_factory=list)
    authentication: Authentication | None = None
    auth_errors: list[ErrorDetail] = field(default_factory=list)
    results: list[RawResult] = field(default_factory=list)
    acknowledgement: str | None = None
    ack_errors: list[ErrorDetail] = field(default_factory=list)


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    t = el.text
    return t.strip() if t is not None else None


def _child_text(el: etree._Element, tag: str) -> str | None:
    return _text(el.find(tag))


def _errors(errormessage: etree._Element | None) -> list[ErrorDetail]:
    if errormessage is None:
        return []
    out = []
    for err in errormessage.iterfind("error"):
        out.append(
            ErrorDetail(
                errorno=_child_text(err, "errorno") or "",
                description=_child_text(err, "description") or "",
                description2=_child_text(err, "description2") or "",
                correction=_child_text(err, "correction") or "",
            )
        )
    return out


def _attrs(el: etree._Element, prefix: str) -> dict[str, Any]:
    return {prefix + str(k): str(v) for k, v in el.attrib.items()}


def record(el: etree._Element) -> Record:
    """An element as a plain dict (see the module docstring)."""
    out: Record = _attrs(el, "@") if el.attrib else {}
    lists: set[str] | None = None
    for child in el:
        tag = child.tag
        # Fast path: the flat leaf of readByQuery/query records.
        value = child.text if not len(child) and not child.attrib else record(child)
        if tag in out:
            if lists is None:
                lists = set()
            if tag not in lists:
                out[tag] = [out[tag]]
                lists.add(tag)
            out[tag].append(value)
        else:
            out[tag] = value
    text = el.text
    if text and not text.isspace():
        # the text of an element that also has attributes (or children) is kept, never dropped
        out["#text"] = text
    return out


#: whether any record has attributes, or any field has attributes or children
_NOT_FLAT = etree.XPath("boolean(*/@* | */*/@* | */*/*)")


def _records(data: etree._Element) -> list[Record]:
    if not len(data):
        return []
    # One C-level check per page: flat records (readByQuery/query) take the fast path, one dict
    # comprehension per record; nested or attributed ones (read, inspect, lookup) the general walk.
    if _NOT_FLAT(data):
        return [record(rec) for rec in data]
    out: list[Record] = []
    append = out.append
    for rec in data:
        flat = {c.tag: c.text for c in rec}
        # a repeated name becomes a list; a record without fields keeps its text
        append(flat if flat and len(flat) == len(rec) else record(rec))
    return out


def _result(el: etree._Element) -> RawResult:
    status = _child_text(el, "status")
    function = _child_text(el, "function")
    controlid = _child_text(el, "controlid")
    if status is None or function is None or controlid is None:
        raise ProtocolError("a <result> lacks status, function or controlid")
    res = RawResult(status=status, function=function, controlid=controlid)
    data = el.find("data")
    if data is not None:
        res.has_data = True
        res.data_attrs = _attrs(data, "")
        res.records = _records(data)
    res.key = _child_text(el, "key")
    lt = el.find("listtype")
    if lt is not None:
        res.listtype = _text(lt)
        res.data_attrs.update(_attrs(lt, "listtype."))
    res.errors = _errors(el.find("errormessage"))
    return res


def _new_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        remove_blank_text=True,
        collect_ids=False,
    )


def _control(el: etree._Element) -> Control:
    status = _child_text(el, "status")
    if status is None:
        raise ProtocolError("<control> without <status>")
    return Control(
        status=status,
        senderid=_child_text(el, "senderid"),
        controlid=_child_text(el, "controlid"),
        uniqueid=_child_text(el, "uniqueid"),
        dtdversion=_child_text(el, "dtdversion"),
    )


def _authentication(el: etree._Element) -> Authentication:
    status = _child_text(el, "status")
    if status is None:
        raise ProtocolError("<authentication> without <status>")
    return Authentication(
        status=status,
        userid=_child_text(el, "userid"),
        companyid=_child_text(el, "companyid"),
        locationid=_child_text(el, "locationid"),
        sessiontimestamp=_child_text(el, "sessiontimestamp"),
        sessiontimeout=_child_text(el, "sessiontimeout"),
    )


def _response(root: etree._Element) -> Response:
    resp = Response()
    for el in root:
        tag = el.tag
        if tag == "control":
            resp.control = _control(el)
        elif tag == "errormessage":
            resp.control_errors = _errors(el)
        elif tag == "acknowledgement":
            resp.acknowledgement = _child_text(el, "status")
            resp.ack_errors = _errors(el.find("errormessage"))
        elif tag == "operation":
            for child in el:
                ctag = child.tag
                if ctag == "result":
                    resp.results.append(_result(child))
                elif ctag == "authentication":
                    resp.authentication = _authentication(child)
                elif ctag == "errormessage":
                    resp.auth_errors = _errors(child)
    return resp


class ResponseParser:
    """Feed bytes as they arrive, then ``close()`` for the :class:`Response`."""

    def __init__(self) -> None:
        self._parser = _new_parser()
        self._tail = b""
        self._fed = 0

    def feed(self, chunk: bytes) -> None:
        if not chunk:
            return
        # The chunk itself, and the seam with the previous chunk, without copying the chunk.
        seam = self._tail + chunk[:_TAIL]
        for bad in _FORBIDDEN:
            if bad in chunk or bad in seam:
                raise ProtocolError(f"response contains {bad.decode()}: refused (no DTDs, no entities)")
        self._tail = (self._tail + chunk)[-_TAIL:] if len(chunk) < _TAIL else chunk[-_TAIL:]
        self._fed += len(chunk)
        try:
            self._parser.feed(chunk)
        except etree.XMLSyntaxError as exc:
            raise ProtocolError(f"malformed XML response: {exc}") from None

    def close(self) -> Response:
        if not self._fed:
            raise ProtocolError("empty response body")
        try:
            root = self._parser.close()
        except etree.XMLSyntaxError as exc:
            raise ProtocolError(f"truncated or malformed XML response: {exc}") from None
        if root.tag != "response":
            raise ProtocolError(f"not an Intacct response (root element <{root.tag}>)")
        response = _response(root)
        if response.control is None:
            raise ProtocolError("response without <control>")
        return response


def parse_response(body: bytes) -> Response:
    """Parse a whole response body (pure; for tests and for bodies already in memory)."""
    parser = ResponseParser()
    parser.feed(body)
    return parser.close()
