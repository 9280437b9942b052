"""The rule the entity-bound workspaces rely on (INTERFACES.md §1): an entity session sees its own
entity's records and shared (top-level) ones, never another entity's; a top-level session sees shared
records, and entity records too only with query's showprivate."""

from __future__ import annotations

from typing import Any

from gateway_helpers import Client, envelope, errors, fn, seeded

OBJECTS = ("VENDOR", "APBILL", "CUSTOMER", "ARINVOICE")


def run(client: Client, creds: dict[str, Any], session: str | None, body: str) -> Any:
    if session is None:
        return client.one(creds, body)
    (result,) = client.results(envelope(creds, fn(body), session=session))
    return result


def make_records(client: Client, creds: dict[str, Any], session: str | None, tag: str) -> None:
    for body in (
        f"<create><VENDOR><VENDORID>V-{tag}</VENDORID><NAME>Vendor {tag}</NAME></VENDOR>"
        f"<CUSTOMER><CUSTOMERID>C-{tag}</CUSTOMERID><NAME>Customer {tag}</NAME></CUSTOMER></create>",
        f"<create_bill><vendorid>V-{tag}</vendorid><datecreated><year>2026</year><month>11</month>"
        "<day>02</day></datecreated><termname>N30</termname>"
        f"<billno>B-{tag}</billno><billitems><lineitem><glaccountno>6000</glaccountno><amount>10</amount>"
        "</lineitem></billitems></create_bill>",
        f"<create_invoice><customerid>C-{tag}</customerid><datecreated><year>2026</year><month>11</month>"
        f"<day>02</day></datecreated><termname>N30</termname><invoiceno>I-{tag}</invoiceno><invoiceitems>"
        "<lineitem><glaccountno>4000</glaccountno><amount>10</amount></lineitem></invoiceitems>"
        "</create_invoice>",
    ):
        result = run(client, creds, session, body)
        assert result.findtext("status") == "success", errors(result)


def tags_seen(
    client: Client, creds: dict[str, Any], session: str | None, obj: str, showprivate: bool = False
) -> set[str]:
    """Which of our tagged records (V-x, B-x, C-x, I-x) a session reads, with readByQuery or query."""
    field = {"VENDOR": "VENDORID", "CUSTOMER": "CUSTOMERID", "APBILL": "RECORDID", "ARINVOICE": "RECORDID"}[
        obj
    ]
    if showprivate:
        body = (
            f"<query><object>{obj}</object><select><field>{field}</field></select>"
            f"<filter><like><field>{field}</field><value>_-%</value></like></filter>"
            "<options><showprivate>true</showprivate></options><pagesize>2000</pagesize></query>"
        )
        rows = run(client, creds, session, body).iter(obj)
    else:
        body = (
            f"<readByQuery><object>{obj}</object><fields>{field}</fields><query>{field} LIKE '_-%'</query>"
            "<pagesize>1000</pagesize></readByQuery>"
        )
        rows = run(client, creds, session, body).iter(obj.lower())
    return {str(r.findtext(field)).split("-", 1)[1] for r in rows}


def test_entity_sessions_see_their_own_and_shared_records_only() -> None:
    _sb, creds, client = seeded()
    e100, e200 = client.session(creds, "E100"), client.session(creds, "E200")
    make_records(client, creds, None, "TOP")
    make_records(client, creds, e100, "E100")
    make_records(client, creds, e200, "E200")
    for obj in OBJECTS:
        assert tags_seen(client, creds, e100, obj) == {"TOP", "E100"}, obj
        assert tags_seen(client, creds, e200, obj) == {"TOP", "E200"}, obj
        assert tags_seen(client, creds, None, obj) == {"TOP"}, obj
        assert tags_seen(client, creds, None, obj, showprivate=True) == {"TOP", "E100", "E200"}, obj
        # showprivate does not open another entity's records to an entity session
        assert tags_seen(client, creds, e100, obj, showprivate=True) == {"TOP", "E100"}, obj


def test_an_entity_cannot_use_or_change_another_entitys_records() -> None:
    sb, creds, client = seeded()
    e100, e200 = client.session(creds, "E100"), client.session(creds, "E200")
    make_records(client, creds, e200, "W")
    bill = next(r for r in sb.control.records(creds["company_id"], "APBILL") if r["RECORDID"] == "B-W")
    foreign_vendor = run(
        client,
        creds,
        e100,
        "<create_bill><vendorid>V-W</vendorid><datecreated><year>2026</year><month>11</month><day>02</day>"
        "</datecreated><termname>N30</termname><billitems><lineitem><glaccountno>6000</glaccountno>"
        "<amount>5</amount></lineitem></billitems></create_bill>",
    )
    assert "Invalid Vendor 'V-W' specified." in errors(foreign_vendor)[0][2]
    update = run(
        client,
        creds,
        e100,
        f"<update><APBILL><RECORDNO>{bill['RECORDNO']}</RECORDNO><DESCRIPTION>x</DESCRIPTION></APBILL></update>",
    )
    assert f"Cannot update non-existing APBILL with RECORDNO={bill['RECORDNO']}." in errors(update)[0][2]
    assert bill["MEGAENTITYID"] == "E200"
