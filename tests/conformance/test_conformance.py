"""The conformance suite: request documents the official SDKs send (and answers captured from real
companies), run through the ``intacct`` client against the sandbox over real HTTP and, when
credentials are in the environment, against a real Intacct company.

Every ``tests/conformance/vectors_*.py`` module holds ``VECTORS: list[dict]``::

    {"name": str,
     "provenance": str,                   # where the request / the expected answer comes from
     "setup": [function XML, ...],        # optional; run first in the same session, each must succeed
     "request": '<function controlid="...">...</function>',   # exactly as the SDK sends it;
                                          # {setup0}, {setup1}, ... = the key/RECORDNO setup i returned
     "expect": {"status": "success" | "failure",
                "errorno": str,           # optional: the first error's errorno
                "error_type": str,        # optional: the intacct error class the client raises
                "contains": [str, ...]}}  # optional: texts the result's data (or errors) must contain

Requests run in ``Sandbox().seed_demo(seed=1)``'s company as its Web Services user. A vector may add
``"sandbox_only": "reason"`` when it depends on the sandbox's demo records or switches.

Live runs (``live_verified``): ``INTACCT_LIVE=1`` with ``INTACCT_LIVE_SENDER_ID``,
``INTACCT_LIVE_SENDER_PASSWORD``, ``INTACCT_LIVE_COMPANY_ID``, ``INTACCT_LIVE_USER_ID``,
``INTACCT_LIVE_USER_PASSWORD`` (optional ``INTACCT_LIVE_ENDPOINT``, ``INTACCT_LIVE_ENTITY_ID``);
see docs/sandbox.md. Use a sandbox company of your own: vectors create and delete records.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import intacct
from intacct._controlid import new_controlid
from intacct._functions import Function
from intacct_sandbox import Sandbox, SandboxServer

HERE = Path(__file__).parent
LIVE_VARS = (
    "INTACCT_LIVE_SENDER_ID",
    "INTACCT_LIVE_SENDER_PASSWORD",
    "INTACCT_LIVE_COMPANY_ID",
    "INTACCT_LIVE_USER_ID",
    "INTACCT_LIVE_USER_PASSWORD",
)
WRITE_FUNCTION = re.compile(r"^(create|update|delete|record|reverse|apply|approve|decline|void|send|confirm)")


def _load_vectors() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(HERE.glob("vectors_*.py")):
        spec = importlib.util.spec_from_file_location(f"conformance_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for vector in module.VECTORS:
            out.append((f"{path.stem}:{vector['name']}", vector))
    return out


ALL = _load_vectors()


def run_id(vector_id: str) -> str:
    """Six digits unique to the vector, for the IDs its records take (``{run}``)."""
    return f"{zlib.crc32(vector_id.encode()) % 1_000_000:06d}"


def _check_format(vector: dict[str, Any]) -> None:
    assert set(vector) <= {"name", "provenance", "setup", "request", "expect", "sandbox_only"}, vector
    assert vector["provenance"].strip(), "every vector names its provenance"
    assert vector["expect"]["status"] in ("success", "failure")
    assert set(vector["expect"]) <= {"status", "errorno", "error_type", "contains"}


def _function(xml: str) -> Function:
    wrapper = etree.fromstring(xml.strip().encode(), etree.XMLParser(resolve_entities=False, no_network=True))
    assert wrapper.tag == "function", "a vector's request is a <function controlid=...> element"
    inner = [c for c in wrapper if isinstance(c.tag, str)]
    assert len(inner) == 1, "a <function> holds one function element"
    name = str(inner[0].tag)
    # a fresh controlid per run: the SDK tests all use "unittest", and writes go with uniqueid=true
    return Function(name, inner[0], controlid=new_controlid(), write=bool(WRITE_FUNCTION.match(name)))


def _returned_key(result: intacct.Result) -> str:
    """The ``<key>``, else the first record's RECORDNO, else a report or result ID it handed out."""
    if result.key:
        return result.key
    for attr in ("reportId", "resultId"):
        if result.data_attrs.get(attr) and not result.records:
            return result.data_attrs[attr]
    record = result.record or {}
    for value in record.values():
        if isinstance(value, dict) and "RECORDNO" in value:
            return str(value["RECORDNO"])
    return str(record.get("RECORDNO") or "")


