"""AP, AR and Cash Management breadth (issue 19): the conformance vectors of tests/conformance run through
the real gateway, and the behaviours behind them (docs/intacct/payables-receivables.md)."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from gateway_helpers import Client, envelope
from lxml import etree

from intacct_sandbox import Sandbox

CONFORMANCE = Path(__file__).parents[1] / "conformance"


def _vectors(name: str) -> list[dict[str, Any]]:
    spec = importlib.util.spec_from_file_location(f"conformance_{name}", CONFORMANCE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.VECTORS)


ALL = [(f"{m}:{v['name']}", v) for m in ("vectors_ap", "vectors_ar", "vectors_cm") for v in _vectors(m)]


class Session:
    """One demo company and one Web Services session, as the vectors' runner uses them."""

    def __init__(self) -> None:
        self.sandbox = Sandbox()
        self.creds = self.sandbox.seed_demo(seed=1)
        self.client = Client(self.sandbox)
        self.sid = self.client.session(self.creds)
        self.company = str(self.creds["company_id"])

    def run(self, function_xml: str) -> etree._Element:
        (result,) = self.client.results(envelope(self.creds, function_xml, session=self.sid))
        return result

    def ok(self, function_xml: str) -> str:
        """Run a function that must succeed; its key (legacy <key>, else the first record's RECORDNO)."""
        result = self.run(function_xml)
        assert result.findtext("status") == "success", etree.tostring(result).decode()
        return result.findtext("key") or result.findtext("data/*/RECORDNO") or ""

    def row(self, obj: str, key: str | int) -> dict[str, Any]:
        row = self.sandbox.store.get(self.company, obj, int(key))
        assert row is not None, (obj, key)
        return dict(row)


def fill(text: str, keys: list[str]) -> str:
    for number, key in enumerate(keys):
        text = text.replace(f"{{setup{number}}}", key)
    return text


@pytest.mark.parametrize("vector", [v for _, v in ALL], ids=[i for i, _ in ALL])
def test_vector(vector: dict[str, Any]) -> None:
    s = Session()
    keys: list[str] = []
    for setup in vector.get("setup", []):
        keys.append(s.ok(fill(setup, keys)))
    result = s.run(fill(vector["request"], keys))
    text = etree.tostring(result).decode()
    expect = vector["expect"]
    assert result.findtext("status") == expect["status"], text
    if "errorno" in expect:
        assert expect["errorno"] in [e.findtext("errorno") for e in result.iter("error")], text
    for part in expect.get("contains", []):
        assert part in text, (part, text)


def test_every_vector_names_its_provenance() -> None:
    for name, vector in ALL:
        assert vector["provenance"] and vector["request"].startswith("<function controlid="), name
    assert len({name for name, _ in ALL}) == len(ALL)
