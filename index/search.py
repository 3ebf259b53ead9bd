"""Search: a question in any language → the best passages in every language, filtered and grouped."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal

from index.calibration import ScoreCalibration
from index.embedding import Encoder
from index.sparse import SparseEncoder
from index.store.base import ChunkStore, Hit, Reader, SearchFilters, SparseVector
from core.detection import detect_language

SearchMode = Literal["dense", "hybrid"]
SEARCH_MODES: tuple[str, ...] = ("dense", "hybrid")
MAX_TOP_K = 100
_MAX_FETCH = 2000
_BALANCE_RRF_K = 60
# Calibration re-ranks what the store returns: enough candidates that a passage the raw cosine
# ranks low only because of its language still gets a chance.
_CALIBRATION_CANDIDATES = 100
# A document's rank with sections: this share from its best passage, the rest from its best
# section (ingest.chunking.SECTION_WORDS), both calibrated. Chosen on dev data (BENCHMARKS.md,
# "Passages and sections"; held on the real pages' dev pools, "Session 23").
PASSAGE_WEIGHT = 0.7
_SECTION_CANDIDATES = 50
# What ranking reads of a candidate's payload (calibration, grouping, sections); the rest is read
# for the returned page only: reading all 100 candidates' payloads was a seventh of a search's
# store time, and the store holds the GIL while it searches (BENCHMARKS.md, "Session 7").
_RANKING_FIELDS = ("doc_id", "language")


@dataclass
class SearchResult:
    """One passage that answers the query, with where it sits in its document."""

    doc_id: str
    chunk_id: str
    chunk_index: int
    score: float
    text: str
    start: int
    end: int
    language: str | None
    title: str | None
    country: str | None = None
    region: str | None = None
    doc_type: str | None = None
    date: str | None = None
    year: int | None = None
    organisations: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    commitment: dict[str, Any] | None = None
    """For commitment hits: actors, quantity, target, year, deadline, heading, passage."""

    @classmethod
    def from_hit(cls, hit: Hit) -> "SearchResult":
        p = hit.payload
        separator = "!c" if p.get("kind") == "commitment" else "#"
        return cls(
            doc_id=p["doc_id"],
            chunk_id=f"{p['doc_id']}{separator}{p['chunk_index']}",
            chunk_index=p["chunk_index"],
            score=round(float(hit.score), 6),
            text=p.get("text", ""),
            start=p.get("start", 0),
            end=p.get("end", 0),
            language=p.get("language"),
            title=p.get("title"),
            country=p.get("country"),
            region=p.get("region"),
            doc_type=p.get("doc_type"),
            date=p.get("date"),
            year=p.get("year"),
            organisations=p.get("organisations") or [],
            metadata=p.get("metadata") or {},
            commitment=p.get("commitment"),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class QueryVectors:
    """A query ready to search: its language (given or detected), dense and, in hybrid mode, sparse vector."""

    language: str | None
    dense: list[float]
    sparse: SparseVector | None = None


class Searcher:
    """Embeds the query (centred for its language), asks the store, groups hits by document."""

    def __init__(
        self,
        store: ChunkStore,
        encoder: Encoder,
        sparse: SparseEncoder | None = None,
        default_mode: SearchMode = "dense",
        sparse_weight: float = 1.0,
        rrf_k: int = 60,
        balance_languages: bool = False,
        calibration: ScoreCalibration | None = None,
        passage_weight: float = PASSAGE_WEIGHT,
    ):
        if default_mode not in SEARCH_MODES:
            raise ValueError(f"unknown search mode {default_mode!r}; valid modes: {', '.join(SEARCH_MODES)}")
        if sparse_weight <= 0 or rrf_k < 1:
            raise ValueError(f"sparse_weight must be positive and rrf_k at least 1, got {sparse_weight} and {rrf_k}")
        if not 0.0 <= passage_weight <= 1.0:
            raise ValueError(f"passage_weight must be between 0 and 1, got {passage_weight}")
        self.store = store
        self.encoder = encoder
        self.sparse = sparse
        self.default_mode = default_mode
        self.sparse_weight = sparse_weight
        self.rrf_k = rrf_k
        self.balance_languages = balance_languages
        self.calibration = calibration
        self.passage_weight = passage_weight
        # Paging, facets and comparisons ask the same question again: embed it once.
        self._dense_query = lru_cache(maxsize=1024)(self._embed_dense)

    def _embed_dense(self, query: str, query_language: str | None) -> tuple[str | None, tuple[float, ...]]:
        if query_language:
            return query_language, tuple(self.encoder.queries([query], [query_language])[0].tolist())
        language, vector = self.encoder.query_and_language(query, detect_language)
        return language, tuple(vector.tolist())

    def search(
        self,
        reader: Reader,
        query: str,
        filters: SearchFilters | None = None,
        top_k: int = 10,
        offset: int = 0,
        group_by_document: bool = True,
        mode: SearchMode | None = None,
        query_language: str | None = None,
        kind: str = "chunk",
    ) -> list[SearchResult]:
        """Passages (or, with kind="commitment", commitments) of the documents `reader` may see that
        answer `query`, best first."""
        mode = mode or self.default_mode
        if mode not in SEARCH_MODES:
            raise ValueError(f"unknown search mode {mode!r}; valid modes: {', '.join(SEARCH_MODES)}")
        if not query.strip():
            raise ValueError("the query is empty")
        if not 1 <= top_k <= MAX_TOP_K:
            raise ValueError(f"top_k must be between 1 and {MAX_TOP_K}, got {top_k}")
        if offset < 0:
            raise ValueError(f"offset must be 0 or more, got {offset}")
        embedded = self.embed_query(query, query_language, mode)
        return self.search_vectors(reader, embedded.dense, embedded.sparse, filters, top_k, offset, group_by_document, kind)

    def warm_up(self) -> None:
        """Have the store read ahead what ranking reads of every candidate (`_RANKING_FIELDS`)."""
        self.store.keep_fields(_RANKING_FIELDS, ("chunk", "section", "commitment"))

    def calibrates(self, mode: SearchMode | None = None) -> bool:
        """Whether scores in `mode` are calibrated z-scores (dense, with calibration, not balanced)."""
        return self.calibration is not None and not self.balance_languages and (mode or self.default_mode) == "dense"

    def _calibrated_ranking(self, sparse: SparseVector | None) -> bool:
        """Whether a search with `sparse` ranks dense hits by calibrated score (`_calibrated`),
        reading only `_RANKING_FIELDS` of its candidates' payloads."""
        return sparse is None and self.calibrates()

    def embed_query(self, query: str, query_language: str | None = None, mode: SearchMode | None = None) -> QueryVectors:
        """The query's language (`query_language`, or detected while the model embeds it), its dense
        vector centred for that language and, in hybrid mode, its sparse one."""
        mode = mode or self.default_mode
        language, dense = self._dense_query(query, query_language)
        sparse = self.sparse.query(query, language) if (mode == "hybrid" and self.sparse) else None
        return QueryVectors(language, list(dense), sparse)

    def search_vectors(
        self,
        reader: Reader,
        dense: list[float],
        sparse: SparseVector | None = None,
        filters: SearchFilters | None = None,
        top_k: int = 10,
        offset: int = 0,
        group_by_document: bool = True,
        kind: str = "chunk",
    ) -> list[SearchResult]:
        """Search with vectors already made: one query against many filters, or a stored passage's vector."""
        wanted = top_k + offset
        with_sections = group_by_document and kind == "chunk" and self._calibrated_ranking(sparse) and self.calibration.has_sections
        # Never more than _MAX_FETCH at once: an absurd offset gets no results, not a giant (or overflowing) limit.
        fetch = min(wanted if not group_by_document else wanted * 4, _MAX_FETCH)
        if with_sections:
            # Sections re-rank the documents found: the same window for every page, so that paging
            # neither repeats nor skips a document.
            fetch = max(fetch, _CALIBRATION_CANDIDATES)
        while True:
            hits = self._retrieve(reader, dense, sparse, filters or SearchFilters(), fetch, kind)
            ranked = _best_per_document(hits) if group_by_document else hits
            if len(ranked) >= wanted or len(hits) < fetch or fetch >= _MAX_FETCH:
                break
            fetch = min(fetch * 4, _MAX_FETCH)
        if with_sections:
            ranked = self._with_sections(reader, dense, filters or SearchFilters(), ranked)
        page = ranked[offset:wanted]
        if self._calibrated_ranking(sparse):  # the page's whole payloads, read for it alone
            full = self.store.payloads(reader, [hit.point_id for hit in page])
            page = [Hit(hit.point_id, hit.score, full[hit.point_id]) for hit in page if hit.point_id in full]
        return [SearchResult.from_hit(hit) for hit in page]

    def _with_sections(self, reader: Reader, dense: list[float], filters: SearchFilters, best_passages: list[Hit]) -> list[Hit]:
        """Documents (each as its best passage) re-ranked by `passage_weight` × that passage's
        calibrated score + the rest × their best section's. A document none of whose sections is
        among the best `_SECTION_CANDIDATES` counts the lowest section score found: it has none
        higher. An index without sections (built before them) keeps the passage ranking."""
        sections = self.store.search(reader, dense, filters, limit=_SECTION_CANDIDATES, kind="section", fields=_RANKING_FIELDS)
        if not sections:
            return best_passages
        scores = self.calibration.scores(dense, [hit.score for hit in sections], [hit.payload.get("language") for hit in sections], sections=True)
        best_section: dict[str, float] = {}
        for hit, score in zip(sections, scores):
            doc_id = hit.payload["doc_id"]
            best_section[doc_id] = max(score, best_section.get(doc_id, score))
        floor = min(scores)
        blended = [
            Hit(hit.point_id, self.passage_weight * hit.score + (1 - self.passage_weight) * best_section.get(hit.payload["doc_id"], floor), hit.payload)
            for hit in best_passages
        ]
        return sorted(blended, key=lambda hit: -hit.score)

    def _retrieve(self, reader: Reader, dense: list[float], sparse, filters: SearchFilters, limit: int, kind: str) -> list[Hit]:
        """The store's ranking: dense hits re-scored by `calibration` when there is one; with
        `balance_languages`, fused (RRF) with one ranking per language.

        The model scores passages in the query's language higher than equally good ones in other
        languages. A passage that ranks high *within its own language* is lifted by the fusion, so
        every language's best answers reach the top; scores are then RRF scores, not cosines.
        """

        def ranking(restricted: SearchFilters) -> list[Hit]:
            return self.store.search(
                reader, dense, restricted, limit=limit, sparse=sparse, sparse_weight=self.sparse_weight, rrf_k=self.rrf_k, kind=kind
            )

        if self._calibrated_ranking(sparse):
            return self._calibrated(reader, dense, filters, limit, kind)
        hits = ranking(filters)
        if not self.balance_languages:
            return hits
        languages = filters.languages or list(self.store.facet(reader, "language", filters, kind=kind))
        if len(languages) < 2:
            return hits
        fused: dict[str, float] = {}
        found: dict[str, Hit] = {}
        for ranked in [hits] + [ranking(replace(filters, languages=[language])) for language in languages]:
            for rank, hit in enumerate(ranked):
                fused[hit.point_id] = fused.get(hit.point_id, 0.0) + 1.0 / (_BALANCE_RRF_K + rank + 1)
                found[hit.point_id] = hit
        order = sorted(fused, key=fused.get, reverse=True)[:limit]
        return [Hit(point_id, fused[point_id], found[point_id].payload) for point_id in order]

    def _calibrated(self, reader: Reader, dense: list[float], filters: SearchFilters, limit: int, kind: str) -> list[Hit]:
        """The store's best candidates, scored as z-scores for their languages (`ScoreCalibration`)."""
        hits = self.store.search(reader, dense, filters, limit=max(limit, _CALIBRATION_CANDIDATES), kind=kind, fields=_RANKING_FIELDS)
        scores = self.calibration.scores(dense, [hit.score for hit in hits], [hit.payload.get("language") for hit in hits])
        order = sorted(range(len(hits)), key=lambda i: (-scores[i], i))[:limit]
        # Hit(...), not dataclasses.replace: ~200 hits per search, and replace costs three times as much.
        return [Hit(hits[i].point_id, scores[i], hits[i].payload) for i in order]


