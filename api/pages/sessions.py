"""Web sessions: an API key is exchanged once, at sign-in, for a session kept on the server.

The browser holds only a random session id in an HttpOnly, SameSite=Strict cookie (Secure over
HTTPS); it never sees a key or anything else it could call the API with. A session keeps the
key's id, never the key: each request resolves it through `Guard.key_caller` to the same `Caller`
the API builds from a key (so a revoked key ends its sessions at once), then `Guard.admit` checks
the scope and the rate as for the API. A session also carries the CSRF token its forms send
back; a visitor who is not signed in gets a session without a key for the sign-in form's token.
Sessions end after `AHADI_SESSION_MINUTES` without use, at sign-out, and when the server stops.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

from fastapi import Request, Response

from api.security import Caller, Guard

COOKIE = "ahadi_session"
_MAX_SESSIONS = 10_000  # past this, the least recently used go first


@dataclass
class Session:
    csrf: str
    key_id: str | None
    last_used: float


class SignInNeeded(Exception):
    """A protected page was asked for without a live session: the visitor is sent to sign in."""

    def __init__(self, target: str):
        super().__init__(target)
        self.target = target


class CsrfRejected(Exception):
    """A form came back without its session's token."""


class Sessions:
    def __init__(self, lifetime_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.lifetime = lifetime_seconds
        self.clock = clock
        self._by_digest: dict[bytes, Session] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _digest(session_id: str) -> bytes:
        # Kept by digest, so the table in memory holds nothing a browser could present.
        return hashlib.sha256(session_id.encode("utf-8", "replace")).digest()

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        now = self.clock()
        digest = self._digest(session_id)
        with self._lock:
            session = self._by_digest.get(digest)
            if session is None:
                return None
            if now - session.last_used > self.lifetime:
                del self._by_digest[digest]
                return None
            session.last_used = now
            return session

    def start(self, key_id: str | None) -> tuple[str, Session]:
        session_id = secrets.token_urlsafe(32)
        session = Session(csrf=secrets.token_urlsafe(32), key_id=key_id, last_used=self.clock())
        with self._lock:
            if len(self._by_digest) >= _MAX_SESSIONS:
                self._prune()
            self._by_digest[self._digest(session_id)] = session
        return session_id, session

    def end(self, session_id: str | None) -> None:
        if session_id:
            with self._lock:
                self._by_digest.pop(self._digest(session_id), None)

    def _prune(self) -> None:
        now = self.clock()
        for digest in [d for d, s in self._by_digest.items() if now - s.last_used > self.lifetime]:
            del self._by_digest[digest]
        if len(self._by_digest) >= _MAX_SESSIONS:
            oldest = sorted(self._by_digest, key=lambda d: self._by_digest[d].last_used)
            for digest in oldest[: len(oldest) // 10 or 1]:
                del self._by_digest[digest]


class PageAccess:
    """Who is asking for a page: the session's caller (or open mode's), admitted by the API's `Guard`."""

    def __init__(self, guard: Guard, sessions: Sessions):
        self.guard = guard
        self.sessions = sessions

    @property
    def open(self) -> bool:
        return self.guard.settings.open_access

    def session(self, request: Request) -> Session | None:
        return self.sessions.get(request.cookies.get(COOKIE))

    def signed_in(self, request: Request) -> Caller | None:
        """The caller of this request: the user a trusted sign-on proxy names, else the session's
        (open mode: everyone), without admitting it."""
        signed_on = self.guard.sso_caller(request)
        if signed_on is not None:
            return signed_on
        if self.open:
            return self.guard.open_caller(request)
        session = self.session(request)
        if session is None or session.key_id is None:
            return None
        caller = self.guard.key_caller(session.key_id)
        if caller is None:  # the key was revoked: its sessions end with it
            self.sessions.end(request.cookies.get(COOKIE))
        return caller

    def caller(self, request: Request, scope: str) -> Caller:
        """Admit this request to a page that needs `scope`; `SignInNeeded` without a session,
        `ApiError` 403 without the scope, 429 over the rate."""
        caller = self.signed_in(request)
        if caller is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise SignInNeeded("/sign-in?next=" + quote(target, safe=""))
        return self.guard.admit(request, caller, scope)

    def csrf_token(self, request: Request, response: Response) -> str:
        """The token for a form on this page, starting a key-less session when there is none."""
        session = self.session(request)
        if session is None:
            session_id, session = self.sessions.start(None)
            set_cookie(request, response, session_id)
        return session.csrf

    def check_csrf(self, request: Request, token: str | None) -> Session:
        session = self.session(request)
        if session is None or not token or not hmac.compare_digest(session.csrf, token):
            raise CsrfRejected()
        return session

    def sign_in(self, request: Request, response: Response, key: str) -> Caller:
        """Exchange a key for a new session (a fresh id, so a planted one is worthless); 401 when
        the key is not valid."""
        caller = self.guard.authenticate(request, key)
        self.sessions.end(request.cookies.get(COOKIE))
        session_id, _ = self.sessions.start(caller.key_id)
        set_cookie(request, response, session_id)
        return caller

    def sign_out(self, request: Request, response: Response) -> None:
        self.sessions.end(request.cookies.get(COOKIE))
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https")


def set_cookie(request: Request, response: Response, session_id: str) -> None:
    response.set_cookie(
        COOKIE, session_id, httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/",
    )
