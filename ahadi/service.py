"""The application object: model, store, ingestion and search built once from `Settings`.

The CLI and the HTTP API both drive Ahadi through this class, so they share one code path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from ahadi.config import Settings
from index.embedding import Encoder, LanguageCentering
from index.model import load_encoder
from index.search import Searcher
from index.sparse import SparseEncoder
from index.store import ChunkStore, open_store
from ingest.pipeline import IngestReport, Ingestor


class Ahadi:
    """Owns the store (one process per embedded store) and the loaded model."""

    def __init__(self, settings: Settings, encoder: Encoder | None = None, store: ChunkStore | None = None):
        """`encoder` lets several instances in one process (tests, benchmarks) share a loaded model;
        `store` overrides the one the settings name (tests run the server backend in local mode)."""
        self.settings = settings
        self.encoder = encoder or Encoder(
            load_encoder(settings.model, settings.model_cache_dir),
            LanguageCentering.for_model(settings.model),
            batch_size=settings.batch_size,
        )
        self.store = store or open_store(settings, self.encoder.dimension)
        self.sparse = SparseEncoder()
        self.ingestor = Ingestor(self.store, self.encoder, self.sparse, max_file_bytes=settings.max_file_bytes)
        self.searcher = Searcher(self.store, self.encoder, self.sparse)

    def ingest(self, sources: Iterable[str | Path], progress: bool = False) -> IngestReport:
        report = self.ingestor.ingest(sources, progress=progress)
        self.store.flush()
        return report

    def stats(self) -> dict[str, Any]:
        return {
            "documents": self.store.count_documents(),
            "chunks": self.store.count_chunks(),
            "languages": self.store.facet("language"),
            "countries": self.store.facet("country"),
            "model": self.encoder.model_name,
            "centering": self.encoder.centering.name if self.encoder.centering else None,
            "store": self.settings.qdrant_url or str(self.settings.data_dir / "index"),
        }

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Ahadi":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- used by the HTTP API (api/) ------------------------------------------------------
    def find_documents(
        self, where: dict[str, list[str]] | None = None, limit: int = 100, offset: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """A page of document records whose fields take one of the given values (e.g.
        ``{"language": ["sv"], "country": ["SE"]}``), and the offset of the next page (None at the end)."""
        must: dict[str, Any] = {"kind": "document", **{k: list(v) for k, v in (where or {}).items() if v}}
        hits, next_offset = self.store._scroll(must, limit=limit, offset=offset)
        return [hit.payload for hit in hits], next_offset

    def count_documents_where(self, where: dict[str, list[str]] | None = None) -> int:
        """How many document records match `where` (as in `find_documents`)."""
        return self.store._count({"kind": "document", **{k: list(v) for k, v in (where or {}).items() if v}})

    def passage_vectors(self, doc_id: str, chunk_index: int | None = None) -> list[tuple[dict[str, Any], list[float]]]:
        """The stored dense vectors of a document's live passages (or of one of them), in order."""
        from index.store.base import DENSE

        must: dict[str, Any] = {"kind": "chunk", "state": "live", "doc_id": doc_id}
        if chunk_index is not None:
            must["chunk_index"] = chunk_index
        found: list[tuple[dict[str, Any], list[float]]] = []
        offset = None
        while True:
            hits, offset = self.store._scroll(must, limit=256, offset=offset, with_vectors=True)
            for hit in hits:
                payload = dict(hit.payload)
                vectors = payload.pop("_vectors", None)
                dense = vectors.get(DENSE) if isinstance(vectors, dict) else vectors
                if dense is not None:
                    found.append((payload, [float(x) for x in dense]))
            if offset is None:
                return sorted(found, key=lambda item: item[0].get("chunk_index", 0))

    def set_document_fields(self, doc_id: str, fields: dict[str, Any]) -> None:
        """Merge descriptive `fields` (e.g. ``source``) into a stored document record; its version is not touched."""
        self.store._set_payload({"kind": "document", "doc_id": doc_id}, dict(fields))
