"""What the facade refuses, with a stable code: the HTTP layer maps each kind to a status, the CLI
prints the message. None of these is a bug; each says what was wrong with the request."""

from __future__ import annotations

from typing import Any


class AhadiError(Exception):
    """A request the facade cannot do. `code` is stable (the API's error code), `details` names the input."""

    def __init__(self, code: str, message: str, details: Any = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


class InvalidRequest(AhadiError):
    """A parameter, filter or body field is not valid."""


class NotFound(AhadiError):
    """The document, passage or snapshot asked for does not exist."""
