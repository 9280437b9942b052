"""USERINFO (objects dossier A.5): key LOGINID. The Web Services user's row is made on its first write
(CREATEDBY/MODIFIEDBY hold its RECORDNO)."""

from __future__ import annotations

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
        ],
    )
)
