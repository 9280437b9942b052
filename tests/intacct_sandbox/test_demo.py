"""Demo data: deterministic by seed, realistic, internally consistent, sized by keyword."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

import intacct_sandbox.functions  # noqa: F401
from intacct_sandbox import demo_data
from intacct_sandbox.demo_data import populate
from intacct_sandbox.functions.local import LocalContext, call
from intacct_sandbox.store import RecordStore

CLOCK = datetime(2024, 6, 1, 12, 0, 0, tzinfo=UTC)
OBJECTS = (
    "GLACCOUNT",
    "DEPARTMENT",
    "LOCATION",
    "EMPLOYEE",
    "CONTACT",
    "CUSTOMER",
    "VENDOR",
    "PROJECT",
    "TASK",
    "ARINVOICE",
    "ARINVOICEITEM",
    "ARPYMT",
    "ARPYMTDETAIL",
    "APBILL",
    "APBILLITEM",
    "TIMESHEET",
    "TIMESHEETENTRY",
    "CLASS",
    "USERINFO",
)


def snapshot(store: RecordStore, company: str) -> dict[str, list[dict[str, object]]]:
    return {obj: list(store.scan(company, obj)) for obj in OBJECTS}


def test_same_seed_same_data_other_seed_other_data() -> None:
    a, b, c = RecordStore(), RecordStore(), RecordStore()
    info = populate(a, "DEMO", seed=7, clock=CLOCK)
    assert populate(b, "DEMO", seed=7, clock=CLOCK) == info
    populate(c, "DEMO", seed=8, clock=CLOCK)
    assert snapshot(a, "DEMO") == snapshot(b, "DEMO")
    assert snapshot(a, "DEMO")["CUSTOMER"] != snapshot(c, "DEMO")["CUSTOMER"]


def test_returns_credentials_facts_and_counts() -> None:
    store = RecordStore()
    info = populate(store, "DEMO", seed=1, clock=CLOCK, customers=30, vendors=5, invoices=20, bills=6)
    assert info["entity_ids"] == ["E100", "E200"]
    assert info["counts"]["CUSTOMER"] == 30 and info["counts"]["VENDOR"] == 5
    assert info["counts"]["ARINVOICE"] == 20 and info["counts"]["APBILL"] == 6
    accounts = info["gl_accounts"]
    kinds = {key: store.get_by_id("DEMO", "GLACCOUNT", number) for key, number in accounts.items()}
    assert kinds["revenue"]["ACCOUNTTYPE"] == "incomestatement"
    assert kinds["expense"]["ACCOUNTTYPE"] == "incomestatement"
    assert kinds["accounts_receivable"]["ACCOUNTTYPE"] == "balancesheet"
    assert kinds["undeposited_funds"]["TITLE"] == "Undeposited Funds"
    with pytest.raises(ValueError, match="unknown demo sizes"):
        populate(RecordStore(), "X", widgets=3)


def test_records_are_consistent_and_references_resolve() -> None:
    store = RecordStore()
    populate(store, "DEMO", seed=3, clock=CLOCK, invoices=60)
    states = set()
    for invoice in store.scan("DEMO", "ARINVOICE"):
        assert store.get_by_id("DEMO", "CUSTOMER", invoice["CUSTOMERID"]) is not None
        lines = store.children("DEMO", "ARINVOICEITEM", invoice["RECORDNO"])
        assert sum((line["AMOUNT"] for line in lines), Decimal(0)) == invoice["TOTALENTERED"]
        assert invoice["TOTALDUE"] == invoice["TOTALENTERED"] - invoice["TOTALPAID"]
        states.add(invoice["STATE"])
    assert {"Posted", "Paid", "Partially Paid"} <= states
    for detail in store.scan("DEMO", "ARPYMTDETAIL"):
        payment = store.get("DEMO", "ARPYMT", detail["PAYMENTKEY"])
        paid = store.get("DEMO", "ARINVOICE", detail["RECORDKEY"])
        assert payment["CUSTOMERID"] == paid["CUSTOMERID"] and payment["UNDEPOSITEDACCOUNTNO"] == "1010"
    for line in store.scan("DEMO", "APBILLITEM"):
        assert store.get_by_id("DEMO", "GLACCOUNT", line["ACCOUNTNO"]) is not None
    for employee in store.scan("DEMO", "EMPLOYEE"):
        assert store.get_by_id("DEMO", "DEPARTMENT", employee["DEPARTMENTID"]) is not None
        assert store.get_by_id("DEMO", "CONTACT", employee["PERSONALINFO.CONTACTNAME"]) is not None
    parents = {d["DEPARTMENTID"]: d["PARENTID"] for d in store.scan("DEMO", "DEPARTMENT")}
    assert parents["D210"] == "D200" and parents["D200"] == "D100" and parents["D100"] is None
    for task in store.scan("DEMO", "TASK"):
        assert store.get_by_id("DEMO", "PROJECT", task["PROJECTID"]) is not None
    for entry in store.scan("DEMO", "TIMESHEETENTRY"):
        assert store.get("DEMO", "TASK", entry["TASKKEY"])["TASKID"] == entry["TASKID"]
    customer = store.get("DEMO", "CUSTOMER", 1)
    assert customer["DISPLAYCONTACT.MAILADDRESS.CITY"] and "@" in customer["DISPLAYCONTACT.EMAIL1"]
    assert customer["WHENCREATED"] < CLOCK
    customers = list(store.scan("DEMO", "CUSTOMER"))
    edited = [c for c in customers if c["WHENMODIFIED"] is not None]
    assert 0 < len(edited) < len(customers)  # most were edited since, some never were
    assert all(c["WHENCREATED"] <= c["WHENMODIFIED"] <= CLOCK for c in edited)


def test_demo_company_answers_reads_and_hides_private_entity_documents() -> None:
    store = RecordStore()
    populate(store, "DEMO", seed=1, clock=CLOCK, invoices=50)
    top = LocalContext(store, "DEMO", now=CLOCK)
    entity = LocalContext(store, "DEMO", location_id="E200", now=CLOCK)
    total = store.count("DEMO", "ARINVOICE")
    xml = "<query><select><field>RECORDNO</field></select><object>ARINVOICE</object>{o}</query>"
    shared = int(call(top, xml.format(o="")).data_attrs["totalcount"])
    private = int(call(entity, xml.format(o="")).data_attrs["totalcount"]) - shared
    assert 0 < shared < total and private == total - shared
    every = call(top, xml.format(o="<options><showprivate>true</showprivate></options>"))
    assert every.data_attrs["totalcount"] == str(total)
    page = call(
        top,
        "<readByQuery><object>CUSTOMER</object><fields>CUSTOMERID,NAME</fields>"
        "<query>STATUS = 'T'</query><pagesize>10</pagesize></readByQuery>",
    )
    assert page.data_attrs["count"] == "10"


def test_a_failed_populate_leaves_nothing_and_a_second_one_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = RecordStore()
    calls = []

    def failing_name(rng: object) -> str:
        calls.append(1)
        if len(calls) > 5:
            raise RuntimeError("boom")
        return "Name Co"

    monkeypatch.setattr(demo_data, "_company_name", failing_name)
    with pytest.raises(RuntimeError):
        populate(store, "DEMO", seed=1, clock=CLOCK)
    assert all(store.count("DEMO", obj) == 0 for obj in OBJECTS)
    monkeypatch.undo()
    populate(store, "DEMO", seed=1, clock=CLOCK)
    with pytest.raises(ValueError, match="already has records"):
        populate(store, "DEMO", seed=1, clock=CLOCK)


def test_ten_thousand_customers_are_cheap() -> None:
    store = RecordStore()
    populate(store, "BIG", seed=1, clock=CLOCK, customers=10_000)
    assert store.count("BIG", "CUSTOMER") == 10_000
    assert store.get_by_id("BIG", "CUSTOMER", "C10000") is not None


def test_demo_has_what_the_ap_ar_and_psa_families_sync() -> None:
    store = RecordStore()
    populate(store, "DEMO", seed=1, clock=CLOCK)
    bills = list(store.scan("DEMO", "APBILL"))
    assert {"Posted", "Partially Paid", "Paid"} <= {b["STATE"] for b in bills}
    vendor_due: dict[str, Decimal] = {}
    for bill in bills:
        lines = store.children("DEMO", "APBILLITEM", bill["RECORDNO"])
        assert lines and sum((line["AMOUNT"] for line in lines), Decimal(0)) == bill["TOTALENTERED"]
        assert sum((line["TOTALPAID"] for line in lines), Decimal(0)) == bill["TOTALPAID"]
        assert bill["TOTALDUE"] == bill["TOTALENTERED"] - bill["TOTALPAID"]
        assert (bill["WHENPAID"] is not None) == (bill["STATE"] == "Paid")
        vendor_due[bill["VENDORID"]] = vendor_due.get(bill["VENDORID"], Decimal(0)) + bill["TOTALDUE"]
    for vendor_id, due in vendor_due.items():
        assert store.get_by_id("DEMO", "VENDOR", vendor_id)["TOTALDUE"] == due
    accounts = {a["ACCOUNTNO"]: a for a in store.scan("DEMO", "GLACCOUNT")}
    assert (accounts["1010"]["TITLE"], accounts["1010"]["ACCOUNTTYPE"]) == (
        "Undeposited Funds",
        "balancesheet",
    )
    assert accounts["1010"]["CATEGORY"] == "Cash and Cash Equivalents"
    assert (accounts["1200"]["TITLE"], accounts["1200"]["CATEGORY"]) == (
        "Accounts Receivable",
        "Accounts Receivable",
    )
    projects = list(store.scan("DEMO", "PROJECT"))
    assert {p["STATUS"] for p in projects} == {"active", "inactive"}
    assert all(p["PROJECTCATEGORY"] and p["BEGINDATE"] < p["ENDDATE"] for p in projects)
    qualifying = [p for p in projects if (CLOCK.date() - p["ENDDATE"]).days <= 365]
    assert 0 < len(qualifying) < len(projects)
    assert {"Planned", "In Progress", "Completed"} <= {t["TASKSTATUS"] for t in store.scan("DEMO", "TASK")}
    sheets = list(store.scan("DEMO", "TIMESHEET"))
    assert sheets and "Approved" in {s["STATE"] for s in sheets}
