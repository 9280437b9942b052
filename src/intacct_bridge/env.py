"""Reading configuration from the environment (healthchecks' habit): tiny helpers, ``*_FILE`` secrets.

Kept free of Django so that settings.py and the CLI can both use it before Django is set up.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

TRUE = {"1", "true", "yes", "on"}


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in TRUE


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envsecret(name: str, default: str = "") -> str:
    """``NAME`` or the contents of the file named by ``NAME_FILE`` (Docker/Kubernetes secrets)."""
    value = os.environ.get(name)
    if value:
        return value
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return default


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def var_dir() -> Path:
    """Where the embedded defaults keep their state (SQLite files, keys): ``$INTACCT_BRIDGE_VAR_DIR``
    or ``./var``. Created on first use."""
    path = Path(os.environ.get("INTACCT_BRIDGE_VAR_DIR") or Path.cwd() / "var").resolve()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def private_file(path: Path, make: str) -> str:
    """Read ``path``, or create it with content ``make`` and mode 0600 if it does not exist.

    Created with O_EXCL so two processes starting at once agree on one value.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # another process may have created it a moment ago and not written it yet
        for _ in range(50):
            value = path.read_text(encoding="utf-8").strip()
            if value:
                return value
            time.sleep(0.02)
        raise RuntimeError(f"{path} exists but is empty; delete it to have it regenerated") from None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(make + "\n")
    return make
