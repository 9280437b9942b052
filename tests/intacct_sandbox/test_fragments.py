"""Compact answers of readByQuery/readMore/query come from pre-rendered record fragments cached while
the record is unchanged: they must say exactly what the indented (dict-rendered) answers say, and a
write, a rollback, a deletion or another reader's timezone must never show a stale fragment."""

from __future__ import annotations

from typing import Any

from gateway_helpers import Client, envelope, fn, seeded
from lxml import etree

from intacct_sandbox.fragments import FragmentCache


def records(
    client: Client, creds: dict[str, Any], body: str, whitespace: str = "false"
) -> list[dict[str, str]]:
    (result,) = client.results(envelope(creds, fn(body), whitespace=whitespace))
    assert result.findtext("status") == "success", etree.tostring(result)
    data = result.find("data")
    assert data is not None
    return [{c.tag: c.text or "" for c in rec} for rec in data]


def rbq(obj: str, fields: str = "*", query: str = "", size: int = 1000) -> str:
    return (
        f"<readByQuery><object>{obj}</object><fields>{fields}</fields><query>{query}</query>"
        f"<pagesize>{size}</pagesize></readByQuery>"
    )


def query(obj: str, fields: list[str]) -> str:
    select = "".join(f"<field>{f}</field>" for f in fields)
    return f"<query><object>{obj}</object><select>{select}</select><pagesize>2000</pagesize></query>"


def test_compact_fragments_say_what_the_indented_answer_says() -> None:
    _sb, creds, client = seeded(customers=40, invoices=12, bills=8)
    # text that needs escaping, empty text and None, decimals, booleans, dates, datetimes
    client.one(
        creds,
        '<create><CUSTOMER><CUSTOMERID>ESC-1</CUSTOMERID><NAME>A &amp; B &lt;Tools&gt; "q"</NAME>'
        "<DISPLAYCONTACT><PRINTAS>x &gt; y</PRINTAS></DISPLAYCONTACT></CUSTOMER></create>",
    )
    for obj in ("CUSTOMER", "VENDOR", "ARINVOICE", "APBILL", "PROJECT", "TIMESHEET", "GLACCOUNT"):
        compact = records(client, creds, rbq(obj))
        assert compact == records(client, creds, rbq(obj), whitespace="true"), obj
        # a second (cached) read says the same
        assert records(client, creds, rbq(obj)) == compact, obj
    names = {r["CUSTOMERID"]: r["NAME"] for r in records(client, creds, rbq("CUSTOMER"))}
    assert names["ESC-1"] == 'A & B <Tools> "q"'
    fields = ["RECORDNO", "CUSTOMERID", "NAME", "STATUS", "TOTALDUE", "WHENMODIFIED", "ONHOLD"]
    assert records(client, creds, query("CUSTOMER", fields)) == records(
        client, creds, query("CUSTOMER", fields), whitespace="true"
    )


def test_a_write_shows_at_once_in_readbyquery_readmore_and_query() -> None:
    sb, creds, client = seeded(customers=30)
    fields = "RECORDNO,CUSTOMERID,NAME,WHENMODIFIED"
    before = {r["CUSTOMERID"]: r for r in records(client, creds, rbq("CUSTOMER", fields))}
    records(client, creds, query("CUSTOMER", fields.split(",")))
    assert before["C00003"]["NAME"] != "Renamed Ltd"
    sb.control.advance_clock(3600)
    client.one(
        creds, "<update><CUSTOMER><CUSTOMERID>C00003</CUSTOMERID><NAME>Renamed Ltd</NAME></CUSTOMER></update>"
    )
    after = {r["CUSTOMERID"]: r for r in records(client, creds, rbq("CUSTOMER", fields))}
    assert after["C00003"]["NAME"] == "Renamed Ltd"
    assert after["C00003"]["WHENMODIFIED"] != before["C00003"]["WHENMODIFIED"]
    assert {k: v for k, v in after.items() if k != "C00003"} == {
        k: v for k, v in before.items() if k != "C00003"
    }
    by_query = {
        r["CUSTOMERID"]: r["NAME"] for r in records(client, creds, query("CUSTOMER", fields.split(",")))
    }
    assert by_query["C00003"] == "Renamed Ltd"
    # readMore pages render through the cache too
    (first,) = client.results(envelope(creds, fn(rbq("CUSTOMER", fields, size=10))))
    result_id = first.find("data").get("resultId")
    client.one(
        creds, "<update><CUSTOMER><CUSTOMERID>C00015</CUSTOMERID><NAME>Late Edit</NAME></CUSTOMER></update>"
    )
    more = records(client, creds, f"<readMore><resultId>{result_id}</resultId></readMore>")
    assert {r["CUSTOMERID"]: r["NAME"] for r in more}["C00015"] == "Late Edit"


