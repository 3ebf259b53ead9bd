"""The ingestion pipeline: read → clean → skip unchanged → detect language → extract metadata →
infer country and region → chunk and extract commitments → embed → write.

The steps are Haystack components joined in two Haystack `Pipeline`s (`prepare`: the Python
text work; `index`: the model and the store). `Ingestor` streams documents from the reader into
them in batches, so memory stays bounded on large JSONL files, each batch is committed as it
finishes, and a progress bar can follow along.
"""

from __future__ import annotations

import hashlib
import json
import queue
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from haystack import Document, Pipeline, component
from tqdm import tqdm

from core.detection import LANGUAGE_RULES_VERSION
from index.embedding import Encoder, PassageEmbedder
from index.sparse import SparseEncoder
from index.access import ALL_DOCUMENTS, PUBLIC_GROUP
from index.store.base import ChunkStore
from index.writer import ChunkWriter
from ingest.chunking import SECTION_OVERLAP_WORDS, SECTION_WORDS, SentenceChunker
from ingest.cleaning import BoilerplateCleaner
from ingest.commitments import CommitmentExtractor
from ingest.commitments.probe import CommitmentProbe
from ingest.language import LanguageDetector
from ingest.metadata import MetadataExtractor
from ingest.places import PlaceInferrer
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
            stored = self.store.document(ALL_DOCUMENTS, doc.id)
            if stored is not None and stored.get("version") == doc.meta["version"] and not stored.get("dirty"):
                unchanged.append(doc.id)
            else:
                changed.append(doc)
        return {"documents": changed, "unchanged": unchanged}

    def version(self, doc: Document) -> str:
        declared = {key: doc.meta.get(key) for key in VERSIONED_FIELDS}
        # Access is part of the version, so new groups are written (and take effect) on the next
        # ingestion; documents readable by everyone (`public`, the default) keep the version they
        # had before access existed, so upgrading an index re-embeds nothing.
        if doc.meta.get("access") != [PUBLIC_GROUP]:
            declared["access"] = doc.meta.get("access")
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


class _SerializedStore:
    """The store seen through a lock: the preparing thread's reads (`ChangeFilter`) and the
    indexing thread's writes (`ChunkWriter`) never run at the same time, whatever the backend."""

    def __init__(self, store: ChunkStore, lock: threading.RLock):
        self._store = store
        self._lock = lock

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if not callable(value):
            return value

        def locked(*args, **kwargs):
            with self._lock:
                return value(*args, **kwargs)

        return locked


_DONE = object()


