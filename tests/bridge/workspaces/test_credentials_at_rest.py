"""Credentials are encrypted at rest; keys come from the environment or a 0600 key file; rotation."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.db import connection as db

from intacct_bridge.workspaces import crypto
from intacct_bridge.workspaces.models import Connection, Workspace

SECRET = "s3cret-Intacct-passw0rd"


@pytest.fixture
def fresh_keyring(settings: Any, tmp_path: Path) -> Any:
    settings.VAR_DIR = tmp_path
    crypto.keyring.cache_clear()
    yield settings
    crypto.keyring.cache_clear()


def _raw_rows() -> list[tuple[Any, ...]]:
    with db.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Connection._meta.db_table}")
        return list(cursor.fetchall())


def test_the_raw_database_row_holds_no_plaintext_password(workspace: Workspace) -> None:
    conn = Connection(workspace=workspace, company_id="ACME", user_id="ws_user")
    conn.set_password(SECRET)
    conn.save()
    rows = _raw_rows()
    assert rows
    assert all(SECRET not in str(value) for row in rows for value in row)
    assert Connection.objects.get(pk=conn.pk).get_password() == SECRET


def test_repr_and_str_never_show_the_password(workspace: Workspace) -> None:
    conn = Connection(workspace=workspace, company_id="ACME", user_id="ws_user")
    conn.set_password(SECRET)
    assert SECRET not in repr(conn) and SECRET not in str(conn)
    assert conn.encrypted_password not in repr(conn)


def test_without_a_configured_key_it_generates_a_0600_key_file(fresh_keyring: Any, tmp_path: Path) -> None:
    fresh_keyring.INTACCT_BRIDGE_ENCRYPTION_KEY = ""
    token = crypto.encrypt("x")
    key_file = tmp_path / "encryption.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    Fernet(key_file.read_text().strip().encode()).decrypt(token.encode())  # that key was used


def test_a_configured_key_is_used_and_no_file_is_written(fresh_keyring: Any, tmp_path: Path) -> None:
    key = Fernet.generate_key()
    fresh_keyring.INTACCT_BRIDGE_ENCRYPTION_KEY = key.decode()
    token = crypto.encrypt("hello")
    assert Fernet(key).decrypt(token.encode()) == b"hello"
    assert not (tmp_path / "encryption.key").exists()


def test_rotation_old_values_still_decrypt_and_rotate_to_the_new_key(fresh_keyring: Any) -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    fresh_keyring.INTACCT_BRIDGE_ENCRYPTION_KEY = old.decode()
    token = crypto.encrypt("pw")
    crypto.keyring.cache_clear()
    fresh_keyring.INTACCT_BRIDGE_ENCRYPTION_KEY = f"{new.decode()}, {old.decode()}"
    assert crypto.decrypt(token) == "pw"
    rotated = crypto.rotate(token)
    assert Fernet(new).decrypt(rotated.encode()) == b"pw"
    crypto.keyring.cache_clear()
    fresh_keyring.INTACCT_BRIDGE_ENCRYPTION_KEY = new.decode()
    assert crypto.decrypt(rotated) == "pw"
    with pytest.raises(crypto.InvalidToken):
        crypto.decrypt(token)


def test_the_rotate_keys_command_reencrypts_every_connection(
    fresh_keyring: Any, workspace: Workspace
) -> None:
    from intacct_bridge.cli import main

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    fresh_keyring.INTACCT_BRIDGE_ENCRYPTION_KEY = old
    conn = Connection(workspace=workspace, company_id="ACME", user_id="ws")
    conn.set_password(SECRET)
    conn.save()
    crypto.keyring.cache_clear()
    fresh_keyring.INTACCT_BRIDGE_ENCRYPTION_KEY = f"{new},{old}"
    assert main(["rotate-keys"]) == 0
    crypto.keyring.cache_clear()
    fresh_keyring.INTACCT_BRIDGE_ENCRYPTION_KEY = new
    assert Connection.objects.get(pk=conn.pk).get_password() == SECRET
