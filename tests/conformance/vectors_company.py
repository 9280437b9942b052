"""Company: attachments and folders, classes (delete by ``key``), departments, locations, contacts,
users, allocations, audit trails, company preferences, and items.

Requests are the official SDKs' (intacct-sdk-php tests named per vector) or sageintacctsdk's;
modelled answers: docs/intacct/gl-company-reads.md.
"""

from __future__ import annotations

from typing import Any

PHP = "Intacct PHP SDK tests"
PY = "sageintacctsdk (fylein/sageintacct-sdk-py) Attachments"
MODELLED = "expected answer modelled in docs/intacct/gl-company-reads.md §2"

FOLDER = """<function controlid="unittest">
    <create_supdocfolder>
        <supdocfoldername>My Folder {run}</supdocfoldername>
        <supdocfolderdescription>receipts</supdocfolderdescription>
    </create_supdocfolder>
</function>"""
# "aGVsbG8=" is base64 of "hello"
DOC = """<function controlid="unittest">
    <create_supdoc>
        <supdocid>A{run}</supdocid>
        <supdocname>Receipt</supdocname>
        <supdocfoldername>My Folder {run}</supdocfoldername>
        <supdocdescription>a receipt</supdocdescription>
        <attachments>
            <attachment>
                <attachmentname>receipt</attachmentname>
                <attachmenttype>txt</attachmenttype>
                <attachmentdata>aGVsbG8=</attachmentdata>
            </attachment>
        </attachments>
    </create_supdoc>
</function>"""
CLASS = """<function controlid="unittest"><create><CLASS><CLASSID>C{run}</CLASSID><NAME>hello world</NAME>
    </CLASS></create></function>"""
ALLOCATION = """<function controlid="unittest">
    <create>
        <ALLOCATION>
            <ALLOCATIONID>SPLIT{run}</ALLOCATIONID>
            <TYPE>Percentage</TYPE>
            <DESCRIPTION>60-40</DESCRIPTION>
            <ALLOCATIONENTRIES>
                <ALLOCATIONENTRY><VALUE>60</VALUE><DEPARTMENTID>D100</DEPARTMENTID></ALLOCATIONENTRY>
                <ALLOCATIONENTRY><VALUE>40</VALUE><DEPARTMENTID>D200</DEPARTMENTID></ALLOCATIONENTRY>
            </ALLOCATIONENTRIES>
        </ALLOCATION>
    </create>
</function>"""
ITEM = """<function controlid="unittest"><create><ITEM><ITEMID>I{run}</ITEMID><NAME>hello world</NAME>
    <ITEMTYPE>Non-Inventory</ITEMTYPE></ITEM></create></function>"""

