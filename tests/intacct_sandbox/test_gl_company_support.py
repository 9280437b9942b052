"""Issue #19 (General Ledger, Company, Time & Expenses, generic reads): state changes and answer shapes
the conformance vectors do not show on their own (tests/conformance holds the SDK request shapes)."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

from gateway_helpers import Client, envelope, errors, fn, seeded
from lxml import etree

from intacct_sandbox import Sandbox
from intacct_sandbox.cli import main as cli_main
from intacct_sandbox.objects import all_objects
from intacct_sandbox.objects.writes import set_closed_through


def je(extra: str = "", amount: str = "100", journal: str = "GJ", when: str = "06/30/2026") -> str:
    return (
        f"<create><GLBATCH><JOURNAL>{journal}</JOURNAL><BATCH_DATE>{when}</BATCH_DATE>{extra}"
        f"<BATCH_TITLE>t</BATCH_TITLE><ENTRIES>"
        f"<GLENTRY><ACCOUNTNO>6000</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>{amount}</TRX_AMOUNT></GLENTRY>"
        f"<GLENTRY><ACCOUNTNO>1010</ACCOUNTNO><TR_TYPE>-1</TR_TYPE><TRX_AMOUNT>{amount}</TRX_AMOUNT></GLENTRY>"
        f"</ENTRIES></GLBATCH></create>"
    )


def ok(result: etree._Element) -> etree._Element:
    assert result.findtext("status") == "success", etree.tostring(result)
    return result


def created(client: Client, creds: dict[str, Any], body: str) -> str:
    result = ok(client.one(creds, body))
    return str(result.findtext("key") or result.findtext("data/*/RECORDNO"))


def batches(sb: Sandbox, creds: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {int(r["RECORDNO"]): r for r in sb.control.records(creds["company_id"], "GLBATCH")}


# --- journal entries ------------------------------------------------------------------------------


def test_journal_entry_numbers_run_per_journal_and_lines_take_the_batch_date() -> None:
    sb, creds, client = seeded()
    first = created(client, creds, je())
    second = created(client, creds, je())
    other = created(client, creds, je(journal="ADJ"))
    rows = batches(sb, creds)
    assert [rows[int(k)]["BATCHNO"] for k in (first, second, other)] == ["1", "2", "1"]
    lines = rows[int(first)]["ENTRIES"]["GLENTRY"]
    assert [(ln["TR_TYPE"], ln["ENTRY_DATE"], ln["BATCHNO"]) for ln in lines] == [
        ("1", "06/30/2026", first),
        ("-1", "06/30/2026", first),
    ]


def test_auto_reversal_is_linked_both_ways_and_goes_with_its_original() -> None:
    sb, creds, client = seeded()
    original = created(client, creds, je("<REVERSEDATE>07/01/2026</REVERSEDATE>"))
    rows = batches(sb, creds)
    (reversal,) = [r for r in rows.values() if r["REVERSEDFROM"] == original]
    assert rows[int(original)]["REVERSEDKEY"] == reversal["RECORDNO"]
    assert reversal["BATCH_DATE"] == "07/01/2026"
    assert [ln["TR_TYPE"] for ln in reversal["ENTRIES"]["GLENTRY"]] == ["-1", "1"]
    detail = sb.control.records(creds["company_id"], "GLDETAIL")
    assert sorted((d["BATCHKEY"], d["ACCOUNTNO"], d["DEBITAMOUNT"]) for d in detail) == [
        (original, "1010", "0"),
        (original, "6000", "100"),
        (reversal["RECORDNO"], "1010", "100"),
        (reversal["RECORDNO"], "6000", "0"),
    ]
    # the reversal can be neither changed nor deleted on its own
    change = client.one(
        creds,
        f"<update><GLBATCH><RECORDNO>{reversal['RECORDNO']}</RECORDNO><BATCH_TITLE>x"
        "</BATCH_TITLE></GLBATCH></update>",
    )
    assert "cannot be changed" in errors(change)[0][2]
    alone = client.one(creds, f"<delete><object>GLBATCH</object><keys>{reversal['RECORDNO']}</keys></delete>")
    assert "cannot be deleted on its own" in errors(alone)[0][2]
    ok(client.one(creds, f"<delete><object>GLBATCH</object><keys>{original}</keys></delete>"))
    assert batches(sb, creds) == {}
    assert sb.control.records(creds["company_id"], "GLENTRY") == []
    assert sb.control.records(creds["company_id"], "GLDETAIL") == []


def test_posting_dates_in_a_closed_period_are_refused() -> None:
    sb, creds, client = seeded()
    set_closed_through(sb.store, creds["company_id"], date(2026, 6, 30))
    refused = client.one(creds, je())
    assert errors(refused)[0][:3] == (
        "BL01001973",
        "",
        "The posting date 06/30/2026 falls in a closed period (books closed through 06/30/2026).",
    )
    reversal_closed = client.one(creds, je("<REVERSEDATE>06/15/2026</REVERSEDATE>", when="07/01/2026"))
    assert "REVERSEDATE must be after BATCH_DATE" in errors(reversal_closed)[0][2]
    ok(client.one(creds, je(when="07/01/2026")))


def test_update_replaces_the_lines_and_must_still_balance() -> None:
    sb, creds, client = seeded()
    key = created(client, creds, je())
    unbalanced = client.one(
        creds,
        f"<update><GLBATCH><RECORDNO>{key}</RECORDNO><ENTRIES><GLENTRY><ACCOUNTNO>6000</ACCOUNTNO>"
        "<TR_TYPE>1</TR_TYPE><TRX_AMOUNT>5</TRX_AMOUNT></GLENTRY></ENTRIES></GLBATCH></update>",
    )
    assert (
        errors(unbalanced)[0][2]
        == "The journal entry is not balanced: debits total 5.00 and credits total 0."
    )
    ok(
        client.one(
            creds,
            je(amount="7")
            .replace("<create><GLBATCH>", f"<update><GLBATCH><RECORDNO>{key}</RECORDNO>")
            .replace("</create>", "</update>"),
        )
    )
    lines = batches(sb, creds)[int(key)]["ENTRIES"]["GLENTRY"]
    assert [ln["TRX_AMOUNT"] for ln in lines] == ["7", "7"]


def test_an_entity_session_books_the_entry_in_its_entity() -> None:
    sb, creds, client = seeded()
    doc = client.post(envelope(creds, fn(je()), location="E100"))
    key = doc.findtext("operation/result/data/glbatch/RECORDNO")
    assert batches(sb, creds)[int(str(key))]["MEGAENTITYID"] == "E100"
    top = ok(client.one(creds, f"<read><object>GLBATCH</object><keys>{key}</keys><fields>*</fields></read>"))
    assert top.find("data").get("count") == "0"  # private to its entity, as every entity is


# --- attachments ----------------------------------------------------------------------------------


def test_attachments_keep_their_files_and_attach_to_records() -> None:
    sb, creds, client = seeded()
    ok(client.one(creds, "<create_supdocfolder><supdocfoldername>F</supdocfoldername></create_supdocfolder>"))
    data = base64.b64encode(b"%PDF-1.4 receipt").decode()
    doc = (
        "<create_supdoc><supdocid>A1</supdocid><supdocname>Receipt</supdocname><supdocfoldername>F"
        "</supdocfoldername><attachments><attachment><attachmentname>r</attachmentname><attachmenttype>pdf"
        f"</attachmenttype><attachmentdata>{data}</attachmentdata></attachment></attachments></create_supdoc>"
    )
    assert ok(client.one(creds, doc)).findtext("key") == "A1"
    (stored,) = sb.control.records(creds["company_id"], "SUPDOC")
    assert stored["ATTACHMENTCOUNT"] == "1"
    assert stored["ATTACHMENTS"]["ATTACHMENT"][0]["SIZE"] == "16"
    bad = client.one(creds, doc.replace("A1", "A2").replace(data, "not base64!"))
    assert "not valid base64" in errors(bad)[0][2]
    ok(client.one(creds, je("<SUPDOCID>A1</SUPDOCID>")))
    in_use = client.one(creds, '<delete_supdoc key="A1"/>')
    assert "is used by GLBATCH" in errors(in_use)[0][2]
    unnamed = ok(client.one(creds, doc.replace("A1", "A3").replace("<supdocname>Receipt</supdocname>", "")))
    assert unnamed.findtext("key") == "A3"
    assert {r["SUPDOCID"]: r["DOCUMENTNAME"] for r in sb.control.records(creds["company_id"], "SUPDOC")}[
        "A3"
    ] == ("Unnamed")


def test_attachment_ids_follow_document_sequencing() -> None:
    sb, creds, client = seeded()
    sb.control.set_autonumber(creds["company_id"], "SUPDOC", True)
    ok(client.one(creds, "<create_supdocfolder><supdocfoldername>F</supdocfoldername></create_supdocfolder>"))
    result = ok(
        client.one(
            creds,
            "<create_supdoc><supdocid></supdocid><supdocname/><supdocfoldername>F"
            "</supdocfoldername></create_supdoc>",
        )
    )
    assert result.findtext("key") == "A-0001"


# --- generic reads ---------------------------------------------------------------------------------


def test_get_list_pages_with_the_legacy_listtype() -> None:
    _sb, creds, client = seeded()
    result = ok(
        client.one(
            creds,
            '<get_list object="class" start="1" maxitems="2"><sorts>'
            '<sortfield order="asc">classid</sortfield></sorts></get_list>',
        )
    )
    listtype = result.find("listtype")
    assert (listtype.text, dict(listtype.attrib)) == ("class", {"start": "1", "end": "2", "total": "4"})
    assert [c.findtext("key") for c in result.find("data")] == ["CL02", "CL03"]
    assert result.find("data/class/megaentityid") is None  # 2.1 records carry no 3.0 bookkeeping
    like = ok(
        client.one(
            creds,
            '<get_list object="class"><filter><expression><field>name</field>'
            "<operator>like</operator><value>%Segment</value></expression></filter></get_list>",
        )
    )
    assert like.find("listtype").get("total") == "4"


def test_object_trail_lists_a_records_events_oldest_first() -> None:
    _sb, creds, client = seeded()
    ok(client.one(creds, "<create><CLASS><CLASSID>T1</CLASSID><NAME>n</NAME></CLASS></create>"))
    ok(client.one(creds, "<update><CLASS><CLASSID>T1</CLASSID><NAME>m</NAME></CLASS></update>"))
    trail = ok(
        client.one(creds, "<getObjectTrail><object>CLASS</object><objectKey>T1</objectKey></getObjectTrail>")
    )
    assert [e.findtext("ACCESSMODE") for e in trail.find("data")] == ["C", "M"]
    missing = client.one(
        creds, "<getObjectTrail><object>CLASS</object><objectKey>NOPE</objectKey></getObjectTrail>"
    )
    assert errors(missing)[0][2] == "There is no class with key 'NOPE'."


def test_read_related_follows_references_both_ways() -> None:
    sb, creds, client = seeded()
    project = sb.control.records(creds["company_id"], "PROJECT")[0]
    customer = next(
        c
        for c in sb.control.records(creds["company_id"], "CUSTOMER")
        if c["CUSTOMERID"] == project["CUSTOMERID"]
    )
    down = ok(
        client.one(
            creds,
            f"<readRelated><object>CUSTOMER</object><relation>PROJECT</relation>"
            f"<keys>{customer['RECORDNO']}</keys><fields>PROJECTID</fields></readRelated>",
        )
    )
    assert project["PROJECTID"] in [p.findtext("PROJECTID") for p in down.find("data")]
    up = ok(
        client.one(
            creds,
            f"<readRelated><object>PROJECT</object><relation>CUSTOMER</relation>"
            f"<keys>{project['RECORDNO']}</keys><fields>CUSTOMERID</fields></readRelated>",
        )
    )
    assert [c.findtext("CUSTOMERID") for c in up.find("data")] == [customer["CUSTOMERID"]]


def test_views_page_through_read_more_and_can_be_defined() -> None:
    sb, creds, client = seeded()
    sb.control.create_view(creds["company_id"], "Big spenders", "CUSTOMER", "STATUS = 'T'", "CUSTOMERID")
    first = ok(client.one(creds, "<readView><view>Big spenders</view><pagesize>5</pagesize></readView>"))
    data = first.find("data")
    assert data.get("count") == "5" and data.get("numremaining") == "7"
    more = ok(client.one(creds, f"<readMore><resultId>{data.get('resultId')}</resultId></readMore>"))
    assert more.find("data").get("count") == "5"
    bad = client.one(creds, "<readView><view>Nope</view></readView>")
    assert errors(bad)[0][2] == "There is no view named 'Nope' in this company."


def test_inspect_of_every_object_counts_them_all() -> None:
    _sb, creds, client = seeded()
    listing = ok(client.one(creds, "<inspect><object>*</object></inspect>")).find("data")
    assert listing.get("count") == str(len(list(all_objects()))) == str(len(listing))


# --- error variants --------------------------------------------------------------------------------


def test_the_error_variant_is_a_company_switch_on_the_cli(tmp_path: Any) -> None:
    state = tmp_path / "s.sqlite3"
    sb = Sandbox(path=str(state))
    creds = sb.seed_demo(seed=1, customers=3)
    sb.close()
    assert cli_main(["--state", str(state), "error-variant", "Query Failed"]) == 0
    sb = Sandbox(path=str(state))
    result = Client(sb).one(creds, "<read><object>NOPE</object><keys>1</keys></read>")
    assert errors(result)[0][0] == "Query Failed"
    sb.control.set_error_variant(creds["company_id"])
    result = Client(sb).one(creds, "<read><object>NOPE</object><keys>1</keys></read>")
    assert errors(result)[0][0] == "XXX"


# --- time & expenses -------------------------------------------------------------------------------

REPORT = (
    "<create_expensereport><employeeid>EMP001</employeeid><datecreated><year>2026</year><month>06</month>"
    "<day>30</day></datecreated>{extra}<expenses><expense><glaccountno>6000</glaccountno><amount>50</amount>"
    "</expense></expenses></create_expensereport>"
)


def pay(key: str, amount: str) -> str:
    return (
        "<create_reimbursementrequest><bankaccountid>BA1</bankaccountid><employeeid>EMP001</employeeid>"
        "<paymentmethod>Printed Check</paymentmethod><paymentdate><year>2026</year><month>07</month>"
        f"<day>01</day></paymentdate><eppaymentrequestitems><eppaymentrequestitem><key>{key}</key><paymentamount>{amount}"
        "</paymentamount></eppaymentrequestitem></eppaymentrequestitems></create_reimbursementrequest>"
    )


def test_expense_reports_are_paid_by_reimbursements_and_then_locked() -> None:
    sb, creds, client = seeded()
    key = created(client, creds, REPORT.format(extra=""))
    ok(client.one(creds, pay(key, "50")))
    (report,) = sb.control.records(creds["company_id"], "EEXPENSES")
    assert (report["STATE"], report["TOTALDUE"], report["WHENPAID"]) == (
        "Paid",
        "0",
        sb.now().strftime("%m/%d/%Y"),
    )
    (payment,) = sb.control.records(creds["company_id"], "EPPAYMENT")
    assert (payment["AMOUNT"], payment["REPORTKEYS"]) == ("50", key)
    again = client.one(creds, pay(key, "1"))
    assert "is Paid and cannot be reimbursed" in errors(again)[0][2]
    deleted = client.one(creds, f'<delete_expensereport key="{key}"/>')
    assert "is Paid and cannot be deleted" in errors(deleted)[0][2]


def test_a_draft_report_is_deleted_not_reversed_and_another_employees_report_is_not_paid() -> None:
    _sb, creds, client = seeded()
    draft = created(client, creds, REPORT.format(extra="<state>Draft</state>"))
    reverse = client.one(
        creds,
        f'<reverse_expensereport key="{draft}"><datereversed><year>2026</year>'
        "<month>07</month><day>01</day></datereversed></reverse_expensereport>",
    )
    assert "is a draft: delete it instead" in errors(reverse)[0][2]
    drafted = client.one(creds, pay(draft, "10"))
    assert "is Draft and cannot be reimbursed" in errors(drafted)[0][2]
    other = created(client, creds, REPORT.format(extra="").replace("EMP001", "EMP002"))
    wrong = client.one(creds, pay(other, "10"))
    assert "belongs to employee EMP002" in errors(wrong)[0][2]
    ok(client.one(creds, f'<delete_expensereport key="{draft}"/>'))
