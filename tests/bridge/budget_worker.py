"""A worker process for test_budget.py: a real OS process taking slots of one company's budget.

    python budget_worker.py '<json spec>'

spec: {"redis": url, "prefix": str, "company": str, "workspace": str, "priority": "BULK",
       "threads": n, "lease": s, "mode": "hammer"|"hold"|"queue", "log": path,
       "endpoint"/"credentials" (hammer: real requests through intacct.Client), "seconds": s}

* hammer: ``threads`` threads send reads through ``intacct.Client(limiter=...)`` for ``seconds``;
  the limiter is the shared budget, or each process's own (``"shared": false``, the old behaviour)
* hold: take ``threads`` slots, print "held", keep them until killed (or ``seconds``)
* queue: ``threads`` threads each wait for one slot, log "granted <workspace>" to ``log``, hold it
  for ``seconds``
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

from intacct_bridge import budget


def main(spec: dict[str, Any]) -> None:
    limits = budget.Limits(int(spec.get("limit", 2)))
    shared = budget.RedisBudget.from_url(
        spec["redis"], limits=limits, lease=float(spec.get("lease", 30)), prefix=spec["prefix"]
    )
    priority = budget.Priority[spec.get("priority", "SYNC")]
    mode = spec["mode"]
    seconds = float(spec.get("seconds", 2))
    threads = int(spec.get("threads", 2))
    done: list[threading.Thread] = []

    if mode == "hammer":
        import intacct

        c = spec["credentials"]
        creds = intacct.Credentials(
            c["sender_id"], c["sender_password"], c["company_id"], c["user_id"], c["user_password"]
        )
        limiter: Any = budget.BoundLimiter(shared, spec["workspace"]) if spec.get("shared", True) else None
        client = intacct.Client(creds, endpoint=spec["endpoint"], limiter=limiter, concurrency=2)
        deadline = time.monotonic() + seconds

        def hammer() -> None:
            with budget.acting_for(spec["workspace"], priority):
                while time.monotonic() < deadline:
                    client.count("CUSTOMER")

        for _ in range(threads):
            done.append(threading.Thread(target=hammer))
    elif mode == "hold":
        caller = budget.Caller(spec["workspace"], priority)
        ready = threading.Barrier(threads + 1)

        def hold() -> None:
            with shared.hold(spec["company"], caller):
                ready.wait()
                time.sleep(seconds)

        for _ in range(threads):
            done.append(threading.Thread(target=hold, daemon=True))
        for t in done:
            t.start()
        ready.wait()
        print("held", flush=True)
        time.sleep(seconds)
        return
    elif mode == "queue":
        caller = budget.Caller(spec["workspace"], priority)
        lock = threading.Lock()

        def queue() -> None:
            with shared.hold(spec["company"], caller):
                with lock, open(spec["log"], "a", encoding="utf-8") as f:
                    f.write(f"granted {spec['workspace']}\n")
                time.sleep(seconds)

        for _ in range(threads):
            done.append(threading.Thread(target=queue))
    for t in done:
        t.start()
    for t in done:
        t.join()
    print("done", flush=True)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
