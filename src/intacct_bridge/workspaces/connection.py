"""The only way the service obtains an Intacct client: ``client_for(workspace)``.

One place for the sender credentials (instance-wide, from settings), the endpoint, timeouts and
limits, so every Intacct call of a workspace behaves the same and nothing else handles passwords.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings

from intacct_bridge.workspaces.models import Connection, Workspace

if TYPE_CHECKING:
    import intacct


class NotConnected(Exception):
    """The workspace has no saved connection yet."""


class SenderNotConfigured(Exception):
    """This instance has no sender ID/password (INTACCT_SENDER_ID / INTACCT_SENDER_PASSWORD)."""


def sender() -> tuple[str, str]:
    sender_id = str(getattr(settings, "INTACCT_SENDER_ID", "") or "")
    password = str(getattr(settings, "INTACCT_SENDER_PASSWORD", "") or "")
    if not sender_id or not password:
        raise SenderNotConfigured(
            "This instance has no Intacct sender ID: set INTACCT_SENDER_ID and INTACCT_SENDER_PASSWORD "
            "(or their _FILE forms)."
        )
    return sender_id, password


def sender_id() -> str:
    """The instance's sender ID for display (the setup checklist), "" if not configured."""
    return str(getattr(settings, "INTACCT_SENDER_ID", "") or "")


def connection_of(workspace: Workspace) -> Connection:
    conn = Connection.objects.filter(workspace=workspace).first()
    if conn is None:
        raise NotConnected(f"Workspace {workspace.slug} is not connected to Intacct yet.")
    return conn


def client_for(workspace: Workspace, **options: Any) -> intacct.Client:
    """A new client logged in as the workspace's Web Services user (lazily: nothing is sent yet).

    The caller closes it (``client.close()``). Callers that sync must check
    ``health.is_paused(workspace)`` first: a paused workspace's login is known to fail, and retrying
    it would lock the Intacct user out. ``options`` go to ``intacct.Client`` (max_retries, ...).
    """
    import intacct

    conn = connection_of(workspace)
    sender_id, sender_password = sender()
    credentials = intacct.Credentials(
        sender_id,
        sender_password,
        conn.company_id,
        conn.user_id,
        conn.get_password(),
        entity_id=conn.entity_id or None,
    )
    options.setdefault("timeout", settings.INTACCT_TIMEOUT)
    return intacct.Client(credentials, endpoint=conn.endpoint, **options)
