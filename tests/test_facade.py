"""The facade `Ahadi`: one behaviour for the CLI and the API, restores into the configured backend,
JSON documents without temporary files, and no model load for commands that do not need it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from qdrant_client import QdrantClient

from index.access import ALL_DOCUMENTS
from api.app import create_app
from core.languages import HBS_FAMILY
from index.store import EdgeStore, ServerStore
from service.errors import NotFound
from service.facade import Ahadi
from service.filters import FilterValues

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "cooperation between the police and the municipality on safety"


class _Borrowed:
    """The session's corpus app behind the CLI, left open when the CLI is done."""

    def __init__(self, app):
        self.app = app

    def __enter__(self):
        return self.app

    def __exit__(self, *exc):
        return False


def _cli_search(corpus_app, monkeypatch, capsys, *options: str) -> list[dict]:
    from ahadi import cli

    monkeypatch.setattr("service.facade.Ahadi", lambda settings: _Borrowed(corpus_app))
    assert cli.main(["search", QUESTION, "--top-k", "10", "--json", *options]) == 0
    return json.loads(capsys.readouterr().out)["results"]


def test_cli_language_family_filter_is_the_apis(corpus_app, monkeypatch, capsys):
    found = _cli_search(corpus_app, monkeypatch, capsys, "--lang", "hbs")
    assert found, "the corpus has a Montenegrin document: hbs must find it"
    assert {r["language"] for r in found} <= HBS_FAMILY
    assert "cnr" in {r["language"] for r in found}  # a variant, not the family code itself
    api = corpus_app.search(ALL_DOCUMENTS, QUESTION, FilterValues(language=["hbs"]), top_k=10)
    assert [r["doc_id"] for r in found] == [r.doc_id for r in api.results]


def test_cli_language_names_are_understood(corpus_app, monkeypatch, capsys):
    found = _cli_search(corpus_app, monkeypatch, capsys, "--lang", "Swedish")
    assert found and {r["language"] for r in found} == {"sv"}
    by_code = _cli_search(corpus_app, monkeypatch, capsys, "--lang", "sv")
    assert [r["doc_id"] for r in found] == [r["doc_id"] for r in by_code]


def test_cli_rejects_a_bad_filter_value_as_the_api_does(corpus_app, monkeypatch, capsys):
    from ahadi import cli

    monkeypatch.setattr("service.facade.Ahadi", lambda settings: _Borrowed(corpus_app))
    assert cli.main(["search", QUESTION, "--country", "Narnia!"]) == 2
    assert "not an ISO 3166-1 alpha-2 code" in capsys.readouterr().err


def test_restore_over_http_goes_to_the_server_backend(settings_factory, encoder):
    # qdrant-client's local mode implements the server's API; the URL is only what selects the backend.
    settings = settings_factory(qdrant_url="http://qdrant.invalid:6333", open_access=True, rate_limit=0)
    store = ServerStore(QdrantClient(":memory:"), "ahadi", encoder.dimension)
    ahadi = Ahadi(settings, encoder=encoder, store=store)
    document = {"id": "pledge-1", "text": "Polisen och kommunen ska genomföra trygghetsvandringar varje höst i Visby.", "language": "sv"}
    with TestClient(create_app(settings, app=ahadi)) as client:
        assert client.post("/v1/documents", json=document).status_code == 200
        taken = client.post("/v1/snapshots")
        assert taken.status_code == 200, taken.text
        assert client.delete("/v1/documents/pledge-1").status_code == 200
        assert client.get("/v1/documents/pledge-1").status_code == 404
        restored = client.post(f"/v1/snapshots/{taken.json()['name']}/restore")
        assert restored.status_code == 200, restored.text
        assert restored.json()["documents"] == 1
        back = client.get("/v1/documents/pledge-1")
        assert back.status_code == 200 and back.json()["language"] == "sv"
        hits = client.get("/v1/search", params={"query": "safety walks in autumn", "top_k": 3}).json()["results"]
        assert [hit["doc_id"] for hit in hits] == ["pledge-1"]
    assert store.count_documents(ALL_DOCUMENTS) == 1
    assert not settings.layout.index.exists()  # nothing was restored into the embedded directory
    ahadi.close()


def test_json_documents_are_ingested_without_temporary_files(settings_factory, encoder, monkeypatch):
    import api.ingestion

    def no_files(*args, **kwargs):
        raise AssertionError("JSON documents were written to a temporary folder")

    monkeypatch.setattr(api.ingestion.tempfile, "mkdtemp", no_files)
    settings = settings_factory(open_access=True, rate_limit=0)
    ahadi = Ahadi(settings, encoder=encoder)
    body = {"documents": [
        {"id": "a", "text": "Kommunen ska öppna ett nytt fritidsgårdsprogram för unga under 2025."},
        {"id": "a", "text": "Ett annat dokument med samma id."},
        {"id": "b", "text": "   "},
    ]}
    with TestClient(create_app(settings, app=ahadi)) as client:
        report = client.post("/v1/documents", json=body)
        assert report.status_code == 200, report.text
        report = report.json()
        assert report["written"] == ["a"]
        skipped = {item["source"]: item for item in report["skipped"]}
        assert skipped["documents[1]"]["doc_id"] == "a" and "already used by documents[0]" in skipped["documents[1]"]["reason"]
        assert skipped["documents[2]"]["doc_id"] == "b" and skipped["documents[2]"]["reason"] == '"text" is empty'
        assert client.get("/v1/documents/a").json()["source"] == "api:json"
    ahadi.close()


def test_reading_deleting_and_snapshots_do_not_load_the_model(settings_factory, monkeypatch, tmp_path):
    import service.facade

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded")

    settings = settings_factory()
    EdgeStore(settings.layout.index, 384).close()  # an existing (empty) index of the model's size
    monkeypatch.setattr(service.facade, "load_encoder", no_model)
    with Ahadi(settings) as ahadi:
        stats = ahadi.stats()
        assert stats["documents"] == 0 and stats["model"] == settings.model
        with pytest.raises(NotFound, match="no document with id 'nothing'"):
            ahadi.delete(ALL_DOCUMENTS, "nothing")
        manifest = ahadi.snapshot(tmp_path / "empty.snapshot")
        assert manifest["documents"] == 0
        assert ahadi.restore(tmp_path / "empty.snapshot", force=True)["points"] == 0
        assert not ahadi.model_loaded


def test_a_new_index_takes_the_models_vector_size(settings_factory, encoder):
    settings = settings_factory()
    with Ahadi(settings, encoder=encoder) as ahadi:
        assert ahadi.store.count_documents(ALL_DOCUMENTS) == 0
    with Ahadi(settings) as reopened:  # the size is read from the index, not from a model
        assert reopened.store.dimension == encoder.dimension and not reopened.model_loaded


def test_a_new_language_rules_version_re_indexes(settings_factory, encoder, monkeypatch):
    import ingest.pipeline

    settings = settings_factory()
    record = {"id": "rules", "text": "Polisen och kommunen ska genomföra trygghetsvandringar varje höst i Visby."}
    with Ahadi(settings, encoder=encoder) as ahadi:
        assert ahadi.ingest_documents([record]).written == ["rules"]
        assert ahadi.ingest_documents([record]).unchanged == ["rules"]
    monkeypatch.setattr(ingest.pipeline, "LANGUAGE_RULES_VERSION", "language-changed")
    with Ahadi(settings, encoder=encoder) as ahadi:
        assert ahadi.ingest_documents([record]).written == ["rules"]
