"""The registry's run order (dependencies first, otherwise registration order) and the engine's
ignorance of family names."""

from __future__ import annotations

import ast
from pathlib import Path

from intacct_bridge.sync.family import Family
from intacct_bridge.sync.registry import all_families, run_order
from intacct_bridge.sync.spec import FamilySpec, FieldMap

ENGINE = Path(__file__).resolve().parents[3] / "src" / "intacct_bridge" / "sync"


def _family(name: str, *refs: str, after: tuple[str, ...] = ()) -> Family:
    return Family(
        spec=FamilySpec(
            family=name,
            label=name.title(),
            intacct_object=name.upper(),
            business_id="ID",
            name_field="NAME",
            model="bridge_records.Client",
            fields=(FieldMap("name", "NAME"), *(FieldMap(f"{r}_ref", r.upper(), reference=r) for r in refs)),
        ),
        after=after,
    )


def _names(families: list[Family]) -> list[str]:
    return [f.name for f in families]


def test_a_family_runs_after_the_families_it_refers_to_otherwise_in_registration_order() -> None:
    a, b, c = _family("a", "c"), _family("b"), _family("c")
    assert _names(run_order([a, b, c])) == ["c", "a", "b"]
    assert _names(run_order([b, c])) == ["b", "c"]


def test_after_orders_without_a_reference_and_a_family_referring_to_itself_is_no_dependency() -> None:
    parent = _family("parent", "parent")
    child = _family("child", after=("parent",))
    assert _names(run_order([child, parent])) == ["parent", "child"]


def test_a_dependency_outside_the_run_is_ignored_and_a_cycle_breaks_where_it_closes() -> None:
    assert _names(run_order([_family("a", "missing")])) == ["a"]
    x, y = _family("x", "y"), _family("y", "x")
    assert sorted(_names(run_order([x, y]))) == ["x", "y"]


def test_the_registered_families_run_after_what_they_refer_to() -> None:
    order = _names(run_order(all_families()))
    assert len(order) == len(all_families())
    for first, then in [
        ("departments", "people"),
        ("vendors", "bills"),
        ("accounts", "bills"),
        ("clients", "invoices"),
        ("clients", "projects"),
        ("projects", "tasks"),
        ("tasks", "timesheets"),
        ("people", "timesheets"),
    ]:
        assert order.index(first) < order.index(then), (first, then)


def test_the_engine_names_no_family() -> None:
    """No registered family's name appears as a string in the engine's code (docstrings aside): a
    new family never needs an engine change."""
    names = {f.name for f in all_families()}
    found = []
    for path in ENGINE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in names and id(node) not in docstrings:
                found.append(f"{path.name}:{node.lineno} {node.value!r}")
    assert not found
