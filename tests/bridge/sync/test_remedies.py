"""The remedy catalogue: every kind of Intacct error the issue names gets its specific fix."""

import pytest

from intacct_bridge.sync.remedies import CATALOGUE, FALLBACK, SETUP_STEPS, remedy_for


@pytest.mark.parametrize(
    ("errorno", "text", "code", "step"),
    [
        (
            "PL04000005",
            "You do not have permission for API operation READ_BY_QUERY on objects of type x",
            "missing-permission",
            "role",
        ),
        (
            "",
            "You do not have permission for API operation CREATE on objects of type vendor",
            "missing-permission",
            "role",
        ),
        ("BL01001973", "Department D99 is inactive", "inactive-dimension", ""),
        ("BL01001973", "Cannot post: the period is closed for 01/2026", "closed-period", ""),
        (
            "BL01001973",
            "Smart rule VENDOR_TOP was violated: create vendors at the top level",
            "smart-rule",
            "smart_rules",
        ),
        ("BL34000061", "Another Customer with the given value(s) C1  already exists", "duplicate", ""),
        ("", "restricted to another entity", "entity-restriction", "user"),
        ("XL03000006", "Sign-in information is incorrect", "sign-in-failed", "credentials"),
        (
            "XL03000006",
            "The sender ID 'S' is not authorized to make Web Services requests to company ID 'C'.",
            "sender-not-authorized",
            "sender",
        ),
        (
            "",
            "This company is not authorized for XML transactions. Please subscribe to the XML Gateway.",
            "web-services-off",
            "web_services",
        ),
        ("GW-0010", "Rate limit exceeded", "rate-limited", ""),
        ("BL01001973", "Cannot find customer with key '99999' to delete.", "not-found", ""),
        ("IB-REFERENCE", "Department D7 was never imported", "missing-reference", ""),
        ("IB-REQUIRED", "NAME is empty", "required-field", ""),
        ("IB-COUNTRY", "Unknown country 'Atlantis'", "unknown-country", ""),
        ("IB-LINKED", "already linked to client 4", "already-linked", ""),
    ],
)
def test_it_maps_errors_to_their_remedy(errorno: str, text: str, code: str, step: str) -> None:
    remedy = remedy_for(errorno, text)
    assert remedy.code == code
    assert remedy.setup_step == step
    assert remedy.fix
    if step:
        assert remedy.checklist == SETUP_STEPS[step]


def test_it_reads_every_text_field() -> None:
    assert remedy_for("BL01001973", "Could not create", None, "period is closed").code == "closed-period"


def test_unknown_errors_fall_back_to_a_generic_fix() -> None:
    assert remedy_for("BL01001973", "Could not create vendor record!") is FALLBACK
    assert remedy_for(None) is FALLBACK


def test_codes_are_unique_and_steps_exist() -> None:
    codes = [entry.remedy.code for entry in CATALOGUE]
    assert len(codes) == len(set(codes))
    for entry in CATALOGUE:
        assert entry.remedy.setup_step in ("", *SETUP_STEPS)


@pytest.mark.parametrize(
    ("errorno", "code"),
    [
        ("IB-AR-UNDEPOSITED", "ar-settings"),
        ("IB-AR-OVERPAY", "ar-input"),
        ("IB-PSA-DUPLICATE-ID", "project-check"),
        ("IB-TASK-CLOSED", "timesheet-check"),
        ("IB-SOMETHING-NEW", "app-check"),
        ("BL99999999", "other"),
    ],
)
def test_the_apps_own_refusals_never_get_the_fix_it_in_intacct_remedy(errorno: str, code: str) -> None:
    assert remedy_for(errorno, "a text no pattern knows").code == code
