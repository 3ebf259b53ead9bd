"""`/v1/snapshots`: back up the whole index to a file on the server, and restore it (admin scope:
a snapshot holds every document, whatever its access)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from api.deps import PROTECTED, Service, State, error_responses
from api.errors import ApiError
from api.security import AdminCaller
from index.store.backup import SnapshotError

router = APIRouter(prefix="/v1/snapshots", tags=["snapshots"])

# Names are made by the server; a client only ever picks one of them, never a path.
NAME_PATTERN = r"^ahadi-\d{8}T\d{6}Z(-\d+)?\.snapshot$"


class SnapshotInfo(BaseModel):
    name: str = Field(description="The snapshot's name on the server (`ahadi-YYYYMMDDTHHMMSSZ.snapshot`).")
    documents: int
    points: int = Field(description="Document records, passages and commitments stored.")
    sha256: str = Field(description="Checksum of the points, verified before any restore.")
    bytes: int
    created_at: str


def _info(name: str, manifest: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, **{key: manifest[key] for key in ("documents", "points", "sha256", "bytes", "created_at")}}


@router.post("", response_model=SnapshotInfo, summary="Take a snapshot", responses=error_responses(*PROTECTED))
def take_snapshot(caller: AdminCaller, ahadi: Service, state: State) -> dict[str, Any]:
    """Write every document, passage and commitment, with vectors, to a checksummed file in the
    data directory's `snapshots/` folder (writes wait while it runs). `ahadi restore FILE` or
    `POST /v1/snapshots/{name}/restore` brings it back."""
    folder = state.settings.layout.snapshots
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    name = f"ahadi-{stamp}.snapshot"
    suffix = 1
    while (folder / name).exists():
        name, suffix = f"ahadi-{stamp}-{suffix}.snapshot", suffix + 1
    manifest = ahadi.snapshot(folder / name)
    return _info(name, manifest)


@router.post("/{name}/restore", response_model=SnapshotInfo, summary="Restore a snapshot", responses=error_responses(*PROTECTED, 404))
def restore_snapshot(
    caller: AdminCaller,
    ahadi: Service,
    state: State,
    name: Annotated[str, PathParam(pattern=NAME_PATTERN, description="A name returned by `POST /v1/snapshots`.")],
) -> dict[str, Any]:
    """Replace the whole index with a snapshot taken on this server, in the configured backend (the
    embedded index, or the Qdrant server's collection). The checksum is verified first; while the
    index is swapped the service answers 503 (not ready), then it serves the restored index."""
    file = state.settings.layout.snapshots / name
    if not file.is_file():
        raise ApiError(404, "snapshot_not_found", f"no snapshot named {name!r}", {"name": name})
    state.ready = False
    try:
        manifest = ahadi.restore(file, force=True)
    except SnapshotError as error:
        raise ApiError(422, "invalid_snapshot", str(error), {"name": name}) from error
    finally:
        state.ready = True
    return _info(name, manifest)
