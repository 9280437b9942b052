"""Function handlers. Importing the package registers every handler with ``@function``."""

from intacct_sandbox.functions import (  # noqa: F401
    company_docs,
    company_info,
    expenses,
    generic_reads,
    legacy,
    pdf,
    query_fn,
    reads,
    schema,
    timesheets,
    writes,
)

__all__: list[str] = []
