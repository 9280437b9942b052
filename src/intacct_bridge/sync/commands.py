"""`intacct-bridge` subcommands of the sync engine (sync, import, records)."""

import argparse


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add this module's subcommands; each sets ``func`` to a callable taking the parsed args."""
