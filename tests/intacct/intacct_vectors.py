# ruff: noqa: E501
"""The test vectors of docs/intacct/protocol.md §13 (responses), written out with its abbreviations."""

from __future__ import annotations

CTRL_OK = (
    "<control><status>success</status><senderid>S</senderid><controlid>R1</controlid>"
    "<uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>"
)
AUTH_OK = (
    "<authentication><status>success</status><userid>U</userid><companyid>C</companyid>"
    "<locationid></locationid><sessiontimestamp>2024-05-01T10:00:00+00:00</sessiontimestamp>"
    "<sessiontimeout>2024-05-02T10:00:00+00:00</sessiontimeout></authentication>"
)
AUTH_FAIL = (
    "<authentication><status>failure</status><userid>U</userid><companyid>C</companyid></authentication>"
)


def err(no: str, d: str = "", d2: str = "", c: str = "") -> str:
    return (
        f"<error><errorno>{no}</errorno><description>{d}</description>"
        f"<description2>{d2}</description2><correction>{c}</correction></error>"
    )


def ok_response(*results: str, auth: str = AUTH_OK) -> bytes:
    return f"<response>{CTRL_OK}<operation>{auth}{''.join(results)}</operation></response>".encode()


def result(status: str, function: str, controlid: str, inner: str = "") -> str:
    return (
        f"<result><status>{status}</status><function>{function}</function>"
        f"<controlid>{controlid}</controlid>{inner}</result>"
    )


ROLLED_BACK = err(
    "XL03000009", "", "The entire transaction in this operation has been rolled back due to an error."
)
DUPLICATE = err(
    "BL34000061",
    "",
    "Another Class with the given value(s) UT01  already exists",
    "Use a unique value instead.",
)

