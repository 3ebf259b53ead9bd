"""The store interface every backend implements, and the records that cross it.

A document lives in the collection as one *document record* (no vectors; its metadata, cleaned
text and fingerprint) plus its *chunk points* (dense and sparse vectors, text, offsets). Writes go
through a small commit protocol so that a crash leaves every document whole or absent:

1. the new chunks are written with ``state="pending"`` and the new version;
2. the document record is written with that version and ``dirty=1``: the commit point;
3. the new chunks are switched to ``state="live"``, older versions deleted, ``dirty=0``.

Search only sees live chunks. On open, `recover()` finishes step 3 for dirty records and
removes pending chunks that never reached step 2.

Access: between steps 2 and 3 the old version's chunks are still live, so a write that takes a
group away first narrows them (1b) to the groups the old and the new version share: from the
commit point on, nobody reads the document with groups it no longer has. A write cut off before
its commit point gives the old version its record's groups back in `recover()`.
"""

from __future__ import annotations

import threading
import time
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Iterator

from index.access import ALL_DOCUMENTS, NO_GROUP, Reader

DENSE = "dense"
SPARSE = "bm25"

# Payload fields with an index: keyword fields filter and facet, integer fields filter by range.
KEYWORD_FIELDS = ("kind", "state", "doc_id", "version", "language", "country", "region", "doc_type", "organisations", "access")
INTEGER_FIELDS = ("date_num", "year", "dirty", "chunk_index")
#: Where a commitment's confidence stands in its payload (`index.writer.COMMITMENT_FIELDS`).
CONFIDENCE_FIELD = "commitment.confidence"
FLOAT_FIELDS = (CONFIDENCE_FIELD,)

# Candidates an HNSW search keeps (`Settings.hnsw_ef`; None: `auto_hnsw_ef`). At a fixed ef,
# recall@10 against exact search falls as the index grows, so a fixed ef good for 100k chunks is
# too small at 1M (the measurements are in BENCHMARKS.md section 4). Search time grows
# with ef (and on the embedded store it holds the GIL), so ef grows with the index, not before.
MIN_AUTO_HNSW_EF = 256
MAX_AUTO_HNSW_EF = 2048
_AUTO_EF_REFRESH_SECONDS = 60.0

# Both backends keep an int8 copy of the dense vectors in RAM (Qdrant's scalar quantization) and
# walk the HNSW graph with it; the best `QUANTIZED_OVERSAMPLING` × limit candidates are then
# re-scored with the float vectors, so scores (and the calibration built on them) stay those of the
# model. The walk is the bulk of a search, and on the embedded store it holds the GIL (BENCHMARKS.md,
# "Session 14"). An embedded index built before keeps its float-built graph until it is restored
# from a snapshot (`index/store/edge.py`, `_edge_config`, says why); a server collection, until it is
# made anew.
QUANTIZED_OVERSAMPLING = 2.0
# Qdrant builds the graph from the int8 copy too. With its default candidate list while building
# (ef_construct 100), that graph served searches under a narrow filter (one region's passages)
# much worse than the float-built one; a longer list builds it back. m and the full-scan threshold
# are Qdrant's defaults.
HNSW_M = 16
HNSW_EF_CONSTRUCT = 256
FULL_SCAN_THRESHOLD_KB = 10_000


