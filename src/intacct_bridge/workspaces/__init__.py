"""Tenancy: workspaces, members and profiles, the encrypted Intacct connection, the setup check."""
