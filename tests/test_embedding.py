"""Encoder: centering and the query shift, and query coalescing across threads, with the real model
and with a controllable stand-in."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from index.embedding import Encoder, LanguageCentering, QueryCoalescer

QUERIES = [
    ("What did Gotland promise about violence in close relationships?", "en"),
    ("Polisen och kommunen lovar trygghetsvandringar", "sv"),
    ("Polisi na jamii watafanya kazi pamoja", "sw"),
    ("Opština Berane će nastaviti saradnju sa policijom", "cnr"),
    ("پلیس و شهرداری برای امنیت محله همکاری خواهند کرد", "fa"),
    ("safety walks in the town centre", "en"),
]


def test_concurrent_queries_get_the_vectors_they_get_alone(encoder):
    alone = [encoder.queries([text], [language])[0] for text, language in QUERIES]
    with ThreadPoolExecutor(len(QUERIES)) as pool:
        together = list(pool.map(lambda pair: encoder.queries([pair[0]], [pair[1]])[0], QUERIES * 3))
    for i, vector in enumerate(together):
        np.testing.assert_allclose(vector, alone[i % len(QUERIES)], atol=2e-5)


def test_queries_lose_part_of_their_question_component_and_passages_nothing():
    means = {side: {"en": np.zeros(3, dtype=np.float32)} for side in ("query", "passage", "section")}
    direction = np.array([0.0, 1.0, 0.0], dtype=np.float32)
    centering = LanguageCentering("means", means, question_direction=direction, question_weight=0.5)
    question_like = np.array([[1.0, 1.0, 0.0]], dtype=np.float32)
    topic_like = np.array([[1.0, 0.2, 0.0]], dtype=np.float32)
    np.testing.assert_allclose(centering.apply(question_like, "query", ["en"]), [[1.0 / np.hypot(1.0, 0.5), 0.5 / np.hypot(1.0, 0.5), 0.0]], atol=1e-6)
    # a query with little of the component is moved little: a projection, not a fixed offset
    np.testing.assert_allclose(centering.apply(topic_like, "query", ["en"]), [[1.0 / np.hypot(1.0, 0.1), 0.1 / np.hypot(1.0, 0.1), 0.0]], atol=1e-6)
    plain = LanguageCentering("means", means)
    for side in ("passage", "section"):
        np.testing.assert_array_equal(centering.apply(question_like, side, ["en"]), plain.apply(question_like, side, ["en"]))


def test_the_bundled_question_direction_is_the_genre_questions_mean_and_leaves_stored_vectors_valid(encoder):
    """The direction in index/data is what `fit_question_direction` makes from the genre set's dev
    questions (a refit after those questions change must not be forgotten), and it is not in the
    signature that tells stored vectors apart: passages do not depend on it."""
    from benchmarks.fit_centering import QUESTION_WEIGHT, fit_question_direction

    bundled = encoder.centering
    assert bundled.question_direction is not None and bundled.question_weight == QUESTION_WEIGHT
    refitted = fit_question_direction(encoder.model, bundled)
    assert float(refitted @ bundled.question_direction) > 0.99  # fitted with torch; the tests may run ONNX int8
    unshifted = Encoder(encoder.model, LanguageCentering(bundled.name, bundled.means))
    assert unshifted.signature == encoder.signature
    text, language = QUERIES[0]
    assert not np.allclose(unshifted.queries([text], [language]), encoder.queries([text], [language]), atol=1e-3)


class _GatedModel:
    """A stand-in encoder whose first call waits for a signal, so the test decides what queues
    behind it (the real model is too fast to hold a queue deterministically)."""

    def __init__(self):
        self.calls: list[list[str]] = []
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        if len(self.calls) == 1:
            self.started.set()
            assert self.release.wait(10)
        if any(text == "boom" for text in texts):
            raise RuntimeError("model failed")
        return np.array([[float(len(text))] for text in texts])


def _wait_for_queue(coalescer: QueryCoalescer, size: int) -> None:
    deadline = time.monotonic() + 10
    while len(coalescer._queue) < size:
        assert time.monotonic() < deadline, "callers never queued"
        time.sleep(0.001)


def test_calls_queued_behind_a_running_one_share_one_model_call():
    model = _GatedModel()
    coalescer = QueryCoalescer(model)
    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(coalescer, ["a"])
        assert model.started.wait(10)
        later = [pool.submit(coalescer, texts) for texts in (["bb"], ["ccc", "dddd"], ["eeeee"])]
        _wait_for_queue(coalescer, 3)
        model.release.set()
        assert first.result().tolist() == [[1.0]]
        assert [f.result().tolist() for f in later] == [[[2.0]], [[3.0], [4.0]], [[5.0]]]
    assert len(model.calls) == 2
    assert sorted(model.calls[1]) == ["bb", "ccc", "dddd", "eeeee"]


def test_a_failed_batch_fails_every_caller_in_it_and_the_next_call_works():
    model = _GatedModel()
    coalescer = QueryCoalescer(model)
    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(coalescer, ["a"])
        assert model.started.wait(10)
        doomed = [pool.submit(coalescer, ["boom"]), pool.submit(coalescer, ["fine"])]
        _wait_for_queue(coalescer, 2)
        model.release.set()
        first.result()
        for future in doomed:
            with pytest.raises(RuntimeError, match="model failed"):
                future.result()
    assert coalescer(["ok"]).tolist() == [[2.0]]
