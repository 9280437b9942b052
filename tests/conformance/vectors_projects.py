"""Projects and Time & Expenses: projects, tasks, timesheets, employees, expense types, expense reports
(create, summaries, attachments, reversal, delete), expense adjustments and reimbursement requests.

Requests are the official SDKs' (intacct-sdk-php tests named per vector) or sageintacctsdk's, with
the demo company's IDs; modelled answers: docs/intacct/gl-company-reads.md §2.
"""

from __future__ import annotations

from typing import Any

PHP = "Intacct PHP SDK tests"
MODELLED = "expected answer modelled in docs/intacct/gl-company-reads.md §2"

PROJECT = """<function controlid="unittest"><create><PROJECT><PROJECTID>P{run}</PROJECTID><NAME>hello world</NAME>
    <PROJECTCATEGORY>Contract</PROJECTCATEGORY></PROJECT></create></function>"""
TIMESHEET = """<function controlid="unittest">
    <create>
        <TIMESHEET>
            <EMPLOYEEID>EMP002</EMPLOYEEID>
            <BEGINDATE>06/27/2016</BEGINDATE>
            <TIMESHEETENTRIES>
                <TIMESHEETENTRY>
                    <ENTRYDATE>06/30/2016</ENTRYDATE>
                    <QTY>1.75</QTY>
                </TIMESHEETENTRY>
            </TIMESHEETENTRIES>
        </TIMESHEET>
    </create>
</function>"""
EXPENSE_TYPE = """<function controlid="unittest">
    <create>
        <EEACCOUNTLABEL>
            <ACCOUNTLABEL>Travel {run}</ACCOUNTLABEL>
            <DESCRIPTION>hello world</DESCRIPTION>
            <GLACCOUNTNO>6000</GLACCOUNTNO>
        </EEACCOUNTLABEL>
    </create>
</function>"""


def report(lines: str, extra: str = "") -> str:
    return f"""<function controlid="unittest">
    <create_expensereport>
        <employeeid>EMP001</employeeid>
        <datecreated>
            <year>2015</year>
            <month>06</month>
            <day>30</day>
        </datecreated>
        {extra}
        <expenses>{lines}</expenses>
    </create_expensereport>
</function>"""


LINES = """
            <expense>
                <expensetype>Travel {run}</expensetype>
                <amount>120.50</amount>
                <expensedate><year>2015</year><month>06</month><day>29</day></expensedate>
                <memo>taxi</memo>
                <departmentid>D100</departmentid>
            </expense>
            <expense>
                <glaccountno>6000</glaccountno>
                <amount>79.50</amount>
            </expense>"""
REPORT = report(LINES)


def reimbursement(amount: str) -> str:
    return f"""<function controlid="unittest">
    <create_reimbursementrequest>
        <bankaccountid>BA1143</bankaccountid>
        <employeeid>EMP001</employeeid>
        <paymentmethod>Printed Check</paymentmethod>
        <paymentdate>
            <year>2015</year>
            <month>07</month>
            <day>15</day>
        </paymentdate>
        <eppaymentrequestitems>
            <eppaymentrequestitem>
                <key>{{setup1}}</key>
                <paymentamount>{amount}</paymentamount>
            </eppaymentrequestitem>
        </eppaymentrequestitems>
    </create_reimbursementrequest>
</function>"""


READ_REPORT = """<function controlid="unittest"><read><object>EEXPENSES</object><keys>{setup1}</keys>
    <fields>RECORDNO,STATE,TOTALENTERED,TOTALDUE,SUPDOCID</fields></read></function>"""

SUBMITTED_TIMESHEET = TIMESHEET.replace(
    "<BEGINDATE>06/27/2016</BEGINDATE>", "<BEGINDATE>06/27/2016</BEGINDATE><STATE>Submitted</STATE>"
)

