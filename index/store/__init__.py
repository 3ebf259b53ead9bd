"""Where chunks live: Qdrant Edge in-process by default, a Qdrant server when one is configured."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from index.store.base import ChunkPoint, ChunkStore, Hit, NoIndexYet, SearchFilters, SparseVector
from index.store.edge import EdgeStore, StoreLockedError, check_not_locked, stored_dimension
from index.store.server import ServerStore

__all__ = [
    "ChunkStore", "ChunkPoint", "Hit", "SearchFilters", "SparseVector", "EdgeStore", "ServerStore", "StoreLockedError",
    "NoIndexYet", "StoreLocation", "check_store_free", "open_store",
]


class StoreLocation(Protocol):
    """Where the store is: the values `open_store` reads (`service.settings.Settings` has them)."""

    @property
    def index_dir(self) -> Path: ...
    @property
    def qdrant_url(self) -> str | None: ...
    @property
    def qdrant_api_key(self) -> str | None: ...
    @property
    def collection(self) -> str: ...
    @property
    def hnsw_ef(self) -> int | None: ...


def open_store(where: StoreLocation, dimension: int | None) -> ChunkStore:
    """A server when `qdrant_url` is set, else Qdrant Edge in `index_dir`.

    `dimension` None (the model is not loaded): the existing index or collection decides, and
    `NoIndexYet` says there is none yet, so the caller must load the model to create it.
    """
    if where.qdrant_url:
        return ServerStore.connect(where.qdrant_url, where.qdrant_api_key, where.collection, dimension, where.hnsw_ef)
    if dimension is None:
        dimension = stored_dimension(where.index_dir)
        if dimension is None:
            raise NoIndexYet(f"no index at {where.index_dir} yet")
    return EdgeStore(where.index_dir, dimension, where.hnsw_ef)



def check_store_free(where: StoreLocation) -> None:
    """Fail fast (`StoreLockedError`) when the embedded store is held by another process."""
    if not where.qdrant_url:
        check_not_locked(where.index_dir)
