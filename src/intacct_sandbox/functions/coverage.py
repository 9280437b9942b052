"""What the data half supports and where it chose a behaviour the evidence leaves open, for the
generated coverage document (the gateway's writer renders these lists)."""

from __future__ import annotations

from intacct_sandbox._contract import registered_functions
from intacct_sandbox.objects import all_objects
from intacct_sandbox.record_faults import ALL_FAULTS

#: (topic, the sandbox's choice) for behaviours docs/intacct/ marks UNSURE or does not cover
MODELLED: list[tuple[str, str]] = [
    ("readByQuery syntax error", "result failure, errorno 'Query Failed', description2 names the problem"),
    (
        "unknown field in a read's field list",
        "errorno 'Invalid fields list <names as sent>', other texts empty (a real company's answer)",
    ),
    (
        "unknown field in a query filter or select",
        "result failure, errorno 'Query Failed'; a select lists every unknown field as "
        "'\\n\\t<object>: [F1, F2]' (the form sageintacctsdk parses)",
    ),
    ("field names on writes", "matched without regard to case (sageintacctsdk users send lower case)"),
    ("query record element names", "the object as the request spells it (listtype too)"),
    (
        "unknown object (read, readByName, readByQuery, lookup, inspect)",
        "as captured (readByQuery 'Query Failed', the others 'XXX'), or one variant everywhere per company "
        "(control set_error_variant); inspect says 'Object type X not found', the others 'Object "
        "definition X not found'",
    ),
    (
        "unknown object (query)",
        "XL03000009 'There was an error processing the function' / 'Object definition X not found', then an "
        "empty <data> (production capture)",
    ),
    (
        "readMore resultId lifetime",
        "30 minutes idle; the id dies after its last page; another user's id fails",
    ),
    ("readMore on an expired/reused id", "result failure 'Query Failed' naming the id"),
    ("read with keys that do not exist", "success without those records"),
    ("read without keys", "the first 100 visible records"),
    ("enum values in queries", "display value or database character both accepted (STATUS 'T' / 'active')"),
    ("WHENCREATED/WHENMODIFIED", "stored in UTC, shown and compared in the Web Services user's timezone"),
    ("datetime literals in queries", "interpreted in the user's timezone (offset taken at the call's time)"),
    ("NULL semantics in queries", "SQL three-valued logic; empty text counts as NULL"),
    ("ordering of empty values", "last ascending, first descending (Oracle's default)"),
    ("unknown fields on writes", "rejected (BL01001973) unless registered as the company's custom fields"),
    ("read-only fields on writes", "ignored (clients echo them back on read-modify-write)"),
    ("several objects in one create/update", "records before a failing one stay; listed on the failure"),
    ("generic delete with several keys", "every key is checked first; nothing is deleted if one is missing"),
    ("update of a missing record", "BL01001973 'Cannot update non-existing OBJ with KEY=value.'"),
    ("references on writes", "must exist, be visible to the session's entity and be active"),
    ("deleting a record in use", "refused (BL01001973 '<Object> <id> is used by <OBJECT> <n> ...')"),
    ("entity privacy", "every entity is private: top-level reads see entity records only with showprivate"),
    ("bill/invoice STATE", "Draft, Posted, Partially Paid, Paid; query characters D, A, PP, P"),
    ("ARPYMT STATE", "Draft / Complete (D / C)"),
    ("AR document keys", "ARINVOICE, ARPYMT and ARADJUSTMENT share one RECORDNO sequence"),
    ("create_arpayment without items", "the payment stays unapplied (open-item customers)"),
    ("apply_arpayment answer", "<key> = the arpaymentkey"),
    ("TASK.TASKSTATUS", "optional, defaults to 'Not Started' (the PHP SDK does not send it)"),
    ("PROJECTCATEGORY values", "Contract, Capitalized, Internal Billable, Internal Non-billable"),
    ("AUDITHISTORY ACCESSMODE", "single letters C, M, D; SOURCE 'api'; demo data has no creation events"),
    (
        "closed periods",
        "meta 'records:<company>:closed_through' = mm/dd/yyyy; posting dates on or before it fail",
    ),
    ("retrievepdf", "ARINVOICE only; a one-page PDF written by the sandbox, not the company's template"),
    ("lookup/inspect <data> attributes", "listtype and count, as other reads"),
    ("returnFormat csv/json", "not implemented: a loud result failure"),
    ("approve/decline", "TIMESHEET only; by entry (ENTRYKEYS) or whole; APPROVEDBY/COMMENT not kept"),
    ("custom fields", "registered per company and object (meta records:<company>:custom_fields)"),
    ("Net-N term names", "'N30' / 'Net 30' give a due date; other terms need an explicit one"),
    (
        "duplicate bill number (UNSURE errorno)",
        "APBILL RECORDID unique per VENDORID among bills not Reversed (create_bill, create, update): "
        "BL34000061 'Another Bill with the given value(s) V, N  already exists ...' + BL01001973 "
        "'Could not create apbill record!'; invoice numbers are not checked (no evidence)",
    ),
    (
        "payment on a paid document / overpayment",
        "BL01001973 'Invoice N is paid in full already.' / 'The amount X exceeds the Y due on arinvoice N.'",
    ),
    (
        "undeposited funds account of a payment (UNSURE)",
        "must be a balance sheet account with a debit balance; others: BL01001973 'GL account N cannot "
        "hold undeposited funds ...'",
    ),
    (
        "bills paid in Intacct",
        "control pay_bill: TOTALPAID/TOTALDUE/STATE/WHENPAID move, lines paid first line first; no APPYMT "
        "record is kept",
    ),
    (
        "payments received in the UI",
        "control pay_invoice: an ARPYMT (Printed Check, undeposited funds 1010 by default) applied to the "
        "invoice in its entity, by user 'Admin'",
    ),
    (
        "auto-numbering (document sequencing)",
        "per company and object (PROJECT, CUSTOMER, VENDOR, EMPLOYEE); prefix + 4 digits (P-0001); an ID "
        "sent in a create is ignored (UNSURE: ignored or refused)",
    ),
    (
        "get_companyprefs preferences",
        "GEN: the documented ones; PA/AR/AP/EE: AUTONUMBER_PROJECTID/_CUSTOMERID/_VENDORID/_EMPLOYEEID = T/F "
        "(names modelled)",
    ),
    (
        "getUserPermissions answer",
        "<data><permissions><appSubscription> per module (Accounts Receivable, Accounts Payable, General "
        "Ledger, Company, Projects); policyName = object (lower case), rights List|View|Add|Edit|Delete; "
        "'API Proxy' policy with rights 'Permit'; needs View on USERINFO",
    ),
    (
        "Projects API Proxy (UNSURE text)",
        "role key PROJECTS_API_PROXY (letter A; '*' and 'module:PA' grant it); needed to create, approve or "
        "decline (also by updating STATE) a timesheet of an employee other than the login's own "
        "(User.employee_id) or with "
        "APPROVEDBY; without it PL04000005 naming the employee",
    ),
    (
        "timesheet entry hours (UNSURE)",
        "QTY must be more than 0 and at most 24 (BL01001973 'QTY x is not valid ...')",
    ),
    (
        "time on a Completed task (UNSURE)",
        "refused: BL01001973 'Task T of project P is Completed: time cannot be charged to it.'",
    ),
    (
        "TIMESHEETENTRY task reference",
        "TASKKEY (RECORDNO), or TASKID with the entry's PROJECTID; an unknown one is refused",
    ),
    (
        "AP/AR summaries (batches), payables-receivables.md §2",
        "object PRBATCH; create_*batch answer <key>; a document's batchkey must name an open summary of its "
        "kind; it posts on the summary's date (WHENPOSTED overridden); TOTAL/DOCUMENTS follow; titles "
        "unique per kind",
    ),
    (
        "document reversals (UNSURE texts and answer), payables-receivables.md §3.1",
        "reverse_bill/reverse_invoice/reverse_cctransaction write a Reversal document (lines negated, "
        "REVERSEDKEY) and mark the original Reversed (TOTALDUE 0, REVERSALKEY); <key> = the original; "
        "refused when paid, selected, a draft, already reversed, or dated before the document",
    ),
    (
        "payment reversals, payables-receivables.md §3.2",
        "reverse_arpayment/reverse_appayment: Complete payments only; every document it paid owes it again "
        "(STATE, WHENPAID, lines, party balance); the payment becomes Reversed",
    ),
    (
        "AP payment request states (UNSURE), payables-receivables.md §5.2",
        "create -> Submitted (ACTION Draft -> Draft); approve Submitted->Approved; decline "
        "Submitted->Declined; send Approved->Sent; confirm Approved/Sent->Complete; void "
        "Approved/Sent/Complete->Voided; STATE characters D S A U N C V R; every key checked first; "
        "no <data> in the answer",
    ),
    (
        "AP payment amounts, payables-receivables.md §5.3",
        "open requests select (TOTALSELECTED) what they settle and the credit they draw; Complete pays "
        "it; CREDITTOAPPLY settles without a named memo (UNSURE); ADVANCEKEY refused (advances not "
        "modelled)",
    ),
    (
        "deposits and other receipts, payables-receivables.md §7",
        "record_deposit: receipts in undeposited funds, once, not before their receipt date; "
        "OTHERRECEIPTS share the AR key space; a receipt into a bank account is Deposited at once",
    ),
    (
        "bank and card accounts, payables-receivables.md §7.1",
        "CHECKINGACCOUNT/SAVINGSACCOUNT need a balance sheet GL account; an inactive account is refused",
    ),
    (
        "customer charge cards (UNSURE), payables-receivables.md §11",
        "CUSTOMERCHARGECARD keeps only the last four digits; an expired card is refused; one default "
        "card per customer",
    ),
    (
        "DISPLAYCONTACT on updates, payables-receivables.md §9",
        "an empty block changes nothing; a filled block updates the customer/vendor and its display "
        "CONTACT (created if missing)",
    ),
    (
        "a time entry deleted in Intacct",
        "control delete_record(TIMESHEETENTRY): AUDITHISTORY 'D' event of timesheetentry; the sheet's "
        "HOURS and WHENMODIFIED move",
    ),
    (
        "journal entries (GLBATCH/GLENTRY)",
        "at least one line; TR_TYPE 1/-1; GL accounts must balance (text modelled), statistical accounts "
        "need not; no mixing; BATCHNO numbered per JOURNAL; posting date in an open period; STATE default "
        "Posted",
    ),
    (
        "journal entry REVERSEDATE",
        "after BATCH_DATE; books a reversing GLBATCH on that date (lines' TR_TYPE swapped, REVERSEDFROM / "
        "REVERSEDKEY link them); the reversal is neither updated nor deleted alone; deleting the original "
        "deletes it",
    ),
    ("custom allocation splits (GLENTRY SPLIT)", "not modelled: refused as unknown fields"),
    (
        "attachments (SUPDOC, SUPDOCFOLDER)",
        "legacy create/update/delete answered with <key>; a folder is required; a document without a name "
        "is 'Unnamed'; files must be base64; update adds files; in-use documents and non-empty folders are "
        "not deleted; supdocid required unless sequencing (set_autonumber SUPDOC) is on",
    ),
    (
        "allocations",
        "TYPE Percentage or Absolute; at least one entry naming a dimension; percentages total 100",
    ),
    (
        "expense reports (names EEXPENSES, EEXPENSESITEM, EEXPENSESBATCH, EXPENSEADJUSTMENTS, EPPAYMENT)",
        "created Submitted (or Draft); lines need an expense type or GL account and a positive amount; "
        "reimbursement requests pay them (Partially Paid / Paid, overpayment refused); reversal only when "
        "posted and unpaid; paid or reversed reports are not changed or deleted",
    ),
    (
        "get_list (2.1)",
        "lower-case fields with <key> = business ID, without 3.0 bookkeeping columns; operators = != <> < <= "
        "> >= like, not like, is null, is not null; an object outside the schema fails with the enumeration "
        "text (as a result failure)",
    ),
    (
        "readRelated",
        "relation = an owned line object, an object referencing this one, or the object this one references",
    ),
    (
        "readView / readReport",
        "company definitions (control create_view / create_report: object, filter, fields); readView pages "
        "like readByQuery; readReport waitTime 0 answers reportId + PENDING (readMore <reportId> pages), a "
        "wait answers the first page, returnDef the columns",
    ),
    (
        "getObjectTrail",
        "the record's AUDITHISTORY events, oldest first, as <AUDITHISTORY> records; objectKey RECORDNO or ID",
    ),
    (
        "getDimensions / getDimensionRelationships",
        "the standard dimensions the sandbox models; relationships from the schemas' references",
    ),
]


def supported_functions() -> list[str]:
    return registered_functions()


def supported_objects() -> list[tuple[str, str, str | None]]:
    """(object, label, business-ID field)."""
    return [(o.name, o.label, o.id_field) for o in sorted(all_objects(), key=lambda o: o.name)]


def modelled_faults() -> list[tuple[str, str]]:
    """(fault class, errorno) of the record faults whose code or text is modelled."""
    return [(f.__name__, f.errorno) for f in ALL_FAULTS if f.modelled]
