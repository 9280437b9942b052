"""Journal entries (GLBATCH with GLENTRY lines) and statistical accounts (STATACCOUNT).

The rules Intacct documents and the SDKs' JournalEntryCreate / StatisticalJournalEntryCreate send
(docs/intacct/gl-company-reads.md §2): a batch has at least one line; TR_TYPE is 1 (debit) or -1
(credit); a regular journal entry balances (debits = credits) and codes GL accounts; a statistical
one codes statistical accounts only and need not balance; the posting date must be in an open period;
a REVERSEDATE (after the posting date) books the reversing entry on that date, linked both ways.
"""

from __future__ import annotations

from typing import Any

from intacct_sandbox.objects.base import (
    Lines,
    ObjectDef,
    boolean,
    date_,
    decimal,
    enum,
    integer,
    register,
    status,
    text,
)
from intacct_sandbox.objects.documents import ZERO, money
from intacct_sandbox.objects.glaccount import GLACCOUNT
from intacct_sandbox.objects.writes import WriteContext, audit, check_open_period, lines_of
from intacct_sandbox.record_faults import ValidationFailed

STAT_ACCOUNT_TYPES = {"forperiod": "forperiod", "cumulative": "cumulative"}
BATCH_STATES = {"Draft": "Draft", "Submitted": "Submitted", "Posted": "Posted"}
DIMENSIONS = (
    ("LOCATION", "LOCATION", "LOCATIONID"),
    ("DEPARTMENT", "DEPARTMENT", "DEPARTMENTID"),
    ("PROJECTID", "PROJECT", "PROJECTID"),
    ("CUSTOMERID", "CUSTOMER", "CUSTOMERID"),
    ("VENDORID", "VENDOR", "VENDORID"),
    ("EMPLOYEEID", "EMPLOYEE", "EMPLOYEEID"),
    ("ITEMID", "ITEM", "ITEMID"),
    ("CLASSID", "CLASS", "CLASSID"),
)


class UnbalancedEntry(ValidationFailed):
    """A regular journal entry whose debits and credits differ (text modelled)."""

    correction = "Make the debits equal the credits, or post to a statistical journal."


STATACCOUNT = register(
    ObjectDef(
        name="STATACCOUNT",
        label="Statistical Account",
        id_field="ACCOUNTNO",
        entity_owned=False,
        fields=[
            text("ACCOUNTNO", max_length=24),
            text("TITLE", required=True),
            enum("ACCOUNTTYPE", STAT_ACCOUNT_TYPES, default="forperiod"),
            text("CATEGORY"),
            status(),
            *(text(name) for name in ("REQUIREDEPT", "REQUIRELOC", "REQUIREPROJECT", "REQUIRECLASS")),
        ],
    )
)


def _line_before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    kind = row.get("TR_TYPE")
    if kind not in (1, -1):
        raise ValidationFailed(
            f"Invalid TR_TYPE '{kind}' on a journal entry line.", correction="Use 1 (debit) or -1 (credit)."
        )
    # a line carries TRX_AMOUNT (the official SDKs) or AMOUNT (sageintacctsdk users): either is the amount
    if row.get("TRX_AMOUNT") is None and row.get("AMOUNT") is not None:
        row["TRX_AMOUNT"] = row["AMOUNT"]
    if row.get("TRX_AMOUNT") is None:
        raise ValidationFailed(
            "Required field TRX_AMOUNT is missing on a journal entry line.",
            correction="Give TRX_AMOUNT or AMOUNT.",
        )
    amount = money(row.get("TRX_AMOUNT"))
    if amount == ZERO:
        raise ValidationFailed("TRX_AMOUNT of a journal entry line cannot be zero.")
    row["AMOUNT"] = amount
    for field, obj, _key in DIMENSIONS:
        value = row.get(field)
        if value not in (None, "") and wc.find(obj, str(value)) is None:
            raise ValidationFailed(
                f"Invalid {obj.title()} '{value}' specified on a journal entry line.",
                correction=f"Use an existing {obj.lower()} in {field}.",
            )


