"""Object rules through the write engine: required fields, keys, references, stamps, audit, entities."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

import intacct_sandbox.functions  # noqa: F401  (registers handlers)
from intacct_sandbox.functions.local import LocalContext, call
from intacct_sandbox.objects import all_objects, get_object
from intacct_sandbox.objects.writes import CLOSED_PERIOD_META, WriteContext, create, update
from intacct_sandbox.record_faults import (
    ClosedPeriod,
    DuplicateRecord,
    UpdateOfMissingRecord,
    ValidationFailed,
)
from intacct_sandbox.store import RecordStore

NOW = datetime(2024, 5, 1, 17, 0, 0, tzinfo=UTC)


@pytest.fixture
def ctx() -> LocalContext:
    c = LocalContext(RecordStore(), "ACME", "wsuser", now=NOW)
    call(
        c,
        """<create>
      <GLACCOUNT><ACCOUNTNO>6000</ACCOUNTNO><TITLE>Expense</TITLE></GLACCOUNT>
      <GLACCOUNT><ACCOUNTNO>4000</ACCOUNTNO><TITLE>Revenue</TITLE><ACCOUNTTYPE>incomestatement</ACCOUNTTYPE></GLACCOUNT>
      <GLACCOUNT><ACCOUNTNO>6999</ACCOUNTNO><TITLE>Old</TITLE><STATUS>inactive</STATUS></GLACCOUNT>
      <GLACCOUNT><ACCOUNTNO>1010</ACCOUNTNO><TITLE>Undeposited Funds</TITLE></GLACCOUNT>
      <VENDOR><VENDORID>V1</VENDORID><NAME>Regal Services</NAME></VENDOR>
      <VENDOR><VENDORID>V9</VENDORID><NAME>Gone</NAME><STATUS>inactive</STATUS></VENDOR>
      <CUSTOMER><CUSTOMERID>C1</CUSTOMERID><NAME>Acme</NAME></CUSTOMER>
      <CUSTOMER><CUSTOMERID>C2</CUSTOMERID><NAME>Beta</NAME></CUSTOMER>
      <DEPARTMENT><DEPARTMENTID>D1</DEPARTMENTID><TITLE>Ops</TITLE></DEPARTMENT>
    </create>""",
    )
    return c


def wc(ctx: LocalContext) -> WriteContext:
    return WriteContext.of(ctx)


def obj(name: str) -> Any:
    definition = get_object(name)
    assert definition is not None
    return definition


def test_every_object_has_recordno_and_known_field_types() -> None:
    for definition in all_objects():
        assert definition.fields[0].name == "RECORDNO"
        assert len(set(definition.field_names())) == len(definition.fields), definition.name
        if definition.id_field:
            assert definition.id_field in definition.by_name


def test_customer_defaults_and_stamps(ctx: LocalContext) -> None:
    row = ctx.store.get_by_id("ACME", "CUSTOMER", "C1")
    assert row["DISPLAYCONTACT.PRINTAS"] == "Acme"
    assert row["DISPLAYCONTACT.CONTACTNAME"] == "Acme(CC1)"
    assert row["STATUS"] == "active" and row["DISPLAYCONTACT.TAXABLE"] is True
    assert row["WHENCREATED"] == NOW and row["WHENMODIFIED"] is None
    user = ctx.store.get_by_id("ACME", "USERINFO", "wsuser")
    assert row["CREATEDBY"] == user["RECORDNO"] and row["MODIFIEDBY"] is None


def test_update_by_business_id_sets_whenmodified(ctx: LocalContext) -> None:
    later = LocalContext(ctx.store, "ACME", "other", now=datetime(2024, 5, 2, tzinfo=UTC))
    update(wc(later), obj("CUSTOMER"), {"CUSTOMERID": "C1", "NAME": "Acme Inc"})
    row = ctx.store.get_by_id("ACME", "CUSTOMER", "C1")
    assert row["NAME"] == "Acme Inc" and row["WHENMODIFIED"] == later.now
    assert row["MODIFIEDBY"] == ctx.store.get_by_id("ACME", "USERINFO", "other")["RECORDNO"]
    assert row["WHENCREATED"] == NOW


def test_update_of_missing_record(ctx: LocalContext) -> None:
    with pytest.raises(
        UpdateOfMissingRecord, match=r"Cannot update non-existing CUSTOMER with CUSTOMERID=C404\."
    ):
        update(wc(ctx), obj("CUSTOMER"), {"CUSTOMERID": "C404", "NAME": "x"})
    with pytest.raises(UpdateOfMissingRecord):
        update(wc(ctx), obj("CUSTOMER"), {"RECORDNO": "999", "NAME": "x"})


def test_required_fields_and_duplicates(ctx: LocalContext) -> None:
    with pytest.raises(ValidationFailed, match="NAME"):
        create(wc(ctx), obj("CUSTOMER"), {"CUSTOMERID": "C5"})
    with pytest.raises(ValidationFailed, match="CUSTOMERID"):
        create(wc(ctx), obj("CUSTOMER"), {"NAME": "No id"})
    with pytest.raises(DuplicateRecord) as info:
        create(wc(ctx), obj("CUSTOMER"), {"CUSTOMERID": "C1", "NAME": "Again"})
    assert [e.errorno for e in info.value.errors] == ["BL34000061", "BL01001973"]
    assert info.value.errors[0].description2 == "Another Customer with the given value(s) C1  already exists"
    with pytest.raises(ValidationFailed, match="The account number '6000' already exists"):
        create(wc(ctx), obj("GLACCOUNT"), {"ACCOUNTNO": "6000", "TITLE": "x"})


def test_bad_values_and_unknown_fields(ctx: LocalContext) -> None:
    with pytest.raises(ValidationFailed, match="STATUS"):
        create(wc(ctx), obj("CUSTOMER"), {"CUSTOMERID": "C7", "NAME": "x", "STATUS": "sleepy"})
    with pytest.raises(ValidationFailed, match="CREDITLIMIT"):
        create(wc(ctx), obj("CUSTOMER"), {"CUSTOMERID": "C7", "NAME": "x", "CREDITLIMIT": "lots"})
    with pytest.raises(ValidationFailed, match="Unknown field FAVCOLOR"):
        create(wc(ctx), obj("CUSTOMER"), {"CUSTOMERID": "C7", "NAME": "x", "FAVCOLOR": "red"})


def bill(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "VENDORID": "V1",
        "WHENCREATED": "01/31/2024",
        "WHENDUE": "02/28/2024",
        "APBILLITEMS": [
            {"ACCOUNTNO": "6000", "TRX_AMOUNT": "10.50"},
            {"ACCOUNTNO": "6000", "TRX_AMOUNT": "4.50", "DEPARTMENTID": "D1"},
        ],
    }
    data.update(changes)
    return data


def test_bill_totals_lines_and_state(ctx: LocalContext) -> None:
    row = create(wc(ctx), obj("APBILL"), bill())
    assert row["TOTALENTERED"] == Decimal("15.00") and row["TOTALDUE"] == Decimal("15.00")
    assert row["STATE"] == "Posted" and row["VENDORNAME"] == "Regal Services"
    assert row["WHENCREATED"] == date(2024, 1, 31) and row["AUWHENCREATED"] == NOW
    lines = ctx.store.children("ACME", "APBILLITEM", row["RECORDNO"])
    assert [(line["LINE_NO"], line["ACCOUNTTITLE"]) for line in lines] == [(0, "Expense"), (1, "Expense")]
    assert ctx.store.get_by_id("ACME", "VENDOR", "V1")["TOTALDUE"] == Decimal("15.00")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"VENDORID": "V404"}, "Invalid Vendor 'V404' specified."),
        ({"VENDORID": "V9"}, "Vendor 'V9' is inactive"),
        ({"APBILLITEMS": [{"ACCOUNTNO": "7777", "TRX_AMOUNT": "1"}]}, "Invalid GL Account '7777'"),
        ({"APBILLITEMS": [{"ACCOUNTNO": "6999", "TRX_AMOUNT": "1"}]}, "GL Account '6999' is inactive"),
        (
            {"APBILLITEMS": [{"ACCOUNTNO": "6000", "TRX_AMOUNT": "1", "DEPARTMENTID": "D9"}]},
            "Invalid Department",
        ),
        ({"APBILLITEMS": [{"TRX_AMOUNT": "1"}]}, "ACCOUNTNO or ACCOUNTLABEL"),
        ({"APBILLITEMS": [{"ACCOUNTNO": "6000"}]}, "TRX_AMOUNT"),
        ({"APBILLITEMS": []}, "at least 1 line"),
        ({"WHENDUE": None, "TERMNAME": "Due on receipt"}, "WHENDUE"),
    ],
)
def test_bill_references_are_checked(ctx: LocalContext, changes: dict[str, Any], message: str) -> None:
    data = {k: v for k, v in bill(**changes).items() if v is not None}
    with pytest.raises(ValidationFailed, match=message):
        create(wc(ctx), obj("APBILL"), data)
    assert ctx.store.count("ACME", "APBILL") == 0


def test_net_terms_give_a_due_date_and_drafts_skip_checks(ctx: LocalContext) -> None:
    row = create(wc(ctx), obj("APBILL"), {**bill(), "WHENDUE": "", "TERMNAME": "N30"})
    assert row["WHENDUE"] == date(2024, 3, 1)
    draft = create(
        wc(ctx), obj("APBILL"), {"ACTION": "Draft", "APBILLITEMS": [{"ACCOUNTNO": "6000", "TRX_AMOUNT": "1"}]}
    )
    assert draft["STATE"] == "Draft"


def test_closed_period_rejects_dates_in_it(ctx: LocalContext) -> None:
    ctx.store.set_meta(CLOSED_PERIOD_META.format(company="ACME"), "01/31/2024")
    with pytest.raises(ClosedPeriod, match="closed period"):
        create(wc(ctx), obj("APBILL"), bill())
    assert create(wc(ctx), obj("APBILL"), bill(WHENCREATED="02/01/2024"))["STATE"] == "Posted"


def test_employee_needs_existing_contact_and_department(ctx: LocalContext) -> None:
    with pytest.raises(ValidationFailed, match="Invalid Contact"):
        create(wc(ctx), obj("EMPLOYEE"), {"EMPLOYEEID": "E1", "PERSONALINFO": {"CONTACTNAME": "Nobody"}})
    create(
        wc(ctx),
        obj("CONTACT"),
        {
            "CONTACTNAME": "Doe, Jane",
            "PRINTAS": "Jane Doe",
            "FIRSTNAME": "Jane",
            "EMAIL1": "jane@example.com",
        },
    )
    with pytest.raises(ValidationFailed, match="Invalid Department 'D9'"):
        create(
            wc(ctx),
            obj("EMPLOYEE"),
            {"EMPLOYEEID": "E1", "PERSONALINFO": {"CONTACTNAME": "Doe, Jane"}, "DEPARTMENTID": "D9"},
        )
    row = create(
        wc(ctx),
        obj("EMPLOYEE"),
        {
            "EMPLOYEEID": "E1",
            "PERSONALINFO": {"CONTACTNAME": "Doe, Jane"},
            "DEPARTMENTID": "D1",
            "STARTDATE": "03/04/2024",
            "TITLE": "Ops",
        },
    )
    assert row["CONTACT.EMAIL1"] == "jane@example.com" and row["DEPARTMENTNAME"] == "Ops"
    update(wc(ctx), obj("CONTACT"), {"CONTACTNAME": "Doe, Jane", "EMAIL1": "jd@example.com"})
    assert ctx.store.get_by_id("ACME", "EMPLOYEE", "E1")["CONTACT.EMAIL1"] == "jd@example.com"


def test_department_hierarchy_has_no_cycles(ctx: LocalContext) -> None:
    create(wc(ctx), obj("DEPARTMENT"), {"DEPARTMENTID": "D2", "TITLE": "Child", "PARENTID": "D1"})
    assert (
        ctx.store.get_by_id("ACME", "DEPARTMENT", "D2")["PARENTKEY"]
        == ctx.store.get_by_id("ACME", "DEPARTMENT", "D1")["RECORDNO"]
    )
    with pytest.raises(ValidationFailed, match="own parent"):
        update(wc(ctx), obj("DEPARTMENT"), {"DEPARTMENTID": "D1", "PARENTID": "D2"})


def test_project_category_required_and_task_ids_unique_per_project(ctx: LocalContext) -> None:
    with pytest.raises(ValidationFailed, match="PROJECTCATEGORY"):
        create(wc(ctx), obj("PROJECT"), {"PROJECTID": "P1", "NAME": "Build"})
    create(
        wc(ctx),
        obj("PROJECT"),
        {"PROJECTID": "P1", "NAME": "Build", "PROJECTCATEGORY": "Contract", "CUSTOMERID": "C1"},
    )
    create(wc(ctx), obj("PROJECT"), {"PROJECTID": "P2", "NAME": "Run", "PROJECTCATEGORY": "Contract"})
    create(wc(ctx), obj("TASK"), {"TASKID": "T1", "NAME": "Design", "PROJECTID": "P1"})
    create(wc(ctx), obj("TASK"), {"TASKID": "T1", "NAME": "Design", "PROJECTID": "P2"})
    with pytest.raises(DuplicateRecord):
        create(wc(ctx), obj("TASK"), {"TASKID": "T1", "NAME": "Again", "PROJECTID": "P1"})
    auto = create(wc(ctx), obj("TASK"), {"NAME": "No id", "PROJECTID": "P1"})
    assert auto["TASKID"] == str(auto["RECORDNO"]) and auto["TASKSTATUS"] == "Not Started"


def test_timesheet_entries_stay_in_the_week(ctx: LocalContext) -> None:
    create(wc(ctx), obj("CONTACT"), {"CONTACTNAME": "Roe", "PRINTAS": "Rita Roe"})
    create(wc(ctx), obj("EMPLOYEE"), {"EMPLOYEEID": "E2", "PERSONALINFO": {"CONTACTNAME": "Roe"}})
    sheet = {
        "EMPLOYEEID": "E2",
        "BEGINDATE": "04/01/2024",
        "TIMESHEETENTRIES": [
            {"ENTRYDATE": "04/02/2024", "QTY": "8"},
            {"ENTRYDATE": "04/03/2024", "QTY": "7.5"},
        ],
    }
    row = create(wc(ctx), obj("TIMESHEET"), sheet)
    assert row["HOURS"] == Decimal("15.5") and row["STATE"] == "Draft" and row["EMPLOYEENAME"] == "Rita Roe"
    with pytest.raises(ValidationFailed, match="outside the timesheet week"):
        create(
            wc(ctx),
            obj("TIMESHEET"),
            {**sheet, "TIMESHEETENTRIES": [{"ENTRYDATE": "05/02/2024", "QTY": "1"}]},
        )


def test_audit_history_records_create_update_delete(ctx: LocalContext) -> None:
    row = create(wc(ctx), obj("CUSTOMER"), {"CUSTOMERID": "C3", "NAME": "Gamma"})
    update(wc(ctx), obj("CUSTOMER"), {"RECORDNO": str(row["RECORDNO"]), "NAME": "Gamma 2"})
    call(ctx, f"<delete><object>CUSTOMER</object><keys>{row['RECORDNO']}</keys></delete>")
    events = [
        (e["OBJECTTYPE"], e["OBJECTKEY"], e["ACCESSMODE"], e["USERID"])
        for e in ctx.store.scan("ACME", "AUDITHISTORY")
        if e["OBJECTKEY"] == str(row["RECORDNO"]) and e["OBJECTTYPE"] == "customer"
    ]
    assert events == [("customer", str(row["RECORDNO"]), m, "wsuser") for m in "CMD"]


def test_entity_sessions_own_what_they_create(ctx: LocalContext) -> None:
    call(
        ctx,
        "<create><LOCATION><LOCATIONID>E100</LOCATIONID><NAME>East</NAME><ENTITY>true</ENTITY></LOCATION></create>",
    )
    entity = LocalContext(ctx.store, "ACME", "wsuser", location_id="E100", now=NOW)
    row = create(wc(entity), obj("CUSTOMER"), {"CUSTOMERID": "CE1", "NAME": "Entity customer"})
    assert row["MEGAENTITYID"] == "E100" and row["MEGAENTITYNAME"] == "East"
    top = wc(ctx)
    assert top.find("CUSTOMER", "CE1") is None
    assert wc(entity).find("CUSTOMER", "C1") is not None  # shared top-level record
    other = LocalContext(ctx.store, "ACME", "wsuser", location_id="E200", now=NOW)
    assert wc(other).find("CUSTOMER", "CE1") is None


def test_every_field_sageintacctsdk_reads_is_known() -> None:
    """sageintacctsdk's query field lists come from real companies; an unknown one would fail its reads."""
    from sageintacctsdk.apis.constants import dimensions_fields_mapping

    for name, fields in dimensions_fields_mapping.items():
        definition = get_object(name)
        if definition is not None:
            assert [f for f in fields if f.upper() not in definition.by_name] == [], name


def test_invoice_keeps_copies_of_its_contacts(ctx: LocalContext) -> None:
    call(
        ctx,
        "<create><CONTACT><CONTACTNAME>AP Desk</CONTACTNAME><PRINTAS>AP Desk</PRINTAS>"
        "<EMAIL1>ap@acme.example</EMAIL1></CONTACT></create>",
    )
    update(wc(ctx), obj("CUSTOMER"), {"CUSTOMERID": "C1", "DISPLAYCONTACT": {"EMAIL1": "hello@acme.example"}})
    out = call(
        ctx,
        "<create_invoice><customerid>C1</customerid><datecreated><year>2024</year><month>04</month>"
        "<day>01</day></datecreated><termname>N30</termname><billto><contactname>AP Desk</contactname>"
        "</billto><invoiceitems><lineitem><glaccountno>4000</glaccountno><amount>5</amount></lineitem>"
        "</invoiceitems></create_invoice>",
    )
    row = ctx.store.get("ACME", "ARINVOICE", int(out.key or 0))
    assert row["CONTACT.EMAIL1"] == "hello@acme.example" and row["SHIPTO.EMAIL1"] == "hello@acme.example"
    assert row["BILLTO.EMAIL1"] == "ap@acme.example"
