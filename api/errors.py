"""One error shape for every failure: `{"error": {"status", "code", "message", "details"}}`.

Raised `ApiError`s, FastAPI's request validation errors, Starlette's 404/405 and any unexpected
exception (500, generic message, traceback in the log) all leave the API in this shape.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.errors import AhadiError, NotFound

log = logging.getLogger("api")

_CODES_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    500: "internal_error",
    503: "not_ready",
}


class ApiError(Exception):
    """An error the API reports on purpose; becomes the JSON error shape with `status`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers


def error_body(status: int, code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "details": details}}


def error_response(status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, code, message, details), status_code=status, headers=headers)


def validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's errors without the raw input and exception objects (which may not serialise)."""
    details = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        item = {"loc": loc, "message": str(error.get("msg", "")), "type": str(error.get("type", ""))}
        details.append(item)
    return details


def validation_message(details: list[dict[str, Any]]) -> str:
    parts = []
    for item in details[:5]:
        loc = [part for part in item["loc"] if part not in ("body", "query", "path", "header")]
        where = ".".join(loc) or "request"
        parts.append(f"{where}: {item['message']}")
    more = f" (and {len(details) - 5} more)" if len(details) > 5 else ""
    return "; ".join(parts) + more if parts else "the request is not valid"


_FILTER_FIELDS = frozenset({"language", "country", "region", "doc_type", "organisation", "year", "date_from", "date_to", "filters"})
_QUERY_FIELDS = frozenset({"query", "topic"})


def validation_code(details: list[dict[str, Any]]) -> str:
    """`invalid_filter` when only filters were wrong, `query_too_long` for an over-long query."""
    if details and all(any(part in _FILTER_FIELDS for part in item["loc"]) for item in details):
        return "invalid_filter"
    if details and all(item["type"] == "string_too_long" and item["loc"][-1:] and item["loc"][-1] in _QUERY_FIELDS for item in details):
        return "query_too_long"
    return "invalid_request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.code, error.message, error.details, error.headers)

    @app.exception_handler(AhadiError)
    async def _refused(request: Request, error: AhadiError) -> JSONResponse:
        return error_response(404 if isinstance(error, NotFound) else 422, error.code, error.message, error.details)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        details = validation_details(list(error.errors()))
        return error_response(422, validation_code(details), validation_message(details), details)

    @app.exception_handler(ValidationError)
    async def _model_error(request: Request, error: ValidationError) -> JSONResponse:
        # A model built inside a route from already-checked parameters: still the caller's input.
        details = validation_details(list(error.errors()))
        return error_response(422, validation_code(details), validation_message(details), details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        status = error.status_code
        code = _CODES_BY_STATUS.get(status, "http_error")
        if status == 404 and error.detail in (None, "Not Found"):
            message = f"no route {request.url.path}; see /docs for the API"
        elif status == 405:
            message = f"method {request.method} is not allowed on {request.url.path}"
        else:
            message = str(error.detail) if error.detail else code.replace("_", " ")
        return error_response(status, code, message, None, getattr(error, "headers", None))
