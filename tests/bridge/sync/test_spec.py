"""Field maps, dotted paths, transforms and the hash of mapped values."""

from datetime import date

import pytest

from intacct_bridge.sync.spec import (
    Direction,
    FamilySpec,
    FieldMap,
    date_in,
    date_out,
    get_path,
    hash_values,
    set_path,
)

SPEC = FamilySpec(
    family="things",
    label="Things",
    intacct_object="CUSTOMER",
    business_id="CUSTOMERID",
    name_field="NAME",
    model="bridge_records.Client",
    fields=(
        FieldMap("name", "NAME"),
        FieldMap("city", "DISPLAYCONTACT.MAILADDRESS.CITY"),
        FieldMap("since", "STARTDATE", to_app=date_in, to_intacct=date_out),
        FieldMap("total", "TOTALDUE", push=False),
    ),
    direction=Direction.TWO_WAY,
)


def test_it_reads_dotted_fields_flat_or_nested() -> None:
    assert get_path({"DISPLAYCONTACT.MAILADDRESS.CITY": "Oslo"}, "DISPLAYCONTACT.MAILADDRESS.CITY") == "Oslo"
    nested = {"DISPLAYCONTACT": {"MAILADDRESS": {"CITY": "Oslo"}}}
    assert get_path(nested, "DISPLAYCONTACT.MAILADDRESS.CITY") == "Oslo"
    assert get_path(nested, "DISPLAYCONTACT.MAILADDRESS.ZIP") is None
    assert get_path({"DISPLAYCONTACT": "x"}, "DISPLAYCONTACT.EMAIL1") is None


def test_it_writes_dotted_fields_nested() -> None:
    record: dict[str, object] = {}
    set_path(record, "DISPLAYCONTACT.MAILADDRESS.CITY", "Oslo")
    set_path(record, "DISPLAYCONTACT.PRINTAS", "Acme")
    assert record == {"DISPLAYCONTACT": {"MAILADDRESS": {"CITY": "Oslo"}, "PRINTAS": "Acme"}}


def test_it_maps_both_directions() -> None:
    remote = {"NAME": " Acme ", "STARTDATE": "03/04/2025", "TOTALDUE": "9"}
    values = SPEC.to_app(remote)
    assert values == {"name": "Acme", "city": "", "since": date(2025, 3, 4), "total": "9"}
    # empty values and read-only fields stay out of writes
    assert SPEC.to_intacct(values) == {"NAME": "Acme", "STARTDATE": "03/04/2025"}


def test_bad_values_raise_value_error() -> None:
    with pytest.raises(ValueError):
        SPEC.to_app({"STARTDATE": "soon"})


def test_the_hash_ignores_key_order_and_sees_every_change() -> None:
    a = hash_values({"name": "Acme", "city": "Oslo", "since": date(2025, 1, 1)})
    assert a == hash_values({"city": "Oslo", "since": date(2025, 1, 1), "name": "Acme"})
    assert a != hash_values({"name": "Acme", "city": "Bergen", "since": date(2025, 1, 1)})
    assert hash_values({"name": None}) == hash_values({"name": ""})


def test_query_fields_hold_keys_timestamps_and_mapped_fields_once() -> None:
    fields = SPEC.query_fields()
    assert fields[:5] == ["RECORDNO", "CUSTOMERID", "NAME", "WHENMODIFIED", "WHENCREATED"]
    assert fields.count("NAME") == 1
    assert "DISPLAYCONTACT.MAILADDRESS.CITY" in fields


def test_created_business_ids_are_deterministic() -> None:
    assert SPEC.created_business_id(41) == SPEC.created_business_id(41) == "IB41"
    assert SPEC.pulls and SPEC.pushes