class Ingestor:
    """Runs the ingestion pipeline over files, folders and JSONL, batch by batch.

    The pipeline is two Haystack `Pipeline`s run one after the other on each batch:
    `prepare` (clean → skip unchanged → language → metadata → places → chunk + extract commitments, all
    CPU work in Python) and `index` (embed passages and commitments → write). With `overlap` (the
    default), `prepare` runs in a background thread one or two batches ahead of `index`; batches
    are still written in input order and the report is the same. Since the ONNX encoder runs one
    text per core, the model keeps every core busy, and this work (language detection is the
    largest part) can only hide behind it in a thread, which brings ingestion closer to the bare
    encoder's speed (BENCHMARKS.md section 2).
    """

    def __init__(
        self,
        store: ChunkStore,
        encoder: Encoder,
        sparse: SparseEncoder | None,
        max_file_bytes: int,
        batch_documents: int = 32,
        chunker: SentenceChunker | None = None,
        overlap: bool = True,
        default_access: tuple[str, ...] = (PUBLIC_GROUP,),
        probe: CommitmentProbe | None = None,
    ):
        """`default_access`: the groups of a document that declares none (`AHADI_DEFAULT_ACCESS`);
        `probe`: decides which sentences are commitments (`CommitmentExtractor`), None: the rules do."""
        self.reader = DocumentReader(max_file_bytes=max_file_bytes)
        self.default_access = list(default_access)
        self.batch_documents = batch_documents
        self.overlap = overlap
        chunker = chunker or SentenceChunker()
        sectioner = SentenceChunker(SECTION_WORDS, SECTION_OVERLAP_WORDS)
        extractor = CommitmentExtractor(probe=probe)
        places = PlaceInferrer()
        # What the stored points depend on besides the text: a change re-indexes unchanged documents.
        # The rules' versions are in it too: a changed rule gives other labels, metadata or commitments.
        signature = "|".join(
            [encoder.signature, sparse.signature if sparse else "no-sparse", LANGUAGE_RULES_VERSION]
            + [json.dumps(part.to_dict(), sort_keys=True) for part in (chunker, sectioner, extractor, places)]
        )
        serialized = _SerializedStore(store, threading.RLock())
        self.prepare = Pipeline()
        self.prepare.add_component("cleaner", BoilerplateCleaner())
        self.prepare.add_component("change_filter", ChangeFilter(serialized, signature))
        self.prepare.add_component("language", LanguageDetector())
        self.prepare.add_component("metadata", MetadataExtractor())
        self.prepare.add_component("places", places)
        self.prepare.add_component("chunker", chunker)
        self.prepare.add_component("sectioner", sectioner)
        self.prepare.add_component("commitments", extractor)
        self.prepare.connect("cleaner.documents", "change_filter.documents")
        self.prepare.connect("change_filter.documents", "language.documents")
        self.prepare.connect("language.documents", "metadata.documents")
        self.prepare.connect("metadata.documents", "places.documents")
        self.prepare.connect("places.documents", "chunker.documents")
        self.prepare.connect("places.documents", "sectioner.documents")
        self.prepare.connect("places.documents", "commitments.documents")
        self.index = Pipeline()
        self.index.add_component("embedder", PassageEmbedder(encoder))
        self.index.add_component("writer", ChunkWriter(serialized, sparse))
        self.index.connect("embedder.chunks", "writer.chunks")
        self.index.connect("embedder.commitments", "writer.commitments")
        self.index.connect("embedder.sections", "writer.sections")

    def ingest(
        self, sources: Iterable[str | Path], progress: bool = False, default_access: list[str] | None = None,
    ) -> IngestReport:
        """Files, folders and JSONL files; `default_access` replaces the default groups for this run."""
        return self._run(self.reader.iter_documents(list(sources)), progress, default_access)

    def ingest_records(self, records: Iterable[dict[str, Any]], source: str, progress: bool = False) -> IngestReport:
        """JSONL-shaped records given directly (`DocumentReader.iter_records`)."""
        return self._run(self.reader.iter_records(records, source), progress)

    def _run(self, items: Iterator[Document | dict[str, str]], progress: bool, default_access: list[str] | None = None) -> IngestReport:
        report = IngestReport()
        started = time.perf_counter()
        bar = tqdm(unit="doc", desc="ingesting", disable=not progress, file=sys.stderr, dynamic_ncols=True)
        items = self._with_access(items, default_access or self.default_access)
        steps = self._prepared_in_background(items) if self.overlap else self._prepared(items)
        try:
            for kind, item, prepared in steps:
                if kind == "skipped":
                    report.skipped.append(item)
                    bar.update(1)
                else:
                    self._index_batch(item, prepared, report, bar)
        finally:
            steps.close()  # on an error: stops the preparing thread now, not when the traceback is freed
            bar.close()
        report.seconds = time.perf_counter() - started
        return report

    @staticmethod
    def _with_access(items: Iterator[Document | dict[str, str]], default: list[str]) -> Iterator[Document | dict[str, str]]:
        """Documents that declare no `access` get `default`, before their version is computed."""
        for item in items:
            if isinstance(item, Document) and item.meta.get("access") is None:
                item.meta["access"] = list(default)
            yield item

    def _prepared(self, items: Iterator[Document | dict[str, str]]) -> Iterator[tuple[str, Any, dict[str, Any] | None]]:
        """("skipped", reason, None) and ("batch", documents, prepare's outputs), in input order."""
        batch: list[Document] = []
        for item in items:
            if isinstance(item, Document):
                batch.append(item)
                if len(batch) >= self.batch_documents:
                    yield "batch", batch, self._prepare_batch(batch)
                    batch = []
            else:
                yield "skipped", item, None
        if batch:
            yield "batch", batch, self._prepare_batch(batch)

    def _prepared_in_background(self, items: Iterator[Document | dict[str, str]]) -> Iterator[tuple[str, Any, dict[str, Any] | None]]:
        """`_prepared`, computed by a background thread up to two batches ahead."""
        ahead: queue.Queue = queue.Queue(maxsize=2)
        stop = threading.Event()

        def put(entry) -> bool:
            while not stop.is_set():
                try:
                    ahead.put(entry, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def produce() -> None:
            try:
                for step in self._prepared(items):
                    if not put(step):
                        return
                put(_DONE)
            except BaseException as error:  # noqa: BLE001 - handed to the indexing thread, raised there
                put(error)

        worker = threading.Thread(target=produce, name="ahadi-prepare", daemon=True)
        worker.start()
        try:
            while True:
                step = ahead.get()
                if step is _DONE:
                    return
                if isinstance(step, BaseException):
                    raise step
                yield step
        finally:
            stop.set()
            worker.join()

    def _prepare_batch(self, batch: list[Document]) -> dict[str, Any]:
        return self.prepare.run(
            {"cleaner": {"documents": batch}}, include_outputs_from={"cleaner", "change_filter", "places", "chunker", "sectioner", "commitments"}
        )

    def _index_batch(self, batch: list[Document], prepared: dict[str, Any], report: IngestReport, bar: tqdm) -> None:
        documents = prepared["places"]["documents"]
        report.skipped.extend(prepared["cleaner"]["skipped"])
        report.unchanged.extend(prepared["change_filter"]["unchanged"])
        if documents:
            result = self.index.run(
                {
                    "embedder": {
                        "chunks": prepared["chunker"]["documents"],
                        "commitments": prepared["commitments"]["commitments"],
                        "sections": prepared["sectioner"]["documents"],
                    },
                    "writer": {"documents": documents},
                }
            )
            report.written.extend(result["writer"]["written"])
            report.chunks += result["writer"]["chunks"]
            report.commitments += result["writer"]["commitments"]
        report.languages.update(doc.meta.get("language") or "unknown" for doc in documents)
        bar.update(len(batch))
        bar.set_postfix(chunks=report.chunks, refresh=False)
