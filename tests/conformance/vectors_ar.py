"""Conformance vectors: Accounts Receivable (summaries, invoice and payment reversals, AR adjustments in
summaries, payment application, account labels, customer updates).

Each request is the XML the named official-SDK test writes (intacct-sdk-php unless said otherwise);
identifiers the demo company lacks are created by ``setup`` first, and ``{setupN}`` (also usable in a
later setup string) is the key setup function N answered. The demo company
(``Sandbox().seed_demo(seed=1)``) has customers C00001-C00050 and GL accounts 1000-6400.

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
D2016 = "<year>2016</year><month>06</month><day>30</day>"
#: after every record of the demo company (its dates are relative to the sandbox clock)
LATER = "<year>2099</year><month>12</month><day>31</day>"
CUSTOMER1 = fn(
    "<create><CUSTOMER><CUSTOMERID>CUSTOMER1-{run}</CUSTOMERID><NAME>Customer One</NAME></CUSTOMER></create>",
    "setup-c",
)


def invoice(customer: str = "C00001", amount: str = "500", controlid: str = "setup-invoice") -> str:
    return fn(
        f"<create_invoice><customerid>{customer}</customerid><datecreated>{D0630}</datecreated>"
        "<termname>N30</termname><invoiceitems><lineitem><glaccountno>4000</glaccountno>"
        f"<amount>{amount}</amount></lineitem></invoiceitems></create_invoice>",
        controlid,
    )


def arpayment(invoice_key: str, amount: str = "500", controlid: str = "setup-payment") -> str:
    """ArPaymentCreateTest's shape with an ArPaymentItemTest item, into undeposited funds."""
    return fn(
        f"<create_arpayment><customerid>C00001</customerid><paymentamount>{amount}</paymentamount>"
        f"<undepfundsacct>1010</undepfundsacct><datereceived>{D2016}</datereceived>"
        "<paymentmethod>Printed Check</paymentmethod><arpaymentitem><invoicekey>"
        f"{invoice_key}</invoicekey><amount>{amount}</amount></arpaymentitem></create_arpayment>",
        controlid,
    )


def batch(function: str, controlid: str = "setup-batch", title: str = "unit test {run}") -> str:
    return fn(
        f"<{function}><batchtitle>{title}</batchtitle><datecreated>{D0630}</datecreated></{function}>",
        controlid,
    )


def read(obj: str, key: str, fields: str) -> str:
    return fn(
        f"<read><object>{obj}</object><keys>{key}</keys><fields>{fields}</fields>"
        "<returnFormat>xml</returnFormat></read>"
    )


CARD_CUSTOMER = fn(
    "<create><CUSTOMER><CUSTOMERID>C1234-{run}</CUSTOMERID><NAME>SaaS Corp</NAME></CUSTOMER></create>",
    "setup-c",
)
CARD = fn(
    "<create_customerchargecard><customerid>C1234-{run}</customerid><cardnum>1111222233334444</cardnum>"
    "<cardtype>Visa</cardtype><exp_month>June</exp_month><exp_year>2099</exp_year>"
    "</create_customerchargecard>",
    "setup-card",
)
SUCCESS: dict[str, Any] = {"status": "success"}
REFUSED: dict[str, Any] = {"status": "failure", "errorno": "BL01001973"}

