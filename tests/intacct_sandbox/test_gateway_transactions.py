"""Transactions (XL03000009 rollback / aborted), per-function independence and uniqueid replay protection."""

from __future__ import annotations

from gateway_helpers import envelope, errors, fn, seeded

ROLLED_BACK = "The entire transaction in this operation has been rolled back due to an error."


def _class(class_id: str) -> str:
    return f"<create><CLASS><CLASSID>{class_id}</CLASSID><NAME>{class_id}</NAME></CLASS></create>"


def test_transaction_true_rolls_back_everything_and_aborts_the_rest() -> None:
    sb, creds, client = seeded()
    before = sb.control.count(creds["company_id"], "CLASS")
    content = fn(_class("T1"), "f1") + fn(_class("T1"), "f2") + fn(_class("T3"), "f3")
    f1, f2, f3 = client.results(envelope(creds, content, transaction=True))
    assert f1.findtext("status") == "aborted" and errors(f1) == [("XL03000009", "", ROLLED_BACK, "")]
    assert f1.find("data") is None
    assert f2.findtext("status") == "failure"
    codes = [e[0] for e in errors(f2)]
    assert codes == ["BL34000061", "BL01001973", "XL03000009"]
    assert f3.findtext("status") == "aborted" and [e[0] for e in errors(f3)] == ["XL03000009"]
    assert sb.control.count(creds["company_id"], "CLASS") == before


def test_transaction_false_keeps_what_succeeded() -> None:
    sb, creds, client = seeded()
    before = sb.control.count(creds["company_id"], "CLASS")
    f1, f2 = client.results(envelope(creds, fn(_class("P1"), "f1") + fn(_class("P1"), "f2")))
    assert f1.findtext("status") == "success" and f1.findtext("data/class/CLASSID") == "P1"
    assert f2.findtext("status") == "failure"
    assert "XL03000009" not in [e[0] for e in errors(f2)]
    assert sb.control.count(creds["company_id"], "CLASS") == before + 1


def test_a_failed_function_leaves_no_partial_state_inside_a_transaction() -> None:
    sb, creds, client = seeded()
    before = sb.control.count(creds["company_id"], "CLASS")
    two = (
        "<create><CLASS><CLASSID>Q1</CLASSID><NAME>a</NAME></CLASS>"
        "<CLASS><CLASSID>Q1</CLASSID><NAME>b</NAME></CLASS></create>"
    )
    (result,) = client.results(envelope(creds, fn(two), transaction=True))
    assert result.findtext("status") == "failure"
    assert sb.control.count(creds["company_id"], "CLASS") == before


def test_uniqueid_true_never_runs_a_completed_controlid_again() -> None:
    sb, creds, client = seeded()
    before = sb.control.count(creds["company_id"], "CLASS")
    body = envelope(creds, fn(_class("U1"), "create-U1"), uniqueid="true")
    (first,) = client.results(body)
    assert first.findtext("status") == "success"
    (again,) = client.results(body)
    assert again.findtext("status") == "failure"
    (err,) = errors(again)
    assert err[0] == "XL03000008" and "create-U1" in err[2] and "already been executed" in err[2]
    assert sb.control.count(creds["company_id"], "CLASS") == before + 1
    # uniqueid=false runs it again (and meets the duplicate record)
    (plain,) = client.results(envelope(creds, fn(_class("U1"), "create-U1"), uniqueid="false"))
    assert errors(plain)[0][0] == "BL34000061"


def test_uniqueid_omitted_defaults_to_true() -> None:
    _sb, creds, client = seeded()
    body = envelope(creds, fn(_class("D1"), "same"), uniqueid=None)
    assert client.results(body)[0].findtext("status") == "success"
    doc = client.post(body)
    assert doc.findtext("control/uniqueid") == "true"
    assert errors(doc.find("operation/result"))[0][0] == "XL03000008"


def test_a_failed_controlid_may_be_retried_with_uniqueid() -> None:
    sb, creds, client = seeded()
    body = envelope(
        creds, fn(_class("R1"), "retry-me") + fn(_class("R1"), "dup"), uniqueid="true", transaction=True
    )
    assert [r.findtext("status") for r in client.results(body)] == ["aborted", "failure"]
    fixed = envelope(creds, fn(_class("R1"), "retry-me"), uniqueid="true", transaction=True)
    assert client.results(fixed)[0].findtext("status") == "success"
    assert any(r["CLASSID"] == "R1" for r in sb.control.records(creds["company_id"], "CLASS"))


def test_replay_protection_is_per_company_and_sender() -> None:
    sb, creds, client = seeded()
    sb.control.create_company("OTHER")
    sb.control.authorize_sender("OTHER", creds["sender_id"])
    sb.control.create_role("OTHER", "all", {"*": "LVAED"})
    sb.control.create_user("OTHER", "u", "pw", roles=["all"])
    other = {**creds, "company_id": "OTHER", "user_id": "u", "user_password": "pw"}
    assert (
        client.results(envelope(creds, fn(_class("S1"), "x"), uniqueid="true"))[0].findtext("status")
        == "success"
    )
    assert (
        client.results(envelope(other, fn(_class("S1"), "x"), uniqueid="true"))[0].findtext("status")
        == "success"
    )


def test_partial_records_of_a_failed_write() -> None:
    sb, creds, client = seeded()
    two = (
        "<create><CLASS><CLASSID>PR1</CLASSID><NAME>a</NAME></CLASS>"
        "<CLASS><CLASSID>PR1</CLASSID><NAME>b</NAME></CLASS></create>"
    )
    (kept,) = client.results(envelope(creds, fn(two)))
    assert kept.findtext("status") == "failure"
    assert kept.find("data").attrib == {"listtype": "objects", "count": "1"}
    assert kept.findtext("data/class/CLASSID") == "PR1"
    assert sum(r["CLASSID"] == "PR1" for r in sb.control.records(creds["company_id"], "CLASS")) == 1
    two = two.replace("PR1", "PR2")
    (rolled,) = client.results(envelope(creds, fn(two), transaction=True))
    assert rolled.find("data").attrib == {"listtype": "objects", "count": "0"}
    assert not any(r["CLASSID"] == "PR2" for r in sb.control.records(creds["company_id"], "CLASS"))
