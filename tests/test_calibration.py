"""Per-language score calibration: the statistics, and what it does to a ranking in a real store.

The ranking test uses small synthetic vectors in a real Qdrant Edge store, because what is tested
is how scores of different languages are put on one scale, which needs a language whose scores are
known to be inflated; the real model's calibrated search runs in tests/test_pipeline.py and
tests/test_api.py through `Ahadi`, whose searcher calibrates by default.
"""

from __future__ import annotations

import numpy as np
import pytest

from index.access import ALL_DOCUMENTS
from index.calibration import ScoreCalibration
from index.search import Searcher
from index.store import ChunkPoint, EdgeStore

DIM = 16


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_moments_match_the_scores_of_the_passages_they_were_fitted_on():
    rng = np.random.default_rng(1)
    passages = _unit(rng.normal(size=(4000, DIM)) + np.eye(DIM)[0] * 2)
    calibration = ScoreCalibration.fit("t", {"sv": passages}, rank=DIM)
    query = _unit(rng.normal(size=(1, DIM)))
    mean, deviation = calibration.stats["sv"].moments(query)
    scores = passages @ query[0]
    assert mean[0] == pytest.approx(scores.mean(), abs=1e-4)
    assert deviation[0] == pytest.approx(scores.std(), rel=0.01)


def test_a_low_rank_fit_keeps_the_deviation_close():
    rng = np.random.default_rng(2)
    passages = _unit(rng.normal(size=(3000, DIM)) * np.linspace(3, 0.5, DIM))
    query = _unit(rng.normal(size=(1, DIM)))
    full = ScoreCalibration.fit("t", {"sv": passages}, rank=DIM).stats["sv"].moments(query)[1][0]
    low = ScoreCalibration.fit("t", {"sv": passages}, rank=4).stats["sv"].moments(query)[1][0]
    assert low == pytest.approx(full, rel=0.25)


def test_save_and_load_give_the_same_scores(tmp_path):
    rng = np.random.default_rng(3)
    calibration = ScoreCalibration.fit("t", {"sv": _unit(rng.normal(size=(200, DIM))), "hbs": _unit(rng.normal(size=(200, DIM)))}, rank=4)
    calibration.save(tmp_path / "c.npz")
    loaded = ScoreCalibration.load(tmp_path / "c.npz")
    query = _unit(rng.normal(size=(1, DIM)))[0]
    assert loaded.name == "t"
    assert loaded.scores(query, [0.3, 0.3], ["sv", "cnr"]) == pytest.approx(calibration.scores(query, [0.3, 0.3], ["sv", "cnr"]))


def test_sections_have_their_own_statistics_and_survive_save_and_load(tmp_path):
    rng = np.random.default_rng(7)
    passages = {"sv": _unit(rng.normal(size=(300, DIM)))}
    sections = {"sv": _unit(rng.normal(size=(300, DIM)) + np.eye(DIM)[0] * 3)}  # scored higher on direction 0
    calibration = ScoreCalibration.fit("t", passages, rank=4, sections_by_language=sections)
    calibration.save(tmp_path / "c.npz")
    loaded = ScoreCalibration.load(tmp_path / "c.npz")
    query = np.eye(DIM)[0]
    as_passage, as_section = loaded.scores(query, [0.9], ["sv"])[0], loaded.scores(query, [0.9], ["sv"], sections=True)[0]
    assert loaded.has_sections and not ScoreCalibration.fit("t", passages, rank=4).has_sections
    assert as_passage > 3 > as_section  # 0.9 is exceptional for a passage, ordinary for these sections
    assert as_section == pytest.approx(calibration.scores(query, [0.9], ["sv"], sections=True)[0])


def test_variants_use_their_family_and_unknown_languages_the_average():
    rng = np.random.default_rng(4)
    calibration = ScoreCalibration.fit("t", {"sv": _unit(rng.normal(size=(300, DIM))), "hbs": _unit(rng.normal(size=(300, DIM)) + 1)}, rank=4)
    query = _unit(rng.normal(size=(1, DIM)))[0]
    cnr, hbs, unknown, sv = calibration.scores(query, [0.5, 0.5, 0.5, 0.5], ["cnr", "hbs", None, "sv"])
    assert cnr == hbs
    assert min(hbs, sv) < unknown < max(hbs, sv) or hbs == sv


class _FixedEncoder:
    """Stands in for the model: the searcher only needs the query's vector here."""

    dimension = DIM

    def __init__(self, vector: np.ndarray):
        self.vector = vector

    def query_and_language(self, text, detect):
        return "en", self.vector

    def queries(self, texts, languages):
        return np.stack([self.vector])


