"""Embedded backend: Qdrant Edge, the Qdrant engine in this process, under a data directory."""

from __future__ import annotations

import fcntl
import json
from pathlib import Path
from typing import Any

import qdrant_edge as qe

from index.store.base import (
    CONFIDENCE_FIELD, DENSE, FLOAT_FIELDS, FULL_SCAN_THRESHOLD_KB, HNSW_EF_CONSTRUCT, HNSW_M, INTEGER_FIELDS, KEYWORD_FIELDS,
    QUANTIZED_OVERSAMPLING, SPARSE, ChunkStore, Hit, SearchFilters, SparseVector,
)


# Points whose ranking fields are kept at most (a 100k-passage index has about 125k with its sections).
_FIELD_CACHE_LIMIT = 262_144


# See `QUANTIZED_OVERSAMPLING`. An exact search (`exact=True`) reads the float vectors anyway.
_RESCORED = qe.QuantizationSearchParams(rescore=True, oversampling=QUANTIZED_OVERSAMPLING)


class StoreLockedError(RuntimeError):
    """Another process holds the embedded store."""


def stored_dimension(path: Path) -> int | None:
    """The vector size of the Qdrant Edge shard at `path`, or None when there is none yet: a
    store opened for reading, deleting or a snapshot need not load the model to learn it."""
    try:
        config = json.loads((Path(path) / "edge_config.json").read_text(encoding="utf-8"))
        return int(config["vectors"][DENSE]["size"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise RuntimeError(f"cannot read the vector size of the index at {path} ({error})") from None


class EdgeStore(ChunkStore):
    """A Qdrant Edge shard at `path` (created on first use). One process may open it at a time."""

    def __init__(self, path: Path, dimension: int, hnsw_ef: int | None = None):
        super().__init__()
        self.path = Path(path)
        self.dimension = dimension
        self.hnsw_ef = hnsw_ef
        # Facet counts (the Searcher asks for the language facet on every search) only change when
        # the store does: they are cached, and every write starts a new generation.
        self._generation = 0
        self._facet_cache: dict[tuple, tuple[int, dict[Any, int]]] = {}
        # Ranking reads a few payload fields (`fields`) of every candidate, about 150 per search, and
        # reading them from the on-disk payloads is a share of the search, which holds the GIL
        # (BENCHMARKS.md, "Session 9"). A point's fields only change when the store does: they are
        # kept, per point, until the next write, which starts a new generation (and a new dict).
        self._field_cache: dict[tuple[str, ...], dict[str, dict[str, Any]]] = {}
        self._field_values: dict[Any, dict[str, Any]] = {}
        self._lock = _lock_exclusively(self.path)
        try:
            if (self.path / "wal").exists():
                self._shard = qe.EdgeShard.load(str(self.path), _edge_config(dimension, new=False))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._shard = qe.EdgeShard.create(str(self.path), _edge_config(dimension, new=True))
        except Exception as error:
            self._lock.close()
            if "incompatible" in str(error).lower() or "size" in str(error).lower():
                raise RuntimeError(
                    f"the index at {self.path} was built for another vector size than the model's {dimension}: "
                    f"use another --data-dir or rebuild it ({error})"
                ) from error
            raise
        for key in KEYWORD_FIELDS:
            self._shard.update(qe.UpdateOperation.create_field_index(key, qe.PayloadSchemaType.Keyword))
        for key in INTEGER_FIELDS:
            self._shard.update(qe.UpdateOperation.create_field_index(key, qe.PayloadSchemaType.Integer))
        for key in FLOAT_FIELDS:
            self._shard.update(qe.UpdateOperation.create_field_index(key, qe.PayloadSchemaType.Float))
        self.recover()

    # --- writes ---------------------------------------------------------------------------
    def _upsert(self, points: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> None:
        if not points:
            return
        edge_points = [
            qe.Point(id=point_id, vector={name: _edge_vector(value) for name, value in vectors.items()}, payload=payload)
            for point_id, vectors, payload in points
        ]
        self._shard.update(qe.UpdateOperation.upsert_points(edge_points))
        self._changed()

    def _set_payload(self, must: dict[str, Any], payload: dict[str, Any], must_not: dict[str, Any] | None = None) -> None:
        self._shard.update(qe.UpdateOperation.set_payload_by_filter(_equals_filter(must, must_not), payload))
        self._changed()

    def _delete(self, must: dict[str, Any], must_not: dict[str, Any] | None = None) -> None:
        self._shard.update(qe.UpdateOperation.delete_points_by_filter(_equals_filter(must, must_not)))
        self._changed()

    def _changed(self) -> None:
        self._generation += 1
        self._facet_cache.clear()
        self._field_cache = {}
        self._field_values = {}

    # --- reads ----------------------------------------------------------------------------
    def _query(
        self, dense, filters, limit, kind, fields=None, exact: bool = False, hnsw_ef: int | None = None, acorn: bool = False,
    ) -> list[Hit]:
        """`exact` forces a full scan (the ground truth for HNSW recall); `hnsw_ef` overrides the
        HNSW candidate list (`search_ef()`); `acorn` turns on Qdrant's ACORN traversal for filtered
        searches whatever their selectivity: for benchmarks and diagnostics."""
        ef = self.search_ef() if hnsw_ef is None else hnsw_ef  # 0: Qdrant's own default
        if exact:
            params = qe.SearchParams(exact=True)
        else:
            params = qe.SearchParams(
                hnsw_ef=ef or None, acorn=qe.AcornSearchParams(enable=True, max_selectivity=1.0) if acorn else None,
                quantization=_RESCORED,
            )
        request = qe.QueryRequest(
            limit=limit, query=qe.Query.Nearest(list(dense), using=DENSE), filter=_search_filter(filters, base={"kind": kind, "state": "live"}),
            with_payload=fields is None, params=params,
        )
        points = self._shard.query(request)
        if fields is None:
            return [Hit(str(point.id), point.score, point.payload or {}) for point in points]
        found = [(str(point.id), point.score) for point in points]
        payloads = self._fields_of([point_id for point_id, _ in found], fields)
        # A point deleted between the search and the read of its fields is left out, as `payloads` does.
        return [Hit(point_id, score, payloads[point_id]) for point_id, score in found if point_id in payloads]

    def _fields_of(self, point_ids: list[str], fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        """The payload `fields` of `point_ids`: those this generation of the store has read already,
        the rest read now (and kept unless a write began meanwhile)."""
        generation = self._generation
        cache = self._field_cache.setdefault(fields, {})
        # .get, not `in` then [ ]: another request's thread may empty the cache in between
        known = {point_id: fields_ for point_id in point_ids if (fields_ := cache.get(point_id)) is not None}
        missing = [point_id for point_id in point_ids if point_id not in known]
        if missing:
            # The passages of a document share their fields' values: one dict for each set of
            # values keeps the cache at less than half the memory.
            shared = self._field_values
            read = {
                str(record.id): _shared(shared, record.payload or {})
                for record in self._shard.retrieve(missing, with_payload=_payload_selector(fields), with_vector=False)
            }
            known.update(read)
            if self._generation == generation:
                if len(cache) + len(read) > _FIELD_CACHE_LIMIT:
                    cache.clear()
                    shared.clear()
                cache.update(read)
        return known

    def keep_fields(self, fields: tuple[str, ...], kinds: tuple[str, ...]) -> None:
        """Read `fields` of every live part of `kinds` (up to the cache's limit) into the cache
        that `_fields_of` serves: searches then read none from the on-disk payloads."""
        generation = self._generation
        cache = self._field_cache.setdefault(fields, {})
        shared = self._field_values
        condition = qe.Filter(must=[_match("kind", list(kinds)), _match("state", "live")])
        offset = None
        while len(cache) < _FIELD_CACHE_LIMIT:
            records, offset = self._shard.scroll(
                qe.ScrollRequest(offset=offset, limit=10_000, filter=condition, with_payload=_payload_selector(fields), with_vector=False)
            )
            if self._generation != generation:
                return  # a write began: its searches read afresh
            cache.update((str(record.id), _shared(shared, record.payload or {})) for record in records)
            if offset is None:
                return

    def _query_sparse(self, sparse, filters, limit, kind, fields=None) -> list[Hit]:
        request = qe.QueryRequest(
            limit=limit, query=qe.Query.Nearest(_edge_vector(sparse), using=SPARSE),
            filter=_search_filter(filters, base={"kind": kind, "state": "live"}), with_payload=_payload_selector(fields),
        )
        return [Hit(str(point.id), point.score, point.payload or {}) for point in self._shard.query(request)]

    def _scroll(self, must, limit, offset, with_vectors=False):
        records, next_offset = self._shard.scroll(
            qe.ScrollRequest(
                offset=offset, limit=limit, filter=_equals_filter(must), with_payload=True, with_vector=with_vectors
            )
        )
        hits = [Hit(str(r.id), 0.0, {**(r.payload or {}), **({"_vectors": r.vector} if with_vectors else {})}) for r in records]
        return hits, (str(next_offset) if next_offset is not None else None)

    def _count(self, must, filters=None) -> int:
        condition = _equals_filter(must) if filters is None else _search_filter(filters, base=must)
        return self._shard.count(qe.CountRequest(filter=condition, exact=True))

    def _facet(self, key, filters, kind) -> dict[Any, int]:
        # An exact facet counts every matching point, and the Searcher asks for one on every search:
        # cached per generation of the store. An answer computed while a write ran is not kept.
        cache_key = (key, kind, repr(filters))
        generation = self._generation
        cached = self._facet_cache.get(cache_key)
        if cached is not None and cached[0] == generation:
            return dict(cached[1])
        response = self._shard.facet(qe.FacetRequest(key=key, limit=1000, exact=True, filter=_search_filter(filters, base={"kind": kind, "state": "live"})))
        counts = {hit.value: hit.count for hit in response}
        if self._generation == generation:
            if len(self._facet_cache) >= 512:
                self._facet_cache.clear()
            self._facet_cache[cache_key] = (generation, counts)
        return dict(counts)

    def _retrieve(self, point_ids: list[str]) -> list[Hit]:
        return [Hit(str(r.id), 0.0, r.payload or {}) for r in self._shard.retrieve(point_ids, with_payload=True, with_vector=False)]

    def flush(self) -> None:
        """Persist what was written, then build the HNSW and payload indexes of any segment that has
        grown past Qdrant's indexing threshold (about 10k vectors; a no-op otherwise).

        Qdrant Edge runs no optimizer in the background: without this, nothing ever called
        `optimize()` and every search scanned all vectors (BENCHMARKS.md: at 100k chunks an exact
        search costs several times an HNSW one). `Ahadi.ingest` and the API's writes end with a flush,
        so a large ingestion pays the index build once, at its end.
        """
        self._shard.flush()
        self._shard.optimize()

    def optimize(self) -> bool:
        """Build HNSW and payload indexes for what was written (search is exact until then)."""
        return self._shard.optimize()

    def close(self) -> None:
        if self._shard is not None:
            self._shard.flush()
            self._shard.close()
            self._shard = None
            self._lock.close()


def _edge_config(dimension: int, new: bool) -> qe.EdgeConfig:
    """The shard's configuration. The int8 copy and the graph's build settings (`QUANTIZED_OVERSAMPLING`,
    `HNSW_EF_CONSTRUCT`) are given to a new shard only. Given to an existing one they would rebuild its
    whole graph in the `optimize()` that ends its next write, inside that write; left unspecified,
    the shard keeps what it was built with (Qdrant Edge reads it from its `edge_config.json`). An
    older index gets them when it is rebuilt from a snapshot (`ahadi snapshot`, `ahadi restore`)."""
    return qe.EdgeConfig(
        vectors={DENSE: qe.EdgeVectorParams(size=dimension, distance=qe.Distance.Cosine)},
        sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
        quantization_config=qe.ScalarQuantizationConfig(type=qe.ScalarType.Int8, always_ram=True) if new else None,
        hnsw_config=qe.HnswIndexConfig(m=HNSW_M, ef_construct=HNSW_EF_CONSTRUCT, full_scan_threshold=FULL_SCAN_THRESHOLD_KB) if new else None,
        # Payloads (chunk texts) stay on disk, as Qdrant server's default: searches filter on the
        # payload indexes, which stay in memory, and read payloads for the few hits only.
        on_disk_payload=True,
    )


def check_not_locked(path: Path) -> None:
    """Raise `StoreLockedError` now if another process holds the store at `path`: callers check
    before the slow model load, so the user learns it in a second. (Opening takes the lock for real.)"""
    _lock_exclusively(path).close()


def _lock_exclusively(path: Path):
    """Hold `path`'s lock file for this process's lifetime of the store.

    Qdrant Edge refuses a second opener only when it reaches the WAL, after it has already touched
    other files of the shard; taking our own lock first keeps a second process away entirely.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path.parent / f".{path.name}.lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise StoreLockedError(
            f"the index at {path} is open in another process (is `ahadi serve` running?). "
            "Send documents through its API (`ahadi ingest --api URL`), or stop it first."
        ) from None
    return handle


def _edge_vector(value):
    if isinstance(value, SparseVector):
        return qe.SparseVector(list(value.indices), [float(v) for v in value.values])
    if type(value) is list:
        # The binding converts each element itself (floats, ints, numpy scalars): copying a
        # 384-float list in Python first cost a quarter of the upsert time.
        return value
    if hasattr(value, "tolist"):
        return value.tolist()
    return [float(v) for v in value]


def _shared(shared: dict[Any, dict[str, Any]], payload: dict[str, Any]) -> dict[str, Any]:
    """The dict in `shared` equal to `payload` (which becomes it when there is none); `payload`
    itself when a value cannot be a key (a dict or list)."""
    try:
        return shared.setdefault(tuple(payload.items()), payload)
    except TypeError:
        return payload


def _payload_selector(fields: tuple[str, ...] | None):
    return True if fields is None else qe.PayloadSelector.Include(list(fields))


def _match(key: str, value: Any):
    if value is None:  # no value: absent, null or an empty list
        return qe.IsEmptyCondition(key)
    if isinstance(value, (list, tuple)):
        return qe.FieldCondition(key=key, match=qe.MatchAny(list(value)))
    return qe.FieldCondition(key=key, match=qe.MatchValue(value))


def _equals_filter(must: dict[str, Any], must_not: dict[str, Any] | None = None) -> qe.Filter:
    return qe.Filter(
        must=[_match(key, value) for key, value in must.items()],
        must_not=[_match(key, value) for key, value in (must_not or {}).items()] or None,
    )


def _search_filter(filters: SearchFilters, base: dict[str, Any]) -> qe.Filter:
    must = [_match(key, value) for key, value in base.items()]
    must += [_match(key, values) for key, values in filters.keyword_conditions().items()]
    if filters.date_from is not None or filters.date_to is not None:
        must.append(
            qe.FieldCondition(
                key="date_num",
                range=qe.RangeFloat(
                    gte=None if filters.date_from is None else float(filters.date_from),
                    lte=None if filters.date_to is None else float(filters.date_to),
                ),
            )
        )
    if filters.min_confidence is not None:
        must.append(qe.FieldCondition(key=CONFIDENCE_FIELD, range=qe.RangeFloat(gte=float(filters.min_confidence))))
    must += [qe.IsEmptyCondition(key) for key in filters.missing]
    must_not = [_match("doc_id", filters.exclude_doc_ids)] if filters.exclude_doc_ids else None
    return qe.Filter(must=must, must_not=must_not)
