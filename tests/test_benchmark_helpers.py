"""The benchmarks build their large indexes with the pipeline's own writer, so their payloads are the real ones."""

import numpy as np

from benchmarks.perf_common import upsert_chunks
from index.access import ALL_DOCUMENTS
from index.store import EdgeStore

DIM = 8


def test_upsert_chunks_writes_whole_documents_as_ingestion_does(tmp_path):
    text_a = "Polisen ska öka närvaron. Kommunen ska bjuda in till trygghetsvandringar."
    text_b = "Wananchi watashirikishwa katika doria za usiku."
    doc_a = {"doc_id": "a", "title": "A", "language": "sv", "country": "SE", "region": "Gotland", "doc_type": "pledge",
             "organisations": ["Polisen"], "date": "2020-05-04", "year": 2020, "document_text": text_a}
    doc_b = {"doc_id": "b", "title": None, "language": "sw", "country": "TZ", "region": None, "doc_type": "news",
             "organisations": [], "date": None, "year": None, "document_text": text_b}
    chunks = [
        {**doc_a, "chunk_index": 0, "text": text_a[:25], "start": 0, "end": 25},
        {**doc_a, "chunk_index": 1, "text": text_a[26:], "start": 26, "end": len(text_a)},
        {**doc_b, "chunk_index": 0, "text": text_b, "start": 0, "end": len(text_b)},
    ]
    vectors = np.random.default_rng(0).normal(size=(3, DIM)).astype(np.float32)
    with EdgeStore(tmp_path / "index", DIM) as store:
        assert upsert_chunks(store, chunks, vectors)["documents"] == 2
        assert upsert_chunks(store, chunks, vectors, copy=1)["documents"] == 2
        assert store.count_documents(ALL_DOCUMENTS) == 4 and store.count_chunks(ALL_DOCUMENTS) == 6
        record = store.document(ALL_DOCUMENTS, "a-c1")
        assert record["chunk_count"] == 3 and record["dirty"] == 0 and record["text"] == text_a  # two passages, one section
        (section,) = store.chunks(ALL_DOCUMENTS, "a", kind="section")
        assert (section["start"], section["end"]) == (0, len(text_a))
        assert store.count_chunks(ALL_DOCUMENTS, kind="section") == 4
        assert record["date_num"] == 20200504 and record["region"] == "Gotland"
        stored = store.chunks(ALL_DOCUMENTS, "a")
        assert [(c["chunk_index"], c["state"], c["text"]) for c in stored] == [(0, "live", text_a[:25]), (1, "live", text_a[26:])]
        assert text_a[stored[1]["start"]:stored[1]["end"]] == stored[1]["text"]
        hits = store.search(ALL_DOCUMENTS, vectors[2].tolist(), limit=2)
        assert {h.payload["doc_id"] for h in hits} == {"b", "b-c1"}


def test_same_event_groups_are_disjoint_ntrex_articles_of_one_split():
    """The judged same-event groups the retrieval benchmark counts as right besides the strict
    answer: every id an NTREX article, no article in two groups, each group within one split."""
    import pytest

    from benchmarks import ntrex
    from benchmarks.retrieval import same_story_groups

    groups = same_story_groups()
    assert all(article in group and len(group) >= 2 for article, group in groups.items())
    assert sum(len(g) for g in {frozenset(g) for g in groups.values()}) == len(groups)  # disjoint
    if not ntrex.DEFAULT_PATH.exists():
        pytest.skip(f"NTREX is not at {ntrex.DEFAULT_PATH} (a clone outside the workspace): ids not checked")
    split_of = {r["doc_id"]: split for split in ("dev", "test") for r in ntrex.load(split, ("eng",))}
    assert all(article in split_of for article in groups)
    assert all(len({split_of[a] for a in group}) == 1 for group in groups.values())


