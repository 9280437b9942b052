"""``intacct-sandbox``: serve the sandbox and administer it, on a running server (``--url URL``, over
the HTTP control plane) or on a state file (``--state FILE``, SQLite).

    intacct-sandbox serve --host 127.0.0.1 --port 8765 --demo --credentials-out creds.json
    intacct-sandbox --url http://127.0.0.1:8765 mutate CUSTOMER --change 10 --delete 5 --add 3
    intacct-sandbox --url http://127.0.0.1:8765 fault rate-limit --rate 0.2 --seed 7
    intacct-sandbox --state var/sandbox.sqlite3 company create ACME --entities E1,E2
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any

from intacct_sandbox.company.model import DEFAULT_SESSION_MINUTES
from intacct_sandbox.control import CONTROL_ERRORS, DEMO_COMPANY, DEMO_SENDER, DEMO_USER

DEMO_SIZES = ("customers", "vendors", "employees", "projects", "invoices", "bills", "timesheets", "classes")


class CLIError(Exception):
    pass


class Backend:
    def call(self, method: str, **kwargs: Any) -> Any:
        raise NotImplementedError

    def close(self) -> None:
        pass


class RemoteBackend(Backend):
    def __init__(self, url: str, token: str | None) -> None:
        self.base = url.rstrip("/")
        self.token = token

    def call(self, method: str, **kwargs: Any) -> Any:
        request = urllib.request.Request(  # noqa: S310  (the user's --url)
            f"{self.base}/_sandbox/{method}",
            data=json.dumps(kwargs).encode(),
            headers={
                "Content-Type": "application/json",
                **({"X-Sandbox-Token": self.token} if self.token else {}),
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310
                payload = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            try:
                payload = json.loads(exc.read())
            except ValueError:
                raise CLIError(f"{method}: HTTP {exc.code}") from None
        except urllib.error.URLError as exc:
            raise CLIError(f"cannot reach {self.base}: {exc.reason}") from None
        if not payload.get("ok"):
            raise CLIError(str(payload.get("error")))
        return payload.get("result")


class LocalBackend(Backend):
    def __init__(self, path: str | None) -> None:
        from intacct_sandbox.sandbox import Sandbox

        self.sandbox = Sandbox(path)

    def call(self, method: str, **kwargs: Any) -> Any:
        try:
            return getattr(self.sandbox.control, method)(**kwargs)
        except CONTROL_ERRORS as exc:
            raise CLIError(str(exc)) from None

    def close(self) -> None:
        self.sandbox.close()


def _csv(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _bool(text: str) -> bool:
    value = text.lower()
    if value not in ("on", "off", "true", "false", "yes", "no", "1", "0"):
        raise argparse.ArgumentTypeError("use on or off")
    return value in ("on", "true", "yes", "1")


def _add_sizes(parser: argparse.ArgumentParser) -> None:
    for size in DEMO_SIZES:
        parser.add_argument(f"--{size}", type=int, metavar="N", help=f"demo {size}")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="intacct-sandbox", description="An offline Sage Intacct XML gateway.")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--url", help="a running sandbox (its control plane)")
    where.add_argument("--state", metavar="FILE", help="a state file (SQLite)")
    p.add_argument("--token", help="the control plane token of a server started with --control-token")
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the sandbox server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--demo", action="store_true", help="seed the demo company (unless it exists)")
    serve.add_argument("--seed", type=int, default=1)
    serve.add_argument("--credentials-out", metavar="FILE", help="write the demo credentials JSON here")
    serve.add_argument("--sender-password", help="fixed demo sender password (default random)")
    serve.add_argument("--user-password", help="fixed demo user password (default random)")
    serve.add_argument("--max-body", type=int, default=10 * 1024 * 1024, help="request size limit in bytes")
    serve.add_argument("--control-token", help="require this X-Sandbox-Token on the control plane")
    serve.add_argument("--verbose", action="store_true")
    _add_sizes(serve)

    company = sub.add_parser("company", help="companies").add_subparsers(dest="action", required=True)
    c = company.add_parser("create")
    c.add_argument("company_id")
    c.add_argument("--entities", help="comma-separated entity IDs (multi-entity company)")
    c.add_argument("--timezone", default="America/Los_Angeles")
    c.add_argument("--no-web-services", action="store_true")
    c.add_argument("--concurrency", type=int, default=2)
    c.add_argument("--session-minutes", type=int, default=DEFAULT_SESSION_MINUTES)
    c = company.add_parser("set")
    c.add_argument("company_id")
    c.add_argument("--web-services", type=_bool)
    c.add_argument("--timezone")
    c.add_argument("--concurrency", type=int)
    c.add_argument("--session-minutes", type=int)
    c.add_argument("--entities")

    sender = sub.add_parser("sender", help="senders").add_subparsers(dest="action", required=True)
    s = sender.add_parser("register")
    s.add_argument("sender_id")
    s.add_argument("password")
    s = sender.add_parser("authorize")
    s.add_argument("company_id")
    s.add_argument("sender_id")
    s.add_argument("--inactive", action="store_true")

    policy = sub.add_parser("policy", help="transport policies").add_subparsers(dest="action", required=True)
    po = policy.add_parser("add", help="asynchronous responses for POLICY_ID go to URL")
    po.add_argument("policy_id")
    po.add_argument("policy_url", metavar="URL")

    role = sub.add_parser("role", help="roles").add_subparsers(dest="action", required=True)
    r = role.add_parser("create")
    r.add_argument("company_id")
    r.add_argument("name")
    r.add_argument(
        "--perm", action="append", default=[], metavar="OBJECT=LETTERS", help="e.g. CUSTOMER=LV, *=LVAED"
    )

    user = sub.add_parser("user", help="Web Services users").add_subparsers(dest="action", required=True)
    for action in ("create", "set"):
        u = user.add_parser(action)
        u.add_argument("company_id")
        u.add_argument("user_id")
        if action == "create":
            u.add_argument("password")
        else:
            u.add_argument("--password")
        u.add_argument("--roles", help="comma-separated role names")
        u.add_argument("--type", dest="user_type")
        u.add_argument("--admin", choices=("full", "limited", "off"))
        u.add_argument("--status", choices=("active", "inactive", "lockedout"))
        u.add_argument("--entities", help="comma-separated entity IDs; 'top' for top level")
        u.add_argument("--timezone")
        u.add_argument("--date-format")
        u.add_argument("--employee", dest="employee_id", help="the login's own EMPLOYEEID")

    entity = sub.add_parser("entity", help="entity access").add_subparsers(dest="action", required=True)
    e = entity.add_parser("grant", help="restrict a user to these entities ('top' = top level)")
    e.add_argument("company_id")
    e.add_argument("user_id")
    e.add_argument("entities", nargs="+")

    rule = sub.add_parser("smart-rule", help="smart rules").add_subparsers(dest="action", required=True)
    sr = rule.add_parser("add")
    sr.add_argument("company_id")
    sr.add_argument("object")
    sr.add_argument("event", choices=("add", "set", "delete"))
    sr.add_argument("condition")
    sr.add_argument("message")
    sr.add_argument("--warning", action="store_true")
    sr.add_argument("--rule-id", default="", help="the rule's ID (default: <OBJECT>_RULE_<n>)")

    seed = sub.add_parser("seed", help="seed the demo company")
    seed.add_argument("--company", default=DEMO_COMPANY)
    seed.add_argument("--seed", type=int, default=1)
    seed.add_argument("--sender-password")
    seed.add_argument("--user-password")
    seed.add_argument("--credentials-out", metavar="FILE")
    _add_sizes(seed)

    mutate = sub.add_parser("mutate", help="change, delete and add records of an object")
    mutate.add_argument("object")
    mutate.add_argument("--company")
    mutate.add_argument("--change", default="0", help="count or percentage (2%%)")
    mutate.add_argument("--delete", default="0")
    mutate.add_argument("--add", default="0")
    mutate.add_argument("--seed", type=int, default=1)

    fault = sub.add_parser("fault", help="inject a fault (KIND) or 'clear'")
    fault.add_argument("kind")
    fault.add_argument("--rate", type=float, default=1.0)
    fault.add_argument("--seed", type=int, default=1)
    fault.add_argument("--company")
    fault.add_argument("--fixed-ms", type=float)
    fault.add_argument("--per-record-ms", type=float)
    fault.add_argument("--limit", type=int)

    clock = sub.add_parser("clock", help="the sandbox clock").add_subparsers(dest="action", required=True)
    cs = clock.add_parser("set")
    cs.add_argument("when", help="ISO datetime with offset, or 'real'")
    ca = clock.add_parser("advance")
    ca.add_argument("seconds", type=float)

    sub.add_parser("reset", help="forget all state")
    sub.add_parser("show", help="companies, senders, users, roles, counts, faults")
    sub.add_parser("stats", help="requests served")
    count = sub.add_parser("count", help="records of an object")
    count.add_argument("object")
    count.add_argument("--company")

    pb = sub.add_parser("pay-bill", help="pay an APBILL in Intacct (as the Pay bills screen)")
    pb.add_argument("recordno", type=int)
    pb.add_argument("amount")
    pb.add_argument("--date", help="payment date, YYYY-MM-DD (default: today)")
    pb.add_argument("--company")
    pi = sub.add_parser("pay-invoice", help="receive a payment on an ARINVOICE in Intacct's UI")
    pi.add_argument("recordno", type=int)
    pi.add_argument("amount")
    pi.add_argument("--date", help="receipt date, YYYY-MM-DD (default: today)")
    pi.add_argument("--account", default="1010", help="undeposited funds GL account")
    pi.add_argument("--reference", help="DOCNUMBER of the payment")
    pi.add_argument("--company")
    an = sub.add_parser("autonumber", help="document sequencing of PROJECT/CUSTOMER/VENDOR/EMPLOYEE IDs")
    an.add_argument("object")
    an.add_argument("switch", choices=("on", "off"))
    an.add_argument("--prefix", help="e.g. P- (the default for PROJECT)")
    an.add_argument("--company")
    ev = sub.add_parser(
        "error-variant", help="the errorno an unknown object answers on reads: captured, XXX, 'Query Failed'"
    )
    ev.add_argument("unknown_object", choices=("captured", "XXX", "Query Failed"))
    ev.add_argument("--company")
    dr = sub.add_parser("delete-record", help="delete a record (or a TIMESHEETENTRY) as a user in Intacct")
    dr.add_argument("object")
    dr.add_argument("recordno", type=int)
    dr.add_argument("--company")
    return p


def _sizes(args: argparse.Namespace) -> dict[str, Any]:
    return {size: getattr(args, size) for size in DEMO_SIZES if getattr(args, size) is not None}


def _default_company(backend: Backend, given: str | None) -> str:
    if given:
        return given
    companies = [c["company_id"] for c in backend.call("show")["companies"]]
    if len(companies) == 1:
        return str(companies[0])
    if DEMO_COMPANY in companies:
        return DEMO_COMPANY
    raise CLIError("several companies: name one with --company")


def _write_json(path: str, payload: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=2)
        handle.write("\n")


def serve(args: argparse.Namespace) -> int:
    from intacct_sandbox.sandbox import Sandbox
    from intacct_sandbox.server import SandboxServer

    sandbox = Sandbox(args.state, max_body=args.max_body, control_token=args.control_token)
    server = SandboxServer(sandbox, host=args.host, port=args.port, verbose=args.verbose)
    server.start()
    try:
        if args.demo:
            existing = sandbox.control.model.find(DEMO_COMPANY)
            if existing is None:
                creds = sandbox.control.seed_demo(
                    None,
                    seed=args.seed,
                    sender_password=args.sender_password,
                    user_password=args.user_password,
                    **_sizes(args),
                )
            else:
                # a persisted demo company keeps its passwords (only hashes are stored): reset them
                creds = _renew_demo_passwords(sandbox, args)
            if args.credentials_out:
                _write_json(args.credentials_out, creds)
            print(json.dumps({k: v for k, v in creds.items() if "password" not in k}), flush=True)
        print(f"intacct-sandbox serving {server.endpoint} (control plane {server.url}/_sandbox/)", flush=True)
        signal.signal(signal.SIGTERM, _interrupt)
        assert server._thread is not None
        while server._thread.is_alive():
            server._thread.join(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        sandbox.close()
    return 0


def _interrupt(signum: int, frame: object) -> None:
    # SIGTERM stops the server the way Ctrl-C does
    raise KeyboardInterrupt


def _renew_demo_passwords(sandbox: Any, args: argparse.Namespace) -> dict[str, Any]:
    import secrets

    from intacct_sandbox.demo_data import GL_ACCOUNTS

    control = sandbox.control
    company = control.model.get(DEMO_COMPANY)
    sender_password = args.sender_password or secrets.token_urlsafe(12)
    user_password = args.user_password or secrets.token_urlsafe(12)
    control.register_sender(DEMO_SENDER, sender_password)
    control.set_user(DEMO_COMPANY, DEMO_USER, password=user_password)
    return {
        "endpoint": sandbox.endpoint,
        "sender_id": DEMO_SENDER,
        "sender_password": sender_password,
        "company_id": company.company_id,
        "user_id": DEMO_USER,
        "user_password": user_password,
        "entity_ids": list(company.entities),
        "gl_accounts": dict(GL_ACCOUNTS),
    }


def run(args: argparse.Namespace, backend: Backend) -> Any:
    cmd = args.command
    action = getattr(args, "action", None)
    if cmd == "company" and action == "create":
        return backend.call(
            "create_company",
            company_id=args.company_id,
            entities=_csv(args.entities),
            timezone=args.timezone,
            web_services=not args.no_web_services,
            concurrency_limit=args.concurrency,
            session_minutes=args.session_minutes,
        )
    if cmd == "company":
        changes: dict[str, Any] = {
            "web_services": args.web_services,
            "timezone": args.timezone,
            "concurrency_limit": args.concurrency,
            "session_minutes": args.session_minutes,
            "entities": _csv(args.entities) if args.entities is not None else None,
        }
        return backend.call(
            "set_company", company_id=args.company_id, **{k: v for k, v in changes.items() if v is not None}
        )
    if cmd == "sender" and action == "register":
        return backend.call("register_sender", sender_id=args.sender_id, password=args.password)
    if cmd == "sender":
        return backend.call(
            "authorize_sender", company_id=args.company_id, sender_id=args.sender_id, active=not args.inactive
        )
    if cmd == "policy":
        return backend.call("register_policy", policy_id=args.policy_id, url=args.policy_url)
    if cmd == "role":
        perms: dict[str, str] = {}
        for item in args.perm:
            obj, sep, letters = item.partition("=")
            if not sep:
                raise CLIError(f"--perm wants OBJECT=LETTERS, got {item!r}")
            perms[obj.strip()] = letters.strip()
        return backend.call("create_role", company_id=args.company_id, name=args.name, permissions=perms)
    if cmd == "user":
        options: dict[str, Any] = {
            "roles": _csv(args.roles) if args.roles is not None else None,
            "user_type": args.user_type,
            "admin": args.admin,
            "status": args.status,
            "timezone": args.timezone,
            "date_format": args.date_format,
            "employee_id": args.employee_id,
        }
        options = {k: v for k, v in options.items() if v is not None}
        if args.entities is not None:
            options["entities"] = None if args.entities == "top" else _csv(args.entities)
        if action == "create":
            return backend.call(
                "create_user",
                company_id=args.company_id,
                user_id=args.user_id,
                password=args.password,
                **options,
            )
        if args.password is not None:
            options["password"] = args.password
        return backend.call("set_user", company_id=args.company_id, user_id=args.user_id, **options)
    if cmd == "entity":
        entities = None if args.entities == ["top"] else list(args.entities)
        return backend.call("set_user", company_id=args.company_id, user_id=args.user_id, entities=entities)
    if cmd == "smart-rule":
        return backend.call(
            "add_smart_rule",
            company_id=args.company_id,
            object=args.object,
            event=args.event,
            condition=args.condition,
            message=args.message,
            kind="warning" if args.warning else "error",
            rule_id=args.rule_id,
        )
    if cmd == "seed":
        creds = backend.call(
            "seed_demo",
            company_id=args.company,
            seed=args.seed,
            sender_password=args.sender_password,
            user_password=args.user_password,
            **_sizes(args),
        )
        if args.credentials_out:
            _write_json(args.credentials_out, creds)
        return creds
    if cmd == "mutate":
        return backend.call(
            "mutate",
            company_id=_default_company(backend, args.company),
            object=args.object,
            change=args.change,
            delete=args.delete,
            add=args.add,
            seed=args.seed,
        )
    if cmd == "fault":
        if args.kind == "clear":
            return backend.call("clear_faults")
        params = {"fixed_ms": args.fixed_ms, "per_record_ms": args.per_record_ms, "limit": args.limit}
        return backend.call(
            "fault",
            kind=args.kind,
            rate=args.rate,
            seed=args.seed,
            company_id=args.company,
            **{k: v for k, v in params.items() if v is not None},
        )
    if cmd == "clock":
        if action == "set":
            return backend.call("set_clock", when=None if args.when == "real" else args.when)
        return backend.call("advance_clock", seconds=args.seconds)
    if cmd == "count":
        return backend.call("count", company_id=_default_company(backend, args.company), object=args.object)
    if cmd == "pay-bill":
        return backend.call(
            "pay_bill",
            company_id=_default_company(backend, args.company),
            recordno=args.recordno,
            amount=args.amount,
            date=args.date,
        )
    if cmd == "pay-invoice":
        return backend.call(
            "pay_invoice",
            company_id=_default_company(backend, args.company),
            recordno=args.recordno,
            amount=args.amount,
            date=args.date,
            undeposited_account=args.account,
            reference=args.reference,
        )
    if cmd == "autonumber":
        return backend.call(
            "set_autonumber",
            company_id=_default_company(backend, args.company),
            object=args.object,
            on=args.switch == "on",
            prefix=args.prefix,
        )
    if cmd == "error-variant":
        return backend.call(
            "set_error_variant",
            company_id=_default_company(backend, args.company),
            unknown_object=args.unknown_object,
        )
    if cmd == "delete-record":
        return backend.call(
            "delete_record",
            company_id=_default_company(backend, args.company),
            object=args.object,
            recordno=args.recordno,
        )
    if cmd in ("reset", "show", "stats"):
        return backend.call(cmd)
    raise CLIError(f"unknown command {cmd}")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        if args.url:
            print("intacct-sandbox: serve takes --state, not --url", file=sys.stderr)
            return 2
        return serve(args)
    if not args.url and not args.state:
        print("intacct-sandbox: give --url URL (a running server) or --state FILE", file=sys.stderr)
        return 2
    backend: Backend = RemoteBackend(args.url, args.token) if args.url else LocalBackend(args.state)
    try:
        result = run(args, backend)
    except CLIError as exc:
        print(f"intacct-sandbox: {exc}", file=sys.stderr)
        return 1
    finally:
        backend.close()
    if result is not None:
        print(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