def _best_per_document(hits: list[Hit]) -> list[Hit]:
    seen: set[str] = set()
    best = []
    for hit in hits:
        doc_id = hit.payload["doc_id"]
        if doc_id not in seen:
            seen.add(doc_id)
            best.append(hit)
    return best


@dataclass
class DocumentCommitments:
    """One document's commitments, in the order they stand in it."""

    doc_id: str
    title: str | None
    language: str | None
    country: str | None
    region: str | None
    commitments: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def document_commitments(store: ChunkStore, reader: Reader, doc_id: str, min_confidence: float | None = None) -> DocumentCommitments | None:
    """The commitments extracted from document `doc_id` (None when there is no such document, or
    `reader` may not see it): their id, text, offsets and details, ordered by where they start in its text.
    With `min_confidence`, only those at or above it: one without a confidence (the rules decided it)
    is left out, as the store's `min_confidence` filter leaves it out of searches."""
    record = store.document(reader, doc_id)
    if record is None:
        return None
    parts = sorted(store.chunks(reader, doc_id, kind="commitment"), key=lambda p: (p.get("start", 0), p["chunk_index"]))
    if min_confidence is not None:
        parts = [p for p in parts if (sure := (p.get("commitment") or {}).get("confidence")) is not None and sure >= min_confidence]
    return DocumentCommitments(
        doc_id=doc_id,
        title=record.get("title"),
        language=record.get("language"),
        country=record.get("country"),
        region=record.get("region"),
        commitments=[
            {
                "chunk_id": f"{doc_id}!c{p['chunk_index']}",
                "chunk_index": p["chunk_index"],
                "text": p.get("text", ""),
                "start": p.get("start", 0),
                "end": p.get("end", 0),
                "commitment": p.get("commitment"),
            }
            for p in parts
        ],
    )
