"""Reliability and security: nothing lost, nothing let in.

- Crash safety: a real `ahadi ingest` (subprocess, real model) SIGKILLed three times at random
  write operations of the store, then the index is checked whole and re-ingested
  (benchmarks/crash_test.py does the same with 20 kills and writes the figures).
- Concurrency: searches in threads while documents are added, replaced and deleted.
- Bad input through the service and through the API: refused with a reason, nothing stored harmed.
- Security: keys hashed, constant-time compare, no key in logs, scopes, size and rate limits,
  headers, nothing read or written outside the data directory.
- Snapshots: exact round trip, refusals, checksum, atomic restore.

The stores here are restored from a snapshot of the session's corpus index (`corpus_app`), so
no test embeds the corpus again.
"""

from __future__ import annotations

import io
import json
import logging
import random
import tarfile
import threading
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from index.access import ALL_DOCUMENTS
from service.facade import Ahadi
from api.app import create_app
from api.keys import create_key
from benchmarks import crash_test
from index.store import ChunkPoint, EdgeStore, ServerStore, StoreLockedError
from index.store.backup import SnapshotError, restore, restore_into, snapshot, verify
from tests.conftest import comparable_ranking
from tests.test_readers import make_pdf

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOTLAND = "002_6654c4057f6be88f"


# ---------------------------------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def corpus_snapshot(corpus_app, tmp_path_factory):
    """A snapshot of the session's corpus index, restored wherever a test needs a fresh store."""
    path = tmp_path_factory.mktemp("snapshots") / "corpus.tar"
    manifest = snapshot(corpus_app.store, path)
    assert manifest["documents"] == 5
    return path


def restored_app(settings_factory, encoder, snapshot_file, **overrides) -> Ahadi:
    settings = settings_factory(**overrides)
    restore(snapshot_file, settings.data_dir)
    return Ahadi(settings, encoder=encoder)


def stored_state(store) -> dict:
    """Everything a bad input must not change: every record's version and part count, and totals."""
    return {
        "records": {r["doc_id"]: (r["version"], r["chunk_count"], r["dirty"]) for r in store.iter_documents(ALL_DOCUMENTS)},
        "points": store.count_points(),
        "live_chunks": store.count_chunks(ALL_DOCUMENTS),
        "pending": store.count_points({"state": "pending"}),
    }


