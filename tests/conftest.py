"""Shared fixtures, markers and a clean environment.

- The developer's own `AHADI_*` variables never reach the tests: they are removed before any test
  module is imported (settings can be read at import) and again before each test (in case one
  set a variable without monkeypatch). The one taken over is `AHADI_MODEL_CACHE_DIR`, and only as
  the session's model cache: it says where the converted model is kept, not what it is (its
  folder carries a marker of the source file and converter; `index.model`), and converting and
  exporting it again takes minutes.
- The model is converted once per session and loaded once per backend (`torch_encoder`,
  `onnx_encoders`; `encoder` wraps the settings' one), shared by every test that needs vectors.
- Markers (`--strict-markers`): `model` for every test that loads, converts or embeds with the
  model (given automatically to tests that use a model fixture), `slow` for long runs (crash runs,
  fuzzing, over 10 s). The fast loop: `pytest -m "not model and not slow"`.
"""

from __future__ import annotations

import os

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

_DEVELOPER_MODEL_CACHE = os.environ.get("AHADI_MODEL_CACHE_DIR")


def ahadi_variables() -> list[str]:
    return [name for name in os.environ if name.startswith("AHADI_")]


for _name in ahadi_variables():
    del os.environ[_name]


@pytest.fixture(autouse=True)
def clean_environment():
    """No `AHADI_*` variable at the start of a test, whoever set it (tests use monkeypatch.setenv)."""
    for name in ahadi_variables():
        del os.environ[name]


# Fixtures that load, convert or embed with the model: a test that uses one, directly or through
# another fixture, is marked `model`.
MODEL_FIXTURES = frozenset({"model_folder", "torch_encoder", "onnx_encoders", "encoder"})


def pytest_collection_modifyitems(items):
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory) -> Path:
    return Path(_DEVELOPER_MODEL_CACHE) if _DEVELOPER_MODEL_CACHE else tmp_path_factory.mktemp("model-cache")


@pytest.fixture(scope="session")
def settings_factory(tmp_path_factory, model_cache):
    """Settings for a fresh data dir; the model cache is shared by the whole session."""
    from service.settings import Settings

    def make(**overrides) -> Settings:
        overrides.setdefault("data_dir", tmp_path_factory.mktemp("data"))
        return Settings.from_env(model_cache_dir=model_cache, **overrides)

    return make


@pytest.fixture(scope="session")
def model_folder(model_cache) -> Path:
    """The bundled model converted to a sentence-transformers folder (once per cache)."""
    from index.model import prepare_builtin_model

    return prepare_builtin_model(model_cache)


@pytest.fixture(scope="session")
def torch_encoder(model_folder, model_cache):
    """The bundled model as sentence-transformers loads it (torch): the reference vectors."""
    from index.model import BUILTIN_MODEL, load_encoder

    return load_encoder(BUILTIN_MODEL, model_cache, backend="torch")


@pytest.fixture(scope="session")
def onnx_encoders(model_folder):
    """`backend` → the bundled model run by ONNX Runtime on it ("onnx", "onnx-int8"), each loaded once."""
    from functools import cache

    from index.onnx import OnnxSentenceEncoder

    return cache(lambda backend: OnnxSentenceEncoder(model_folder, backend))


@pytest.fixture(scope="session")
def encoder(settings_factory, model_cache):
    """The settings' model (the bundled one with its cross-lingual adapter) on the settings' backend,
    with its bundled centering means: what `Ahadi` itself would load."""
    from index.embedding import Encoder, LanguageCentering
    from index.model import load_encoder

    settings = settings_factory()
    return Encoder(load_encoder(settings.model, model_cache, backend=settings.encoder_backend), LanguageCentering.for_model(settings.model))


@pytest.fixture(scope="session")
def corpus_app(settings_factory, encoder):
    """An Ahadi over the demo corpus in an embedded store, ingested once for the session."""
    from service.facade import Ahadi

    app = Ahadi(settings_factory(), encoder=encoder)
    report = app.ingest([CORPUS])
    assert len(report.written) == 5, report.to_dict()
    yield app
    app.close()


def comparable_ranking(rows: list[tuple[str, float]]) -> list[tuple[float, str]]:
    """A ranking as (score, id) sorted by score then id, to compare two engines.

    Exact score ties may come in either order (RRF ties often: rank 1 + rank 2 = rank 2 + rank 1),
    and a tie at the cut-off may keep either member, so rows tied with the last score are dropped.
    """
    ranked = sorted((-round(score, 4), item) for item, score in rows)
    return [row for row in ranked if row[0] != ranked[-1][0]]
