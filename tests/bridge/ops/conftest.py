"""Fixtures of the tests of the ops app (metrics, health, the operator overview, the failure digest):
the shared cast of ``tests/bridge/conftest.py`` is all they need."""