VECTORS: list[dict[str, Any]] = [
    {
        "name": "attachment folder create",
        "provenance": f"{PHP}: AttachmentsFolderCreateTest::testConstruct",
        "request": FOLDER,
        "expect": {"status": "success", "contains": ["My Folder {run}"]},
    },
    {
        "name": "attachment folder update",
        "provenance": f"{PHP}: AttachmentsFolderUpdateTest::testConstruct",
        "setup": [FOLDER],
        "request": """<function controlid="unittest"><update_supdocfolder>
            <supdocfoldername>My Folder {run}</supdocfoldername>
            <supdocfolderdescription>renamed</supdocfolderdescription></update_supdocfolder></function>""",
        "expect": {"status": "success"},
    },
    {
        "name": "attachment create with a file",
        "provenance": f"{PHP}: AttachmentsCreateTest::testConstruct, AttachmentFileTest",
        "setup": [FOLDER],
        "request": DOC,
        "expect": {"status": "success", "contains": ["A{run}"]},
    },
    {
        "name": "attachment without an ID while document sequencing is off",
        "provenance": f"{PHP}: AttachmentsCreateTest::testConstruct (empty supdocid); {MODELLED}",
        "setup": [FOLDER],
        "request": """<function controlid="unittest"><create_supdoc><supdocid></supdocid><supdocname></supdocname>
            <supdocfoldername>My Folder {run}</supdocfoldername></create_supdoc></function>""",
        "expect": {"status": "failure", "errorno": "BL01001973", "contains": ["SUPDOCID"]},
    },
    {
        "name": "attachment in a folder that does not exist",
        "provenance": f"{PHP}: AttachmentsCreateTest::testConstruct; {MODELLED}",
        "request": """<function controlid="unittest"><create_supdoc><supdocid>X{run}</supdocid>
            <supdocname></supdocname><supdocfoldername>No Such Folder</supdocfoldername></create_supdoc></function>""",
        "expect": {"status": "failure", "contains": ["No Such Folder"]},
    },
    {
        "name": "attachment update adds a file",
        "provenance": f"{PHP}: AttachmentsUpdateTest::testConstruct",
        "setup": [FOLDER, DOC],
        "request": """<function controlid="unittest"><update_supdoc><supdocid>A{run}</supdocid>
            <attachments><attachment><attachmentname>second</attachmentname><attachmenttype>txt</attachmenttype>
            <attachmentdata>aGVsbG8=</attachmentdata></attachment></attachments></update_supdoc></function>""",
        "expect": {"status": "success"},
    },
    {
        "name": "attachments listed through get_list",
        "provenance": f"{PY}.get_attachment (get_list object=supdoc with an expression filter)",
        "setup": [FOLDER, DOC],
        "request": """<function controlid="unittest"><get_list object="supdoc"><filter><expression>
            <field>supdocid</field><operator>=</operator><value>A{run}</value></expression></filter></get_list>
            </function>""",
        "expect": {"status": "success", "contains": ["A{run}", "My Folder {run}"]},
    },
    {
        "name": "attachment folders listed through get_list",
        "provenance": f"{PY}.get_folder (get_list object=supdocfolder, filter on name)",
        "setup": [FOLDER],
        "request": """<function controlid="unittest"><get_list object="supdocfolder"><filter><expression>
            <field>name</field><operator>=</operator><value>My Folder {run}</value></expression></filter>
            </get_list></function>""",
        "expect": {"status": "success", "contains": ["My Folder {run}"]},
    },
    {
        "name": "a folder holding documents cannot be deleted",
        "provenance": f"{PHP}: AttachmentsFolderDeleteTest::testConstruct; {MODELLED}",
        "setup": [FOLDER, DOC],
        "request": '<function controlid="unittest"><delete_supdocfolder key="My Folder {run}" /></function>',
        "expect": {"status": "failure", "contains": ["is used by"]},
    },
    {
        "name": "attachment delete, then its folder",
        "provenance": f"{PHP}: AttachmentsDeleteTest::testConstruct, AttachmentsFolderDeleteTest::testConstruct",
        "setup": [FOLDER, DOC, '<function controlid="unittest"><delete_supdoc key="A{run}" /></function>'],
        "request": '<function controlid="unittest"><delete_supdocfolder key="My Folder {run}" /></function>',
        "expect": {"status": "success"},
    },
    {
        "name": "class delete by key",
        "provenance": f"{PHP}: ClassDeleteTest::testConstruct (<delete_class key=...>)",
        "setup": [CLASS],
        "request": '<function controlid="unittest"><delete_class key="C{run}" /></function>',
        "expect": {"status": "success"},
    },
    {
        "name": "class delete by key of a missing class",
        "provenance": f"{PHP}: ClassDeleteTest::testConstruct (key C1234); protocol: delete of a missing record",
        "request": '<function controlid="unittest"><delete_class key="C1234" /></function>',
        "expect": {
            "status": "failure",
            "errorno": "BL01001973",
            "contains": ["Cannot find class with key 'C1234'"],
        },
    },
    {
        "name": "class update",
        "provenance": f"{PHP}: ClassUpdateTest::testConstruct",
        "setup": [CLASS],
        "request": """<function controlid="unittest"><update><CLASS><CLASSID>C{run}</CLASSID>
            <NAME>hello again</NAME></CLASS></update></function>""",
        "expect": {"status": "success"},
    },
    {
        "name": "department create",
        "provenance": f"{PHP}: DepartmentCreateTest::testConstruct",
        "request": """<function controlid="unittest"><create><DEPARTMENT><DEPARTMENTID>D{run}</DEPARTMENTID>
            <TITLE>hello world</TITLE></DEPARTMENT></create></function>""",
        "expect": {"status": "success"},
    },
    {
        "name": "location create and delete",
        "provenance": f"{PHP}: LocationCreateTest::testConstruct, LocationDeleteTest::testConstruct",
        "setup": [
            """<function controlid="unittest"><create><LOCATION><LOCATIONID>L{run}</LOCATIONID>
                <NAME>hello world</NAME></LOCATION></create></function>"""
        ],
        "request": '<function controlid="unittest"><delete_location locationid="L{run}" /></function>',
        "expect": {"status": "success"},
    },
    {
        "name": "contact create",
        "provenance": f"{PHP}: ContactCreateTest::testConstruct",
        "request": """<function controlid="unittest"><create><CONTACT><CONTACTNAME>c{run}</CONTACTNAME>
            <PRINTAS>Company Inc</PRINTAS></CONTACT></create></function>""",
        "expect": {"status": "success"},
    },
    {
        "name": "user create",
        "provenance": f"{PHP}: UserCreateTest::testConstruct",
        "request": """<function controlid="unittest">
    <create>
        <USERINFO>
            <LOGINID>U{run}</LOGINID>
            <USERTYPE>business user</USERTYPE>
            <CONTACTINFO>
                <LASTNAME>Last</LASTNAME>
                <FIRSTNAME>First</FIRSTNAME>
                <EMAIL1>noreply@intacct.com</EMAIL1>
            </CONTACTINFO>
        </USERINFO>
    </create>
</function>""",
        "expect": {"status": "success"},
    },
    {
        "name": "allocation create",
        "provenance": f"{PHP}: AllocationCreateTest::testConstruct (TYPE Percentage), AllocationLineTest",
        "request": ALLOCATION,
        "expect": {"status": "success", "contains": ["SPLIT{run}"]},
    },
    {
        "name": "allocation percentages must total 100",
        "provenance": f"{PHP}: AllocationCreateTest::testConstruct; {MODELLED}",
        "request": ALLOCATION.replace("<VALUE>40</VALUE>", "<VALUE>30</VALUE>"),
        "expect": {"status": "failure", "contains": ["not 100"]},
    },
    {
        "name": "allocation used by a journal entry line",
        "provenance": f"{PHP}: JournalEntryLineCreateTest (ALLOCATION), AllocationCreateTest",
        "setup": [ALLOCATION],
        "request": """<function controlid="unittest"><create><GLBATCH><JOURNAL>GJ</JOURNAL>
            <BATCH_DATE>06/30/2016</BATCH_DATE><BATCH_TITLE>allocated</BATCH_TITLE><ENTRIES>
            <GLENTRY><ACCOUNTNO>6000</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>1000</TRX_AMOUNT>
            <ALLOCATION>SPLIT{run}</ALLOCATION></GLENTRY>
            <GLENTRY><ACCOUNTNO>1010</ACCOUNTNO><TR_TYPE>-1</TR_TYPE><TRX_AMOUNT>1000</TRX_AMOUNT></GLENTRY>
            </ENTRIES></GLBATCH></create></function>""",
        "expect": {"status": "success"},
    },
    {
        "name": "allocation update and delete",
        "provenance": f"{PHP}: AllocationUpdateTest::testConstruct, AllocationDeleteTest::testConstruct",
        "setup": [
            ALLOCATION,
            """<function controlid="unittest"><update><ALLOCATION><ALLOCATIONID>SPLIT{run}</ALLOCATIONID>
                <DESCRIPTION>changed</DESCRIPTION></ALLOCATION></update></function>""",
        ],
        "request": '<function controlid="unittest"><delete_allocation key="SPLIT{run}" /></function>',
        "expect": {"status": "success"},
    },
    {
        "name": "audit trail of a record",
        "provenance": f"{PHP}: AuditTrailReadTest::testConstruct (getObjectTrail object + objectKey); {MODELLED}",
        "setup": [CLASS],
        "request": """<function controlid="unittest"><getObjectTrail><object>CLASS</object>
            <objectKey>C{run}</objectKey></getObjectTrail></function>""",
        "expect": {"status": "success", "contains": ["class", '"ACCESSMODE": "C"']},
    },
    {
        "name": "item create",
        "provenance": f"{PHP}: ItemCreateTest::testConstruct",
        "request": ITEM,
        "expect": {"status": "success", "contains": ["I{run}"]},
    },
    {
        "name": "item update and delete",
        "provenance": f"{PHP}: ItemUpdateTest::testConstruct, ItemDeleteTest::testConstruct",
        "setup": [
            ITEM,
            """<function controlid="unittest"><update><ITEM><ITEMID>I{run}</ITEMID><NAME>renamed</NAME>
                </ITEM></update></function>""",
        ],
        "request": '<function controlid="unittest"><delete_item itemid="I{run}" /></function>',
        "expect": {"status": "success"},
    },
    {
        "name": "company preferences",
        "provenance": f"{PHP}: CompanyPrefsGetTest::testConstruct",
        "request": '<function controlid="unittest"><get_companyprefs application="PA" /></function>',
        "expect": {"status": "success", "contains": ["AUTONUMBER_PROJECTID"]},
    },
    {
        "name": "subscribed applications",
        "provenance": "Intacct .NET SDK tests: SubscriptionListTest (<get_applications />); answer modelled",
        "request": '<function controlid="unittest"><get_applications /></function>',
        "expect": {"status": "success", "contains": ["General Ledger", "Time & Expenses"]},
    },
    {
        "name": "user restricted to entities and departments",
        "provenance": f"{PHP}: UserCreateTest::testRestrictions (repeated USERLOCATIONS / USERDEPARTMENTS)",
        "request": """<function controlid="unittest">
    <create>
        <USERINFO>
            <LOGINID>R{run}</LOGINID>
            <USERTYPE>business user</USERTYPE>
            <CONTACTINFO>
                <LASTNAME>Last</LASTNAME>
                <FIRSTNAME>First</FIRSTNAME>
                <EMAIL1>noreply@intacct.com</EMAIL1>
            </CONTACTINFO>
            <USERLOCATIONS>
                <LOCATIONID>E100</LOCATIONID>
            </USERLOCATIONS>
            <USERLOCATIONS>
                <LOCATIONID>E200</LOCATIONID>
            </USERLOCATIONS>
            <USERDEPARTMENTS>
                <DEPARTMENTID>D100</DEPARTMENTID>
            </USERDEPARTMENTS>
            <USERDEPARTMENTS>
                <DEPARTMENTID>D200</DEPARTMENTID>
            </USERDEPARTMENTS>
        </USERINFO>
    </create>
</function>""",
        "expect": {"status": "success", "contains": ["R{run}"]},
    },
    {
        "name": "user restricted to an unknown entity",
        "provenance": f"{PHP}: UserUpdateTest::testRestrictions; {MODELLED}",
        "request": """<function controlid="unittest"><create><USERINFO><LOGINID>Q{run}</LOGINID>
            <USERTYPE>business user</USERTYPE><CONTACTINFO><LASTNAME>L</LASTNAME><FIRSTNAME>F</FIRSTNAME>
            <EMAIL1>noreply@intacct.com</EMAIL1></CONTACTINFO><USERLOCATIONS><LOCATIONID>E100</LOCATIONID>
            </USERLOCATIONS><USERLOCATIONS><LOCATIONID>E999</LOCATIONID></USERLOCATIONS></USERINFO></create>
            </function>""",
        "expect": {"status": "failure", "contains": ["E999"]},
    },
]
