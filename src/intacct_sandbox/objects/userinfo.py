"""USERINFO (docs/intacct/objects.md §5): key LOGINID. The Web Services user's row is made on its first write
(CREATEDBY/MODIFIEDBY hold its RECORDNO)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from intacct_sandbox.objects.base import ObjectDef, boolean, enum, register, text

USERTYPES = (
    "business user",
    "employee user",
    "view only user",
    "dashboard user",
    "project manager user",
    "platform user",
    "payment approver",
    "CRM user",
)

USERINFO = register(
    ObjectDef(
        name="USERINFO",
        label="User",
        id_field="LOGINID",
        entity_owned=False,
        fields=[
            text("LOGINID"),
            text("DESCRIPTION"),
            enum("USERTYPE", {t: t for t in USERTYPES}, default="business user"),
            enum("ADMIN", {"Full": "Full", "Limited": "Limited", "Off": "Off"}, default="Off"),
            enum("STATUS", {"active": "T", "inactive": "F", "lockedout": "L"}, default="active"),
            boolean("LOGINDISABLED", default=False),
            text("CONTACTINFO.CONTACTNAME"),
            text("CONTACTINFO.FIRSTNAME"),
            text("CONTACTINFO.LASTNAME"),
            text("CONTACTINFO.EMAIL1"),
            # the entities and departments a user is restricted to (UserCreate writes one USERLOCATIONS /
            # USERDEPARTMENTS element per value); several values are joined with #~#
            text("USERLOCATIONS.LOCATIONID"),
            text("USERDEPARTMENTS.DEPARTMENTID"),
            text("SSO_ENABLED"),
            text("SSO_FEDERATED_ID"),
        ],
        before_write=lambda wc, row, old: _check_restrictions(wc, row),
    )
)


def _check_restrictions(wc: Any, row: dict[str, Any]) -> None:
    from intacct_sandbox.record_faults import ValidationFailed

    for field, obj in (
        ("USERLOCATIONS.LOCATIONID", "LOCATION"),
        ("USERDEPARTMENTS.DEPARTMENTID", "DEPARTMENT"),
    ):
        for value in str(row.get(field) or "").split("#~#"):
            if value and wc.find(obj, value) is None:
                raise ValidationFailed(
                    f"Invalid {obj.title()} '{value}' specified in {field.split('.')[0]}.",
                    correction=f"Use an existing {obj.lower()}.",
                )


def upsert_user(
    store: Any,
    company_id: str,
    login_id: str,
    *,
    user_type: str = "business user",
    admin: str = "Off",
    status: str = "active",
    web_services_only: bool = True,
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
    now: datetime | None = None,
) -> int:
    """Create or refresh the USERINFO record of a user the company model defines (gateway/control plane);
    returns its RECORDNO (what CREATEDBY/MODIFIEDBY hold)."""
    values: dict[str, Any] = {
        "LOGINID": login_id,
        "USERTYPE": user_type if user_type in USERTYPES else "business user",
        "ADMIN": {"full": "Full", "limited": "Limited"}.get(admin.lower(), "Off"),
        "STATUS": status if status in ("active", "inactive", "lockedout") else "active",
        "LOGINDISABLED": web_services_only,
        "CONTACTINFO.FIRSTNAME": first_name,
        "CONTACTINFO.LASTNAME": last_name,
        "CONTACTINFO.EMAIL1": email,
    }
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    existing = store.get_by_id(company_id, "USERINFO", login_id)
    if existing is None:
        row = {f.name: f.default for f in USERINFO.fields if f.name != "RECORDNO"}
        row.update(values)
        row.update({"WHENCREATED": stamp, "WHENMODIFIED": None, "CREATEDBY": None, "MODIFIEDBY": None})
        return int(store.insert(company_id, "USERINFO", row))
    store.replace(company_id, "USERINFO", existing["RECORDNO"], {**existing, **values, "WHENMODIFIED": stamp})
    return int(existing["RECORDNO"])
