"""Paging logic against a small fake gateway (httpx.MockTransport) that answers query/readByQuery
pages from a list, with random delays so concurrent pages complete out of order."""

from __future__ import annotations

import random
import threading
import time

import httpx
import intacct_vectors as tv
import pytest
from lxml import etree

import intacct


class PagingGateway:
    def __init__(self, total: int, delay: float = 0.0) -> None:
        self.rows = [{"RECORDNO": str(i + 1), "NAME": f"N{i + 1}"} for i in range(total)]
        self.delay = delay
        self.calls: list[tuple[str, int]] = []
        self.cursors: dict[str, int] = {}
        self.lock = threading.Lock()
        self.rng = random.Random(7)
        self.in_flight = self.peak = 0

    def page(self, fn: str, cid: str, start: int, size: int, attrs: dict[str, str]) -> str:
        chunk = self.rows[start : start + size]
        remaining = max(len(self.rows) - start - len(chunk), 0)
        tag = "customer" if fn != "query" else "CUSTOMER"
        recs = "".join(
            f"<{tag}><RECORDNO>{r['RECORDNO']}</RECORDNO><NAME>{r['NAME']}</NAME></{tag}>" for r in chunk
        )
        extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
        data = (
            f'<data listtype="{tag}" count="{len(chunk)}" totalcount="{len(self.rows)}" '
            f'numremaining="{remaining}"{extra}>{recs}</data>'
        )
        return tv.result("success", fn, cid, data)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        root = etree.fromstring(request.read())
        fn_el = root.find("operation/content/function")
        cid = fn_el.get("controlid")
        inner = fn_el[0]
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            if self.delay:
                time.sleep(self.rng.uniform(0, self.delay))
            if inner.tag == "getAPISession":
                body = tv.result(
                    "success",
                    "getAPISession",
                    cid,
                    "<data><api><sessionid>S1</sessionid><endpoint>https://x.intacct.com/ia/xml/xmlgw.phtml</endpoint>"
                    "</api></data>",
                )
            elif inner.tag == "query":
                offset, size = int(inner.findtext("offset")), int(inner.findtext("pagesize"))
                self.calls.append(("query", offset))
                body = self.page("query", cid, offset, size, {"offset": str(offset)})
            elif inner.tag == "readByQuery":
                size = int(inner.findtext("pagesize"))
                self.calls.append(("readByQuery", 0))
                rid = f"RID{len(self.cursors)}"
                self.cursors[rid] = size
                remaining = len(self.rows) > size
                body = self.page("readByQuery", cid, 0, size, {"resultId": rid if remaining else ""})
            else:  # readMore
                rid = inner.findtext("resultId")
                size = self.cursors[rid]
                start = sum(1 for c in self.calls if c == ("readMore", rid)) * size + size
                self.calls.append(("readMore", rid))
                more = start + size < len(self.rows)
                body = self.page("readMore", cid, start, size, {"resultId": rid if more else ""})
            return httpx.Response(200, content=tv.ok_response(body), headers={"content-type": "text/xml"})
        finally:
            with self.lock:
                self.in_flight -= 1

    def client(self, **kw) -> intacct.Client:
        creds = intacct.Credentials("S", "SP", "C", "U", "UP")
        return intacct.Client(creds, http=httpx.Client(transport=httpx.MockTransport(self)), **kw)


@pytest.mark.parametrize(("total", "size"), [(0, 10), (1, 10), (10, 10), (30, 10), (31, 10), (95, 7), (5, 1)])
@pytest.mark.parametrize("concurrency", [1, 3])
def test_query_pages_in_order(total, size, concurrency):
    gw = PagingGateway(total, delay=0.005)
    recs = list(gw.client(concurrency=concurrency).query("CUSTOMER", ["RECORDNO", "NAME"], page_size=size))
    assert [r["RECORDNO"] for r in recs] == [str(i + 1) for i in range(total)]
    offsets = sorted(o for f, o in gw.calls if f == "query")
    assert offsets == list(range(0, max(total, 1), size))  # no page fetched twice, none past the end
    assert gw.peak <= concurrency


@pytest.mark.parametrize(("total", "size"), [(0, 10), (10, 10), (30, 10), (31, 10), (3, 1)])
def test_read_by_query_follows_read_more(total, size):
    gw = PagingGateway(total)
    recs = list(gw.client().read_by_query("CUSTOMER", ["RECORDNO"], "", page_size=size))
    assert [r["RECORDNO"] for r in recs] == [str(i + 1) for i in range(total)]
    pages = max(1, -(-total // size))
    assert len(gw.calls) == pages


def test_count_reads_totalcount():
    gw = PagingGateway(1234)
    assert gw.client().count("CUSTOMER") == 1234
    assert gw.calls == [("query", 0)]


def test_abandoning_a_query_midway_is_fine():
    gw = PagingGateway(100, delay=0.002)
    with gw.client(concurrency=3) as c:
        it = c.query("CUSTOMER", ["RECORDNO"], page_size=10)
        assert [next(it)["RECORDNO"] for _ in range(15)][-1] == "15"
    assert len(gw.calls) < 10