GLENTRY = register(
    ObjectDef(
        name="GLENTRY",
        label="Journal Entry Line",
        parent_field="BATCHNO",
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=[
            integer("BATCHNO", readonly=True),
            integer("LINE_NO", readonly=True),
            text("DOCUMENT"),
            text("ACCOUNTNO", required=True),
            text("ACCOUNTTITLE", readonly=True),
            integer("TR_TYPE", required=True),
            decimal("TRX_AMOUNT"),
            decimal("AMOUNT"),
            text("CURRENCY"),
            date_("EXCH_RATE_DATE"),
            text("EXCH_RATE_TYPE_ID"),
            text("LOCATION"),
            text("DEPARTMENT"),
            text("PROJECTID"),
            text("TASKID"),
            text("CUSTOMERID"),
            text("VENDORID"),
            text("EMPLOYEEID"),
            text("ITEMID"),
            text("CLASSID"),
            text("CONTRACTID"),
            text("WAREHOUSEID"),
            text("DESCRIPTION"),
            text("ALLOCATION", ref=("ALLOCATION", "ALLOCATIONID")),
            text("COSTTYPEID"),
            boolean("BILLABLE", default=False),
            # what sageintacctsdk users send on a line (Fyle's journal entries): kept as sent, one each
            text("CUSTOMFIELDS.CUSTOMFIELD.CUSTOMFIELDNAME"),
            text("CUSTOMFIELDS.CUSTOMFIELD.CUSTOMFIELDVALUE"),
            decimal("TAXENTRIES.TAXENTRY.TRX_TAX"),
            text("TAXENTRIES.TAXENTRY.DETAILID"),
            date_("ENTRY_DATE", readonly=True),
            text("STATE", readonly=True),
        ],
        before_write=_line_before_write,
    )
)


def _account_kinds(wc: WriteContext, lines: list[dict[str, Any]]) -> set[str]:
    kinds = set()
    for number, line in enumerate(lines, start=1):
        account_no = str(line.get("ACCOUNTNO") or "")
        gl = wc.find("GLACCOUNT", account_no)
        stat = wc.find("STATACCOUNT", account_no) if gl is None else None
        account = gl or stat
        if account is None:
            raise ValidationFailed(
                f"Invalid GL account '{account_no}' on line {number}.",
                correction="Use an existing GL or statistical account number.",
            )
        if account.get("STATUS") == "inactive":
            raise ValidationFailed(
                f"GL account '{account_no}' is inactive and cannot be used (line {number})."
            )
        line["ACCOUNTTITLE"] = account.get("TITLE")
        kinds.add("GLACCOUNT" if gl is not None else "STATACCOUNT")
    return kinds


def _before_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    if old is not None and old.get("REVERSEDFROM"):
        raise ValidationFailed(
            f"Journal entry {old['RECORDNO']} reverses entry {old['REVERSEDFROM']} and cannot be changed.",
            correction="Change or delete the original entry instead.",
        )
    check_open_period(wc, row.get("BATCH_DATE"), "posting date")
    reverse = row.get("REVERSEDATE")
    if reverse is not None and row.get("BATCH_DATE") is not None and reverse <= row["BATCH_DATE"]:
        raise ValidationFailed(
            "REVERSEDATE must be after BATCH_DATE.", correction="Reverse the entry on a later date."
        )
    lines = lines_of(wc, GLBATCH, row)
    kinds = _account_kinds(wc, lines)
    if len(kinds) > 1:
        raise ValidationFailed(
            "A journal entry cannot mix GL accounts and statistical accounts.",
            correction="Post statistical accounts in a statistical journal entry of their own.",
        )
    statistical = kinds == {"STATACCOUNT"}
    row["STATISTICAL"] = "T" if statistical else "F"
    debits = sum((money(ln.get("TRX_AMOUNT")) for ln in lines if ln.get("TR_TYPE") == 1), ZERO)
    credits = sum((money(ln.get("TRX_AMOUNT")) for ln in lines if ln.get("TR_TYPE") == -1), ZERO)
    if not statistical and debits != credits:
        raise UnbalancedEntry(
            f"The journal entry is not balanced: debits total {debits} and credits total {credits}."
        )
    for line in lines:
        line["ENTRY_DATE"] = row.get("BATCH_DATE")
        line["STATE"] = row.get("STATE")
    if row.get("STATE") is None:
        row["STATE"] = "Posted"
    if old is None:
        journal = str(row.get("JOURNAL") or "")
        numbers = [
            int(b.get("BATCHNO") or 0)
            for b in wc.store.rows(wc.company_id, "GLBATCH").values()
            if b.get("JOURNAL") == journal
        ]
        row["BATCHNO"] = max(numbers, default=0) + 1
    row["MODULE"] = "2.GL"


