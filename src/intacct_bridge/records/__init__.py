"""records: see docs/INTERFACES.md §3."""
