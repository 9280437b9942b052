"""The pytest plugin's fixtures, used as another project would (the entry point registers them)."""

from __future__ import annotations

import importlib.metadata

import httpx
from gateway_helpers import envelope, fn
from lxml import etree

from intacct_sandbox.pytest_plugin import SandboxHandle

READ = (
    "<readByQuery><object>CUSTOMER</object><fields>CUSTOMERID</fields><query/>"
    "<pagesize>1</pagesize></readByQuery>"
)


def test_entry_point_is_registered() -> None:
    points = importlib.metadata.entry_points(group="pytest11")
    assert any(p.name == "intacct_sandbox" and p.value == "intacct_sandbox.pytest_plugin" for p in points)


def test_handle_gives_a_running_seeded_sandbox(intacct_sandbox: SandboxHandle) -> None:
    creds = intacct_sandbox.credentials
    assert creds["endpoint"] == intacct_sandbox.endpoint == intacct_sandbox.url + "/ia/xml/xmlgw.phtml"
    response = httpx.post(intacct_sandbox.endpoint, content=envelope(creds, fn(READ)).encode())
    doc = etree.fromstring(response.content)
    assert doc.findtext("operation/result/status") == "success"
    # the control handle changes what the server serves
    intacct_sandbox.control.fault("rate-limit")
    assert httpx.post(intacct_sandbox.endpoint, content=envelope(creds, fn(READ)).encode()).status_code == 429


def test_each_test_starts_clean(intacct_sandbox: SandboxHandle) -> None:
    # the previous test's fault is gone and the data is the seeded demo again
    creds = intacct_sandbox.credentials
    assert httpx.post(intacct_sandbox.endpoint, content=envelope(creds, fn(READ)).encode()).status_code == 200
    company = creds["company_id"]
    seeded = intacct_sandbox.control.count(company, "CUSTOMER")
    intacct_sandbox.control.mutate(company, "CUSTOMER", delete=2)
    assert intacct_sandbox.control.count(company, "CUSTOMER") == seeded - 2


def test_state_is_reset_between_tests(intacct_sandbox: SandboxHandle) -> None:
    company = intacct_sandbox.credentials["company_id"]
    assert intacct_sandbox.control.count(company, "CUSTOMER") == len(
        intacct_sandbox.control.records(company, "CUSTOMER")
    )
    assert intacct_sandbox.control.stats()["requests"] == 0


def test_server_fixture_is_shared(intacct_sandbox_server: object, intacct_sandbox: SandboxHandle) -> None:
    assert intacct_sandbox.server is intacct_sandbox_server


def test_another_project_gets_the_fixtures_from_the_entry_point(tmp_path: object) -> None:
    import subprocess
    import sys
    from pathlib import Path

    project = Path(str(tmp_path))
    (project / "test_theirs.py").write_text(
        "import urllib.request\n"
        "def test_uses_the_sandbox(intacct_sandbox):\n"
        "    creds = intacct_sandbox.credentials\n"
        "    assert creds['endpoint'].startswith('http://127.0.0.1:')\n"
        "    with urllib.request.urlopen(intacct_sandbox.url + '/_sandbox/stats') as r:\n"
        "        assert r.status == 200\n"
    )
    (project / "pytest.ini").write_text("[pytest]\n")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:django", str(project)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
