"""sync: see docs/INTERFACES.md §3."""