def _after_write(wc: WriteContext, row: dict[str, Any], old: dict[str, Any] | None) -> None:
    """Post the lines to the ledger; a REVERSEDATE books the reversing entry on that date (debits and
    credits swapped)."""
    post_detail(wc, row["RECORDNO"])
    if old is not None or row.get("REVERSEDATE") is None or row.get("REVERSEDFROM"):
        return
    lines = wc.store.children(wc.company_id, "GLENTRY", row["RECORDNO"])
    check_open_period(wc, row["REVERSEDATE"], "reversal date")
    copy: dict[str, Any] = {
        k: v for k, v in row.items() if k not in ("RECORDNO", "REVERSEDATE", "REVERSED", "REVERSEDKEY")
    }
    numbers = [
        int(b.get("BATCHNO") or 0)
        for b in wc.store.rows(wc.company_id, "GLBATCH").values()
        if b.get("JOURNAL") == row.get("JOURNAL")
    ]
    copy.update(
        {
            "BATCH_DATE": row["REVERSEDATE"],
            "BATCH_TITLE": f"Reversal of: {row.get('BATCH_TITLE') or ''}".strip(),
            "BATCHNO": max(numbers, default=0) + 1,
            "REVERSEDFROM": row["RECORDNO"],
            "REVERSEDATE": None,
        }
    )
    reversal_no = wc.store.insert(wc.company_id, "GLBATCH", copy)
    for number, line in enumerate(lines):
        flipped = {k: v for k, v in line.items() if k != "RECORDNO"}
        flipped.update(
            {
                "BATCHNO": reversal_no,
                "LINE_NO": number,
                "TR_TYPE": -int(line["TR_TYPE"]),
                "ENTRY_DATE": copy["BATCH_DATE"],
            }
        )
        wc.store.insert(wc.company_id, "GLENTRY", flipped)
    post_detail(wc, reversal_no)
    original = wc.store.get(wc.company_id, "GLBATCH", row["RECORDNO"])
    wc.store.replace(wc.company_id, "GLBATCH", row["RECORDNO"], {**original, "REVERSEDKEY": reversal_no})
    audit(wc, GLBATCH, reversal_no, "C")


def _before_delete(wc: WriteContext, row: dict[str, Any]) -> None:
    """Deleting an entry deletes the reversal it booked; a reversal goes with its original only."""
    if row.get("REVERSEDFROM"):
        raise ValidationFailed(
            f"Journal entry {row['RECORDNO']} reverses entry {row['REVERSEDFROM']} and cannot be deleted "
            "on its own.",
            correction=f"Delete journal entry {row['REVERSEDFROM']} instead.",
        )
    for detail in wc.store.children(wc.company_id, "GLDETAIL", row["RECORDNO"]):
        wc.store.delete(wc.company_id, "GLDETAIL", detail["RECORDNO"])
    reversal = row.get("REVERSEDKEY")
    if reversal:
        for detail in wc.store.children(wc.company_id, "GLDETAIL", int(reversal)):
            wc.store.delete(wc.company_id, "GLDETAIL", detail["RECORDNO"])
        for line in wc.store.children(wc.company_id, "GLENTRY", int(reversal)):
            wc.store.delete(wc.company_id, "GLENTRY", line["RECORDNO"])
        if wc.store.get(wc.company_id, "GLBATCH", int(reversal)) is not None:
            wc.store.delete(wc.company_id, "GLBATCH", int(reversal))
            audit(wc, GLBATCH, int(reversal), "D")


