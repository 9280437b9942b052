"""Fidelity: `sageintacctsdk` (PyPI) on the General Ledger, Company, Time & Expenses and generic-read
functions, pointed at a running sandbox and otherwise unmodified: attachments and folders, journal entries
written the way its best-known user (Fyle) writes them (lower-case names, AMOUNT, tax entries, custom
fields), expense types and reports, reimbursements, allocations, dimensions and the object list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sageintacctsdk import SageIntacctSDK
from sageintacctsdk.apis.api_base import ApiBase

from intacct_sandbox import Sandbox, SandboxServer


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Sandbox, dict[str, Any]]]:
    sb = Sandbox()
    creds = sb.seed_demo(seed=5, customers=20, vendors=5)
    with SandboxServer(sb) as server:
        yield sb, {**creds, "endpoint": server.endpoint}


@pytest.fixture
def sdk(served: tuple[Sandbox, dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> SageIntacctSDK:
    _sb, creds = served
    original = ApiBase.__init__

    def pointed(self: ApiBase, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self._ApiBase__api_url = creds["endpoint"]  # type: ignore[attr-defined]

    monkeypatch.setattr(ApiBase, "__init__", pointed)
    return SageIntacctSDK(
        sender_id=creds["sender_id"],
        sender_password=creds["sender_password"],
        user_id=creds["user_id"],
        company_id=creds["company_id"],
        user_password=creds["user_password"],
    )


def test_attachments_and_folders(sdk: SageIntacctSDK) -> None:
    assert sdk.attachments.create_attachments_folder({"supdocfoldername": "FyleAttachments"})["status"] == (
        "success"
    )
    posted = sdk.attachments.post(
        {
            "supdocid": "EXP-1",
            "supdocfoldername": "FyleAttachments",
            "attachments": {
                "attachment": [
                    {"attachmentname": "receipt", "attachmenttype": "pdf", "attachmentdata": "JVBERi0xLjQ="}
                ]
            },
        }
    )
    assert (posted["status"], posted["key"]) == ("success", "EXP-1")
    folder = sdk.attachments.get_folder("name", "FyleAttachments")
    assert folder["data"]["supdocfolder"]["key"] == "FyleAttachments"
    found = sdk.attachments.get_attachment("supdocid", "EXP-1")
    assert found["data"]["supdoc"]["foldername"] == "FyleAttachments"
    assert [f["key"] for f in _as_list(sdk.attachments.get_all_folders())] == ["FyleAttachments"]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_journal_entry_as_fyle_writes_it(sdk: SageIntacctSDK, served: tuple[Sandbox, dict[str, Any]]) -> None:
    sb, creds = served
    line = {
        "currency": "USD",
        "description": "Taxi",
        "department": "D100",
        "location": None,
        "projectid": None,
        "customerid": None,
        "vendorid": None,
        "employeeid": "EMP001",
        "classid": None,
        "itemid": None,
        "taskid": None,
        "costtypeid": None,
        "allocation": None,
        "customfields": {
            "customfield": [
                {"customfieldname": "FYLE_EXPENSE_URL", "customfieldvalue": "https://example.test/e/1"}
            ]
        },
    }
    debit = {**line, "accountno": "6000", "amount": 45.5, "tr_type": 1, "billable": False}
    credit = {**line, "accountno": "1010", "amount": 45.5, "tr_type": -1, "billable": None}
    payload = {
        "recordno": None,
        "journal": "FYLE_JE",
        "batch_date": "6/3/2026",
        "batch_title": "Fyle expenses",
        "supdocid": None,
        "entries": [{"glentry": [credit, debit]}],
    }
    created = sdk.journal_entries.post(payload)
    assert created["status"] == "success"
    key = created["data"]["glbatch"]["RECORDNO"]
    entry = sdk.journal_entries.get(field="RECORDNO", value=key)["glbatch"]
    assert entry["JOURNAL"] == "FYLE_JE" and entry["BATCH_DATE"] == "06/03/2026"
    lines = [r for r in sb.control.records(creds["company_id"], "GLENTRY") if r["BATCHNO"] == key]
    assert sorted((ln["ACCOUNTNO"], ln["TR_TYPE"], ln["TRX_AMOUNT"]) for ln in lines) == [
        ("1010", "-1", "45.5"),
        ("6000", "1", "45.5"),
    ]


def test_expense_types_reports_and_reimbursements(
    sdk: SageIntacctSDK, served: tuple[Sandbox, dict[str, Any]]
) -> None:
    sb, creds = served
    assert sdk.expense_types.post({"ACCOUNTLABEL": "Meals", "DESCRIPTION": "Meals", "GLACCOUNTNO": "6000"})[
        "status"
    ] == ("success")
    assert [t["ACCOUNTLABEL"] for t in sdk.expense_types.get_all()] == ["Meals"]
    report = sdk.expense_reports.post(
        {
            "employeeid": "EMP003",
            "datecreated": {"year": 2026, "month": 6, "day": 2},
            "state": "Submitted",
            "description": "June",
            "expenses": {
                "expense": [
                    {"expensetype": "Meals", "amount": 30.25, "memo": "lunch", "departmentid": "D100"},
                    {"glaccountno": "6000", "amount": 10, "memo": "parking"},
                ]
            },
        }
    )
    key = report["key"]
    sdk.attachments.create_attachments_folder({"supdocfoldername": "Reports"})
    sdk.attachments.post({"supdocid": "R-1", "supdocfoldername": "Reports"})
    assert sdk.expense_reports.update_attachment(key, "R-1")["status"] == "success"
    read = sdk.expense_reports.get(field="RECORDNO", value=key)["eexpenses"]
    assert (read["STATE"], read["TOTALENTERED"], read["TOTALDUE"]) == ("Submitted", "40.25", "40.25")
    paid = sdk.reimbursements.post(
        {
            "bankaccountid": "BOA",
            "employeeid": "EMP003",
            "memo": "June",
            "paymentmethod": "Cash",
            "paymentdate": {"year": 2026, "month": 7, "day": 1},
            "eppaymentrequestitems": {"eppaymentrequestitem": [{"key": key, "paymentamount": "40.25"}]},
        }
    )
    assert paid["status"] == "success"
    assert [p["AMOUNT"] for p in _as_list(sdk.reimbursements.get_all())] == ["40.25"]
    (stored,) = [r for r in sb.control.records(creds["company_id"], "EEXPENSES") if r["RECORDNO"] == key]
    assert (stored["STATE"], stored["SUPDOCID"]) == ("Paid", "R-1")


def test_allocations_and_their_entries(sdk: SageIntacctSDK) -> None:
    created = sdk.allocations.post(
        {
            "ALLOCATIONID": "HALF",
            "TYPE": "Percentage",
            "ALLOCATIONENTRIES": {
                "ALLOCATIONENTRY": [
                    {"VALUE": 50, "DEPARTMENTID": "D100"},
                    {"VALUE": 50, "DEPARTMENTID": "D200"},
                ]
            },
        }
    )
    assert created["status"] == "success"
    assert [a["ALLOCATIONID"] for a in sdk.allocations.get_all()] == ["HALF"]
    entries = [e for page in sdk.allocation_entry.get_all_generator() for e in page]
    assert sorted((e["ALLOCATIONID"], e["DEPARTMENTID"]) for e in entries) == [
        ("HALF", "D100"),
        ("HALF", "D200"),
    ]


def test_dimensions_and_objects(sdk: SageIntacctSDK) -> None:
    dimensions = sdk.dimensions.get_all()
    assert {d["objectName"] for d in dimensions} >= {"DEPARTMENT", "LOCATION", "PROJECT", "CLASS"}
    objects = sdk.dimensions.inspect_objects()
    assert int(objects["@count"]) == len(objects["type"]) > 30


def test_ledger_detail_cost_types_and_payment_types(
    sdk: SageIntacctSDK, served: tuple[Sandbox, dict[str, Any]]
) -> None:
    sb, creds = served
    entry = {
        "journal": "GJ",
        "batch_date": "06/10/2026",
        "batch_title": "detail",
        "entries": [
            {
                "glentry": [
                    {"accountno": "6000", "amount": 12, "tr_type": 1, "department": "D100"},
                    {"accountno": "1010", "amount": 12, "tr_type": -1},
                ]
            }
        ],
    }
    key = sdk.journal_entries.post(entry)["data"]["glbatch"]["RECORDNO"]
    detail = [d for d in sdk.gl_detail.get_all() if d["BATCHKEY"] == key]
    assert sorted((d["ACCOUNTNO"], d["DEBITAMOUNT"], d["CREDITAMOUNT"]) for d in detail) == [
        ("1010", "0", "12"),
        ("6000", "12", "0"),
    ]
    assert {d["SYMBOL"] for d in detail} == {"GJ"}
    project = sb.control.records(creds["company_id"], "PROJECT")[0]
    task = next(
        t for t in sb.control.records(creds["company_id"], "TASK") if t["PROJECTID"] == project["PROJECTID"]
    )
    sdk.cost_types.post(
        {"PROJECTID": project["PROJECTID"], "TASKID": task["TASKID"], "COSTTYPEID": "LAB", "NAME": "Labor"}
    )
    (cost_type,) = sdk.cost_types.get_all()
    assert (cost_type["PROJECTNAME"], cost_type["TASKNAME"], cost_type["COSTTYPEID"]) == (
        project["NAME"],
        task["NAME"],
        "LAB",
    )
    sdk.expense_payment_types.post(
        {"NAME": "Company card", "NONREIMBURSABLE": "true", "OFFSETACCTNO": "2000"}
    )
    (payment_type,) = sdk.expense_payment_types.get_all()
    assert (payment_type["NONREIMBURSABLE"], payment_type["OFFSETACCTNO"]) == ("true", "2000")


def test_location_entities_follow_the_entity_locations(
    sdk: SageIntacctSDK, served: tuple[Sandbox, dict[str, Any]]
) -> None:
    sb, creds = served
    entities = sdk.location_entities.get_all()
    assert sorted(e["LOCATIONID"] for e in entities) == sorted(creds["entity_ids"])
    sdk.locations.post({"LOCATIONID": "E300", "NAME": "Third entity", "ENTITY": "true"})
    sdk.locations.update({"LOCATIONID": "E100", "NAME": "Renamed entity"})
    by_id = {e["LOCATIONID"]: e for e in sdk.location_entities.get_all()}
    assert by_id["E300"]["NAME"] == "Third entity" and by_id["E100"]["NAME"] == "Renamed entity"
    location = next(
        r for r in sb.control.records(creds["company_id"], "LOCATION") if r["LOCATIONID"] == "E300"
    )
    assert by_id["E300"]["RECORDNO"] == location["RECORDNO"]
