"""The ``intacct-bridge`` subcommands of the sync engine: ``sync``, ``import`` and ``records``.

    intacct-bridge sync WORKSPACE [--family F] [--key-scan]
    intacct-bridge import WORKSPACE FAMILY (--all | RECORDNO ...) [--profile P] [--no-departments]
    intacct-bridge records WORKSPACE FAMILY --json

Only the arguments live here: ``cli.build_parser`` imports this module before ``django.setup()``
has loaded the app registry, so what the commands do (``sync_commands.py``, which loads models) is
imported when one runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from intacct_bridge.workspaces.permissions import ALL_FAMILIES


def _later(name: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        # after django.setup(): see the module's docstring
        from intacct_bridge import sync_commands

        command: Callable[[argparse.Namespace], int] = getattr(sync_commands, name)
        return command(args)

    return run


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's subcommands; each sets ``func`` to a callable taking the parsed args."""
    p = subparsers.add_parser("sync", help="sync a workspace with Intacct now (all families or one)")
    p.add_argument("workspace")
    p.add_argument(
        "--family", help=f"one of: {', '.join(ALL_FAMILIES)} (default: every family the workspace has on)"
    )
    # removals are checked by every sync (AUDITHISTORY); this forces the full key-only reconciliation
    p.add_argument("--key-scan", action="store_true", help="also compare every RECORDNO with Intacct's")
    p.add_argument("--json", action="store_true", help="print the run as JSON")
    p.set_defaults(func=_later("cmd_sync"))

    p = subparsers.add_parser("import", help="create local records from Intacct records")
    p.add_argument("workspace")
    p.add_argument("family")
    p.add_argument("ids", nargs="*", help="Intacct RECORDNOs to import")
    p.add_argument("--all", action="store_true", help="import every record not linked yet")
    p.add_argument("--profile", help="people: permission profile of imported team members")
    p.add_argument(
        "--no-departments",
        action="store_true",
        help="people: do not assign them to their imported Intacct departments",
    )
    p.add_argument("--json", action="store_true", help="print the run as JSON")
    p.set_defaults(func=_later("cmd_import"))

    p = subparsers.add_parser("records", help="list a family's local records and their links")
    p.add_argument("workspace")
    p.add_argument("family")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=_later("cmd_records"))
