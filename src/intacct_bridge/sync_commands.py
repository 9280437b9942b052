"""What the ``intacct-bridge`` subcommands ``sync``, ``import`` and ``records`` do (their arguments
are declared in ``sync_cli.py``).

    intacct-bridge sync WORKSPACE [--family F] [--key-scan]
    intacct-bridge import WORKSPACE FAMILY (--all | RECORDNO ...) [--profile P] [--no-departments]
    intacct-bridge records WORKSPACE FAMILY --json

SIGTERM during ``sync``/``import`` finishes the current page, saves a consistent cursor and exits.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from types import FrameType
from typing import Any

from intacct_bridge.sync import service
from intacct_bridge.sync.engine import STOP
from intacct_bridge.sync.models import Run, RunStatus, Trigger
from intacct_bridge.sync.registry import get_family
from intacct_bridge.sync.runs import RunRecorder, new_run
from intacct_bridge.workspaces.models import Workspace


def _workspace(slug: str) -> Any:
    ws = Workspace.objects.filter(slug=slug).first()
    if ws is None:
        raise SystemExit(f"error: no workspace {slug!r}")
    return ws


def _family(name: str) -> str:
    try:
        return get_family(name).name
    except LookupError as exc:
        raise SystemExit(f"error: {exc}") from None


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    print("\nStopping after the current page…", file=sys.stderr, flush=True)
    STOP.set()


class _Progress:
    """A one-line progress bar on stderr fed by polling the run row from another thread."""
    def __init__(self, run_id: int, quiet: bool) -> None:
        self.run_id = run_id
        self.quiet = quiet or not sys.stderr.isatty()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> _Progress:
        if not self.quiet:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        if self.thread.is_alive():
            self.thread.join(timeout=2)
            print(file=sys.stderr)

    def _loop(self) -> None:
        from django.db import connection


        spinner = "|/-\\"
        tick = 0
        try:
            while not self.done.wait(0.3):
                run = Run.objects.filter(pk=self.run_id).first()
                if run is None:
                    continue
                bar = "#" * min(30, run.pages_done) + "." * max(0, 30 - run.pages_done)
                print(
                    f"\r{spinner[tick % 4]} [{bar}] {run.pages_done} pages, {run.records_done} records "
                    f"{run.phase[:40]:<40}",
                    end="",
                    file=sys.stderr,
                    flush=True,
                )
                tick += 1
        finally:
            connection.close()


def _report(run: Any, as_json: bool) -> int:
    if as_json:
        print(json.dumps({**run.to_dict(), "issues": [i.to_dict() for i in run.issues.all()]}, indent=2))
    else:
        counts = ", ".join(f"{k} {v}" for k, v in run.counts().items() if v)
        print(
            f"Run {run.pk}: {run.get_status_display()} — {counts or 'nothing to do'}; "
            f"{run.api_requests} Intacct requests"
        )
        if run.message:
            print(run.message)
        for issue in run.issues.all()[:20]:
            which = issue.business_id or issue.recordno or ""
            print(f"  ! {issue.family} {which}: {issue.text} → {issue.remedy}")
    return 0 if run.status in (RunStatus.SUCCEEDED, RunStatus.PARTIAL) else 1


def cmd_sync(args: argparse.Namespace) -> int:
    ws = _workspace(args.workspace)
    family = _family(args.family) if args.family else ""
    signal.signal(signal.SIGTERM, _on_sigterm)
    run = new_run(ws, family, Trigger.SYNC_NOW, "cli")
    with _Progress(run.pk, args.json):
        try:
            run = service.run_sync(run, key_scan=args.key_scan)
        except service.Busy as exc:
            run = RunRecorder(run).finish(RunStatus.SKIPPED, str(exc))
    return _report(run, args.json)


def cmd_import(args: argparse.Namespace) -> int:
    ws = _workspace(args.workspace)
    family = _family(args.family)
    if not args.all and not args.ids:
        raise SystemExit("error: give RECORDNOs to import, or --all")
    try:
        ids = None if args.all else [int(x) for x in args.ids]
    except ValueError:
        raise SystemExit("error: RECORDNOs are numbers (see the Import list or the API)") from None
    options: dict[str, Any] = {"assign_department": not args.no_departments}
    if args.profile:
        options["profile"] = args.profile
    signal.signal(signal.SIGTERM, _on_sigterm)

    run = new_run(ws, family, Trigger.IMPORT, "cli")
    started = time.monotonic()
    with _Progress(run.pk, args.json):
        try:
            run = service.import_records(ws, family, ids, options=options, run=run)
        except service.Busy as exc:
            raise SystemExit(f"error: {exc}") from None
    if not args.json:
        print(f"Imported in {time.monotonic() - started:.1f} s")
    return _report(run, args.json)


def cmd_records(args: argparse.Namespace) -> int:
    ws = _workspace(args.workspace)
    rows = service.local_records(ws, _family(args.family))
    if args.json:
        print(json.dumps(rows, indent=2, default=str))
    else:
        for row in rows:
            print(f"{row['id']:>6}  {row['link_state']:<8}  {row['intacct_id'] or '':<12}  {row['title']}")
    return 0