GLBATCH = register(
    ObjectDef(
        name="GLBATCH",
        label="Journal Entry",
        lines=Lines("ENTRIES", "GLENTRY", "GLENTRY"),
        fields=[
            integer("BATCHNO", readonly=True),
            text("JOURNAL", required=True),
            date_("BATCH_DATE", required=True),
            date_("REVERSEDATE"),
            text("BATCH_TITLE", required=True),
            text("HISTORY_COMMENT"),
            text("REFERENCENO"),
            text("BASELOCATION_NO", ref=("LOCATION", "LOCATIONID")),
            text("SUPDOCID", ref=("SUPDOC", "SUPDOCID")),
            enum("STATE", BATCH_STATES, default="Posted"),
            # VAT coding the sageintacctsdk journal-entry reads name: kept as sent
            text("TAXIMPLICATIONS"),
            text("VATVENDORID", ref=("VENDOR", "VENDORID")),
            text("VATCUSTOMERID", ref=("CUSTOMER", "CUSTOMERID")),
            text("VATCONTACTID", ref=("CONTACT", "CONTACTNAME")),
            text("TAXSOLUTIONID"),
            text("MODULE", readonly=True),
            text("STATISTICAL", readonly=True),
            integer("REVERSEDKEY", readonly=True),
            integer("REVERSEDFROM", readonly=True),
        ],
        before_write=_before_write,
        after_write=_after_write,
        before_delete=_before_delete,
    )
)


def _account_in_use(wc: WriteContext, row: dict[str, Any]) -> None:
    """An account that journal entry lines post to cannot be deleted (GLENTRY.ACCOUNTNO names either
    kind of account, so the generic reference check does not see it)."""
    number = row.get("ACCOUNTNO")
    for line in wc.store.rows(wc.company_id, "GLENTRY").values():
        if line.get("ACCOUNTNO") == number:
            raise ValidationFailed(
                f"Account {number} is used by GLBATCH {line.get('BATCHNO')} and cannot be deleted.",
                correction="Make the account inactive instead, or delete the journal entries first.",
            )


STATACCOUNT.before_delete = _account_in_use
if GLACCOUNT.before_delete is None:
    GLACCOUNT.before_delete = _account_in_use


#: the general ledger's posted lines, one per journal entry line (sageintacctsdk's GLDETAIL reads);
#: kept by the journal entry hooks, never written directly. Only journal entries post here: the
#: sandbox's AP/AR documents do not post to the ledger (docs/intacct/gl-company-reads.md §2)
GLDETAIL = register(
    ObjectDef(
        name="GLDETAIL",
        label="General Ledger Detail",
        parent_field="BATCHKEY",
        stamps=False,
        audited=False,
        creatable=False,
        updatable=False,
        deletable=False,
        fields=[
            integer("BATCHKEY", readonly=True),
            date_("BATCH_DATE", readonly=True),
            text("BATCH_TITLE", readonly=True),
            text("SYMBOL", readonly=True),
            integer("BATCH_NO", readonly=True),
            text("BOOKID", readonly=True, default="ACCRUAL"),
            text("CHILDENTITY", readonly=True),
            text("MODIFIED", readonly=True),
            text("REFERENCENO", readonly=True),
            text("ADJ", readonly=True, default="false"),
            text("MODULEKEY", readonly=True, default="2.GL"),
            text("OWNERSHIPKEY", readonly=True),
            integer("LINE_NO", readonly=True),
            date_("ENTRY_DATE", readonly=True),
            integer("TR_TYPE", readonly=True),
            text("DOCUMENT", readonly=True),
            text("ACCOUNTNO", readonly=True),
            text("ACCOUNTTITLE", readonly=True),
            text("STATISTICAL", readonly=True),
            text("DEPARTMENTID", readonly=True),
            text("DEPARTMENTTITLE", readonly=True),
            text("LOCATIONID", readonly=True),
            text("LOCATIONNAME", readonly=True),
            text("CURRENCY", readonly=True),
            text("BASECURR", readonly=True),
            text("DESCRIPTION", readonly=True),
            decimal("DEBITAMOUNT", readonly=True),
            decimal("CREDITAMOUNT", readonly=True),
            decimal("AMOUNT", readonly=True),
        ],
    )
)


