"""Dependencies shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.schemas import ErrorResponse
from api.state import AppState
from service.facade import Ahadi


# The dependencies that only read the app's state are coroutines: FastAPI runs a plain function
# dependency in a worker thread, a round trip through the thread pool on every request.
async def get_state(request: Request) -> AppState:
    return request.app.state.ahadi_state


async def get_ahadi(request: Request) -> Ahadi:
    """The loaded `Ahadi`, or 503 while the model is loading."""
    return request.app.state.ahadi_state.require()


State = Annotated[AppState, Depends(get_state)]
Service = Annotated[Ahadi, Depends(get_ahadi)]


def error_responses(*statuses: int) -> dict[int | str, dict]:
    descriptions = {
        400: "The request body could not be read (e.g. not UTF-8 JSON, broken multipart).",
        401: "No API key, an unknown key, or no keys configured on the server.",
        403: "The key lacks the route's scope.",
        404: "Not found.",
        413: "The request body is larger than AHADI_MAX_UPLOAD_MB.",
        422: "A parameter, filter or body field is not valid (`details` says which), or nothing could be indexed.",
        429: "Over the rate limit; see `Retry-After`.",
        503: "The model is still loading (or failed to load).",
    }
    return {status: {"model": ErrorResponse, "description": descriptions[status]} for status in statuses}


PROTECTED = (400, 401, 403, 422, 429, 503)
