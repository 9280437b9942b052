"""One error shape for the whole API: ``{"error": {"code": "...", "message": "..."}}``.

An unexpected exception answers 500 in the same shape with a ``request_id`` that is also in the
log line holding the traceback, so a user can quote it and the operator can find it.
:class:`ApiErrorsMiddleware` gives the same shape to what Django answers under ``/api/`` before or
outside ninja (an unknown URL, a refused CSRF token, a body over the size limit).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def not_found(message: str = "Not found") -> ApiError:
    return ApiError(404, "not_found", message)


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


log = logging.getLogger(__name__)


def error_body(code: str, message: str, request_id: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if request_id:
        error["request_id"] = request_id
    return {"error": error}


def request_id(request: HttpRequest) -> str:
    """This request's id (``X-Request-ID`` on the response), made on first use."""
    rid = getattr(request, "request_id", None)
    if not rid:
        rid = uuid.uuid4().hex
        request.request_id = rid  # type: ignore[attr-defined]
    return str(rid)


def internal_error(request: HttpRequest, exc: BaseException) -> JsonResponse:
    rid = request_id(request)
    # the traceback goes to the log only; POST bodies are never logged (they may hold a password)
    log.error(
        "unexpected error %s on %s %s",
        rid,
        request.method,
        request.path,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    response = JsonResponse(
        error_body(
            "internal_error",
            f"Something went wrong on the server; nothing more is known here. Quote request id {rid} "
            "to the operator (it is in the service log).",
            rid,
        ),
        status=500,
    )
    response["X-Request-ID"] = rid
    return response


def first_error(errors: list[dict[str, Any]]) -> str:
    """The first validation error as one sentence: ``"company_id: Field required"``."""
    if not errors:
        return "invalid request"
    err = errors[0]
    where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body", "payload", "query", "path"))
    return f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid"))


CODES = {
    400: "bad_request",
    413: "too_large",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "rate_limited",
}


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
        return api.create_response(request, error_body(code, message), status=status)

    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, exc.code, exc.message)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(
            request, 401, "unauthorized", "Sign in, or send an API token as 'Authorization: Bearer <token>'."
        )

    @api.exception_handler(AuthorizationError)
    def on_unauthorized(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return respond(request, 403, "forbidden", str(exc) or "Forbidden")

    @api.exception_handler(ValidationError)
    def on_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return respond(request, 422, "invalid", first_error(list(exc.errors)))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, CODES.get(exc.status_code, "error"), str(exc))

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", "Not found")

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, "too_large", "The request body is larger than this server accepts")

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        return internal_error(request, exc)


#: what Django's own error answers become under /api/
_MESSAGES = {
    400: "Bad request",
    403: "Forbidden (for a signed-in browser session, send the CSRF token as X-CSRFToken)",
    404: "No such API endpoint",
    405: "Method not allowed here",
    413: "The request body is larger than this server accepts",
}


class ApiErrorsMiddleware:
    """Under /api/: a JSON error for any non-JSON error answer, and a JSON 500 with a request id
    for any exception that reached Django (never Django's HTML pages)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            if response.status_code >= 500 and "X-Request-ID" not in response:
                response["X-Request-ID"] = request_id(request)
            return response
        status = response.status_code
        if status >= 500:
            rid = request_id(request)
            log.error("error %s on %s %s: HTTP %s", rid, request.method, request.path, status)
            body = error_body("internal_error", f"Server error; quote request id {rid} to the operator.", rid)
        else:
            body = error_body(CODES.get(status, "error"), _MESSAGES.get(status, f"HTTP {status}"))
        out = HttpResponse(json.dumps(body), status=status, content_type="application/json")
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                out[header] = response[header]
        return out

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not request.path.startswith("/api/"):
            return None
        return internal_error(request, exc)
