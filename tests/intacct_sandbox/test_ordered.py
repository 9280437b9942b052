"""Sort orders kept on write (intacct_sandbox.ordered) against a naive sort written here: after any
mix of inserts, replacements, deletes and rollbacks, every order the store serves is exactly what
sorting the current rows would give, snapshots taken earlier do not move, and the ``query``
function pages with filters and orders the same way."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from functools import cmp_to_key
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import intacct_sandbox.functions  # noqa: F401  (registers handlers)
from intacct_sandbox.functions.local import LocalContext, call
from intacct_sandbox.store import RecordStore

Row = dict[str, Any]
SPECS: list[tuple[tuple[str, bool], ...]] = [
    (("NAME", False),),
    (("NAME", True),),
    (("WHENMODIFIED", False), ("RECORDNO", False)),
    (("WHENMODIFIED", True),),
    (("CREDITLIMIT", True), ("NAME", False)),
    (("RECORDNO", True),),
    (("CUSTOMERID", False),),
]


def naive_order(rows: list[Row], spec: tuple[tuple[str, bool], ...], ci: bool) -> list[int]:
    """Compare two rows field by field: empty (None or "") after any value ascending and before any
    value descending, then the values, then RECORDNO ascending."""

    def value(row: Row, name: str) -> Any:
        v = row.get(name)
        if v is None or v == "":
            return None
        return v.lower() if ci and isinstance(v, str) else v

    def cmp(a: Row, b: Row) -> int:
        for name, desc in spec:
            x, y = value(a, name), value(b, name)
            if x is None and y is None:
                continue
            if x is None or y is None:
                # empty last ascending, first descending
                first_empty = -1 if x is None else 1
                return -first_empty if not desc else first_empty
            if x != y:
                less = -1 if x < y else 1
                return -less if desc else less
        return -1 if a["RECORDNO"] < b["RECORDNO"] else (1 if a["RECORDNO"] > b["RECORDNO"] else 0)

    return [r["RECORDNO"] for r in sorted(rows, key=cmp_to_key(cmp))]


names = st.one_of(st.none(), st.sampled_from(["", "a", "A", "b", "B", "ab", "Zed", "zed"]))
stamps = st.one_of(st.none(), st.integers(0, 4).map(lambda h: datetime(2024, 1, 1, h, tzinfo=UTC)))
limits = st.one_of(st.none(), st.integers(-2, 2).map(Decimal))
records = st.fixed_dictionaries(
    {"NAME": names, "WHENMODIFIED": stamps, "CREDITLIMIT": limits, "CUSTOMERID": names}
)
ops = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), records),
        st.tuples(st.just("replace"), st.integers(0, 30), records),
        st.tuples(st.just("delete"), st.integers(0, 30)),
        st.tuples(st.just("begin")),
        st.tuples(st.just("rollback")),
        st.tuples(st.just("commit")),
        st.tuples(st.just("read"), st.integers(0, len(SPECS) - 1), st.booleans()),
    ),
    max_size=40,
)


def check(store: RecordStore, spec: tuple[tuple[str, bool], ...], ci: bool) -> None:
    current = list(store.row_list("A", "CUSTOMER"))
    assert current == [store.get("A", "CUSTOMER", n) for n in store.recordnos("A", "CUSTOMER")]
    assert current == list(store.rows("A", "CUSTOMER").values())
    got = [r["RECORDNO"] for r in store.sorted_rows("A", "CUSTOMER", spec, ci)]
    assert got == naive_order(current, spec, ci)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.lists(records, max_size=12), steps=ops)
def test_orders_match_a_naive_sort_after_any_writes(seed: list[Row], steps: list[tuple[Any, ...]]) -> None:
    store = RecordStore()
    for rec in seed:
        store.insert("A", "CUSTOMER", dict(rec))
    # open every order before the writes, so all of them are maintained rather than rebuilt
    for spec in SPECS:
        for ci in (False, True):
            store.sorted_rows("A", "CUSTOMER", spec, ci)
    snapshots: list[tuple[list[int], Any]] = []
    for step in steps:
        kind = step[0]
        recordnos = store.recordnos("A", "CUSTOMER")
        if kind == "insert":
            store.insert("A", "CUSTOMER", dict(step[1]))
        elif kind == "replace" and recordnos:
            recordno = recordnos[step[1] % len(recordnos)]
            store.replace("A", "CUSTOMER", recordno, dict(step[2]))
        elif kind == "delete" and recordnos:
            store.delete("A", "CUSTOMER", recordnos[step[1] % len(recordnos)])
        elif kind == "begin" and not store.in_transaction:
            store.begin()
        elif kind == "rollback" and store.in_transaction:
            store.rollback()
        elif kind == "commit" and store.in_transaction:
            store.commit()
        elif kind == "read":
            view = store.sorted_rows("A", "CUSTOMER", SPECS[step[1]], step[2])
            snapshots.append(([r["RECORDNO"] for r in view], view))
            check(store, SPECS[step[1]], step[2])
    for spec in SPECS:
        for ci in (False, True):
            check(store, spec, ci)
    # a snapshot handed to a reader never changes under it
    for seen, view in snapshots:
        assert [r["RECORDNO"] for r in view] == seen


def test_an_order_survives_many_writes_by_being_rebuilt() -> None:
    store = RecordStore()
    for n in range(50):
        store.insert("A", "CUSTOMER", {"NAME": f"n{n % 7}", "CUSTOMERID": f"C{n}"})
    spec = (("NAME", True),)
    store.sorted_rows("A", "CUSTOMER", spec)
    # far more writes than reads: the order is dropped and rebuilt on the next read
    for n in range(3000):
        store.insert("A", "CUSTOMER", {"NAME": f"m{n % 11}", "CUSTOMERID": f"D{n}"})
    check(store, spec, False)


NOW = datetime(2024, 5, 1, 17, 0, 0, tzinfo=UTC)


def query(ctx: LocalContext, order: str, where: str = "", offset: int = 0, size: int = 7) -> list[str]:
    out = call(
        ctx,
        f"<query><select><field>RECORDNO</field></select><object>CUSTOMER</object>{where}"
        f"<orderby>{order}</orderby><pagesize>{size}</pagesize><offset>{offset}</offset></query>",
    )
    return [fields["RECORDNO"] for _tag, fields in out.records]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.lists(
        st.sampled_from(["Acme", "acme", "Beta", "beta", "Zulu", "Alpha"]), min_size=1, max_size=15
    ),
    renames=st.lists(st.tuples(st.integers(0, 14), st.sampled_from(["Acme", "Omega", "beta"])), max_size=5),
    descending=st.booleans(),
)
def test_query_pages_filtered_and_ordered_match_a_naive_sort(
    seed: list[str], renames: list[tuple[int, str]], descending: bool
) -> None:
    ctx = LocalContext(RecordStore(), "ACME", "wsuser", now=NOW)
    call(
        ctx,
        "<create>"
        + "".join(
            f"<CUSTOMER><CUSTOMERID>C{i}</CUSTOMERID><NAME>{n}</NAME></CUSTOMER>" for i, n in enumerate(seed)
        )
        + "</create>",
    )
    order = f"<order><field>NAME</field>{'<descending/>' if descending else ''}</order>"
    query(ctx, order)  # opens the order, so the renames below maintain it
    for index, name in renames:
        cid = f"C{index % len(seed)}"
        call(ctx, f"<update><CUSTOMER><CUSTOMERID>{cid}</CUSTOMERID><NAME>{name}</NAME></CUSTOMER></update>")
    where = "<filter><notequalto><field>NAME</field><value>beta</value></notequalto></filter>"
    rows = [r for r in ctx.store.row_list("ACME", "CUSTOMER") if r["NAME"] != "beta"]
    expected = [str(n) for n in naive_order(rows, (("NAME", descending),), False)]
    pages = [query(ctx, order, where, offset) for offset in range(0, len(expected) + 7, 7)]
    assert [r for page in pages for r in page] == expected


def test_the_recordno_snapshot_follows_updates_without_changing_under_a_reader() -> None:
    store = RecordStore()
    for n in range(5):
        store.insert("A", "CUSTOMER", {"NAME": f"n{n}"})
    held = store.row_list("A", "CUSTOMER")
    store.replace("A", "CUSTOMER", 3, {"NAME": "changed"})
    assert [r["NAME"] for r in held] == ["n0", "n1", "n2", "n3", "n4"]
    now = store.row_list("A", "CUSTOMER")
    assert [r["NAME"] for r in now] == ["n0", "n1", "changed", "n3", "n4"]
    store.begin()
    store.replace("A", "CUSTOMER", 1, {"NAME": "again"})
    store.delete("A", "CUSTOMER", 5)
    store.rollback()
    assert [r["NAME"] for r in store.row_list("A", "CUSTOMER")] == ["n0", "n1", "changed", "n3", "n4"]
    assert [r["NAME"] for r in now] == ["n0", "n1", "changed", "n3", "n4"]


def test_readers_in_threads_see_whole_orders_while_a_writer_goes_on() -> None:
    import random
    import threading

    store = RecordStore()
    for n in range(300):
        store.insert("A", "CUSTOMER", {"NAME": f"n{n % 37}"})
    spec = (("NAME", True),)
    store.sorted_rows("A", "CUSTOMER", spec)
    done = threading.Event()
    problems: list[str] = []

    def reader() -> None:
        while not done.is_set():
            view = store.sorted_rows("A", "CUSTOMER", spec)
            keys = [(r["NAME"], -r["RECORDNO"]) for r in view]
            if keys != sorted(keys, reverse=True) or len(view) != 300:
                problems.append("a snapshot out of order or incomplete")

    def writer() -> None:
        rng = random.Random(5)
        for _ in range(1500):
            recordno = rng.randint(1, 300)
            store.replace("A", "CUSTOMER", recordno, {"NAME": f"n{rng.randint(0, 50)}"})
        done.set()

    threads = [threading.Thread(target=reader) for _ in range(3)] + [threading.Thread(target=writer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not problems
    check(store, spec, False)
