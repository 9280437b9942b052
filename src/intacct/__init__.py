"""Sage Intacct XML Web Services client: sessions, streaming parsing, typed errors, queries,
paging, batching, safe retries and a per-company concurrency limit.

    from intacct import Client, Credentials, F
    with Client(Credentials(sender_id, sender_password, company_id, user_id, user_password)) as client:
        for customer in client.query("CUSTOMER", ["RECORDNO", "NAME"], where=F("STATUS") == True):
            ...
"""

from intacct._batch import Batch, Handle
from intacct._client import DEFAULT_ENDPOINT, Client, WriteItem
from intacct._convert import to_bool, to_date, to_datetime, to_decimal, to_int, to_status
from intacct._credentials import Credentials, SessionInfo
from intacct._errors import (
    AlreadyExecuted,
    AlreadyExists,
    CompanyUnavailable,
    ConnectionFailed,
    EndpointNotAllowed,
    EntityAccessDenied,
    ErrorDetail,
    FunctionError,
    IntacctError,
    NotFound,
    OutcomeUnknown,
    PermissionDenied,
    ProtocolError,
    QueryFailed,
    RateLimited,
    RequestRejected,
    ResponseTooLarge,
    RolledBack,
    SenderCredentialsInvalid,
    SenderNotAuthorized,
    ServerError,
    SessionInvalid,
    SetupError,
    SmartRuleRejected,
    Timeout,
    TransportError,
    UserCredentialsInvalid,
    UserInactive,
    ValidationFailed,
    WebServicesNotSubscribed,
)
from intacct._limiter import InProcessLimiter, Limiter
from intacct._parse import Response, parse_response
from intacct._query import And, Between, Compare, F, Field, In, IsNull, Not, Or, Q, literal
from intacct._results import Result, WriteResult
from intacct._retry import RetryPolicy

__all__ = [
    "DEFAULT_ENDPOINT",
    "AlreadyExecuted",
    "AlreadyExists",
    "And",
    "Batch",
    "Between",
    "Client",
    "CompanyUnavailable",
    "Compare",
    "ConnectionFailed",
    "Credentials",
    "EndpointNotAllowed",
    "EntityAccessDenied",
    "ErrorDetail",
    "F",
    "Field",
    "FunctionError",
    "Handle",
    "In",
    "InProcessLimiter",
    "IntacctError",
    "IsNull",
    "Limiter",
    "Not",
    "NotFound",
    "Or",
    "OutcomeUnknown",
    "PermissionDenied",
    "ProtocolError",
    "Q",
    "QueryFailed",
    "RateLimited",
    "RequestRejected",
    "Response",
    "ResponseTooLarge",
    "Result",
    "RetryPolicy",
    "RolledBack",
    "SenderCredentialsInvalid",
    "SenderNotAuthorized",
    "ServerError",
    "SessionInfo",
    "SessionInvalid",
    "SetupError",
    "SmartRuleRejected",
    "Timeout",
    "TransportError",
    "UserCredentialsInvalid",
    "UserInactive",
    "ValidationFailed",
    "WebServicesNotSubscribed",
    "WriteItem",
    "WriteResult",
    "literal",
    "parse_response",
    "to_bool",
    "to_date",
    "to_datetime",
    "to_decimal",
    "to_int",
    "to_status",
]
