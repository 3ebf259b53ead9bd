"""The application object: model, store, ingestion and search built once from `Settings`.

The CLI and the HTTP API both drive Ahadi through this class, so they share one code path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from ahadi.config import Settings
from index.calibration import ScoreCalibration
from index.embedding import Encoder, LanguageCentering
from index.model import load_encoder
from index.search import Searcher
from index.sparse import SparseEncoder
from index.store import ChunkStore, check_store_free, open_store
from ingest.pipeline import IngestReport, Ingestor


class Ahadi:
    """Owns the store (one process per embedded store) and the loaded model."""

    def __init__(self, settings: Settings, encoder: Encoder | None = None, store: ChunkStore | None = None):
        """`encoder` lets several instances in one process (tests, benchmarks) share a loaded model;
        `store` overrides the one the settings name (tests run the server backend in local mode)."""
        self.settings = settings
        if store is None:
            check_store_free(settings)  # before the model load: a held store is reported in a second
        self.encoder = encoder or Encoder(
            load_encoder(settings.model, settings.model_cache_dir, backend=settings.encoder_backend),
            LanguageCentering.for_model(settings.model),
            batch_size=settings.batch_size,
        )
        self.store = store or open_store(settings, self.encoder.dimension)
        self.sparse = SparseEncoder()
        self.ingestor = Ingestor(self.store, self.encoder, self.sparse, max_file_bytes=settings.max_file_bytes)
        self.searcher = Searcher(self.store, self.encoder, self.sparse, calibration=ScoreCalibration.for_model(settings.model))

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
