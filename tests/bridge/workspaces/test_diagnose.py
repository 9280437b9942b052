"""Every client error maps to the checklist step that is missing, in the checklist's words."""

from __future__ import annotations

from typing import Any

import pytest

from intacct import errors as ie
from intacct_bridge.workspaces import checklist, setup_check
from intacct_bridge.workspaces.connection import NotConnected, SenderNotConfigured
from intacct_bridge.workspaces.permissions import need_for_object


def err(cls: type, errorno: str = "XL03000006", description: str = "", **kw: Any) -> Any:
    return cls(errors=[ie.ErrorDetail(errorno=errorno, description=description)], **kw)


@pytest.mark.parametrize(
    ("exc_cls", "key", "title"),
    [
        ("WebServicesNotSubscribed", checklist.WEB_SERVICES, "Web Services is not subscribed"),
        ("SenderNotAuthorized", checklist.SENDER, "Sender ID OurSender is not authorized for this company"),
        ("SenderCredentialsInvalid", setup_check.SENDER_CREDENTIALS, "This instance's sender ID or"),
        (
            "UserCredentialsInvalid",
            setup_check.CREDENTIALS,
            "Wrong company ID, user ID or password, or the user is inactive",
        ),
        (
            "SessionInvalid",
            setup_check.CREDENTIALS,
            "Wrong company ID, user ID or password, or the user is inactive",
        ),
        ("UserInactive", setup_check.USER_INACTIVE, "The Web Services user is inactive"),
        ("EntityAccessDenied", setup_check.ENTITY, "The entity is not accessible"),
        ("CompanyUnavailable", setup_check.CREDENTIALS, "The Intacct company is not available"),
        ("ConnectionFailed", setup_check.UNREACHABLE, "Intacct could not be reached"),
        ("Timeout", setup_check.UNREACHABLE, "Intacct could not be reached"),
    ],
)
def test_setup_errors_name_their_step(exc_cls: str, key: str, title: str, settings: Any) -> None:
    settings.INTACCT_SENDER_ID = "OurSender"
    step = setup_check.diagnose(err(getattr(ie, exc_cls), description="Intacct's own words"))
    assert step.key == key
    assert step.title.startswith(title)
    assert "Intacct's own words" in step.message
    assert step.remedy


def test_a_permission_error_names_the_role_row(settings: Any) -> None:
    exc = err(
        ie.PermissionDenied,
        "PL04000005",
        "You do not have permission for API operation READ_BY_QUERY on objects of type customer",
        object="CUSTOMER",
    )
    step = setup_check.diagnose(exc)
    assert step.key == checklist.ROLE
    assert step.title == "The role lacks Accounts Receivable > Customers: List"
    assert step.missing == ["Accounts Receivable > Customers: List"]


def test_a_refused_probe_is_blamed_on_the_probed_object() -> None:
    step = setup_check.diagnose(err(ie.QueryFailed, "BL01", "no"), need_for_object("GLACCOUNT"))
    assert step.key == checklist.ROLE and step.missing == ["General Ledger > Accounts: List"]


def test_our_own_setup_errors_and_anything_else() -> None:
    assert setup_check.diagnose(NotConnected("x")).key == setup_check.NOT_CONNECTED
    assert setup_check.diagnose(SenderNotConfigured("x")).key == setup_check.SENDER_CREDENTIALS
    step = setup_check.diagnose(ValueError("boom"))
    assert step.key == setup_check.UNEXPECTED and "boom" in step.message
