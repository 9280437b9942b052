"""Generate docs/sandbox-coverage.md from the code: ``python -m intacct_sandbox.coverage_doc``.

Lists every registered function, every object schema, every fault whose code or text is modelled
(docs/intacct/ marks it UNSURE) and every modelled behaviour, of both halves of the sandbox.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from intacct_sandbox import faults as gateway_faults

#: gateway behaviours the evidence leaves open, and the sandbox's choice (the data half keeps its own
#: list in functions.coverage.MODELLED)
GATEWAY_MODELLED: list[tuple[str, str]] = [
    ("uniqueid omitted", "treated as true, as the docs say (SDKs always send it)"),
    (
        "repeated function controlid with uniqueid=true",
        "result failure XL03000008 '... has already been executed ...'; the function is not run again; "
        "only functions that succeeded (and were committed) count",
    ),
    ("transaction=true, functions after the failing one", "not run; emitted as aborted with XL03000009"),
    ("Web Services not subscribed", "authentication failure XL03000006 with the documented text"),
    (
        "wrong sender ID or password",
        "control failure XL03000006 'Incorrect Intacct XML Partner ID or password.'",
    ),
    (
        "check order at sign-in",
        "sender credentials (control), then company, subscription, sender authorization, "
        "user (authentication)",
    ),
    ("request over the size limit (default 10 MB)", "control failure XL03000003 naming the limit"),
    ("DOCTYPE or entity declarations", "control failure XL03000003 (never resolved or expanded)"),
    ("unknown function element", "result failure XL03000003 'not implemented in the sandbox'"),
    ("generic (3.0) functions in a dtdversion 2.1 request", "result failure, as an unknown function"),
    (
        "transport policies (policyid)",
        "registered on the control plane (policy ID -> URL); a known policy gets the acknowledgement, then "
        "the full response is POSTed to the URL; unknown: 'not a valid transport policy'; over 500,000 "
        "characters: a size failure",
    ),
    ("user type and admin level", "stored and shown; permissions come from roles only"),
    ("concurrency limit", "2 concurrent requests per company by default; beyond it HTTP 429 GW-0010"),
    ("GW-0010 text", "'Rate limit exceeded [Request ID: ...]'; no Retry-After header"),
    (
        "session lifetime",
        "a company setting (session_minutes), 6 hours by default (captures show 6, 12 and 24 h), sliding on "
        "every authenticated call",
    ),
    ("uniqueid memory", "completed function controlids are remembered for 7 days (sandbox clock)"),
    ("session IDs", "random, ending in '..' like the SDK fixtures; tied to company, user and entity"),
    ("getAPISession endpoint", "the URL the request came in on (Host header) + /ia/xml/xmlgw.phtml"),
    ("login timestamps", "sessiontimestamp/sessiontimeout in the user's timezone with its UTC offset"),
    ("user and company IDs at sign-in", "matched without regard to case; sender IDs are case-sensitive"),
    ("user status inactive or locked out", "'Sign-in information is incorrect'"),
    ("entity-restricted user without locationid", "authentication failure XL03000006 naming the restriction"),
    (
        "role permissions",
        "only roles grant L/V/A/E/D (admin level does not bypass them); keys: an object, 'module:AR' "
        "(AR, AP, GL, CO, PA: every object of that application) or '*' (every object)",
    ),
    (
        "smart rules",
        "error rules reject the write: BL01001973, 'Smart rule <ID> was violated. <message>' (wording "
        "after what integrations quote; UNSURE); warning rules are kept only",
    ),
    ("user date format preference", "stored; timestamps on the wire stay MM/DD/YYYY HH:MM:SS"),
    ("console logins (clientid, 'console|client' company IDs)", "not modelled: sign-in is refused"),
    ("functions per request and operations per request", "no limit (the schema has none)"),
    ("showadditionalerrorinfo, debug, appid", "accepted and ignored"),
    ("gzip", "gzip request bodies accepted (Content-Encoding); answers gzipped when the client accepts it"),
    ("includewhitespace omitted", "true (indented answer), the documented default"),
    ("empty request body", "HTTP 400 with the bare GW-0011 'Invalid Request [Request ID: ...]' body"),
    ("HTTP 5xx faults", "an HTML body, never XML; 524 runs the work before answering"),
]


def _table(rows: Sequence[Sequence[str]], header: tuple[str, ...]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return lines


def sdk_section() -> list[str]:
    """Every official SDK function class, grouped by module, with its status now."""
    import intacct_sandbox.functions  # noqa: F401  (registers every handler)
    from intacct_sandbox import sdk_catalog
    from intacct_sandbox._contract import registered_functions
    from intacct_sandbox.objects import SCHEMAS

    registered = frozenset(registered_functions())
    objects: dict[str, object] = dict(SCHEMAS)
    out = [
        "## Official SDK function classes",
        "",
        "Every function class of the official SDKs (PHP, .NET and Node share most; the SDK column "
        "names the ones only some have) with the XML function it sends and whether the sandbox answers it. "
        "Scope: docs/intacct/gl-company-reads.md.",
        "",
    ]
    summary: list[tuple[str, str, str, str]] = []
    sections: list[str] = []
    for module in sdk_catalog.MODULES:
        entries = [e for e in sdk_catalog.CATALOG if e.module == module]
        rows = [
            (
                e.cls,
                f"`{e.function}`" + (f" {e.object}" if e.object else ""),
                e.sdks,
                sdk_catalog.status(e, registered, objects),
            )
            for e in entries
        ]
        done = sum(1 for r in rows if r[3] == sdk_catalog.IMPLEMENTED)
        out_of_scope = sum(1 for r in rows if r[3].startswith("module out of scope"))
        summary.append((module, str(len(rows)), str(done), str(len(rows) - done - out_of_scope)))
        sections += [f"### {module}", "", *_table(rows, ("class", "function", "SDKs", "status")), ""]
    return [
        *out,
        *_table(summary, ("module", "classes", "implemented", "not implemented (in scope)")),
        "",
        *sections,
    ]


def render() -> str:
    import intacct_sandbox.functions  # noqa: F401  (registers every handler)
    from intacct_sandbox._contract import registered_functions
    from intacct_sandbox.faultinjection import KINDS
    from intacct_sandbox.functions import coverage
    from intacct_sandbox.objects import SCHEMAS

    out = [
        "# Sandbox coverage",
        "",
        "Generated by `python -m intacct_sandbox.coverage_doc`; do not edit by hand.",
        "",
        *sdk_section(),
        "## Functions",
        "",
        "Handled by the gateway itself: `getAPISession`.",
        "",
        *[f"- `{name}`" for name in registered_functions()],
        "",
        "## Objects",
        "",
        *_table(
            [
                (
                    name,
                    obj.label,
                    obj.id_field or "",
                    str(len(obj.fields)),
                    obj.lines.line_object if obj.lines else "",
                )
                for name, obj in sorted(SCHEMAS.items())
            ],
            ("object", "label", "business ID", "fields", "lines"),
        ),
        "",
        "## Faults with a modelled code or text",
        "",
        *_table(
            [(cls.__name__, cls.layer, cls.errorno) for cls in gateway_faults.GATEWAY_FAULTS if cls.modelled]
            + [(name, "result", errorno) for name, errorno in coverage.modelled_faults()],
            ("fault", "layer", "errorno"),
        ),
        "",
        "## Modelled behaviours (the evidence leaves them open)",
        "",
        "### Gateway",
        "",
        *_table(GATEWAY_MODELLED, ("topic", "the sandbox's choice")),
        "",
        "### Data",
        "",
        *_table(coverage.MODELLED, ("topic", "the sandbox's choice")),
        "",
        "## Injectable faults",
        "",
        *[f"- `{kind}`" for kind in KINDS],
        "",
    ]
    return "\n".join(out)


def main() -> int:
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
