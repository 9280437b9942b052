"""Fixtures of the tests of the engine.

Nothing of their own yet: the shared cast, ``ws``, ``company``, ``remote`` and ``run_commits`` come
from ``tests/bridge/conftest.py``, which also runs Huey inline in this directory.
"""
