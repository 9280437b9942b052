"""Benchmark of the webhook sender: events handed over and delivered per second.

    .venv/bin/python bench/bench_webhooks.py [--events 2000]      # writes var/bench/webhooks.json

In one process on SQLite under a temporary directory: a workspace with one subscription ("*") to a
loopback receiver (a threaded HTTP server that verifies every signature with ``standardwebhooks``,
as a host product would). The events are recorded as a pull records them (``record_many``, pages of
500, for distinct records), without their after-commit signal; then ``sender.sweep()`` runs until
nothing is pending — the fan-out into deliveries, the per-record order check, signing, one POST
per delivery (a fresh connection each, the address checked each time). No figure is a goal of an
issue; it tells how long a backlog takes to drain.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench" / "webhooks.json"


def receiver(secret_box: dict[str, str], counts: dict[str, int]) -> ThreadingHTTPServer:
    from standardwebhooks.webhooks import Webhook

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            Webhook(secret_box["secret"]).verify(body, {k: v for k, v in self.headers.items()})
            counts["verified"] += 1
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="ib-bench-webhooks-")
    os.environ.update(
        {
            "INTACCT_BRIDGE_VAR_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE": "1",
            "HUEY_IMMEDIATE": "1",
            "DJANGO_SETTINGS_MODULE": "intacct_bridge.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from intacct_bridge.sync.models import Event
    from intacct_bridge.webhooks import sender, service
    from intacct_bridge.webhooks.models import Delivery, DeliveryStatus
    from intacct_bridge.workspaces.models import Workspace

    call_command("migrate", verbosity=0)
    ws = Workspace.objects.create(slug="bench", name="Bench", families=["bills"])
    counts = {"verified": 0}
    box: dict[str, str] = {}
    server = receiver(box, counts)
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    _sub, box["secret"] = service.create(ws, url, ["*"])

    t = time.perf_counter()
    for start in range(0, args.events, 500):
        rows = [
            Event(workspace=ws, kind="bill.updated", object_id=n, payload={"id": n, "total": "100.00"})
            for n in range(start, min(start + 500, args.events))
        ]
        with transaction.atomic():
            Event.objects.bulk_create(rows)  # as record_many, without the signal: the sweep's work
    recorded = time.perf_counter() - t

    t = time.perf_counter()
    made = sender.fan_out()
    fanned = time.perf_counter() - t
    t = time.perf_counter()
    while Delivery.objects.filter(status=DeliveryStatus.PENDING).exists():
        sender.send_due()
    sent = time.perf_counter() - t
    server.shutdown()
    assert made == args.events and counts["verified"] == args.events, (made, counts)
    result = {
        "events": args.events,
        "record_s": round(recorded, 3),
        "fan_out_s": round(fanned, 3),
        "fan_out_per_s": round(args.events / fanned),
        "deliver_s": round(sent, 3),
        "deliveries_per_s": round(args.events / sent),
        "machine_cpus": os.cpu_count(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2))
    print(
        f"{args.events} events: fan-out {fanned:.2f} s ({result['fan_out_per_s']}/s), "
        f"delivered and verified {sent:.2f} s ({result['deliveries_per_s']}/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
