"""Function handlers. Importing the package registers every handler with ``@function``."""

from intacct_sandbox.functions import legacy, pdf, query_fn, reads, schema, timesheets, writes  # noqa: F401

__all__: list[str] = []
