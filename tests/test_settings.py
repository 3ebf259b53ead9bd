"""The one settings object: where the old CLI and API settings disagreed, and the data-dir layout."""

from pathlib import Path

import pytest

from service.settings import DataDir, Settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in Settings.model_fields:
        monkeypatch.delenv(f"AHADI_{name.upper()}", raising=False)


def test_surrounding_whitespace_is_stripped_in_every_variable(monkeypatch):
    monkeypatch.setenv("AHADI_ENCODER_BACKEND", " onnx ")  # the CLI's settings refused this
    monkeypatch.setenv("AHADI_MAX_UPLOAD_MB", " 5 ")
    monkeypatch.setenv("AHADI_QDRANT_URL", " http://qdrant:6333 ")
    monkeypatch.setenv("AHADI_OPEN_ACCESS", " yes ")
    settings = Settings.from_env()
    assert settings.encoder_backend == "onnx"
    assert settings.max_upload_bytes == 5_000_000
    assert settings.qdrant_url == "http://qdrant:6333"
    assert settings.open_access is True


def test_a_blank_variable_is_unset(monkeypatch):
    monkeypatch.setenv("AHADI_QDRANT_URL", "   ")  # was a server URL of three spaces
    monkeypatch.setenv("AHADI_MAX_FILE_MB", "  ")  # was an error
    monkeypatch.setenv("AHADI_COLLECTION", "")
    settings = Settings.from_env()
    assert settings.qdrant_url is None
    assert settings.max_file_bytes == 20_000_000
    assert settings.collection == "ahadi"


@pytest.mark.parametrize("variable", ["AHADI_MAX_FILE_MB", "AHADI_MAX_UPLOAD_MB", "AHADI_BATCH_SIZE", "AHADI_HNSW_EF", "AHADI_MAX_BULK_DOCUMENTS"])
def test_zero_is_refused_where_it_means_nothing(monkeypatch, variable):
    # The API's settings took AHADI_MAX_BULK_DOCUMENTS=0, which refused every POST /v1/documents.
    monkeypatch.setenv(variable, "0")
    with pytest.raises(ValueError, match=f"{variable} must be"):
        Settings.from_env()


def test_zero_rate_limit_turns_the_limit_off(monkeypatch):
    monkeypatch.setenv("AHADI_RATE_LIMIT", "0")
    assert Settings.from_env().rate_limit == 0
    monkeypatch.setenv("AHADI_RATE_LIMIT", "-5")
    with pytest.raises(ValueError, match="AHADI_RATE_LIMIT must be 0 \\(no limit\\) or a positive whole number, got '-5'"):
        Settings.from_env()


def test_overrides_win_and_none_keeps_the_environment(monkeypatch):
    monkeypatch.setenv("AHADI_API_URL", "http://server:8000")
    monkeypatch.setenv("AHADI_API_KEY", "ahadi_x_y")
    settings = Settings.from_env(data_dir=Path("/srv/a"), api_url=None)
    assert settings.api_url == "http://server:8000" and settings.data_dir == Path("/srv/a")
    assert "ahadi_x_y" not in repr(settings)
    assert Settings.from_env(api_url="http://other:1").api_url == "http://other:1"


def test_replace_checks_values_like_the_environment():
    settings = Settings.from_env()
    assert settings.replace(rate_limit=3).rate_limit == 3
    with pytest.raises(ValueError, match="AHADI_MAX_UPLOAD_MB must be a positive number"):
        settings.replace(max_upload_mb=0)


def test_every_path_under_the_data_dir_is_named_once(tmp_path):
    layout = Settings.from_env(data_dir=tmp_path).layout
    assert layout == DataDir(tmp_path)
    assert layout.index == tmp_path / "index"
    assert layout.keys_file == tmp_path / "api_keys.json"
    assert layout.snapshots == tmp_path / "snapshots"
    assert layout.inbox == tmp_path / ".api-inbox"
