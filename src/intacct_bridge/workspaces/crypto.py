"""Encryption at rest of the Intacct credentials (Fernet: AES-128-CBC + HMAC-SHA256).

Keys: ``INTACCT_BRIDGE_ENCRYPTION_KEY`` (or ``_FILE``), several separated by commas, newest first:
new values are encrypted with the first, old values decrypt with any (MultiFernet), and
``intacct-bridge rotate-keys`` re-encrypts everything with the first. Without the variable a key is
generated once into ``var/encryption.key`` with mode 0600. See docs/operations.md.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from intacct_bridge.env import private_file

__all__ = ["InvalidToken", "decrypt", "encrypt", "keyring", "rotate"]


@cache
def keyring() -> MultiFernet:
    configured = str(getattr(settings, "INTACCT_BRIDGE_ENCRYPTION_KEY", "") or "")
    keys = [k.strip() for k in configured.split(",") if k.strip()]
    if not keys:
        keys = [private_file(settings.VAR_DIR / "encryption.key", Fernet.generate_key().decode())]
    return MultiFernet([Fernet(k.encode()) for k in keys])


def encrypt(plaintext: str) -> str:
    return keyring().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    return keyring().decrypt(token.encode("ascii")).decode("utf-8")


def rotate(token: str) -> str:
    """The same secret encrypted with the newest key."""
    return keyring().rotate(token.encode("ascii")).decode("ascii")
