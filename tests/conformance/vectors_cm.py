"""Conformance vectors: Cash Management (bank and card accounts, other receipts, deposits, charge card
transactions).

Each request is the XML the named official-SDK test writes (intacct-sdk-php unless said otherwise);
accounts the demo company lacks are created by ``setup`` first, and ``{setupN}`` (also usable in a later
setup string) is the key setup function N answered. The demo company (``Sandbox().seed_demo(seed=1)``)
has GL accounts 1000 (cash), 1010 (undeposited funds), 2100 (accrued liabilities), 4000-6400 and no
bank or card account.

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
D0701 = "<year>2015</year><month>07</month><day>01</day>"
D0704 = "<year>2015</year><month>07</month><day>04</day>"
#: after every record of the demo company (its dates are relative to the sandbox clock)
LATER = "<year>2099</year><month>12</month><day>31</day>"


def checking(bank: str) -> str:
    return fn(
        f"<create><CHECKINGACCOUNT><BANKACCOUNTID>{bank}</BANKACCOUNTID><BANKNAME>First Bank</BANKNAME>"
        "<GLACCOUNTNO>1000</GLACCOUNTNO></CHECKINGACCOUNT></create>",
        "setup-bank",
    )


CARD = fn(
    "<create><CREDITCARD><CARDID>AMEX1234-{run}</CARDID><CARDTYPE>American Express</CARDTYPE>"
    "<LIABACCOUNTNO>2100</LIABACCOUNTNO></CREDITCARD></create>",
    "setup-card",
)


def receipt(controlid: str = "setup-receipt", glaccount: str = "4000") -> str:
    """OtherReceiptCreateTest::testDefaultParams with undeposited funds 1010 and a real GL account."""
    return fn(
        f"<record_otherreceipt><paymentdate>{D0630}</paymentdate><payee>Costco</payee>"
        f"<receiveddate>{D0701}</receiveddate><paymentmethod>Printed Check</paymentmethod>"
        "<undepglaccountno>1010</undepglaccountno><receiptitems><lineitem>"
        f"<glaccountno>{glaccount}</glaccountno><amount>76343.43</amount></lineitem></receiptitems>"
        "</record_otherreceipt>",
        controlid,
    )


def deposit(keys: str, controlid: str = "unittest") -> str:
    return fn(
        f"<record_deposit><bankaccountid>BA1145-{{run}}</bankaccountid><depositdate>{D0704}</depositdate>"
        f"<depositid>Deposit Slip 2015-06-30</depositid><receiptkeys>{keys}</receiptkeys></record_deposit>",
        controlid,
    )


def cc(controlid: str = "setup-cc") -> str:
    return fn(
        f"<record_cctransaction><chargecardid>AMEX1234-{{run}}</chargecardid><paymentdate>{D0630}</paymentdate>"
        "<ccpayitems><ccpayitem><glaccountno>6000</glaccountno><paymentamount>76343.43</paymentamount>"
        "</ccpayitem></ccpayitems></record_cctransaction>",
        controlid,
    )


SUCCESS: dict[str, Any] = {"status": "success"}
REFUSED: dict[str, Any] = {"status": "failure", "errorno": "BL01001973"}

VECTORS: list[dict[str, Any]] = [
    # --- accounts -----------------------------------------------------------------------------------
    {
        "name": "CHECKINGACCOUNT create",
        "provenance": "Intacct API reference: checking accounts, generic create (sageintacctsdk "
        "CheckingAccounts reads the object)",
        "request": checking("BA1145-{run}").replace("setup-bank", "unittest"),
        "expect": {"status": "success", "contains": ["BA1145-{run}"]},
    },
    {
        "name": "CHECKINGACCOUNT on an income statement account is refused",
        "provenance": "Intacct API reference: checking accounts, generic create",
        "request": fn(
            "<create><CHECKINGACCOUNT><BANKACCOUNTID>BA9-{run}</BANKACCOUNTID><GLACCOUNTNO>4000</GLACCOUNTNO>"
            "</CHECKINGACCOUNT></create>"
        ),
        "expect": {**REFUSED, "contains": ["4000"]},
    },
    {
        "name": "CHECKINGACCOUNT read by sageintacctsdk's field list",
        "provenance": "sageintacctsdk CheckingAccounts.get_all: readByQuery of CHECKINGACCOUNT with its "
        "fields",
        "setup": [checking("BA1145-{run}")],
        "request": fn(
            "<readByQuery><object>CHECKINGACCOUNT</object><fields>RECORDNO,BANKACCOUNTID,BANKACCOUNTTYPE,"
            "ACHBANKID,COMPANYNAME,GLACCOUNTNO,STATUS</fields><query></query><pagesize>1000</pagesize>"
            "</readByQuery>"
        ),
        "expect": {"status": "success", "contains": ["BA1145-{run}"]},
    },
    # --- other receipts -----------------------------------------------------------------------------
    {
        "name": "record_otherreceipt into undeposited funds",
        "provenance": "Intacct PHP SDK tests: OtherReceiptCreateTest::testDefaultParams (GL 1000 on the line "
        "replaced by revenue 4000: the SDK's line has an empty account)",
        "request": receipt("unittest"),
        "expect": SUCCESS,
    },
    {
        "name": "record_otherreceipt with an empty GL account is refused",
        "provenance": "Intacct PHP SDK tests: OtherReceiptCreateTest::testDefaultParams (line "
        "<glaccountno/>)",
        "request": receipt("unittest", ""),
        "expect": {**REFUSED, "contains": ["ACCOUNTNO"]},
    },
    {
        "name": "record_otherreceipt into a bank account",
        "provenance": "Intacct PHP SDK tests: OtherReceiptCreateTest::testParamOverrides (bank BA1234 "
        "made in "
        "setup, a real GL account on the line)",
        "setup": [checking("BA1234-{run}")],
        "request": fn(
            f"<record_otherreceipt><paymentdate>{D0630}</paymentdate><payee>Costco</payee>"
            f"<receiveddate>{D0701}</receiveddate><paymentmethod>Printed Check</paymentmethod>"
            "<bankaccountid>BA1234-{run}</bankaccountid><depositdate><year>2015</year><month>07</month><day>04</day>"
            "</depositdate><refid>transno</refid><description>my desc</description><supdocid>A1234</supdocid>"
            "<currency>USD</currency><exchratedate><year>2015</year><month>07</month><day>04</day>"
            "</exchratedate><exchratetype>Intacct Daily Rate</exchratetype><customfields><customfield>"
            "<customfieldname>customfield1</customfieldname><customfieldvalue>customvalue1</customfieldvalue>"
            "</customfield></customfields><receiptitems><lineitem><glaccountno>4000</glaccountno>"
            "<amount>76343.43</amount></lineitem></receiptitems></record_otherreceipt>"
        ),
        "expect": SUCCESS,
    },
    # --- deposits -----------------------------------------------------------------------------------
    {
        "name": "record_deposit of an other receipt",
        "provenance": "Intacct PHP SDK tests: DepositCreateTest::testDefaultParams (receiptkey = setup's "
        "receipt, bank BA1145 made in setup, deposited 07/04: the receipt came in 07/01)",
        "setup": [checking("BA1145-{run}"), receipt()],
        "request": deposit("<receiptkey>{setup1}</receiptkey>"),
        "expect": SUCCESS,
    },
    {
        "name": "record_deposit of a demo AR payment held in undeposited funds",
        "provenance": "Intacct PHP SDK tests: DepositCreateTest::testParamOverrides (receiptkey 10: a demo "
        "payment into undeposited funds 1010)",
        "sandbox_only": "names a payment of the demo company",
        "setup": [checking("BA1145-{run}")],
        "request": fn(
            f"<record_deposit><bankaccountid>BA1145-{{run}}</bankaccountid><depositdate>{LATER}</depositdate>"
            "<depositid>Deposit Slip 2015-06-30</depositid><receiptkeys><receiptkey>10</receiptkey>"
            "</receiptkeys><description>Desc</description><supdocid>AT111</supdocid><customfields>"
            "<customfield><customfieldname>customfield1</customfieldname><customfieldvalue>customvalue1"
            "</customfieldvalue></customfield></customfields></record_deposit>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "record_deposit of a receipt deposited already is refused",
        "provenance": "Intacct PHP SDK tests: DepositCreateTest::testDefaultParams, sent twice",
        "setup": [
            checking("BA1145-{run}"),
            receipt(),
            deposit("<receiptkey>{setup1}</receiptkey>", "setup-deposit"),
        ],
        "request": deposit("<receiptkey>{setup1}</receiptkey>"),
        "expect": {**REFUSED, "contains": ["deposited already"]},
    },
    {
        "name": "record_deposit dated before its receipt is refused",
        "provenance": "Intacct PHP SDK tests: DepositCreateTest::testDefaultParams (deposit 06/30 of a "
        "receipt "
        "received 07/01)",
        "setup": [checking("BA1145-{run}"), receipt()],
        "request": deposit("<receiptkey>{setup1}</receiptkey>").replace(D0704, D0630),
        "expect": {**REFUSED, "contains": ["before receipt"]},
    },
    {
        "name": "record_deposit of an unknown receipt is refused",
        "provenance": "Intacct PHP SDK tests: DepositCreateTest::testDefaultParams (receiptkey 1234 as sent)",
        "setup": [checking("BA1145-{run}")],
        "request": deposit("<receiptkey>1234</receiptkey>"),
        "expect": {**REFUSED, "contains": ["1234"]},
    },
    {
        "name": "record_deposit into an unknown bank account is refused",
        "provenance": "Intacct PHP SDK tests: DepositCreateTest::testDefaultParams (BA1145 not set up)",
        "setup": [receipt()],
        "request": deposit("<receiptkey>{setup0}</receiptkey>"),
        "expect": {**REFUSED, "contains": ["BA1145-{run}"]},
    },
    # --- charge card transactions -------------------------------------------------------------------
    {
        "name": "record_cctransaction",
        "provenance": "Intacct PHP SDK tests: ChargeCardTransactionCreateTest::testParamOverrides (card "
        "made in "
        "setup, a real GL account on the line); sageintacctsdk ChargeCardTransactions.post",
        "setup": [CARD],
        "request": fn(
            f"<record_cctransaction><chargecardid>AMEX1234-{{run}}</chargecardid><paymentdate>{D0630}</paymentdate>"
            "<referenceno>321</referenceno><payee>Costco</payee><description>Supplies</description>"
            "<supdocid>A1234</supdocid><currency>USD</currency>"
            f"<exchratedate>{D0630}</exchratedate><exchratetype>Intacct Daily Rate</exchratetype>"
            "<customfields><customfield><customfieldname>customfield1</customfieldname><customfieldvalue>"
            "customvalue1</customfieldvalue></customfield></customfields><ccpayitems><ccpayitem>"
            "<glaccountno>6000</glaccountno><paymentamount>76343.43</paymentamount></ccpayitem></ccpayitems>"
            "</record_cctransaction>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "record_cctransaction on an unknown card is refused",
        "provenance": "Intacct PHP SDK tests: ChargeCardTransactionCreateTest::testDefaultParams "
        "(AMEX1234 not "
        "set up)",
        "request": cc("unittest"),
        "expect": {**REFUSED, "contains": ["AMEX1234"]},
    },
    {
        "name": "update_cctransaction line 1",
        "provenance": "Intacct PHP SDK tests: ChargeCardTransactionUpdateTest::testParamOverrides",
        "setup": [CARD, cc()],
        "request": fn(
            f'<update_cctransaction key="{{setup1}}"><paymentdate>{D0630}</paymentdate><referenceno>321'
            "</referenceno><payee>Costco</payee><description>Supplies</description><supdocid>A1234</supdocid>"
            f"<currency>USD</currency><exchratedate>{D0630}</exchratedate><exchratetype>Intacct Daily Rate"
            "</exchratetype><customfields><customfield><customfieldname>customfield1</customfieldname>"
            "<customfieldvalue>customvalue1</customfieldvalue></customfield></customfields><updateccpayitems>"
            '<updateccpayitem line_num="1"><paymentamount>76343.43</paymentamount></updateccpayitem>'
            "</updateccpayitems></update_cctransaction>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "update_cctransaction attachment only",
        "provenance": "sageintacctsdk ChargeCardTransactions.update_attachment",
        "setup": [CARD, cc()],
        "request": fn('<update_cctransaction key="{setup1}"><supdocid>A1</supdocid></update_cctransaction>'),
        "expect": SUCCESS,
    },
    {
        "name": "update_cctransaction of a line that does not exist is refused",
        "provenance": "Intacct PHP SDK tests: ChargeCardTransactionLineUpdateTest::testDefaultParams "
        '(line_num="3")',
        "setup": [CARD, cc()],
        "request": fn(
            '<update_cctransaction key="{setup1}"><updateccpayitems><updateccpayitem line_num="3" />'
            "</updateccpayitems></update_cctransaction>"
        ),
        "expect": {**REFUSED, "contains": ["line_num"]},
    },
    {
        "name": "reverse_cctransaction",
        "provenance": "Intacct PHP SDK tests: ChargeCardTransactionReverseTest::testConstruct",
        "setup": [CARD, cc()],
        "request": fn(
            f'<reverse_cctransaction key="{{setup1}}"><datereversed>{D0630}</datereversed>'
            "</reverse_cctransaction>"
        ),
        "expect": SUCCESS,
    },
    # --- bank feeds (Node SDK) ------------------------------------------------------------------------
    {
        "name": "BANKACCTTXNFEED create",
        "provenance": "Intacct Node SDK: BankFeedsCreate with a BankAccountTransactionRecord (split "
        "POSTINGDATE)",
        "setup": [checking("BA1145-{run}")],
        "request": fn(
            "<create><BANKACCTTXNFEED><FINANCIALENTITY>BA1145-{run}</FINANCIALENTITY><FEEDDATE>05/15/2020"
            "</FEEDDATE><FEEDTYPE>xml</FEEDTYPE><BANKACCTTXNRECORDS><BANKACCTTXNRECORD><TRANSACTIONID>T1"
            "</TRANSACTIONID><POSTINGDATE><year>2020</year><month>04</month><day>09</day></POSTINGDATE>"
            "<TRANSACTIONTYPE>withdrawal</TRANSACTIONTYPE><DOCTYPE>Check</DOCTYPE><DOCNO>198</DOCNO><PAYEE>"
            "Office Depot</PAYEE><AMOUNT>-184.00</AMOUNT><DESCRIPTION>Office supplies</DESCRIPTION><CURRENCY>"
            "USD</CURRENCY></BANKACCTTXNRECORD></BANKACCTTXNRECORDS></BANKACCTTXNFEED></create>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "BANKACCTTXNFEED create as an integration writes it",
        "provenance": "hotgluexyz target-intacct bank transaction mapper test (mm/dd/yyyy POSTINGDATE, "
        "FILENAME)",
        "setup": [checking("BOV-{run}")],
        "request": fn(
            "<create><BANKACCTTXNFEED><FINANCIALENTITY>BOV-{run}</FINANCIALENTITY><FEEDDATE>05/15/2020"
            "</FEEDDATE><FEEDTYPE>xml</FEEDTYPE><FILENAME>hotglue-BOV-05-15-2020</FILENAME><BANKACCTTXNRECORDS>"
            "<BANKACCTTXNRECORD><POSTINGDATE>04/09/2020</POSTINGDATE><TRANSACTIONTYPE>withdrawal"
            "</TRANSACTIONTYPE><DOCTYPE>Check</DOCTYPE><DOCNO>198</DOCNO><AMOUNT>-184.00</AMOUNT><DESCRIPTION>"
            "Office supplies</DESCRIPTION><PAYEE>Office Depot</PAYEE><CURRENCY>USD</CURRENCY>"
            "</BANKACCTTXNRECORD></BANKACCTTXNRECORDS></BANKACCTTXNFEED></create>"
        ),
        "expect": SUCCESS,
    },
    {
        "name": "BANKACCTTXNFEED without transactions is refused",
        "provenance": "Intacct Node SDK: BankFeedsCreate (FEEDTYPE xml, no records)",
        "setup": [checking("BA1145-{run}")],
        "request": fn(
            "<create><BANKACCTTXNFEED><FINANCIALENTITY>BA1145-{run}</FINANCIALENTITY><FEEDDATE>05/15/2020"
            "</FEEDDATE><FEEDTYPE>xml</FEEDTYPE></BANKACCTTXNFEED></create>"
        ),
        "expect": {**REFUSED, "contains": ["BANKACCTTXNRECORDS"]},
    },
    {
        "name": "BANKACCTTXNFEED delete",
        "provenance": "Intacct Node SDK: BankFeedsDelete (generic delete, key = setup's feed)",
        "setup": [
            checking("BA1145-{run}"),
            fn(
                "<create><BANKACCTTXNFEED><FINANCIALENTITY>BA1145-{run}</FINANCIALENTITY><FEEDDATE>05/15/2020"
                "</FEEDDATE><FEEDTYPE>xml</FEEDTYPE><BANKACCTTXNRECORDS><BANKACCTTXNRECORD><POSTINGDATE>"
                "04/09/2020</POSTINGDATE><TRANSACTIONTYPE>deposit</TRANSACTIONTYPE><AMOUNT>10</AMOUNT>"
                "</BANKACCTTXNRECORD></BANKACCTTXNRECORDS></BANKACCTTXNFEED></create>",
                "setup-feed",
            ),
        ],
        "request": fn("<delete><object>BANKACCTTXNFEED</object><keys>{setup1}</keys></delete>"),
        "expect": SUCCESS,
    },
]


#: a real company lacks the demo's records these vectors name; the live run skips them
for _vector in VECTORS:
    _vector.setdefault("sandbox_only", "uses the demo company's GL accounts (1000, 1010, 2100, 4000, 6000)")
