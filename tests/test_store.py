"""The store protocol on both backends: same answers, whole-or-nothing writes, recovery.

Vectors here are small random ones: the store's behaviour does not depend on where vectors come
from, and this keeps these tests to milliseconds. The real model's vectors go through both
backends in tests/test_pipeline.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import qdrant_edge as qe
from qdrant_client import QdrantClient

from tests.conftest import comparable_ranking

from index.access import ALL_DOCUMENTS
from index.store import ChunkPoint, EdgeStore, SearchFilters, ServerStore, SparseVector, StoreLockedError
from index.store.backup import restore, snapshot
from index.store.base import HNSW_EF_CONSTRUCT

DIM = 16


def make_store(kind: str, tmp_path):
    if kind == "edge":
        return EdgeStore(tmp_path / "edge", DIM)
    return ServerStore(QdrantClient(":memory:"), "test", DIM)


def sample_documents(seed: int = 0):
    rng = np.random.default_rng(seed)
    languages = ["sv", "fa", "sw", "cnr", "en"]
    docs = []
    for d, lang in enumerate(languages):
        record = {
            "doc_id": f"doc{d}",
            "version": "v1",
            "title": f"Title {d}",
            "language": lang,
            "country": ["SE", "IR", "GB", "ME", "GB"][d],
            "date_num": 20200101 + d * 10000,
            "year": 2020 + d,
            "organisations": ["Polisen", f"Org {d}"],
        }
        chunks = [
            ChunkPoint(
                doc_id=f"doc{d}",
                chunk_index=i,
                dense=rng.normal(size=DIM).tolist(),
                sparse=SparseVector([d, 100 + i], [1.0 + 0.1 * i + 0.013 * d, 0.5 + 0.07 * d]),  # no score ties: engines order ties differently
                payload={"chunk_index": i, "text": f"text {d}.{i}", **{k: record[k] for k in ("language", "country", "date_num", "year", "organisations")}},
            )
            for i in range(3)
        ]
        docs.append((record, chunks))
    return docs


@pytest.fixture(params=["edge", "server"])
def store(request, tmp_path):
    s = make_store(request.param, tmp_path)
    for record, chunks in sample_documents():
        s.write_document(record, chunks)
    yield s
    s.close()


def test_automatic_hnsw_ef_grows_with_the_passages(store, monkeypatch):
    from index.store import base
    from index.store.base import MAX_AUTO_HNSW_EF, MIN_AUTO_HNSW_EF, auto_hnsw_ef

    assert [auto_hnsw_ef(n) for n in (0, 100_000, 250_000, 1_000_000, 10_000_000)] == [MIN_AUTO_HNSW_EF, 256, 256, 1000, MAX_AUTO_HNSW_EF]
    assert store.hnsw_ef is None and store.search_ef() == MIN_AUTO_HNSW_EF  # 15 passages
    # The count is cached for a minute, then taken again.
    monkeypatch.setattr(store, "count_chunks", lambda filters=None, kind="chunk": 600_000)
    assert store.search_ef() == MIN_AUTO_HNSW_EF
    clock = base.time.monotonic() + base._AUTO_EF_REFRESH_SECONDS + 1
    monkeypatch.setattr(base.time, "monotonic", lambda: clock)
    assert store.search_ef() == 600
    store.hnsw_ef = 64
    assert store.search_ef() == 64


def test_counts_and_records(store):
    assert store.count_documents(ALL_DOCUMENTS) == 5
    assert store.count_chunks(ALL_DOCUMENTS) == 15
    assert store.document(ALL_DOCUMENTS, "doc1")["language"] == "fa"
    assert store.document(ALL_DOCUMENTS, "missing") is None
    assert [c["chunk_index"] for c in store.chunks(ALL_DOCUMENTS, "doc2")] == [0, 1, 2]


def test_filters(store):
    query = np.ones(DIM).tolist()
    hits = store.search(ALL_DOCUMENTS, query, SearchFilters(languages=["fa", "sw"]), limit=20)
    assert {h.payload["doc_id"] for h in hits} == {"doc1", "doc2"}
    hits = store.search(ALL_DOCUMENTS, query, SearchFilters(countries=["GB"], date_from=20230101), limit=20)
    assert {h.payload["doc_id"] for h in hits} == {"doc4"}
    hits = store.search(ALL_DOCUMENTS, query, SearchFilters(organisations=["Org 3"]), limit=20)
    assert {h.payload["doc_id"] for h in hits} == {"doc3"}
    hits = store.search(ALL_DOCUMENTS, query, SearchFilters(years=[2021, 2023], countries=["IR", "ME", "GB"]), limit=20)
    assert {h.payload["doc_id"] for h in hits} == {"doc1", "doc3"}
    hits = store.search(ALL_DOCUMENTS, query, SearchFilters(exclude_doc_ids=["doc0", "doc1"]), limit=20)
    assert {h.payload["doc_id"] for h in hits} == {"doc2", "doc3", "doc4"}



def test_a_confidence_bound_keeps_the_surer_commitments(store):
    rng = np.random.default_rng(5)
    confidences = [0.7, 0.9, None]  # the last one decided by the rules: no confidence
    store.write_document({"doc_id": "pledge", "version": "v1", "language": "sv"}, [
        ChunkPoint(doc_id="pledge", chunk_index=i, dense=rng.normal(size=DIM).tolist(), kind="commitment",
                   payload={"chunk_index": i, "text": f"c{i}", "language": "sv", "commitment": {"confidence": c}})
        for i, c in enumerate(confidences)
    ])

    def found(bound):
        hits = store.search(ALL_DOCUMENTS, np.ones(DIM).tolist(), SearchFilters(min_confidence=bound), limit=10, kind="commitment")
        return sorted(h.payload["chunk_index"] for h in hits)

    assert found(None) == [0, 1, 2]
    assert found(0.7) == [0, 1]
    assert found(0.8) == [1]

def test_replace_keeps_only_new_version(store):
    record = {"doc_id": "doc0", "version": "v2", "title": "New", "language": "sv"}
    store.write_document(record, [ChunkPoint("doc0", 0, np.ones(DIM).tolist(), {"chunk_index": 0, "text": "new", "language": "sv"})])
    assert [c["text"] for c in store.chunks(ALL_DOCUMENTS, "doc0")] == ["new"]
    assert store.document(ALL_DOCUMENTS, "doc0")["version"] == "v2"
    assert store.count_chunks(ALL_DOCUMENTS) == 13


def test_delete(store):
    assert store.delete_document("doc3") is True
    assert store.delete_document("doc3") is False
    assert store.count_documents(ALL_DOCUMENTS) == 4
    assert store.count_chunks(ALL_DOCUMENTS) == 12
    assert store.chunks(ALL_DOCUMENTS, "doc3") == []


def test_search_with_a_few_fields_then_the_whole_payloads_of_the_kept_hits(store):
    """The Searcher ranks on a few payload fields and reads whole payloads for its page only; a hit
    deleted (or hidden from the reader) in between is not returned."""
    query = np.ones(DIM).tolist()
    whole = store.search(ALL_DOCUMENTS, query, limit=20)
    light = store.search(ALL_DOCUMENTS, query, limit=20, fields=("doc_id", "language"))
    assert [(h.point_id, h.score) for h in light] == [(h.point_id, h.score) for h in whole]
    assert all(set(h.payload) == {"doc_id", "language"} for h in light)
    page = [h.point_id for h in light[:6]]
    assert store.payloads(ALL_DOCUMENTS, page) == {h.point_id: h.payload for h in whole[:6]}
    gone = light[0].payload["doc_id"]
    store.delete_document(gone)
    assert set(store.payloads(ALL_DOCUMENTS, page)) == {h.point_id for h in light[:6] if h.payload["doc_id"] != gone}


def test_the_few_fields_follow_a_rewrite(store):
    """The embedded store keeps the ranking fields it has read until the next write: a document
    written again in another language (same version, so the same point ids) is ranked with its
    new language at once."""
    query = np.ones(DIM).tolist()
    before = {h.point_id: h.payload for h in store.search(ALL_DOCUMENTS, query, limit=20, fields=("doc_id", "language"))}
    assert before == {h.point_id: h.payload for h in store.search(ALL_DOCUMENTS, query, limit=20, fields=("doc_id", "language"))}
    record, chunks = sample_documents()[0]
    store.write_document({**record, "language": "en"}, [
        ChunkPoint(doc_id=c.doc_id, chunk_index=c.chunk_index, dense=c.dense, sparse=c.sparse, payload={**c.payload, "language": "en"})
        for c in chunks
    ])
    after = store.search(ALL_DOCUMENTS, query, limit=20, fields=("doc_id", "language"))
    assert {h.payload["language"] for h in after if h.payload["doc_id"] == record["doc_id"]} == {"en"}
    assert [(h.point_id, h.score) for h in after] == [(h.point_id, h.score) for h in store.search(ALL_DOCUMENTS, query, limit=20)]


def test_fields_read_ahead_serve_the_searches(tmp_path):
    """After `keep_fields` (a server warming up) the embedded store ranks without reading a payload."""
    store = make_store("edge", tmp_path)
    for record, chunks in sample_documents():
        store.write_document(record, chunks)
    query = np.ones(DIM).tolist()
    whole = store.search(ALL_DOCUMENTS, query, limit=20)
    store.keep_fields(("doc_id", "language"), ("chunk",))

    class NoPayloadReads:
        def __init__(self, shard):
            self.shard = shard

        def __getattr__(self, name):
            assert name != "retrieve", "a payload was read"
            return getattr(self.shard, name)

    shard, store._shard = store._shard, NoPayloadReads(store._shard)
    try:
        light = store.search(ALL_DOCUMENTS, query, limit=20, fields=("doc_id", "language"))
    finally:
        store._shard = shard
    assert [(h.point_id, h.score, h.payload) for h in light] == [
        (h.point_id, h.score, {"doc_id": h.payload["doc_id"], "language": h.payload["language"]}) for h in whole
    ]
    store.close()


def test_facets_follow_filters(store):
    assert store.facet(ALL_DOCUMENTS, "language") == {"sv": 3, "fa": 3, "sw": 3, "cnr": 3, "en": 3}
    assert store.facet(ALL_DOCUMENTS, "country", SearchFilters(languages=["en", "sw"])) == {"GB": 6}


def test_backends_give_the_same_answers(tmp_path):
    """Congruence: same data, same queries → same ids, order and scores on Edge and the server API."""
    stores = [make_store("edge", tmp_path), make_store("server", tmp_path)]
    for s in stores:
        for record, chunks in sample_documents(seed=7):
            s.write_document(record, chunks)
    rng = np.random.default_rng(1)
    for _ in range(10):
        query = rng.normal(size=DIM).tolist()
        for sparse in (None, SparseVector([1, 2, 101], [1.0, 1.0, 1.0])):
            for filters in (SearchFilters(), SearchFilters(languages=["sv", "fa"]), SearchFilters(date_to=20221231)):
                answers = [_comparable(s.search(ALL_DOCUMENTS, query, filters, 8, sparse)) for s in stores]
                assert answers[0] == answers[1]
    for s in stores:
        s.close()


def _comparable(hits):
    return comparable_ranking([(f"{h.payload['doc_id']}#{h.payload['chunk_index']}", h.score) for h in hits])


def test_interrupted_write_is_invisible_then_recovered(tmp_path):
    """A crash after the chunks were written but before the commit point leaves no trace."""
    store = make_store("edge", tmp_path)
    record, chunks = sample_documents()[0]
    store.write_document(record, chunks)
    new_chunks = [ChunkPoint("doc0", i, np.ones(DIM).tolist(), {"chunk_index": i, "text": "v2"}) for i in range(4)]
    # Step 1 of the protocol only: pending chunks of a new version, no commit point.
    store._upsert([(f"00000000-0000-0000-0000-00000000000{i}", {"dense": c.dense}, {**c.payload, "kind": "chunk", "state": "pending", "doc_id": "doc0", "version": "v2"}) for i, c in enumerate(new_chunks)])
    assert [c["text"] for c in store.chunks(ALL_DOCUMENTS, "doc0")] == ["text 0.0", "text 0.1", "text 0.2"]
    assert store.count_chunks(ALL_DOCUMENTS) == 3
    store.close()
    reopened = make_store("edge", tmp_path)
    assert reopened._count({"kind": "chunk", "state": "pending"}) == 0
    assert reopened.document(ALL_DOCUMENTS, "doc0")["version"] == "v1"
    assert reopened.count_chunks(ALL_DOCUMENTS) == 3
    reopened.close()


def test_commit_point_reached_is_finished_on_open(tmp_path):
    """A crash after the commit point: reopening finishes the switch to the new version."""
    store = make_store("edge", tmp_path)
    record, chunks = sample_documents()[0]
    store.write_document(record, chunks)
    store._finish_commit = lambda doc_id, version: None  # crash right after the commit point
    store.write_document({**record, "version": "v2"}, chunks[:1])
    assert store.document(ALL_DOCUMENTS, "doc0")["dirty"] == 1
    store.close()
    reopened = make_store("edge", tmp_path)
    assert reopened.document(ALL_DOCUMENTS, "doc0")["dirty"] == 0
    assert reopened.count_chunks(ALL_DOCUMENTS) == 1
    assert reopened.document(ALL_DOCUMENTS, "doc0")["version"] == "v2"
    reopened.close()


def test_second_process_gets_a_clear_error(tmp_path):
    store = make_store("edge", tmp_path)
    with pytest.raises(StoreLockedError, match="open in another process"):
        EdgeStore(tmp_path / "edge", DIM)
    store.close()


def test_a_held_store_is_reported_before_the_model_is_loaded(tmp_path, monkeypatch):
    import service.facade
    from service.settings import Settings

    def no_model(*args, **kwargs):  # the check must come first: a model load would take seconds
        raise AssertionError("the model was loaded before the lock was checked")

    monkeypatch.setattr(service.facade, "load_encoder", no_model)
    held = EdgeStore(tmp_path / "index", DIM)
    try:
        with pytest.raises(StoreLockedError, match="open in another process"):
            service.facade.Ahadi(Settings.from_env(data_dir=tmp_path))
    finally:
        held.close()


def test_missing_fields_filter_the_parts_without_a_value(store):
    # The sample documents have no region key at all; one more has a region, one an explicit null.
    for doc_id, region in (("with-region", "Gotland"), ("null-region", None)):
        chunk = ChunkPoint(doc_id=doc_id, chunk_index=0, dense=[1.0] * DIM, payload={"chunk_index": 0, "text": "x", "region": region})
        store.write_document({"doc_id": doc_id, "version": "v1", "region": region}, [chunk])
    found = {h.payload["doc_id"] for h in store.search(ALL_DOCUMENTS, [1.0] * DIM, SearchFilters(missing=["region"]), limit=100)}
    assert "with-region" not in found and {"null-region", "doc0", "doc4"} <= found
    assert store.count_chunks(ALL_DOCUMENTS, SearchFilters(missing=["region"])) == store.count_chunks(ALL_DOCUMENTS) - 1


def _write_clustered_documents(store, rng, centres, documents: int = 80, passages: int = 100) -> None:
    """`documents` × `passages` vectors of the model's size around `centres`, clustered as a model's
    are; a tenth of the documents in Persian, for a narrow filter. 8,000 of them pass Qdrant's
    indexing threshold, so `flush` builds the HNSW graph."""
    for d in range(documents):
        language = "fa" if d % 10 == 0 else "sv"
        vectors = centres[rng.integers(0, len(centres), passages)] + 0.6 * rng.normal(size=(passages, centres.shape[1]))
        store.write_document({"doc_id": f"doc{d}", "version": "v1", "title": f"Title {d}", "language": language}, [
            ChunkPoint(doc_id=f"doc{d}", chunk_index=i, dense=vector.tolist(), payload={"chunk_index": i, "text": f"{d}.{i}", "language": language})
            for i, vector in enumerate(vectors)
        ])
    store.flush()


def _quantized(index) -> bool:
    return any(Path(index).glob("segments/*/vector_storage-dense/quantized.data"))


def test_an_indexed_store_walks_int8_vectors_and_scores_with_the_floats(tmp_path):
    """Past Qdrant's indexing threshold a new store's `flush` builds the HNSW graph and an int8 copy
    of the vectors, which the search walks; its hits are re-scored with the float vectors, so they
    score exactly as an exact search does, with or without a narrow filter. (What `HNSW_EF_CONSTRUCT`
    buys only shows at 100k passages: `benchmarks/scale.py`, BENCHMARKS.md "Session 14".)"""
    dim = 384
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(40, dim))
    EdgeStore(tmp_path / "edge", dim).close()
    store = EdgeStore(tmp_path / "edge", dim)  # opened again: what it was created with stays
    _write_clustered_documents(store, rng, centres)
    assert store._shard.info().indexed_vectors_count >= 8000
    assert _quantized(tmp_path / "edge")
    assert json.loads((tmp_path / "edge" / "edge_config.json").read_text(encoding="utf-8"))["hnsw_config"]["ef_construct"] == HNSW_EF_CONSTRUCT
    for filters in (SearchFilters(), SearchFilters(languages=["fa"])):
        overlap = []
        for centre in centres[:20]:
            query = (centre + 0.6 * rng.normal(size=dim)).tolist()
            found = store._query(query, filters, 10, "chunk")
            exact = {h.point_id: h.score for h in store._query(query, filters, 10, "chunk", exact=True)}
            overlap.append(len(exact.keys() & {h.point_id for h in found}) / 10)
            assert all(h.score == pytest.approx(exact[h.point_id], abs=1e-6) for h in found if h.point_id in exact)
        assert np.mean(overlap) >= 0.95, filters
    store.close()


def test_an_index_built_before_keeps_its_graph_until_restored_from_a_snapshot(tmp_path):
    """An embedded index made before the int8 copy (session 13's configuration) is not rebuilt by a
    write, which would stall that write for minutes at scale; restored from a snapshot, it has the copy."""
    dim, path = 384, tmp_path / "old" / "index"
    qe.EdgeShard.create(str(path), qe.EdgeConfig(
        vectors={"dense": qe.EdgeVectorParams(size=dim, distance=qe.Distance.Cosine)},
        sparse_vectors={"bm25": qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)}, on_disk_payload=True,
    )).close()
    rng = np.random.default_rng(5)
    store = EdgeStore(path, dim)
    _write_clustered_documents(store, rng, rng.normal(size=(40, dim)))
    assert store._shard.info().indexed_vectors_count >= 8000
    assert not _quantized(path)
    assert json.loads((path / "edge_config.json").read_text(encoding="utf-8")).get("hnsw_config", {}).get("ef_construct") != HNSW_EF_CONSTRUCT
    snapshot(store, tmp_path / "old.snapshot")
    store.close()
    restore(tmp_path / "old.snapshot", tmp_path / "new")
    assert _quantized(tmp_path / "new" / "index")
