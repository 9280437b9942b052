"""The operator settings of this app, read from Django settings first, then the environment, at use
(so a test's ``settings`` override applies; see docs/operations.md)."""

from __future__ import annotations

from django.conf import settings

from intacct_bridge.env import env, envbool, envint, envsecret


def metrics_token() -> str:
    """``INTACCT_BRIDGE_METRICS_TOKEN``: when set, /metrics wants ``Authorization: Bearer <it>``."""
    value = getattr(settings, "INTACCT_BRIDGE_METRICS_TOKEN", None)
    return str(value) if value is not None else envsecret("INTACCT_BRIDGE_METRICS_TOKEN")


def log_json() -> bool:
    """``INTACCT_BRIDGE_LOG_JSON=1``: log lines as JSON objects, one line per run start/end/failure."""
    value = getattr(settings, "INTACCT_BRIDGE_LOG_JSON", None)
    return bool(value) if value is not None else envbool("INTACCT_BRIDGE_LOG_JSON", False)


def digest_enabled() -> bool:
    value = getattr(settings, "INTACCT_BRIDGE_DIGEST", None)
    return bool(value) if value is not None else envbool("INTACCT_BRIDGE_DIGEST", True)


def digest_hour() -> int:
    """The UTC hour the daily failure digest goes out (``INTACCT_BRIDGE_DIGEST_HOUR``, default 7)."""
    hour = envint("INTACCT_BRIDGE_DIGEST_HOUR", 7)
    if not 0 <= hour <= 23:
        raise ValueError(f"INTACCT_BRIDGE_DIGEST_HOUR must be 0..23, got {hour}")
    return hour


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", "") or env("SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
