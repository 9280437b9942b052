"""The request envelope: control block, authentication (login or session), one operation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from intacct._controlid import new_controlid, unique_controlids
from intacct._credentials import Credentials
from intacct._functions import Function


@dataclass(frozen=True)
class LoginAuth:
    credentials: Credentials = field(repr=False)
    location_id: str | None = None


@dataclass(frozen=True)
class SessionAuth:
    session_id: str = field(repr=False)


def build_request(
    credentials: Credentials,
    auth: LoginAuth | SessionAuth,
    functions: Sequence[Function],
    *,
    transaction: bool = False,
    uniqueid: bool | None = None,
    controlid: str | None = None,
) -> bytes:
    """The request body. ``uniqueid`` defaults to true when any function writes, so a re-sent
    write is refused by Intacct instead of applied twice."""
    if not functions:
        raise ValueError("a request needs at least one function")
    unique_controlids([f.controlid for f in functions])
    if uniqueid is None:
        uniqueid = any(f.write for f in functions)
    request = etree.Element("request")
    control = etree.SubElement(request, "control")
    etree.SubElement(control, "senderid").text = credentials.sender_id
    etree.SubElement(control, "password").text = credentials.sender_password
    etree.SubElement(control, "controlid").text = controlid or new_controlid()
    etree.SubElement(control, "uniqueid").text = "true" if uniqueid else "false"
    etree.SubElement(control, "dtdversion").text = "3.0"
    etree.SubElement(control, "includewhitespace").text = "false"
    operation = etree.SubElement(request, "operation", transaction="true" if transaction else "false")
    authentication = etree.SubElement(operation, "authentication")
    if isinstance(auth, SessionAuth):
        etree.SubElement(authentication, "sessionid").text = auth.session_id
    else:
        login = etree.SubElement(authentication, "login")
        etree.SubElement(login, "userid").text = credentials.user_id
        etree.SubElement(login, "companyid").text = credentials.company_id
        etree.SubElement(login, "password").text = credentials.user_password
        if auth.location_id:
            etree.SubElement(login, "locationid").text = auth.location_id
    content = etree.SubElement(operation, "content")
    for fn in functions:
        wrapper = etree.SubElement(content, "function", controlid=fn.controlid)
        wrapper.append(fn.element)
    body: bytes = etree.tostring(request, xml_declaration=True, encoding="UTF-8")
    # Detach the function elements again so a Function can be sent once more (retries, renewals).
    for wrapper in content:
        for child in list(wrapper):
            wrapper.remove(child)
    return body
