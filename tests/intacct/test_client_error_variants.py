"""Failures Intacct answers in more than one real shape reach callers as ONE error type (issue #19).

An unknown object is errorno ``XXX`` (read, inspect: the SDKs' captured answers), ``Query Failed`` (other
captures) or ``XL03000009`` with an empty ``<data>`` (query, a production capture); an invalid field list
is errorno ``Invalid fields list x``. All are :class:`intacct.QueryFailed`, never NotFound or RolledBack.
Each variant is checked twice: from the captured document itself and from the sandbox over HTTP
(which answers either variant through ``set_error_variant``).
"""

from __future__ import annotations

from typing import Any

import pytest
from client_sandbox_support import make_client

import intacct
from intacct._errors import error_for

RESULT = """<?xml version="1.0" encoding="UTF-8"?>
<response><control><status>success</status><senderid>s</senderid><controlid>c</controlid>
<uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control><operation><authentication>
<status>success</status><userid>u</userid><companyid>co</companyid></authentication>{result}</operation>
</response>"""

CAPTURED = {
    "read XXX": """<result><status>failure</status><function>read</function><controlid>f</controlid>
        <errormessage><error><errorno>XXX</errorno><description></description>
        <description2>Object definition VENDOR2 not found</description2><correction></correction></error>
        </errormessage></result>""",
    "readByQuery Query Failed": """<result><status>failure</status><function>readByQuery</function>
        <controlid>f</controlid><errormessage><error><errorno>Query Failed</errorno>
        <description></description><description2>Object definition VENDOR9 not found</description2>
        <correction></correction></error>
        </errormessage></result>""",
    "inspect XXX": """<result><status>failure</status><function>inspect</function><controlid>f</controlid>
        <errormessage><error><errorno>XXX</errorno><description></description>
        <description2>Object type CLASS1 not found</description2><correction></correction></error>
        </errormessage></result>""",
    "query XL03000009": """<result><status>failure</status><function>query</function><controlid>f</controlid>
        <errormessage><error><errorno>XL03000009</errorno>
        <description>There was an error processing the function</description>
        <description2>Object definition SODOCUMENTPARAMS not found</description2><correction></correction>
        </error></errormessage>
        <data listtype="SODOCUMENTPARAMS" totalcount="0" offset="0" count="0" numremaining="0"/></result>""",
    "invalid fields list": """<result><status>failure</status><function>read</function>
        <controlid>f</controlid><errormessage><error><errorno>Invalid fields list x</errorno>
        <description></description>
        <description2></description2><correction></correction></error></errormessage></result>""",
}


@pytest.mark.parametrize("name", sorted(CAPTURED))
def test_captured_variants_are_query_failed(name: str) -> None:
    response = intacct.parse_response(RESULT.format(result=CAPTURED[name]).encode())
    raw = response.results[0]
    error = error_for("result", raw.errors, controlid=raw.controlid)
    assert type(error) is intacct.QueryFailed, (name, error)


def test_a_rolled_back_transaction_is_still_rolled_back() -> None:
    """XL03000009 keeps its own meaning when it follows another function's failure."""
    response = intacct.parse_response(
        RESULT.format(
            result="""<result><status>aborted</status><function>create</function><controlid>f</controlid>
            <errormessage><error><errorno>XL03000009</errorno><description></description>
            <description2>The entire transaction in this operation has been rolled back due to an error.
            </description2><correction></correction></error></errormessage></result>"""
        ).encode()
    )
    raw = response.results[0]
    assert type(error_for("result", raw.errors)) is intacct.RolledBack
    assert type(error_for("result", raw.errors, aborted=True)) is intacct.RolledBack


def _failure(client: intacct.Client, fn: Any) -> intacct.IntacctError:
    with pytest.raises(intacct.IntacctError) as caught:
        fn(client)
    return caught.value


@pytest.mark.parametrize("variant", ["XXX", "Query Failed"])
def test_unknown_object_from_the_sandbox_is_query_failed_in_both_variants(
    intacct_sandbox: Any, variant: str
) -> None:
    intacct_sandbox.control.set_error_variant(
        intacct_sandbox.credentials["company_id"], unknown_object=variant
    )
    with make_client(intacct_sandbox, mode="http") as client:
        read = _failure(client, lambda c: c.read("VENDOR2", [1]))
        assert type(read) is intacct.QueryFailed and read.errorno == variant
        assert read.description2 == "Object definition VENDOR2 not found"
        by_query = _failure(client, lambda c: list(c.read_by_query("VENDOR9", None)))
        assert type(by_query) is intacct.QueryFailed and by_query.errorno == variant
        inspect = _failure(client, lambda c: c.inspect("CLASS1"))
        assert type(inspect) is intacct.QueryFailed and inspect.description2 == "Object type CLASS1 not found"
        # query has one real shape whatever the switch says
        query = _failure(client, lambda c: list(c.query("SODOCUMENTPARAMS", ["RECORDNO"])))
        assert type(query) is intacct.QueryFailed and query.errorno == "XL03000009"
        assert query.description == "There was an error processing the function"


def test_invalid_field_list_from_the_sandbox(intacct_sandbox: Any) -> None:
    with make_client(intacct_sandbox, mode="http") as client:
        error = _failure(client, lambda c: c.read("APBILL", [1], fields=["RECORDNO", "x"]))
    assert type(error) is intacct.QueryFailed
    assert error.errorno == "Invalid fields list x" and error.description2 == ""
