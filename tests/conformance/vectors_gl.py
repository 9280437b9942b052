"""General Ledger: journal entries (GLBATCH/GLENTRY), statistical journals and accounts, GL accounts.

Requests are the XML the official SDKs write (intacct-sdk-php tests named in each provenance, with
values filled in from the demo company); rules and modelled answers: docs/intacct/gl-company-reads.md.
"""

from __future__ import annotations

from typing import Any

PHP = "Intacct PHP SDK tests"
MODELLED = "expected answer modelled in docs/intacct/gl-company-reads.md §2"


def je(entries: str, extra: str = "", title: str = "Accrual {run}") -> str:
    return f"""<function controlid="unittest">
    <create>
        <GLBATCH>
            <JOURNAL>GJ</JOURNAL>
            <BATCH_DATE>06/30/2016</BATCH_DATE>
            {extra}
            <BATCH_TITLE>{title}</BATCH_TITLE>
            <ENTRIES>{entries}</ENTRIES>
        </GLBATCH>
    </create>
</function>"""


def line(account: str, tr_type: str, amount: str, more: str = "") -> str:
    return (
        f"<GLENTRY><ACCOUNTNO>{account}</ACCOUNTNO><TR_TYPE>{tr_type}</TR_TYPE>"
        f"<TRX_AMOUNT>{amount}</TRX_AMOUNT>{more}</GLENTRY>"
    )


BALANCED = line(
    "6000", "1", "1456.54", "<DEPARTMENT>D100</DEPARTMENT><DESCRIPTION>my memo</DESCRIPTION>"
) + line("1010", "-1", "1456.54")
STAT_ACCOUNT = """<function controlid="unittest">
    <create>
        <STATACCOUNT>
            <ACCOUNTNO>9{run}</ACCOUNTNO>
            <TITLE>Headcount</TITLE>
            <ACCOUNTTYPE>forperiod</ACCOUNTTYPE>
        </STATACCOUNT>
    </create>
</function>"""

