"""Server backend: a Qdrant server or cluster through qdrant-client (or its local mode, for tests)."""

from __future__ import annotations

from typing import Any

from qdrant_client import QdrantClient, models

from index.store.base import (
    CONFIDENCE_FIELD, DENSE, FLOAT_FIELDS, FULL_SCAN_THRESHOLD_KB, HNSW_EF_CONSTRUCT, HNSW_M, INTEGER_FIELDS, KEYWORD_FIELDS,
    QUANTIZED_OVERSAMPLING, SPARSE, ChunkStore, Hit, NoIndexYet, SearchFilters, SparseVector,
)



# See `QUANTIZED_OVERSAMPLING`: made once, as the embedded store's twin in `edge.py`.
_RESCORED = models.QuantizationSearchParams(rescore=True, oversampling=QUANTIZED_OVERSAMPLING)


class ServerStore(ChunkStore):
    """A collection on a Qdrant server. `client` is any QdrantClient: remote, or local mode in tests."""

    def __init__(self, client: QdrantClient, collection: str, dimension: int | None, hnsw_ef: int | None = None):
        """`dimension` None opens an existing collection whatever its size (snapshots need no model)."""
        super().__init__()
        self.hnsw_ef = hnsw_ef
        self.client = client
        self.collection = collection
        self.dimension = dimension
        exists = client.collection_exists(collection)
        if not exists and dimension is None:
            raise NoIndexYet(f"collection {collection!r} does not exist on the Qdrant server")
        if not exists:
            client.create_collection(
                collection,
                vectors_config={
                    DENSE: models.VectorParams(
                        size=dimension, distance=models.Distance.COSINE,
                        quantization_config=models.ScalarQuantization(
                            scalar=models.ScalarQuantizationConfig(type=models.ScalarType.INT8, always_ram=True)
                        ),
                    )
                },
                sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)},
                hnsw_config=models.HnswConfigDiff(m=HNSW_M, ef_construct=HNSW_EF_CONSTRUCT, full_scan_threshold=FULL_SCAN_THRESHOLD_KB),
            )
        else:
            existing = client.get_collection(collection).config.params.vectors
            size = existing[DENSE].size if isinstance(existing, dict) and DENSE in existing else None
            if dimension is None:
                self.dimension = size
            elif size != dimension:
                raise RuntimeError(
                    f"collection {collection!r} holds vectors of size {size}, the model makes {dimension}: "
                    "use another collection (AHADI_COLLECTION) or rebuild it"
                )
        # A collection made before a field was indexed (`access`) gets its index now.
        indexed = client.get_collection(collection).payload_schema or {}
        for keys, schema in ((KEYWORD_FIELDS, models.PayloadSchemaType.KEYWORD), (INTEGER_FIELDS, models.PayloadSchemaType.INTEGER),
                             (FLOAT_FIELDS, models.PayloadSchemaType.FLOAT)):
            for key in keys:
                if key not in indexed:
                    client.create_payload_index(collection, key, schema)

    @classmethod
    def connect(cls, url: str, api_key: str | None, collection: str, dimension: int | None, hnsw_ef: int | None = None) -> "ServerStore":
        return cls(QdrantClient(url=url, api_key=api_key), collection, dimension, hnsw_ef)

    # --- writes ---------------------------------------------------------------------------
    def _upsert(self, points: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> None:
        if not points:
            return
        self.client.upsert(
            self.collection,
            points=[
                models.PointStruct(id=point_id, vector={k: _client_vector(v) for k, v in vectors.items()}, payload=payload)
                for point_id, vectors, payload in points
            ],
            wait=True,
        )

    def _set_payload(self, must, payload, must_not=None) -> None:
        self.client.set_payload(self.collection, payload=payload, points=_equals_filter(must, must_not), wait=True)

    def _delete(self, must, must_not=None) -> None:
        self.client.delete(self.collection, points_selector=models.FilterSelector(filter=_equals_filter(must, must_not)), wait=True)

    # --- reads ----------------------------------------------------------------------------
    def _query(self, dense, filters, limit, kind, fields=None) -> list[Hit]:
        response = self.client.query_points(
            self.collection, query=list(dense), using=DENSE, query_filter=_search_filter(filters, base={"kind": kind, "state": "live"}),
            limit=limit, with_payload=True if fields is None else list(fields),
            search_params=models.SearchParams(hnsw_ef=self.search_ef(), quantization=_RESCORED),
        )
        return [Hit(str(p.id), p.score, p.payload or {}) for p in response.points]

    def _query_sparse(self, sparse, filters, limit, kind, fields=None) -> list[Hit]:
        response = self.client.query_points(
            self.collection, query=_client_vector(sparse), using=SPARSE, query_filter=_search_filter(filters, base={"kind": kind, "state": "live"}),
            limit=limit, with_payload=True if fields is None else list(fields),
        )
        return [Hit(str(p.id), p.score, p.payload or {}) for p in response.points]

    def _scroll(self, must, limit, offset, with_vectors=False):
        records, next_offset = self.client.scroll(
            self.collection, scroll_filter=_equals_filter(must), limit=limit, offset=offset,
            with_payload=True, with_vectors=with_vectors,
        )
        hits = [Hit(str(r.id), 0.0, {**(r.payload or {}), **({"_vectors": r.vector} if with_vectors else {})}) for r in records]
        return hits, (str(next_offset) if next_offset is not None else None)

    def _count(self, must, filters=None) -> int:
        condition = _equals_filter(must) if filters is None else _search_filter(filters, base=must)
        return self.client.count(self.collection, count_filter=condition, exact=True).count

    def _facet(self, key, filters, kind) -> dict[Any, int]:
        response = self.client.facet(self.collection, key=key, facet_filter=_search_filter(filters, base={"kind": kind, "state": "live"}), limit=1000, exact=True)
        return {hit.value: hit.count for hit in response.hits}

    def _retrieve(self, point_ids: list[str]) -> list[Hit]:
        return [Hit(str(r.id), 0.0, r.payload or {}) for r in self.client.retrieve(self.collection, point_ids, with_payload=True)]

    def flush(self) -> None:
        """Writes are acknowledged with wait=True; nothing is buffered here."""

    def close(self) -> None:
        self.client.close()


def _client_vector(value):
    if isinstance(value, SparseVector):
        return models.SparseVector(indices=list(value.indices), values=[float(v) for v in value.values])
    return [float(v) for v in value]


def _match(key: str, value: Any):
    if value is None:  # no value: absent, null or an empty list
        return models.IsEmptyCondition(is_empty=models.PayloadField(key=key))
    if isinstance(value, (list, tuple)):
        return models.FieldCondition(key=key, match=models.MatchAny(any=list(value)))
    return models.FieldCondition(key=key, match=models.MatchValue(value=value))


def _equals_filter(must: dict[str, Any], must_not: dict[str, Any] | None = None) -> models.Filter:
    return models.Filter(
        must=[_match(key, value) for key, value in must.items()],
        must_not=[_match(key, value) for key, value in (must_not or {}).items()] or None,
    )


def _search_filter(filters: SearchFilters, base: dict[str, Any]) -> models.Filter:
    must = [_match(key, value) for key, value in base.items()]
    must += [_match(key, values) for key, values in filters.keyword_conditions().items()]
    if filters.date_from is not None or filters.date_to is not None:
        must.append(models.FieldCondition(key="date_num", range=models.Range(gte=filters.date_from, lte=filters.date_to)))
    if filters.min_confidence is not None:
        must.append(models.FieldCondition(key=CONFIDENCE_FIELD, range=models.Range(gte=filters.min_confidence)))
    must += [models.IsEmptyCondition(is_empty=models.PayloadField(key=key)) for key in filters.missing]
    must_not = [_match("doc_id", filters.exclude_doc_ids)] if filters.exclude_doc_ids else None
    return models.Filter(must=must, must_not=must_not)