def files_under(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


# ======================================================================================== crash safety
class TestCrashSafety:
    DOCUMENTS = 20
    RUNS = 3

    @pytest.mark.slow  # real ingestions in child processes, killed and re-run
    def test_killed_ingestions_lose_nothing(self, settings_factory, encoder, tmp_path):
        """Three SIGKILLs of a real `ahadi ingest`, each at a random write operation of the store
        (one in each third of the run), on one data directory; checks after each; then a complete
        re-run equals a clean ingestion, and a second re-run changes nothing."""
        model_cache_dir = settings_factory().model_cache_dir  # the session's: the child does not rebuild the model

        # Reference: a clean in-process ingestion of the final revision, counting its write operations.
        clean_input = tmp_path / "clean-input"
        crash_test.write_documents(clean_input, self.DOCUMENTS, revision=crash_test.FINAL_REVISION, seed=7)
        with Ahadi(settings_factory(), encoder=encoder) as clean:
            writes = []
            for name in ("_upsert", "_set_payload", "_delete"):
                original = getattr(clean.store, name)
                setattr(clean.store, name, lambda *a, _o=original, _n=name, **k: (writes.append(_n), _o(*a, **k))[1])
            started = time.monotonic()
            clean.ingest([clean_input])
            reference = {"versions": crash_test.versions_of(clean.store), "seconds": time.monotonic() - started, "writes": len(writes)}
        assert len(reference["versions"]) == self.DOCUMENTS and reference["writes"] == 5 * self.DOCUMENTS

        def finish(data_dir: Path, folder: Path) -> dict:
            with Ahadi(settings_factory(data_dir=data_dir), encoder=encoder) as app:
                return app.ingest([folder]).to_dict()

        def one_per_third(run: int, mode: str, rng: random.Random) -> int:
            third = reference["writes"] // self.RUNS
            return rng.randint(run * third + 1, (run + 1) * third)

        lines: list[str] = []
        result = crash_test.crash_cycle(
            tmp_path, encoder, model_cache_dir, ["write"] * self.RUNS, self.DOCUMENTS, seed=7,
            reference=reference, finish=finish, choose=one_per_third, say=lines.append,
        )
        assert not crash_test.failures(result), "\n".join(crash_test.failures(result) + lines)
        assert result["summary"]["killed"] == self.RUNS, lines
        assert result["summary"]["documents_lost"] == 0
        assert result["final"]["same_as_clean_ingestion"] and result["final"]["documents"] == self.DOCUMENTS
        assert result["final"]["second_rerun_written"] == 0

    def test_a_kill_while_the_index_is_created_leaves_it_usable(self, tmp_path):
        """A kill while Qdrant Edge creates the index can leave its WAL folder without segments:
        the next open must work (an empty index), not refuse to start."""
        import shutil

        path = tmp_path / "half-created"
        EdgeStore(path, 8).close()
        shutil.rmtree(path / "segments")
        store = EdgeStore(path, 8)
        try:
            assert store.count_points() == 0
            store.write_document({"doc_id": "a", "version": "1", "text": "x"}, [ChunkPoint("a", 0, [1.0] * 8, {"chunk_index": 0, "text": "x", "start": 0, "end": 1})])
            assert store.count_chunks(ALL_DOCUMENTS) == 1
        finally:
            store.close()


# ======================================================================================== concurrency
SHORT_TEXTS = [
    "Polisen lovar fler trygghetsvandringar i centrum nummer {n}.",
    "The council promises brighter street lighting in district {n}.",
    "Polisi wanaahidi doria zaidi za usiku katika mtaa wa {n}.",
    "پلیس قول می‌دهد گشت‌های شبانه در محله {n} بیشتر شود.",
    "Policija obećava više patrola u naselju broj {n}.",
]
QUERIES = [
    "safety walks in the town centre", "trygghetsvandringar", "doria za usiku", "گشت شبانه پلیس",
    "patrole u naselju", "street lighting", "domestic violence", "medborgarlöfte Gotland",
]


class TestConcurrency:
    def test_searches_while_documents_are_added_replaced_and_deleted(self, settings_factory, encoder, corpus_snapshot, tmp_path):
        """One Ahadi over Qdrant Edge: a writer ingests new and changed documents, another deletes,
        three threads search all the while. No error; every hit is a version that was written and
        not yet superseded when the search began; the end state is whole and as the log says."""
        app = restored_app(settings_factory, encoder, corpus_snapshot)
        corpus_passages = {
            r["doc_id"]: {c["text"] for c in app.store.chunks(ALL_DOCUMENTS, r["doc_id"])} for r in app.store.iter_documents(ALL_DOCUMENTS)
        }
        # doc_id -> list of (started, finished, text or None for a deletion), in completion order
        history: dict[str, list[tuple[float, float, str | None]]] = {}
        history_lock = threading.Lock()
        errors: list[str] = []
        searches: list[tuple[float, float, list]] = []
        done = threading.Event()
        rng = random.Random(3)
        ids = [f"live-{i}" for i in range(6)]

        def log(doc_id: str, started: float, text: str | None) -> None:
            with history_lock:
                history.setdefault(doc_id, []).append((started, time.monotonic(), text))

        # The history is written inside the store's write lock, so its order is the commit order.
        store, write_document, delete_document = app.store, app.store.write_document, app.store.delete_document

        def logged_write(record, chunks):
            started = time.monotonic()
            with store.write_lock:
                write_document(record, chunks)
                log(record["doc_id"], started, record["text"])

        def logged_delete(doc_id):
            started = time.monotonic()
            with store.write_lock:
                existed = delete_document(doc_id)
                if existed:
                    log(doc_id, started, None)
            return existed

        store.write_document, store.delete_document = logged_write, logged_delete

        def writer() -> None:
            try:
                for step in range(8):
                    doc_id = ids[rng.randrange(len(ids))]
                    text = SHORT_TEXTS[step % len(SHORT_TEXTS)].format(n=step)
                    path = tmp_path / f"w{step}.jsonl"
                    path.write_text(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
                    report = app.ingest([path])
                    assert report.written == [doc_id], report.to_dict()
            except Exception as error:  # noqa: BLE001
                errors.append(f"writer: {type(error).__name__}: {error}")

        def deleter() -> None:
            try:
                while not done.is_set():
                    time.sleep(0.4)
                    app.store.delete_document(ids[rng.randrange(len(ids))])
            except Exception as error:  # noqa: BLE001
                errors.append(f"deleter: {type(error).__name__}: {error}")

        def searcher(seed: int) -> None:
            local = random.Random(seed)
            try:
                while not done.is_set():
                    started = time.monotonic()
                    results = app.searcher.search(
                        ALL_DOCUMENTS,
                        local.choice(QUERIES), top_k=local.choice([3, 10, 20]),
                        mode=local.choice(["dense", "hybrid"]), group_by_document=local.random() < 0.5,
                    )
                    app.store.count_documents(ALL_DOCUMENTS)
                    searches.append((started, time.monotonic(), [(r.doc_id, r.text) for r in results]))
                    time.sleep(0.02)  # leave the writer some of the two cores
            except Exception as error:  # noqa: BLE001
                errors.append(f"searcher: {type(error).__name__}: {error}")

        threads = [threading.Thread(target=searcher, args=(i,)) for i in range(2)] + [threading.Thread(target=deleter)]
        for thread in threads:
            thread.start()
        write_thread = threading.Thread(target=writer)
        write_thread.start()
        write_thread.join(timeout=300)
        done.set()
        for thread in threads:
            thread.join(timeout=60)
        try:
            assert not errors, errors
            assert len(searches) >= 10, len(searches)
            print(f"\nconcurrency: {len(searches)} searches, {sum(len(h) for _, _, h in searches)} hits checked, "
                  f"{sum(len(v) for v in history.values())} commits and deletions")
            stale = []
            for started, finished, hits in searches:
                for doc_id, text in hits:
                    if doc_id in corpus_passages:
                        assert text in corpus_passages[doc_id], doc_id
                        continue
                    events = history.get(doc_id, [])
                    # acceptable: a version whose write began before the search ended and that no
                    # operation begun after it was written had superseded before the search began
                    ok = any(
                        version == text and v_start <= finished
                        and not any(w_start >= v_end and w_end <= started for w_start, w_end, _ in events)
                        for v_start, v_end, version in events
                    )
                    if not ok:
                        stale.append((doc_id, text))
            assert not stale, stale[:5]
            # The end state: whole, and each document as its last completed operation left it.
            integrity = crash_test.check_integrity(app.store)
            assert not integrity["problems"], integrity["problems"]
            for doc_id in ids:
                last = max(history.get(doc_id, []), key=lambda event: event[1], default=None)
                record = app.store.document(ALL_DOCUMENTS, doc_id)
                if last is None or last[2] is None:
                    assert record is None, doc_id
                else:
                    assert record is not None and record["text"] == last[2], doc_id
            assert app.store.count_documents(ALL_DOCUMENTS) == 5 + sum(1 for d in ids if app.store.document(ALL_DOCUMENTS, d) is not None)
        finally:
            app.close()

    def test_two_writers_of_one_document_interleaved(self, tmp_path):
        """Writer B pauses right after writing its pending passages; writer A replaces the same
        document meanwhile. Without the store's write lock, A's cleanup ("delete every part of
        this document that is not my version") deleted B's pending passages, and B then committed
        a record whose passages were gone: a document with 0 of its 3 passages. With the lock, A
        waits for B, and the document ends whole at A's version."""
        dim = 8
        store = EdgeStore(tmp_path / "edge", dim)
        b_wrote_pending, a_finished = threading.Event(), threading.Event()
        original_upsert = store._upsert

        def pausing_upsert(points):
            original_upsert(points)
            if threading.current_thread().name == "B" and points[0][2].get("state") == "pending":
                b_wrote_pending.set()
                a_finished.wait(timeout=1.5)  # with the lock A cannot finish: B goes on after the timeout

        store._upsert = pausing_upsert

        def write(version: str, parts: int) -> None:
            text = " ".join(f"{version}{i}" for i in range(parts))
            chunks = [ChunkPoint("doc", i, [1.0 + i] * dim, {"chunk_index": i, "text": f"{version}{i}", "start": 3 * i, "end": 3 * i + 2}) for i in range(parts)]
            store.write_document({"doc_id": "doc", "version": version, "text": text}, chunks)

        b = threading.Thread(target=write, args=("b", 3), name="B")
        b.start()
        assert b_wrote_pending.wait(timeout=30)
        a = threading.Thread(target=lambda: (write("a", 2), a_finished.set()), name="A")
        a.start()
        a.join(timeout=30)
        b.join(timeout=30)
        try:
            integrity = crash_test.check_integrity(store)
            assert not integrity["problems"], integrity["problems"]
            assert store.document(ALL_DOCUMENTS, "doc")["version"] == "a" and store.count_chunks(ALL_DOCUMENTS) == 2
        finally:
            store.close()

    def test_concurrent_writers_of_one_document_leave_it_whole(self, tmp_path):
        """Two threads replacing the same documents while a third deletes them and two search:
        no error, every document whole at the end."""
        dim = 16
        store = EdgeStore(tmp_path / "edge", dim)
        errors: list[str] = []
        stop = threading.Event()

        def document(doc_id: str, version: str, parts: int, rng: np.random.Generator):
            text = " ".join(f"{doc_id}-{version}-{i}." for i in range(parts))
            chunks, start = [], 0
            for i in range(parts):
                piece = f"{doc_id}-{version}-{i}."
                chunks.append(ChunkPoint(doc_id, i, rng.normal(size=dim).tolist(), {"chunk_index": i, "text": piece, "start": start, "end": start + len(piece)}))
                start += len(piece) + 1
            return {"doc_id": doc_id, "version": version, "text": text}, chunks

        def writer(seed: int) -> None:
            rng = np.random.default_rng(seed)
            try:
                for step in range(40):
                    doc_id = f"d{step % 3}"
                    store.write_document(*document(doc_id, f"w{seed}s{step}", 1 + step % 4, rng))
            except Exception as error:  # noqa: BLE001
                errors.append(repr(error))

        def deleter() -> None:
            try:
                while not stop.is_set():
                    store.delete_document(f"d{random.randrange(3)}")
                    time.sleep(0.005)
            except Exception as error:  # noqa: BLE001
                errors.append(repr(error))

        def reader() -> None:
            rng = np.random.default_rng()
            try:
                while not stop.is_set():
                    for hit in store.search(ALL_DOCUMENTS, rng.normal(size=dim).tolist(), limit=10):
                        assert hit.payload["state"] == "live"
            except Exception as error:  # noqa: BLE001
                errors.append(repr(error))

        writers = [threading.Thread(target=writer, args=(s,)) for s in (1, 2)]
        others = [threading.Thread(target=deleter), threading.Thread(target=reader), threading.Thread(target=reader)]
        for thread in writers + others:
            thread.start()
        for thread in writers:
            thread.join(timeout=120)
        stop.set()
        for thread in others:
            thread.join(timeout=30)
        try:
            assert not errors, errors
            integrity = crash_test.check_integrity(store)
            assert not integrity["problems"], integrity["problems"]
        finally:
            store.close()


# ======================================================================================== bad input
def _zip_bomb(_tmp: Path | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:t>" + b"a" * 5_000_000 + b"</w:t>")  # 5 MB → ~5 kB
    return out.getvalue()


def _truncated_pdf(tmp: Path) -> bytes:
    data = make_pdf(tmp / "whole.pdf", ["Polisen och kommunen", "samarbetar mot brott."]).read_bytes()
    return data[: len(data) // 2]


def _jsonl(*records) -> bytes:
    return b"".join((r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in records)


# name → (bytes, or a function of a temporary folder giving them; words the skip reason must contain)
BAD_FILES = {
    "empty.txt": (b"", "empty file"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary content"),
    "huge.txt": (b"ord " * 100_000, "over the 0.2 MB limit (AHADI_MAX_FILE_MB)"),
    "latin1.txt": ("Polisen i Malmö lovar trygghet på gatorna.".encode("latin-1"), "not valid UTF-8"),
    "utf32.txt": ("Polisen lovar.".encode("utf-32"), "UTF-32"),
    "truncated.pdf": (_truncated_pdf, "truncated or damaged PDF"),
    "notreally.pdf": (b"<html>a web page saved as .pdf</html>", "not a PDF file"),
    "malformed.docx": (b"PK\x03\x04 this is not really a zip", "not a valid DOCX"),
    "bomb.docx": (_zip_bomb, "refused as a possible zip bomb"),
    "chrome-only.html": (b"<html><head><script>alert(1)</script><style>p{}</style></head><body><nav>x</nav></body></html>", "no text found"),
    "traversal.jsonl": (_jsonl({"id": "../../etc/passwd", "text": "Polisen lovar."}), 'document id "../../etc/passwd" is not valid'),
    "nul.jsonl": (_jsonl({"id": "nul-doc", "text": "Polisen\u0000lovar."}), "NUL"),
    "badjson.jsonl": (_jsonl(b'{"id": "x", "text": '), "not valid JSON"),
    "baddate.jsonl": (_jsonl({"id": "dated", "text": "Polisen lovar.", "date": "2023-13-45"}), '"date" must be an ISO date'),
}


GUARDED_KEY_SCOPES = {"read": ["read"], "write": ["write"], "editor": ["read", "write"]}


def name_scopes(name: str) -> list[str]:
    return GUARDED_KEY_SCOPES[name]


@pytest.fixture(scope="module")
def guarded(settings_factory, encoder, corpus_snapshot):
    """The corpus in a fresh store with a 0.2 MB file limit, its API with a read, a write and a read+write key."""
    app = restored_app(settings_factory, encoder, corpus_snapshot, max_file_mb=0.2)
    settings = app.settings
    keys = {
        "read": create_key(settings.data_dir, "reader", ["read"]),
        "write": create_key(settings.data_dir, "writer", ["write"]),
        "editor": create_key(settings.data_dir, "editor", GUARDED_KEY_SCOPES["editor"]),
    }
    api = create_app(settings.replace(rate_limit=0, max_upload_mb=1), app=app)
    with TestClient(api) as client:
        yield {"app": app, "client": client, "keys": keys, "settings": settings, "api": api}
    app.close()


class TestBadInput:
    @pytest.mark.parametrize("name", sorted(BAD_FILES))
    def test_bad_file_through_the_service(self, guarded, name, tmp_path):
        app = guarded["app"]
        content, reason = BAD_FILES[name]
        data = content(tmp_path) if callable(content) else content
        path = tmp_path / name
        path.write_bytes(data)
        before = stored_state(app.store)
        report = app.ingest([path])
        assert report.written == [] and report.unchanged == []
        assert len(report.skipped) == 1 and reason in report.skipped[0]["reason"], report.skipped
        assert stored_state(app.store) == before

    @pytest.mark.parametrize("name", sorted(BAD_FILES))
    def test_bad_file_through_the_api(self, guarded, name, tmp_path):
        app, client = guarded["app"], guarded["client"]
        content, reason = BAD_FILES[name]
        data = content(tmp_path) if callable(content) else content
        before = stored_state(app.store)
        response = client.post(
            "/v1/documents/upload", files={"files": (name, data, "application/octet-stream")},
            headers={"X-API-Key": guarded["keys"]["write"]},
        )
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "not_indexed" and reason in error["message"], error
        assert str(guarded["settings"].data_dir) not in response.text  # no server paths in answers
        assert stored_state(app.store) == before

    def test_malformed_html_is_read_leniently(self, guarded, tmp_path):
        """Unclosed and stray tags, bogus entities, 30 000 nested elements: read like a browser
        would (no crash, no recursion limit), the text kept; the stored corpus untouched."""
        app = guarded["app"]
        before = stored_state(app.store)
        broken = tmp_path / "broken-page.html"
        broken.write_text(
            "<html><body><div><p>Polisen <b>lovar <i>fler trygghetsvandringar</p></div></span>&bogus; <<>> "
            + "<div>" * 30_000 + "i Värnamo." + "</p>" * 3,  # 150 kB: under the fixture's 0.2 MB limit
            encoding="utf-8",
        )
        report = app.ingest([broken])
        assert report.written == ["broken-page"], report.to_dict()
        text = app.store.document(ALL_DOCUMENTS, "broken-page")["text"]
        assert "Polisen lovar fler trygghetsvandringar" in text and "i Värnamo." in text
        assert app.store.delete_document("broken-page")
        assert stored_state(app.store) == before

    @pytest.mark.parametrize(
        ("name", "doc_id"),
        [("../../escape-a.txt", "escape-a"), ("..\\..\\escape-b.txt", "escape-b"), ("/etc/escape-c.txt", "escape-c"),
         ("sub/../../escape-d.txt", "escape-d"), ("....//escape-e.txt", "escape-e")],
    )
    def test_upload_names_with_path_parts_stay_inside(self, guarded, name, doc_id, monkeypatch):
        """Every file the upload route writes is inside the data directory's inbox, none is left
        there, and the document takes the file's base name as its id."""
        import api.ingestion

        app, client, data_dir = guarded["app"], guarded["client"], guarded["settings"].data_dir
        inbox = guarded["settings"].layout.inbox.resolve()
        written: list[Path] = []

        def recording_open(file, mode="r", *args, **kwargs):
            if any(flag in mode for flag in "wax+"):
                written.append(Path(file).resolve())
            return open(file, mode, *args, **kwargs)

        monkeypatch.setattr(api.ingestion, "open", recording_open, raising=False)
        before = stored_state(app.store)
        response = client.post(
            "/v1/documents/upload", files={"files": (name, "Polisen lovar trygghet i parken.".encode(), "text/plain")},
            headers={"X-API-Key": guarded["keys"]["write"]},
        )
        assert response.status_code == 200, response.text
        assert response.json()["written"] == [doc_id]
        assert app.store.document(ALL_DOCUMENTS, doc_id)["source"] == f"upload:{doc_id}.txt"
        assert written and all(inbox in path.parents for path in written), written
        assert not any(inbox.glob("**/*.txt"))  # nothing left behind
        for root in (data_dir.parent, Path("/etc"), Path("/")):
            assert not list(root.glob("escape-*")) and not list(data_dir.parent.glob("*/escape-*"))
        assert client.delete(f"/v1/documents/{doc_id}", headers={"X-API-Key": guarded["keys"]["write"]}).status_code == 200
        assert stored_state(app.store) == before

    def test_json_documents_with_bad_ids_are_refused(self, guarded):
        app, client = guarded["app"], guarded["client"]
        before = stored_state(app.store)
        write = {"X-API-Key": guarded["keys"]["write"]}
        for bad in ("../../etc/passwd", "/abs", "a/b", "..", "", "x" * 200, "nul\u0000id", "#chunk"):
            response = client.post("/v1/documents", json={"id": bad, "text": "Polisen lovar."}, headers=write)
            assert response.status_code == 422, (bad, response.text)
        for name in ("..", ".", "/", "../"):
            response = client.post("/v1/documents/upload", files={"files": (name, b"Polisen lovar.", "text/plain")}, headers=write)
            assert response.status_code == 422, (name, response.text)
        assert client.put("/v1/documents/..%2F..%2Fetc%2Fpasswd", json={"text": "x"}, headers=write).status_code in (404, 422)
        assert client.get("/v1/documents/..%2F..%2Fetc%2Fpasswd", headers={"X-API-Key": guarded["keys"]["read"]}).status_code == 404
        assert stored_state(app.store) == before

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"top_k": -1}, "top_k must be between 1 and 100"),
            ({"top_k": 10**9}, "top_k must be between 1 and 100"),
            ({"offset": -1}, "offset must be 0 or more"),
            ({"mode": "magic"}, "unknown search mode 'magic'"),
            ({"query": ""}, "the query is empty"),
            ({"query": " \n\t "}, "the query is empty"),
        ],
    )
    def test_absurd_search_parameters_through_the_service(self, guarded, params, message):
        app = guarded["app"]
        with pytest.raises(ValueError, match=message):
            app.searcher.search(ALL_DOCUMENTS, **{"query": "police", **params})

    def test_odd_but_valid_queries_through_the_service(self, guarded):
        """Huge offsets give no results (not a giant limit for the engine: 10**20 overflowed it
        before the fetch was capped); 10 000 characters, mixed scripts and NUL bytes are searched."""
        app = guarded["app"]
        before = stored_state(app.store)
        assert app.searcher.search(ALL_DOCUMENTS, "police", offset=10**20) == []
        assert app.searcher.search(ALL_DOCUMENTS, "police", offset=10**9, group_by_document=False) == []
        for query in ("polis " * 2000, "پلیس police Полиција polisi 警察 😀 policija", "police\u0000patrol", "\u0000", "\u200c\u200d"):
            results = app.searcher.search(ALL_DOCUMENTS, query, top_k=3)
            assert len(results) == 3, query[:30]
        assert stored_state(app.store) == before

    @pytest.mark.parametrize(
        ("params", "status", "code"),
        [
            ({"top_k": -1}, 422, "invalid_request"),
            ({"top_k": 10**9}, 422, "invalid_request"),
            ({"top_k": "ten"}, 422, "invalid_request"),
            ({"offset": 10**12}, 422, "invalid_request"),
            ({"offset": -5}, 422, "invalid_request"),
            ({"date_from": "2023-13-45"}, 422, "invalid_filter"),
            ({"date_to": "yesterday"}, 422, "invalid_filter"),
            ({"language": "../../x"}, 422, "invalid_filter"),
            ({"region": "Got\u0000land"}, 422, "invalid_filter"),
            ({"mode": "magic"}, 422, "invalid_request"),
            ({"query": "x" * 10_000}, 422, "query_too_long"),
            ({"query": "پلیس police Полиција polisi 警察 😀"}, 200, None),
            ({"query": "police\u0000patrol"}, 200, None),
            ({"query": "\u0000"}, 200, None),
        ],
    )
    def test_absurd_search_parameters_through_the_api(self, guarded, params, status, code):
        client = guarded["client"]
        read = {"X-API-Key": guarded["keys"]["read"]}
        response = client.get("/v1/search", params={"query": "police", **params}, headers=read)
        assert response.status_code == status, response.text
        if code:
            assert response.json()["error"]["code"] == code, response.text
        body = {"query": params.get("query", "police")}
        filters = {k: v for k, v in params.items() if k in ("date_from", "date_to", "language", "region")}
        body.update({k: v for k, v in params.items() if k not in filters and k != "query"})
        if filters:
            body["filters"] = {k: (v if k.startswith("date") else [v]) for k, v in filters.items()}
        assert client.post("/v1/search", json=body, headers=read).status_code == status

    @pytest.mark.parametrize(
        "body",
        [
            {"query": "police", "filters": {"date_from": "2023-13-45"}},
            {"query": "police", "filters": "not an object"},
            {"query": "police", "filters": {"colour": ["red"]}},
            {"query": "police", "filters": {"language": [{"nested": 1}]}},
            {"query": "police", "top_k": 1e308},
            {"query": ["a", "list"]},
            {"query": None},
        ],
    )
    def test_malformed_search_bodies(self, guarded, body):
        response = guarded["client"].post("/v1/search", json=body, headers={"X-API-Key": guarded["keys"]["read"]})
        assert response.status_code == 422, response.text

    def test_not_json_at_all(self, guarded):
        headers = {"X-API-Key": guarded["keys"]["read"], "Content-Type": "application/json"}
        for raw in (b"{", b"\xff\xfe\x00garbage", b"[" * 10_000 + b"]" * 10_000):
            assert guarded["client"].post("/v1/search", content=raw, headers=headers).status_code in (400, 422)


# ======================================================================================== security
PUBLIC_ROUTES = {("GET", "/v1/health"), ("GET", "/v1/ready"), ("GET", "/metrics")}
# Every API route and the scope it needs: a route added without being listed here fails the test.
SCOPED_ROUTES = {
    ("GET", "/v1/documents"): "read",
    ("GET", "/v1/documents/{doc_id}"): "read",
    ("GET", "/v1/documents/{doc_id}/commitments"): "read",
    ("POST", "/v1/documents"): "write",
    ("POST", "/v1/documents/upload"): "write",
    ("PUT", "/v1/documents/{doc_id}"): "write",
    ("DELETE", "/v1/documents/{doc_id}"): "write",
    ("GET", "/v1/search"): "read",
    ("POST", "/v1/search"): "read",
    ("POST", "/v1/similar"): "read",
    ("GET", "/v1/compare"): "read",
    ("POST", "/v1/compare"): "read",
    ("GET", "/v1/facets"): "read",
    ("POST", "/v1/commitments"): "read",
    ("POST", "/v1/commitments/compare"): "read",
    ("POST", "/v1/snapshots"): "admin",
    ("POST", "/v1/snapshots/{name}/restore"): "admin",
}


def _api_routes(app) -> set[tuple[str, str]]:
    """(method, path) of every route in the OpenAPI schema (FastAPI nests included routers)."""
    return {(method.upper(), path) for path, item in app.openapi()["paths"].items() for method in item}


class TestSecurity:
    def test_keys_are_hashed_at_rest(self, guarded):
        path = guarded["settings"].data_dir / "api_keys.json"
        text = path.read_text()
        data = json.loads(text)
        for key in guarded["keys"].values():
            secret = key.split("_", 2)[2]
            assert key not in text and secret not in text
        assert all(record["hash"].startswith("scrypt$") for record in data["keys"])
        assert path.stat().st_mode & 0o077 == 0

    def test_key_checks_compare_in_constant_time(self, tmp_path, monkeypatch):
        """Whether a well-formed key is accepted is decided by hmac.compare_digest alone, on the
        first check (scrypt) and on later ones (the remembered digest), for wrong secrets of every
        length: no shorter-or-longer shortcut and no `==` on a secret before it."""
        import hmac

        import api.keys

        monkeypatch.setattr(api.keys, "_SCRYPT", {"n": 2**4, "r": 8, "p": 1})  # cheap hashing for this test only
        key = create_key(tmp_path, "timing", ["read"])
        key_id, secret = api.keys.parse_key(key)
        wrong = [f"ahadi_{key_id}_{'x' * length}" for length in range(20, 2 * len(secret) + 1)]
        real_compare = hmac.compare_digest
        compared: list[int] = []

        def recording(a, b):
            compared.append(1)
            return real_compare(a, b)

        monkeypatch.setattr(hmac, "compare_digest", recording)
        cold = api.keys.KeyStore(tmp_path)
        for candidate in wrong:  # before the right key was seen: each one hashed and compared
            compared.clear()
            assert cold.authenticate(candidate) is None
            assert compared, len(candidate)
        assert cold.authenticate(key) is not None
        for candidate in wrong:  # after: compared with the remembered digest
            compared.clear()
            assert cold.authenticate(candidate) is None
            assert compared, len(candidate)

        # The comparison's answer is the answer: forced, it lets a wrong key in or keeps the right one out.
        monkeypatch.setattr(hmac, "compare_digest", lambda a, b: True)
        assert api.keys.KeyStore(tmp_path).authenticate(wrong[0]) is not None
        monkeypatch.setattr(hmac, "compare_digest", lambda a, b: False)
        fresh = api.keys.KeyStore(tmp_path)
        assert fresh.authenticate(key) is None
        monkeypatch.setattr(hmac, "compare_digest", real_compare)
        assert fresh.authenticate(key) is not None
        monkeypatch.setattr(hmac, "compare_digest", lambda a, b: False)
        assert fresh.authenticate(key) is None  # the remembered digest is compared the same way

    def test_no_key_in_logs_or_answers(self, guarded, caplog):
        client, keys = guarded["client"], guarded["keys"]
        wrong = keys["read"][:-6] + "ZZZZZZ"
        with caplog.at_level(logging.DEBUG):
            responses = [
                client.get("/v1/search", params={"query": "police"}, headers={"X-API-Key": keys["read"]}),
                client.get("/v1/documents", headers={"Authorization": f"Bearer {keys['read']}"}),
                client.get("/v1/documents", headers={"X-API-Key": wrong}),
                client.post("/v1/documents", json={"id": "x"}, headers={"X-API-Key": keys["write"]}),
                client.get("/v1/search", params={"query": "police", "api_key": keys["read"]}),
                client.delete("/v1/documents/nope", headers={"X-API-Key": keys["read"]}),
            ]
        # The test client's own log (httpx: "HTTP Request: GET <url>") is the caller's, not the server's.
        server_records = [r for r in caplog.records if not r.name.startswith("httpx")]
        logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in server_records)
        assert "api.access" in {record.name for record in caplog.records}  # the access log did run
        for key in (*keys.values(), wrong):
            secret = key.split("_", 2)[2]
            assert secret not in logged
            for response in responses:
                assert secret not in response.text and secret not in str(response.headers)

    def test_every_route_is_public_or_needs_its_scope(self, guarded):
        client, keys, app = guarded["client"], guarded["keys"], guarded["api"]
        routes = _api_routes(app)
        assert routes == set(SCOPED_ROUTES) | PUBLIC_ROUTES, routes ^ (set(SCOPED_ROUTES) | PUBLIC_ROUTES)
        before = stored_state(guarded["app"].store)
        for (method, path), scope in SCOPED_ROUTES.items():
            url = path.replace("{doc_id}", GOTLAND)
            body = {"query": "police", "topic": "police", "id": "sec-test", "text": "Polisen lovar.", "doc_id": GOTLAND}
            kwargs = {"files": {"files": ("sec.txt", b"Polisen lovar.")}} if path.endswith("upload") else ({"json": body} if method in ("POST", "PUT") else {})
            if method == "POST" and path == "/v1/similar":
                kwargs = {"json": {"doc_id": GOTLAND}}
            no_key = client.request(method, url, **kwargs)
            assert no_key.status_code == 401, (method, path, no_key.text)
            for other in [name for name in ("read", "write", "editor") if scope not in name_scopes(name)]:
                wrong_scope = client.request(method, url, headers={"X-API-Key": keys[other]}, **kwargs)
                assert wrong_scope.status_code == 403, (method, path, other, wrong_scope.text)
        for method, path in PUBLIC_ROUTES:
            assert client.request(method, path).status_code == 200
        assert stored_state(guarded["app"].store) == before  # nothing was written by the refused calls

    def test_request_size_limit(self, guarded, settings_factory):
        api = create_app(guarded["settings"].replace(rate_limit=0, max_upload_mb=0.01), app=guarded["app"])
        write = {"X-API-Key": guarded["keys"]["write"]}
        before = stored_state(guarded["app"].store)
        with TestClient(api) as client:
            big = {"id": "too-big", "text": "Polisen lovar. " * 2_000}
            response = client.post("/v1/documents", json=big, headers=write)
            assert response.status_code == 413 and response.json()["error"]["code"] == "payload_too_large"
            assert response.headers["x-content-type-options"] == "nosniff"

            def chunks():  # no Content-Length: the limit is counted as the body streams in
                for _ in range(40):
                    yield b"x" * 1000

            streamed = client.post("/v1/documents/upload", content=chunks(), headers={**write, "Content-Type": "multipart/form-data; boundary=b"})
            assert streamed.status_code == 413, streamed.text
            upload = client.post("/v1/documents/upload", files={"files": ("big.txt", b"ord " * 5_000)}, headers=write)
            assert upload.status_code == 413
        assert stored_state(guarded["app"].store) == before

    def test_rate_limits_and_failed_key_lockout(self, guarded):
        api = create_app(guarded["settings"].replace(rate_limit=3), app=guarded["app"])
        read = {"X-API-Key": guarded["keys"]["read"]}
        with TestClient(api) as client:
            statuses = [client.get("/v1/documents", params={"limit": 1}, headers=read).status_code for _ in range(4)]
            assert statuses == [200, 200, 200, 429]
            # Guessing keys: after 3 wrong keys from one address even a right key waits (no brute force).
            other = create_app(guarded["settings"].replace(rate_limit=3), app=guarded["app"])
            with TestClient(other) as fresh:
                wrong = [fresh.get("/v1/documents", headers={"X-API-Key": f"ahadi_{i:012x}_{'A' * 43}"}).status_code for i in range(3)]
                assert wrong == [401, 401, 401]
                locked = fresh.get("/v1/documents", headers={"X-API-Key": guarded["keys"]["read"]})
                assert locked.status_code == 429 and int(locked.headers["retry-after"]) >= 1

    def test_security_headers_on_every_kind_of_answer(self, guarded):
        client, keys = guarded["client"], guarded["keys"]
        answers = [
            client.get("/v1/health"),
            client.get("/v1/search", params={"query": "police"}, headers={"X-API-Key": keys["read"]}),
            client.get("/v1/search", params={"query": "police"}),  # 401
            client.delete(f"/v1/documents/{GOTLAND}", headers={"X-API-Key": keys["read"]}),  # 403
            client.get("/v1/nowhere"),  # 404
            client.get("/v1/search", params={"top_k": 0}, headers={"X-API-Key": keys["read"]}),  # 422
        ]
        assert [a.status_code for a in answers] == [200, 200, 401, 403, 404, 422]
        for answer in answers:
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert answer.headers["x-frame-options"] == "DENY"
            assert answer.headers["referrer-policy"] == "no-referrer"
            assert "default-src 'none'" in answer.headers["content-security-policy"]
            assert answer.headers["x-request-id"]
            assert "server" not in {k.lower() for k in answer.headers} or "uvicorn" not in answer.headers.get("server", "")


# ======================================================================================== snapshots
def _points(store) -> dict[str, tuple]:
    out = {}
    for point_id, vectors, payload in store.export_points():
        sparse = vectors.get("bm25")
        out[point_id] = (vectors.get("dense"), (sparse.indices, sparse.values) if sparse else None, payload)
    return out


class TestSnapshots:
    QUERIES = [
        ("Which treatment programme for violent men did Gotland promise?", "dense"),
        ("trygghetsvandringar", "hybrid"),
        ("همکاری پلیس و شهرداری", "dense"),
        ("nasilje u porodici", "hybrid"),
    ]

    def test_round_trip_is_exact(self, corpus_app, corpus_snapshot, settings_factory, encoder):
        """corpus → snapshot → restore into a new data dir: the same records, payloads and vectors
        bit for bit, and the same search results (dense and hybrid, grouped or not)."""
        manifest = verify(corpus_snapshot)
        assert manifest["points"] == corpus_app.store.count_points()
        app = restored_app(settings_factory, encoder, corpus_snapshot)
        try:
            assert _points(app.store) == _points(corpus_app.store)
            assert list(app.store.iter_documents(ALL_DOCUMENTS)) == list(corpus_app.store.iter_documents(ALL_DOCUMENTS))
            for query, mode in self.QUERIES:
                for group in (True, False):
                    original = [r.to_dict() for r in corpus_app.searcher.search(ALL_DOCUMENTS, query, top_k=10, mode=mode, group_by_document=group)]
                    restored = [r.to_dict() for r in app.searcher.search(ALL_DOCUMENTS, query, top_k=10, mode=mode, group_by_document=group)]
                    # Exact RRF ties may come in either order (points are stored in another order
                    # after a restore), and a tie at the cut-off may keep either member.
                    ranking = lambda rows: comparable_ranking([(r["chunk_id"], r["score"]) for r in rows])  # noqa: E731
                    assert ranking(restored) == ranking(original), (query, mode)
                    by_id = {r["chunk_id"]: r for r in original}
                    assert all(r == by_id[r["chunk_id"]] for r in restored if r["chunk_id"] in by_id), (query, mode)
                    assert len(restored) == len(original)
        finally:
            app.close()

    def test_restore_refuses_and_verifies(self, corpus_snapshot, tmp_path):
        data_dir = tmp_path / "data"
        restore(corpus_snapshot, data_dir)
        (data_dir / "api_keys.json").write_text("{}")
        store = EdgeStore(data_dir / "index", verify(corpus_snapshot)["dimension"])
        with pytest.raises(SnapshotError, match="is open"):
            restore(corpus_snapshot, data_dir, force=True)
        store.close()
        listing = {path: (data_dir / path).read_bytes() for path in files_under(data_dir) if (data_dir / path).is_file()}
        with pytest.raises(SnapshotError, match="is not empty"):
            restore(corpus_snapshot, data_dir)

        raw = corpus_snapshot.read_bytes()
        damaged = tmp_path / "damaged.tar"
        with tarfile.open(corpus_snapshot) as tar:
            offset = tar.getmember("points.jsonl.gz").offset_data
        damaged.write_bytes(raw[: offset + 100] + bytes([raw[offset + 100] ^ 0xFF]) + raw[offset + 101 :])
        truncated = tmp_path / "truncated.tar"
        truncated.write_bytes(raw[: len(raw) // 2])
        foreign = tmp_path / "foreign.tar"
        with tarfile.open(foreign, "w") as tar:
            for name in ("manifest.json", "../../escape.txt"):
                info = tarfile.TarInfo(name)
                info.size = 2
                tar.addfile(info, io.BytesIO(b"{}"))
        not_tar = tmp_path / "not.tar"
        not_tar.write_bytes(b"hello")
        for bad, message in ((damaged, "damaged|cannot be read"), (truncated, "damaged|truncated|cannot be read|not an Ahadi"),
                             (foreign, "not an Ahadi snapshot"), (not_tar, "not an Ahadi snapshot"), (tmp_path / "missing.tar", "no snapshot file")):
            with pytest.raises(SnapshotError, match=message):
                restore(bad, data_dir, force=True)
            with pytest.raises(SnapshotError):
                restore(bad, tmp_path / "fresh")
        after = {path: (data_dir / path).read_bytes() for path in files_under(data_dir) if (data_dir / path).is_file()}
        assert after == listing  # not a byte touched by any refusal
        assert not (tmp_path / "fresh" / "index").exists() and not (tmp_path.parent / "escape.txt").exists()

        manifest = restore(corpus_snapshot, data_dir, force=True)  # forced: replaced, keys file kept
        assert (data_dir / "api_keys.json").read_text() == "{}"
        assert not list(data_dir.glob(".restore-*")) and not list(data_dir.glob(".index-replaced-*"))
        with EdgeStore(data_dir / "index", manifest["dimension"]) as reopened:
            assert reopened.count_points() == manifest["points"]

    def test_snapshot_of_a_data_dir_and_into_a_server(self, corpus_app, corpus_snapshot, tmp_path):
        from qdrant_client import QdrantClient

        data_dir = tmp_path / "data"
        restore(corpus_snapshot, data_dir)
        again = tmp_path / "again.tar"
        manifest = snapshot(data_dir, again)  # opened, exported, closed: no model needed
        assert manifest["points"] == verify(corpus_snapshot)["points"]
        with pytest.raises(SnapshotError, match="already exists"):
            snapshot(data_dir, again)
        with EdgeStore(data_dir / "index", manifest["dimension"]):
            with pytest.raises(StoreLockedError):
                snapshot(data_dir, tmp_path / "while-open.tar")

        server = ServerStore(QdrantClient(":memory:"), "restored", manifest["dimension"])
        restore_into(again, server)
        with pytest.raises(SnapshotError, match="not empty"):
            restore_into(again, server)
        server_points = _points(server)
        for point_id, (dense, sparse, payload) in _points(corpus_app.store).items():
            s_dense, s_sparse, s_payload = server_points[point_id]
            assert s_payload == payload and s_sparse == sparse
            assert (dense is None) == (s_dense is None)
            if dense is not None:
                assert np.allclose(dense, s_dense, atol=1e-6)
        server.close()

    @pytest.mark.slow  # snapshots while a writer runs: over 10 s
    def test_snapshot_while_writing_is_consistent(self, tmp_path):
        """Snapshots taken while another thread keeps replacing documents restore whole."""
        dim = 8
        store = EdgeStore(tmp_path / "edge", dim)
        stop = threading.Event()
        rng = np.random.default_rng(5)

        def writer():
            step = 0
            while not stop.is_set():
                doc_id, parts = f"d{step % 4}", 1 + step % 3
                text = " ".join(f"p{i}" for i in range(parts))
                chunks = [ChunkPoint(doc_id, i, rng.normal(size=dim).tolist(), {"chunk_index": i, "text": f"p{i}", "start": 3 * i, "end": 3 * i + 2}) for i in range(parts)]
                store.write_document({"doc_id": doc_id, "version": f"v{step}", "text": text}, chunks)
                step += 1
                time.sleep(0.002)

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            for i in range(2):
                time.sleep(0.1)
                snapshot(store, tmp_path / f"s{i}.tar")
        finally:
            stop.set()
            thread.join()
            store.close()
        for i in range(2):
            restore(tmp_path / f"s{i}.tar", tmp_path / f"r{i}")
            with EdgeStore(tmp_path / f"r{i}" / "index", dim) as restored:
                integrity = crash_test.check_integrity(restored)
                assert not integrity["problems"] and integrity["documents"] == 4, integrity
