"""The only way the service obtains an Intacct client: ``client_for(workspace)``.

One place for the sender credentials (instance-wide, from settings), the endpoint, timeouts and
limits, so every Intacct call of a workspace behaves the same and nothing else handles passwords.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

import intacct
from intacct_bridge.workspaces import endpoints
from intacct_bridge.workspaces.models import Connection, Workspace


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


class ChangeRefused(Exception):
    """A connection change that must not be saved: ``field``, an error ``code`` and the sentence."""
    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field, self.code, self.message = field, code, message


def check_change(
    conn: Connection | None, *, company_id: str, user_id: str, endpoint: str, password_given: bool
) -> None:
    """Refuse a change (API, form, CLI alike) that would send credentials somewhere unapproved.

    - the endpoint must be on the operator's allowlist (``endpoints``);
    - a new connection needs a password;
    - a stored password is only ever sent to the endpoint, company and user it was saved with:
      changing any of them needs the password again in the same request.
    """
    refused = endpoints.refusal(endpoint)
    if refused is not None:
        raise ChangeRefused("endpoint", endpoints.CODE, refused)
    if password_given:
        return
    if conn is None or not conn.encrypted_password:
        raise ChangeRefused("password", "invalid", "password: required for a new connection")
    changed = [
        label
        for label, old, new in (
            ("endpoint", conn.endpoint, endpoint),
            ("company ID", conn.company_id, company_id),
            ("user ID", conn.user_id, user_id),
        )
        if old != new
    ]
    if changed:
        raise ChangeRefused(
            "password",
            "password_required",
            f"password: required when the {' and '.join(changed)} change"
            + ("s" if len(changed) == 1 else "")
            + "; the stored password is only ever sent where it was saved for",
        )


def connection_of(workspace: Workspace) -> Connection:
    conn = Connection.objects.filter(workspace=workspace).first()
    if conn is None:
        raise NotConnected(f"Workspace {workspace.slug} is not connected to Intacct yet.")
    return conn


def check_endpoint(conn: Connection) -> None:
    """Refuse (and pause the workspace) if the saved endpoint is not on the operator's allowlist:
    a connection saved before the allowlist, or before the operator narrowed it, is never used."""
    refused = endpoints.refusal(conn.endpoint)
    if refused is not None:
        # imported here: health imports setup_check, which imports this module
        from intacct_bridge.workspaces import health

        health.enforce_endpoint(conn)
        raise intacct.EndpointNotAllowed(refused[:1].upper() + refused[1:] + ".", endpoint=conn.endpoint)


def client_for(workspace: Workspace, **options: Any) -> intacct.Client:
    """A new client logged in as the workspace's Web Services user (lazily: nothing is sent yet).

    The caller closes it (``client.close()``). Callers that sync must check
    ``health.is_paused(workspace)`` first: a paused workspace's login is known to fail, and retrying
    it would lock the Intacct user out. ``options`` go to ``intacct.Client`` (max_retries, ...).
    """
    conn = connection_of(workspace)
    check_endpoint(conn)
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
    # the endpoint getAPISession answers must be on the allowlist too
    options.setdefault("allowed_endpoints", endpoints.is_allowed)
    return intacct.Client(credentials, endpoint=conn.endpoint, **options)
