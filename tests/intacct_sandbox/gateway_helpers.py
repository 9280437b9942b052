"""Helpers of the gateway tests: envelopes as the SDKs write them and an in-process client."""

from __future__ import annotations

from typing import Any

import httpx
from lxml import etree

from intacct_sandbox import Sandbox

PATH = "/ia/xml/xmlgw.phtml"


def envelope(
    creds: dict[str, Any],
    content: str,
    *,
    transaction: bool = False,
    session: str | None = None,
    uniqueid: str | None = "false",
    dtd: str = "3.0",
    whitespace: str = "false",
    sender_id: str | None = None,
    sender_password: str | None = None,
    user_password: str | None = None,
    location: str | None = None,
    policy: str | None = None,
) -> str:
    if session is not None:
        auth = f"<sessionid>{session}</sessionid>"
    else:
        loc = f"<locationid>{location}</locationid>" if location else ""
        auth = (
            f"<login><userid>{creds['user_id']}</userid><companyid>{creds['company_id']}</companyid>"
            f"<password>{creds['user_password'] if user_password is None else user_password}</password>"
            f"{loc}</login>"
        )
    unique = "" if uniqueid is None else f"<uniqueid>{uniqueid}</uniqueid>"
    pol = f"<policyid>{policy}</policyid>" if policy else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><request><control>'
        f"<senderid>{creds['sender_id'] if sender_id is None else sender_id}</senderid>"
        f"<password>{creds['sender_password'] if sender_password is None else sender_password}</password>"
        f"<controlid>r1</controlid>{unique}<dtdversion>{dtd}</dtdversion>{pol}"
        f"<includewhitespace>{whitespace}</includewhitespace></control>"
        f'<operation transaction="{"true" if transaction else "false"}">'
        f"<authentication>{auth}</authentication>"
        f"<content>{content}</content></operation></request>"
    )


def fn(body: str, controlid: str = "f1") -> str:
    return f'<function controlid="{controlid}">{body}</function>'


class Client:
    """An httpx client on the sandbox's WSGI app."""

    def __init__(self, sandbox: Sandbox, base_url: str = "https://emu.intacct.com") -> None:
        self.sandbox = sandbox
        self.http = httpx.Client(transport=httpx.WSGITransport(app=sandbox.wsgi_app), base_url=base_url)

    def raw(self, body: str | bytes, **headers: str) -> httpx.Response:
        data = body.encode() if isinstance(body, str) else body
        return self.http.post(PATH, content=data, headers={"Content-Type": "application/xml", **headers})

    def post(self, body: str | bytes) -> etree._Element:
        response = self.raw(body)
        assert response.status_code == 200, response.text
        return etree.fromstring(response.content)

    def results(self, body: str) -> list[etree._Element]:
        doc = self.post(body)
        assert doc.findtext("control/status") == "success", etree.tostring(doc)
        assert doc.findtext("operation/authentication/status") == "success", etree.tostring(doc)
        return doc.findall("operation/result")

    def one(self, creds: dict[str, Any], body: str, controlid: str = "f1", **options: Any) -> etree._Element:
        (result,) = self.results(envelope(creds, fn(body, controlid), **options))
        return result

    def session(self, creds: dict[str, Any], location: str | None = None) -> str:
        inner = (
            "<getAPISession/>"
            if location is None
            else f"<getAPISession><locationid>{location}</locationid></getAPISession>"
        )
        result = self.one(creds, inner)
        assert result.findtext("status") == "success", etree.tostring(result)
        return str(result.findtext("data/api/sessionid"))


def errors(el: etree._Element) -> list[tuple[str, str, str, str]]:
    """(errorno, description, description2, correction) of every <error> under el."""
    return [
        (
            e.findtext("errorno") or "",
            e.findtext("description") or "",
            e.findtext("description2") or "",
            e.findtext("correction") or "",
        )
        for e in el.iter("error")
    ]


def seeded(**sizes: int) -> tuple[Sandbox, dict[str, Any], Client]:
    sb = Sandbox()
    creds = sb.seed_demo(seed=1, **({"customers": 12, "vendors": 5, "invoices": 6, "bills": 4} | sizes))
    return sb, creds, Client(sb)