def test_real_pages_are_scored_only_on_the_judged_text(tmp_path):
    """The pages' text lives outside the repo; a missing or changed page must stop the run, naming it."""
    import hashlib
    import json

    import pytest

    from benchmarks.realpages_eval import REALPAGES, load_pages

    pages = [json.loads(line) for line in (REALPAGES / "dev" / "docs.jsonl").read_text(encoding="utf-8").splitlines()]
    folder = tmp_path / "dev"
    folder.mkdir()
    first, second = pages[0], pages[1]
    (folder / f"{first['doc_id']}.txt").write_text("not the page", encoding="utf-8")
    assert hashlib.sha256(b"not the page").hexdigest() != first["sha256"]
    with pytest.raises(SystemExit) as stopped:
        load_pages("dev", tmp_path)
    message = str(stopped.value)
    assert f"{first['doc_id']}.txt: not the judged text" in message
    assert f"{second['doc_id']}.txt: missing (the text of {second['url']})" in message


def test_a_missing_page_can_be_left_out_but_a_changed_one_never(tmp_path):
    import json

    import pytest

    from benchmarks.realpages_eval import REALPAGES, load_pages

    pages = [json.loads(line) for line in (REALPAGES / "dev" / "docs.jsonl").read_text(encoding="utf-8").splitlines()]
    folder = tmp_path / "dev"
    folder.mkdir()
    kept = pages[0]
    (folder / f"{kept['doc_id']}.txt").write_bytes(b"x")  # stands in for a page: only its hash is read
    with pytest.raises(SystemExit, match="not the judged text"):
        load_pages("dev", tmp_path, skip_missing=True)
    (folder / f"{kept['doc_id']}.txt").unlink()
    present, missing = load_pages("dev", tmp_path, skip_missing=True)
    assert present == [] and missing == {p["doc_id"] for p in pages}


def test_recall_counts_every_relevant_document_and_success_any_of_them():
    from service.evaluation import score_query

    scores = score_query(["a", "x", "b", "y"], [], ["a", "b"], None)
    assert scores["recall@1"] == 0.5 and scores["success@1"] == 1.0
    assert scores["recall@3"] == 1.0 and scores["success@3"] == 1.0
    missed = score_query(["x", "y"], [], ["a"], None)
    assert missed["recall@10"] == 0.0 and missed["success@10"] == 0.0


def test_the_heldout_ledger_splits_each_first_run_by_page_kind_without_losing_a_count():
    """The per-kind counts come from the judged pages and the run's error lists: they must add up to
    the run's own totals, pool by pool, and the pooled figure to the sum of the pools."""
    from benchmarks.heldout_ledger import FIRST_RUNS, _load, commitments_by_page_kind, ledger

    pooled = [0, 0, 0]
    for pool in FIRST_RUNS:
        report = _load("-commitments", pool)
        if report is None:
            continue
        by_kind = commitments_by_page_kind(pool, report)
        assert all(tp >= 0 for tp, _, _ in by_kind.values()), pool
        sums = [sum(counts[i] for counts in by_kind.values()) for i in range(3)]
        overall = report["overall"]
        assert sums == [overall["tp"], overall["fp"], overall["fn"]], pool
        pooled = [a + b for a, b in zip(pooled, sums)]
    result = ledger()
    assert [result["commitments"][key] for key in ("tp", "fp", "fn")] == pooled
    assert pooled[0] > 0


def test_a_pool_without_questions_is_refused_for_retrieval(tmp_path, monkeypatch, capsys):
    """dev3 holds commitment judgements only: a retrieval run on it must say so, not fail on a missing file."""
    import sys

    import pytest

    from benchmarks import realpages_eval

    assert not (realpages_eval.REALPAGES / "dev3" / "questions.jsonl").exists()
    monkeypatch.setattr(sys, "argv", ["realpages_eval", "--pool", "dev3", "--pages-dir", str(tmp_path)])
    with pytest.raises(SystemExit):
        realpages_eval.main()
    assert "pool dev3 has no questions (commitment judgements only)" in capsys.readouterr().err
