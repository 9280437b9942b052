"""Fidelity: the `sageintacctsdk` package (PyPI, third-party) pointed at a running sandbox works
unmodified except for its endpoint: it signs in, reads every customer with its own paging, creates and
updates a vendor, and surfaces the sandbox's errors as its own exceptions.

The package hard-codes https://api.intacct.com on each API object (a private attribute); the test points
every object at the sandbox instead, which is all "except for its endpoint" takes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sageintacctsdk import SageIntacctSDK
from sageintacctsdk.apis.api_base import ApiBase
from sageintacctsdk.exceptions import InvalidTokenError, NoPrivilegeError, WrongParamsError

from intacct_sandbox import Sandbox, SandboxServer

CUSTOMERS = 2300  # more than one of the SDK's 2,000-record pages


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Sandbox, SandboxServer, dict[str, Any]]]:
    sb = Sandbox()
    creds = sb.seed_demo(seed=3, customers=CUSTOMERS, vendors=10)
    with SandboxServer(sb) as server:
        yield sb, server, {**creds, "endpoint": server.endpoint}


@pytest.fixture
def sdk(
    served: tuple[Sandbox, SandboxServer, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> SageIntacctSDK:
    _sb, server, creds = served
    original = ApiBase.__init__

    def pointed(self: ApiBase, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self._ApiBase__api_url = server.endpoint  # type: ignore[attr-defined]

    monkeypatch.setattr(ApiBase, "__init__", pointed)
    return SageIntacctSDK(
        sender_id=creds["sender_id"],
        sender_password=creds["sender_password"],
        user_id=creds["user_id"],
        company_id=creds["company_id"],
        user_password=creds["user_password"],
    )


def test_reads_all_customers_with_its_paging(
    sdk: SageIntacctSDK, served: tuple[Sandbox, SandboxServer, dict[str, Any]]
) -> None:
    sb, _server, creds = served
    customers = sdk.customers.get_all()
    stored = {r["CUSTOMERID"] for r in sb.control.records(creds["company_id"], "CUSTOMER")}
    assert len(customers) == len(stored) >= CUSTOMERS
    assert {c["CUSTOMERID"] for c in customers} == stored
    assert all(c["RECORDNO"] and c["NAME"] for c in customers)
    assert sdk.customers.count() == sum(
        1 for r in sb.control.records(creds["company_id"], "CUSTOMER") if r["STATUS"] == "active"
    )


def test_generator_paging_ordered_by_record_number(sdk: SageIntacctSDK) -> None:
    pages = list(sdk.customers.get_all_generator(order_by_field="RECORDNO", order="ascending"))
    numbers = [int(c["RECORDNO"]) for page in pages for c in page]
    assert numbers == sorted(numbers) and len(numbers) >= CUSTOMERS


def test_creates_and_updates_a_vendor(
    sdk: SageIntacctSDK, served: tuple[Sandbox, SandboxServer, dict[str, Any]]
) -> None:
    sb, _server, creds = served
    created = sdk.vendors.post({"VENDORID": "SDK-V1", "NAME": "Made by sageintacctsdk", "STATUS": "active"})
    assert created["status"] == "success"
    entry = created["data"]["vendor"]
    assert entry["VENDORID"] == "SDK-V1"
    updated = sdk.vendors.update({"RECORDNO": entry["RECORDNO"], "NAME": "Renamed by sageintacctsdk"})
    assert updated["status"] == "success"
    (stored,) = [v for v in sb.control.records(creds["company_id"], "VENDOR") if v["VENDORID"] == "SDK-V1"]
    assert stored["NAME"] == "Renamed by sageintacctsdk"
    assert stored["WHENMODIFIED"]
    fetched = sdk.vendors.get(field="VENDORID", value="SDK-V1")
    assert fetched["VENDOR"][0]["NAME"] == "Renamed by sageintacctsdk"


def test_surfaces_errors(sdk: SageIntacctSDK, served: tuple[Sandbox, SandboxServer, dict[str, Any]]) -> None:
    sb, _server, creds = served
    sdk.vendors.post({"VENDORID": "SDK-DUP", "NAME": "first"})
    with pytest.raises(WrongParamsError) as duplicate:
        sdk.vendors.post({"VENDORID": "SDK-DUP", "NAME": "second"})
    assert "already exists" in str(duplicate.value.response)
    company = creds["company_id"]
    sb.control.create_role(company, "vendors only", {"VENDOR": "LV"})
    sb.control.create_user(company, "sdk_limited", "pw-limited", roles=["vendors only"])
    limited = SageIntacctSDK(
        sender_id=creds["sender_id"],
        sender_password=creds["sender_password"],
        user_id="sdk_limited",
        company_id=company,
        user_password="pw-limited",
    )
    with pytest.raises(NoPrivilegeError):
        limited.customers.get_all()
    with pytest.raises(InvalidTokenError) as bad_login:
        SageIntacctSDK(
            sender_id=creds["sender_id"],
            sender_password=creds["sender_password"],
            user_id=creds["user_id"],
            company_id=company,
            user_password="wrong",
        )
    assert "Sign-in information is incorrect" in str(bad_login.value.response)
