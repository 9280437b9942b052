"""pytest fixtures for the Intacct sandbox (being written)."""
