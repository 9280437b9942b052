"""Settings, all from the environment, with defaults that run locally without any (see docs/configuration.md).

Embedded defaults: SQLite and a Huey SQLite queue under ``var/``. At scale: ``DATABASE_URL``
(PostgreSQL) and ``REDIS_URL`` (Huey on Redis), many ``intacct-bridge worker`` processes.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

from intacct_bridge.env import env, envbool, envint, envlist, envsecret, private_file, var_dir

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = var_dir()

# A generated key in var/ keeps sessions valid across restarts of a local install without any setup.
SECRET_KEY = envsecret("SECRET_KEY") or private_file(VAR_DIR / "secret.key", secrets.token_urlsafe(50))
# Off by default: Django's debug pages show local variables, and those may hold a password.
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "intacct_bridge.workspaces",
    "intacct_bridge.records",
    "intacct_bridge.sync",
    # the family apps after sync: their ready() registers families in dependency order
    "intacct_bridge.ap",
    "intacct_bridge.ar",
    "intacct_bridge.psa",
    "intacct_bridge.timesheets",
    "intacct_bridge.webhooks",
    "intacct_bridge.jobs",
    "intacct_bridge.api",
    "intacct_bridge.web",
    "intacct_bridge.ops",
    "huey.contrib.djhuey",
    "ninja",
    # sign-in throttling (failed attempts per username and per address)
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "intacct_bridge.web.security.SecurityHeadersMiddleware",
    "intacct_bridge.api.errors.ApiErrorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last, as django-axes requires: it answers a locked-out sign-in
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "intacct_bridge.urls"
WSGI_APPLICATION = "intacct_bridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "intacct_bridge.web.context.bridge",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        envsecret("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'intacct-bridge.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a worker writes; the timeout rides out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
if env("TEST_DATABASE_NAME", ""):
    # lets several test runs share one PostgreSQL server without dropping each other's database
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", "")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envsecret("REDIS_URL")
HUEY_IMMEDIATE = envbool("HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env("HUEY_NAME", "intacct-bridge"),
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "utc": True,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "intacct-bridge",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "utc": True,
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
# Always Secure when set; otherwise Secure whenever the request itself is https (web.security).
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy: trust its X-Forwarded-Proto (https) and X-Forwarded-For (the
# client address sign-in throttling counts). Only when the proxy overwrites those headers.
INTACCT_BRIDGE_TRUST_PROXY = envbool("INTACCT_BRIDGE_TRUST_PROXY", False)
if INTACCT_BRIDGE_TRUST_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# empty: web.security.DEFAULT_POLICY
CONTENT_SECURITY_POLICY = env("CONTENT_SECURITY_POLICY", "")

# Sign-in throttling (django-axes): 5 failures within 15 minutes for a username, or from an
# address, refuse further sign-ins for them (even with the right password) until 15 minutes
# without a failure have passed. Unlock: `intacct-bridge axes_reset_username USER` (docs/operations.md).
AUTHENTICATION_BACKENDS = [
    "intacct_bridge.web.security.SignInThrottle",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("INTACCT_BRIDGE_SIGNIN_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("INTACCT_BRIDGE_SIGNIN_COOLOFF_MINUTES", 15))
# two separate counters: one per username (whatever the address), one per address
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "intacct_bridge.web.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

# Static files come from the app itself (no CDN, no internet): see intacct_bridge.web.static.
STATIC_URL = "/static/"
STATIC_DIR = PACKAGE_DIR / "web" / "static"
# the same folder, for the test live server's static handler
STATIC_ROOT = str(STATIC_DIR)

# The integration vendor's sender credentials: here, the operator's, one pair for the instance.
INTACCT_SENDER_ID = envsecret("INTACCT_SENDER_ID")
INTACCT_SENDER_PASSWORD = envsecret("INTACCT_SENDER_PASSWORD")
INTACCT_ENDPOINT = env("INTACCT_ENDPOINT", "https://api.intacct.com/ia/xml/xmlgw.phtml")
INTACCT_TIMEOUT = float(env("INTACCT_TIMEOUT", "60"))
# Where Intacct credentials may be sent (workspaces.endpoints; docs/configuration.md).
INTACCT_BRIDGE_ALLOWED_ENDPOINTS = env(
    "INTACCT_BRIDGE_ALLOWED_ENDPOINTS", "https://api.intacct.com/ia/xml/xmlgw.phtml,https://*.intacct.com/"
)

# Webhooks (webhooks.targets): plain http and private, loopback or link-local receivers only when set
INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE = envbool("INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE", False)

# Fernet keys, comma-separated, newest first (rotation: docs/operations.md). Empty: var/encryption.key.
INTACCT_BRIDGE_ENCRYPTION_KEY = envsecret("INTACCT_BRIDGE_ENCRYPTION_KEY")

# Outgoing e-mail (the daily failure digest, ops.digest; a disabled webhook's notice, webhooks.sender).
# Nothing set: the digest goes to the console, as in the demo; with EMAIL_HOST set, Django's SMTP
# backend sends it.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "intacct-bridge@localhost")

LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # POST bodies never reach the logs; the request logger would only add noise here.
        "django.request": {"level": "ERROR"},
        "huey": {"level": env("HUEY_LOG_LEVEL", "WARNING")},
        # one line per HTTP request to Intacct is noise at INFO; the client logs what matters
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Recovery (docs/operations.md "When a worker dies or the queue is lost"): a sync's claim whose
# heartbeat is older than this is a dead worker's — its run is marked interrupted and redone.
SYNC_CLAIM_STALE_SECONDS = envint("INTACCT_BRIDGE_STALE_AFTER_SECONDS", 120)
# how often every worker's healer looks for dead workers' runs and runs lost from the queue
SYNC_HEAL_INTERVAL_SECONDS = envint("INTACCT_BRIDGE_HEAL_INTERVAL_SECONDS", 30)
