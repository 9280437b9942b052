"""Walking every page: readByQuery + readMore (a server cursor), and ``query`` by offsets, whose
pages are independent queries and so can be fetched concurrently, in order, a bounded window ahead."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from intacct._functions import Function
from intacct._parse import Record
from intacct._results import Result

RunOne = Callable[[Function], Result]


def _int(attrs: dict[str, str], name: str) -> int:
    try:
        return int(attrs.get(name) or 0)
    except ValueError:
        return 0


def walk_read_more(run: RunOne, first: Function, read_more: Callable[[str], Function]) -> Iterator[Record]:
    res = run(first).raise_for_error()
    yield from res.records
    while True:
        result_id = res.data_attrs.get("resultId")
        if _int(res.data_attrs, "numremaining") <= 0 or not result_id:
            return
        res = run(read_more(result_id)).raise_for_error()
        yield from res.records


def walk_offsets(
    run: RunOne,
    page: Callable[[int], Function],
    page_size: int,
    pool: ThreadPoolExecutor | None,
    window: int,
) -> Iterator[Record]:
    """Offsets 0, n, 2n ... up to the totalcount of the first page; with a pool, up to ``window``
    pages are in flight at once and records still come out in page order."""
    res = run(page(0)).raise_for_error()
    yield from res.records
    remaining = _int(res.data_attrs, "numremaining")
    if remaining <= 0:
        return
    offset = page_size
    if pool is not None and window > 1:
        end = offset + remaining  # planned from the first page; anything added later is walked below
        pending: deque[Future[Result]] = deque()
        try:
            while offset < end or pending:
                while offset < end and len(pending) < window:
                    pending.append(pool.submit(run, page(offset)))
                    offset += page_size
                res = pending.popleft().result().raise_for_error()
                # Refill before handing records out, so the slots stay busy while the caller works.
                while offset < end and len(pending) < window:
                    pending.append(pool.submit(run, page(offset)))
                    offset += page_size
                yield from res.records
        finally:
            for fut in pending:
                fut.cancel()
        remaining = _int(res.data_attrs, "numremaining")
    while remaining > 0:
        res = run(page(offset)).raise_for_error()
        if not res.records:
            return
        yield from res.records
        remaining = _int(res.data_attrs, "numremaining")
        offset += page_size
