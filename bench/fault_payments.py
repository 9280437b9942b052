"""Payments pushed through a faulty gateway: is every payment applied exactly once?

    .venv/bin/python bench/fault_payments.py [--payments 300] [--rate 0.1] [--seed 1]
    # writes var/bench/fault_payments.json

N payments of 1.00 are recorded on the demo company's open invoices, ten at a time, each group pushed
at once (as the pages and the API do), while the sandbox injects random faults on every request of
the company: connection resets after the work committed, HTTP 524 (Intacct ran it, the answer was
lost) and HTTP 429 rate limits, each at ``--rate``. Pushes are repeated until every payment is
settled; then the faults stop and one clean push settles whatever was still in doubt.

Prints payments attempted, faults injected, payments in the sandbox, duplicates found (must be 0),
payments the app shows as applied, and the wall time. The figures go into docs/ar.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench" / "fault_payments.json"
KINDS = ("reset-after-commit", "http-524", "rate-limit")
GROUP = 10
MAX_ROUNDS = 200


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payments", type=int, default=300)
    parser.add_argument("--rate", type=float, default=0.1, help="chance of each fault kind per request")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    os.environ["INTACCT_BRIDGE_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-ar-")
    os.environ["HUEY_IMMEDIATE"] = "1"  # a prompt push runs inline, as a worker would run it at once
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intacct_bridge.settings")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from intacct_bridge.ar import config, payments
    from intacct_bridge.ar.models import Invoice, Payment
    from intacct_bridge.records.models import Account
    from intacct_bridge.sync import service
    from intacct_bridge.sync.models import Link
    from intacct_bridge.workspaces.models import Connection, Workspace
    from intacct_sandbox import Sandbox, SandboxServer

    call_command("migrate", verbosity=0)
    sandbox = Sandbox()
    creds = sandbox.seed_demo(seed=args.seed, invoices=120)
    company = creds["company_id"]
    control = sandbox.control
    with SandboxServer(sandbox, host="127.0.0.1", port=0) as server:
        settings.INTACCT_SENDER_ID = creds["sender_id"]
        settings.INTACCT_SENDER_PASSWORD = creds["sender_password"]
        ws = Workspace.objects.create(
            slug="bench", name="Bench", families=["clients", "accounts", "invoices", "payments"]
        )
        conn = Connection(
            workspace=ws, company_id=company, user_id=creds["user_id"], endpoint=server.endpoint
        )
        conn.set_password(creds["user_password"])
        conn.save()
        service.sync_now(ws, "accounts")
        numbers = dict(Account.objects.filter(workspace=ws).values_list("number", "pk"))
        config.save(
            ws, config.SettingsInput(ar_account_id=numbers["1200"], undeposited_account_id=numbers["1010"])
        )
        service.sync_now(ws, "invoices")
        entity_owned = set(
            Link.objects.filter(workspace=ws, family="invoices")
            .exclude(entity="")
            .values_list("local_id", flat=True)
        )
        # Intacct refuses payments from inactive customers (a refusal, not a fault): leave them out
        inactive = {
            r["CUSTOMERID"]
            for r in control.records(company, "CUSTOMER")
            if str(r.get("STATUS")) == "inactive"
        }
        # 1.00 each, spread over the open top-level invoices as far as their amounts due allow
        slots: list[int] = []
        for invoice in Invoice.objects.filter(workspace=ws, state__in=["open", "partially_paid"]).order_by(
            "pk"
        ):
            if invoice.pk not in entity_owned and invoice.customer_id not in inactive:
                slots += [invoice.pk] * int(invoice.amount_due)
        if len(slots) < args.payments:
            print(f"only {len(slots)} payments of 1.00 fit the open invoices", file=sys.stderr)
            return 2
        step = len(slots) / args.payments
        targets = [slots[int(i * step)] for i in range(args.payments)]

        for n, kind in enumerate(KINDS):
            control.fault(kind, rate=args.rate, seed=args.seed + n, company_id=company)
        started = time.perf_counter()
        recorded: list[int] = []
        rounds = 0
        for start in range(0, len(targets), GROUP):
            group = []
            for i, invoice_id in enumerate(targets[start : start + GROUP], start=start):
                data = payments.PaymentInput(applications=[(invoice_id, "1.00")], reference=f"B-{i}")
                payment, _ = payments.record_payment(ws, data, by="bench", push=False)
                group.append(payment.pk)
            recorded += group
            payments.push_now(ws, group)  # the prompt push a page or the API asks for
            rounds += 1
        # pushes retried until settled (the hourly sync would do the same, later)
        while rounds < MAX_ROUNDS:
            open_ = Payment.objects.filter(pk__in=recorded).exclude(state__in=["applied", "failed"])
            payments.settle(open_)
            if not open_.exists():
                break
            payments.push_now(ws, list(open_.values_list("pk", flat=True)))
            rounds += 1
        faults = dict(control.stats().get("faults", {}))
        control.clear_faults()
        # a clean push settles anything still in doubt (read back by key before any re-send)
        doubtful = list(
            Payment.objects.filter(pk__in=recorded).exclude(state="applied").values_list("pk", flat=True)
        )
        if doubtful:
            payments.push_now(ws, doubtful)
        elapsed = time.perf_counter() - started
        payments.settle(Payment.objects.filter(pk__in=recorded))

        keys = Counter(
            str(r.get("DOCNUMBER") or "")
            for r in control.records(company, "ARPYMT")
            if str(r.get("DOCNUMBER") or "").startswith("IBP")
        )
        states = Counter(Payment.objects.filter(pk__in=recorded).values_list("state", flat=True))
        result: dict[str, Any] = {
            "payments_attempted": len(recorded),
            "fault_rate_per_kind": args.rate,
            "faults_injected": sum(faults.values()),
            "faults_by_kind": faults,
            "payments_in_sandbox": len(keys),
            "sandbox_records": sum(keys.values()),
            "duplicates_found": sum(n - 1 for n in keys.values() if n > 1),
            "applied_in_app": states.get("applied", 0),
            "app_states": dict(states),
            "failed_errors": dict(
                Counter(
                    f"{p.last_errorno}: {p.last_error[:120]}"
                    for p in Payment.objects.filter(pk__in=recorded, state="failed")
                )
            ),
            "push_rounds": rounds,
            "seconds": round(elapsed, 1),
        }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    width = max(len(k) for k in result)
    for name, value in result.items():
        print(f"{name:<{width}}  {value}")
    ok = result["duplicates_found"] == 0 and result["payments_in_sandbox"] == result["applied_in_app"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
