"""jobs: see docs/INTERFACES.md §3."""
