"""Conformance vectors: Accounts Payable (summaries, reversals, AP adjustments, AP payments and payment
requests, account labels, vendor updates).

Each request is the XML the named official-SDK test writes (intacct-sdk-php unless said otherwise);
identifiers the demo company lacks are created by ``setup`` first, and references the SDK fills with
placeholder keys (1234) point at the setup's records through ``{setupN}``, which may also appear in a
later setup string. The demo company (``Sandbox().seed_demo(seed=1)``) has vendors V0001-V0020, GL
accounts 1000-6400 and no bank account.

All vectors run in one demo company (tests/conformance/test_conformance.py): the records a vector makes
carry ``{run}``, six digits unique to the vector, and a vector that changes a demo record names one no
other vector uses. A real company lacks the demo's records, so the live run skips these
(``sandbox_only``).
"""

from __future__ import annotations

from typing import Any


def fn(body: str, controlid: str = "unittest") -> str:
    return f'<function controlid="{controlid}">{body}</function>'


D0630 = "<year>2015</year><month>06</month><day>30</day>"
CHECKING = fn(
    "<create><CHECKINGACCOUNT><BANKACCOUNTID>BA1143-{run}</BANKACCOUNTID><BANKNAME>First Bank</BANKNAME>"
    "<GLACCOUNTNO>1000</GLACCOUNTNO></CHECKINGACCOUNT></create>",
    "setup-bank",
)
VENDOR1 = fn(
    "<create><VENDOR><VENDORID>VENDOR1-{run}</VENDORID><NAME>Vendor One</NAME></VENDOR></create>", "setup-v"
)


def bill(vendor: str = "V0001", amount: str = "1000", controlid: str = "setup-bill") -> str:
    return fn(
        f"<create_bill><vendorid>{vendor}</vendorid><datecreated>{D0630}</datecreated><termname>N30</termname>"
        f"<billitems><lineitem><glaccountno>6000</glaccountno><amount>{amount}</amount></lineitem></billitems>"
        "</create_bill>",
        controlid,
    )


def payment(bill_key: str = "{setup1}", amount: str = "100.12") -> str:
    """ApPaymentCreateTest::testGenerateXmlForBill with the bill the setup made."""
    return fn(
        "<create><APPYMT><PAYMENTMETHOD>Printed Check</PAYMENTMETHOD><FINANCIALENTITY>BA1143-{run}"
        "</FINANCIALENTITY>"
        "<VENDORID>V0001</VENDORID><PAYMENTDATE>06/30/2015</PAYMENTDATE><APPYMTDETAILS><APPYMTDETAIL>"
        f"<RECORDKEY>{bill_key}</RECORDKEY><TRX_PAYMENTAMOUNT>{amount}</TRX_PAYMENTAMOUNT></APPYMTDETAIL>"
        "</APPYMTDETAILS></APPYMT></create>",
        "setup-pay",
    )


def request_state(action: str, key: str, controlid: str = "unittest") -> str:
    return fn(
        f"<{action}_appaymentrequest><appaymentkeys><appaymentkey>{key}</appaymentkey></appaymentkeys>"
        f"</{action}_appaymentrequest>",
        controlid,
    )


def adjustment(amount: str, controlid: str) -> str:
    return fn(
        f"<create_apadjustment><vendorid>V0001</vendorid><datecreated>{D0630}</datecreated>"
        f"<apadjustmentitems><lineitem><glaccountno>6000</glaccountno><amount>{amount}</amount></lineitem>"
        "</apadjustmentitems></create_apadjustment>",
        controlid,
    )


PAYMENT_CHAIN = [CHECKING, bill(), payment()]
SUCCESS: dict[str, Any] = {"status": "success"}
REFUSED: dict[str, Any] = {"status": "failure", "errorno": "BL01001973"}

