"""`Ahadi`, the application: what the CLI and the HTTP API both drive, so they behave alike.

It owns the store (one process per embedded store), the model (loaded on first use: reading,
deleting, snapshots and restores never need it), the write lock, and every use case: ingest
(files, folders, JSONL, or JSON documents), search, similar, compare, facets, commitments,
snapshot, restore. Filters arrive as a user writes them (`FilterValues`) and are normalised once
here (`service.filters`), so `--lang Swedish` and `--lang hbs` mean what they mean in the API.

Every read takes a `Reader` first (`service.access.reader_for` makes one from a caller's groups;
the CLI on its own data directory passes `ALL_DOCUMENTS`): the store filters on it in the engine,
and a document the reader may not see is `NotFound`, exactly as a missing one.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Literal

from core.detection import detect_language
from core.languages import family_of
from index.calibration import ScoreCalibration
from index.compare import Group, compare as compare_groups
from index.embedding import Encoder, LanguageCentering
from index.model import load_encoder
from index.search import DocumentCommitments, SearchMode, SearchResult, Searcher, document_commitments
from index.sparse import SparseEncoder
from index.access import ALL_DOCUMENTS, Reader, check_groups
from index.store import ChunkStore, NoIndexYet, check_store_free, open_store
from index.store.backup import restore as restore_embedded, restore_into, snapshot as write_snapshot, verify
from ingest.chunking import SentenceChunker
from ingest.commitments.probe import CommitmentProbe
from ingest.formats import SUPPORTED_EXTENSIONS
from ingest.pipeline import IngestReport, Ingestor
from ingest.readers import ID_PATTERN
from service.errors import InvalidRequest, NotFound
from service.filters import (FilterValues, FirstPassageFilters, confidence_bound, copy_filters, language_code, region_counts,
                             region_within, to_search_filters)
from service.settings import Settings

Kind = Literal["chunk", "commitment"]
#: What a document id may be (the reader's rule), so every interface accepts the same ids.
DOC_ID_PATTERN = ID_PATTERN.pattern
#: The file types `ingest` reads.
FILE_TYPES = SUPPORTED_EXTENSIONS
FACET_FIELDS = ("language", "country", "region", "doc_type", "organisations", "year")
# A long document is compared passage by passage: at most this many, evenly spread.
_MAX_SOURCE_PASSAGES = 32


@dataclass
class Found:
    """Search results with the language the query was read in and the mode used."""

    query: str
    query_language: str | None
    mode: SearchMode
    results: list[SearchResult]


@dataclass
class Similar:
    """What `similar` compared (`source`) and, per other document, its best passage and which
    source passage it is closest to (`<doc_id>#<n>`, None for a given text)."""

    source: dict[str, Any]
    results: list[tuple[SearchResult, str | None]]


@dataclass
class Compared:
    topic: str
    query_language: str | None
    groups: list[Group]
    documents: dict[str, int]
    """Documents per group key under the filters."""


class Ahadi:
    """One index (embedded or server) and the model, behind one lock for writes."""

    def __init__(
        self,
        settings: Settings,
        encoder: Encoder | None = None,
        store: ChunkStore | None = None,
        chunker: SentenceChunker | None = None,
        calibration: ScoreCalibration | None = None,
    ):
        """`encoder` lets several instances in one process (tests, benchmarks) share a loaded model;
        `store` overrides the one the settings name (tests run the server backend in local mode);
        `chunker` and `calibration` (fitted for its passages) replace the default passage length and
        the calibration bundled for the model (benchmarks compare passage lengths)."""
        self.settings = settings
        self._chunker = chunker
        self._calibration = calibration
        self.write_lock = threading.RLock()
        self.sparse = SparseEncoder()
        self._encoder = encoder
        self._store = store
        self._access_stamped = False
        self._searcher: Searcher | None = None
        self._ingestor: Ingestor | None = None
        self._loading = threading.Lock()
        if store is None:
            check_store_free(settings)  # before anything slow: a held store is reported at once

    # ------------------------------------------------------------------ what it is built of
    @property
    def encoder(self) -> Encoder:
        """The model, loaded on first use (a few seconds): commands that only read or delete never wait for it."""
        if self._encoder is None:
            with self._loading:
                if self._encoder is None:
                    settings = self.settings
                    encoder = Encoder(
                        load_encoder(settings.model, settings.model_cache_dir, backend=settings.encoder_backend),
                        LanguageCentering.for_model(settings.model),
                        batch_size=settings.batch_size,
                    )
                    stored = getattr(self._store, "dimension", None)
                    if stored is not None and stored != encoder.dimension:
                        raise RuntimeError(
                            f"the index was built for {stored}-dimensional vectors, the model {settings.model} makes "
                            f"{encoder.dimension}: use another --data-dir or rebuild it"
                        )
                    self._encoder = encoder
        return self._encoder

    @property
    def store(self) -> ChunkStore:
        """The store, opened on first use; without the model when an index already exists. Points
        stored before documents had `access` get the default groups then (`stamp_missing_access`)."""
        store = self._opened_store()
        if not self._access_stamped:
            with self.write_lock:
                if not self._access_stamped:
                    store.stamp_missing_access(list(self.settings.default_access))
                    self._access_stamped = True
        return store

    def _opened_store(self) -> ChunkStore:
        if self._store is None:
            with self._loading:
                if self._store is None:
                    dimension = self._encoder.dimension if self._encoder is not None else None
                    try:
                        self._store = open_store(self.settings, dimension)
                    except NoIndexYet:
                        self._store = None
            if self._store is None:  # a new index: its vector size is the model's
                dimension = self.encoder.dimension
                with self._loading:
                    if self._store is None:
                        self._store = open_store(self.settings, dimension)
        return self._store

    @property
    def searcher(self) -> Searcher:
        if self._searcher is None:
            calibration = self._calibration or ScoreCalibration.for_model(self.settings.model)
            self._searcher = Searcher(self.store, self.encoder, self.sparse, calibration=calibration)
        return self._searcher

    @property
    def ingestor(self) -> Ingestor:
        if self._ingestor is None:
            probe = commitment_probe(self.settings)
            if probe is not None:  # its model loads while the store and the encoder do
                probe.features.load_in_background()
            self._ingestor = Ingestor(
                self.store, self.encoder, self.sparse, max_file_bytes=self.settings.max_file_bytes, chunker=self._chunker,
                default_access=self.settings.default_access, probe=probe,
            )
        return self._ingestor

    @property
    def model_loaded(self) -> bool:
        return self._encoder is not None

    def warm_up(self) -> None:
        """Load now what the first query would: the model, the store, the fields ranking reads of
        every candidate, langdetect's profiles (a server does this before it says it is ready)."""
        self.searcher.warm_up()
        detect_language("warm up the language detector")

    # ------------------------------------------------------------------ ingestion
    def ingest(self, sources: Iterable[str | Path], progress: bool = False, access: list[str] | None = None) -> IngestReport:
        """Files, folders and JSONL files, each document through the whole pipeline. `access`: the
        groups of documents that declare none (instead of `AHADI_DEFAULT_ACCESS`)."""
        given = _access(access)
        with self.write_lock:
            report = self.ingestor.ingest(sources, progress=progress, default_access=given)
            self.store.flush()
        return report

    def ingest_documents(self, records: Iterable[dict[str, Any]], source: str = "api:json") -> IngestReport:
        """Documents given as JSONL-shaped records (`{"id", "text", "title"?, ...}`); a skipped one is
        named `documents[i]`, its place in `records`. `source` is what the stored records say they came from."""
        with self.write_lock:
            report = self.ingestor.ingest_records(records, source)
            self.store.flush()
        return report

    def delete(self, reader: Reader, doc_id: str) -> dict[str, Any]:
        """Remove a document and its passages; returns its record. `NotFound` when there is none,
        or `reader` may not see it (a writer cannot learn of, or remove, what it cannot read)."""
        with self.write_lock:
            record = self.document(reader, doc_id)
            self.store.delete_document(doc_id)
            self.store.flush()
        return record

    # ------------------------------------------------------------------ reading
    def document(self, reader: Reader, doc_id: str) -> dict[str, Any]:
        record = self.store.document(reader, doc_id)
        if record is None:
            raise NotFound("document_not_found", f"no document with id {doc_id!r}", {"doc_id": doc_id})
        return record

    def documents(
        self, reader: Reader, limit: int, offset: str | None = None, where: dict[str, list] | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """A page of document records in a stable order, and the offset of the next page (None: last)."""
        return self.store.documents(reader, limit=limit, offset=offset, where=where or {})

    def count_documents(self, reader: Reader, where: dict[str, list] | None = None) -> int:
        return self.store.count_documents(reader, where or {})

    def chunks(self, reader: Reader, doc_id: str) -> list[dict[str, Any]]:
        """A document's passages in order, with their offsets into its cleaned text."""
        return self.store.chunks(reader, doc_id)

    def stats(self) -> dict[str, Any]:
        """What the whole index holds (the CLI's `ahadi stats`, on its own data directory)."""
        centering = LanguageCentering.for_model(self.settings.model)
        return {
            "documents": self.store.count_documents(ALL_DOCUMENTS),
            "chunks": self.store.count_chunks(ALL_DOCUMENTS),
            "languages": self.store.facet(ALL_DOCUMENTS, "language"),
            "countries": self.store.facet(ALL_DOCUMENTS, "country"),
            "model": self.encoder.model_name if self.model_loaded else self.settings.model,
            "centering": centering.name if centering else None,
            "store": self.settings.qdrant_url or str(self.settings.index_dir),
        }

    # ------------------------------------------------------------------ search
    def search(
        self,
        reader: Reader,
        query: str,
        filters: FilterValues | None = None,
        top_k: int = 10,
        offset: int = 0,
        group_by_document: bool = True,
        mode: SearchMode | None = None,
        query_language: str | None = None,
        kind: Kind = "chunk",
    ) -> Found:
        """Passages (or, with kind="commitment", commitments) that answer `query`, in every language
        unless filtered. Without `query_language` it is detected while the model embeds the query."""
        query = _check_text(query, "query")
        search_filters = to_search_filters(filters, kind)
        mode = mode or self.searcher.default_mode
        embedded = self.searcher.embed_query(query, _given_language(query_language), mode)
        results = self.searcher.search_vectors(
            reader, embedded.dense, embedded.sparse, search_filters, top_k=top_k, offset=offset,
            group_by_document=group_by_document, kind=kind,
        )
        return Found(query, embedded.language, mode, results)

    def similar(
        self,
        reader: Reader,
        doc_id: str | None = None,
        chunk_id: str | None = None,
        text: str | None = None,
        language: str | None = None,
        filters: FilterValues | None = None,
        top_k: int = 10,
        other_languages_only: bool = False,
    ) -> Similar:
        """The passages of other documents most like a stored document (each of its passages is
        compared), one of its passages (`chunk_id`), or a `text`; one passage per document, best first.
        `other_languages_only`: only documents in another language (a language family counts as one)."""
        base = to_search_filters(filters)
        if doc_id is not None:
            record = self.document(reader, doc_id)
            chunk_index = _chunk_index(doc_id, chunk_id)
            sources = self.store.chunk_vectors(reader, doc_id, chunk_index)
            if not sources:
                where = f"passage {doc_id}#{chunk_index}" if chunk_index is not None else "any passage"
                raise NotFound("chunk_not_found", f"document {doc_id!r} has no {where}", {"doc_id": doc_id, "chunk_id": chunk_id})
            if len(sources) > _MAX_SOURCE_PASSAGES:
                step = len(sources) / _MAX_SOURCE_PASSAGES
                sources = [sources[int(i * step)] for i in range(_MAX_SOURCE_PASSAGES)]
            source_language = record.get("language")
            source = {"doc_id": doc_id, "chunk_id": chunk_id and f"{doc_id}#{chunk_index}", "language": source_language}
            exclude = [doc_id]
        else:
            text = _check_text(text or "", "text")
            source_language = language_code(language, "language") if language else detect_language(text)
            sources = [({}, self.encoder.passages([text], [source_language])[0].tolist())]
            source = {"text": text[:200] + ("…" if len(text) > 200 else ""), "language": source_language}
            exclude = []

        search_filters = copy_filters(base, exclude_doc_ids=list(dict.fromkeys(base.exclude_doc_ids + exclude)))
        if other_languages_only:
            if source_language is None:
                raise InvalidRequest("unknown_language", "the source's language is unknown: give `language`, or leave other_languages_only off")
            present = search_filters.languages or [str(v) for v in self.store.facet(reader, "language", search_filters)]
            others = [lang for lang in present if family_of(lang) != family_of(source_language)]
            if not others:
                return Similar(source, [])
            search_filters = copy_filters(search_filters, languages=others)

        best: dict[str, tuple[SearchResult, str | None]] = {}
        for payload, vector in sources:
            for result in self.searcher.search_vectors(reader, vector, filters=search_filters, top_k=top_k):
                if result.doc_id not in best or result.score > best[result.doc_id][0].score:
                    best[result.doc_id] = (result, f"{payload['doc_id']}#{payload['chunk_index']}" if payload else None)
        ordered = sorted(best.values(), key=lambda pair: pair[0].score, reverse=True)[:top_k]
        return Similar(source, ordered)

    def compare(
        self,
        reader: Reader,
        topic: str,
        filters: FilterValues | None = None,
        group_by: Literal["region", "country"] = "region",
        per_group: int = 3,
        group_by_document: bool = False,
        mode: SearchMode | None = None,
        query_language: str | None = None,
        kind: Kind = "chunk",
        min_score: float | None = None,
    ) -> Compared:
        """Regions (or countries) side by side on a topic: their best passages, or commitments."""
        topic = _check_text(topic, "topic")
        search_filters = to_search_filters(filters, kind)
        language = _given_language(query_language) or detect_language(topic)
        # Documents are counted by their first passage, which has no confidence.
        documents = self.store.facet(reader, group_by, copy_filters(search_filters, FirstPassageFilters, min_confidence=None))
        groups = compare_groups(
            self.searcher, reader, topic, search_filters, group_by=group_by, per_group=per_group,
            group_by_document=group_by_document, kind=kind, mode=mode, query_language=language,
            min_score=min_score,
        )
        unknown = copy_filters(search_filters, FirstPassageFilters, min_confidence=None, missing=[*search_filters.missing, group_by])
        per_key = {
            group.key: self.store.count_chunks(reader, unknown) if group.key is None
            else int(documents.get(group.key, 0) or documents.get(_maybe_int(group.key), 0))
            for group in groups
        }
        return Compared(topic, language, groups, per_key)

    def commitments(self, reader: Reader, topic: str, filters: FilterValues | None = None, top_k: int = 10) -> list[Group]:
        """The commitments that best match `topic`, one group (its region) per commitment, best first."""
        found = self.search(reader, topic, filters, top_k=top_k, group_by_document=False, kind="commitment")
        return [Group(key=c.region, country=c.country, results=[c]) for c in found.results]

    def document_commitments(self, reader: Reader, doc_id: str, min_confidence: float | None = None) -> DocumentCommitments:
        """One document's commitments in the order of its text (with `min_confidence`, those at or
        above it); `NotFound` when there is no such document (or `reader` may not see it)."""
        listed = document_commitments(self.store, reader, doc_id, confidence_bound(min_confidence))
        if listed is None:
            raise NotFound("document_not_found", f"no document with id {doc_id!r}", {"doc_id": doc_id})
        return listed

    def facets(
        self,
        reader: Reader,
        query: str | None = None,
        filters: FilterValues | None = None,
        top_n: int = 50,
        query_language: str | None = None,
        mode: SearchMode | None = None,
    ) -> dict[str, Any]:
        """Document counts per language, country, region, type, organisation and year: of every document under
        the filters, or (with a query) of the documents in its top `top_n` results."""
        search_filters = to_search_filters(filters)
        if query is None or not query.strip():
            first = FirstPassageFilters(**vars(search_filters))
            counts = {field: self.store.facet(reader, field, first) for field in FACET_FIELDS}
            return {"scope": "index", "query": None, "counted": "documents", "facets": _facets(counts)}
        results = self.searcher.search(
            reader, query, filters=search_filters, top_k=top_n, group_by_document=True, mode=mode or self.searcher.default_mode,
            query_language=_given_language(query_language),
        )
        tallies: dict[str, Counter] = defaultdict(Counter)
        for result in results:
            for field in FACET_FIELDS:
                value = getattr(result, field)
                for one in (value or []) if field == "organisations" else [value]:
                    if one not in (None, ""):
                        tallies[field][one] += 1
        return {
            "scope": "top_results", "query": query, "counted": "documents",
            "facets": _facets(tallies),
        }

    # ------------------------------------------------------------------ snapshots
    def snapshot(self, file: str | Path, overwrite: bool = False) -> dict[str, Any]:
        """Every document, passage and commitment, with vectors, to one checksummed file (writes wait)."""
        with self.write_lock:
            return write_snapshot(self.store, Path(file), overwrite=overwrite)

    def restore(self, file: str | Path, force: bool = False) -> dict[str, Any]:
        """Replace the index with a snapshot, in the configured backend: the embedded index is
        rebuilt and swapped in atomically; a server collection is emptied (`force`) and refilled.
        The checksum is verified before anything is touched."""
        with self.write_lock:
            if self.settings.qdrant_url:
                if self._store is None:
                    self._store = open_store(self.settings, verify(file)["dimension"])
                self._searcher = self._ingestor = None
                self._access_stamped = False  # a snapshot of an older index may lack `access`
                return restore_into(Path(file), self._store, force=force)
            if self._store is not None:
                self._store.close()
                self._store = None
            self._searcher = self._ingestor = None
            self._access_stamped = False  # a snapshot of an older index may lack `access`
            try:
                return restore_embedded(Path(file), self.settings.data_dir, force=force)
            finally:
                self.store  # reopened now, so a failed reopen is reported here and not by the next reader

    # ------------------------------------------------------------------ lifetime
    def close(self) -> None:
        """Close the store once the write in progress, if any, is done."""
        with self.write_lock:
            if self._store is not None:
                self._store.close()

    def __enter__(self) -> "Ahadi":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def commitment_probe(settings: Settings) -> CommitmentProbe | None:
    """The probe ingestion gives the commitment extractor: the configured model's, unless
    `commitment_probe` is off (None too for a model without one)."""
    if not settings.commitment_probe:
        return None
    return CommitmentProbe.for_model(settings.model, settings.model_cache_dir)


def _access(groups: list[str] | None) -> list[str] | None:
    if groups is None:
        return None
    try:
        checked = check_groups(groups, "access")
    except ValueError as error:
        raise InvalidRequest("invalid_access", str(error), {"field": "access"}) from None
    if not checked:
        raise InvalidRequest("invalid_access", "access names no group", {"field": "access"})
    return checked


def _check_text(text: str, field: str) -> str:
    if not text.strip():
        raise InvalidRequest("invalid_request", f"the {field} is empty", {"field": field})
    return text


def _given_language(given: str | None) -> str | None:
    """A caller's `query_language`, checked; None leaves detection to the search."""
    return language_code(given, "query_language") if given else None


def _chunk_index(doc_id: str, chunk_id: str | None) -> int | None:
    if chunk_id is None:
        return None
    raw = chunk_id
    if "#" in chunk_id:
        owner, raw = chunk_id.rsplit("#", 1)
        if owner != doc_id:
            raise NotFound("chunk_not_found", f"chunk_id {chunk_id!r} is not a passage of document {doc_id!r}", {"doc_id": doc_id, "chunk_id": chunk_id})
    if not raw.isdigit():
        raise InvalidRequest("invalid_request", f"chunk_id {chunk_id!r} is not `<doc_id>#<number>` or a number", {"field": "chunk_id"})
    return int(raw)


def _maybe_int(value: str):
    return int(value) if value.isdigit() else value


def _facets(counts: dict[str, dict]) -> dict[str, list[dict[str, Any]]]:
    """Each field's counts, most frequent first; a region's count takes in the places inside it,
    the regions that hold a stored one are listed too, and each region names the one it lies `within`."""
    facets = {field: _sorted_counts(region_counts(counts[field]) if field == "region" else counts[field]) for field in FACET_FIELDS}
    for item in facets["region"]:
        item["within"] = region_within(item["value"])
    return facets


def _sorted_counts(raw: dict) -> list[dict[str, Any]]:
    items = [(value, int(count)) for value, count in raw.items() if value not in (None, "") and count]
    items.sort(key=lambda vc: (-vc[1], str(vc[0])))
    return [{"value": value, "count": count} for value, count in items]