def test_mutations_deletions_and_rollbacks_never_show_stale_records() -> None:
    sb, creds, client = seeded(customers=30)
    company = creds["company_id"]
    fields = "RECORDNO,CUSTOMERID,NAME"
    seen = records(client, creds, rbq("CUSTOMER", fields))
    sb.control.mutate(company, "CUSTOMER", change=5, delete=3, seed=4)
    stored = {r["CUSTOMERID"]: r["NAME"] for r in sb.control.records(company, "CUSTOMER")}
    now = {r["CUSTOMERID"]: r["NAME"] for r in records(client, creds, rbq("CUSTOMER", fields))}
    assert now == stored and now != {r["CUSTOMERID"]: r["NAME"] for r in seen}
    # a transaction that renamed a customer and then failed leaves the old name, cached or not
    body = "<update><CUSTOMER><CUSTOMERID>C00004</CUSTOMERID><NAME>Rolled Back</NAME></CUSTOMER></update>"
    failing = "<update><CUSTOMER><CUSTOMERID>NOPE</CUSTOMERID><NAME>x</NAME></CUSTOMER></update>"
    read = rbq("CUSTOMER", fields, "CUSTOMERID = 'C00004'")
    xml = envelope(creds, fn(body, "a") + fn(read, "b") + fn(failing, "c"), transaction=True)
    doc = client.post(xml)
    statuses = [r.findtext("status") for r in doc.iter("result")]
    assert statuses == ["aborted", "aborted", "failure"]
    assert records(client, creds, read) == [
        {"RECORDNO": "4", "CUSTOMERID": "C00004", "NAME": stored["C00004"]}
    ]


def test_readers_in_other_timezones_get_their_own_timestamps() -> None:
    sb, creds, client = seeded(customers=5)
    company = creds["company_id"]
    sb.control.create_user(company, "ny_user", "pw-ny", roles=["Full Access"], timezone="America/New_York")
    ny = {**creds, "user_id": "ny_user", "user_password": "pw-ny"}
    fields = "CUSTOMERID,WHENCREATED"
    west = {r["CUSTOMERID"]: r["WHENCREATED"] for r in records(client, creds, rbq("CUSTOMER", fields))}
    east = {r["CUSTOMERID"]: r["WHENCREATED"] for r in records(client, ny, rbq("CUSTOMER", fields))}
    again = {r["CUSTOMERID"]: r["WHENCREATED"] for r in records(client, creds, rbq("CUSTOMER", fields))}
    assert west == again and west.keys() == east.keys()
    assert all(west[k] != east[k] for k in west)  # three hours apart


def test_a_full_cache_starts_again_and_stays_correct() -> None:
    cache = FragmentCache(budget=200)
    rows = [{"RECORDNO": n, "NAME": f"name {n}"} for n in range(1, 30)]

    def make() -> Any:
        return lambda row: f"<r>{row['NAME']}</r>"

    first = cache.render("k", rows, make)
    assert first == [f"<r>name {n}</r>" for n in range(1, 30)]
    assert cache.stats()["records"] == 0  # over budget: emptied
    small = cache.render("k", rows[:3], make)
    assert small == first[:3] and cache.stats()["records"] == 3
    changed = [{**rows[0], "NAME": "new"}, *rows[1:3]]
    assert cache.render("k", changed, make)[0] == "<r>new</r>"
