"""Who may call what: API keys with `read`/`write`/`admin` scopes and groups, single sign-on
behind a trusted reverse proxy, open mode, rate limits.

Keys arrive in the `X-API-Key` header or as `Authorization: Bearer <key>`. Without a valid key
a protected route answers 401; a key without the route's scope 403; a caller over its rate
429 with `Retry-After`. With no key configured and open mode off, every protected route
answers 401 and says how to create a key. Open mode (`AHADI_OPEN_ACCESS=1`) lets every caller
in with every scope, rate-limited per client address.

Single sign-on: a request with no key, sent by an address in `AHADI_TRUSTED_PROXIES`, whose
`AHADI_SSO_USER_HEADER` names a user, is that user, with the groups of
`AHADI_SSO_GROUPS_HEADER` and the `read` scope (oauth2-proxy's convention). The same headers
from any other address are ignored, as if they were not there: only the proxy can vouch for them.
A sign-on group is never `*`.

Whoever it is becomes one `Caller`, the single identity object, for the API's routes and the web
pages alike (a page session keeps a key's id and resolves it with `Guard.key_caller`; sign-on and
open mode are the same as for the API): its groups decide what it reads (`Caller.reader`), and the
audit log names it (`Caller.identity`).
"""

from __future__ import annotations

import ipaddress
import logging
import math
import threading
import time
from dataclasses import dataclass
from typing import Annotated, Callable

from fastapi import Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiError
from api.keys import SCOPES, ApiKey, KeyStore, parse_key
from index.access import check_groups
from service.access import Reader, reader_for
from service.settings import Settings

log = logging.getLogger("api")

api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key (`ahadi_<id>_<secret>`) from `ahadi keys create`.",
)
bearer = HTTPBearer(
    auto_error=False,
    scheme_name="Bearer",
    description="The same API key sent as `Authorization: Bearer <key>`.",
)

HOW_TO_CREATE = (
    "create one with `ahadi keys create NAME --scope read --group GROUP` (or `--scope read --scope write`) on the server "
    "and send it in the X-API-Key header; or set AHADI_OPEN_ACCESS=1 to serve without keys on a closed network"
)


@dataclass(frozen=True)
class Caller:
    """Who made a request: a key's id and name (never the key), a signed-in user, or an address
    in open mode; what it may do (`scopes`) and whose documents it may read (`groups`, besides
    `public`, which every caller holds; `*`: all)."""

    identity: str
    name: str
    scopes: frozenset[str]
    key_id: str | None = None
    groups: frozenset[str] = frozenset()

    @property
    def reader(self) -> Reader:
        return reader_for(self.groups)


class RateLimiter:
    """A token bucket per caller: `per_minute` requests a minute, bursts up to that many."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic):
        self.per_minute = per_minute
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self._last_prune = clock()

    @property
    def enabled(self) -> bool:
        return self.per_minute > 0

    def hit(self, identity: str, cost: float = 1.0) -> float:
        """Take one request from `identity`'s bucket: 0 when allowed, else seconds to wait."""
        if not self.enabled:
            return 0.0
        rate = self.per_minute / 60.0
        now = self.clock()
        with self._lock:
            self._prune(now)
            tokens, stamp = self._buckets.get(identity, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - stamp) * rate)
            if tokens >= cost:
                self._buckets[identity] = (tokens - cost, now)
                return 0.0
            self._buckets[identity] = (tokens, now)
            return (cost - tokens) / rate

    def blocked(self, identity: str) -> float:
        """Seconds until `identity` may try again (0 when it may now), without taking a request."""
        if not self.enabled:
            return 0.0
        rate = self.per_minute / 60.0
        now = self.clock()
        with self._lock:
            tokens, stamp = self._buckets.get(identity, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - stamp) * rate)
            return 0.0 if tokens >= 1 else (1 - tokens) / rate

    def _prune(self, now: float) -> None:
        if now - self._last_prune < 60:
            return
        self._last_prune = now
        full_after = 60.0  # an idle bucket is full again after a minute: forget it
        for identity in [i for i, (_, stamp) in self._buckets.items() if now - stamp > full_after]:
            del self._buckets[identity]


