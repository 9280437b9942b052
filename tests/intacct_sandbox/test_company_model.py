"""The company setup model, each step enforced with its error: subscription, sender authorizations,
users, roles and permissions, smart rules."""

from __future__ import annotations

import pytest
from gateway_helpers import envelope, errors, fn, seeded

from intacct_sandbox.company.model import ModelError

READ_INV = "<readByQuery><object>ARINVOICE</object><fields>RECORDNO</fields><query/></readByQuery>"
READ_CUST = (
    "<readByQuery><object>CUSTOMER</object><fields>CUSTOMERID</fields><query/>"
    "<pagesize>1</pagesize></readByQuery>"
)


def test_wrong_sender_password_is_a_control_failure() -> None:
    _sb, creds, client = seeded()
    doc = client.post(envelope(creds, fn(READ_CUST), sender_password="nope"))
    assert doc.findtext("control/status") == "failure"
    assert errors(doc) == [("XL03000006", "", "Incorrect Intacct XML Partner ID or password.", "")]
    assert doc.find("operation") is None


def test_web_services_subscription_off() -> None:
    sb, creds, client = seeded()
    sb.control.set_web_services(creds["company_id"], False)
    doc = client.post(envelope(creds, fn(READ_CUST)))
    assert doc.findtext("control/status") == "success"
    assert doc.findtext("operation/authentication/status") == "failure"
    assert "not authorized for XML transactions" in errors(doc)[0][2]
    assert "subscribe to the XML Gateway" in errors(doc)[0][2]
    sb.control.set_web_services(creds["company_id"], True)
    assert (
        client.post(envelope(creds, fn(READ_CUST))).findtext("operation/authentication/status") == "success"
    )


def test_sender_authorization_is_case_sensitive_and_can_be_inactive() -> None:
    sb, creds, client = seeded()
    company = creds["company_id"]
    upper = creds["sender_id"].upper()
    sb.control.register_sender(upper, "pw")
    doc = client.post(envelope(creds, fn(READ_CUST), sender_id=upper, sender_password="pw"))
    assert doc.findtext("operation/authentication/status") == "failure"
    assert errors(doc) == [
        (
            "XL03000006",
            "Invalid Web Services Authorization",
            f"The sender ID '{upper}' is not authorized to make Web Services requests "
            f"to company ID '{company}'.",
            "Contact the company administrator to grant Web Services authorization to this sender ID.",
        )
    ]
    sb.control.authorize_sender(company, creds["sender_id"], active=False)
    assert errors(client.post(envelope(creds, fn(READ_CUST))))[0][1] == "Invalid Web Services Authorization"


@pytest.mark.parametrize("change", [{"status": "inactive"}, {"status": "lockedout"}, {"password": "changed"}])
def test_user_sign_in_refused(change: dict[str, str]) -> None:
    sb, creds, client = seeded()
    sb.control.set_user(creds["company_id"], creds["user_id"], **change)
    doc = client.post(envelope(creds, fn(READ_CUST)))
    assert doc.findtext("operation/authentication/status") == "failure"
    assert errors(doc) == [("XL03000006", "", "Sign-in information is incorrect", "")]
    assert doc.find("operation/result") is None


def test_unknown_company_or_user_and_case_insensitive_ids() -> None:
    _sb, creds, client = seeded()
    assert errors(client.post(envelope({**creds, "company_id": "NOPE"}, fn(READ_CUST))))[0][2].startswith(
        "Sign-in"
    )
    assert errors(client.post(envelope({**creds, "user_id": "nobody"}, fn(READ_CUST))))[0][2].startswith(
        "Sign-in"
    )
    mixed = {**creds, "company_id": creds["company_id"].lower(), "user_id": creds["user_id"].upper()}
    assert (
        client.post(envelope(mixed, fn(READ_CUST))).findtext("operation/authentication/status") == "success"
    )


def test_role_permissions_per_object_and_letter() -> None:
    sb, creds, client = seeded()
    company = creds["company_id"]
    sb.control.create_role(company, "Customers only", {"CUSTOMER": "LV"})
    sb.control.create_user(company, "reader", "pw", roles=["Customers only"])
    reader = {**creds, "user_id": "reader", "user_password": "pw"}
    assert client.one(reader, READ_CUST).findtext("status") == "success"
    denied = client.one(reader, READ_INV)
    assert denied.findtext("status") == "failure"
    assert errors(denied) == [
        (
            "PL04000005",
            "",
            "You do not have permission for API operation READ_BY_QUERY on objects of type arinvoice",
            "",
        )
    ]
    create = client.one(
        reader, "<create><CUSTOMER><CUSTOMERID>NEW1</CUSTOMERID><NAME>N</NAME></CUSTOMER></create>"
    )
    assert create.findtext("status") == "failure"
    assert "API operation CREATE on objects of type customer" in errors(create)[0][2]
    sb.control.set_user(company, "reader", roles=["Customers only", "Full Access"])
    assert client.one(reader, READ_INV).findtext("status") == "success"