VECTORS: list[dict[str, Any]] = [
    # --- summaries ----------------------------------------------------------------------------------
    {
        "name": "create_billbatch",
        "provenance": "Intacct PHP SDK tests: BillSummaryCreateTest::testDefaultParams",
        "request": fn(
            f"<create_billbatch><batchtitle>unit test-{{run}}</batchtitle><datecreated>{D0630}</datecreated>"
            "</create_billbatch>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "create_billbatch without a title is refused",
        "provenance": "Intacct PHP SDK tests: BillSummaryCreateTest::testMissingTitle (the SDK refuses it "
        "before sending; the gateway answers the same)",
        "request": fn(f"<create_billbatch><datecreated>{D0630}</datecreated></create_billbatch>"),
        "expect": {**REFUSED, "contains": ["batchtitle"]},
    },
    {
        "name": "create_apadjustmentbatch",
        "provenance": "Intacct PHP SDK tests: ApAdjustmentSummaryCreateTest::testDefaultParams",
        "request": fn(
            f"<create_apadjustmentbatch><batchtitle>unit test-{{run}}</batchtitle><datecreated>{D0630}"
            "</datecreated>"
            "</create_apadjustmentbatch>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "create_bill into a summary",
        "provenance": "Intacct PHP SDK tests: BillCreateTest::testParamOverrides (batchkey = the "
        "summary made "
        "in setup, a real GL account on the line)",
        "setup": [
            fn(
                f"<create_billbatch><batchtitle>June bills-{{run}}</batchtitle><datecreated>{D0630}"
                "</datecreated>"
                "</create_billbatch>",
                "setup-batch",
            ),
        ],
        "request": fn(
            f"<create_bill><vendorid>V0001</vendorid><datecreated>{D0630}</datecreated>"
            f"<dateposted>{D0630}</dateposted><datedue><year>2020</year><month>09</month><day>24</day></datedue>"
            "<termname>N30</termname><action>Submit</action><batchkey>{setup0}</batchkey><billno>234-{run}</billno>"
            "<ponumber>234235</ponumber><onhold>true</onhold><description>Some description</description>"
            "<externalid>20394-{run}</externalid><payto><contactname>28952</contactname></payto>"
            "<returnto><contactname>289533</contactname></returnto><basecurr>USD</basecurr>"
            f"<currency>USD</currency><exchratedate>{D0630}</exchratedate>"
            "<exchratetype>Intacct Daily Rate</exchratetype><nogl>false</nogl><supdocid>6942</supdocid>"
            "<customfields><customfield><customfieldname>customfield1</customfieldname>"
            "<customfieldvalue>customvalue1</customfieldvalue></customfield></customfields>"
            "<billitems><lineitem><glaccountno>6000</glaccountno><amount>76343.43</amount><taxentries>"
            "<taxentry><detailid>TaxName</detailid><trx_tax>10</trx_tax></taxentry></taxentries></lineitem>"
            "</billitems></create_bill>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "create_bill into a summary that does not exist is refused",
        "provenance": "Intacct PHP SDK tests: BillCreateTest::testParamOverrides (batchkey 20323 as sent)",
        "request": fn(
            f"<create_bill><vendorid>V0001</vendorid><datecreated>{D0630}</datecreated><termname>N30</termname>"
            "<batchkey>20323</batchkey><billitems><lineitem><glaccountno>6000</glaccountno>"
            "<amount>76343.43</amount></lineitem></billitems></create_bill>"
        ),
        "expect": {**REFUSED, "contains": ["20323"]},
    },
    # --- bill reversal ------------------------------------------------------------------------------
    {
        "name": "reverse_bill",
        "provenance": "Intacct PHP SDK tests: BillReverseTest::testConstruct (key = a bill made in setup)",
        "setup": [bill()],
        "request": fn(f'<reverse_bill key="{{setup0}}"><datereversed>{D0630}</datereversed></reverse_bill>'),
        "expect": SUCCESS,
    },
    {
        "name": "reversed bill reads Reversed",
        "provenance": "Intacct PHP SDK tests: BillReverseTest::testConstruct, then the SDK's Read "
        "(ReadTest::testParamOverrides shape)",
        "setup": [
            bill(),
            fn(f'<reverse_bill key="{{setup0}}"><datereversed>{D0630}</datereversed></reverse_bill>'),
        ],
        "request": fn(
            "<read><object>APBILL</object><keys>{setup0}</keys><fields>STATE,TOTALDUE</fields>"
            "<returnFormat>xml</returnFormat></read>"
        ),
        "expect": {"status": "success", "contains": ["Reversed"]},
    },
    {
        "name": "reverse_bill of a paid bill is refused",
        "provenance": "Intacct PHP SDK tests: BillReverseTest::testConstruct (key 2: a bill the demo company "
        "paid in full)",
        "request": fn(f'<reverse_bill key="2"><datereversed>{D0630}</datereversed></reverse_bill>'),
        "expect": {**REFUSED, "contains": ["Reverse the payments first"]},
    },
    {
        "name": "reverse_bill of an unknown bill is refused",
        "provenance": "Intacct PHP SDK tests: BillReverseTest::testConstruct (key 1234 as sent)",
        "request": fn(f'<reverse_bill key="1234"><datereversed>{D0630}</datereversed></reverse_bill>'),
        "expect": {**REFUSED, "contains": ["1234"]},
    },
    # --- AP adjustments -----------------------------------------------------------------------------
    {
        "name": "create_apadjustment with an empty GL account is refused",
        "provenance": "Intacct PHP SDK tests: ApAdjustmentCreateTest::testDefaultParams (line "
        "<glaccountno/>)",
        "setup": [VENDOR1],
        "request": fn(
            f"<create_apadjustment><vendorid>VENDOR1-{{run}}</vendorid><datecreated>{D0630}</datecreated>"
            "<apadjustmentitems><lineitem><glaccountno/><amount>76343.43</amount></lineitem>"
            "</apadjustmentitems></create_apadjustment>"
        ),
        "expect": {**REFUSED, "contains": ["ACCOUNTNO"]},
    },
    {
        "name": "create_apadjustment in a summary",
        "provenance": "Intacct PHP SDK tests: ApAdjustmentCreateTest::testParamOverrides (batchkey = the "
        "summary made in setup, a real GL account on the line)",
        "setup": [
            VENDOR1,
            fn(
                f"<create_apadjustmentbatch><batchtitle>unit test-{{run}}</batchtitle><datecreated>{D0630}"
                "</datecreated>"
                "</create_apadjustmentbatch>",
                "setup-batch",
            ),
        ],
        "request": fn(
            f"<create_apadjustment><vendorid>VENDOR1-{{run}}</vendorid><datecreated>{D0630}</datecreated>"
            f"<dateposted>{D0630}</dateposted><batchkey>{{setup1}}</batchkey><adjustmentno>234-{{run}}</adjustmentno>"
            "<action>Submit</action><billno>234235</billno><description>Some description</description>"
            "<externalid>20394-{run}</externalid><basecurr>USD</basecurr><currency>USD</currency>"
            f"<exchratedate>{D0630}</exchratedate><exchratetype>Intacct Daily Rate</exchratetype>"
            "<nogl>false</nogl><customfields><customfield><customfieldname>customfield1</customfieldname>"
            "<customfieldvalue>customvalue1</customfieldvalue></customfield></customfields>"
            "<apadjustmentitems><lineitem><glaccountno>6000</glaccountno><amount>76343.43</amount></lineitem>"
            "</apadjustmentitems></create_apadjustment>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "delete_apadjustment",
        "provenance": "Intacct PHP SDK tests: ApAdjustmentDeleteTest::testConstruct (key = setup's "
        "adjustment)",
        "setup": [adjustment("50", "setup-adj")],
        "request": fn('<delete_apadjustment key="{setup0}" />'),
        "expect": SUCCESS,
    },
    {
        "name": "generic APADJUSTMENT create",
        "provenance": "Intacct API reference: AP adjustments, generic create (the SDKs write the legacy "
        "form)",
        "request": fn(
            "<create><APADJUSTMENT><VENDORID>V0001</VENDORID><WHENCREATED>06/30/2015</WHENCREATED>"
            "<RECORDID>ADJ-1</RECORDID><APADJUSTMENTITEMS><APADJUSTMENTITEM><ACCOUNTNO>6000</ACCOUNTNO>"
            "<TRX_AMOUNT>-25</TRX_AMOUNT></APADJUSTMENTITEM></APADJUSTMENTITEMS></APADJUSTMENT></create>"
        ),
        "expect": SUCCESS,
    },
    # --- AP payments --------------------------------------------------------------------------------
    {
        "name": "APPYMT create for a bill",
        "provenance": "Intacct PHP SDK tests: ApPaymentCreateTest::testGenerateXmlForBill (RECORDKEY = "
        "setup's "
        "bill); sageintacctsdk APPayments.post writes the same create",
        "setup": [CHECKING, bill()],
        "request": payment().replace("setup-pay", "unittest"),
        "expect": SUCCESS,
    },
    {
        "name": "APPYMT create with a discount date",
        "provenance": "Intacct PHP SDK tests: ApPaymentCreateTest::testGenerateXmlForBillDiscount",
        "setup": [CHECKING, bill()],
        "request": fn(
            "<create><APPYMT><PAYMENTMETHOD>Printed Check</PAYMENTMETHOD><FINANCIALENTITY>BA1143-{run}"
            "</FINANCIALENTITY><VENDORID>V0001</VENDORID><PAYMENTDATE>06/30/2015</PAYMENTDATE><APPYMTDETAILS>"
            "<APPYMTDETAIL><RECORDKEY>{setup1}</RECORDKEY><DISCOUNTDATE>06/29/2015</DISCOUNTDATE>"
            "<TRX_PAYMENTAMOUNT>294</TRX_PAYMENTAMOUNT></APPYMTDETAIL></APPYMTDETAILS></APPYMT></create>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "APPYMT create with every header field",
        "provenance": "Intacct PHP SDK tests: "
        "ApPaymentCreateTest::testGenerateXmlWithAllParamsForBillDiscount",
        "setup": [CHECKING, bill()],
        "request": fn(
            "<create><APPYMT><PAYMENTMETHOD>Printed Check</PAYMENTMETHOD><FINANCIALENTITY>BA1143-{run}"
            "</FINANCIALENTITY><VENDORID>V0001</VENDORID><PAYMENTREQUESTMETHOD>vendorpref</PAYMENTREQUESTMETHOD>"
            "<GROUPPAYMENTS>true</GROUPPAYMENTS><EXCH_RATE_DATE>06/30/2015</EXCH_RATE_DATE>"
            "<EXCH_RATE_TYPE_ID>Intacct Daily Rate</EXCH_RATE_TYPE_ID><DOCNUMBER>10000</DOCNUMBER>"
            "<DESCRIPTION>Memo</DESCRIPTION><PAYMENTCONTACT>Jim Smith</PAYMENTCONTACT>"
            "<PAYMENTDATE>06/30/2015</PAYMENTDATE><APPYMTDETAILS><APPYMTDETAIL><RECORDKEY>{setup1}</RECORDKEY>"
            "<DISCOUNTTOAPPLY>1.21</DISCOUNTTOAPPLY><CREDITTOAPPLY>8.12</CREDITTOAPPLY>"
            "<TRX_PAYMENTAMOUNT>100.12</TRX_PAYMENTAMOUNT></APPYMTDETAIL></APPYMTDETAILS></APPYMT></create>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "APPYMT create with a bill line that is not the bill's is refused",
        "provenance": "Intacct PHP SDK tests: ApPaymentCreateTest::testGenerateXmlWithBillLine "
        "(ENTRYKEY 456)",
        "setup": [CHECKING, bill()],
        "request": fn(
            "<create><APPYMT><PAYMENTMETHOD>EFT</PAYMENTMETHOD><FINANCIALENTITY>BA1143-{run}</FINANCIALENTITY>"
            "<VENDORID>V0001</VENDORID><DOCNUMBER>12345</DOCNUMBER><PAYMENTDATE>06/30/2015</PAYMENTDATE>"
            "<APPYMTDETAILS><APPYMTDETAIL><RECORDKEY>{setup1}</RECORDKEY><ENTRYKEY>456</ENTRYKEY>"
            "<TRX_PAYMENTAMOUNT>100.12</TRX_PAYMENTAMOUNT></APPYMTDETAIL></APPYMTDETAILS></APPYMT></create>"
        ),
        "expect": {**REFUSED, "contains": ["456"]},
    },
    {
        "name": "APPYMT create applying a credit memo and a debit memo",
        "provenance": "Intacct PHP SDK tests: ApPaymentCreateTest::testGenerateXmlFor2BillDiscount "
        "(POSADJKEY "
        "= a credit memo, ADJUSTMENTKEY = a debit memo, both made in setup)",
        "setup": [CHECKING, adjustment("50", "setup-credit"), adjustment("-10", "setup-debit")],
        "request": fn(
            "<create><APPYMT><PAYMENTMETHOD>Printed Check</PAYMENTMETHOD><FINANCIALENTITY>BA1143-{run}"
            "</FINANCIALENTITY><VENDORID>V0001</VENDORID><PAYMENTDATE>06/30/2015</PAYMENTDATE><APPYMTDETAILS>"
            "<APPYMTDETAIL><POSADJKEY>{setup1}</POSADJKEY><TRX_PAYMENTAMOUNT>1</TRX_PAYMENTAMOUNT>"
            "</APPYMTDETAIL><APPYMTDETAIL><POSADJKEY>{setup1}</POSADJKEY><ADJUSTMENTKEY>{setup2}</ADJUSTMENTKEY>"
            "<TRX_ADJUSTMENTAMOUNT>1.01</TRX_ADJUSTMENTAMOUNT></APPYMTDETAIL></APPYMTDETAILS></APPYMT></create>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "APPYMT create using a negative bill",
        "provenance": "Intacct PHP SDK tests: ApPaymentCreateTest::testGenerateXmlForBillAndUseNegativeBill "
        "(bank BOA, vendor a4, the bill and the negative bill made in setup)",
        "setup": [
            CHECKING.replace("BA1143", "BOA"),
            fn(
                "<create><VENDOR><VENDORID>a4-{run}</VENDORID><NAME>Vendor a4</NAME></VENDOR></create>",
                "setup-v",
            ),
            bill("a4-{run}", "100"),
            bill("a4-{run}", "-70", "setup-negative"),
        ],
        "request": fn(
            "<create><APPYMT><PAYMENTMETHOD>Cash</PAYMENTMETHOD><FINANCIALENTITY>BOA-{run}</FINANCIALENTITY>"
            "<VENDORID>a4-{run}</VENDORID><PAYMENTDATE>10/06/2020</PAYMENTDATE><CURRENCY>USD</CURRENCY>"
            "<APPYMTDETAILS><APPYMTDETAIL><RECORDKEY>{setup2}</RECORDKEY><INLINEKEY>{setup3}</INLINEKEY>"
            "<TRX_INLINEAMOUNT>70</TRX_INLINEAMOUNT><TRX_PAYMENTAMOUNT>8.8</TRX_PAYMENTAMOUNT></APPYMTDETAIL>"
            "</APPYMTDETAILS></APPYMT></create>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "APPYMT create with an advance is refused (advances are not modelled)",
        "provenance": "Intacct PHP SDK tests: ApPaymentCreateTest::testGenerateXmlForBillAndUseAllThings",
        "setup": [CHECKING, bill()],
        "request": fn(
            "<create><APPYMT><PAYMENTMETHOD>Printed Check</PAYMENTMETHOD><FINANCIALENTITY>BA1143-{run}"
            "</FINANCIALENTITY><VENDORID>V0001</VENDORID><PAYMENTDATE>06/30/2015</PAYMENTDATE><APPYMTDETAILS>"
            "<APPYMTDETAIL><RECORDKEY>{setup1}</RECORDKEY><TRX_PAYMENTAMOUNT>1</TRX_PAYMENTAMOUNT>"
            "</APPYMTDETAIL><APPYMTDETAIL><RECORDKEY>{setup1}</RECORDKEY><ADVANCEKEY>2584</ADVANCEKEY>"
            "<ADVANCEENTRYKEY>42931</ADVANCEENTRYKEY><TRX_POSTEDADVANCEAMOUNT>2.49</TRX_POSTEDADVANCEAMOUNT>"
            "</APPYMTDETAIL></APPYMTDETAILS></APPYMT></create>"
        ),
        "expect": {**REFUSED, "contains": ["2584"]},
    },
    {
        "name": "APPYMT create paying more than the bill owes is refused",
        "provenance": "Intacct PHP SDK tests: ApPaymentCreateTest::testGenerateXml (amount above the bill)",
        "setup": [CHECKING, bill(amount="50")],
        "request": payment(amount="100.12").replace("setup-pay", "unittest"),
        "expect": {**REFUSED, "contains": ["exceeds"]},
    },
    {
        "name": "APPYMT create from an unknown bank account is refused",
        "provenance": "Intacct PHP SDK tests: ApPaymentCreateTest::testGenerateXml (BA1143 not set up)",
        "setup": [bill()],
        "request": payment("{setup0}").replace("setup-pay", "unittest"),
        "expect": {**REFUSED, "contains": ["BA1143-{run}"]},
    },
    {
        "name": "APPYMT delete",
        "provenance": "Intacct PHP SDK tests: ApPaymentDeleteTest::testConstruct (keys = setup's payment)",
        "setup": PAYMENT_CHAIN,
        "request": fn("<delete><object>APPYMT</object><keys>{setup2}</keys></delete>"),
        "expect": SUCCESS,
    },
    # --- payment request state machine --------------------------------------------------------------
    {
        "name": "approve_appaymentrequest",
        "provenance": "Intacct PHP SDK tests: ApPaymentApproveTest::testConstruct",
        "setup": PAYMENT_CHAIN,
        "request": request_state("approve", "{setup2}"),
        "expect": SUCCESS,
    },
    {
        "name": "decline_appaymentrequest",
        "provenance": "Intacct PHP SDK tests: ApPaymentDeclineTest::testConstruct",
        "setup": PAYMENT_CHAIN,
        "request": request_state("decline", "{setup2}"),
        "expect": SUCCESS,
    },
    {
        "name": "send_appaymentrequest of an approved request",
        "provenance": "Intacct PHP SDK tests: ApPaymentSendTest::testConstruct",
        "setup": [*PAYMENT_CHAIN, request_state("approve", "{setup2}", "setup-approve")],
        "request": request_state("send", "{setup2}"),
        "expect": SUCCESS,
    },
    {
        "name": "send_appaymentrequest before approval is refused",
        "provenance": "Intacct PHP SDK tests: ApPaymentSendTest::testConstruct",
        "setup": PAYMENT_CHAIN,
        "request": request_state("send", "{setup2}"),
        "expect": {**REFUSED, "contains": ["Submitted"]},
    },
    {
        "name": "confirm_appaymentrequest of a sent request",
        "provenance": "Intacct PHP SDK tests: ApPaymentConfirmTest::testConstruct",
        "setup": [
            *PAYMENT_CHAIN,
            request_state("approve", "{setup2}", "setup-approve"),
            request_state("send", "{setup2}", "setup-send"),
        ],
        "request": request_state("confirm", "{setup2}"),
        "expect": SUCCESS,
    },
    {
        "name": "void_appaymentrequest of an approved request",
        "provenance": "Intacct PHP SDK tests: ApPaymentVoidTest::testConstruct",
        "setup": [*PAYMENT_CHAIN, request_state("approve", "{setup2}", "setup-approve")],
        "request": request_state("void", "{setup2}"),
        "expect": SUCCESS,
    },
    {
        "name": "approve_appaymentrequest of an unknown key is refused",
        "provenance": "Intacct PHP SDK tests: ApPaymentApproveTest::testConstruct (key 1234 as sent)",
        "request": request_state("approve", "1234"),
        "expect": {**REFUSED, "contains": ["1234"]},
    },
    {
        "name": "paid bill reads Paid after confirm",
        "provenance": "Intacct PHP SDK tests: ApPaymentConfirmTest::testConstruct, then the SDK's Read",
        "setup": [
            CHECKING,
            bill(amount="100.12"),
            payment(),
            request_state("approve", "{setup2}", "setup-approve"),
            request_state("confirm", "{setup2}", "setup-confirm"),
        ],
        "request": fn(
            "<read><object>APBILL</object><keys>{setup1}</keys><fields>STATE,TOTALDUE</fields>"
            "<returnFormat>xml</returnFormat></read>"
        ),
        "expect": {"status": "success", "contains": ["Paid"]},
    },
    {
        "name": "reverse_appayment",
        "provenance": "Intacct PHP SDK tests: ApPaymentReverseTest::testConstruct",
        "setup": [
            *PAYMENT_CHAIN,
            request_state("approve", "{setup2}", "setup-approve"),
            request_state("confirm", "{setup2}", "setup-confirm"),
        ],
        "request": fn(
            f'<reverse_appayment key="{{setup2}}"><datereversed>{D0630}</datereversed></reverse_appayment>'
        ),
        "expect": SUCCESS,
    },
    {
        "name": "reverse_appayment of an open request is refused",
        "provenance": "Intacct PHP SDK tests: ApPaymentReverseTest::testConstruct",
        "setup": PAYMENT_CHAIN,
        "request": fn(
            f'<reverse_appayment key="{{setup2}}"><datereversed>{D0630}</datereversed></reverse_appayment>'
        ),
        "expect": {**REFUSED, "contains": ["Submitted"]},
    },
    {
        "name": "create_paymentrequest (2.x)",
        "provenance": "Intacct PHP SDK 2.x tests: ApPaymentRequestCreateTest::testParamOverrides (key = "
        "setup's "
        "bill)",
        "setup": [CHECKING, bill()],
        "request": fn(
            "<create_paymentrequest><bankaccountid>BA1143-{run}</bankaccountid><vendorid>V0001</vendorid>"
            "<memo>Memo</memo><paymentmethod>Printed Check</paymentmethod><grouppayments>true</grouppayments>"
            f"<paymentdate>{D0630}</paymentdate><paymentoption>vendorpref</paymentoption>"
            "<paymentrequestitems><paymentrequestitem><key>{setup1}</key><paymentamount>100.12</paymentamount>"
            "<credittoapply>8.12</credittoapply><discounttoapply>1.21</discounttoapply></paymentrequestitem>"
            "</paymentrequestitems><documentnumber>10000</documentnumber><paymentdescription>Memo"
            "</paymentdescription><paymentcontact>Jim Smith</paymentcontact></create_paymentrequest>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "delete_paymentrequest (2.x)",
        "provenance": "Intacct PHP SDK 2.x tests: ApPaymentRequestDeleteTest::testConstruct",
        "setup": PAYMENT_CHAIN,
        "request": fn('<delete_paymentrequest key="{setup2}" />'),
        "expect": SUCCESS,
    },
    # --- account labels -----------------------------------------------------------------------------
    {
        "name": "APACCOUNTLABEL create",
        "provenance": "Intacct PHP SDK tests: ApAccountLabelCreateTest::testConstruct (GL 6500 made in "
        "setup)",
        "setup": [
            fn(
                "<create><GLACCOUNT><ACCOUNTNO>6500-{run}</ACCOUNTNO><TITLE>Office Expense</TITLE>"
                "<ACCOUNTTYPE>incomestatement</ACCOUNTTYPE></GLACCOUNT></create>",
                "setup-gl",
            )
        ],
        "request": fn(
            "<create><APACCOUNTLABEL><ACCOUNTLABEL>expense-{run}</ACCOUNTLABEL><DESCRIPTION>hello world"
            "</DESCRIPTION><GLACCOUNTNO>6500-{run}</GLACCOUNTNO></APACCOUNTLABEL></create>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "APACCOUNTLABEL create on an unknown GL account is refused",
        "provenance": "Intacct PHP SDK tests: ApAccountLabelCreateTest::testConstruct (6500 absent)",
        "request": fn(
            "<create><APACCOUNTLABEL><ACCOUNTLABEL>expense-{run}</ACCOUNTLABEL><DESCRIPTION>hello world"
            "</DESCRIPTION><GLACCOUNTNO>6500-{run}</GLACCOUNTNO></APACCOUNTLABEL></create>"
        ),
        "expect": {**REFUSED, "contains": ["6500"]},
    },
    {
        "name": "APACCOUNTLABEL update",
        "provenance": "Intacct PHP SDK tests: ApAccountLabelUpdateTest::testConstruct",
        "setup": [
            fn(
                "<create><GLACCOUNT><ACCOUNTNO>6500-{run}</ACCOUNTNO><TITLE>Office Expense</TITLE>"
                "</GLACCOUNT></create>",
                "setup-gl",
            ),
            fn(
                "<create><APACCOUNTLABEL><ACCOUNTLABEL>expense-{run}</ACCOUNTLABEL><DESCRIPTION>old</DESCRIPTION>"
                "<GLACCOUNTNO>6000</GLACCOUNTNO></APACCOUNTLABEL></create>",
                "setup-label",
            ),
        ],
        "request": fn(
            "<update><APACCOUNTLABEL><ACCOUNTLABEL>expense-{run}</ACCOUNTLABEL><DESCRIPTION>hello world"
            "</DESCRIPTION><GLACCOUNTNO>6500-{run}</GLACCOUNTNO></APACCOUNTLABEL></update>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "delete_apaccountlabel",
        "provenance": "Intacct PHP SDK tests: ApAccountLabelDeleteTest::testConstruct",
        "setup": [
            fn(
                "<create><APACCOUNTLABEL><ACCOUNTLABEL>Expense-{run}</ACCOUNTLABEL><DESCRIPTION>x</DESCRIPTION>"
                "<GLACCOUNTNO>6000</GLACCOUNTNO></APACCOUNTLABEL></create>",
                "setup-label",
            )
        ],
        "request": fn('<delete_apaccountlabel accountlabel="Expense-{run}" />'),
        "expect": SUCCESS,
    },
    # --- vendors ------------------------------------------------------------------------------------
    {
        "name": "VENDOR update with an empty DISPLAYCONTACT",
        "provenance": "Intacct PHP SDK tests: VendorUpdateTest::testConstruct",
        "setup": [
            fn("<create><VENDOR><VENDORID>V1234-{run}</VENDORID><NAME>SaaS Co</NAME></VENDOR></create>", "s")
        ],
        "request": fn("<update><VENDOR><VENDORID>V1234-{run}</VENDORID><DISPLAYCONTACT/></VENDOR></update>"),
        "expect": {"status": "success", "contains": ["V1234"]},
    },
    {
        "name": "VENDOR update with a full DISPLAYCONTACT",
        "provenance": "Intacct PHP SDK tests: VendorUpdateTest::testFullXml (without CUSTOMFIELD1, a custom "
        "field the demo company does not define; parent V5678 made in setup)",
        "setup": [
            fn(
                "<create><VENDOR><VENDORID>V1234-{run}</VENDORID><NAME>SaaS Co</NAME></VENDOR></create>", "s0"
            ),
            fn(
                "<create><VENDOR><VENDORID>V5678-{run}</VENDORID><NAME>Parent Co</NAME></VENDOR></create>",
                "s1",
            ),
        ],
        "request": fn(
            "<update><VENDOR><VENDORID>V1234-{run}</VENDORID><NAME>SaaS Co</NAME><DISPLAYCONTACT>"
            "<PRINTAS>SaaS Corp"
            "</PRINTAS><COMPANYNAME>SaaS Co</COMPANYNAME><TAXABLE>true</TAXABLE><TAXGROUP>CA</TAXGROUP>"
            "<PREFIX>Mr</PREFIX><FIRSTNAME>Bill</FIRSTNAME><LASTNAME>Smith</LASTNAME><INITIAL>G</INITIAL>"
            "<PHONE1>12</PHONE1><PHONE2>34</PHONE2><CELLPHONE>56</CELLPHONE><PAGER>78</PAGER><FAX>90</FAX>"
            "<EMAIL1>noreply@intacct.com</EMAIL1><EMAIL2>noreplyagain@intacct.com</EMAIL2>"
            "<URL1>www.intacct.com</URL1><URL2>us.intacct.com</URL2><MAILADDRESS><ADDRESS1>300 Park Ave"
            "</ADDRESS1><ADDRESS2>Ste 1400</ADDRESS2><CITY>San Jose</CITY><STATE>CA</STATE><ZIP>95110</ZIP>"
            "<COUNTRY>United States</COUNTRY><COUNTRYCODE>US</COUNTRYCODE></MAILADDRESS></DISPLAYCONTACT>"
            "<ONETIME>false</ONETIME><STATUS>active</STATUS><HIDEDISPLAYCONTACT>false</HIDEDISPLAYCONTACT>"
            "<VENDTYPE>SaaS</VENDTYPE><PARENTID>V5678-{run}</PARENTID><GLGROUP>Group</GLGROUP><TAXID>12-3456789"
            "</TAXID><NAME1099>SAAS CORP</NAME1099><FORM1099TYPE>MISC</FORM1099TYPE><FORM1099BOX>3"
            "</FORM1099BOX><SUPDOCID>A1234</SUPDOCID><APACCOUNT>2000</APACCOUNT><CREDITLIMIT>1234.56"
            "</CREDITLIMIT><ONHOLD>false</ONHOLD><DONOTCUTCHECK>false</DONOTCUTCHECK><COMMENTS>my comment"
            "</COMMENTS><CURRENCY>USD</CURRENCY><CONTACTINFO><CONTACTNAME>primary</CONTACTNAME></CONTACTINFO>"
            "<PAYTO><CONTACTNAME>pay to</CONTACTNAME></PAYTO><RETURNTO><CONTACTNAME>return to</CONTACTNAME>"
            "</RETURNTO><PAYMETHODKEY>Printed Check</PAYMETHODKEY><MERGEPAYMENTREQ>true</MERGEPAYMENTREQ>"
            "<PAYMENTNOTIFY>true</PAYMENTNOTIFY><BILLINGTYPE>openitem</BILLINGTYPE><PAYMENTPRIORITY>Normal"
            "</PAYMENTPRIORITY><TERMNAME>N30</TERMNAME><DISPLAYTERMDISCOUNT>false</DISPLAYTERMDISCOUNT>"
            "<ACHENABLED>true</ACHENABLED><ACHBANKROUTINGNUMBER>123456789</ACHBANKROUTINGNUMBER>"
            "<ACHACCOUNTNUMBER>1111222233334444</ACHACCOUNTNUMBER><ACHACCOUNTTYPE>Checking Account"
            "</ACHACCOUNTTYPE><ACHREMITTANCETYPE>CTX</ACHREMITTANCETYPE><VENDORACCOUNTNO>9999999"
            "</VENDORACCOUNTNO><DISPLAYACCTNOCHECK>false</DISPLAYACCTNOCHECK><OBJECTRESTRICTION>Restricted"
            "</OBJECTRESTRICTION><RESTRICTEDLOCATIONS>100#~#200</RESTRICTEDLOCATIONS><RESTRICTEDDEPARTMENTS>"
            "D100#~#D200</RESTRICTEDDEPARTMENTS></VENDOR></update>"
        ),
        "expect": {"status": "success", "contains": ["V1234"]},
    },
    # --- bill updates (.NET SDK) ----------------------------------------------------------------------
    {
        "name": "update_bill with no change",
        "provenance": "Intacct .NET SDK tests: BillUpdateTest::DefaultParamsTest (key = setup's bill)",
        "setup": [bill()],
        "request": fn('<update_bill key="{setup0}" />'),
        "expect": SUCCESS,
    },
    {
        "name": "update_bill changes line 1 and adds a line",
        "provenance": "Intacct .NET SDK tests: BillUpdateTest (updatelineitem line_num 1 and a new lineitem; "
        "GL 7940/4554 replaced by the demo's 6100/6200)",
        "setup": [bill()],
        "request": fn(
            '<update_bill key="{setup0}"><updatebillitems><updatelineitem line_num="1"><glaccountno>6100'
            "</glaccountno></updatelineitem><lineitem><glaccountno>6200</glaccountno><amount>76343.43</amount>"
            "</lineitem></updatebillitems></update_bill>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "update_bill by external key",
        "provenance": "Intacct .NET SDK tests: BillUpdateTest::ParamOverridesTest (a real GL account on the "
        "line; the bill with external ID 20394 made in setup)",
        "setup": [
            fn(
                f"<create_bill><vendorid>V0001</vendorid><datecreated>{D0630}</datecreated><termname>N30"
                "</termname><externalid>20394-{run}</externalid><billitems><lineitem><glaccountno>6000</glaccountno>"
                "<amount>10</amount></lineitem></billitems></create_bill>",
                "setup-bill",
            )
        ],
        "request": fn(
            '<update_bill key="20394-{run}" externalkey="true"><vendorid>V0001</vendorid><datecreated>'
            f"{D0630}</datecreated><dateposted>{D0630}</dateposted><datedue><year>2020</year><month>09</month>"
            "<day>24</day></datedue><termname>N30</termname><action>Submit</action><billno>234-{run}</billno>"
            "<ponumber>234235</ponumber><onhold>true</onhold><description>Some description</description>"
            "<payto><contactname>28952</contactname></payto><returnto><contactname>289533</contactname>"
            f"</returnto><currency>USD</currency><exchratedate>{D0630}</exchratedate><exchratetype>Intacct "
            "Daily Rate</exchratetype><supdocid>6942</supdocid><customfields><customfield><customfieldname>"
            "customfield1</customfieldname><customfieldvalue>customvalue1</customfieldvalue></customfield>"
            "</customfields><updatebillitems><lineitem><glaccountno>6000</glaccountno><amount>76343.43"
            "</amount></lineitem></updatebillitems></update_bill>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "update_bill of an unknown bill is refused",
        "provenance": "Intacct .NET SDK tests: BillUpdateTest::DefaultParamsTest (key 1234 as sent)",
        "request": fn('<update_bill key="1234" />'),
        "expect": {**REFUSED, "contains": ["1234"]},
    },
    # --- AP payment update (Node SDK) -----------------------------------------------------------------
    {
        "name": "APPYMT update of a draft, submitted",
        "provenance": "Intacct Node SDK: ApPaymentUpdate (RECORDNO, FINANCIALENTITY, VENDORID, WHENCREATED, "
        "ACTION, details), on a draft made in setup",
        "setup": [
            CHECKING,
            bill(),
            fn(
                "<create><APPYMT><PAYMENTMETHOD>Printed Check</PAYMENTMETHOD><FINANCIALENTITY>BA1143-{run}"
                "</FINANCIALENTITY><VENDORID>V0001</VENDORID><PAYMENTDATE>06/30/2015</PAYMENTDATE><ACTION>Draft"
                "</ACTION><APPYMTDETAILS><APPYMTDETAIL><RECORDKEY>{setup1}</RECORDKEY><TRX_PAYMENTAMOUNT>10"
                "</TRX_PAYMENTAMOUNT></APPYMTDETAIL></APPYMTDETAILS></APPYMT></create>",
                "setup-draft",
            ),
        ],
        "request": fn(
            "<update><APPYMT><RECORDNO>{setup2}</RECORDNO><FINANCIALENTITY>BA1143-{run}</FINANCIALENTITY>"
            "<VENDORID>V0001</VENDORID><DOCNUMBER>10000</DOCNUMBER><DESCRIPTION>Memo</DESCRIPTION>"
            "<WHENCREATED>07/01/2015</WHENCREATED><ACTION>Submit</ACTION><APPYMTDETAILS><APPYMTDETAIL>"
            "<RECORDKEY>{setup1}</RECORDKEY><TRX_PAYMENTAMOUNT>100.12</TRX_PAYMENTAMOUNT></APPYMTDETAIL>"
            "</APPYMTDETAILS></APPYMT></update>"
        ),
        "expect": SUCCESS,
    },
]


#: a real company lacks the demo's records these vectors name; the live run skips them
for _vector in VECTORS:
    _vector.setdefault(
        "sandbox_only", "uses the demo company's vendors (V0001) and GL accounts (1000, 6000-6200)"
    )