def _run_one(client: intacct.Client, xml: str) -> intacct.Result:
    batch = client.batch()
    handle = batch.add(_function(xml))
    batch.send()
    return handle.result


def run_vector(client: intacct.Client, vector: dict[str, Any], run: str) -> None:
    keys: dict[str, str] = {"run": run}
    for i, setup in enumerate(vector.get("setup", [])):
        result = _run_one(client, setup.format(**keys))
        assert result.ok, f"setup {i} failed: {result.error!r}"
        keys[f"setup{i}"] = _returned_key(result)
    result = _run_one(client, vector["request"].format(**keys))
    expect = vector["expect"]
    if expect["status"] == "success":
        assert result.ok, f"expected success, got {result.error!r}"
    else:
        assert not result.ok and result.error is not None, f"expected a failure, got {result.records!r}"
        if "errorno" in expect:
            assert result.error.errorno == expect["errorno"], repr(result.error)
        if "error_type" in expect:
            assert type(result.error).__name__ == expect["error_type"], repr(result.error)
    text = json.dumps([result.records, result.key, result.data_attrs], default=str)
    if result.error is not None:
        text += " " + " ".join(f"{e.errorno} {e.text}" for e in result.error.errors)
    for needle in expect.get("contains", []):
        assert needle.format(**keys) in text, f"{needle!r} not in {text[:2000]}"


@pytest.fixture(scope="module")
def sandbox_client() -> Iterator[intacct.Client]:
    sb = Sandbox()
    with SandboxServer(sb, host="127.0.0.1", port=0) as server:
        creds = sb.seed_demo(seed=1)
        credentials = intacct.Credentials(
            sender_id=creds["sender_id"],
            sender_password=creds["sender_password"],
            company_id=creds["company_id"],
            user_id=creds["user_id"],
            user_password=creds["user_password"],
        )
        with intacct.Client(credentials, endpoint=server.endpoint) as client:
            yield client


@pytest.mark.parametrize(("vector_id", "vector"), ALL, ids=[v[0] for v in ALL])
def test_vector_against_the_sandbox(
    sandbox_client: intacct.Client, vector_id: str, vector: dict[str, Any]
) -> None:
    _check_format(vector)
    run_vector(sandbox_client, vector, run_id(vector_id))


def _live_client() -> intacct.Client:
    env = os.environ
    credentials = intacct.Credentials(
        sender_id=env["INTACCT_LIVE_SENDER_ID"],
        sender_password=env["INTACCT_LIVE_SENDER_PASSWORD"],
        company_id=env["INTACCT_LIVE_COMPANY_ID"],
        user_id=env["INTACCT_LIVE_USER_ID"],
        user_password=env["INTACCT_LIVE_USER_PASSWORD"],
        entity_id=env.get("INTACCT_LIVE_ENTITY_ID") or None,
    )
    endpoint = env.get("INTACCT_LIVE_ENDPOINT")
    return intacct.Client(credentials, **({"endpoint": endpoint} if endpoint else {}))


@pytest.mark.live_verified
@pytest.mark.parametrize(("vector_id", "vector"), ALL, ids=[v[0] for v in ALL])
def test_vector_against_intacct(vector_id: str, vector: dict[str, Any]) -> None:
    missing = [name for name in LIVE_VARS if not os.environ.get(name)]
    if os.environ.get("INTACCT_LIVE") != "1" or missing:
        pytest.skip(
            "live Intacct run not configured: set INTACCT_LIVE=1 and "
            + ", ".join(missing or LIVE_VARS)
            + " (docs/sandbox.md, conformance suite)"
        )
    if vector.get("sandbox_only"):
        pytest.skip(f"sandbox only: {vector['sandbox_only']}")
    with _live_client() as client:
        run_vector(client, vector, run_id(vector_id))
