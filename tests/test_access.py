"""Who may see what, in the store (both backends, small random vectors: milliseconds) and through
the whole service (the real model, tests/test_access_api.py).

- Every read method of the store filters on the reader's groups; a reader of no group sees
  nothing; a filter cannot widen what its reader sees.
- Points stored before `access` existed get the default groups once (`stamp_missing_access`).
- A write that takes a group away: at no step of its commit, nor after a crash at any step and
  the recovery, does a reader holding only the lost group see the new version, or any passage of
  the document once its new version is committed.
"""

from __future__ import annotations

import numpy as np
import pytest
from qdrant_client import QdrantClient

from index.access import ALL_DOCUMENTS, NO_GROUP, PUBLIC_GROUP, Reader, check_groups
from index.store import ChunkPoint, EdgeStore, SearchFilters, ServerStore, SparseVector
from index.store.base import document_point_id
from service.access import caller_groups, reader_for

DIM = 16
# doc id → its groups
ACCESS = {
    "open": [PUBLIC_GROUP],
    "police-only": ["police"],
    "social-only": ["social"],
    "shared": ["police", "social"],
}


def _open(kind: str, tmp_path, name: str = "store"):
    if kind == "edge":
        return EdgeStore(tmp_path / name, DIM)
    return ServerStore(QdrantClient(path=str(tmp_path / name)), "test", DIM)


def _document(doc_id: str, access: list[str] | None, version: str = "v1", parts: int = 3, seed: int = 0):
    rng = np.random.default_rng(abs(hash((doc_id, version, seed))) % 2**32)
    record = {"doc_id": doc_id, "version": version, "title": doc_id, "language": "sv", "region": f"R-{doc_id}"}
    shared = {"language": "sv", "region": f"R-{doc_id}"}
    if access is not None:
        record["access"] = shared["access"] = list(access)
    chunks = [
        ChunkPoint(doc_id, i, rng.normal(size=DIM).tolist(), {"chunk_index": i, "text": f"{doc_id} {version} {i}", **shared},
                   sparse=SparseVector([1, 2 + i], [1.0, 0.5]))
        for i in range(parts)
    ] + [ChunkPoint(doc_id, 0, rng.normal(size=DIM).tolist(), {"chunk_index": 0, "text": f"{doc_id} promise", **shared}, kind="commitment")]
    return record, chunks


@pytest.fixture(params=["edge", "server"], scope="module")
def store(request, tmp_path_factory):
    """The four documents, read (never written) by the tests that use it."""
    s = _open(request.param, tmp_path_factory.mktemp(request.param))
    for doc_id, access in ACCESS.items():
        s.write_document(*_document(doc_id, access))
    yield s
    s.close()


def visible(groups: set[str]) -> set[str]:
    return {doc_id for doc_id, access in ACCESS.items() if groups & set(access)}


def everything_seen(store, reader: Reader) -> dict[str, set]:
    """What `reader` finds of each document through every read method of the store."""
    query = [0.1] * DIM
    seen = {
        "search": {h.payload["doc_id"] for h in store.search(reader, query, limit=100)},
        "hybrid": {h.payload["doc_id"] for h in store.search(reader, query, limit=100, sparse=SparseVector([1], [1.0]))},
        "commitments": {h.payload["doc_id"] for h in store.search(reader, query, limit=100, kind="commitment")},
        "documents": {r["doc_id"] for r in store.iter_documents(reader)},
        "document": {d for d in ACCESS if store.document(reader, d) is not None},
        "chunks": {d for d in ACCESS if store.chunks(reader, d)},
        "commitment parts": {d for d in ACCESS if store.chunks(reader, d, kind="commitment")},
        "vectors": {d for d in ACCESS if store.chunk_vectors(reader, d)},
        "facet": {key[2:] for key in store.facet(reader, "region")},
    }
    counts = (store.count_documents(reader), store.count_chunks(reader), store.count_chunks(reader, kind="commitment"))
    return seen, counts


@pytest.mark.parametrize("groups", [set(), {PUBLIC_GROUP}, {"police"}, {PUBLIC_GROUP, "police"}, {"social", "police"}, {"nobody-has-this"}])
def test_every_read_method_shows_only_the_readers_documents(store, groups):
    seen, counts = everything_seen(store, Reader(frozenset(groups)))
    expected = visible(groups)
    for method, doc_ids in seen.items():
        assert doc_ids == expected, method
    assert counts == (len(expected), 3 * len(expected), len(expected))


def test_all_documents_reads_everything_and_a_filter_cannot_widen_a_reader(store):
    seen, counts = everything_seen(store, ALL_DOCUMENTS)
    assert all(doc_ids == set(ACCESS) for doc_ids in seen.values())
    police = Reader(frozenset({"police"}))
    widened = SearchFilters(access=["social", PUBLIC_GROUP])  # the store replaces it with the reader's
    assert {h.payload["doc_id"] for h in store.search(police, [0.1] * DIM, widened, limit=100)} == {"police-only", "shared"}
    assert store.count_chunks(police, widened) == 6


