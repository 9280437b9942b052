"""The intacct-sandbox CLI: serve with a demo and credentials file, and admin commands on a state file
and on a running server."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from gateway_helpers import envelope, fn
from lxml import etree

from intacct_sandbox import Sandbox, SandboxServer
from intacct_sandbox.cli import main

READ = (
    "<readByQuery><object>CUSTOMER</object><fields>CUSTOMERID</fields><query/>"
    "<pagesize>1</pagesize></readByQuery>"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code = main(list(argv))
    out = capsys.readouterr().out.strip()
    return code, (json.loads(out) if out else None)


def test_serve_demo_writes_credentials_and_answers(tmp_path: Path) -> None:
    creds_file = tmp_path / "creds.json"
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "intacct_sandbox.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--demo",
            "--credentials-out",
            str(creds_file),
            "--customers",
            "30",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not creds_file.exists() or not creds_file.read_text().endswith("\n"):
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.05)
        creds = json.loads(creds_file.read_text())
        assert set(creds) >= {
            "endpoint",
            "sender_id",
            "sender_password",
            "company_id",
            "user_id",
            "user_password",
            "entity_ids",
            "gl_accounts",
        }
        assert creds["endpoint"] == f"http://127.0.0.1:{port}/ia/xml/xmlgw.phtml"
        assert creds["sender_id"] == "intacct_bridge_demo" and len(creds["entity_ids"]) == 2
        assert set(creds["gl_accounts"]) >= {"expense", "revenue", "accounts_receivable", "undeposited_funds"}
        response = httpx.post(creds["endpoint"], content=envelope(creds, fn(READ)).encode())
        doc = etree.fromstring(response.content)
        assert doc.find("operation/result/data").get("totalcount") == "30"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def _serve_once(tmp_path: Path, state: Path, name: str) -> dict[str, Any]:
    creds_file = tmp_path / name
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "intacct_sandbox.cli",
            "--state",
            str(state),
            "serve",
            "--port",
            str(port),
            "--demo",
            "--customers",
            "7",
            "--credentials-out",
            str(creds_file),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not creds_file.exists() or not creds_file.read_text().endswith("\n"):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        creds: dict[str, Any] = json.loads(creds_file.read_text())
        doc = etree.fromstring(
            httpx.post(creds["endpoint"], content=envelope(creds, fn(READ)).encode()).content
        )
        creds["totalcount"] = doc.find("operation/result/data").get("totalcount")
        return creds
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_restarts_on_its_state_file_with_new_passwords(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    first = _serve_once(tmp_path, state, "one.json")
    second = _serve_once(tmp_path, state, "two.json")
    assert first["totalcount"] == second["totalcount"] == "7"
    assert first["company_id"] == second["company_id"]
    assert first["user_password"] != second["user_password"]


def test_admin_commands_on_a_state_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = str(tmp_path / "s.sqlite3")
    base = ["--state", state]
    assert (
        _cli(capsys, *base, "company", "create", "ACME", "--entities", "E1,E2", "--timezone", "Europe/Paris")[
            0
        ]
        == 0
    )
    assert _cli(capsys, *base, "sender", "register", "snd", "spw")[0] == 0
    assert _cli(capsys, *base, "sender", "authorize", "ACME", "snd")[0] == 0
    assert (
        _cli(capsys, *base, "role", "create", "ACME", "ro", "--perm", "CUSTOMER=LV", "--perm", "VENDOR=LVAE")[
            0
        ]
        == 0
    )
    assert _cli(capsys, *base, "user", "create", "ACME", "u1", "pw", "--roles", "ro")[0] == 0
    assert _cli(capsys, *base, "entity", "grant", "ACME", "u1", "E1")[0] == 0
    assert _cli(capsys, *base, "smart-rule", "add", "ACME", "VENDOR", "add", "NAME = 'x'", "no x")[0] == 0
    assert _cli(capsys, *base, "company", "set", "ACME", "--web-services", "off")[0] == 0
    code, shown = _cli(capsys, *base, "show")
    assert code == 0
    (acme,) = shown["companies"]
    assert acme["timezone"] == "Europe/Paris" and acme["web_services"] is False
    assert acme["senders"] == {"snd": True}
    assert acme["users"]["u1"]["entities"] == ["E1"] and "password_hash" not in acme["users"]["u1"]
    assert acme["roles"]["ro"]["permissions"] == {"CUSTOMER": "LV", "VENDOR": "LVAE"}
    assert acme["smart_rules"][0]["message"] == "no x"
    # errors are reported, not raised
    assert main([*base, "role", "create", "ACME", "bad", "--perm", "CUSTOMER=QQ"]) == 1
    assert "unknown permission letters" in capsys.readouterr().err
    assert main([*base, "fault", "explode"]) == 1
    assert "unknown fault kind" in capsys.readouterr().err


def test_faults_set_on_a_state_file_apply_when_it_is_served(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = str(tmp_path / "s.sqlite3")
    _code, creds = _cli(capsys, "--state", state, "seed", "--customers", "3")
    assert _cli(capsys, "--state", state, "fault", "http-503", "--company", creds["company_id"])[0] == 0
    sb = Sandbox(state)
    with SandboxServer(sb) as server:
        assert httpx.post(server.endpoint, content=envelope(creds, fn(READ)).encode()).status_code == 503
    sb.close()
    assert _cli(capsys, "--state", state, "fault", "clear")[0] == 0
    assert _cli(capsys, "--state", state, "show")[1]["faults"] == []


def test_policy_and_clock_on_a_state_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = str(tmp_path / "s.sqlite3")
    assert _cli(capsys, "--state", state, "policy", "add", "P1", "http://127.0.0.1:9/cb")[0] == 0
    assert _cli(capsys, "--state", state, "clock", "set", "2024-05-01T10:00:00+00:00")[0] == 0
    assert _cli(capsys, "--state", state, "clock", "advance", "90")[0] == 0
    shown = _cli(capsys, "--state", state, "show")[1]
    assert shown["policies"] == {"P1": "http://127.0.0.1:9/cb"}
    assert shown["clock"] == "2024-05-01T10:01:30+00:00"
    sb = Sandbox(state)
    assert sb.now().isoformat() == "2024-05-01T10:01:30+00:00"
    sb.close()


def test_seed_and_mutate_on_a_state_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = str(tmp_path / "s.sqlite3")
    out = tmp_path / "c.json"
    code, creds = _cli(capsys, "--state", state, "seed", "--customers", "40", "--credentials-out", str(out))
    assert code == 0 and json.loads(out.read_text())["company_id"] == creds["company_id"]
    assert _cli(capsys, "--state", state, "count", "CUSTOMER")[1] == 40
    code, _result = _cli(
        capsys, "--state", state, "mutate", "CUSTOMER", "--change", "10%", "--delete", "5", "--add", "3"
    )
    assert code == 0
    assert _cli(capsys, "--state", state, "count", "CUSTOMER")[1] == 38
    # the state file holds it all: a new Sandbox on it serves the same records
    sb = Sandbox(state)
    assert sb.control.count(creds["company_id"], "CUSTOMER") == 38
    sb.close()


def test_commands_on_a_running_server(capsys: pytest.CaptureFixture[str]) -> None:
    sb = Sandbox()
    creds = sb.seed_demo(seed=1, customers=20)
    with SandboxServer(sb) as server:
        url = ["--url", server.url]
        assert (
            _cli(capsys, *url, "mutate", "CUSTOMER", "--change", "2", "--delete", "5", "--add", "3")[0] == 0
        )
        assert sb.control.count(creds["company_id"], "CUSTOMER") == 18
        code, rule = _cli(capsys, *url, "fault", "rate-limit", "--rate", "1", "--seed", "3")
        assert code == 0 and rule["kind"] == "rate-limit"
        assert httpx.post(server.endpoint, content=envelope(creds, fn(READ)).encode()).status_code == 429
        assert _cli(capsys, *url, "fault", "clear")[0] == 0
        assert httpx.post(server.endpoint, content=envelope(creds, fn(READ)).encode()).status_code == 200
        assert _cli(capsys, *url, "stats")[1]["requests"] >= 1
        assert _cli(capsys, *url, "clock", "set", "2024-05-01T10:00:00+00:00")[0] == 0
        assert sb.now().year == 2024
        assert _cli(capsys, *url, "reset")[0] == 0
        assert _cli(capsys, *url, "show")[1]["companies"] == []
        assert main(["--url", server.url, "user", "set", "NOPE", "x", "--status", "inactive"]) == 1
        assert "no company" in capsys.readouterr().err


def test_control_plane_is_loopback_only_and_token_protected() -> None:
    sb = Sandbox(control_token="s3cret")
    client = httpx.Client(
        transport=httpx.WSGITransport(app=sb.wsgi_app, remote_addr="10.1.2.3"), base_url="http://x"
    )
    assert client.get("/_sandbox/show").status_code == 403
    local = httpx.Client(transport=httpx.WSGITransport(app=sb.wsgi_app), base_url="http://x")
    assert local.get("/_sandbox/show").status_code == 403
    assert local.get("/_sandbox/show", headers={"X-Sandbox-Token": "s3cret"}).status_code == 200
    assert local.post("/_sandbox/nope", headers={"X-Sandbox-Token": "s3cret"}).status_code == 404
    bad = local.post("/_sandbox/create_company", json={"oops": 1}, headers={"X-Sandbox-Token": "s3cret"})
    assert bad.status_code == 400 and bad.json()["ok"] is False


def test_gateway_credentials_do_not_open_the_control_plane() -> None:
    sb = Sandbox(control_token="t")
    creds = sb.seed_demo(seed=1, customers=2)
    client = httpx.Client(transport=httpx.WSGITransport(app=sb.wsgi_app), base_url="http://x")
    response = client.post("/_sandbox/reset", auth=(creds["sender_id"], creds["sender_password"]))
    assert response.status_code == 403
    assert sb.control.count(creds["company_id"], "CUSTOMER") == 2


def test_ui_commands_for_the_ap_ar_psa_families(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    state = str(tmp_path / "state.sqlite3")
    _code, creds = _cli(
        capsys, "--state", state, "seed", "--customers", "5", "--bills", "4", "--invoices", "6"
    )
    company = creds["company_id"]
    base = ["--state", state]
    bill = next(b for b in Sandbox(path=state).control.records(company, "APBILL") if b["STATE"] == "Posted")
    code, paid = _cli(capsys, *base, "pay-bill", bill["RECORDNO"], bill["TOTALDUE"], "--date", "2026-11-20")
    assert code == 0 and (paid["STATE"], paid["WHENPAID"]) == ("Paid", "11/20/2026")
    assert main([*base, "pay-bill", bill["RECORDNO"], "1"]) == 1
    assert "paid in full already" in capsys.readouterr().err
    invoice = next(
        i for i in Sandbox(path=state).control.records(company, "ARINVOICE") if i["STATE"] == "Posted"
    )
    code, result = _cli(capsys, *base, "pay-invoice", invoice["RECORDNO"], "1.00", "--reference", "CHK-9")
    assert code == 0 and result["invoice"]["STATE"] == "Partially Paid"
    assert _cli(capsys, *base, "autonumber", "PROJECT", "on", "--prefix", "PX-")[0] == 0
    sheet = Sandbox(path=state).control.records(company, "TIMESHEET")[0]
    entries = sheet["TIMESHEETENTRIES"]["TIMESHEETENTRY"]
    assert _cli(capsys, *base, "delete-record", "TIMESHEETENTRY", entries[0]["RECORDNO"])[0] == 0
    after = Sandbox(path=state)
    assert after.control.count(company, "TIMESHEETENTRY") == len(
        [
            e
            for s in after.control.records(company, "TIMESHEET")
            for e in s["TIMESHEETENTRIES"]["TIMESHEETENTRY"]
        ]
    )
    payments = [p for p in after.control.records(company, "ARPYMT") if p["DOCNUMBER"] == "CHK-9"]
    assert len(payments) == 1
    from intacct_sandbox.objects.autonumber import is_on

    assert is_on(after.store, company, "PROJECT")
