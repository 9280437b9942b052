"""The client: one per company (and entity); holds the session, the retry policy, the limiter and
the HTTP connection pool, so every request obeys them."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Any

import httpx

from intacct import _functions as fns
from intacct._batch import Batch
from intacct._controlid import unique_controlids
from intacct._credentials import Credentials, SessionInfo
from intacct._errors import (
    ConnectionFailed,
    EndpointNotAllowed,
    IntacctError,
    OutcomeUnknown,
    ProtocolError,
    RateLimited,
    ResponseTooLarge,
    RolledBack,
    ServerError,
    TransportError,
    error_for,
)
from intacct._limiter import InProcessLimiter, Limiter
from intacct._paging import walk_offsets, walk_read_more
from intacct._parse import RawResult, Record, Response
from intacct._query import Q
from intacct._redact import Redactor
from intacct._request import LoginAuth, SessionAuth, build_request
from intacct._results import Result, WriteResult
from intacct._retry import RetryPolicy
from intacct._session import Sessions
from intacct._transport import DEFAULT_MAX_RESPONSE_BYTES, NoAnswer, Transport

logger = logging.getLogger("intacct")

DEFAULT_ENDPOINT = "https://api.intacct.com/ia/xml/xmlgw.phtml"
#: Records to write: (OBJECT, fields) or (OBJECT, fields, controlid)
WriteItem = tuple[str, Mapping[str, Any]] | tuple[str, Mapping[str, Any], str]
#: exact endpoint URLs, or a function saying whether a URL may receive the credentials
AllowedEndpoints = Collection[str] | Callable[[str], bool]


def _endpoint_check(allowed: AllowedEndpoints | None) -> Callable[[str], bool] | None:
    if allowed is None:
        return None
    if callable(allowed):
        return allowed
    if isinstance(allowed, str):
        raise TypeError("allowed_endpoints must be a collection of URLs or a function, not a string")
    urls = frozenset(allowed)
    return urls.__contains__


class Client:
    """Talk to one Intacct company.

    >>> client = Client(Credentials("S", "SP", "C", "U", "UP"), endpoint=...)
    >>> for rec in client.query("CUSTOMER", ["RECORDNO", "NAME"], where=F("STATUS") == True): ...
    """

    def __init__(
        self,
        credentials: Credentials,
        endpoint: str = DEFAULT_ENDPOINT,
        *,
        http: httpx.Client | None = None,
        max_retries: int = 5,
        timeout: float = 120.0,
        concurrency: int = 2,
        batch_size: int = 100,
        limiter: Limiter | None = None,
        retry: RetryPolicy | None = None,
        allowed_endpoints: AllowedEndpoints | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        if not isinstance(credentials, Credentials):
            raise TypeError("credentials must be an intacct.Credentials")
        if not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError(f"concurrency must be >= 1, got {concurrency!r}")
        if not isinstance(batch_size, int) or not 1 <= batch_size <= 10_000:
            raise ValueError(f"batch_size must be in 1..10000, got {batch_size!r}")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        if not isinstance(max_response_bytes, int) or max_response_bytes < 1:
            raise ValueError(f"max_response_bytes must be a positive int, got {max_response_bytes!r}")
        self.credentials = credentials
        self.endpoint = endpoint
        #: what may receive the credentials and the session: ``endpoint`` and the endpoint that
        #: getAPISession answers are both checked before anything is sent (None: no restriction)
        self.allowed_endpoints = allowed_endpoints
        self._endpoint_allowed = _endpoint_check(allowed_endpoints)
        self.concurrency = concurrency
        self.batch_size = batch_size
        self.retry = retry or RetryPolicy(max_retries=max_retries)
        self.limiter: Limiter = limiter or InProcessLimiter(concurrency)
        self._redact = Redactor(credentials.secrets())
        self._own_http = http is None
        self.http = http or httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            limits=httpx.Limits(max_connections=max(concurrency, 2) * 2),
        )
        # ``timeout`` is the total time of one request (connect to last byte), not per socket read
        self._transport = Transport(self.http, self._redact, deadline=timeout, max_bytes=max_response_bytes)
        self._sessions = Sessions(credentials, endpoint, self._exchange, self._redact, self.check_endpoint)
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        #: requests sent (including retries and logins): a cheap counter for callers and benchmarks
        self.requests_sent = 0
        self._count_lock = threading.Lock()

    def __repr__(self) -> str:
        c = self.credentials
        return f"Client(company_id={c.company_id!r}, user_id={c.user_id!r}, entity_id={c.entity_id!r})"

    # -- plumbing ---------------------------------------------------------------------------

    def check_endpoint(self, endpoint: str, source: str = "the endpoint") -> None:
        """Raise :class:`EndpointNotAllowed` unless ``endpoint`` may receive this client's requests."""
        if self._endpoint_allowed is not None and not self._endpoint_allowed(endpoint):
            raise EndpointNotAllowed(
                f"{source} {endpoint!r} is not an allowed endpoint; nothing was sent to it",
                endpoint=endpoint,
            )

    def _executor(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="intacct")
            return self._pool

    def _exchange(
        self,
        endpoint: str,
        auth: LoginAuth | SessionAuth,
        functions: Sequence[fns.Function],
        transaction: bool,
    ) -> Response:
        """POST one request, retrying what is safe to retry; raise control/authentication failures."""
        # before anything is built: the body carries the sender and user passwords or the session
        self.check_endpoint(endpoint)
        writes = [f.controlid for f in functions if f.write]
        started = time.monotonic()
        attempt = 0
        while True:
            # Same functions, same controlids, uniqueid=true for writes: a replay cannot apply twice.
            body = build_request(self.credentials, auth, functions, transaction=transaction)
            error: TransportError
            try:
                with self.limiter.slot(self.credentials.company_id):
                    with self._count_lock:
                        self.requests_sent += 1
                    resp = self._transport.post(endpoint, body)
                return self._check_envelope(resp)
            except NoAnswer as exc:
                if writes:
                    raise OutcomeUnknown(
                        f"{exc.message}; {len(writes)} write(s) may or may not have been applied",
                        controlids=writes,
                        http_status=exc.http_status,
                    ) from exc
                if isinstance(exc.cause, ResponseTooLarge):
                    # the same request would get the same oversized answer
                    raise exc.cause from None
                # Reads are safe to send again.
                error = exc.cause or TransportError(exc.message, http_status=exc.http_status)
            except (ConnectionFailed, ServerError, RateLimited) as exc:
                error = exc
            attempt += 1
            retry_after = error.retry_after if isinstance(error, RateLimited) else None
            wait = self.retry.next_wait(attempt, started, retry_after)
            if wait is None:
                raise error
            logger.info("intacct: %s; retry %d in %.2fs", self._redact(str(error)), attempt, wait)
            self.retry.sleep(wait)

    def _check_envelope(self, resp: Response) -> Response:
        assert resp.control is not None  # the parser guarantees it
        if resp.control.status != "success":
            raise error_for("control", resp.control_errors or resp.auth_errors).redact(self._redact)
        if resp.acknowledgement is not None:
            raise ProtocolError(
                "asynchronous acknowledgement received; this client sends synchronous requests"
            )
        auth = resp.authentication
        if auth is None:
            raise ProtocolError("response without <operation>/<authentication>")
        if auth.status != "success":
            raise error_for("authentication", resp.auth_errors).redact(self._redact)
        return resp

    def _run_chunk(self, chunk: Sequence[fns.Function], transaction: bool) -> list[Result]:
        try:
            resp = self._sessions.call(chunk, transaction)
        except (OutcomeUnknown, TransportError) as exc:
            return [self._failed(fn, exc) for fn in chunk]
        by_id: dict[str, RawResult] = {}
        for r in resp.results:
            if r.controlid in by_id:
                raise ProtocolError(f"two results for controlid {r.controlid!r}")
            by_id[r.controlid] = r
        out: list[Result] = []
        for fn in chunk:
            raw = by_id.get(fn.controlid)
            cls = WriteResult if fn.write else Result
            if raw is None:
                missing: IntacctError = (
                    RolledBack("no result returned; the transaction was rolled back", controlid=fn.controlid)
                    if transaction
                    else ProtocolError("the response has no result for this function", controlid=fn.controlid)
                )
                out.append(self._failed(fn, missing))
                continue
            error = None
            if not raw.ok:
                error = error_for(
                    "result",
                    raw.errors,
                    controlid=raw.controlid,
                    object=fn.object,
                    aborted=raw.status == "aborted",
                ).redact(self._redact)
            out.append(cls.from_raw(raw, fn.object, error))
        return out

    @staticmethod
    def _failed(fn: fns.Function, exc: IntacctError) -> Result:
        cls = WriteResult if fn.write else Result
        return cls(function=fn.name, controlid=fn.controlid, status="unknown", object=fn.object, error=exc)

    def _execute(self, functions: Sequence[fns.Function], transaction: bool = False) -> list[Result]:
        """Send functions in requests of ``batch_size`` (one request if transaction), concurrently up
        to the concurrency limit; results in the order of ``functions``. Setup errors raise."""
        functions = list(functions)
        if not functions:
            return []
        unique_controlids([f.controlid for f in functions])
        if transaction:
            chunks = [functions]
        else:
            chunks = [functions[i : i + self.batch_size] for i in range(0, len(functions), self.batch_size)]
        if len(chunks) == 1 or self.concurrency == 1:
            parts = [self._run_chunk(c, transaction) for c in chunks]
        else:
            parts = list(self._executor().map(lambda c: self._run_chunk(c, transaction), chunks))
        return [r for part in parts for r in part]

    def _one(self, fn: fns.Function) -> Result:
        return self._run_chunk([fn], False)[0]

    # -- public API -------------------------------------------------------------------------

    def session(self) -> SessionInfo:
        """The current API session (logs in on first use)."""
        return self._sessions.current()

    def query(
        self,
        obj: str,
        fields: Sequence[str],
        where: Q | str | None = None,
        order_by: Sequence[str] | None = None,
        page_size: int | None = None,
        *,
        case_insensitive: bool = False,
        show_private: bool = False,
        concurrent: bool = True,
    ) -> Iterator[Record]:
        """Every matching record, page after page (the ``query`` function, 2000 per page, pages fetched
        concurrently up to the concurrency limit). ``order_by`` defaults to RECORDNO so offset pages
        are stable; pass ``[]`` for none. A string ``where`` is a readByQuery query (no ordering)."""
        if isinstance(where, str):
            if order_by:
                raise ValueError("order_by needs a Q condition (readByQuery strings cannot be ordered)")
            return self.read_by_query(obj, fields, where, page_size or fns.READ_BY_QUERY_MAX_PAGE)
        if where is not None and not isinstance(where, Q):
            raise TypeError("where must be a Q condition, a readByQuery string or None")
        size = fns.QUERY_MAX_PAGE if page_size is None else page_size
        order = ["RECORDNO"] if order_by is None else list(order_by)

        def page(offset: int) -> fns.Function:
            return fns.query(
                obj,
                fields,
                where,
                order,
                size,
                offset,
                case_insensitive=case_insensitive,
                show_private=show_private,
            )

        page(0)  # validate every argument now, before the caller starts iterating
        pool = self._executor() if concurrent and self.concurrency > 1 else None
        return walk_offsets(self._one, page, size, pool, self.concurrency)

    def read_by_query(
        self,
        obj: str,
        fields: Sequence[str] | None,
        query: str = "",
        page_size: int = fns.READ_BY_QUERY_MAX_PAGE,
        *,
        docparid: str | None = None,
    ) -> Iterator[Record]:
        """Every record matching a readByQuery string (1000 per page, then readMore)."""
        first = fns.read_by_query(obj, fields, query, page_size, docparid=docparid)
        return walk_read_more(self._one, first, lambda rid: fns.read_more(rid, obj))

    def read(self, obj: str, keys: Iterable[Any], fields: Sequence[str] | None = None) -> list[Record]:
        """Records by RECORDNO (at most 100 keys), nested as Intacct returns them."""
        return self._one(fns.read(obj, keys, fields)).raise_for_error().records

    def read_by_name(
        self, obj: str, names: Iterable[Any], fields: Sequence[str] | None = None
    ) -> list[Record]:
        """Records by their ID field (CUSTOMERID, VENDORID ...; at most 100 names)."""
        return self._one(fns.read(obj, names, fields, by_name=True)).raise_for_error().records

    def _writes(self, kind: str, records: Iterable[WriteItem]) -> list[fns.Function]:
        out = []
        for item in records:
            if not isinstance(item, tuple) or len(item) not in (2, 3):
                raise TypeError(f"{kind} takes (OBJECT, fields) or (OBJECT, fields, controlid) tuples")
            obj, values = item[0], item[1]
            controlid = item[2] if len(item) == 3 else None
            out.append(fns.write(kind, obj, values, controlid))
        return out

    def create(self, records: Iterable[WriteItem]) -> list[WriteResult]:
        """One function per record, ``batch_size`` functions per request; one result per record, in
        order. Failures are on ``result.error`` (never raised, except setup errors)."""
        return self._write_results(self._execute(self._writes("create", records)))

    def update(self, records: Iterable[WriteItem]) -> list[WriteResult]:
        return self._write_results(self._execute(self._writes("update", records)))

    def delete(
        self, obj: str, keys: Iterable[Any], controlids: Sequence[str] | None = None
    ) -> list[WriteResult]:
        """One delete function per key (RECORDNO), so each key gets its own result."""
        key_list = list(keys) if not isinstance(keys, str | bytes) else None
        if key_list is None:
            raise TypeError("keys must be a list, not a string")
        if not key_list:
            raise ValueError("keys must not be empty")
        if controlids is not None and len(controlids) != len(key_list):
            raise ValueError("controlids must match keys one to one")
        functions = [
            fns.delete(obj, [k], controlids[i] if controlids else None) for i, k in enumerate(key_list)
        ]
        return self._write_results(self._execute(functions))

    @staticmethod
    def _write_results(results: list[Result]) -> list[WriteResult]:
        return [r for r in results if isinstance(r, WriteResult)]

    def call(self, function_name: str, params: Mapping[str, Any], controlid: str | None = None) -> Result:
        """A legacy function (create_arpayment, get_companyprefs ...); raises its error if it failed."""
        return self._one(fns.legacy(function_name, params, controlid)).raise_for_error()

    def inspect(self, obj: str, detail: bool = False) -> list[Record]:
        return self._one(fns.inspect(obj, detail)).raise_for_error().records

    def lookup(self, obj: str) -> list[Record]:
        return self._one(fns.lookup(obj)).raise_for_error().records

    def count(self, obj: str, where: Q | str | None = None) -> int:
        """How many records match (one page-size-1 query, reading its totalcount)."""
        if isinstance(where, str):
            fn = fns.read_by_query(obj, ["RECORDNO"], where, 1)
        else:
            fn = fns.query(obj, ["RECORDNO"], where, None, 1, 0)
        res = self._one(fn).raise_for_error()
        try:
            return int(res.data_attrs.get("totalcount", ""))
        except ValueError:
            raise ProtocolError("the answer has no totalcount") from None

    def batch(self, transaction: bool = False) -> Batch:
        return Batch(self, transaction)

    def close(self) -> None:
        with self._pool_lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
        if self._own_http:
            self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


__all__ = ["DEFAULT_ENDPOINT", "AllowedEndpoints", "Client", "WriteItem"]
