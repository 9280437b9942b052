"""mutate(): change / delete / add by count or percentage, with WHENMODIFIED and AUDITHISTORY."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from intacct_sandbox.demo_data import populate
from intacct_sandbox.mutate import mutate, resolve_count
from intacct_sandbox.store import RecordStore

CLOCK = datetime(2024, 6, 1, 12, 0, 0, tzinfo=UTC)
LATER = datetime(2024, 6, 2, 8, 0, 0, tzinfo=UTC)


@pytest.fixture
def store() -> RecordStore:
    s = RecordStore()
    populate(s, "DEMO", seed=1, clock=CLOCK, customers=100, invoices=30)
    return s


def test_resolve_count() -> None:
    assert resolve_count(10, 100) == 10
    assert resolve_count("2%", 100) == 2
    assert resolve_count("0.5%", 100) == 1  # a positive percentage changes at least one record
    assert resolve_count("50%", 3) == 2
    assert resolve_count("0%", 100) == 0 and resolve_count("10%", 0) == 0
    with pytest.raises(ValueError):
        resolve_count(-1, 10)


def test_change_renames_and_stamps(store: RecordStore) -> None:
    before = {r["RECORDNO"]: r for r in store.scan("DEMO", "CUSTOMER")}
    result = mutate(store, "DEMO", "CUSTOMER", change=10, seed=2, now=LATER)
    assert len(result["changed"]) == 10
    for recordno in result["changed"]:
        row = store.get("DEMO", "CUSTOMER", recordno)
        assert row["NAME"] != before[recordno]["NAME"] and row["DISPLAYCONTACT.PRINTAS"] == row["NAME"]
        assert row["WHENMODIFIED"] == LATER and row["WHENCREATED"] == before[recordno]["WHENCREATED"]
    untouched = set(before) - set(result["changed"])
    assert all(
        store.get("DEMO", "CUSTOMER", r)["WHENMODIFIED"] == before[r]["WHENMODIFIED"] for r in untouched
    )
    events = [e for e in store.scan("DEMO", "AUDITHISTORY") if e["ACCESSMODE"] == "M"]
    assert sorted(int(e["OBJECTKEY"]) for e in events) == result["changed"]


def test_delete_percentage_prefers_unreferenced_records_and_audits(store: RecordStore) -> None:
    referenced = {i["CUSTOMERID"] for i in store.scan("DEMO", "ARINVOICE")}
    result = mutate(store, "DEMO", "CUSTOMER", delete="5%", now=LATER)
    assert len(result["deleted"]) == 5 and store.count("DEMO", "CUSTOMER") == 95
    for recordno in result["deleted"]:
        assert store.get("DEMO", "CUSTOMER", recordno) is None
    remaining_ids = {c["CUSTOMERID"] for c in store.scan("DEMO", "CUSTOMER")}
    assert referenced <= remaining_ids
    deletes = [
        (e["OBJECTTYPE"], int(e["OBJECTKEY"]), e["ACCESSTIME"])
        for e in store.scan("DEMO", "AUDITHISTORY")
        if e["ACCESSMODE"] == "D"
    ]
    assert deletes == [("customer", r, LATER) for r in result["deleted"]]


def test_delete_documents_takes_their_lines(store: RecordStore) -> None:
    result = mutate(store, "DEMO", "APBILL", delete=3, now=LATER)
    for recordno in result["deleted"]:
        assert store.children("DEMO", "APBILLITEM", recordno) == []


def test_add_copies_with_new_ids(store: RecordStore) -> None:
    result = mutate(store, "DEMO", "VENDOR", add=3, now=LATER)
    assert len(result["added"]) == 3
    ids = [store.get("DEMO", "VENDOR", r)["VENDORID"] for r in result["added"]]
    assert len(set(ids)) == 3
    for recordno in result["added"]:
        row = store.get("DEMO", "VENDOR", recordno)
        assert row["WHENCREATED"] == LATER and row["WHENMODIFIED"] is None
        assert store.get_by_id("DEMO", "VENDOR", row["VENDORID"])["RECORDNO"] == recordno
    bills = mutate(store, "DEMO", "APBILL", add=1, now=LATER)
    (new_bill,) = bills["added"]
    assert store.children("DEMO", "APBILLITEM", new_bill)


def test_mutate_is_deterministic_and_transactional(store: RecordStore) -> None:
    other = RecordStore()
    populate(other, "DEMO", seed=1, clock=CLOCK, customers=100, invoices=30)
    assert mutate(store, "DEMO", "CUSTOMER", change=5, delete=2, add=1, seed=9, now=LATER) == mutate(
        other, "DEMO", "CUSTOMER", change=5, delete=2, add=1, seed=9, now=LATER
    )
    count = store.count("DEMO", "CUSTOMER")
    store.begin()
    mutate(store, "DEMO", "CUSTOMER", delete=10, now=LATER)
    store.rollback()
    assert store.count("DEMO", "CUSTOMER") == count
    with pytest.raises(ValueError):
        mutate(store, "DEMO", "AUDITHISTORY", change=1, now=LATER)