VECTORS: list[dict[str, Any]] = [
    # --- summaries ----------------------------------------------------------------------------------
    {
        "name": "create_invoicebatch",
        "provenance": "Intacct PHP SDK tests: InvoiceSummaryCreateTest::testDefaultParams",
        "request": batch("create_invoicebatch", "unittest"),
        "expect": SUCCESS,
    },
    {
        "name": "create_arpaymentbatch",
        "provenance": "Intacct PHP SDK tests: ArPaymentSummaryCreateTest::testDefaultParams",
        "request": batch("create_arpaymentbatch", "unittest"),
        "expect": SUCCESS,
    },
    {
        "name": "create_aradjustmentbatch",
        "provenance": "Intacct PHP SDK tests: ArAdjustmentSummaryCreateTest::testDefaultParams",
        "request": batch("create_aradjustmentbatch", "unittest"),
        "expect": SUCCESS,
    },
    {
        "name": "create_aradjustmentbatch without a date is refused",
        "provenance": "Intacct PHP SDK tests: ArAdjustmentSummaryCreateTest::testMissingDate (the SDK "
        "refuses "
        "it before sending; the gateway answers the same)",
        "request": fn(
            "<create_aradjustmentbatch><batchtitle>unit test-{run}</batchtitle></create_aradjustmentbatch>"
        ),
        "expect": {**REFUSED, "contains": ["datecreated"]},
    },
    {
        "name": "create_aradjustment with batchkey",
        "provenance": "Intacct PHP SDK tests: ArAdjustmentCreateTest::testParamOverrides (batchkey = the "
        "summary made in setup, a real GL account on the line)",
        "setup": [CUSTOMER1, batch("create_aradjustmentbatch")],
        "request": fn(
            f"<create_aradjustment><customerid>CUSTOMER1-{{run}}</customerid><datecreated>{D0630}</datecreated>"
            f"<dateposted>{D0630}</dateposted><batchkey>{{setup1}}</batchkey><adjustmentno>234235"
            "</adjustmentno><action>Submit</action><invoiceno>234-{run}</invoiceno>"
            "<description>Some description"
            "</description><externalid>20394-{run}</externalid><basecurr>USD</basecurr><currency>USD</currency>"
            f"<exchratedate>{D0630}</exchratedate><exchratetype>Intacct Daily Rate</exchratetype>"
            "<nogl>false</nogl><aradjustmentitems><lineitem><glaccountno>4000</glaccountno>"
            "<amount>76343.43</amount></lineitem></aradjustmentitems></create_aradjustment>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "create_aradjustment in a bill summary is refused",
        "provenance": "Intacct PHP SDK tests: ArAdjustmentCreateTest::testParamOverrides (batchkey = an AP "
        "summary)",
        "setup": [CUSTOMER1, batch("create_billbatch")],
        "request": fn(
            f"<create_aradjustment><customerid>CUSTOMER1-{{run}}</customerid><datecreated>{D0630}</datecreated>"
            "<batchkey>{setup1}</batchkey><aradjustmentitems><lineitem><glaccountno>4000</glaccountno>"
            "<amount>10</amount></lineitem></aradjustmentitems></create_aradjustment>"
        ),
        "expect": {**REFUSED, "contains": ["summary"]},
    },
    {
        "name": "create_invoice into a summary",
        "provenance": "Intacct PHP SDK tests: InvoiceCreateTest::testParamOverrides (batchkey = the summary "
        "made in setup, a real GL account on the line)",
        "setup": [CUSTOMER1, batch("create_invoicebatch")],
        "request": fn(
            f"<create_invoice><customerid>CUSTOMER1-{{run}}</customerid><datecreated>{D0630}</datecreated>"
            f"<dateposted>{D0630}</dateposted><datedue><year>2020</year><month>09</month><day>24</day>"
            "</datedue><termname>N30</termname><action>Submit</action><batchkey>{setup1}</batchkey>"
            "<invoiceno>234-{run}</invoiceno><ponumber>234235</ponumber><onhold>true</onhold>"
            "<description>Some "
            "description</description><externalid>20394-{run}</externalid><billto><contactname>28952</contactname>"
            "</billto><shipto><contactname>289533</contactname></shipto><basecurr>USD</basecurr>"
            f"<currency>USD</currency><exchratedate>{D0630}</exchratedate><exchratetype>Intacct Daily Rate"
            "</exchratetype><nogl>false</nogl><supdocid>6942</supdocid><taxsolutionid>taxsolution"
            "</taxsolutionid><customfields><customfield><customfieldname>customfield1</customfieldname>"
            "<customfieldvalue>customvalue1</customfieldvalue></customfield></customfields><invoiceitems>"
            "<lineitem><glaccountno>4000</glaccountno><amount>76343.43</amount><taxentries><taxentry>"
            "<detailid>TaxName</detailid><trx_tax>10</trx_tax></taxentry></taxentries></lineitem>"
            "</invoiceitems></create_invoice>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "summary total follows its invoices",
        "provenance": "Intacct PHP SDK tests: InvoiceSummaryCreateTest + InvoiceCreateTest, then the "
        "SDK's Read",
        "setup": [
            batch("create_invoicebatch"),
            fn(
                f"<create_invoice><customerid>C00001</customerid><datecreated>{D0630}</datecreated>"
                "<termname>N30</termname><batchkey>{setup0}</batchkey><invoiceitems><lineitem>"
                "<glaccountno>4000</glaccountno><amount>120.50</amount></lineitem></invoiceitems>"
                "</create_invoice>",
                "setup-invoice",
            ),
        ],
        "request": read("PRBATCH", "{setup0}", "TITLE,TOTAL,DOCUMENTS"),
        "expect": {"status": "success", "contains": ["120.5"]},
    },
    # --- reversals ----------------------------------------------------------------------------------
    {
        "name": "reverse_invoice",
        "provenance": "Intacct PHP SDK tests: InvoiceReverseTest::testConstruct (key = setup's invoice)",
        "setup": [invoice()],
        "request": fn(
            f'<reverse_invoice key="{{setup0}}"><datereversed>{D0630}</datereversed></reverse_invoice>'
        ),
        "expect": SUCCESS,
    },
    {
        "name": "reverse_invoice of a paid invoice is refused",
        "provenance": "Intacct PHP SDK tests: InvoiceReverseTest::testConstruct (key 2: paid in the demo)",
        "request": fn(f'<reverse_invoice key="2"><datereversed>{D0630}</datereversed></reverse_invoice>'),
        "expect": {**REFUSED, "contains": ["Reverse the payments first"]},
    },
    {
        "name": "reverse_arpayment",
        "provenance": "Intacct PHP SDK tests: ArPaymentReverseTest::testConstruct (key = setup's payment)",
        "setup": [invoice(), arpayment("{setup0}")],
        "request": fn(
            f'<reverse_arpayment key="{{setup1}}"><datereversed>{D2016}</datereversed></reverse_arpayment>'
        ),
        "expect": SUCCESS,
    },
    {
        "name": "reversed payment re-opens its invoice",
        "provenance": "Intacct PHP SDK tests: ArPaymentReverseTest::testConstruct, then the SDK's Read",
        "setup": [
            invoice(),
            arpayment("{setup0}"),
            fn(
                f'<reverse_arpayment key="{{setup1}}"><datereversed>{D2016}</datereversed>'
                "</reverse_arpayment>",
                "setup-reverse",
            ),
        ],
        "request": read("ARINVOICE", "{setup0}", "STATE,TOTALPAID,TOTALDUE"),
        "expect": {
            "status": "success",
            "contains": ["Posted", "500"],
        },
    },
    {
        "name": "reverse_arpayment of a demo payment",
        "provenance": "Intacct PHP SDK tests: ArPaymentReverseTest::testConstruct (key 5: the demo company's "
        "payment of invoice 4)",
        "sandbox_only": "names a payment of the demo company",
        "request": fn(f'<reverse_arpayment key="5"><datereversed>{LATER}</datereversed></reverse_arpayment>'),
        "expect": SUCCESS,
    },
    {
        "name": "reverse_arpayment twice is refused",
        "provenance": "Intacct PHP SDK tests: ArPaymentReverseTest::testConstruct, sent twice",
        "setup": [
            invoice(),
            arpayment("{setup0}"),
            fn(
                f'<reverse_arpayment key="{{setup1}}"><datereversed>{D2016}</datereversed>'
                "</reverse_arpayment>",
                "setup-reverse",
            ),
        ],
        "request": fn(
            f'<reverse_arpayment key="{{setup1}}"><datereversed>{D2016}</datereversed></reverse_arpayment>'
        ),
        "expect": {**REFUSED, "contains": ["reversed already"]},
    },
    {
        "name": "reverse_arpayment of an unknown key is refused",
        "provenance": "Intacct PHP SDK tests: ArPaymentReverseTest::testConstruct (key 1234 as sent)",
        "request": fn(
            f'<reverse_arpayment key="1234"><datereversed>{D0630}</datereversed></reverse_arpayment>'
        ),
        "expect": {**REFUSED, "contains": ["1234"]},
    },
    # --- payments -----------------------------------------------------------------------------------
    {
        "name": "create_arpayment in a payment summary",
        "provenance": "Intacct PHP SDK tests: ArPaymentCreateTest::testDefaultParams (batchkey = setup's "
        "summary, customer C0020 made in setup)",
        "setup": [
            fn(
                "<create><CUSTOMER><CUSTOMERID>C0020-{run}</CUSTOMERID><NAME>Twenty</NAME></CUSTOMER></create>",
                "s0",
            ),
            batch("create_arpaymentbatch"),
        ],
        "request": fn(
            "<create_arpayment><customerid>C0020-{run}</customerid><paymentamount>1922.12</paymentamount>"
            f"<batchkey>{{setup1}}</batchkey><datereceived>{D2016}</datereceived>"
            "<paymentmethod>Printed Check</paymentmethod></create_arpayment>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "apply_arpayment",
        "provenance": "Intacct PHP SDK tests: ArPaymentApplyTest::testDefaultParams with an "
        "ArPaymentItemTest "
        "item (keys from setup)",
        "setup": [
            invoice(),
            fn(
                "<create_arpayment><customerid>C00001</customerid><paymentamount>300</paymentamount>"
                f"<undepfundsacct>1010</undepfundsacct><datereceived>{D2016}</datereceived>"
                "<paymentmethod>Printed Check</paymentmethod></create_arpayment>",
                "setup-payment",
            ),
        ],
        "request": fn(
            f"<apply_arpayment><arpaymentkey>{{setup1}}</arpaymentkey><paymentdate>{D2016}</paymentdate>"
            "<arpaymentitems><arpaymentitem><invoicekey>{setup0}</invoicekey><amount>300</amount>"
            "</arpaymentitem></arpaymentitems></apply_arpayment>"
        ),
        "expect": SUCCESS,
    },
    # --- account labels -----------------------------------------------------------------------------
    {
        "name": "ARACCOUNTLABEL create",
        "provenance": "Intacct PHP SDK tests: ArAccountLabelCreateTest::testConstruct",
        "request": fn(
            "<create><ARACCOUNTLABEL><ACCOUNTLABEL>revenue-{run}</ACCOUNTLABEL><DESCRIPTION>hello world"
            "</DESCRIPTION><GLACCOUNTNO>4000</GLACCOUNTNO></ARACCOUNTLABEL></create>"
        ),
        "expect": {"status": "success", "contains": ["revenue"]},
    },
    {
        "name": "ARACCOUNTLABEL update",
        "provenance": "Intacct PHP SDK tests: ArAccountLabelUpdateTest::testConstruct",
        "setup": [
            fn(
                "<create><ARACCOUNTLABEL><ACCOUNTLABEL>revenue-{run}</ACCOUNTLABEL><DESCRIPTION>old"
                "</DESCRIPTION><GLACCOUNTNO>4100</GLACCOUNTNO></ARACCOUNTLABEL></create>",
                "s",
            )
        ],
        "request": fn(
            "<update><ARACCOUNTLABEL><ACCOUNTLABEL>revenue-{run}</ACCOUNTLABEL><DESCRIPTION>hello world"
            "</DESCRIPTION><GLACCOUNTNO>4000</GLACCOUNTNO></ARACCOUNTLABEL></update>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "delete_araccountlabel",
        "provenance": "Intacct PHP SDK tests: ArAccountLabelDeleteTest::testConstruct",
        "setup": [
            fn(
                "<create><ARACCOUNTLABEL><ACCOUNTLABEL>Revenue-{run}</ACCOUNTLABEL><DESCRIPTION>x</DESCRIPTION>"
                "<GLACCOUNTNO>4000</GLACCOUNTNO></ARACCOUNTLABEL></create>",
                "s",
            )
        ],
        "request": fn('<delete_araccountlabel accountlabel="Revenue-{run}" />'),
        "expect": SUCCESS,
    },
    # --- customers ----------------------------------------------------------------------------------
    {
        "name": "CUSTOMER update with an empty DISPLAYCONTACT",
        "provenance": "Intacct PHP SDK tests: CustomerUpdateTest::testConstruct",
        "setup": [
            fn(
                "<create><CUSTOMER><CUSTOMERID>C1234-{run}</CUSTOMERID><NAME>SaaS Corp</NAME>"
                "</CUSTOMER></create>",
                "s",
            )
        ],
        "request": fn(
            "<update><CUSTOMER><CUSTOMERID>C1234-{run}</CUSTOMERID><DISPLAYCONTACT /></CUSTOMER></update>"
        ),
        "expect": {"status": "success", "contains": ["C1234"]},
    },
    {
        "name": "CUSTOMER update with a full DISPLAYCONTACT",
        "provenance": "Intacct PHP SDK tests: CustomerUpdateTest::testFullXml (without CUSTOMFIELD1, a "
        "custom "
        "field the demo company does not define; parent C5678 made in setup)",
        "setup": [
            fn(
                "<create><CUSTOMER><CUSTOMERID>C1234-{run}</CUSTOMERID><NAME>SaaS Corp</NAME>"
                "</CUSTOMER></create>",
                "s0",
            ),
            fn(
                "<create><CUSTOMER><CUSTOMERID>C5678-{run}</CUSTOMERID><NAME>Parent</NAME></CUSTOMER></create>",
                "s1",
            ),
        ],
        "request": fn(
            "<update><CUSTOMER><CUSTOMERID>C1234-{run}</CUSTOMERID><NAME>SaaS Corp</NAME>"
            "<DISPLAYCONTACT><PRINTAS>"
            "SaaS Corporation</PRINTAS><COMPANYNAME>SaaS Corp.</COMPANYNAME><TAXABLE>true</TAXABLE><TAXGROUP>"
            "CA</TAXGROUP><PREFIX>Mr</PREFIX><FIRSTNAME>Bill</FIRSTNAME><LASTNAME>Smith</LASTNAME><INITIAL>G"
            "</INITIAL><PHONE1>12</PHONE1><PHONE2>34</PHONE2><CELLPHONE>56</CELLPHONE><PAGER>78</PAGER><FAX>90"
            "</FAX><EMAIL1/><EMAIL2/><URL1>www.intacct.com</URL1><URL2>us.intacct.com</URL2><MAILADDRESS>"
            "<ADDRESS1>300 Park Ave</ADDRESS1><ADDRESS2>Ste 1400</ADDRESS2><CITY>San Jose</CITY><STATE>CA"
            "</STATE><ZIP>95110</ZIP><COUNTRY>United States</COUNTRY><COUNTRYCODE>US</COUNTRYCODE>"
            "</MAILADDRESS></DISPLAYCONTACT><ONETIME>false</ONETIME><STATUS>active</STATUS><HIDEDISPLAYCONTACT>"
            "false</HIDEDISPLAYCONTACT><CUSTTYPE>SaaS</CUSTTYPE><PARENTID>C5678-{run}</PARENTID><GLGROUP>Group"
            "</GLGROUP><TERRITORYID>NE</TERRITORYID><SUPDOCID>A1234</SUPDOCID><TERMNAME>N30</TERMNAME>"
            "<OFFSETGLACCOUNTNO>1200</OFFSETGLACCOUNTNO><ARACCOUNT>4000</ARACCOUNT><SHIPPINGMETHOD>USPS"
            "</SHIPPINGMETHOD><RESALENO>123</RESALENO><TAXID>12-3456789</TAXID><CREDITLIMIT>1234.56"
            "</CREDITLIMIT><ONHOLD>false</ONHOLD><DELIVERYOPTIONS>Print#~#E-Mail</DELIVERYOPTIONS>"
            "<CUSTMESSAGEID>hello</CUSTMESSAGEID><COMMENTS>my comment</COMMENTS><CURRENCY>USD</CURRENCY>"
            "<ARINVOICEPRINTTEMPLATEID>temp1</ARINVOICEPRINTTEMPLATEID><OEQUOTEPRINTTEMPLATEID>temp2"
            "</OEQUOTEPRINTTEMPLATEID><OEORDERPRINTTEMPLATEID>temp3</OEORDERPRINTTEMPLATEID>"
            "<OELISTPRINTTEMPLATEID>temp4</OELISTPRINTTEMPLATEID><OEINVOICEPRINTTEMPLATEID>temp5"
            "</OEINVOICEPRINTTEMPLATEID><OEADJPRINTTEMPLATEID>temp6</OEADJPRINTTEMPLATEID>"
            "<OEOTHERPRINTTEMPLATEID>temp7</OEOTHERPRINTTEMPLATEID><CONTACTINFO><CONTACTNAME>primary"
            "</CONTACTNAME></CONTACTINFO><BILLTO><CONTACTNAME>bill to</CONTACTNAME></BILLTO><SHIPTO>"
            "<CONTACTNAME>ship to</CONTACTNAME></SHIPTO><OBJECTRESTRICTION>Restricted</OBJECTRESTRICTION>"
            "<RESTRICTEDLOCATIONS>100#~#200</RESTRICTEDLOCATIONS><RESTRICTEDDEPARTMENTS>D100#~#D200"
            "</RESTRICTEDDEPARTMENTS></CUSTOMER></update>"
        ),
        "expect": {"status": "success", "contains": ["C1234"]},
    },
    {
        "name": "display contact follows the customer's DISPLAYCONTACT",
        "provenance": "Intacct PHP SDK tests: CustomerUpdateTest::testFullXml's DISPLAYCONTACT block, "
        "then the "
        "SDK's ReadByName of the contact (intacct-sdk-php ReadByNameTest shape)",
        "setup": [
            fn(
                "<create><CUSTOMER><CUSTOMERID>C1234-{run}</CUSTOMERID><NAME>SaaS Corp</NAME>"
                "</CUSTOMER></create>",
                "s0",
            ),
            fn(
                "<update><CUSTOMER><CUSTOMERID>C1234-{run}</CUSTOMERID><DISPLAYCONTACT>"
                "<PRINTAS>SaaS Corporation"
                "</PRINTAS><FIRSTNAME>Bill</FIRSTNAME><MAILADDRESS><CITY>San Jose</CITY></MAILADDRESS>"
                "</DISPLAYCONTACT></CUSTOMER></update>",
                "s1",
            ),
        ],
        "request": fn(
            "<readByName><object>CONTACT</object><keys>SaaS Corp(CC1234-{run})</keys><fields>*</fields>"
            "<returnFormat>xml</returnFormat></readByName>"
        ),
        "expect": {"status": "success", "contains": ["Bill", "San Jose"]},
    },
    # --- customer charge cards ---------------------------------------------------------------------
    {
        "name": "create_customerchargecard",
        "provenance": "Intacct PHP SDK tests: CustomerChargeCardCreateTest::testConstruct (customer C1234 "
        "made in setup; exp_year 2099: the test's 1999 card has expired)",
        "setup": [CARD_CUSTOMER],
        "request": fn(
            "<create_customerchargecard><customerid>C1234-{run}</customerid><cardnum>1111222233334444</cardnum>"
            "<cardtype>Visa</cardtype><exp_month>June</exp_month><exp_year>2099</exp_year><mailaddress/>"
            "</create_customerchargecard>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "create_customerchargecard of an expired card is refused",
        "provenance": "Intacct PHP SDK tests: CustomerChargeCardCreateTest::testConstruct (as sent)",
        "setup": [CARD_CUSTOMER],
        "request": fn(
            "<create_customerchargecard><customerid>C1234-{run}</customerid><cardnum>1111222233334444</cardnum>"
            "<cardtype>Visa</cardtype><exp_month>June</exp_month><exp_year>1999</exp_year><mailaddress/>"
            "</create_customerchargecard>"
        ),
        "expect": {**REFUSED, "contains": ["expired"]},
    },
    {
        "name": "update_customerchargecard",
        "provenance": "Intacct PHP SDK tests: CustomerChargeCardUpdateTest::testConstruct (recordno = "
        "setup's "
        "card)",
        "setup": [CARD_CUSTOMER, CARD],
        "request": fn('<update_customerchargecard recordno="{setup1}" />'),
        "expect": SUCCESS,
    },
    {
        "name": "delete_customerchargecard",
        "provenance": "Intacct PHP SDK tests: CustomerChargeCardDeleteTest::testConstruct (recordno = "
        "setup's "
        "card)",
        "setup": [CARD_CUSTOMER, CARD],
        "request": fn('<delete_customerchargecard recordno="{setup1}" />'),
        "expect": SUCCESS,
    },
    # --- invoice updates (.NET SDK) -------------------------------------------------------------------
    {
        "name": "update_invoice memo of line 1",
        "provenance": "Intacct .NET SDK tests: InvoiceUpdateTest (updatelineitem line_num 1 with a memo)",
        "setup": [invoice()],
        "request": fn(
            '<update_invoice key="{setup0}"><updateinvoiceitems><updatelineitem line_num="1"><memo>hello '
            "world</memo></updatelineitem></updateinvoiceitems></update_invoice>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "update_invoice by external key",
        "provenance": "Intacct .NET SDK tests: InvoiceUpdateTest::ParamOverridesTest (customer CUSTOMER1 and "
        "the invoice with external ID 20394 made in setup, a real GL account on the new line)",
        "setup": [
            CUSTOMER1,
            fn(
                f"<create_invoice><customerid>CUSTOMER1-{{run}}</customerid><datecreated>{D0630}</datecreated>"
                "<termname>N30</termname><externalid>20394-{run}</externalid><invoiceitems><lineitem><glaccountno>"
                "4000</glaccountno><amount>10</amount></lineitem></invoiceitems></create_invoice>",
                "setup-invoice",
            ),
        ],
        "request": fn(
            '<update_invoice key="20394-{run}" externalkey="true"><customerid>CUSTOMER1-{run}'
            "</customerid><datecreated>"
            f"{D0630}</datecreated><dateposted>{D0630}</dateposted><datedue><year>2020</year><month>09</month>"
            "<day>24</day></datedue><termname>N30</termname><action>Submit</action><invoiceno>234-{run}</invoiceno>"
            "<ponumber>234235</ponumber><description>Some description</description><payto><contactname>28952"
            "</contactname></payto><returnto><contactname>289533</contactname></returnto><currency>USD"
            f"</currency><exchratedate>{D0630}</exchratedate><exchratetype>Intacct Daily Rate</exchratetype>"
            "<supdocid>6942</supdocid><customfields><customfield><customfieldname>customfield1"
            "</customfieldname><customfieldvalue>customvalue1</customfieldvalue></customfield></customfields>"
            '<updateinvoiceitems><updatelineitem line_num="1"><amount>1000</amount></updatelineitem>'
            "<lineitem>"
            "<glaccountno>4000</glaccountno><amount>76343.43</amount></lineitem></updateinvoiceitems>"
            "</update_invoice>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "update_invoice of a paid invoice below what was paid is refused",
        "provenance": "Intacct .NET SDK tests: InvoiceUpdateTest (line 1 amount lowered; invoice 2 is "
        "paid in "
        "the demo)",
        "request": fn(
            '<update_invoice key="2"><updateinvoiceitems><updatelineitem line_num="1"><amount>1</amount>'
            "</updatelineitem></updateinvoiceitems></update_invoice>"
        ),
        "expect": {**REFUSED, "contains": ["already paid"]},
    },
    # --- AR advances (.NET SDK) -----------------------------------------------------------------------
    {
        "name": "ARADVANCE create",
        "provenance": "Intacct .NET SDK tests: ArAdvanceCreateTest::GetXmlTest (customer made in setup, "
        "undeposited funds 1010 and GL account 2100 added: the test's advance names neither)",
        "setup": [CUSTOMER1],
        "request": fn(
            "<create><ARADVANCE><CUSTOMERID>CUSTOMER1-{run}</CUSTOMERID><PAYMENTMETHOD>Cash</PAYMENTMETHOD>"
            "<PAYMENTDATE>06/30/2015</PAYMENTDATE><RECEIPTDATE>06/30/2015</RECEIPTDATE><UNDEPOSITEDACCOUNTNO>"
            "1010</UNDEPOSITEDACCOUNTNO><ARADVANCEITEMS><ARADVANCEITEM><ACCOUNTNO>2100</ACCOUNTNO><TRX_AMOUNT>"
            "76343.43</TRX_AMOUNT></ARADVANCEITEM></ARADVANCEITEMS></ARADVANCE></create>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "ARADVANCE create as the SDK test writes it is refused",
        "provenance": "Intacct .NET SDK tests: ArAdvanceCreateTest::GetXmlTest (as sent: no GL account "
        "on the "
        "line, and no bank account, undeposited funds account or summary)",
        "setup": [CUSTOMER1],
        "request": fn(
            "<create><ARADVANCE><CUSTOMERID>CUSTOMER1-{run}</CUSTOMERID><PAYMENTMETHOD>Cash</PAYMENTMETHOD>"
            "<PAYMENTDATE>06/30/2015</PAYMENTDATE><RECEIPTDATE>06/30/2015</RECEIPTDATE><ARADVANCEITEMS>"
            "<ARADVANCEITEM><TRX_AMOUNT>76343.43</TRX_AMOUNT></ARADVANCEITEM></ARADVANCEITEMS></ARADVANCE>"
            "</create>"
        ),
        "expect": {**REFUSED, "contains": ["ACCOUNTNO"]},
    },
    {
        "name": "ARADVANCE create in a payment summary",
        "provenance": "Intacct .NET SDK tests: ArAdvanceCreateTest::GetAllXmlTest (PRBATCH = a summary "
        "made in "
        "setup; the test also names a bank account and an undeposited funds account, one source is "
        "accepted; demo GL accounts on the line)",
        "setup": [CUSTOMER1, batch("create_arpaymentbatch")],
        "request": fn(
            "<create><ARADVANCE><CUSTOMERID>CUSTOMER1-{run}</CUSTOMERID><PAYMENTMETHOD>Cash</PAYMENTMETHOD>"
            "<PAYMENTDATE>06/30/2015</PAYMENTDATE><RECEIPTDATE>06/30/2015</RECEIPTDATE><PRBATCH>{setup1}"
            "</PRBATCH><DOCNUMBER>234235</DOCNUMBER><DESCRIPTION>Some description</DESCRIPTION><CURRENCY>USD"
            "</CURRENCY><BASECURR>USD</BASECURR><EXCH_RATE_DATE>06/30/2015</EXCH_RATE_DATE><EXCH_RATE_TYPE_ID>"
            "Intacct Daily Rate</EXCH_RATE_TYPE_ID><EXCHANGE_RATE>1.25</EXCHANGE_RATE><SUPDOCID>6942"
            "</SUPDOCID>"
            "<ACTION>Submit</ACTION><ARADVANCEITEMS><ARADVANCEITEM><ACCOUNTNO>2100</ACCOUNTNO><TRX_AMOUNT>"
            "76343.43</TRX_AMOUNT><ENTRYDESCRIPTION>Description</ENTRYDESCRIPTION><DEPARTMENTID>D100"
            "</DEPARTMENTID><CONTRACTID>Contract1</CONTRACTID><WAREHOUSEID>Warehouse1</WAREHOUSEID><GLDIM>654"
            "</GLDIM></ARADVANCEITEM></ARADVANCEITEMS></ARADVANCE></create>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "ARADVANCE update with an empty line list",
        "provenance": "Intacct .NET SDK: ArAdvanceUpdate (always writes ARADVANCEITEMS, here empty)",
        "setup": [
            CUSTOMER1,
            fn(
                "<create><ARADVANCE><CUSTOMERID>CUSTOMER1-{run}</CUSTOMERID><PAYMENTMETHOD>Cash</PAYMENTMETHOD>"
                "<PAYMENTDATE>06/30/2015</PAYMENTDATE><RECEIPTDATE>06/30/2015</RECEIPTDATE>"
                "<UNDEPOSITEDACCOUNTNO>1010</UNDEPOSITEDACCOUNTNO><ARADVANCEITEMS><ARADVANCEITEM><ACCOUNTNO>"
                "2100</ACCOUNTNO><TRX_AMOUNT>50</TRX_AMOUNT></ARADVANCEITEM></ARADVANCEITEMS></ARADVANCE>"
                "</create>",
                "setup-advance",
            ),
        ],
        "request": fn(
            "<update><ARADVANCE><RECORDNO>{setup1}</RECORDNO><DESCRIPTION>prepaid</DESCRIPTION>"
            "<ARADVANCEITEMS></ARADVANCEITEMS></ARADVANCE></update>"
        ),
        "expect": SUCCESS,
    },
]


#: a real company lacks the demo's records these vectors name; the live run skips them
for _vector in VECTORS:
    _vector.setdefault(
        "sandbox_only", "uses the demo company's customers (C00001) and GL accounts (1010, 4000)"
    )
