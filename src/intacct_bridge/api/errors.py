"""One error shape for the whole API: ``{"error": {"code": "...", "message": "..."}}``."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
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


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def first_error(errors: list[dict[str, Any]]) -> str:
    """The first validation error as one sentence: ``"company_id: Field required"``."""
    if not errors:
        return "invalid request"
    err = errors[0]
    where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body", "payload", "query", "path"))
    return f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid"))


CODES = {
    400: "bad_request",
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
