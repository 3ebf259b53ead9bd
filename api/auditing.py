"""What a request adds to its audit line: the routes note the query, the result count and the
document ids they read, wrote or deleted; `RequestMiddleware` writes the line, with who, when,
which route and which status, for every request a `Caller` made (`service.audit`).

The note travels in a context variable that the middleware sets per request, so code below the
routes (`api.searching`) can add to it without every function passing the request along
(FastAPI runs a sync route in a worker thread with a copy of the context: the dict is shared).
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

_NOTE: ContextVar[dict[str, Any] | None] = ContextVar("ahadi_audit_note", default=None)


def start() -> dict[str, Any]:
    """A new, empty note for the request being served (the middleware's)."""
    fields: dict[str, Any] = {}
    _NOTE.set(fields)
    return fields


def note(**fields: Any) -> None:
    """Add to the request's audit line: `query` (hashed unless AHADI_AUDIT_QUERIES=full),
    `results` (a count), `read`, `written`, `deleted` (document ids)."""
    current = _NOTE.get()
    if current is not None:
        current.update({key: value for key, value in fields.items() if value is not None})
