"""What the data half supports and where it chose a behaviour the evidence leaves open, for the
generated coverage document (the gateway's writer renders these lists)."""

from __future__ import annotations

from intacct_sandbox._contract import registered_functions
from intacct_sandbox.objects import all_objects
from intacct_sandbox.record_faults import ALL_FAULTS

#: (topic, the sandbox's choice) for behaviours the dossiers mark UNSURE or do not cover
MODELLED: list[tuple[str, str]] = [
    ("readByQuery syntax error", "result failure, errorno 'Query Failed', description2 names the problem"),
    (
        "unknown field in a query or field list",
        "result failure, errorno 'Query Failed' ('Invalid fields list')",
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
]


def supported_functions() -> list[str]:
    return registered_functions()


def supported_objects() -> list[tuple[str, str, str | None]]:
    """(object, label, business-ID field)."""
    return [(o.name, o.label, o.id_field) for o in sorted(all_objects(), key=lambda o: o.name)]


def modelled_faults() -> list[tuple[str, str]]:
    """(fault class, errorno) of the record faults whose code or text is modelled."""
    return [(f.__name__, f.errorno) for f in ALL_FAULTS if f.modelled]
