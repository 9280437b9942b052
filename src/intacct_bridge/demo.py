"""``intacct-bridge run``: the whole thing on one machine, against the embedded Intacct sandbox.

1. start the sandbox (state in var/sandbox.sqlite3) with its demo company, on 127.0.0.1;
2. migrate the database; create the admin user (password generated once into var/, printed);
3. create the demo workspace, connected to the sandbox's demo company, and Test connection;
4. serve the web app (waitress) with a Huey worker in threads of the same process;
5. print the URL and the sign-in; Ctrl-C stops everything cleanly.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command

from intacct_bridge import serving
from intacct_bridge.env import private_file
from intacct_bridge.workspaces import endpoints
from intacct_bridge.workspaces.models import Connection, Membership, Profile, Workspace
from intacct_bridge.workspaces.permissions import ALL_FAMILIES
from intacct_bridge.workspaces.setup_check import run_test_connection
from intacct_sandbox import Sandbox, SandboxServer

DEMO_SLUG = "demo"
ADMIN = "admin"


def say(message: str) -> None:
    print(message, flush=True)


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def start_sandbox(var: Path, port: int, reset: bool) -> tuple[Any, Any, dict[str, Any]]:
    """(sandbox, running server, demo credentials with endpoint)."""
    state, creds_file = var / "sandbox.sqlite3", var / "sandbox-credentials.json"
    fresh = reset or not (state.exists() and creds_file.exists())
    if reset:
        for path in (state, creds_file):
            path.unlink(missing_ok=True)
    sandbox = Sandbox(path=str(state))
    if fresh:
        say("Seeding the sandbox's demo company…")
        creds = dict(sandbox.seed_demo(seed=1))
        creds.pop("endpoint", None)
        _write_private(creds_file, json.dumps(creds, indent=2))
    else:
        creds = json.loads(creds_file.read_text(encoding="utf-8"))
    server = SandboxServer(sandbox, host="127.0.0.1", port=port)
    server.__enter__()
    creds["endpoint"] = server.endpoint
    # this process only: the operator's allowlist (INTACCT_BRIDGE_ALLOWED_ENDPOINTS) stays as set
    # for every other process; a `serve` on the same var/ pauses the demo workspace instead
    endpoints.allow_for_this_process(server.endpoint)
    # the demo runs on loopback: its webhooks may go to a receiver on this machine (http, 127.0.0.1),
    # as INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE=1 allows
    settings.INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE = True
    _write_private(var / "sandbox-credentials.json", json.dumps(creds, indent=2))
    return sandbox, server, creds


def use_sender(sandbox: Any, creds: dict[str, Any]) -> None:
    """The instance's sender: the operator's if configured (then registered in the sandbox too),
    else the sandbox's demo sender."""
    if settings.INTACCT_SENDER_ID and settings.INTACCT_SENDER_PASSWORD:
        sandbox.control.register_sender(settings.INTACCT_SENDER_ID, settings.INTACCT_SENDER_PASSWORD)
        sandbox.control.authorize_sender(creds["company_id"], settings.INTACCT_SENDER_ID)
    else:
        settings.INTACCT_SENDER_ID = creds["sender_id"]
        settings.INTACCT_SENDER_PASSWORD = creds["sender_password"]


def ensure_admin(var: Path) -> str:
    from django.contrib.auth import get_user_model

    password = private_file(var / "admin-password", secrets.token_urlsafe(12))
    User = get_user_model()
    user = User.objects.filter(username=ADMIN).first() or User(
        username=ADMIN, is_staff=True, is_superuser=True
    )
    if not user.pk or not user.check_password(password):
        user.set_password(password)
        user.save()
    return password


def ensure_demo_workspace(creds: dict[str, Any]) -> Any:
    from django.contrib.auth import get_user_model


    ws, _ = Workspace.objects.get_or_create(
        slug=DEMO_SLUG, defaults={"name": "Demo company (sandbox)", "families": list(ALL_FAMILIES)}
    )
    admin = get_user_model().objects.get(username=ADMIN)
    Membership.objects.get_or_create(workspace=ws, user=admin, defaults={"profile": Profile.ADMIN})
    conn = Connection.objects.filter(workspace=ws).first() or Connection(workspace=ws)
    conn.company_id, conn.user_id, conn.endpoint = creds["company_id"], creds["user_id"], creds["endpoint"]
    conn.set_password(creds["user_password"])
    conn.save()
    for config in django_apps.get_app_configs():
        # a family app's demo settings (an AR account choice, a project category): ``demo_setup(ws)``
        setup = getattr(config, "demo_setup", None)
        if setup is not None:
            setup(ws)
    return ws


def run_demo(host: str, port: int, sandbox_port: int, workers: int, reset: bool) -> int:
    var = Path(settings.VAR_DIR)
    say(f"Intacct Bridge demo (state in {var})")
    say("Starting the Intacct sandbox…")
    sandbox, sandbox_server, creds = start_sandbox(var, sandbox_port, reset)
    try:
        say(f"  sandbox at {sandbox_server.url} (company {creds['company_id']})")
        use_sender(sandbox, creds)
        say("Migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)
        password = ensure_admin(var)
        ws = ensure_demo_workspace(creds)
        say("Testing the demo workspace's connection…")
        test = run_test_connection(ws, None, via="run")
        say(f"  {'OK' if test.ok else 'FAILED'}: {test.title}")
        web = serving.create_web_server(host, port)
        url = serving.server_url(web)
        with serving.worker_threads(workers):
            say("")
            say(f"Intacct Bridge is running at {url}/")
            say(f"Sign in as {ADMIN} with password {password}")
            say("Ctrl-C stops it.")
            serving.serve_forever(web)
    finally:
        sandbox_server.__exit__(None, None, None)
    say("Stopped.")
    return 0
