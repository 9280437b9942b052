"""The session flow, in one place: login -> getAPISession (locationid for the entity) -> send with
the returned session id to the returned endpoint; on "invalid session" log in again once and resend."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from intacct._convert import to_datetime
from intacct._credentials import Credentials, SessionInfo
from intacct._errors import ProtocolError, SessionInvalid, error_for
from intacct._functions import Function, get_api_session
from intacct._parse import Response
from intacct._redact import Redactor
from intacct._request import LoginAuth, SessionAuth

#: (endpoint, auth, functions) -> Response; raises on control/authentication failures
Exchange = Callable[[str, LoginAuth | SessionAuth, Sequence[Function], bool], Response]


class Sessions:
    def __init__(
        self,
        credentials: Credentials,
        endpoint: str,
        exchange: Exchange,
        redactor: Redactor,
        check_endpoint: Callable[[str, str], None] | None = None,
    ) -> None:
        self.credentials = credentials
        #: raises if an endpoint may not receive the session (the client's allowed_endpoints)
        self._check_endpoint = check_endpoint
        self.endpoint = endpoint
        self._exchange = exchange
        self._redact = redactor
        self._lock = threading.Lock()
        self._current: SessionInfo | None = None
        self.logins = 0

    def current(self) -> SessionInfo:
        with self._lock:
            if self._current is None:
                self._current = self._login()
            return self._current

    def invalidate(self, stale: SessionInfo) -> None:
        with self._lock:
            if self._current is stale:
                self._current = None

    def call(self, functions: Sequence[Function], transaction: bool = False) -> Response:
        """Send with the current session; renew once if Intacct says the session is invalid."""
        info = self.current()
        try:
            return self._exchange(info.endpoint, SessionAuth(info.session_id), functions, transaction)
        except SessionInvalid:
            self.invalidate(info)
            info = self.current()
            return self._exchange(info.endpoint, SessionAuth(info.session_id), functions, transaction)

    def _login(self) -> SessionInfo:
        entity = self.credentials.entity_id
        fn = get_api_session(entity)
        resp = self._exchange(self.endpoint, LoginAuth(self.credentials, entity), [fn], False)
        self.logins += 1
        results = [r for r in resp.results if r.controlid == fn.controlid]
        if len(results) != 1:
            raise ProtocolError("getAPISession answered without its result")
        res = results[0]
        if not res.ok:
            raise error_for(
                # A refused getAPISession is a sign-in problem (entity access, ...), not a record one.
                "authentication",
                res.errors,
                controlid=res.controlid,
            ).redact(self._redact)
        api = res.records[0] if res.records else {}
        session_id = api.get("sessionid")
        if not isinstance(session_id, str) or not session_id:
            raise ProtocolError("getAPISession returned no session id")
        self._redact.add(session_id)
        endpoint = api.get("endpoint") or self.endpoint
        if not isinstance(endpoint, str) or urlsplit(endpoint).scheme not in ("http", "https"):
            raise ProtocolError(f"getAPISession returned an unusable endpoint {endpoint!r}")
        if urlsplit(self.endpoint).scheme == "https" and urlsplit(endpoint).scheme != "https":
            raise ProtocolError(f"refusing to downgrade from https to {endpoint!r}")
        if self._check_endpoint is not None:
            # a gateway answer must not send the session (and later requests) anywhere else
            self._check_endpoint(endpoint, "getAPISession answered with endpoint")
        location = api.get("locationid") or None
        auth = resp.authentication
        expires = None
        if auth is not None and auth.sessiontimeout:
            try:
                expires = to_datetime(auth.sessiontimeout)
            except ValueError:
                expires = None
        return SessionInfo(
            session_id=session_id,
            endpoint=endpoint,
            location_id=location if isinstance(location, str) else None,
            company_id=(auth.companyid if auth and auth.companyid else self.credentials.company_id),
            user_id=(auth.userid if auth and auth.userid else self.credentials.user_id),
            expires_at=expires,
        )