VECTORS: list[dict[str, Any]] = [
    {
        "name": "project create",
        "provenance": f"{PHP}: ProjectCreateTest::testConstruct (with a PROJECTID: sequencing is off)",
        "request": PROJECT,
        "expect": {"status": "success", "contains": ["P{run}"]},
    },
    {
        "name": "project without an ID while sequencing is off",
        "provenance": f"{PHP}: ProjectCreateTest::testConstruct; {MODELLED}",
        "request": """<function controlid="unittest"><create><PROJECT><NAME>hello world</NAME>
            <PROJECTCATEGORY>Contract</PROJECTCATEGORY></PROJECT></create></function>""",
        "expect": {"status": "failure", "contains": ["PROJECTID"]},
    },
    {
        "name": "task create, update, delete",
        "provenance": f"{PHP}: TaskCreateTest, TaskUpdateTest, TaskDeleteTest (<delete_task key=RECORDNO>)",
        "setup": [
            PROJECT,
            """<function controlid="unittest"><create><TASK><NAME>hello world</NAME><PROJECTID>P{run}</PROJECTID>
                </TASK></create></function>""",
            """<function controlid="unittest"><update><TASK><RECORDNO>{setup1}</RECORDNO>
                <NAME>renamed</NAME></TASK></update></function>""",
        ],
        "request": '<function controlid="unittest"><delete_task key="{setup1}" /></function>',
        "expect": {"status": "success"},
    },
    {
        "name": "project delete by key",
        "provenance": f"{PHP}: ProjectDeleteTest::testConstruct (<delete_project key=PROJECTID>)",
        "setup": [PROJECT],
        "request": '<function controlid="unittest"><delete_project key="P{run}" /></function>',
        "expect": {"status": "success"},
    },
    {
        "name": "timesheet create",
        "provenance": f"{PHP}: TimesheetCreateTest::testConstruct",
        "request": TIMESHEET,
        "expect": {"status": "success"},
    },
    {
        "name": "timesheet approve",
        "provenance": f"{PHP}: TimesheetApproveTest::testConstruct (whole sheet)",
        "setup": [SUBMITTED_TIMESHEET],
        "request": """<function controlid="unittest"><approve><TIMESHEET><RECORDNO>{setup0}</RECORDNO>
            <APPROVEDBY>John</APPROVEDBY><COMMENT>Approved by John</COMMENT></TIMESHEET></approve></function>""",
        "expect": {"status": "success"},
    },
    {
        "name": "timesheet decline",
        "provenance": f"{PHP}: TimesheetDeclineTest::testConstruct (whole sheet)",
        "setup": [SUBMITTED_TIMESHEET],
        "request": """<function controlid="unittest"><decline><TIMESHEET><RECORDNO>{setup0}</RECORDNO>
            <COMMENT>Declined</COMMENT></TIMESHEET></decline></function>""",
        "expect": {"status": "success"},
    },
    {
        "name": "timesheet delete",
        "provenance": f"{PHP}: TimesheetDeleteTest::testConstruct",
        "setup": [TIMESHEET],
        "request": '<function controlid="unittest"><delete_timesheet key="{setup0}" /></function>',
        "expect": {"status": "success"},
    },
    {
        "name": "employee create",
        "provenance": f"{PHP}: EmployeeCreateTest::testConstruct (with an EMPLOYEEID: sequencing is off)",
        "setup": [
            """<function controlid="unittest"><create><CONTACT><CONTACTNAME>John Smith {run}</CONTACTNAME>
                <PRINTAS>John Smith</PRINTAS></CONTACT></create></function>"""
        ],
        "request": """<function controlid="unittest"><create><EMPLOYEE><EMPLOYEEID>E{run}</EMPLOYEEID>
            <PERSONALINFO><CONTACTNAME>John Smith {run}</CONTACTNAME></PERSONALINFO></EMPLOYEE></create>
            </function>""",
        "expect": {"status": "success", "contains": ["E{run}"]},
    },
    {
        "name": "expense type create",
        "provenance": f"{PHP}: ExpenseTypeCreateTest::testConstruct",
        "request": EXPENSE_TYPE,
        "expect": {"status": "success", "contains": ["Travel {run}"]},
    },
    {
        "name": "expense type on an unknown GL account",
        "provenance": f"{PHP}: ExpenseTypeCreateTest::testConstruct (GLACCOUNTNO 7000); {MODELLED}",
        "request": EXPENSE_TYPE.replace("6000", "7000"),
        "expect": {"status": "failure", "contains": ["7000"]},
    },
    {
        "name": "expense type update and delete",
        "provenance": f"{PHP}: ExpenseTypeUpdateTest::testConstruct, ExpenseTypeDeleteTest::testConstruct",
        "setup": [
            EXPENSE_TYPE,
            """<function controlid="unittest"><update><EEACCOUNTLABEL><ACCOUNTLABEL>Travel {run}</ACCOUNTLABEL>
                <DESCRIPTION>changed</DESCRIPTION></EEACCOUNTLABEL></update></function>""",
        ],
        "request": '<function controlid="unittest"><delete_expensetype expensetype="Travel {run}" /></function>',
        "expect": {"status": "success"},
    },
    {
        "name": "expense report create",
        "provenance": f"{PHP}: ExpenseReportCreateTest::testParamOverrides, ExpenseReportLineCreateTest",
        "setup": [EXPENSE_TYPE],
        "request": REPORT,
        "expect": {"status": "success"},
    },
    {
        "name": "expense report read back",
        "provenance": f"{PHP}: ExpenseReportCreateTest, ReadTest::testDefaultParams",
        "setup": [EXPENSE_TYPE, REPORT],
        "request": READ_REPORT,
        "expect": {"status": "success", "contains": ["200", "Submitted"]},
    },
    {
        "name": "expense report line without an account",
        "provenance": f"{PHP}: ExpenseReportCreateTest::testDefaultParams (an empty glaccountno); {MODELLED}",
        "request": report("<expense><glaccountno/></expense>"),
        "expect": {"status": "failure", "errorno": "BL01001973"},
    },
    {
        "name": "expense report of an unknown employee",
        "provenance": f"{PHP}: ExpenseReportCreateTest::testDefaultParams (employee E0001); {MODELLED}",
        "setup": [EXPENSE_TYPE],
        "request": REPORT.replace("EMP001", "E0001"),
        "expect": {"status": "failure", "contains": ["E0001"]},
    },
    {
        "name": "expense report in a summary",
        "provenance": f"{PHP}: ExpenseReportSummaryCreateTest::testDefaultParams, ExpenseReportCreateTest (batchkey)",
        "setup": [
            EXPENSE_TYPE,
            """<function controlid="unittest"><create_expensereportbatch><batchtitle>unit test</batchtitle>
                <datecreated><year>2015</year><month>06</month><day>30</day></datecreated>
                </create_expensereportbatch></function>""",
        ],
        "request": report(LINES, "<batchkey>{setup1}</batchkey>"),
        "expect": {"status": "success"},
    },
    {
        "name": "expense report in a missing summary",
        "provenance": f"{PHP}: ExpenseReportCreateTest::testParamOverrides (batchkey); {MODELLED}",
        "setup": [EXPENSE_TYPE],
        "request": report(LINES, "<batchkey>99999</batchkey>"),
        "expect": {"status": "failure", "contains": ["99999"]},
    },
    {
        "name": "attachment attached to an expense report",
        "provenance": "sageintacctsdk ExpenseReports.update_attachment (<update_expensereport key=...><supdocid>)",
        "setup": [
            EXPENSE_TYPE,
            REPORT,
            """<function controlid="unittest"><create_supdocfolder><supdocfoldername>ER {run}</supdocfoldername>
                </create_supdocfolder></function>""",
            """<function controlid="unittest"><create_supdoc><supdocid>R{run}</supdocid><supdocname>r</supdocname>
                <supdocfoldername>ER {run}</supdocfoldername></create_supdoc></function>""",
            """<function controlid="unittest"><update_expensereport key="{setup1}"><supdocid>R{run}</supdocid>
                </update_expensereport></function>""",
        ],
        "request": READ_REPORT,
        "expect": {"status": "success", "contains": ["R{run}"]},
    },
    {
        "name": "reimbursement pays part of an expense report",
        "provenance": f"{PHP}: ReimbursementRequestCreateTest::testDefaultParams",
        "setup": [EXPENSE_TYPE, REPORT, reimbursement("100.12")],
        "request": READ_REPORT,
        "expect": {"status": "success", "contains": ["Partially Paid", "99.88"]},
    },
    {
        "name": "reimbursement of more than is due",
        "provenance": f"{PHP}: ReimbursementRequestCreateTest::testDefaultParams; {MODELLED}",
        "setup": [EXPENSE_TYPE, REPORT],
        "request": reimbursement("500.00"),
        "expect": {"status": "failure", "contains": ["exceeds"]},
    },
    {
        "name": "a paid expense report cannot be reversed",
        "provenance": f"{PHP}: ExpenseReportReverseTest::testConstruct; {MODELLED}",
        "setup": [EXPENSE_TYPE, REPORT, reimbursement("200.00")],
        "request": """<function controlid="unittest"><reverse_expensereport key="{setup1}"><datereversed>
            <year>2015</year><month>07</month><day>31</day></datereversed></reverse_expensereport></function>""",
        "expect": {"status": "failure", "contains": ["payments"]},
    },
    {
        "name": "expense report reverse",
        "provenance": f"{PHP}: ExpenseReportReverseTest::testConstruct",
        "setup": [
            EXPENSE_TYPE,
            REPORT,
            """<function controlid="unittest"><reverse_expensereport key="{setup1}"><datereversed>
                <year>2015</year><month>07</month><day>31</day></datereversed><description>wrong employee
                </description></reverse_expensereport></function>""",
        ],
        "request": READ_REPORT,
        "expect": {"status": "success", "contains": ["Reversed"]},
    },
    {
        "name": "expense report delete",
        "provenance": f"{PHP}: ExpenseReportDeleteTest::testConstruct",
        "setup": [EXPENSE_TYPE, REPORT],
        "request": '<function controlid="unittest"><delete_expensereport key="{setup1}" /></function>',
        "expect": {"status": "success"},
    },
    {
        "name": "expense adjustment create and delete",
        "provenance": f"{PHP}: ExpenseAdjustmentCreateTest::testParamOverrides, ExpenseAdjustmentDeleteTest",
        "setup": [
            """<function controlid="unittest">
    <create_expenseadjustmentreport>
        <employeeid>EMP001</employeeid>
        <datecreated><year>2015</year><month>06</month><day>30</day></datecreated>
        <adjustmentno>ADJ{run}</adjustmentno>
        <description>correction</description>
        <expenseadjustments>
            <expenseadjustment><glaccountno>6000</glaccountno><amount>12.34</amount></expenseadjustment>
        </expenseadjustments>
    </create_expenseadjustmentreport>
</function>"""
        ],
        "request": '<function controlid="unittest"><delete_expenseadjustmentreport key="{setup0}" /></function>',
        "expect": {"status": "success"},
    },
    {
        "name": "observed percent completed of a project, updated then deleted",
        "provenance": "Intacct .NET SDK tests: ProjectObservedPercentCompletedCreateTest, "
        "TaskObservedPercentCompletedUpdateTest, ProjectObservedPercentCompletedDeleteTest",
        "setup": [
            PROJECT,
            """<function controlid="unittest"><create><OBSPCTCOMPLETED><TYPE>Project</TYPE>
                <PROJECTKEY>{setup0}</PROJECTKEY><ASOFDATE>02/22/2018</ASOFDATE><PERCENT>33.33</PERCENT>
                <NOTE>One third complete</NOTE></OBSPCTCOMPLETED></create></function>""",
            """<function controlid="unittest"><update><OBSPCTCOMPLETED><RECORDNO>{setup1}</RECORDNO>
                <PERCENT>22.00</PERCENT></OBSPCTCOMPLETED></update></function>""",
        ],
        "request": """<function controlid="unittest"><delete><object>OBSPCTCOMPLETED</object><keys>{setup1}</keys>
            </delete></function>""",
        "expect": {"status": "success"},
    },
    {
        "name": "observed percent completed over 100",
        "provenance": f"Intacct .NET SDK tests: TaskObservedPercentCompletedCreateTest; {MODELLED}",
        "setup": [PROJECT],
        "request": """<function controlid="unittest"><create><OBSPCTCOMPLETED><TYPE>Project</TYPE>
            <PROJECTKEY>{setup0}</PROJECTKEY><ASOFDATE>02/22/2018</ASOFDATE><PERCENT>120</PERCENT>
            </OBSPCTCOMPLETED></create></function>""",
        "expect": {"status": "failure", "contains": ["between 0 and 100"]},
    },
]
