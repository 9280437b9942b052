"""Fixtures of the tests of the core families (clients, departments, people, accounts, vendors).

Nothing of their own yet: the shared cast, ``ws``, ``company``, ``remote`` and ``run_commits`` come
from ``tests/bridge/conftest.py``, which also runs Huey inline in this directory.
"""
