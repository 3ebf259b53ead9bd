"""`/v1/health`, `/v1/ready`, `/metrics`: no key needed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from api.deps import State
from api.metrics import CONTENT_TYPE
from api.schemas import Health, Readiness

router = APIRouter(tags=["system"])


@router.get("/v1/health", response_model=Health, summary="Liveness")
def health() -> dict[str, Any]:
    """200 while the process serves requests, also while the model is still loading."""
    return {"status": "ok"}


@router.get(
    "/v1/ready",
    response_model=Readiness,
    summary="Readiness",
    responses={503: {"model": Readiness, "description": "The model is loading, or could not be loaded."}},
)
def ready(state: State) -> Any:
    """200 once the model is loaded and the store is open, 503 before (and if loading failed)."""
    counts = None
    if state.ready:
        try:
            counts = state.counts()
        except Exception:  # noqa: BLE001 - readiness reports, it does not fail
            counts = None
    body = Readiness(
        ready=state.ready,
        model_loaded=state.ahadi is not None,
        store_open=state.ready,
        error=state.load_error,
        documents=counts[0] if counts else None,
        chunks=counts[1] if counts else None,
    ).model_dump()
    return JSONResponse(body, status_code=200 if state.ready else 503, headers=None if state.ready else {"Retry-After": "5"})


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE.split(";")[0]: {"schema": {"type": "string"}}}, "description": "Metrics in the Prometheus text format."}},
)
def metrics(request: Request) -> Response:
    """Requests by route template and status, latency histograms, documents ingested by outcome,
    and the index's documents and chunks (gauges)."""
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE)