def test_a_hidden_document_reads_as_a_missing_one(store):
    social = Reader(frozenset({"social"}))
    assert store.document(social, "police-only") is None and store.document(social, "no-such-document") is None
    assert store.chunks(social, "police-only") == store.chunks(social, "no-such-document") == []


def test_points_stored_before_access_existed_get_the_default_once(tmp_path):
    for kind in ("edge", "server"):
        store = _open(kind, tmp_path, kind)
        store.write_document(*_document("legacy", None))
        store.write_document(*_document("labelled", ["police"]))
        public = reader_for([])
        assert store.document(public, "legacy") is None  # unlabelled: nobody but ALL_DOCUMENTS
        assert store.stamp_missing_access([PUBLIC_GROUP]) == 1 + 4  # the record and its four parts
        assert store.stamp_missing_access([PUBLIC_GROUP]) == 0
        assert {h.payload["doc_id"] for h in store.search(public, [0.1] * DIM, limit=100)} == {"legacy"}
        assert store.document(public, "legacy")["access"] == [PUBLIC_GROUP]
        store.close()


def test_group_names_and_caller_groups():
    assert check_groups([" police ", "/realm/social", "cn=Polis"]) == ["police", "/realm/social", "cn=Polis"]
    for bad in ["", " ", "a,b", "*", "tab\there", "x" * 129, 7]:
        with pytest.raises(ValueError):
            check_groups([bad])
    assert caller_groups(["police", "*"]) == ["*"]
    assert reader_for(["*"]) == ALL_DOCUMENTS
    assert reader_for(["police"]).groups == frozenset({"police", PUBLIC_GROUP})
    assert Reader(frozenset()).conditions() == {"access": [NO_GROUP]}


class _Stop(Exception):
    """Raised by the hook to cut a write off at one of its steps (a crash, for the store)."""


@pytest.mark.parametrize("kind", [pytest.param("edge", marks=pytest.mark.slow), "server"])  # edge: a store opened per step, 40 s
def test_no_step_of_a_write_that_takes_a_group_away_shows_the_new_version_to_the_old_group(tmp_path, kind):
    """`police-only` becomes `social-only`'s neighbour: ["police"] → ["social"], with one passage
    fewer. Before each write operation of the store, and after a crash at each one and the
    recovery: a police reader never sees the new version, nor any passage once the new record is
    the committed one; a social reader never sees the old version's passages."""
    steps = _count_steps(kind, tmp_path / "count")
    assert steps >= 5
    for stop_at in range(steps + 1):
        path = tmp_path / f"run{stop_at}"
        store = _open(kind, path)
        store.write_document(*_document("doc", ["police", "audit"], version="old"))
        checks = _checker(store)
        calls = {"n": 0}
        for name in ("_upsert", "_set_payload", "_delete"):
            original = getattr(store, name)

            def hooked(*args, _original=original, **kwargs):
                checks()
                if calls["n"] == stop_at:
                    raise _Stop
                calls["n"] += 1
                return _original(*args, **kwargs)

            setattr(store, name, hooked)
        try:
            store.write_document(*_document("doc", ["social", "audit"], version="new", parts=2))
        except _Stop:
            pass
        checks()
        for name in ("_upsert", "_set_payload", "_delete"):
            delattr(store, name)
        if kind == "edge":
            store.close()
            store = _open(kind, path)  # opening recovers
        else:
            store.recover()
        checks = _checker(store)
        checks()
        record = store.document(ALL_DOCUMENTS, "doc")
        live = store.chunks(ALL_DOCUMENTS, "doc")
        assert {tuple(c["access"]) for c in live} == {tuple(record["access"])}, (stop_at, record, live)
        assert len(live) == (2 if record["version"] == "new" else 3)
        store.close()


def _count_steps(kind, path) -> int:
    store = _open(kind, path)
    store.write_document(*_document("doc", ["police", "audit"], version="old"))
    calls = {"n": 0}
    for name in ("_upsert", "_set_payload", "_delete"):
        original = getattr(store, name)

        def counted(*args, _original=original, **kwargs):
            calls["n"] += 1
            return _original(*args, **kwargs)

        setattr(store, name, counted)
    store.write_document(*_document("doc", ["social", "audit"], version="new", parts=2))
    store.close()
    return calls["n"]


def _checker(store):
    police, social = Reader(frozenset({"police"})), Reader(frozenset({"social"}))

    def check() -> None:
        record = store._retrieve([document_point_id("doc")])[0].payload
        for reader, lost in ((police, "new"), (social, "old")):
            # the version a reader may never see: police the new one, social the old one
            found = [h.payload for h in store.search(reader, [0.1] * DIM, limit=50)] + store.chunks(reader, "doc")
            assert not [p for p in found if p["text"].startswith(f"doc {lost}")], (reader, found)
            shown = store.document(reader, "doc")
            assert shown is None or shown["version"] != lost
        if record["version"] == "new":  # committed: police reads nothing of the document any more
            assert not store.search(police, [0.1] * DIM, limit=50) and not store.chunks(police, "doc")

    return check
