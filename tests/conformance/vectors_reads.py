"""Generic reads and the error shapes of the protocol.

Requests are the official SDKs' (intacct-sdk-php tests named per vector) or sageintacctsdk's; the
failure shapes come from answers captured in the SDKs' own tests and from published production
captures (docs/intacct/gl-company-reads.md §3 names each one).
"""

from __future__ import annotations

from typing import Any

PHP = "Intacct PHP SDK tests"
MODELLED = "expected answer modelled in docs/intacct/gl-company-reads.md §5"
DEMO = "uses the sandbox demo company's saved views and reports"

VECTORS: list[dict[str, Any]] = [
    {
        "name": "get_list with an expression filter",
        "provenance": f"{PHP}: GetListTest::testExpressionFilter; ResultTest::testLegacyGetListClass (answer)",
        "request": """<function controlid="unittest"><get_list object="class" showprivate="false"><filter>
            <expression><field>classid</field><operator>=</operator><value>CL02</value></expression>
            </filter></get_list></function>""",
        "expect": {"status": "success", "contains": ["CL02"]},
        "sandbox_only": "the demo company's class CL02",
    },
    {
        "name": "get_list with a logical filter, sort and fields",
        "provenance": f"{PHP}: GetListTest::testLogicalFilter",
        "request": """<function controlid="unittest"><get_list object="class" maxitems="10" start="0"
            showprivate="false"><filter><logical logical_operator="or">
            <expression><field>classid</field><operator>=</operator><value>CL01</value></expression>
            <expression><field>classid</field><operator>=</operator><value>CL03</value></expression>
            </logical></filter><sorts><sortfield order="desc">classid</sortfield></sorts>
            <fields><field>classid</field><field>name</field></fields></get_list></function>""",
        "expect": {"status": "success", "contains": ["CL01", "CL03"]},
        "sandbox_only": "the demo company's classes",
    },
    {
        "name": "get_list of an object outside the schema",
        "provenance": f"{PHP}: GetListTest::testDefaultConstruct (object smarteventlog); "
        "published capture of the enumeration error (docs/intacct/gl-company-reads.md §5)",
        "request": """<function controlid="unittest"><get_list object="smarteventlog" showprivate="false" />
            </function>""",
        "expect": {"status": "failure", "contains": ["is not among the enumerated set"]},
        "sandbox_only": "smarteventlog exists in real companies",
    },
    {
        "name": "readRelated: a journal entry's lines",
        "provenance": f"{PHP}: ReadRelatedTest::testParamOverrides; {MODELLED}",
        "setup": [
            """<function controlid="unittest"><create><GLBATCH><JOURNAL>GJ</JOURNAL>
                <BATCH_DATE>06/30/2016</BATCH_DATE><BATCH_TITLE>related</BATCH_TITLE><ENTRIES>
                <GLENTRY><ACCOUNTNO>6000</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>42.17</TRX_AMOUNT></GLENTRY>
                <GLENTRY><ACCOUNTNO>1010</ACCOUNTNO><TR_TYPE>-1</TR_TYPE><TRX_AMOUNT>42.17</TRX_AMOUNT></GLENTRY>
                </ENTRIES></GLBATCH></create></function>"""
        ],
        "request": """<function controlid="unittest"><readRelated><object>GLBATCH</object>
            <relation>GLENTRY</relation><keys>{setup0}</keys><fields>ACCOUNTNO,TR_TYPE,TRX_AMOUNT</fields>
            <returnFormat>xml</returnFormat></readRelated></function>""",
        "expect": {"status": "success", "contains": ["42.17", "6000", "1010"]},
    },
    {
        "name": "readRelated with an unknown relation",
        "provenance": f"{PHP}: ReadRelatedTest::testDefaultParams (CUSTOM_OBJECT_ITEM); {MODELLED}",
        "request": """<function controlid="unittest"><readRelated><object>CUSTOMER</object>
            <relation>CUSTOM_OBJECT_ITEM</relation><keys/><fields>*</fields><returnFormat>xml</returnFormat>
            </readRelated></function>""",
        "expect": {"status": "failure", "error_type": "QueryFailed"},
    },
    {
        "name": "readView",
        "provenance": f"{PHP}: ReadViewTest::testParamOverrides; {MODELLED}",
        "request": """<function controlid="unittest"><readView><view>Active customers</view><pagesize>10</pagesize>
            <returnFormat>xml</returnFormat></readView></function>""",
        "expect": {"status": "success", "contains": ["C00001", '"count": "10"']},
        "sandbox_only": DEMO,
    },
    {
        "name": "readView of a view the company lacks",
        "provenance": f"{PHP}: ReadViewTest::testDefaultParams (TestBill Date Runtime); {MODELLED}",
        "request": """<function controlid="unittest"><readView><view>TestBill Date Runtime</view>
            <pagesize>1000</pagesize><returnFormat>xml</returnFormat></readView></function>""",
        "expect": {"status": "failure", "contains": ["TestBill Date Runtime"]},
    },
    {
        "name": "readReport with waitTime 0 answers a report ID",
        "provenance": f"{PHP}: ReadReportTest::testDefaultParams; {MODELLED}",
        "request": """<function controlid="unittest"><readReport><report>Customer list</report><waitTime>0</waitTime>
            <pagesize>1000</pagesize><returnFormat>xml</returnFormat></readReport></function>""",
        "expect": {"status": "success", "contains": ["reportId", "PENDING"]},
        "sandbox_only": DEMO,
    },
    {
        "name": "readMore collects a report",
        "provenance": f"{PHP}: ReadReportTest::testDefaultParams, ReadMoreTest (reportId); {MODELLED}",
        "setup": [
            """<function controlid="unittest"><readReport><report>Customer list</report><waitTime>0</waitTime>
                <pagesize>5</pagesize><returnFormat>xml</returnFormat></readReport></function>"""
        ],
        "request": """<function controlid="unittest"><readMore><reportId>{setup0}</reportId></readMore>
            </function>""",
        "expect": {"status": "success", "contains": ["C00001", '"count": "5"']},
        "sandbox_only": DEMO,
    },
    {
        "name": "readReport with a wait answers the first page",
        "provenance": f"{PHP}: ReadReportTest::testParamOverrides; {MODELLED}",
        "request": """<function controlid="unittest"><readReport><report>Customer list</report><waitTime>15</waitTime>
            <pagesize>200</pagesize><returnFormat>xml</returnFormat><listSeparator>,</listSeparator></readReport>
            </function>""",
        "expect": {"status": "success", "contains": ["C00050"]},
        "sandbox_only": DEMO,
    },
    {
        "name": "readReport definition",
        "provenance": f"{PHP}: ReadReportTest::testReturnDef; {MODELLED}",
        "request": """<function controlid="unittest"><readReport returnDef="true"><report>Customer list</report>
            </readReport></function>""",
        "expect": {"status": "success"},
        "sandbox_only": DEMO,
    },
    {
        "name": "getDimensions",
        "provenance": f"{PHP}: DimensionsGetTest::testGenerateXml; sageintacctsdk Dimensions.get_all "
        "(data/dimensions/dimension)",
        "request": '<function controlid="unittest"><getDimensions /></function>',
        "expect": {"status": "success", "contains": ["DEPARTMENT", "LOCATION", "userDefinedDimension"]},
    },
    {
        "name": "getDimensionRelationships",
        "provenance": f"{PHP}: DimensionRelationshipsGetTest::testGenerateXml; {MODELLED}",
        "request": '<function controlid="unittest"><getDimensionRelationships /></function>',
        "expect": {"status": "success", "contains": ["PROJECT", "CUSTOMER"]},
    },
    {
        "name": "inspect of every object reports the real count",
        "provenance": "sageintacctsdk Dimensions.inspect_objects (<inspect><object>*</object>)",
        "request": '<function controlid="unittest"><inspect><object>*</object></inspect></function>',
        "expect": {"status": "success", "contains": ["GLBATCH", "SUPDOC"]},
    },
    # --- error shapes --------------------------------------------------------------------------
    {
        "name": "read of an unknown object",
        "provenance": f"{PHP}: OnlineResponseTest/ResultTest (read, errorno XXX, 'Object definition VENDOR2 not "
        "found'); the .NET and Node SDK tests carry the same answer",
        "request": """<function controlid="unittest"><read><object>VENDOR2</object><keys>1</keys><fields>*</fields>
            <returnFormat>xml</returnFormat></read></function>""",
        "expect": {
            "status": "failure",
            "errorno": "XXX",
            "error_type": "QueryFailed",
            "contains": ["Object definition VENDOR2 not found"],
        },
    },
    {
        "name": "inspect of an unknown object",
        "provenance": f"{PHP}: OnlineClientTest (inspect, errorno XXX, 'Object type CLASS1 not found')",
        "request": '<function controlid="unittest"><inspect detail="1"><object>CLASS1</object></inspect></function>',
        "expect": {
            "status": "failure",
            "errorno": "XXX",
            "error_type": "QueryFailed",
            "contains": ["Object type CLASS1 not found"],
        },
    },
    {
        "name": "query of an unknown object",
        "provenance": "production capture published in a connector's tests (query, XL03000009 'There was an "
        "error processing the function', 'Object definition SODOCUMENTPARAMS not found', empty <data>)",
        "request": """<function controlid="unittest"><query><select><field>RECORDNO</field></select>
            <object>SODOCUMENTPARAMS</object></query></function>""",
        "expect": {
            "status": "failure",
            "errorno": "XL03000009",
            "error_type": "QueryFailed",
            "contains": ["There was an error processing the function", "Object definition SODOCUMENTPARAMS"],
        },
        "sandbox_only": "SODOCUMENTPARAMS exists in companies with order entry",
    },
    {
        "name": "read with an invalid field list",
        "provenance": "jfcote87/intacct testfiles/functionErrorSuccess.xml (errorno 'Invalid fields list x', a "
        "real company's answer)",
        "request": """<function controlid="unittest"><read><object>APBILL</object><keys>1</keys><fields>x</fields>
            <returnFormat>xml</returnFormat></read></function>""",
        "expect": {"status": "failure", "errorno": "Invalid fields list x", "error_type": "QueryFailed"},
    },
    {
        "name": "update of a missing record",
        "provenance": "intacct-sdk-php (pre-3.0 tests): 'Cannot update non-existing CLASS with CLASSID=UT99.'",
        "request": """<function controlid="unittest"><update><CLASS><CLASSID>UT99</CLASSID><NAME>x</NAME></CLASS>
            </update></function>""",
        "expect": {
            "status": "failure",
            "error_type": "NotFound",
            "contains": ["Cannot update non-existing CLASS with CLASSID=UT99."],
        },
    },
]
