"""Shared fixtures. The real model is loaded once per session (about 10 s) and reused."""

from __future__ import annotations

import os

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def settings_factory(tmp_path_factory):
    """Settings for a fresh data dir; the model cache is shared by the whole session."""
    from service.settings import Settings

    cache = Path(os.environ.get("AHADI_MODEL_CACHE_DIR", tmp_path_factory.mktemp("model-cache")))

    def make(**overrides) -> Settings:
        overrides.setdefault("data_dir", tmp_path_factory.mktemp("data"))
        return Settings.from_env(model_cache_dir=cache, **overrides)

    return make


@pytest.fixture(scope="session")
def encoder(settings_factory):
    """The real multilingual-e5-small with the bundled centering means."""
    from index.embedding import Encoder, LanguageCentering
    from index.model import load_encoder

    settings = settings_factory()
    return Encoder(load_encoder(settings.model, settings.model_cache_dir, backend=settings.encoder_backend), LanguageCentering.for_model(settings.model))


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
