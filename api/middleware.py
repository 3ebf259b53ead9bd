"""The outermost layer of every request: size limit, security headers, metrics, logs, the
audit line, 500s.

A pure ASGI middleware (no BaseHTTPMiddleware), so uploads stream through it unbuffered.

The audit line of a request that a `Caller` made (every protected route, answered or refused) is
written when its answer starts, before a byte of it leaves. When the line cannot be written
(disk full, permissions), the answer is replaced by a 503 `audit_unavailable`, the error is
logged and `ahadi_audit_failures_total` counts it: a deployment that keeps an audit trail of who
read which restricted document must not hand out documents it cannot account for, and a full
disk should stop reads loudly rather than let them go unrecorded. A write (ingest, delete) has
already happened by then: its 503 says the outcome is not confirmed, and repeating it is safe
(an unchanged document is not rewritten; a deleted one answers 404).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import auditing
from api.errors import error_body
from service.audit import AuditError, AuditLog

log = logging.getLogger("api")
access_log = logging.getLogger("api.access")

DOCS_PATHS = ("/docs", "/redoc")
# FastAPI's Swagger UI and ReDoc pages load their scripts and styles from jsDelivr and run one inline script.
DOCS_CSP = (
    "default-src 'self'; "
    "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "worker-src 'self' blob:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# The web pages (api.pages): their own stylesheet, script and images only, and no inline script or
# style; forms post back to the server; the upload form's script sends to it too.
PAGES_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
PAGES_STATIC = "/static/"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class BodyTooLarge(StarletteHTTPException):
    """Raised from `receive` when a body passes the limit; FastAPI lets HTTPExceptions through body parsing."""

    def __init__(self, limit: int):
        super().__init__(413, f"the request body is larger than the limit of {limit / 1_000_000:g} MB (AHADI_MAX_UPLOAD_MB)")
        self.limit = limit


class RequestMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int, metrics: Any, audit: AuditLog | None = None):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.metrics = metrics
        self.audit = audit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        path: str = scope.get("path", "")
        method: str = scope.get("method", "GET")
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        state = {"status": 500, "started": False, "swallow": False}
        extra_headers = _security_headers(path, request_id)
        note = auditing.start()

        async def send_wrapper(message: Message) -> None:
            if state["swallow"]:
                return  # the body of an answer replaced by audit_unavailable
            if message["type"] == "http.response.start" and not self._audited(scope, method, message["status"], note, request_id):
                state["swallow"] = True
                body = json.dumps(error_body(
                    503, "audit_unavailable", "the audit log cannot be written, so nothing is served; the server log says why",
                    {"request_id": request_id},
                )).encode("utf-8")
                message = {"type": "http.response.start", "status": 503,
                           "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]}
                await send({**message, "headers": message["headers"] + extra_headers})
                await send({"type": "http.response.body", "body": body})
                state["status"], state["started"] = 503, True
                return
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                state["started"] = True
                names = {name.lower() for name, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers += [(k, v) for k, v in extra_headers if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        received = 0
        limit = self.max_body_bytes

        async def receive_wrapper() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        if self.metrics is not None:
            self.metrics.in_progress.inc()
        try:
            declared = _header(scope, b"content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                await _send_error(send_wrapper, 413, "payload_too_large", BodyTooLarge(limit).detail, {"limit_bytes": limit})
            else:
                await self.app(scope, receive_wrapper, send_wrapper)
        except BodyTooLarge as error:
            if not state["started"]:
                await _send_error(send_wrapper, 413, "payload_too_large", error.detail, {"limit_bytes": limit})
        except Exception:  # noqa: BLE001 - the one place unexpected errors become a 500
            log.exception("unhandled error in %s %s (request id %s)", method, path, request_id)
            if not state["started"]:
                await _send_error(
                    send_wrapper, 500, "internal_error",
                    "an unexpected error occurred; the server log has the details under this request id",
                    {"request_id": request_id},
                )
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            if self.metrics is not None:
                self.metrics.in_progress.dec()
                self.metrics.observe(method, template, state["status"], elapsed)
            caller = getattr(scope.get("state", {}).get("caller"), "name", None) if isinstance(scope.get("state"), dict) else None
            access_log.info(
                "%s %s -> %s in %.0f ms (route %s, caller %s, request id %s)",
                method, path, state["status"], elapsed * 1000, template, caller or "-", request_id,
            )


    def _audited(self, scope: Scope, method: str, status: int, note: dict[str, Any], request_id: str) -> bool:
        """Write the request's audit line if a caller made it; False when that failed."""
        caller = scope.get("state", {}).get("caller")
        if self.audit is None or caller is None:
            return True
        fields = dict(note)
        query = fields.pop("query", None)
        entry = {
            "who": caller.identity, "name": caller.name, "method": method,
            "route": getattr(scope.get("route"), "path", None) or scope.get("path", ""), "status": status,
            **self.audit.query_fields(query), **fields, "request_id": request_id,
        }
        try:
            self.audit.record(entry)
            return True
        except AuditError:
            log.exception("refused %s %s (request id %s): its audit line could not be written", method, entry["route"], request_id)
            if self.metrics is not None:
                self.metrics.audit_failures.inc()
            return False


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def _security_headers(path: str, request_id: str) -> list[tuple[bytes, bytes]]:
    if path in DOCS_PATHS or path.startswith("/docs/"):
        csp = DOCS_CSP
    elif path.startswith("/v1/") or path == "/metrics" or path == "/openapi.json":
        csp = API_CSP
    else:
        csp = PAGES_CSP
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"content-security-policy", csp.encode()),
        (b"x-request-id", request_id.encode()),
    ]
    # API answers and pages (which show what a signed-in officer may read) are not kept by caches.
    if not path.startswith(PAGES_STATIC):
        headers.append((b"cache-control", b"no-store"))
    return headers


async def _send_error(send: Send, status: int, code: str, message: str, details: Any) -> None:
    body = json.dumps(error_body(status, code, message, details)).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