def post_detail(wc: WriteContext, batch_recordno: int) -> None:
    """Rewrite the GLDETAIL lines of one journal entry from its stored header and lines."""
    for old in wc.store.children(wc.company_id, "GLDETAIL", batch_recordno):
        wc.store.delete(wc.company_id, "GLDETAIL", old["RECORDNO"])
    batch = wc.store.get(wc.company_id, "GLBATCH", batch_recordno)
    if batch is None:
        return
    for line in wc.store.children(wc.company_id, "GLENTRY", batch_recordno):
        amount = money(line.get("AMOUNT") or line.get("TRX_AMOUNT"))
        debit = int(line.get("TR_TYPE") or 0) == 1
        department = wc.store.get_by_id(wc.company_id, "DEPARTMENT", str(line.get("DEPARTMENT") or ""))
        location = wc.store.get_by_id(wc.company_id, "LOCATION", str(line.get("LOCATION") or ""))
        wc.store.insert(
            wc.company_id,
            "GLDETAIL",
            {
                "BATCHKEY": batch_recordno,
                "BATCH_DATE": batch.get("BATCH_DATE"),
                "BATCH_TITLE": batch.get("BATCH_TITLE"),
                "SYMBOL": batch.get("JOURNAL"),
                "BATCH_NO": batch.get("BATCHNO"),
                "BOOKID": "ACCRUAL",
                "CHILDENTITY": batch.get("MEGAENTITYID"),
                "MODIFIED": None,
                "REFERENCENO": batch.get("REFERENCENO"),
                "ADJ": "false",
                "MODULEKEY": "2.GL",
                "OWNERSHIPKEY": None,
                "LINE_NO": line.get("LINE_NO"),
                "ENTRY_DATE": line.get("ENTRY_DATE") or batch.get("BATCH_DATE"),
                "TR_TYPE": line.get("TR_TYPE"),
                "DOCUMENT": line.get("DOCUMENT"),
                "ACCOUNTNO": line.get("ACCOUNTNO"),
                "ACCOUNTTITLE": line.get("ACCOUNTTITLE"),
                "STATISTICAL": batch.get("STATISTICAL"),
                "DEPARTMENTID": line.get("DEPARTMENT"),
                "DEPARTMENTTITLE": None if department is None else department.get("TITLE"),
                "LOCATIONID": line.get("LOCATION"),
                "LOCATIONNAME": None if location is None else location.get("NAME"),
                "CURRENCY": line.get("CURRENCY"),
                "BASECURR": line.get("CURRENCY"),
                "DESCRIPTION": line.get("DESCRIPTION"),
                "DEBITAMOUNT": amount if debit else ZERO,
                "CREDITAMOUNT": ZERO if debit else amount,
                "AMOUNT": amount,
                "MEGAENTITYKEY": batch.get("MEGAENTITYKEY"),
                "MEGAENTITYID": batch.get("MEGAENTITYID"),
                "MEGAENTITYNAME": batch.get("MEGAENTITYNAME"),
            },
        )
