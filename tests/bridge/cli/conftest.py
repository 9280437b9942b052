"""Fixtures of the tests of the ``intacct-bridge`` command line: the shared cast of
``tests/bridge/conftest.py`` is all they need."""