def test_calibration_lifts_the_right_passage_above_a_language_that_scores_high_for_everything(tmp_path):
    rng = np.random.default_rng(5)
    offset = np.eye(DIM)[0]
    # Swedish passages all share a direction with the query (the model's language offset):
    # every one of them outscores the Swahili passage that is the real answer.
    query = _unit((offset + np.eye(DIM)[1])[None, :])[0]
    swedish = _unit(rng.normal(scale=0.05, size=(40, DIM)) + offset)
    swahili = _unit(rng.normal(scale=0.05, size=(40, DIM)) - 0.2 * offset)
    answer = _unit((np.eye(DIM)[1] * 0.8 - 0.3 * offset)[None, :])[0]
    swahili[0] = answer
    assert (swedish @ query).min() > answer @ query
    calibration = ScoreCalibration.fit("t", {"sv": swedish, "sw": swahili[1:]}, rank=8)  # typical passages: the answer is not one
    store = EdgeStore(tmp_path / "edge", DIM)
    for language, vectors in (("sv", swedish), ("sw", swahili)):
        for i, vector in enumerate(vectors):
            doc_id = f"{language}{i}"
            store.write_document(
                {"doc_id": doc_id, "version": "v1", "language": language},
                [ChunkPoint(doc_id=doc_id, chunk_index=0, dense=vector.tolist(), payload={"chunk_index": 0, "text": doc_id, "language": language})],
            )
    plain = Searcher(store, _FixedEncoder(query))
    calibrated = Searcher(store, _FixedEncoder(query), calibration=calibration)
    assert plain.search(ALL_DOCUMENTS, "q", top_k=1)[0].doc_id.startswith("sv")
    best = calibrated.search(ALL_DOCUMENTS, "q", top_k=3)
    assert best[0].doc_id == "sw0"
    assert best[0].score > 3 > best[1].score  # the answer stands out on the calibrated scale
    store.close()


def test_only_dense_calibrated_scores_count_as_calibrated(tmp_path):
    store = EdgeStore(tmp_path / "edge", DIM)
    calibration = ScoreCalibration.fit("t", {"sv": _unit(np.random.default_rng(6).normal(size=(50, DIM)))}, rank=4)
    encoder = _FixedEncoder(np.eye(DIM)[0])
    assert Searcher(store, encoder, calibration=calibration).calibrates()
    assert not Searcher(store, encoder, calibration=calibration).calibrates("hybrid")
    assert not Searcher(store, encoder, calibration=calibration, balance_languages=True).calibrates()
    assert not Searcher(store, encoder).calibrates()
    store.close()


def test_a_documents_best_section_moves_it_up_and_an_index_without_sections_keeps_passage_order(tmp_path):
    rng = np.random.default_rng(8)
    query = np.eye(DIM)[0]
    typical = {"sv": _unit(rng.normal(size=(400, DIM)))}
    calibration = ScoreCalibration.fit("t", typical, rank=8, sections_by_language=typical)
    store = EdgeStore(tmp_path / "edge", DIM)

    def vector(similarity: float) -> list[float]:
        return (similarity * query + np.sqrt(1 - similarity**2) * np.eye(DIM)[1]).tolist()

    def write(doc_id: str, passage: float, section: float | None) -> None:
        parts = [ChunkPoint(doc_id=doc_id, chunk_index=0, dense=vector(passage), payload={"chunk_index": 0, "text": doc_id, "language": "sv"})]
        if section is not None:
            parts.append(ChunkPoint(doc_id=doc_id, chunk_index=0, dense=vector(section), kind="section", payload={"chunk_index": 0, "language": "sv"}))
        store.write_document({"doc_id": doc_id, "version": "v1", "language": "sv"}, parts)

    # "sharp" has the slightly better passage; "whole" is about the question all through.
    write("sharp", 0.62, None)
    write("whole", 0.60, None)
    searcher = Searcher(store, _FixedEncoder(query), calibration=calibration)
    assert [r.doc_id for r in searcher.search(ALL_DOCUMENTS, "q", top_k=2)] == ["sharp", "whole"]
    write("sharp", 0.62, 0.20)
    write("whole", 0.60, 0.70)
    best = searcher.search(ALL_DOCUMENTS, "q", top_k=2)
    assert [r.doc_id for r in best] == ["whole", "sharp"]
    assert best[0].text == "whole"  # the hit is still the document's passage
    passages_only = Searcher(store, _FixedEncoder(query), calibration=calibration, passage_weight=1.0)
    assert [r.doc_id for r in passages_only.search(ALL_DOCUMENTS, "q", top_k=2)] == ["sharp", "whole"]  # sections weigh nothing
    assert [r.doc_id for r in searcher.search(ALL_DOCUMENTS, "q", top_k=2, group_by_document=False)] == ["sharp", "whole"]  # passages alone are not re-ranked
    # Pages of the re-ranked list neither repeat nor skip a document, whatever their size.
    for i in range(30):
        write(f"d{i:02d}", 0.55 - i * 0.01, 0.05 + (i % 7) * 0.1)
    everything = [r.doc_id for r in searcher.search(ALL_DOCUMENTS, "q", top_k=32)]
    assert len(everything) == 32
    for size in (1, 3, 5):
        paged = [r.doc_id for start in range(0, 32, size) for r in searcher.search(ALL_DOCUMENTS, "q", top_k=size, offset=start)]
        assert paged[:32] == everything
    store.close()


@pytest.mark.parametrize("weight", [-0.1, 1.5])
def test_a_passage_weight_outside_zero_to_one_is_refused(tmp_path, weight):
    store = EdgeStore(tmp_path / "edge", DIM)
    with pytest.raises(ValueError, match="passage_weight must be between 0 and 1"):
        Searcher(store, _FixedEncoder(np.eye(DIM)[0]), passage_weight=weight)
    store.close()