TV01 = ok_response(
    result(
        "success",
        "getAPISession",
        "f1",
        "<data><api><sessionid>SID..</sessionid><endpoint>https://emu.intacct.com/ia/xml/xmlgw.phtml</endpoint>"
        "<locationid></locationid></api></data>",
    )
)
TV02 = ok_response(
    result(
        "success",
        "getAPISession",
        "f1",
        "<data><api><sessionid>SID..</sessionid><endpoint>https://emu.intacct.com/ia/xml/xmlgw.phtml</endpoint>"
        "<locationid>E100</locationid></api></data>",
    ),
    auth=AUTH_OK.replace("<locationid></locationid>", "<locationid>E100</locationid>"),
)
TV03 = ok_response(
    result(
        "success",
        "readByQuery",
        "q1",
        '<data listtype="vendor" count="2" totalcount="3" numremaining="1" resultId="RID123">'
        "<vendor><RECORDNO>1</RECORDNO><VENDORID>V1</VENDORID><STATUS>active</STATUS></vendor>"
        "<vendor><RECORDNO>2</RECORDNO><VENDORID>V2</VENDORID><STATUS>active</STATUS></vendor></data>",
    )
)
TV04 = ok_response(
    result(
        "success",
        "readMore",
        "q2",
        '<data listtype="vendor" count="1" totalcount="3" numremaining="0" resultId="">'
        "<vendor><RECORDNO>3</RECORDNO><VENDORID>V3</VENDORID><STATUS>active</STATUS></vendor></data>",
    )
)
TV05 = ok_response(
    result(
        "success",
        "read",
        "r1",
        '<data listtype="CUSTOMER" count="1"><CUSTOMER><RECORDNO>149</RECORDNO><CUSTOMERID>10074</CUSTOMERID>'
        "<STATUS>active</STATUS><DISPLAYCONTACT><MAILADDRESS><CITY>Austin</CITY></MAILADDRESS></DISPLAYCONTACT>"
        "<PARENTID/></CUSTOMER></data>",
    )
)
TV06 = ok_response(
    result(
        "success",
        "query",
        "q3",
        '<data listtype="APBILL" totalcount="2" offset="0" count="2" numremaining="0">'
        "<APBILL><RECORDNO>208</RECORDNO><VENDORNAME>Regal Services</VENDORNAME></APBILL>"
        "<APBILL><RECORDNO>227</RECORDNO><VENDORNAME>Regal Services</VENDORNAME></APBILL></data>",
    )
)
TV07 = ok_response(
    result(
        "success",
        "create",
        "c1",
        '<data listtype="objects" count="1"><customer><RECORDNO>501</RECORDNO><CUSTOMERID>C100</CUSTOMERID>'
        "</customer></data>",
    )
)
TV08 = ok_response(
    result(
        "success",
        "create",
        "c1",
        '<data listtype="objects" count="2"><class><RECORDNO>5</RECORDNO><CLASSID>UT01</CLASSID></class>'
        "<class><RECORDNO>6</RECORDNO><CLASSID>UT02</CLASSID></class></data>",
    )
)
TV09 = ok_response(
    result(
        "success",
        "update",
        "u1",
        '<data listtype="objects" count="1"><customer><RECORDNO>501</RECORDNO><CUSTOMERID>C100</CUSTOMERID>'
        "</customer></data>",
    )
)
TV10 = ok_response(result("success", "delete", "d1"))
TV11 = ok_response(result("success", "create_class", "l1", "<key>C1234</key>"))
TV12 = (
    "<response><control><status>failure</status><senderid>S</senderid><controlid>R1</controlid>"
    "<uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control><errormessage>"
    + err(
        "XL03000003",
        "",
        "XML Parse schema error: Fatal Error 76: Opening and ending tag mismatch: delete line 16 and function. "
        "Line: 19, column: 18.",
    )
    + "</errormessage></response>"
).encode()
TV13 = (
    "<response>"
    + CTRL_OK.replace("success", "failure")
    + "<errormessage>"
    + err("XL03000006", "", "Incorrect Intacct XML Partner ID or password.")
    + "</errormessage></response>"
).encode()
TV14 = (
    f"<response>{CTRL_OK}<operation>{AUTH_FAIL}<errormessage>"
    + err(
        "XL03000006",
        "Invalid Web Services Authorization",
        "The sender ID 'S' is not authorized to make Web Services requests to company ID 'C'.",
        "Contact the company administrator to grant Web Services authorization to this sender ID.",
    )
    + "</errormessage></operation></response>"
).encode()
TV15 = (
    f"<response>{CTRL_OK}<operation>{AUTH_FAIL}<errormessage>"
    + err("XL03000006", "", "Sign-in information is incorrect")
    + "</errormessage></operation></response>"
).encode()
TV16 = (
    f"<response>{CTRL_OK}<operation><authentication><status>failure</status><userid></userid>"
    "<companyid></companyid></authentication><errormessage>"
    + err("XL03000006", "", "Invalid session")
    + "</errormessage></operation></response>"
).encode()
TV17 = (
    "<response><control><status>failure</status><senderid></senderid><controlid></controlid>"
    "<uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control><errormessage>"
    + err("PL04000055", "", "This company is a demo company and has expired.")
    + "</errormessage></response>"
).encode()
TV18 = ok_response(
    result(
        "failure",
        "readByQuery",
        "q1",
        "<errormessage>"
        + err(
            "PL04000005",
            "",
            "You do not have permission for API operation READ_BY_QUERY on objects of type arinvoice",
        )
        + "</errormessage>",
    )
)
TV19 = ok_response(
    result(
        "failure",
        "readByQuery",
        "q1",
        "<errormessage>"
        + err("Query Failed", "", "Object definition BADOBJECT not found")
        + "</errormessage>",
    )
)
TV20 = ok_response(
    result(
        "failure",
        "delete",
        "d1",
        "<errormessage>"
        + err("BL01001973", "", "Cannot find customer with key '99999' to delete.")
        + "</errormessage>",
    )
)
TV21 = ok_response(
    result(
        "failure",
        "create",
        "c1",
        '<data listtype="objects" count="0"/><errormessage>'
        + DUPLICATE
        + err("BL01001973", "", "Could not create class record!")
        + "</errormessage>",
    )
)
TV22 = ok_response(
    result("aborted", "create", "f1", "<errormessage>" + ROLLED_BACK + "</errormessage>"),
    result(
        "failure",
        "create",
        "f2",
        "<errormessage>"
        + DUPLICATE
        + err("BL01001973", "", "Could not create class record!")
        + ROLLED_BACK
        + "</errormessage>",
    ),
)
TV23 = ok_response(
    result(
        "success",
        "create",
        "f1",
        '<data listtype="objects" count="1"><class><RECORDNO>5</RECORDNO><CLASSID>UT02</CLASSID></class></data>',
    ),
    result(
        "failure",
        "create",
        "f2",
        "<errormessage>"
        + DUPLICATE
        + err("BL01001973", "", "Could not create class record!")
        + "</errormessage>",
    ),
)
TV24 = (
    b"<response><control><status>failure</status></control><errormessage><error><errorno>GW-0010</errorno>"
    b"<description>Rate limit exceeded [Request ID: abc]</description></error></errormessage></response>"
)
TV25 = f"<response><acknowledgement><status>success</status></acknowledgement>{CTRL_OK}</response>".encode()