def test_smart_rule_rejects_matching_writes_only() -> None:
    sb, creds, client = seeded()
    company = creds["company_id"]
    sb.control.add_smart_rule(
        company,
        "CUSTOMER",
        "add",
        "NAME = 'Forbidden Inc' OR CREDITLIMIT > 50000",
        "Customers named Forbidden Inc or with a big limit need approval.",
    )
    bad = client.one(
        creds, "<create><CUSTOMER><CUSTOMERID>SR1</CUSTOMERID><NAME>Forbidden Inc</NAME></CUSTOMER></create>"
    )
    assert bad.findtext("status") == "failure"
    assert "need approval" in errors(bad)[0][2]
    ok = client.one(
        creds, "<create><CUSTOMER><CUSTOMERID>SR2</CUSTOMERID><NAME>Fine Inc</NAME></CUSTOMER></create>"
    )
    assert ok.findtext("status") == "success"
    ids = {r["CUSTOMERID"] for r in sb.control.records(company, "CUSTOMER")}
    assert "SR1" not in ids and "SR2" in ids


def test_model_refuses_bad_setup() -> None:
    sb, creds, _ = seeded()
    company = creds["company_id"]
    with pytest.raises(ModelError):
        sb.control.create_role(company, "bad", {"CUSTOMER": "LX"})
    with pytest.raises(ModelError):
        sb.control.create_user(company, "x", "pw", roles=["no such role"])
    with pytest.raises(ModelError):
        sb.control.create_user(company, "y", "pw", entities=["E999"])
    with pytest.raises(ModelError):
        sb.control.create_company(company)
    with pytest.raises(ModelError):
        sb.control.create_company("TZ", timezone="Mars/Olympus")
    with pytest.raises(ValueError):
        sb.control.add_smart_rule(company, "CUSTOMER", "add", "NAME = ", "m")
    # nothing half-written: the failed user does not exist
    assert "x" not in sb.control.show()["companies"][0]["users"]


def test_model_persists_in_the_state_file(tmp_path: object) -> None:
    from pathlib import Path

    from intacct_sandbox import Sandbox

    path = str(Path(str(tmp_path)) / "state.sqlite3")
    sb = Sandbox(path)
    creds = sb.seed_demo(seed=1, customers=5)
    sb.close()
    again = Sandbox(path)
    from gateway_helpers import Client

    assert Client(again).one(creds, READ_CUST).findtext("status") == "success"
    again.close()


def test_a_new_multi_entity_company_serves_its_entities() -> None:
    from gateway_helpers import Client

    from intacct_sandbox import Sandbox

    sb = Sandbox()
    control = sb.control
    control.create_company("ACME", entities=["E1", "E2"], timezone="Europe/Paris")
    control.register_sender("snd", "spw")
    control.authorize_sender("ACME", "snd")
    control.create_role("ACME", "all", {"*": "LVAED"})
    control.create_user("ACME", "u", "pw", roles=["all"])
    creds = {
        "sender_id": "snd",
        "sender_password": "spw",
        "company_id": "ACME",
        "user_id": "u",
        "user_password": "pw",
    }
    client = Client(sb)
    result = client.one(
        creds, "<readByQuery><object>LOCATION</object><fields>LOCATIONID</fields><query/></readByQuery>"
    )
    assert sorted(r.findtext("LOCATIONID") for r in result.find("data")) == ["E1", "E2"]
    created = client.one(
        creds, "<create><CLASS><CLASSID>K1</CLASSID><NAME>k</NAME></CLASS></create>", location="E1"
    )
    assert created.findtext("status") == "success"
    (stored,) = control.records("ACME", "CLASS")
    assert stored["WHENCREATED"]
    users = control.records("ACME", "USERINFO")
    assert [u["LOGINID"] for u in users] == ["u"]


def test_roles_may_grant_a_whole_module() -> None:
    sb, creds, client = seeded()
    company = creds["company_id"]
    sb.control.create_role(company, "AR clerk", {"module:AR": "LV"})
    sb.control.create_user(company, "clerk", "pw", roles=["AR clerk"])
    clerk = {**creds, "user_id": "clerk", "user_password": "pw"}
    assert client.one(clerk, READ_INV).findtext("status") == "success"
    assert client.one(clerk, READ_CUST).findtext("status") == "success"
    bills = client.one(clerk, "<readByQuery><object>APBILL</object><query/></readByQuery>")
    assert "objects of type apbill" in errors(bills)[0][2]
    with pytest.raises(ModelError):
        sb.control.create_role(company, "typo", {"CUSTOMRE": "LV"})
    with pytest.raises(ModelError):
        sb.control.create_role(company, "typo", {"module:XX": "LV"})