VECTORS: list[dict[str, Any]] = [
    {
        "name": "journal entry create",
        "provenance": f"{PHP}: JournalEntryCreateTest::testParamOverrides (header), JournalEntryLineCreateTest",
        "request": je(BALANCED, "<REFERENCENO>123</REFERENCENO><HISTORY_COMMENT>comment!</HISTORY_COMMENT>"),
        "expect": {"status": "success", "contains": ["RECORDNO"]},
    },
    {
        "name": "journal entry read back with its lines",
        "provenance": f"{PHP}: JournalEntryCreateTest::testDefaultParams, ReadTest::testDefaultParams",
        "setup": [je(BALANCED)],
        "request": """<function controlid="unittest"><read><object>GLBATCH</object><keys>{setup0}</keys>
            <fields>*</fields><returnFormat>xml</returnFormat></read></function>""",
        "expect": {"status": "success", "contains": ["1456.54", "GLENTRY", "Posted", "D100"]},
    },
    {
        "name": "journal entry that does not balance",
        "provenance": f"{PHP}: JournalEntryCreateTest::testDefaultParams; {MODELLED}",
        "request": je(line("6000", "1", "100") + line("1010", "-1", "90")),
        "expect": {"status": "failure", "errorno": "BL01001973", "contains": ["not balanced"]},
    },
    {
        "name": "journal entry line with a bad TR_TYPE",
        "provenance": f"{PHP}: JournalEntryLineCreateTest::testDefaultParams; {MODELLED}",
        "request": je(line("6000", "2", "100") + line("1010", "-1", "100")),
        "expect": {"status": "failure", "errorno": "BL01001973", "contains": ["TR_TYPE"]},
    },
    {
        "name": "journal entry on an unknown account",
        "provenance": f"{PHP}: JournalEntryLineCreateTest; {MODELLED}",
        "request": je(line("6999", "1", "100") + line("1010", "-1", "100")),
        "expect": {"status": "failure", "errorno": "BL01001973", "contains": ["6999"]},
    },
    {
        "name": "journal entry with no lines",
        "provenance": f"{PHP}: JournalEntryCreateTest::testMissingEntries (the SDK refuses it; Intacct too)",
        "request": je(""),
        "expect": {"status": "failure", "errorno": "BL01001973", "contains": ["at least 1 line"]},
    },
    {
        "name": "journal entry with an auto-reversal books the reversing entry",
        "provenance": f"{PHP}: JournalEntryCreateTest::testParamOverrides (REVERSEDATE); {MODELLED}",
        "setup": [je(BALANCED, "<REVERSEDATE>07/01/2016</REVERSEDATE>")],
        "request": """<function controlid="unittest"><readByQuery><object>GLBATCH</object>
            <fields>RECORDNO,BATCH_DATE,REVERSEDFROM,BATCH_TITLE</fields><query>REVERSEDFROM = {setup0}</query>
            <pagesize>10</pagesize></readByQuery></function>""",
        "expect": {"status": "success", "contains": ["07/01/2016", "Reversal of: Accrual"]},
    },
    {
        "name": "reverse date before the posting date",
        "provenance": f"{PHP}: JournalEntryCreateTest::testParamOverrides; {MODELLED}",
        "request": je(BALANCED, "<REVERSEDATE>06/01/2016</REVERSEDATE>"),
        "expect": {"status": "failure", "contains": ["REVERSEDATE must be after BATCH_DATE"]},
    },
    {
        "name": "journal entry with an attachment",
        "provenance": f"{PHP}: JournalEntryCreateTest::testParamOverrides (SUPDOCID), AttachmentsCreateTest",
        "setup": [
            """<function controlid="unittest"><create_supdocfolder>
                <supdocfoldername>JE {run}</supdocfoldername></create_supdocfolder></function>""",
            """<function controlid="unittest"><create_supdoc><supdocid>AT{run}</supdocid>
                <supdocname>Receipt</supdocname><supdocfoldername>JE {run}</supdocfoldername></create_supdoc>
                </function>""",
        ],
        "request": je(BALANCED, "<SUPDOCID>{setup1}</SUPDOCID>"),
        "expect": {"status": "success"},
    },
    {
        "name": "journal entry naming a missing attachment",
        "provenance": f"{PHP}: JournalEntryCreateTest::testParamOverrides (SUPDOCID AT001); {MODELLED}",
        "request": je(BALANCED, "<SUPDOCID>AT001</SUPDOCID>"),
        "expect": {"status": "failure", "errorno": "BL01001973", "contains": ["AT001"]},
    },
    {
        "name": "journal entry delete",
        "provenance": f"{PHP}: JournalEntryDeleteTest::testConstruct",
        "setup": [je(BALANCED)],
        "request": """<function controlid="unittest"><delete><object>GLBATCH</object><keys>{setup0}</keys>
            </delete></function>""",
        "expect": {"status": "success"},
    },
    {
        "name": "journal entry delete of a missing key",
        "provenance": f"{PHP}: JournalEntryDeleteTest::testConstruct (key 1234); protocol: delete of a missing record",
        "request": """<function controlid="unittest"><delete><object>GLBATCH</object><keys>991234</keys>
            </delete></function>""",
        "expect": {"status": "failure", "errorno": "BL01001973", "error_type": "NotFound"},
    },
    {
        "name": "statistical account create",
        "provenance": f"{PHP}: StatisticalAccountCreateTest::testConstruct",
        "request": STAT_ACCOUNT,
        "expect": {"status": "success", "contains": ["9{run}"]},
    },
    {
        "name": "statistical journal entry need not balance",
        "provenance": f"{PHP}: StatisticalJournalEntryCreateTest::testParamOverrides (one entry)",
        "setup": [STAT_ACCOUNT],
        "request": """<function controlid="unittest">
    <create>
        <GLBATCH>
            <JOURNAL>SJ</JOURNAL>
            <BATCH_DATE>06/30/2016</BATCH_DATE>
            <BATCH_TITLE>Headcount {run}</BATCH_TITLE>
            <ENTRIES>
                <GLENTRY><ACCOUNTNO>9{run}</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>12</TRX_AMOUNT></GLENTRY>
            </ENTRIES>
        </GLBATCH>
    </create>
</function>""",
        "expect": {"status": "success"},
    },
    {
        "name": "statistical and GL accounts in one entry",
        "provenance": f"{PHP}: StatisticalJournalEntryCreateTest::testDefaultParams; {MODELLED}",
        "setup": [STAT_ACCOUNT],
        "request": je(line("9{run}", "1", "5") + line("6000", "1", "5")),
        "expect": {"status": "failure", "contains": ["cannot mix"]},
    },
    {
        "name": "statistical journal entry delete",
        "provenance": f"{PHP}: StatisticalJournalEntryDeleteTest::testConstruct",
        "setup": [
            STAT_ACCOUNT,
            """<function controlid="unittest"><create><GLBATCH><JOURNAL>SJ</JOURNAL>
                <BATCH_DATE>06/30/2016</BATCH_DATE><BATCH_TITLE>t</BATCH_TITLE><ENTRIES><GLENTRY>
                <ACCOUNTNO>9{run}</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>3</TRX_AMOUNT></GLENTRY></ENTRIES>
                </GLBATCH></create></function>""",
        ],
        "request": """<function controlid="unittest"><delete><object>GLBATCH</object><keys>{setup1}</keys>
            </delete></function>""",
        "expect": {"status": "success"},
    },
    {
        "name": "statistical account update",
        "provenance": f"{PHP}: StatisticalAccountUpdateTest::testConstruct",
        "setup": [STAT_ACCOUNT],
        "request": """<function controlid="unittest"><update><STATACCOUNT><ACCOUNTNO>9{run}</ACCOUNTNO>
            <TITLE>hello world</TITLE></STATACCOUNT></update></function>""",
        "expect": {"status": "success"},
    },
    {
        "name": "statistical account in use cannot be deleted",
        "provenance": f"{PHP}: StatisticalAccountDeleteTest::testConstruct; {MODELLED}",
        "setup": [
            STAT_ACCOUNT,
            """<function controlid="unittest"><create><GLBATCH><JOURNAL>SJ</JOURNAL>
                <BATCH_DATE>06/30/2016</BATCH_DATE><BATCH_TITLE>t</BATCH_TITLE><ENTRIES><GLENTRY>
                <ACCOUNTNO>9{run}</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>3</TRX_AMOUNT></GLENTRY></ENTRIES>
                </GLBATCH></create></function>""",
        ],
        "request": '<function controlid="unittest"><delete_statglaccount glaccountno="9{run}" /></function>',
        "expect": {"status": "failure", "contains": ["is used by"]},
    },
    {
        "name": "statistical account delete",
        "provenance": f"{PHP}: StatisticalAccountDeleteTest::testConstruct",
        "setup": [STAT_ACCOUNT],
        "request": '<function controlid="unittest"><delete_statglaccount glaccountno="9{run}" /></function>',
        "expect": {"status": "success"},
    },
    {
        "name": "GL account create, update, delete",
        "provenance": f"{PHP}: AccountCreateTest::testConstruct, AccountDeleteTest::testConstruct",
        "setup": [
            """<function controlid="unittest"><create><GLACCOUNT><ACCOUNTNO>8{run}</ACCOUNTNO>
                <TITLE>hello world</TITLE></GLACCOUNT></create></function>""",
            """<function controlid="unittest"><update><GLACCOUNT><ACCOUNTNO>8{run}</ACCOUNTNO>
                <TITLE>hello again</TITLE></GLACCOUNT></update></function>""",
        ],
        "request": '<function controlid="unittest"><delete_glaccount glaccountno="8{run}" /></function>',
        "expect": {"status": "success"},
    },
]