class Guard:
    """The authentication and rate-limit state of one app."""

    def __init__(self, keys: KeyStore, settings: Settings, clock: Callable[[], float] = time.monotonic):
        self.keys = keys
        self.settings = settings
        self.limiter = RateLimiter(settings.rate_limit, clock)
        self.proxies = [ipaddress.ip_network(network) for network in settings.trusted_proxies]

    def check(self, request: Request, presented: str | None, scope: str) -> Caller:
        signed_in = None if presented else self.sso_caller(request)
        if signed_in is not None:
            caller = signed_in
        elif self.settings.open_access:
            caller = self.open_caller(request)
        else:
            caller = self.authenticate(request, presented)
        return self.admit(request, caller, scope)

    def admit(self, request: Request, caller: Caller, scope: str) -> Caller:
        """Let `caller` through to a route needing `scope` (403 without it), counting it against its
        rate; the API's keys, sign-on users and the web pages' sessions all end here."""
        if scope not in caller.scopes:
            who = f"the key {caller.name!r} ({caller.key_id})" if caller.key_id else f"the user {caller.name!r}"
            raise ApiError(
                403,
                "insufficient_scope",
                f"{who} has scopes {', '.join(sorted(caller.scopes)) or 'none'}; this route needs the {scope!r} scope",
                {"required_scope": scope, "key_scopes": sorted(caller.scopes)},
            )
        wait = self.limiter.hit(caller.identity)
        if wait > 0:
            raise _rate_limited(wait, self.settings.rate_limit)
        request.state.caller = caller
        return caller

    def sso_caller(self, request: Request) -> Caller | None:
        """The user a trusted proxy vouches for, or None (no proxy configured, another address,
        no user header): the API's routes and the web pages alike."""
        user = request.headers.get(self.settings.sso_user_header)
        if user is None or not self._trusted(request.client.host if request.client else "unknown"):
            return None
        user = user.strip()
        if not user or len(user) > 256 or any(ord(c) < 32 or ord(c) == 127 for c in user):
            raise ApiError(401, "invalid_sso_user", f"the {self.settings.sso_user_header} header does not name a user")
        groups = []
        for name in (request.headers.get(self.settings.sso_groups_header) or "").split(","):
            try:
                groups += check_groups([name])
            except ValueError:
                if name.strip():  # a name no document can carry (or `*`) grants nothing
                    log.warning("ignored the group %r the proxy sent for user %r", name.strip()[:80], user)
        return Caller(identity=f"sso:{user}", name=user, scopes=frozenset({"read"}), groups=frozenset(groups))

    def _trusted(self, address: str) -> bool:
        try:
            peer = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(peer in network for network in self.proxies)

    def open_caller(self, request: Request) -> Caller:
        """Open mode's caller: every scope, rate-limited per client address."""
        address = request.client.host if request.client else "unknown"
        return Caller(identity=f"addr:{address}", name="open access", scopes=frozenset(SCOPES))

    def key_caller(self, key_id: str) -> Caller | None:
        """The caller of the active key `key_id` (None once it is revoked): a web session keeps only
        the key's id, so revoking the key, or changing its scopes, applies to its sessions at once."""
        key = self.keys.active(key_id)
        return _caller_of(key) if key is not None else None

    def authenticate(self, request: Request, presented: str | None) -> Caller:
        """The caller a presented key stands for; 401 (failures rate-limited per address) when none."""
        address = request.client.host if request.client else "unknown"
        if self.keys.error:
            raise ApiError(401, "unauthorized", "the server's keys file cannot be read; no key is accepted until it is fixed")
        if not self.keys.configured:
            raise ApiError(
                401, "no_keys_configured", f"this server has no API keys yet: {HOW_TO_CREATE}",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if not presented:
            raise ApiError(
                401, "missing_api_key", "send an API key in the X-API-Key header or as `Authorization: Bearer <key>`",
                headers={"WWW-Authenticate": "Bearer"},
            )
        failures = f"failed:{address}"
        wait = self.limiter.blocked(failures)
        if wait > 0:
            raise _rate_limited(wait, self.settings.rate_limit)
        key = self.keys.authenticate(presented.strip())
        if key is None:
            self.limiter.hit(failures)
            well_formed = parse_key(presented.strip()) is not None
            message = "the API key is not valid (unknown, revoked or mistyped)" if well_formed else (
                "the API key is not valid: keys look like ahadi_<12 hex digits>_<secret>"
            )
            raise ApiError(401, "invalid_api_key", message, headers={"WWW-Authenticate": "Bearer"})
        return _caller_of(key)


def _caller_of(key: ApiKey) -> Caller:
    return Caller(identity=f"key:{key.id}", name=key.name, scopes=key.scopes, key_id=key.id, groups=key.groups)


def _rate_limited(wait: float, per_minute: int) -> ApiError:
    seconds = max(1, math.ceil(wait))
    return ApiError(
        429,
        "rate_limited",
        f"more than {per_minute} requests a minute; retry after {seconds} s",
        {"retry_after_seconds": seconds, "limit_per_minute": per_minute},
        headers={"Retry-After": str(seconds)},
    )


def _requirement(scope: str):
    def dependency(
        request: Request,
        x_api_key: Annotated[str | None, Security(api_key_header)] = None,
        authorization: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
    ) -> Caller:
        presented = x_api_key or (authorization.credentials if authorization else None)
        guard: Guard = request.app.state.guard
        return guard.check(request, presented, scope)

    dependency.__name__ = f"require_{scope}"
    return dependency


require_read = _requirement("read")
require_write = _requirement("write")
require_admin = _requirement("admin")

ReadCaller = Annotated[Caller, Security(require_read)]
WriteCaller = Annotated[Caller, Security(require_write)]
AdminCaller = Annotated[Caller, Security(require_admin)]
