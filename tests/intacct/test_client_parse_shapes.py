"""Record shapes the parser gives: flat pages, nested reads, and elements carrying attributes whose
text must be kept (``<type typename="APBILL">AP Bill</type>``)."""

from __future__ import annotations

from intacct import parse_response


def response(data: str) -> bytes:
    return (
        "<response><control><status>success</status></control><operation>"
        "<authentication><status>success</status></authentication>"
        "<result><status>success</status><function>readByQuery</function><controlid>c</controlid>"
        f"{data}</result></operation></response>"
    ).encode()


def records(data: str) -> list[dict]:
    return parse_response(response(data)).results[0].records


def test_a_leaf_with_attributes_keeps_its_text() -> None:
    got = records(
        '<data count="1"><apbill><RECORDNO>7</RECORDNO><type typename="APBILL">AP Bill</type></apbill></data>'
    )
    assert got == [{"RECORDNO": "7", "type": {"@typename": "APBILL", "#text": "AP Bill"}}]


def test_an_attributed_leaf_in_a_later_record_of_a_flat_page_is_kept_whole() -> None:
    # the first record is flat: the page must still not take the flat fast path
    got = records(
        '<data count="2"><apbill><RECORDNO>1</RECORDNO><type>plain</type></apbill>'
        '<apbill><RECORDNO>2</RECORDNO><type typename="APBILL">AP Bill</type></apbill></data>'
    )
    assert got == [
        {"RECORDNO": "1", "type": "plain"},
        {"RECORDNO": "2", "type": {"@typename": "APBILL", "#text": "AP Bill"}},
    ]


def test_an_attributed_empty_leaf_and_an_attributed_record() -> None:
    got = records(
        '<data><customer key="C1"><NAME>Acme</NAME><LINK href="x"/><NOTE lang="en">  </NOTE>'
        "</customer></data>"
    )
    assert got == [
        {"@key": "C1", "NAME": "Acme", "LINK": {"@href": "x"}, "NOTE": {"@lang": "en"}},
    ]


def test_flat_pages_keep_dotted_names_empty_fields_and_repeated_names() -> None:
    got = records(
        "<data><CUSTOMER><RECORDNO>1</RECORDNO><DISPLAYCONTACT.EMAIL1/><X>a</X><X>b</X></CUSTOMER>"
        "<CUSTOMER><RECORDNO>2</RECORDNO><DISPLAYCONTACT.EMAIL1>a@b.c</DISPLAYCONTACT.EMAIL1></CUSTOMER>"
        "</data>"
    )
    assert got == [
        {"RECORDNO": "1", "DISPLAYCONTACT.EMAIL1": None, "X": ["a", "b"]},
        {"RECORDNO": "2", "DISPLAYCONTACT.EMAIL1": "a@b.c"},
    ]


def test_the_text_of_a_record_with_no_fields_is_kept() -> None:
    assert records("<data><key>abc</key></data>") == [{"#text": "abc"}]
