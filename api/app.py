"""The FastAPI application: `create_app(settings)` is what `ahadi serve` runs.

The model is loaded and the store opened in the background when the app starts (its lifespan),
so `/v1/health` answers at once while `/v1/ready` (and every data route) answers 503 until the
load has finished (`api.state.AppState`). Tests pass an `Ahadi` built around an already loaded
encoder instead.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.errors import install_error_handlers
from api.keys import KeyStore
from api.metrics import Metrics
from api.middleware import RequestMiddleware
from api.security import Guard
from api.state import AppState
from service.audit import AuditLog
from service.facade import Ahadi
from service.settings import Settings

log = logging.getLogger("api")
API_VERSION = "1.0.0"

DESCRIPTION = """
Ahadi finds what police and municipalities promised and did, across Swahili, Swedish,
Montenegrin, Persian and English: ask in any of these languages, get passages in all of them.

**Authentication.** Send an API key in the `X-API-Key` header (or `Authorization: Bearer <key>`).
Keys carry scopes: `read` for search, similar, compare, facets and reading documents; `write`
for adding, replacing and deleting documents; `admin` for snapshots and restore. Create keys on
the server with `ahadi keys create NAME --scope read [--scope write] [--group GROUP]`. Behind
the intranet's single sign-on proxy (`AHADI_TRUSTED_PROXIES`), a signed-in user reads with the
groups the proxy sends.

**Access.** A document's `access` lists the groups that may read it; a caller reads the
documents of its groups and those of `public`. A document it may not read is never in its
results, counts or comparisons, and its id answers 404 as a missing one does. A missing or unknown key is 401, a key
without the route's scope 403, more than the rate limit 429 (with `Retry-After`).
`/v1/health`, `/v1/ready` and `/metrics` need no key.

**Errors** always have the shape `{"error": {"status", "code", "message", "details"}}`.
"""

TAGS = [
    {"name": "documents", "description": "Add, replace, list, read and delete documents. Ingestion runs the same pipeline as `ahadi ingest`."},
    {"name": "search", "description": "Cross-lingual search, similar passages, region comparison and facets."},
    {"name": "snapshots", "description": "Back up the whole index to a file on the server and restore it."},
    {"name": "commitments", "description": "What organisations promised: commitments extracted at ingestion, searched and compared by region."},
    {"name": "system", "description": "Liveness, readiness and Prometheus metrics (no key needed)."},
]


def create_app(settings: Settings | None = None, app: Ahadi | None = None) -> FastAPI:
    """The API over `settings`' index. `app`: an `Ahadi` to use instead of loading one (tests)."""
    from api.pages import routes as pages
    from api.routes import commitments, documents, search, snapshots, system

    settings = settings or Settings.from_env()
    state = AppState(settings, app)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        state.start()
        try:
            yield
        finally:
            state.stop()

    fastapi_app = FastAPI(
        title="Ahadi API",
        version=API_VERSION,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
    )
    fastapi_app.state.ahadi_state = state
    guard = Guard(KeyStore(settings.data_dir), settings)
    fastapi_app.state.guard = guard
    metrics = Metrics(state.counts, lambda: state.ready)
    fastapi_app.state.metrics = metrics
    state.metrics = metrics

    install_error_handlers(fastapi_app)
    fastapi_app.include_router(documents.router)
    fastapi_app.include_router(search.router)
    fastapi_app.include_router(commitments.router)
    fastapi_app.include_router(snapshots.router)
    fastapi_app.include_router(system.router)
    pages.install(fastapi_app, guard, settings.session_minutes)

    if settings.cors_origins:
        fastapi_app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["X-API-Key", "Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=["Retry-After", "X-Request-ID"],
            max_age=600,
        )
    # Added last, so it is the outermost: it sees (and times, and secures) every response.
    fastapi_app.add_middleware(
        RequestMiddleware, max_body_bytes=settings.max_upload_bytes, metrics=metrics, audit=AuditLog.from_settings(settings),
    )
    if settings.open_access:
        log.warning("AHADI_OPEN_ACCESS is on: every route is served without an API key")
    return fastapi_app
