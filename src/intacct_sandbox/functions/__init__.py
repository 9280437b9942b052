"""Function handlers. Importing the package registers every handler with ``@function``."""

from intacct_sandbox.functions import (  # noqa: F401
    batches,
    cash,
    company_docs,
    company_info,
    expenses,
    generic_reads,
    legacy,
    line_updates,
    payables,
    payment_requests,
    pdf,
    query_fn,
    reads,
    receivables,
    reversals,
    schema,
    timesheets,
    writes,
)

__all__: list[str] = []
