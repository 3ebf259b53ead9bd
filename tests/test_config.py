"""Settings: defaults, environment variables, explicit overrides, clear errors."""

from pathlib import Path

import pytest

from service.settings import Settings


def test_defaults_are_embedded_and_offline(monkeypatch):
    for variable in (f"AHADI_{name.upper()}" for name in Settings.model_fields):
        monkeypatch.delenv(variable, raising=False)
    settings = Settings.from_env()
    assert settings.qdrant_url is None
    assert settings.data_dir == Path("data")
    assert settings.model == "multilingual-e5-small-adapted"  # bundled, offline, with its adapter
    assert settings.max_file_bytes == 20_000_000


def test_environment_then_overrides(monkeypatch):
    monkeypatch.setenv("AHADI_DATA_DIR", "/srv/ahadi")
    monkeypatch.setenv("AHADI_MAX_FILE_MB", "50")
    monkeypatch.setenv("AHADI_QDRANT_URL", "http://qdrant:6333")
    settings = Settings.from_env(data_dir=Path("/elsewhere"))
    assert settings.data_dir == Path("/elsewhere")
    assert settings.max_file_bytes == 50_000_000
    assert settings.qdrant_url == "http://qdrant:6333"


@pytest.mark.parametrize("variable, value", [
    ("AHADI_MAX_FILE_MB", "lots"), ("AHADI_MAX_FILE_MB", "-1"), ("AHADI_BATCH_SIZE", "0"), ("AHADI_HNSW_EF", "1.5"),
])
def test_bad_numbers_name_the_variable(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=variable):
        Settings.from_env()


def test_api_key_is_not_in_repr(monkeypatch):
    monkeypatch.setenv("AHADI_QDRANT_API_KEY", "s3cret")
    assert "s3cret" not in repr(Settings.from_env())


def test_encoder_backend_is_checked_against_the_valid_ones(monkeypatch):
    monkeypatch.setenv("AHADI_ENCODER_BACKEND", "onnx-int8")
    assert Settings.from_env().encoder_backend == "onnx-int8"
    monkeypatch.setenv("AHADI_ENCODER_BACKEND", "tensorrt")
    with pytest.raises(ValueError, match="AHADI_ENCODER_BACKEND must be one of torch, onnx, onnx-int8"):
        Settings.from_env()


def test_hnsw_ef_reaches_the_embedded_store(monkeypatch, tmp_path):
    from index.store import open_store

    monkeypatch.setenv("AHADI_HNSW_EF", "1024")
    store = open_store(Settings.from_env(data_dir=tmp_path), 8)
    try:
        assert store.hnsw_ef == 1024
    finally:
        store.close()


def test_hnsw_ef_is_automatic_unless_set(monkeypatch, tmp_path):
    assert Settings.from_env().hnsw_ef is None
    monkeypatch.setenv("AHADI_HNSW_EF", "auto")
    assert Settings.from_env().hnsw_ef is None
    monkeypatch.setenv("AHADI_HNSW_EF", "many")
    with pytest.raises(ValueError, match='AHADI_HNSW_EF must be a positive whole number or "auto"'):
        Settings.from_env()
