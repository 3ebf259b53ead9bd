"""The ingestion pipeline: read → clean → skip unchanged → detect language → extract metadata →
chunk and extract commitments → embed → write.

The steps are Haystack components joined in a Haystack `Pipeline`. `Ingestor` streams documents
from the reader into it in batches, so memory stays bounded on large JSONL files, each batch is
committed as it finishes, and a progress bar can follow along.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from haystack import Document, Pipeline, component
from tqdm import tqdm

from index.embedding import Encoder, PassageEmbedder
from index.sparse import SparseEncoder
from index.store.base import ChunkStore
from index.writer import ChunkWriter
from ingest.chunking import SentenceChunker
from ingest.cleaning import BoilerplateCleaner
from ingest.commitments import CommitmentExtractor
from ingest.language import LanguageDetector
from ingest.metadata import MetadataExtractor
from ingest.readers import DocumentReader

# Fields that define a document's stored version, besides its text (the source path does not).
VERSIONED_FIELDS = ("title", "language", "country", "region", "doc_type", "organisations", "date", "year", "metadata")


@component
class ChangeFilter:
    """Drops documents whose stored version equals the incoming one; stamps `version` on the rest."""

    def __init__(self, store: ChunkStore, index_signature: str):
        self.store = store
        self.index_signature = index_signature

    @component.output_types(documents=list[Document], unchanged=list[str])
    def run(self, documents: list[Document]) -> dict[str, Any]:
        changed, unchanged = [], []
        for doc in documents:
            doc.meta["version"] = self.version(doc)
            stored = self.store.document(doc.id)
            if stored is not None and stored.get("version") == doc.meta["version"] and not stored.get("dirty"):
                unchanged.append(doc.id)
            else:
                changed.append(doc)
        return {"documents": changed, "unchanged": unchanged}

    def version(self, doc: Document) -> str:
        declared = {key: doc.meta.get(key) for key in VERSIONED_FIELDS}
        material = json.dumps([self.index_signature, doc.content, declared], sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(material.encode("utf-8")).hexdigest()[:20]


@dataclass
class IngestReport:
    """What an ingestion did, for the CLI summary and the API response."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    chunks: int = 0
    commitments: int = 0
    languages: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "written": self.written,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "chunks": self.chunks,
            "commitments": self.commitments,
            "languages": dict(self.languages),
            "seconds": round(self.seconds, 2),
        }


class Ingestor:
    """Runs the ingestion pipeline over files, folders and JSONL, batch by batch."""

    def __init__(
        self,
        store: ChunkStore,
        encoder: Encoder,
        sparse: SparseEncoder | None,
        max_file_bytes: int,
        batch_documents: int = 32,
        chunker: SentenceChunker | None = None,
    ):
        self.reader = DocumentReader(max_file_bytes=max_file_bytes)
        self.batch_documents = batch_documents
        chunker = chunker or SentenceChunker()
        signature = "|".join([encoder.signature, sparse.signature if sparse else "no-sparse", json.dumps(chunker.to_dict(), sort_keys=True)])
        self.pipeline = Pipeline()
        self.pipeline.add_component("cleaner", BoilerplateCleaner())
        self.pipeline.add_component("change_filter", ChangeFilter(store, signature))
        self.pipeline.add_component("language", LanguageDetector())
        self.pipeline.add_component("metadata", MetadataExtractor())
        self.pipeline.add_component("chunker", chunker)
        self.pipeline.add_component("commitments", CommitmentExtractor())
        self.pipeline.add_component("embedder", PassageEmbedder(encoder))
        self.pipeline.add_component("commitment_embedder", PassageEmbedder(encoder))
        self.pipeline.add_component("writer", ChunkWriter(store, sparse))
        self.pipeline.connect("cleaner.documents", "change_filter.documents")
        self.pipeline.connect("change_filter.documents", "language.documents")
        self.pipeline.connect("language.documents", "metadata.documents")
        self.pipeline.connect("metadata.documents", "chunker.documents")
        self.pipeline.connect("metadata.documents", "commitments.documents")
        self.pipeline.connect("metadata.documents", "writer.documents")
        self.pipeline.connect("chunker.documents", "embedder.documents")
        self.pipeline.connect("commitments.commitments", "commitment_embedder.documents")
        self.pipeline.connect("embedder.documents", "writer.chunks")
        self.pipeline.connect("commitment_embedder.documents", "writer.commitments")

    def ingest(self, sources: Iterable[str | Path], progress: bool = False) -> IngestReport:
        report = IngestReport()
        started = time.perf_counter()
        bar = tqdm(unit="doc", desc="ingesting", disable=not progress, file=sys.stderr, dynamic_ncols=True)
        batch: list[Document] = []
        for item in self.reader.iter_documents(list(sources)):
            if isinstance(item, Document):
                batch.append(item)
                if len(batch) >= self.batch_documents:
                    self._run_batch(batch, report, bar)
                    batch = []
            else:
                report.skipped.append(item)
                bar.update(1)
        if batch:
            self._run_batch(batch, report, bar)
        bar.close()
        report.seconds = time.perf_counter() - started
        return report

    def _run_batch(self, batch: list[Document], report: IngestReport, bar: tqdm) -> None:
        result = self.pipeline.run(
            {"cleaner": {"documents": batch}}, include_outputs_from={"cleaner", "change_filter", "metadata"}
        )
        report.skipped.extend(result["cleaner"]["skipped"])
        report.unchanged.extend(result["change_filter"]["unchanged"])
        report.written.extend(result["writer"]["written"])
        report.chunks += result["writer"]["chunks"]
        report.commitments += result["writer"]["commitments"]
        report.languages.update(doc.meta.get("language") or "unknown" for doc in result["metadata"]["documents"])
        bar.update(len(batch))
        bar.set_postfix(chunks=report.chunks, refresh=False)
