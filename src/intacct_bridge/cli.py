"""``intacct-bridge``: the service's command line.

    intacct-bridge run                      the whole demo: sandbox, migrate, admin, workspace, web + worker
    intacct-bridge serve --host H --port P  the web server only
    intacct-bridge worker [--workers N]     a Huey worker only (run many at scale)
    intacct-bridge workspace add SLUG (--company-id … --user-id … --password-file … | --credentials-file F)
    intacct-bridge token create WORKSPACE [--write]
    intacct-bridge test-connection WORKSPACE
    intacct-bridge createadmin [--username U]
    intacct-bridge <django command> …       e.g. migrate, showmigrations, shell

The sender credentials come from INTACCT_SENDER_ID / INTACCT_SENDER_PASSWORD (or *_FILE).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from intacct_bridge.workspaces.permissions import ALL_FAMILIES

OURS = {
    "run",
    "serve",
    "worker",
    "workspace",
    "member",
    "token",
    "test-connection",
    "createadmin",
    "rotate-keys",
    "status",
    "-h",
    "--help",
    "--version",
}


def say(message: str) -> None:
    print(message, flush=True)


def fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr, flush=True)
    return 2


class CliError(Exception):
    """Bad input: printed as one ``error:`` line, exit status 2, never a traceback."""


def _check_text(option: str, value: str | None) -> str:
    from intacct_bridge.workspaces import textcheck

    char = textcheck.bad_character(value or "")
    if char:
        raise CliError(f"{option} contains a control character ({char})")
    return value or ""


def _check_slug(slug: str) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_slug

    try:
        _check_text("the workspace slug", slug)
        validate_slug(slug)
    except (ValidationError, CliError):
        raise CliError(
            f"{slug!r} cannot be a workspace slug: use letters, digits, '-' and '_' only "
            "(it is part of every URL of the workspace)"
        ) from None
    if len(slug) > 50:
        raise CliError(f"the workspace slug is {len(slug)} characters long; at most 50")
    return slug


# --- commands -------------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    from intacct_bridge.demo import run_demo

    return run_demo(
        host=args.host, port=args.port, sandbox_port=args.sandbox_port, workers=args.workers, reset=args.reset
    )


def cmd_serve(args: argparse.Namespace) -> int:
    from intacct_bridge import serving

    server = serving.create_web_server(args.host, args.port, threads=args.threads)
    say(f"Intacct Bridge web server at {serving.server_url(server)} (Ctrl-C stops it)")
    serving.serve_forever(server)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from intacct_bridge import serving

    say(f"Intacct Bridge worker: {args.workers} {args.worker_type}(s) (Ctrl-C stops it)")
    serving.run_worker(args.workers, args.worker_type)
    return 0


def _read_text_file(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"{what} {path} does not exist") from None
    except IsADirectoryError:
        raise CliError(f"{what} {path} is a directory, not a file") from None
    except PermissionError:
        raise CliError(f"{what} {path} cannot be read (permission denied)") from None
    except UnicodeDecodeError:
        raise CliError(f"{what} {path} is not UTF-8 text") from None
    except OSError as exc:
        raise CliError(f"{what} {path} cannot be read: {exc.strerror}") from None


def _read_secret_file(path: str) -> str:
    secret = _read_text_file(path, "the password file").strip()
    if not secret:
        raise CliError(f"the password file {path} is empty")
    if "\n" in secret:
        raise CliError(f"the password file {path} holds more than one line; put only the password in it")
    _check_text(f"the password in {path}", secret)
    return secret


def _read_credentials_file(path: str) -> dict[str, str]:
    text = _read_text_file(path, "the credentials file")
    try:
        creds = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(f"the credentials file {path} is not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(creds, dict):
        raise CliError(f"the credentials file {path} must hold a JSON object")
    missing = [
        k
        for k in ("company_id", "user_id", "user_password")
        if not isinstance(creds.get(k), str) or not creds[k]
    ]
    if missing:
        raise CliError(f"the credentials file {path} lacks {', '.join(missing)}")
    for key, value in creds.items():
        if isinstance(value, str):
            _check_text(f"{key} in {path}", value)
    return creds


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CliError(
            f"no user {username!r} (create one with: intacct-bridge createadmin --username {username})"
        )
    return user


def _workspace(slug: str) -> Any:
    from intacct_bridge.workspaces.models import Workspace

    ws = Workspace.objects.filter(slug=slug).first()
    if ws is None:
        raise CliError(f"no workspace {slug!r}")
    return ws


def cmd_workspace_add(args: argparse.Namespace) -> int:
    from django.db import transaction

    from intacct_bridge.workspaces.connection import ChangeRefused, check_change
    from intacct_bridge.workspaces.models import DEFAULT_ENDPOINT, Connection, Membership, Profile, Workspace

    slug = _check_slug(args.slug)
    for option in ("name", "company_id", "user_id", "entity_id", "endpoint", "families", "admin"):
        _check_text("--" + option.replace("_", "-"), getattr(args, option))
    if args.credentials_file:
        creds = _read_credentials_file(args.credentials_file)
        company_id, user_id, password = creds["company_id"], creds["user_id"], creds["user_password"]
        endpoint = args.endpoint or creds.get("endpoint")
        entity_id = args.entity_id or ""
    else:
        if not (args.company_id and args.user_id and args.password_file):
            return fail("give --company-id, --user-id and --password-file, or --credentials-file")
        company_id, user_id = args.company_id, args.user_id
        password = _read_secret_file(args.password_file)
        endpoint, entity_id = args.endpoint, args.entity_id or ""
    families = [f.strip() for f in args.families.split(",")] if args.families else None
    unknown = sorted(set(families or []) - set(ALL_FAMILIES))
    if unknown:
        return fail(f"unknown families {', '.join(unknown)}; known: {', '.join(ALL_FAMILIES)}")
    user = _user(args.admin) if args.admin else None
    with transaction.atomic():
        ws, created = Workspace.objects.get_or_create(slug=slug, defaults={"name": args.name or slug})
        conn = Connection.objects.filter(workspace=ws).first()
        endpoint = endpoint or (conn.endpoint if conn else DEFAULT_ENDPOINT)
        try:
            check_change(conn, company_id=company_id, user_id=user_id, endpoint=endpoint, password_given=True)
        except ChangeRefused as exc:
            transaction.set_rollback(True)
            return fail(exc.message)
        if families is not None:
            ws.families = families
            ws.save(update_fields=["families"])
        conn = conn or Connection(workspace=ws)
        conn.company_id, conn.user_id, conn.entity_id = company_id, user_id, entity_id
        conn.endpoint = endpoint
        conn.set_password(password)
        conn.save()
        if user is not None:
            Membership.objects.update_or_create(workspace=ws, user=user, defaults={"profile": Profile.ADMIN})
    say(
        f"Workspace {ws.slug} {'created' if created else 'updated'}: company {company_id}, user {user_id}"
        + (f", entity {entity_id}" if entity_id else "")
        + f", endpoint {conn.endpoint}"
    )
    return 0


def cmd_workspace_list(args: argparse.Namespace) -> int:
    from intacct_bridge.workspaces.models import Workspace

    for ws in Workspace.objects.select_related("connection").order_by("slug"):
        conn = ws.connection_or_none
        state = "not connected" if conn is None else ("paused" if conn.paused else conn.company_id)
        say(f"{ws.slug}\t{ws.name}\t{state}")
    return 0


def cmd_member_add(args: argparse.Namespace) -> int:
    from intacct_bridge.workspaces.models import Membership

    ws = _workspace(args.workspace)
    user = _user(args.username)
    Membership.objects.update_or_create(workspace=ws, user=user, defaults={"profile": args.profile})
    say(f"{user.get_username()} is {args.profile} of {ws.slug}")
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    from intacct_bridge.workspaces.models import ApiToken

    ws = _workspace(args.workspace)
    _check_text("--name", args.name)
    _token, plaintext = ApiToken.issue(ws, write=args.write, name=args.name or "cli")
    print(
        f"# {'read-write' if args.write else 'read-only'} token for {ws.slug}; shown only this once",
        file=sys.stderr,
    )
    print(plaintext, flush=True)
    return 0


def cmd_test_connection(args: argparse.Namespace) -> int:
    from intacct_bridge.workspaces.models import Workspace
    from intacct_bridge.workspaces.setup_check import run_test_connection

    ws = Workspace.objects.filter(slug=args.workspace).first()
    if ws is None:
        return fail(f"no workspace {args.workspace!r}")
    say(f"Testing the connection of {ws.slug}…")
    test = run_test_connection(ws, None, via="cli")
    if args.json:
        say(
            json.dumps(
                {
                    "ok": test.ok,
                    "step": test.step,
                    "title": test.title,
                    "message": test.message,
                    "remedy": test.remedy,
                    "company": test.company,
                    "entity": test.entity,
                    "probes": test.probes,
                }
            )
        )
    else:
        say(("OK: " if test.ok else "FAILED: ") + test.title)
        if test.message:
            say(f"  {test.message}")
        if test.remedy:
            say(f"  What to do: {test.remedy}")
    return 0 if test.ok else 1


def cmd_createadmin(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError
    from django.core.validators import EmailValidator

    _check_text("--username", args.username)
    if not args.username or len(args.username) > 150:
        return fail("--username must be 1 to 150 characters")
    if args.email:
        try:
            EmailValidator()(args.email)
        except ValidationError:
            return fail(f"--email {args.email!r} is not an email address")
    password = _read_secret_file(args.password_file) if args.password_file else secrets.token_urlsafe(12)
    User = get_user_model()
    user, created = User.objects.get_or_create(username=args.username, defaults={"email": args.email or ""})
    user.set_password(password)
    user.is_staff = user.is_superuser = True
    user.save()
    say(f"{'Created' if created else 'Updated'} {args.username}")
    if not args.password_file:
        say(f"Password: {password}")
    return 0


def cmd_rotate_keys(args: argparse.Namespace) -> int:
    from intacct_bridge.workspaces import crypto
    from intacct_bridge.workspaces.models import Connection

    count = 0
    for conn in Connection.objects.all():
        Connection.objects.filter(pk=conn.pk).update(
            encrypted_password=crypto.rotate(conn.encrypted_password)
        )
        count += 1
    say(f"Re-encrypted {count} connection(s) with the newest key")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """What this process is configured with, checked against the real services: one line on
    stderr per service that is down (no traceback), the facts as JSON, exit 1 when any is down."""
    from django.conf import settings
    from django.db import DatabaseError, connection
    from huey.contrib.djhuey import HUEY

    from intacct_bridge.jobs import queueing

    database_problem = ""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        database_problem = f"{type(exc).__name__}: {exc}".strip().splitlines()[0]
    queue_problem = queueing.check()
    if database_problem:
        print(f"error: the database is down ({connection.vendor}): {database_problem}", file=sys.stderr)
    if queue_problem:
        print(f"error: the queue is down ({type(HUEY).__name__}): {queue_problem}", file=sys.stderr)
    say(
        json.dumps(
            {
                "database": connection.vendor,
                "database_name": str(settings.DATABASES["default"]["NAME"]),
                "database_ok": not database_problem,
                "queue": type(HUEY).__name__,
                "queue_ok": not queue_problem,
                "var_dir": str(settings.VAR_DIR),
                "sender_configured": bool(settings.INTACCT_SENDER_ID),
            }
        )
    )
    return 1 if database_problem or queue_problem else 0


# --- parser ---------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from intacct_bridge import __version__
    from intacct_bridge import sync_cli as sync_commands

    parser = argparse.ArgumentParser(
        prog="intacct-bridge",
        description="Intacct Bridge: sync an app with Sage "
        "Intacct. Other commands are passed to Django management (migrate, …).",
    )
    parser.add_argument("--version", action="version", version=f"intacct-bridge {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("run", help="the demo: sandbox + demo data, migrate, admin, workspace, web + worker")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    p.add_argument("--sandbox-port", type=int, default=8001, help="the embedded sandbox's port (0: any)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--reset", action="store_true", help="start the sandbox from fresh demo data")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("serve", help="the web server only")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    p.add_argument("--threads", type=int, default=8)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="a Huey worker (run as many as needed)")
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--worker-type", choices=["thread", "process", "greenlet"], default="thread")
    p.set_defaults(func=cmd_worker)

    ws = sub.add_parser("workspace", help="workspaces").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = ws.add_parser("add", help="create or update a workspace and its connection")
    p.add_argument("slug")
    p.add_argument("--name")
    p.add_argument("--company-id")
    p.add_argument("--user-id")
    p.add_argument("--password-file", help="a file holding the Web Services user's password")
    p.add_argument("--entity-id")
    p.add_argument("--endpoint")
    p.add_argument("--credentials-file", help="JSON as written by intacct-sandbox serve --credentials-out")
    p.add_argument("--families", help=f"comma-separated, from: {','.join(ALL_FAMILIES)}")
    p.add_argument("--admin", help="username to make admin of the workspace")
    p.set_defaults(func=cmd_workspace_add)
    p = ws.add_parser("list", help="list workspaces")
    p.set_defaults(func=cmd_workspace_list)

    mem = sub.add_parser("member", help="memberships").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = mem.add_parser("add", help="add a user to a workspace with a profile")
    p.add_argument("workspace")
    p.add_argument("username")
    p.add_argument(
        "--profile",
        choices=["admin", "controller", "project_manager", "collaborator"],
        default="collaborator",
    )
    p.set_defaults(func=cmd_member_add)

    tok = sub.add_parser("token", help="API tokens").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = tok.add_parser("create", help="print a new API token (once)")
    p.add_argument("workspace")
    p.add_argument("--write", action="store_true", help="read-write (default read-only)")
    p.add_argument("--name")
    p.set_defaults(func=cmd_token_create)

    p = sub.add_parser(
        "test-connection", help="test a workspace's Intacct connection; names the missing step"
    )
    p.add_argument("workspace")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_test_connection)

    p = sub.add_parser("createadmin", help="create (or reset) a sign-in user; prints a generated password")
    p.add_argument("--username", default="admin")
    p.add_argument("--email")
    p.add_argument("--password-file")
    p.set_defaults(func=cmd_createadmin)

    p = sub.add_parser("rotate-keys", help="re-encrypt stored credentials with the newest encryption key")
    p.set_defaults(func=cmd_rotate_keys)

    p = sub.add_parser("status", help="database and queue in use, checked live")
    p.set_defaults(func=cmd_status)

    sync_commands.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intacct_bridge.settings")
    import django

    django.setup()
    parser = build_parser()
    commands = set(OURS) | set(_subcommand_names(parser))
    if argv and argv[0] not in commands:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["intacct-bridge", *argv])
        return 0
    from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist

    args = parser.parse_args(argv)
    func: Any = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 0
    try:
        if args.command not in ("run", "worker", "status"):
            _ensure_migrated()
        if args.command in ("serve", "worker"):
            _pause_disallowed_endpoints()
        return int(func(args) or 0)
    except CliError as exc:
        return fail(str(exc))
    except ObjectDoesNotExist as exc:
        # a family command's lookup of a workspace or record that is not there
        return fail(str(exc) or "not found")
    except ImproperlyConfigured as exc:
        # a setting the operator must fix (INTACCT_BRIDGE_ALLOWED_ENDPOINTS, …): one line, no traceback
        return fail(str(exc))


def _pause_disallowed_endpoints() -> None:
    """At start: connections whose endpoint the allowlist does not cover are paused, with a banner."""
    from intacct_bridge.workspaces.endpoints import SETTING, rules
    from intacct_bridge.workspaces.health import pause_disallowed_endpoints

    rules()  # a malformed setting stops the process here, with one line
    paused = pause_disallowed_endpoints()
    if paused:
        say(f"Paused {paused} workspace(s) whose Intacct endpoint is not in {SETTING}")


def _subcommand_names(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


def _ensure_migrated() -> None:
    """Commands that write the database migrate it first, so they work on a fresh install."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        say("Migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
