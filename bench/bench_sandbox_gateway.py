"""Benchmark of the sandbox gateway end to end, in-process over WSGI (no sockets): one 1,000-record
readByQuery page (all fields) from an N-customer company, and one readMore page, compared with what a
client spends just parsing that answer (lxml.etree.fromstring, the floor of any client); and the
loopback round trip of a small request through SandboxServer.

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


def envelope(creds: dict[str, Any], function: str, whitespace: str) -> bytes:
    return (
        f"<request><control><senderid>{creds['sender_id']}</senderid><password>{creds['sender_password']}"
        f"</password><controlid>b</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion>"
        f"<includewhitespace>{whitespace}</includewhitespace></control><operation><authentication><login>"
        f"<userid>{creds['user_id']}</userid><companyid>{creds['company_id']}</companyid>"
        f"<password>{creds['user_password']}</password></login></authentication><content>"
        f'<function controlid="f">{function}</function></content></operation></request>'
    ).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sb = Sandbox()
    start = time.perf_counter()
    creds = sb.seed_demo(seed=1, customers=args.customers)
    print(f"seed_demo({args.customers} customers): {time.perf_counter() - start:.2f}s")
    page = (
        "<readByQuery><object>CUSTOMER</object><fields>*</fields><query/><pagesize>1000</pagesize></readByQuery>"
    )
    for whitespace in ("false", "true"):
        body = envelope(creds, page, whitespace)
        best, median, answer = timed(lambda body=body: post(sb, body), args.repeat)
        parse_best, parse_median, doc = timed(lambda answer=answer: etree.fromstring(answer), args.repeat)
        count = doc.find("operation/result/data").get("count")
        print(
            f"readByQuery 1000 (includewhitespace={whitespace}, {count} records, "
            f"{len(answer) / 1e6:.2f} MB): "
            f"sandbox best {best * 1000:.1f} ms / median {median * 1000:.1f} ms; "
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
