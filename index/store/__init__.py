"""Where chunks live: Qdrant Edge in-process by default, a Qdrant server when one is configured."""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.store.base import ChunkStore, ChunkPoint, Hit, SearchFilters, SparseVector
from index.store.edge import EdgeStore, StoreLockedError, check_not_locked
from index.store.server import ServerStore

if TYPE_CHECKING:
    from ahadi.config import Settings

__all__ = ["ChunkStore", "ChunkPoint", "Hit", "SearchFilters", "SparseVector", "EdgeStore", "ServerStore", "StoreLockedError", "check_store_free", "open_store"]


def open_store(settings: "Settings", dimension: int) -> ChunkStore:
    """The store the settings name: a server when `qdrant_url` is set, else Qdrant Edge under `data_dir`."""
    if settings.qdrant_url:
        return ServerStore.connect(settings.qdrant_url, settings.qdrant_api_key, settings.collection, dimension, settings.hnsw_ef)
    return EdgeStore(settings.data_dir / "index", dimension, settings.hnsw_ef)


def check_store_free(settings: "Settings") -> None:
    """Fail fast (`StoreLockedError`) when the embedded store is held by another process."""
    if not settings.qdrant_url:
        check_not_locked(settings.data_dir / "index")
