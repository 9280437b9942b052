"""The daily digest of failures: one e-mail per workspace with failed runs, to its admins, through
Django's e-mail settings (``EMAIL_BACKEND``, ``EMAIL_HOST``, ``DEFAULT_FROM_EMAIL``; the console
backend in the demo)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from intacct_bridge.ops import config
from intacct_bridge.sync.models import Run, RunIssue, RunStatus
from intacct_bridge.workspaces.models import Membership, Profile, Workspace

FAILURES = [RunStatus.FAILED, RunStatus.INTERRUPTED, RunStatus.PARTIAL]


def digest_messages(now: datetime | None = None, hours: int = 24) -> list[EmailMessage]:
    """The digest e-mails for the ``hours`` before ``now`` (none for a workspace without failures)."""
    now = now or timezone.now()
    since = now - timedelta(hours=hours)
    runs = (
        Run.objects.filter(status__in=FAILURES, finished_at__gt=since, finished_at__lte=now)
        .select_related("workspace")
        .order_by("workspace_id", "finished_at", "id")
    )
    by_ws: dict[int, list[Run]] = defaultdict(list)
    for run in runs:
        by_ws[run.workspace_id].append(run)
    site = config.site_url()
    sender = str(getattr(settings, "DEFAULT_FROM_EMAIL", "") or "intacct-bridge@localhost")
    messages = []
    for ws_id, ws_runs in by_ws.items():
        ws: Workspace = ws_runs[0].workspace
        admins = sorted(
            {
                m.user.email
                for m in Membership.objects.filter(
                    workspace=ws, profile=Profile.ADMIN, user__is_active=True
                ).select_related("user")
                if m.user.email
            }
        )
        if not admins:
            continue
        problems: Counter[tuple[str, str, str]] = Counter(
            RunIssue.objects.filter(run__in=ws_runs, fixed=False).values_list("errorno", "text", "remedy")
        )
        for run in ws_runs:
            run.link = reverse("sync:run", kwargs={"slug": ws.slug, "run_id": run.pk})  # type: ignore[attr-defined]
        conn = ws.connection_or_none
        context = {
            "ws": ws,
            "runs": ws_runs,
            "hours": hours,
            "site": site,
            "paused": conn if conn is not None and conn.paused else None,
            "problems": [
                {"errorno": e, "text": t, "remedy": r, "n": n} for (e, t, r), n in problems.most_common(10)
            ],
        }
        subject = " ".join(render_to_string("ops/digest_subject.txt", context).split())
        body = render_to_string("ops/digest.txt", context)
        # one message per admin: admins of a workspace do not see each other's addresses
        messages += [EmailMessage(subject, body, sender, [to]) for to in admins]
        del ws_id
    return messages


SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


def mail_connection() -> Any:
    """Django's configured e-mail backend; the console when nothing is configured (Django's default
    SMTP to localhost:25, as in the demo), so the digest shows in the worker's log instead of failing."""
    if settings.EMAIL_BACKEND == SMTP and settings.EMAIL_HOST == "localhost" and not settings.EMAIL_HOST_USER:
        return get_connection(CONSOLE)
    return get_connection()


def send_failure_digest(now: datetime | None = None, hours: int = 24) -> int:
    """Send the digest; returns the number of e-mails sent."""
    if not config.digest_enabled():
        return 0
    messages = digest_messages(now, hours)
    if not messages:
        return 0
    with mail_connection() as connection:
        return int(connection.send_messages(messages) or 0)
