"""The periodic task of the ops app: the daily failure digest, at INTACCT_BRIDGE_DIGEST_HOUR (UTC).

Registered when the app loads (OpsConfig.ready), so every worker's consumer schedules it: no line in
jobs/ is needed. Every ``intacct-bridge worker`` runs Huey's scheduler (periodic=True) and so enqueues
it; a key in Huey's result store, set once per day, lets only the first one send.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from intacct_bridge.ops import config
from intacct_bridge.ops.digest import send_failure_digest


@db_periodic_task(crontab(hour=str(config.digest_hour()), minute="0"))
def failure_digest() -> int:
    # several worker processes each run the scheduler: the first one of the day sends it
    if not HUEY.put_if_empty(f"ops.digest:{_day()}", "1"):
        return 0
    return send_failure_digest()


def _day() -> str:
    from django.utils import timezone

    return timezone.now().strftime("%Y-%m-%d")
