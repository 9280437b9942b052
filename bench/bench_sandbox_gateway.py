"""Benchmark of the sandbox gateway end to end, in-process over WSGI (no sockets), on an N-customer
company:

1. The speed clause of issue #2: the sandbox's server time for a 1,000-record page (readByQuery and
   query, session auth, the client benchmark's five fields) next to the time our client
   (``intacct.parse_response``) spends parsing that page, measured in the same run. "warm" pages
   come from the sandbox's cached record fragments (the usual case: syncs re-read unchanged
   records); "cold" pages render every record afresh (the cache emptied first).
2. One 1,000-record page with every field, compact and indented, against a bare lxml parse.
3. readMore, and the loopback round trip of a small request through SandboxServer.

  .venv/bin/python bench/bench_sandbox_gateway.py [--customers 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from lxml import etree

from intacct_sandbox import Sandbox


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), value


def post(sb: Sandbox, body: bytes) -> bytes:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/ia/xml/xmlgw.phtml",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "bench",
    }
    return b"".join(sb.wsgi_app(environ, lambda status, headers: None))


def envelope(creds: dict[str, Any], function: str, whitespace: str, session: str | None = None) -> bytes:
    auth = (
        f"<sessionid>{session}</sessionid>"
        if session
        else f"<login><userid>{creds['user_id']}</userid><companyid>{creds['company_id']}</companyid>"
        f"<password>{creds['user_password']}</password></login>"
    )
    return (
        f"<request><control><senderid>{creds['sender_id']}</senderid><password>{creds['sender_password']}"
        f"</password><controlid>b</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion>"
        f"<includewhitespace>{whitespace}</includewhitespace></control><operation><authentication>"
        f"{auth}</authentication><content>"
        f'<function controlid="f">{function}</function></content></operation></request>'
    ).encode()


#: the fields bench/bench_client.py reads
CLIENT_FIELDS = ["RECORDNO", "CUSTOMERID", "NAME", "STATUS", "WHENMODIFIED"]


def speed_clause(sb: Sandbox, creds: dict[str, Any], repeat: int) -> None:
    """Server ms per 1,000-record page vs the client's parse ms per 1,000 records, same run."""
    import intacct

    session = etree.fromstring(post(sb, envelope(creds, "<getAPISession/>", "false"))).findtext(
        "operation/result/data/api/sessionid"
    )
    select = "".join(f"<field>{f}</field>" for f in CLIENT_FIELDS)
    pages = {
        "readByQuery": f"<readByQuery><object>CUSTOMER</object><fields>{','.join(CLIENT_FIELDS)}</fields>"
        "<query/><pagesize>1000</pagesize></readByQuery>",
        "query": (
            f"<query><object>CUSTOMER</object><select>{select}</select><pagesize>1000</pagesize></query>"
        ),
    }
    for name, function in pages.items():
        body = envelope(creds, function, "false", session)
        answer = post(sb, body)
        warm, warm_median, _ = timed(lambda body=body: post(sb, body), max(repeat, 20))

        def cold_page(body: bytes = body) -> bytes:
            sb.store.fragments.clear()
            start = time.perf_counter()
            post(sb, body)
            return time.perf_counter() - start  # type: ignore[return-value]

        cold = min(cold_page() for _ in range(max(repeat, 15)))
        parsed = intacct.parse_response(answer)
        count = len(parsed.results[0].records)
        parse, _parse_median, _ = timed(lambda answer=answer: intacct.parse_response(answer), max(repeat, 20))
        per = 1000 / count
        print(
            f"{name} 1000 x {len(CLIENT_FIELDS)} fields ({count} records, {len(answer) / 1e3:.0f} kB): "
            f"sandbox server {warm * per * 1000:.2f} ms warm (median {warm_median * per * 1000:.2f}) / "
            f"{cold * per * 1000:.2f} ms cold per 1,000 records; "
            f"client parse {parse * per * 1000:.2f} ms per 1,000 records; "
            f"server/parse {warm / parse:.2f} warm, {cold / parse:.2f} cold"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sb = Sandbox()
    start = time.perf_counter()
    creds = sb.seed_demo(seed=1, customers=args.customers)
    print(f"seed_demo({args.customers} customers): {time.perf_counter() - start:.2f}s")
    speed_clause(sb, creds, args.repeat)
    page = (
        "<readByQuery><object>CUSTOMER</object><fields>*</fields><query/>"
        "<pagesize>1000</pagesize></readByQuery>"
    )
    for whitespace in ("false", "true"):
        body = envelope(creds, page, whitespace)
        sb.store.fragments.clear()
        start = time.perf_counter()
        post(sb, body)
        cold = time.perf_counter() - start
        best, median, answer = timed(lambda body=body: post(sb, body), args.repeat)
        parse_best, parse_median, doc = timed(lambda answer=answer: etree.fromstring(answer), args.repeat)
        count = doc.find("operation/result/data").get("count")
        print(
            f"readByQuery 1000 (includewhitespace={whitespace}, {count} records, "
            f"{len(answer) / 1e6:.2f} MB): "
            f"sandbox best {best * 1000:.1f} ms / median {median * 1000:.1f} ms (cold {cold * 1000:.1f} ms); "
            f"client parse floor best {parse_best * 1000:.1f} ms / median {parse_median * 1000:.1f} ms; "
            f"ratio {median / parse_median:.2f}"
        )
    first = etree.fromstring(post(sb, envelope(creds, page, "false")))
    result_id = first.find("operation/result/data").get("resultId")
    more = envelope(creds, f"<readMore><resultId>{result_id}</resultId></readMore>", "false")
    best, median, _ = timed(lambda: post(sb, more), 1)
    print(f"readMore 1000: {best * 1000:.1f} ms")
    # loopback round trip of a small request over a keep-alive connection (server overhead)
    import httpx

    from intacct_sandbox import SandboxServer

    small = envelope(creds, page.replace("<pagesize>1000</pagesize>", "<pagesize>1</pagesize>"), "false")
    with SandboxServer(sb) as server, httpx.Client() as http:
        http.post(server.endpoint, content=small)
        best, median, _ = timed(lambda: http.post(server.endpoint, content=small), 50)
    print(f"loopback round trip, 1-record page: best {best * 1000:.2f} ms / median {median * 1000:.2f} ms")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
