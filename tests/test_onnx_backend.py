"""The ONNX Runtime backends give the torch model's vectors (fp32) or close to them (int8, the default on CPUs with VNNI)."""

import numpy as np
import pytest

from index.onnx import OnnxSentenceEncoder
from index.model import load_encoder

TEXTS = [
    "query: Which treatment programme for violent men did Gotland promise?",
    "passage: Under 2020 ska fem män med våldsproblematik i nära relationer ha påbörjat behandling.",
    "passage: Makubaliano yanabainisha jinsi washirika watafanya kazi pamoja.",
    "passage: svi oni koji primjete pojavu nasilja dužni da isto prijave Centru za socijalni rad",
    "passage: این طرح در 3 هزار کلانتری اجرایی خواهد شد.",
]


@pytest.fixture(scope="module")
def torch_vectors(torch_encoder):
    return torch_encoder.encode(TEXTS, normalize_embeddings=True)


@pytest.fixture(scope="module")
def int8_encoder(onnx_encoders):
    return onnx_encoders("onnx-int8")


@pytest.mark.parametrize("backend, minimum", [("onnx", 0.9999), ("onnx-int8", 0.98)])
def test_backend_vectors_match_torch(onnx_encoders, torch_vectors, backend, minimum):
    vectors = np.asarray(onnx_encoders(backend).encode(TEXTS, normalize_embeddings=True))
    cosines = (vectors * torch_vectors).sum(axis=1)
    assert cosines.min() >= minimum, cosines


def test_unknown_backend_is_refused(tmp_path):
    with pytest.raises(ValueError, match="valid: torch, onnx, onnx-int8"):
        load_encoder("multilingual-e5-small", tmp_path, backend="tensorrt")


def test_int8_vector_of_a_text_does_not_depend_on_the_other_texts(int8_encoder):
    # Dynamic int8 quantisation scales activations over the whole batch: batched, a text's vector
    # changed with its neighbours (cosine 0.998). One text per run keeps it fixed.
    together = np.asarray(int8_encoder.encode(TEXTS, normalize_embeddings=True))
    for i, text in enumerate(TEXTS):
        alone = np.asarray(int8_encoder.encode([text], normalize_embeddings=True))[0]
        np.testing.assert_allclose(together[i], alone, atol=1e-6)


def test_parallel_runs_give_the_vectors_of_one_run_at_a_time(model_folder):
    # Texts of one call go to a pool of single-threaded runs, and concurrent callers run at once;
    # the tokenizer (not safe for two threads at once) is behind a lock.
    from concurrent.futures import ThreadPoolExecutor

    sequential = OnnxSentenceEncoder(model_folder, "onnx-int8", runs=1)
    parallel = OnnxSentenceEncoder(model_folder, "onnx-int8", runs=3)
    expected = sequential.encode(TEXTS, normalize_embeddings=True)
    np.testing.assert_array_equal(parallel.encode(TEXTS, normalize_embeddings=True), expected)
    with ThreadPoolExecutor(4) as pool:
        concurrent = list(pool.map(lambda i: parallel.encode(TEXTS[i % len(TEXTS)], normalize_embeddings=True), range(20)))
    for i, vector in enumerate(concurrent):
        np.testing.assert_array_equal(vector, expected[i % len(TEXTS)])