def auto_hnsw_ef(chunks: int) -> int:
    """The HNSW candidate list for an index of `chunks` passages: one per thousand, 256 to 2048."""
    return min(MAX_AUTO_HNSW_EF, max(MIN_AUTO_HNSW_EF, chunks // 1000))


_ID_NAMESPACE = uuid.UUID("6f0d3c1e-8a52-4d6b-9a57-0b1d1f6b2a11")


def document_point_id(doc_id: str) -> str:
    return str(uuid.uuid5(_ID_NAMESPACE, f"doc:{doc_id}"))


def chunk_point_id(doc_id: str, version: str, chunk_index: int, kind: str = "chunk") -> str:
    return str(uuid.uuid5(_ID_NAMESPACE, f"{kind}:{doc_id}:{version}:{chunk_index}"))


@dataclass
class SparseVector:
    indices: list[int]
    values: list[float]


@dataclass
class ChunkPoint:
    """One part of a document ready to store: its vectors and payload (doc metadata, text, offsets).

    `kind` is "chunk" for passages; other kinds (e.g. "commitment") ride the same protocol and are
    searched by passing that kind to `search`.
    """

    doc_id: str
    chunk_index: int
    dense: list[float]
    payload: dict[str, Any]
    sparse: SparseVector | None = None
    kind: str = "chunk"


@dataclass
class Hit:
    """A scored chunk (or a document record, for scroll/get)."""

    point_id: str
    score: float
    payload: dict[str, Any]


@dataclass
class SearchFilters:
    """Restrictions on what a search may return. Empty lists mean no restriction."""

    languages: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    doc_types: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    """The document's year (given, or that of its date), so undated documents with a year match."""
    doc_ids: list[str] = field(default_factory=list)
    exclude_doc_ids: list[str] = field(default_factory=list)
    date_from: int | None = None
    """Inclusive, as YYYYMMDD; documents without a full date are excluded when a date bound is set."""
    date_to: int | None = None
    min_confidence: float | None = None
    """Commitments only: those whose `CONFIDENCE_FIELD` is at least this (a commitment the rules
    decided has none, and is left out)."""
    missing: list[str] = field(default_factory=list)
    """Fields that must have no value (absent or null): `["region"]` is every document whose region is unknown."""
    access: list[str] | None = None
    """The groups whose documents may be returned; None: every document. Set by `Reader.restrict`
    inside the store's read methods, which replace whatever a caller put here."""

    def keyword_conditions(self) -> dict[str, list]:
        """Field name → accepted values, for the backends to translate."""
        pairs = {
            "language": self.languages,
            "country": self.countries,
            "region": self.regions,
            "doc_type": self.doc_types,
            "organisations": self.organisations,
            "year": self.years,
            "doc_id": self.doc_ids,
        }
        conditions = {key: values for key, values in pairs.items() if values}
        if self.access is not None:
            conditions["access"] = self.access or [NO_GROUP]  # a reader of no group sees nothing
        return conditions


class NoIndexYet(RuntimeError):
    """Opened without a vector size (no model loaded), where no index or collection exists yet."""


class ChunkStore(ABC):
    """One interface, two backends: Qdrant Edge (embedded) and a Qdrant server (qdrant-client)."""

    dimension: int

    def __init__(self) -> None:
        # Serialises this process's writers of the store (and snapshots). The commit protocol is
        # whole-or-nothing against crashes, not against two writers of one document interleaving
        # in one process: writer A's step 3 deletes every chunk of the document that is not A's
        # version, B's pending chunks included, and B then commits a record whose chunks are gone.
        # Searches need no lock: they only see live chunks, and a replaced document's old chunks
        # stay live until its new ones are.
        self.write_lock = threading.RLock()
        self.hnsw_ef: int | None = None  # a backend sets it; None: grows with the index (`search_ef`)
        self._auto_ef: tuple[float, int] | None = None  # (when counted, ef)

    # --- writes -------------------------------------------------------------------------
    @abstractmethod
    def _upsert(self, points: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> None:
        """Write (point id, vectors by name, payload) triples."""

    @abstractmethod
    def _set_payload(self, must: dict[str, Any], payload: dict[str, Any], must_not: dict[str, Any] | None = None) -> None:
        """Merge `payload` into every point whose fields equal `must` (and differ from `must_not`)."""

    @abstractmethod
    def _delete(self, must: dict[str, Any], must_not: dict[str, Any] | None = None) -> None:
        """Delete every point whose fields equal `must` (and differ from `must_not`)."""

    # --- reads --------------------------------------------------------------------------
    @abstractmethod
    def _query(self, dense: list[float], filters: SearchFilters, limit: int, kind: str, fields: tuple[str, ...] | None = None) -> list[Hit]:
        """Live parts of `kind` nearest to `dense`, best first, with the payload `fields` (None: all)."""

    @abstractmethod
    def _query_sparse(self, sparse: SparseVector, filters: SearchFilters, limit: int, kind: str, fields: tuple[str, ...] | None = None) -> list[Hit]:
        """Live parts of `kind` that best match the BM25 query `sparse`, best first, with the payload `fields` (None: all)."""

    @abstractmethod
    def _scroll(self, must: dict[str, Any], limit: int, offset: str | None, with_vectors: bool = False) -> tuple[list[Hit], str | None]:
        """Points whose fields equal `must`, in id order, from `offset`."""

    @abstractmethod
    def _count(self, must: dict[str, Any], filters: SearchFilters | None = None) -> int: ...

    @abstractmethod
    def _facet(self, key: str, filters: SearchFilters, kind: str) -> dict[Any, int]:
        """Counts of live parts of `kind` per value of `key` under `filters`."""

    @abstractmethod
    def _retrieve(self, point_ids: list[str]) -> list[Hit]: ...

    def keep_fields(self, fields: tuple[str, ...], kinds: tuple[str, ...]) -> None:
        """Read `fields` of the live parts of `kinds` now, for searches asking for those fields
        later (a server warming up). A backend that keeps nothing between searches does nothing."""

    @abstractmethod
    def flush(self) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    # --- the document protocol, shared by every backend ---------------------------------
    def document(self, reader: Reader, doc_id: str) -> dict[str, Any] | None:
        """The stored document record's payload, or None (also when `reader` may not see it)."""
        found = self._retrieve([document_point_id(doc_id)])
        return found[0].payload if found and reader.may_see(found[0].payload) else None

    def write_document(self, record: dict[str, Any], chunks: list[ChunkPoint]) -> None:
        """Store a document and its chunks, replacing any older version, whole or not at all."""
        with self.write_lock:
            self._write_document(record, chunks)

    def _write_document(self, record: dict[str, Any], chunks: list[ChunkPoint]) -> None:
        doc_id, version = record["doc_id"], record["version"]
        before = self._retrieve([document_point_id(doc_id)])
        self._upsert(
            [
                (
                    chunk_point_id(doc_id, version, chunk.chunk_index, chunk.kind),
                    _vectors(chunk),
                    {**chunk.payload, "kind": chunk.kind, "state": "pending", "doc_id": doc_id, "version": version},
                )
                for chunk in chunks
            ]
        )
        if before and chunks:
            self._narrow_access(doc_id, before[0].payload, record.get("access"))
        self._upsert([(document_point_id(doc_id), {}, {**record, "kind": "document", "dirty": 1, "chunk_count": len(chunks)})])
        self._finish_commit(doc_id, version)

    def _narrow_access(self, doc_id: str, old: dict[str, Any], new: list[str] | None) -> None:
        """Step 1b: the old version's live parts keep only the groups the new version keeps too.
        Only when the write takes a group away (a widening leaks nothing), and only with pending
        parts written, which is how `recover` knows to undo it when the commit never came."""
        before = old.get("access")
        if before is None or new is None or set(before) <= set(new):
            return
        shared = sorted(set(before) & set(new)) or [NO_GROUP]
        self._set_payload({"doc_id": doc_id, "version": old["version"], "state": "live"}, {"access": shared})

    def _finish_commit(self, doc_id: str, version: str) -> None:
        self._set_payload({"doc_id": doc_id, "version": version, "state": "pending"}, {"state": "live"})
        self._delete({"doc_id": doc_id}, must_not={"version": version, "kind": "document"})
        self._set_payload({"kind": "document", "doc_id": doc_id}, {"dirty": 0})

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and all its chunks; False when it was not there."""
        with self.write_lock:
            existed = self.document(ALL_DOCUMENTS, doc_id) is not None
            self._delete({"doc_id": doc_id})
        return existed

    def recover(self) -> int:
        """Finish interrupted commits and drop chunks of writes that never committed.

        Only safe while no other writer is mid-commit: the embedded store runs it on open
        (it is the only process); on a server it is the `ahadi repair` command.
        """
        with self.write_lock:
            finished = 0
            offset = None
            while True:
                dirty, offset = self._scroll({"kind": "document", "dirty": 1}, limit=256, offset=offset)
                for record in dirty:
                    self._finish_commit(record.payload["doc_id"], record.payload["version"])
                    finished += 1
                if offset is None:
                    break
            # Writes cut off before their commit point: the old version (if any) gets back the
            # groups its record names, which step 1b may have narrowed; then their parts go.
            interrupted: set[str] = set()
            offset = None
            while True:
                pending, offset = self._scroll({"state": "pending"}, limit=256, offset=offset)
                interrupted.update(hit.payload["doc_id"] for hit in pending)
                if offset is None:
                    break
            for doc_id in sorted(interrupted):
                record = self.document(ALL_DOCUMENTS, doc_id)
                if record is not None and record.get("access") is not None:
                    self._set_payload({"doc_id": doc_id, "version": record["version"], "state": "live"}, {"access": record["access"]})
            self._delete({"state": "pending"})
            return finished

    def search(
        self,
        reader: Reader,
        dense: list[float],
        filters: SearchFilters | None = None,
        limit: int = 10,
        sparse: SparseVector | None = None,
        sparse_weight: float = 1.0,
        rrf_k: int = 60,
        kind: str = "chunk",
        fields: tuple[str, ...] | None = None,
    ) -> list[Hit]:
        """The `limit` live parts of `kind` nearest to `dense`; with `sparse`, fused with the BM25 list.
        Hits carry the payload `fields` only when given (`payloads` reads the rest for the few kept).

        Fusion is weighted RRF, done here rather than by the engine so that every backend fuses
        alike: a hit at 0-based position p of a list of weight w scores 1 / ((p + 1) / w + rrf_k - 1)
        (Qdrant's formula); the dense list has weight 1, the sparse one `sparse_weight`. Each list is
        ordered by score, then point id: exact ties (overlapping passages often score the same in
        BM25) get the same positions on every backend and after a restore.
        """
        filters = reader.restrict(filters or SearchFilters())
        if sparse is None or not sparse.indices:
            return self._query(dense, filters, limit, kind, fields)
        depth = max(limit * 2, 50)
        fused: dict[str, float] = {}
        found: dict[str, Hit] = {}
        for hits, weight in ((self._query(dense, filters, depth, kind, fields), 1.0), (self._query_sparse(sparse, filters, depth, kind, fields), sparse_weight)):
            for position, hit in enumerate(sorted(hits, key=lambda h: (-h.score, h.point_id))):
                fused[hit.point_id] = fused.get(hit.point_id, 0.0) + 1.0 / ((position + 1) / weight + rrf_k - 1)
                found.setdefault(hit.point_id, hit)
        order = sorted(fused, key=lambda point_id: (-fused[point_id], point_id))[:limit]
        return [Hit(point_id, fused[point_id], found[point_id].payload) for point_id in order]

    def payloads(self, reader: Reader, point_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The whole payloads of search hits, by point id, of those still live and visible to
        `reader`: a write between the search and this read may have removed or narrowed one."""
        return {hit.point_id: hit.payload for hit in self._retrieve(point_ids) if hit.payload.get("state") == "live" and reader.may_see(hit.payload)}

    def documents(
        self, reader: Reader, limit: int = 100, offset: str | None = None, where: dict[str, list[str]] | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """A page of the document records `reader` may see whose fields take one of the values in
        `where` (e.g. `{"language": ["sv"]}`), and the offset of the next page (None at the end)."""
        hits, next_offset = self._scroll(_document_fields(reader, where), limit=limit, offset=offset)
        return [hit.payload for hit in hits], next_offset

    def update_document(self, doc_id: str, fields: dict[str, Any]) -> None:
        """Merge descriptive `fields` (e.g. `source`) into a stored record; its version is untouched."""
        with self.write_lock:
            self._set_payload({"kind": "document", "doc_id": doc_id}, dict(fields))

    def chunk_vectors(self, reader: Reader, doc_id: str, chunk_index: int | None = None) -> list[tuple[dict[str, Any], list[float]]]:
        """(payload, dense vector) of a document's live passages, or of one of them, in order."""
        must: dict[str, Any] = {"kind": "chunk", "state": "live", "doc_id": doc_id, **reader.conditions()}
        if chunk_index is not None:
            must["chunk_index"] = chunk_index
        found = []
        offset = None
        while True:
            hits, offset = self._scroll(must, limit=256, offset=offset, with_vectors=True)
            for hit in hits:
                payload = dict(hit.payload)
                vectors = payload.pop("_vectors", None)
                dense = vectors.get(DENSE) if isinstance(vectors, dict) else vectors
                if dense is not None:
                    found.append((payload, [float(x) for x in dense]))
            if offset is None:
                return sorted(found, key=lambda item: item[0].get("chunk_index", 0))

    def iter_documents(self, reader: Reader) -> Iterator[dict[str, Any]]:
        offset = None
        while True:
            page, offset = self.documents(reader, limit=256, offset=offset)
            yield from page
            if offset is None:
                return

    def chunks(self, reader: Reader, doc_id: str, kind: str = "chunk") -> list[dict[str, Any]]:
        """The live parts of one document (passages by default), in order."""
        found: list[dict[str, Any]] = []
        offset = None
        while True:
            hits, offset = self._scroll({"kind": kind, "state": "live", "doc_id": doc_id, **reader.conditions()}, limit=256, offset=offset)
            found.extend(hit.payload for hit in hits)
            if offset is None:
                return sorted(found, key=lambda payload: payload["chunk_index"])

    def count_documents(self, reader: Reader, where: dict[str, list[str]] | None = None) -> int:
        """How many document records `reader` may see match `where` (as in `documents`)."""
        return self._count(_document_fields(reader, where))

    def count_chunks(self, reader: Reader, filters: SearchFilters | None = None, kind: str = "chunk") -> int:
        return self._count({"kind": kind, "state": "live"}, reader.restrict(filters or SearchFilters()))

    def search_ef(self) -> int:
        """The HNSW candidate list of a dense search: `hnsw_ef` if set, else `auto_hnsw_ef` of the
        live passages, counted again at most once a minute (another process may write a server)."""
        if self.hnsw_ef is not None:
            return self.hnsw_ef
        cached = self._auto_ef
        if cached is None or time.monotonic() - cached[0] > _AUTO_EF_REFRESH_SECONDS:
            cached = self._auto_ef = (time.monotonic(), auto_hnsw_ef(self.count_chunks(ALL_DOCUMENTS)))
        return cached[1]

    def facet(self, reader: Reader, key: str, filters: SearchFilters | None = None, kind: str = "chunk") -> dict[Any, int]:
        """Counts of the live parts of `kind` that `reader` may see, per value of `key`."""
        return self._facet(key, reader.restrict(filters or SearchFilters()), kind)

    def stamp_missing_access(self, groups: list[str]) -> int:
        """Give every point stored without `access` (an index built before access existed) the
        groups `groups` (`AHADI_DEFAULT_ACCESS`); returns how many there were. Done once when the
        facade opens the store, so the read filter stays one condition on an indexed field (an
        "or no access at all" branch would be on every query), and a record and its parts agree."""
        with self.write_lock:
            missing = self._count({"access": None})
            if missing:
                self._set_payload({"access": None}, {"access": list(groups)})
            return missing

    # --- snapshot and restore (index/store/backup.py) -------------------------------------
    def export_points(self, batch: int = 256) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
        """Every point as it is stored (document records, live and pending parts), in id order, as
        ``(point id, {"dense": [floats], "bm25": SparseVector}, payload)``. Hold `write_lock`
        while iterating to get one consistent state (commits wait; searches go on)."""
        offset = None
        while True:
            hits, offset = self._scroll({}, limit=batch, offset=offset, with_vectors=True)
            for hit in hits:
                payload = dict(hit.payload)
                raw = payload.pop("_vectors", None) or {}
                yield hit.point_id, _plain_vectors(raw), payload
            if offset is None:
                return

    def import_points(self, points: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> None:
        """Write points exactly as `export_points` gave them (ids, vectors and payloads kept)."""
        with self.write_lock:
            self._upsert(points)

    def count_points(self, must: dict[str, Any] | None = None) -> int:
        """Points of any kind and state whose fields equal `must` (all points without it)."""
        return self._count(dict(must or {}))

    def __enter__(self) -> "ChunkStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _document_fields(reader: Reader, where: dict[str, list[str]] | None) -> dict[str, Any]:
    return {"kind": "document", **{key: list(values) for key, values in (where or {}).items() if values}, **reader.conditions()}


def _vectors(chunk: ChunkPoint) -> dict[str, Any]:
    vectors: dict[str, Any] = {DENSE: list(chunk.dense)}
    if chunk.sparse is not None and chunk.sparse.indices:
        vectors[SPARSE] = chunk.sparse
    return vectors


def _plain_vectors(raw: Any) -> dict[str, Any]:
    """A backend's stored vectors as {"dense": [floats], "bm25": SparseVector}."""
    if not isinstance(raw, dict):  # an unnamed vector
        return {DENSE: [float(v) for v in raw]} if raw is not None else {}
    vectors: dict[str, Any] = {}
    for name, value in raw.items():
        if hasattr(value, "indices") and hasattr(value, "values"):
            vectors[name] = SparseVector([int(i) for i in value.indices], [float(v) for v in value.values])
        else:
            vectors[name] = [float(v) for v in value]
    return vectors
