"""RecordStore: CRUD, indexes, one-level transactions with exact rollback, SQLite persistence, and the
readMore cache."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from intacct_sandbox.store import CachedResult, RecordStore, ResultCache, StoreError


def test_insert_assigns_recordnos_and_indexes_business_id() -> None:
    store = RecordStore()
    first = store.insert("A", "CUSTOMER", {"CUSTOMERID": "C1", "NAME": "One"})
    second = store.insert("A", "CUSTOMER", {"CUSTOMERID": "C2", "NAME": "Two"})
    assert (first, second) == (1, 2)
    assert store.get_by_id("A", "CUSTOMER", "C2") == {"CUSTOMERID": "C2", "NAME": "Two", "RECORDNO": 2}
    assert store.get("A", "CUSTOMER", 1)["NAME"] == "One"
    # companies are separate
    assert store.get_by_id("B", "CUSTOMER", "C1") is None
    assert store.insert("B", "CUSTOMER", {"CUSTOMERID": "C1"}) == 1


def test_scan_is_in_recordno_order_even_after_a_rolled_back_delete() -> None:
    store = RecordStore()
    for n in range(1, 6):
        store.insert("A", "VENDOR", {"VENDORID": f"V{n}"})
    store.begin()
    store.delete("A", "VENDOR", 2)
    store.rollback()
    assert [r["RECORDNO"] for r in store.scan("A", "VENDOR")] == [1, 2, 3, 4, 5]


def test_rollback_undoes_every_change_including_counters_and_meta() -> None:
    store = RecordStore()
    store.insert("A", "CUSTOMER", {"CUSTOMERID": "C1", "NAME": "Keep"})
    store.set_meta("company:A", {"web_services": True})
    store.begin()
    store.insert("A", "CUSTOMER", {"CUSTOMERID": "C2"})
    store.replace("A", "CUSTOMER", 1, {"CUSTOMERID": "C1X", "NAME": "Changed"})
    store.delete("A", "CUSTOMER", 2)
    store.set_meta("company:A", {"web_services": False})
    store.set_meta("new-key", [1, 2])
    store.insert("A", "AUDITHISTORY", {"ID": "1"})
    store.rollback()
    assert store.get("A", "CUSTOMER", 1)["NAME"] == "Keep"
    assert store.get_by_id("A", "CUSTOMER", "C1") is not None
    assert store.get_by_id("A", "CUSTOMER", "C1X") is None
    assert store.count("A", "CUSTOMER") == 1
    assert store.count("A", "AUDITHISTORY") == 0
    assert store.get_meta("company:A") == {"web_services": True}
    assert store.get_meta("new-key") is None
    # the RECORDNO counter went back too
    assert store.insert("A", "CUSTOMER", {"CUSTOMERID": "C3"}) == 2


def test_transactions_are_one_level() -> None:
    store = RecordStore()
    with pytest.raises(StoreError):
        store.commit()
    store.begin()
    with pytest.raises(StoreError):
        store.begin()
    store.commit()
    with pytest.raises(StoreError):
        store.rollback()


def test_meta_values_are_copies() -> None:
    store = RecordStore()
    store.set_meta("k", {"list": [1]})
    value = store.get_meta("k")
    value["list"].append(2)
    assert store.get_meta("k") == {"list": [1]}


def test_parent_index_lists_lines_of_a_header() -> None:
    store = RecordStore()
    store.insert("A", "APBILLITEM", {"RECORDKEY": 7, "LINE_NO": 0})
    store.insert("A", "APBILLITEM", {"RECORDKEY": 8, "LINE_NO": 0})
    store.insert("A", "APBILLITEM", {"RECORDKEY": 7, "LINE_NO": 1})
    assert [r["LINE_NO"] for r in store.children("A", "APBILLITEM", 7)] == [0, 1]
    store.delete("A", "APBILLITEM", 1)
    assert [r["RECORDNO"] for r in store.children("A", "APBILLITEM", 7)] == [3]


def test_ar_documents_share_one_key_space() -> None:
    store = RecordStore()
    assert store.insert("A", "ARINVOICE", {}) == 1
    assert store.insert("A", "ARPYMT", {}) == 2
    assert store.insert("A", "ARADJUSTMENT", {}) == 3
    assert store.insert("A", "APBILL", {}) == 1


def test_sqlite_persistence_round_trips_values_and_writes_only_changes(tmp_path: Path) -> None:
    path = str(tmp_path / "state.sqlite3")
    store = RecordStore(path)
    stamp = datetime(2024, 5, 1, 10, 0, 0, tzinfo=UTC)
    store.begin()
    store.insert(
        "A",
        "CUSTOMER",
        {
            "CUSTOMERID": "C1",
            "CREDITLIMIT": Decimal("1000.50"),
            "WHENCREATED": stamp,
            "ONHOLD": False,
            "WHENMODIFIED": None,
        },
    )
    store.insert("A", "CUSTOMER", {"CUSTOMERID": "C2", "STARTDATE": date(2024, 1, 2)})
    store.set_meta("company:A", {"timezone": "America/Los_Angeles"})
    store.commit()
    store.begin()
    store.delete("A", "CUSTOMER", 2)
    store.insert("A", "CUSTOMER", {"CUSTOMERID": "C3"})
    store.rollback()  # never reaches the file
    store.close()

    reopened = RecordStore(path)
    row = reopened.get_by_id("A", "CUSTOMER", "C1")
    assert row == {
        "CUSTOMERID": "C1",
        "CREDITLIMIT": Decimal("1000.50"),
        "WHENCREATED": stamp,
        "ONHOLD": False,
        "WHENMODIFIED": None,
        "RECORDNO": 1,
    }
    assert reopened.get("A", "CUSTOMER", 2)["STARTDATE"] == date(2024, 1, 2)
    assert reopened.get_by_id("A", "CUSTOMER", "C3") is None
    assert reopened.get_meta("company:A") == {"timezone": "America/Los_Angeles"}
    reopened.begin()
    reopened.delete("A", "CUSTOMER", 1)
    assert reopened.insert("A", "CUSTOMER", {"CUSTOMERID": "C4"}) == 3  # counter persisted
    reopened.commit()
    reopened.close()
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT recordno FROM records ORDER BY recordno").fetchall()
    assert rows == [(2,), (3,)]


def test_reset_empties_memory_and_file(tmp_path: Path) -> None:
    path = str(tmp_path / "state.sqlite3")
    store = RecordStore(path)
    store.insert("A", "CUSTOMER", {"CUSTOMERID": "C1"})
    store.set_meta("x", 1)
    store.flush()
    store.reset()
    store.close()
    again = RecordStore(path)
    assert again.count("A", "CUSTOMER") == 0
    assert again.get_meta("x") is None


def test_result_cache_expires_after_idle_time_and_can_be_dropped() -> None:
    now = [100.0]
    cache = ResultCache(ttl=60, clock=lambda: now[0])
    rid = cache.put(CachedResult("A", "CUSTOMER", [1, 2, 3], ["RECORDNO"], 1, "u"))
    assert cache.last_for_object("A", "u", "CUSTOMER") == rid
    now[0] += 59
    assert cache.get(rid) is not None  # touching it slides the expiry
    now[0] += 59
    assert cache.get(rid) is not None
    now[0] += 61
    assert cache.get(rid) is None
    other = cache.put(CachedResult("A", "CUSTOMER", [1], ["RECORDNO"], 0, "u"))
    cache.drop(other)
    assert cache.get(other) is None


def test_demo_company_survives_a_sqlite_round_trip(tmp_path: Path) -> None:
    from intacct_sandbox.demo_data import populate

    path = str(tmp_path / "demo.sqlite3")
    store = RecordStore(path)
    populate(store, "DEMO", seed=1, clock=datetime(2024, 6, 1, tzinfo=UTC))
    store.close()
    memory = RecordStore()
    populate(memory, "DEMO", seed=1, clock=datetime(2024, 6, 1, tzinfo=UTC))
    reopened = RecordStore(path)
    for obj in ("CUSTOMER", "ARINVOICE", "ARINVOICEITEM", "ARPYMT", "TIMESHEETENTRY", "EMPLOYEE"):
        assert list(reopened.scan("DEMO", obj)) == list(memory.scan("DEMO", obj)), obj
    assert reopened.children("DEMO", "ARINVOICEITEM", 1) == memory.children("DEMO", "ARINVOICEITEM", 1)


def test_upsert_user_creates_then_refreshes_userinfo() -> None:
    from intacct_sandbox.objects.userinfo import upsert_user

    store = RecordStore()
    first = upsert_user(store, "A", "wsuser", admin="full", first_name="Web", last_name="Services")
    again = upsert_user(store, "A", "wsuser", status="inactive")
    row = store.get_by_id("A", "USERINFO", "wsuser")
    assert first == again == row["RECORDNO"]
    assert (row["ADMIN"], row["STATUS"], row["LOGINDISABLED"]) == ("Off", "inactive", True)


def test_result_cache_keeps_a_bounded_number_of_sets() -> None:
    now = [0.0]
    cache = ResultCache(ttl=60, clock=lambda: now[0], max_entries=2)
    ids = []
    for n in range(3):
        now[0] += 1
        ids.append(cache.put(CachedResult("A", "CUSTOMER", [n], ["RECORDNO"], 0, "u")))
    assert cache.get(ids[0]) is None  # the least recently used one made room
    assert cache.get(ids[1]) is not None and cache.get(ids[2]) is not None
