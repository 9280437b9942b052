"""Fixtures of the tests of workspaces, their connection, Test connection and health: the shared cast
of ``tests/bridge/conftest.py`` is all they need."""
