"""APACCOUNTLABEL / ARACCOUNTLABEL: named GL accounts for AP/AR lines (docs/intacct/payables-receivables.md
§8). Written by generic create/update (intacct-sdk-php ApAccountLabelCreateTest,
ArAccountLabelUpdateTest) and deleted by delete_apaccountlabel / delete_araccountlabel
``accountlabel="Expense"``. ACCOUNTLABEL, DESCRIPTION and GLACCOUNTNO are required."""

from __future__ import annotations

from intacct_sandbox.objects.base import ObjectDef, register, status, text


def _label(name: str, label: str) -> ObjectDef:
    return register(
        ObjectDef(
            name=name,
            label=label,
            id_field="ACCOUNTLABEL",
            fields=[
                text("ACCOUNTLABEL", max_length=80),
                text("DESCRIPTION", required=True),
                text("GLACCOUNTNO", required=True, ref=("GLACCOUNT", "ACCOUNTNO")),
                text("OFFSETGLACCOUNTNO", ref=("GLACCOUNT", "ACCOUNTNO")),
                status(),
            ],
        )
    )


APACCOUNTLABEL = _label("APACCOUNTLABEL", "AP Account Label")
ARACCOUNTLABEL = _label("ARACCOUNTLABEL", "AR Account Label")
