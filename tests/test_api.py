"""The HTTP API through the real app: real model (the session's `encoder`), real Qdrant Edge store.

One app serves the module: the five corpus documents are ingested once as JSON (from their text
and sidecar), and every route group is exercised against it. Tests that change documents use
ids of their own and clean up. Apps with other settings (open mode, rate limit, upload limit,
no keys) share the same loaded model.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.keys import create_key, list_keys, revoke_key
from service.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOTLAND = "002_6654c4057f6be88f"
VARNAMO = "004_66e64ba19e0754aa"
SIDECAR_FIELDS = ("title", "language", "country", "region", "organisations", "doc_type", "date", "year")


def corpus_documents() -> list[dict]:
    docs = []
    for text_path in sorted(CORPUS.glob("*.txt")):
        meta = json.loads(text_path.with_name(text_path.stem + ".meta.json").read_text(encoding="utf-8"))
        doc = {"id": text_path.stem, "text": text_path.read_text(encoding="utf-8")}
        doc.update({k: meta[k] for k in SIDECAR_FIELDS if meta.get(k) not in (None, [], "")})
        docs.append(doc)
    return docs


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"status", "code", "message", "details"}, error
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    if code is not None:
        assert error["code"] == code, error
    return error


class Env:
    """The module's app, its keys and its loaded Ahadi."""

    def __init__(self, client, ahadi, settings, keys):
        self.client = client
        self.ahadi = ahadi
        self.settings = settings
        self.keys = keys

    def headers(self, which: str = "read") -> dict[str, str]:
        return {"X-API-Key": self.keys[which]}

    def get(self, url, key="read", **kw):
        return self.client.get(url, headers=self.headers(key), **kw)

    def post(self, url, key="read", **kw):
        return self.client.post(url, headers=self.headers(key), **kw)


@pytest.fixture(scope="module")
def env(settings_factory, encoder):
    from service.facade import Ahadi

    settings = settings_factory()
    keys = {
        "read": create_key(settings.data_dir, "reader", ["read"]),
        "write": create_key(settings.data_dir, "writer", ["write"]),
        "both": create_key(settings.data_dir, "admin", ["read", "write"]),
    }
    ahadi = Ahadi(settings, encoder=encoder)
    app = create_app(settings.replace(rate_limit=0), app=ahadi)
    with TestClient(app) as client:
        response = client.post("/v1/documents", json={"documents": corpus_documents()}, headers={"X-API-Key": keys["write"]})
        assert response.status_code == 200, response.text
        report = response.json()
        assert sorted(report["written"]) == sorted(d["id"] for d in corpus_documents()), report
        yield Env(client, ahadi, settings, keys)
    ahadi.close()


@pytest.fixture(scope="module")
def other_app(env, settings_factory):
    """Build another app over the same loaded Ahadi, with its own keys folder and API settings."""
    opened = []

    def make(api_settings: dict[str, Any], keys: dict[str, list[str]] | None = None):
        settings = settings_factory(**api_settings)
        created = {name: create_key(settings.data_dir, name, scopes) for name, scopes in (keys or {}).items()}
        client = TestClient(create_app(settings, app=env.ahadi))
        client.__enter__()
        opened.append(client)
        return client, created

    yield make
    for client in opened:
        client.__exit__(None, None, None)


# ---------------------------------------------------------------------------------------- system
class TestSystem:
    def test_health_needs_no_key(self, env):
        response = env.client.get("/v1/health")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}

    def test_ready_once_started(self, env):
        response = env.client.get("/v1/ready")
        assert response.status_code == 200
        body = response.json()
        assert body["ready"] and body["model_loaded"] and body["store_open"]
        assert body["documents"] >= 5 and body["chunks"] >= 5

    def test_not_ready_before_lifespan(self, env, settings_factory):
        settings = settings_factory()
        key = create_key(settings.data_dir, "early", ["read"])
        client = TestClient(create_app(settings, app=env.ahadi))  # no `with`: lifespan not run
        response = client.get("/v1/ready")
        assert response.status_code == 503
        assert response.json()["ready"] is False
        assert client.get("/v1/health").status_code == 200
        assert_error(client.get("/v1/search", params={"query": "x"}, headers={"X-API-Key": key}), 503, "not_ready")

    def test_model_loads_in_the_background(self, settings_factory, monkeypatch):
        """Without a given Ahadi the app builds its own after start: health at once, ready when loaded,
        and then the loaded heap is frozen out of the garbage collector's full passes."""
        import gc
        import threading

        import api.state

        release = threading.Event()
        closed = []

        class SlowAhadi:
            def __init__(self, settings):
                assert release.wait(30)
                self.store = type("Store", (), {"count_documents": lambda s: 0, "count_chunks": lambda s: 0})()

            def warm_up(self):
                pass

            def close(self):
                closed.append(True)

        monkeypatch.setattr(api.state, "Ahadi", SlowAhadi)
        gc.unfreeze()
        with TestClient(create_app(settings_factory(open_access=True))) as client:
            assert client.get("/v1/health").status_code == 200
            assert client.get("/v1/ready").status_code == 503
            assert gc.get_freeze_count() == 0
            assert_error(client.get("/v1/documents"), 503, "not_ready")
            release.set()
            deadline = time.monotonic() + 10
            while client.get("/v1/ready").status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert client.get("/v1/ready").json()["ready"] is True
            assert gc.get_freeze_count() > 0
        gc.unfreeze()
        assert closed == [True]  # the app closes the Ahadi it built

    def test_load_failure_is_reported(self, settings_factory, monkeypatch):
        import api.state
        from index.store import StoreLockedError

        def locked(settings):
            raise StoreLockedError("the index at data/index is open in another process")

        monkeypatch.setattr(api.state, "Ahadi", locked)
        with TestClient(create_app(settings_factory(open_access=True))) as client:
            deadline = time.monotonic() + 10
            while client.get("/v1/ready").json()["error"] is None and time.monotonic() < deadline:
                time.sleep(0.05)
            ready = client.get("/v1/ready")
            assert ready.status_code == 503 and "another process" in ready.json()["error"]
            error = assert_error(client.get("/v1/search", params={"query": "x"}), 503, "not_ready")
            assert "another process" in error["message"]

    def test_cors(self, other_app):
        client, _ = other_app({"cors_origins": ("https://ui.example",), "open_access": True})
        preflight = client.options(
            "/v1/search", headers={"Origin": "https://ui.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "X-API-Key"},
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://ui.example"
        other = client.get("/v1/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers

    def test_security_headers(self, env):
        response = env.get("/v1/documents")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-request-id"]
        docs = env.client.get("/docs")
        assert docs.status_code == 200
        assert "cdn.jsdelivr.net" in docs.headers["content-security-policy"]

    def test_openapi_documents_parameters(self, env):
        spec = env.client.get("/openapi.json").json()
        params = {p["name"]: p for p in spec["paths"]["/v1/search"]["get"]["parameters"]}
        for name in ("query", "top_k", "offset", "language", "country", "region", "doc_type", "date_from", "mode", "query_language"):
            assert params[name].get("description"), name
        assert params["top_k"]["schema"]["maximum"] == 100
        assert {"ApiKey", "Bearer"} <= set(spec["components"]["securitySchemes"])
        expected = {
            "/v1/documents", "/v1/documents/upload", "/v1/documents/{doc_id}", "/v1/search", "/v1/similar",
            "/v1/compare", "/v1/facets", "/v1/health", "/v1/ready", "/metrics",
        }
        assert expected <= set(spec["paths"])

    def test_metrics(self, env):
        env.get("/v1/search", params={"query": "police"})
        env.client.get("/v1/nowhere")
        text = env.client.get("/metrics").text
        assert 'ahadi_http_requests_total{method="GET",route="/v1/search",status="200"}' in text
        assert 'route="unmatched",status="404"' in text
        assert "ahadi_http_request_duration_seconds_bucket" in text
        documents = [line for line in text.splitlines() if line.startswith("ahadi_documents ")]
        assert documents and float(documents[0].split()[1]) >= 5
        assert any(line.startswith("ahadi_chunks ") for line in text.splitlines())
        assert 'ahadi_ingested_documents_total{outcome="written"}' in text
        assert "ahadi_ready 1.0" in text


# ---------------------------------------------------------------------------------------- auth
class TestAuth:
    def test_missing_key(self, env):
        error = assert_error(env.client.get("/v1/search", params={"query": "police"}), 401, "missing_api_key")
        assert "X-API-Key" in error["message"]

    def test_wrong_key(self, env):
        bad = env.keys["read"][:-4] + "AAAA"
        assert_error(env.client.get("/v1/documents", headers={"X-API-Key": bad}), 401, "invalid_api_key")
        assert_error(env.client.get("/v1/documents", headers={"X-API-Key": "not-a-key"}), 401, "invalid_api_key")

    def test_bearer_is_accepted(self, env):
        response = env.client.get("/v1/documents", headers={"Authorization": f"Bearer {env.keys['read']}"})
        assert response.status_code == 200

    def test_read_key_on_write_route(self, env):
        error = assert_error(env.post("/v1/documents", key="read", json={"id": "x", "text": "x"}), 403, "insufficient_scope")
        assert "write" in error["message"]
        assert_error(env.client.delete(f"/v1/documents/{GOTLAND}", headers=env.headers("read")), 403)

    def test_write_key_on_read_route(self, env):
        assert_error(env.get("/v1/search", key="write", params={"query": "police"}), 403, "insufficient_scope")

    def test_write_key_writes(self, env):
        doc = {"id": "auth-write-test", "text": "Polisen och kommunen lovar fler trygghetsvandringar i centrum under hösten.", "language": "sv"}
        response = env.post("/v1/documents", key="write", json=doc)
        assert response.status_code == 200, response.text
        assert response.json()["written"] == ["auth-write-test"]
        assert env.client.delete("/v1/documents/auth-write-test", headers=env.headers("both")).status_code == 200

    def test_no_keys_configured(self, other_app):
        client, _ = other_app({})
        error = assert_error(client.get("/v1/search", params={"query": "police"}), 401, "no_keys_configured")
        assert "ahadi keys create" in error["message"]
        assert client.get("/v1/health").status_code == 200

    def test_open_access(self, other_app):
        client, _ = other_app({"open_access": True})
        response = client.get("/v1/search", params={"query": "Gotland"})
        assert response.status_code == 200, response.text
        response = client.post("/v1/documents", json={"id": "open-mode-doc", "text": "Kamati ya usalama wa jamii ilikutana mjini Nairobi kujadili doria za usiku."})
        assert response.status_code == 200, response.text
        assert client.delete("/v1/documents/open-mode-doc").status_code == 200

    def test_revoked_key_stops_working(self, env, other_app):
        client, keys = other_app({}, {"temp": ["read"], "stays": ["read"]})
        assert client.get("/v1/documents", headers={"X-API-Key": keys["temp"]}).status_code == 200
        data_dir = client.app.state.ahadi_state.settings.data_dir
        key_id = keys["temp"].split("_")[1]
        assert {k["name"]: k["id"] for k in list_keys(data_dir)}["temp"] == key_id
        assert revoke_key(data_dir, "temp")  # by name; by id or by the key itself work too
        assert [k["name"] for k in list_keys(data_dir)] == ["stays"]
        assert not revoke_key(data_dir, key_id)  # already revoked
        assert_error(client.get("/v1/documents", headers={"X-API-Key": keys["temp"]}), 401, "invalid_api_key")
        assert client.get("/v1/documents", headers={"X-API-Key": keys["stays"]}).status_code == 200
        assert revoke_key(data_dir, "stays")
        assert_error(client.get("/v1/documents", headers={"X-API-Key": keys["stays"]}), 401, "no_keys_configured")

    def test_keys_file_holds_no_secret(self, env):
        text = (env.settings.data_dir / "api_keys.json").read_text()
        for key in env.keys.values():
            assert key not in text and key.split("_", 2)[2] not in text
        assert "scrypt$" in text

    def test_rate_limit(self, other_app):
        client, keys = other_app({"rate_limit": 3}, {"limited": ["read"]})
        headers = {"X-API-Key": keys["limited"]}
        statuses = [client.get("/v1/documents", headers=headers, params={"limit": 1}).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        response = client.get("/v1/documents", headers=headers)
        error = assert_error(response, 429, "rate_limited")
        assert int(response.headers["retry-after"]) >= 1
        assert error["details"]["limit_per_minute"] == 3
        assert client.get("/v1/health").status_code == 200  # not limited


    def test_key_management_functions(self, tmp_path):
        from api.keys import KeyFileError, KeyStore

        key = create_key(tmp_path, "ci bot", ["write", "read"])
        assert key.startswith("ahadi_")
        [listed] = list_keys(tmp_path)
        assert listed["name"] == "ci bot" and listed["scopes"] == ["read", "write"] and "hash" not in listed
        assert (tmp_path / "api_keys.json").stat().st_mode & 0o077 == 0  # owner-only
        store = KeyStore(tmp_path)
        assert store.authenticate(key).scopes == frozenset({"read", "write"})
        assert store.authenticate(key) is not None  # second time: the cached digest
        assert store.authenticate(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
        with pytest.raises(KeyFileError):
            create_key(tmp_path, "x", ["root"])
        with pytest.raises(KeyFileError, match="not a group name"):
            create_key(tmp_path, "x", ["read"], ["police,fire"])
        with pytest.raises(KeyFileError):
            create_key(tmp_path, "", ["read"])
        create_key(tmp_path, "twin", ["read"])
        create_key(tmp_path, "twin", ["read"])
        with pytest.raises(KeyFileError, match="revoke one by its id"):
            revoke_key(tmp_path, "twin")
        assert revoke_key(tmp_path, key)  # by the key itself
        assert store.authenticate(key) is None
        (tmp_path / "api_keys.json").write_text("{broken")
        assert store.authenticate(key) is None and store.error  # a broken file lets nobody in

    def test_api_settings_from_env(self, monkeypatch):
        for variable in ("AHADI_OPEN_ACCESS", "AHADI_CORS_ORIGINS", "AHADI_MAX_UPLOAD_MB", "AHADI_RATE_LIMIT"):
            monkeypatch.delenv(variable, raising=False)
        defaults = Settings.from_env()
        assert not defaults.open_access and defaults.rate_limit == 600 and defaults.max_upload_mb == 20
        for variable, value in {
            "AHADI_OPEN_ACCESS": "1", "AHADI_CORS_ORIGINS": "https://a.example, https://b.example",
            "AHADI_MAX_UPLOAD_MB": "5", "AHADI_RATE_LIMIT": "60",
        }.items():
            monkeypatch.setenv(variable, value)
        settings = Settings.from_env()
        assert settings.open_access and settings.cors_origins == ("https://a.example", "https://b.example")
        assert settings.max_upload_bytes == 5_000_000 and settings.rate_limit == 60
        monkeypatch.setenv("AHADI_OPEN_ACCESS", "maybe")
        with pytest.raises(ValueError, match="AHADI_OPEN_ACCESS"):
            Settings.from_env()
        monkeypatch.setenv("AHADI_OPEN_ACCESS", "0")
        monkeypatch.setenv("AHADI_RATE_LIMIT", "-1")
        with pytest.raises(ValueError, match="AHADI_RATE_LIMIT"):
            Settings.from_env()


# ---------------------------------------------------------------------------------------- documents
class TestDocuments:
    def test_corpus_is_listed_with_cursor(self, env):
        seen = []
        cursor = None
        while True:
            params = {"limit": 2, "country": "SE"} | ({"cursor": cursor} if cursor else {})
            page = env.get("/v1/documents", params=params).json()
            assert page["total"] == 2
            seen += [d["doc_id"] for d in page["documents"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert sorted(seen) == [GOTLAND, VARNAMO]
        languages = env.get("/v1/documents", params={"language": "fa"}).json()
        assert [d["language"] for d in languages["documents"]] == ["fa"]

    def test_bad_cursor(self, env):
        assert_error(env.get("/v1/documents", params={"cursor": "garbage"}), 422, "invalid_cursor")
        first = env.get("/v1/documents", params={"limit": 1}).json()
        assert_error(env.get("/v1/documents", params={"limit": 1, "country": "SE", "cursor": first["next_cursor"]}), 422, "invalid_cursor")

    def test_get_document(self, env):
        body = env.get(f"/v1/documents/{GOTLAND}", params={"include_text": True}).json()
        assert body["doc_id"] == GOTLAND and body["language"] == "sv" and body["region"] == "Gotland"
        assert body["chunks"] and body["chunks"][0]["chunk_id"] == f"{GOTLAND}#0"
        for chunk in body["chunks"]:
            assert body["text"][chunk["start"]:chunk["end"]] == chunk["text"]
        assert env.get(f"/v1/documents/{GOTLAND}").json()["text"] is None

    def test_unknown_document(self, env):
        assert_error(env.get("/v1/documents/no-such-doc"), 404, "document_not_found")
        assert_error(env.client.delete("/v1/documents/no-such-doc", headers=env.headers("write")), 404)

    def test_add_unchanged_replace_delete(self, env):
        doc = {
            "id": "test-doc-1", "text": "Kommunen och polisen lovar att fortsätta med trygghetsvandringar i Visby under 2024.",
            "title": "Trygghetsvandringar", "language": "sv", "country": "SE", "region": "Testby", "date": "2024-03-01",
        }
        first = env.post("/v1/documents", key="write", json=doc).json()
        assert first["written"] == ["test-doc-1"] and first["chunks"] >= 1 and first["languages"] == {"sv": 1}
        again = env.post("/v1/documents", key="write", json=doc).json()
        assert again["unchanged"] == ["test-doc-1"] and again["written"] == []
        replaced = env.client.put(
            "/v1/documents/test-doc-1", headers=env.headers("write"),
            json={"text": "Polisen lovar fler patruller i hamnen nattetid.", "language": "sv", "region": "Testby"},
        )
        assert replaced.status_code == 200, replaced.text
        assert replaced.json()["written"] == ["test-doc-1"]
        stored = env.get("/v1/documents/test-doc-1", params={"include_text": True}).json()
        assert "hamnen" in stored["text"] and stored["date"] is None
        deleted = env.client.delete("/v1/documents/test-doc-1", headers=env.headers("write"))
        assert deleted.status_code == 200 and deleted.json()["deleted"] is True
        assert_error(env.get("/v1/documents/test-doc-1"), 404)

    def test_bulk_with_a_skipped_document(self, env):
        body = {"documents": [
            {"id": "bulk-ok", "text": "Halmashauri na polisi wameahidi kuimarisha ulinzi shirikishi katika kata zote.", "language": "sw"},
            {"id": "bulk-empty", "text": "   \n  "},
        ]}
        response = env.post("/v1/documents", key="write", json=body)
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["written"] == ["bulk-ok"]
        assert len(report["skipped"]) == 1 and report["skipped"][0]["reason"]
        env.client.delete("/v1/documents/bulk-ok", headers=env.headers("write"))

    def test_repeated_id_is_skipped_like_the_cli(self, env):
        dup = {"documents": [{"id": "dup-doc", "text": "Polisen lovar fler patruller i Visby."}, {"id": "dup-doc", "text": "Kommunen lovar bättre belysning."}]}
        report = env.post("/v1/documents", key="write", json=dup).json()
        assert report["written"] == ["dup-doc"]
        assert report["skipped"][0]["source"] == "documents[1]" and "already used" in report["skipped"][0]["reason"]
        env.client.delete("/v1/documents/dup-doc", headers=env.headers("write"))

    def test_all_skipped_is_422_with_reasons(self, env):
        error = assert_error(env.post("/v1/documents", key="write", json={"id": "only-space", "text": " \n\t "}), 422, "not_indexed")
        assert error["details"]["skipped"] and error["details"]["skipped"][0]["reason"]

    def test_invalid_bodies(self, env):
        assert_error(env.post("/v1/documents", key="write", json={"id": "x"}), 422, "invalid_request")
        assert_error(env.post("/v1/documents", key="write", json={"id": "a/b", "text": "t"}), 422)
        assert_error(env.post("/v1/documents", key="write", json={"id": "x", "text": "t", "date": "2024-13-01"}), 422)
        assert_error(env.post("/v1/documents", key="write", json={"documents": []}), 422)
        malformed = env.client.post("/v1/documents", content=b"{not json", headers={**env.headers("write"), "content-type": "application/json"})
        assert_error(malformed, 422, "invalid_request")

    def test_upload_files(self, env, tmp_path):
        files = [
            ("files", ("upload-sv.txt", "Polisen i Värnamo lovar att öka närvaron vid skolorna under kvällstid.".encode(), "text/plain")),
            ("files", ("upload-en.md", b"# Safety walks\n\nThe council promised monthly safety walks with residents in the harbour district.", "text/markdown")),
        ]
        response = env.post("/v1/documents/upload", key="write", files=files)
        assert response.status_code == 200, response.text
        report = response.json()
        assert sorted(report["written"]) == ["upload-en", "upload-sv"]
        for doc_id in report["written"]:
            record = env.get(f"/v1/documents/{doc_id}").json()
            assert record["source"] == f"upload:{doc_id}.{'txt' if doc_id.endswith('sv') else 'md'}"
            env.client.delete(f"/v1/documents/{doc_id}", headers=env.headers("write"))

    def test_same_rules_as_the_cli(self, env):
        """The corpus went in as JSON; the same file read by the CLI's path, or uploaded, is unchanged."""
        assert env.ahadi.ingest([CORPUS / f"{GOTLAND}.txt"]).unchanged == [GOTLAND]
        files = [
            ("files", (f"{VARNAMO}.txt", (CORPUS / f"{VARNAMO}.txt").read_bytes(), "text/plain")),
            ("files", (f"{VARNAMO}.meta.json", (CORPUS / f"{VARNAMO}.meta.json").read_bytes(), "application/json")),
        ]
        report = env.post("/v1/documents/upload", key="write", files=files).json()
        assert report["unchanged"] == [VARNAMO] and report["written"] == []

    def test_upload_bad_type_and_empty_file(self, env):
        bad = env.post("/v1/documents/upload", key="write", files=[("files", ("tool.exe", b"MZ\x90\x00binary", "application/octet-stream"))])
        error = assert_error(bad, 422, "not_indexed")
        skipped = error["details"]["skipped"]
        assert skipped[0]["source"] == "tool.exe" and skipped[0]["reason"]
        empty = env.post("/v1/documents/upload", key="write", files=[("files", ("empty.txt", b"", "text/plain"))])
        error = assert_error(empty, 422, "not_indexed")
        assert error["details"]["skipped"][0]["source"] == "empty.txt"

    def test_upload_same_name_twice_and_sidecar(self, env):
        files = [
            ("files", ("twice.txt", "Polisen lovar fler patruller vid stationen under helgerna.".encode(), "text/plain")),
            ("files", ("twice.meta.json", json.dumps({"country": "SE", "region": "Testby", "doc_type": "citizen_pledge"}).encode(), "application/json")),
            ("files", ("twice.txt", "Kommunen lovar bättre belysning i parken.".encode(), "text/plain")),
        ]
        report = env.post("/v1/documents/upload", key="write", files=files).json()
        assert report["written"] == ["twice"]
        assert report["skipped"][0]["source"] == "twice.txt" and "already used" in report["skipped"][0]["reason"]
        record = env.get("/v1/documents/twice").json()
        assert (record["region"], record["country"], record["source"]) == ("Testby", "SE", "upload:twice.txt")
        env.client.delete("/v1/documents/twice", headers=env.headers("write"))

    def test_upload_requires_files(self, env):
        assert_error(env.post("/v1/documents/upload", key="write"), 422)

    def test_upload_too_big(self, other_app):
        client, keys = other_app({"max_upload_mb": 0.01}, {"w": ["write"]})
        headers = {"X-API-Key": keys["w"]}
        big = b"ord " * 5000  # 20 kB > 10 kB
        error = assert_error(client.post("/v1/documents/upload", headers=headers, files=[("files", ("big.txt", big, "text/plain"))]), 413, "payload_too_large")
        assert "AHADI_MAX_UPLOAD_MB" in error["message"]

        def chunks():  # no Content-Length: the limit is enforced while reading
            for _ in range(20):
                yield b"x" * 1000

        streamed = client.post("/v1/documents", headers={**headers, "content-type": "application/json"}, content=chunks())
        assert_error(streamed, 413, "payload_too_large")

    def test_ingest_via_api_client(self, env, tmp_path):
        from api.client import ingest_via_api

        folder = tmp_path / "docs"
        folder.mkdir()
        (folder / "client-a.txt").write_text("Manispaa na polisi waliahidi taa zaidi za barabarani katika mitaa ya soko.", encoding="utf-8")
        (folder / "client-b.txt").write_text("Općina i policija obećale su više patrola u blizini škola tokom zime.", encoding="utf-8")
        (folder / "notes.bin").write_bytes(b"\x00\x01")
        report = ingest_via_api("http://testserver", env.keys["write"], [folder, tmp_path / "missing.txt"], client=env.client)
        assert sorted(report["written"]) == ["client-a", "client-b"]
        assert any("missing.txt" in s["source"] for s in report["skipped"])
        for doc_id in report["written"]:
            env.client.delete(f"/v1/documents/{doc_id}", headers=env.headers("write"))


# ---------------------------------------------------------------------------------------- search
class TestSearch:
    QUESTION = "Which treatment programme for violent men is promised?"  # as officers ask: no place named

    def test_cross_lingual_english_to_swedish(self, env):
        response = env.get("/v1/search", params={"query": self.QUESTION, "top_k": 3})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["query_language"] == "en" and body["mode"] == "dense"
        top = body["results"][0]
        assert top["doc_id"] == GOTLAND and top["language"] == "sv" and top["region"] == "Gotland"
        assert "Alternativ Till Våld" in top["text"]
        assert top["chunk_id"] == f"{GOTLAND}#{top['chunk_index']}"
        assert 0 <= top["start"] < top["end"]
        assert top["highlighted"].replace("<mark>", "").replace("</mark>", "") == __import__("html").escape(top["text"])

    def test_highlights_mark_the_query_words_in_the_passage(self, env):
        top = env.get("/v1/search", params={"query": "Which treatment programme for violent men did Gotland promise?", "top_k": 1}).json()["results"][0]
        assert top["doc_id"] == GOTLAND
        assert "<mark>Gotland</mark>" in top["highlighted"]
        assert top["highlighted"].replace("<mark>", "").replace("</mark>", "") == __import__("html").escape(top["text"])

    def test_post_matches_get(self, env):
        get = env.get("/v1/search", params={"query": self.QUESTION, "top_k": 3}).json()
        post = env.post("/v1/search", json={"query": self.QUESTION, "top_k": 3}).json()
        assert [r["chunk_id"] for r in get["results"]] == [r["chunk_id"] for r in post["results"]]

    def test_filters(self, env):
        body = env.post("/v1/search", json={"query": "police", "top_k": 10, "filters": {"language": ["sv"]}}).json()
        assert body["results"] and {r["language"] for r in body["results"]} == {"sv"}
        body = env.get("/v1/search", params={"query": "police", "country": ["SE", "ME"]}).json()
        assert {r["country"] for r in body["results"]} <= {"SE", "ME"}
        body = env.get("/v1/search", params={"query": "police", "date_from": "2021-01-01", "date_to": "2024-12-31"}).json()
        assert body["results"] and all("2021-01-01" <= r["date"] <= "2024-12-31" for r in body["results"])
        body = env.get("/v1/search", params={"query": "police", "doc_type": "citizen_pledge", "region": "Gotland"}).json()
        assert {r["doc_id"] for r in body["results"]} == {GOTLAND}

    def test_grouping_and_paging(self, env):
        grouped = env.get("/v1/search", params={"query": "medborgarlöfte", "top_k": 10}).json()["results"]
        assert len({r["doc_id"] for r in grouped}) == len(grouped)
        passages = env.get("/v1/search", params={"query": "medborgarlöfte", "top_k": 10, "group_by_document": False}).json()["results"]
        assert len(passages) == 10 and len({r["doc_id"] for r in passages}) < 10
        first = env.get("/v1/search", params={"query": "police", "top_k": 2, "group_by_document": False}).json()
        assert first["next_offset"] == 2
        second = env.get("/v1/search", params={"query": "police", "top_k": 2, "offset": 2, "group_by_document": False}).json()
        assert not {r["chunk_id"] for r in first["results"]} & {r["chunk_id"] for r in second["results"]}

    def test_hybrid_mode(self, env):
        body = env.get("/v1/search", params={"query": "Alternativ Till Våld", "mode": "hybrid", "top_k": 3}).json()
        assert body["mode"] == "hybrid" and body["results"][0]["doc_id"] == GOTLAND

    @pytest.mark.parametrize("top_k", [0, 1000, -1])
    def test_top_k_out_of_range(self, env, top_k):
        error = assert_error(env.get("/v1/search", params={"query": "police", "top_k": top_k}), 422, "invalid_request")
        assert "top_k" in error["message"]
        assert_error(env.post("/v1/search", json={"query": "police", "top_k": top_k}), 422)

    @pytest.mark.parametrize(
        "params",
        [
            {"date_from": "2020-13-45"},
            {"date_from": "2024-01-01", "date_to": "2020-01-01"},
            {"country": "Not a country!"},
            {"language": "??"},
        ],
    )
    def test_bad_filters(self, env, params):
        assert_error(env.get("/v1/search", params={"query": "police", **params}), 422, "invalid_filter")

    def test_bad_filter_in_body(self, env):
        assert_error(env.post("/v1/search", json={"query": "police", "filters": {"colour": ["red"]}}), 422, "invalid_filter")
        assert_error(env.post("/v1/search", json={"query": "police", "filters": {"country": ["Atlantis!"]}}), 422, "invalid_filter")

    def test_bad_queries(self, env):
        error = assert_error(env.get("/v1/search", params={"query": "x" * 2001}), 422, "query_too_long")
        assert "2000" in error["message"]
        assert_error(env.post("/v1/search", json={"query": "x" * 2001}), 422, "query_too_long")
        assert_error(env.get("/v1/search", params={"query": "   "}), 422)
        assert_error(env.get("/v1/search"), 422)
        assert_error(env.get("/v1/search", params={"query": "police", "mode": "magic"}), 422)


# ---------------------------------------------------------------------------------------- similar
class TestSimilar:
    def test_excludes_source_document(self, env):
        response = env.post("/v1/similar", json={"doc_id": VARNAMO, "top_k": 4})
        assert response.status_code == 200, response.text
        body = response.json()
        ids = [r["doc_id"] for r in body["results"]]
        assert ids and VARNAMO not in ids and len(ids) == len(set(ids))
        assert ids[0] == GOTLAND  # the other Swedish citizen pledge
        assert all(r["source_chunk_id"].startswith(VARNAMO + "#") for r in body["results"])

    def test_other_languages_only(self, env):
        body = env.post("/v1/similar", json={"doc_id": GOTLAND, "other_languages_only": True}).json()
        assert body["results"] and all(r["language"] != "sv" for r in body["results"])

    def test_one_passage_and_text(self, env):
        body = env.post("/v1/similar", json={"doc_id": GOTLAND, "chunk_id": f"{GOTLAND}#0", "top_k": 2}).json()
        assert body["source"]["chunk_id"] == f"{GOTLAND}#0"
        assert all(r["source_chunk_id"] == f"{GOTLAND}#0" for r in body["results"])
        body = env.post("/v1/similar", json={"text": "Polisen och kommunen skrev under ett medborgarlöfte om trygghet.", "top_k": 3}).json()
        assert body["source"]["language"] == "sv" and body["results"][0]["language"] == "sv"

    def test_errors(self, env):
        assert_error(env.post("/v1/similar", json={"doc_id": "nope"}), 404, "document_not_found")
        assert_error(env.post("/v1/similar", json={"doc_id": GOTLAND, "text": "x"}), 422)
        assert_error(env.post("/v1/similar", json={}), 422)
        assert_error(env.post("/v1/similar", json={"doc_id": GOTLAND, "chunk_id": "other#1"}), 404, "chunk_not_found")
        assert_error(env.post("/v1/similar", json={"doc_id": GOTLAND, "chunk_id": "first"}), 422)
        assert_error(env.post("/v1/similar", json={"chunk_id": "1", "text": "polis"}), 422)
        assert_error(env.post("/v1/similar", json={"doc_id": GOTLAND, "chunk_id": f"{GOTLAND}#999"}), 404, "chunk_not_found")


# ---------------------------------------------------------------------------------------- compare
class TestCompare:
    def test_groups_by_region(self, env):
        response = env.get("/v1/compare", params={"topic": "What did the police promise about domestic violence?", "per_group": 2})
        assert response.status_code == 200, response.text
        body = response.json()
        regions = [g["key"] for g in body["groups"]]
        assert set(regions) >= {"Gotland", "Värnamo", "Berane", "Surrey", "Narmak"}
        for group in body["groups"]:
            assert 1 <= len(group["passages"]) <= 2
            assert {p["region"] for p in group["passages"]} == {group["key"]}
            assert group["documents"] >= 1
        scores = [g["best_score"] for g in body["groups"]]
        assert scores == sorted(scores, reverse=True)
        gotland = next(g for g in body["groups"] if g["key"] == "Gotland")
        assert gotland["country"] == "SE"

    def test_filtered_and_by_country(self, env):
        body = env.post("/v1/compare", json={"topic": "safety walks", "filters": {"country": ["SE"]}}).json()
        assert {g["key"] for g in body["groups"]} == {"Gotland", "Värnamo"}
        body = env.post("/v1/compare", json={"topic": "safety walks", "group_by": "country", "max_groups": 2}).json()
        assert len(body["groups"]) == 2 and body["groups_total"] == 4  # GB, ME, SE, IR
        for group in body["groups"]:
            assert {p["country"] for p in group["passages"]} == {group["key"]}

    def test_errors(self, env):
        assert_error(env.get("/v1/compare", params={"topic": "x", "per_group": 0}), 422)
        assert_error(env.get("/v1/compare", params={"topic": "x", "group_by": "planet"}), 422)
        assert_error(env.get("/v1/compare"), 422)


# ---------------------------------------------------------------------------------------- facets
class TestCommitments:
    def test_search_returns_commitments_with_details(self, env):
        response = env.post("/v1/commitments", json={"query": "treatment for men who use violence in close relationships", "top_k": 3, "group_by_document": False})
        assert response.status_code == 200, response.text
        hits = response.json()["results"]
        item = next(h for h in hits if "Alternativ Till Våld" in h["text"])
        assert item["chunk_id"].startswith(item["doc_id"] + "!c")
        assert (item["commitment"]["quantity"], item["commitment"]["year"]) == ("fem", 2020)

    def test_compare_groups_domestic_violence_pledges_by_region(self, env):
        response = env.post("/v1/commitments/compare", json={"topic": "pledges about domestic violence"})
        assert response.status_code == 200, response.text
        groups = {g["key"]: g for g in response.json()["groups"]}
        assert {"Gotland", "Berane"} <= set(groups)
        assert any("dužni da isto prijave" in p["text"] for p in groups["Berane"]["passages"])
        for group in groups.values():
            assert all(p["commitment"] is not None for p in group["passages"])

    def test_passages_carry_no_commitment(self, env):
        hits = env.get("/v1/search", params={"query": "safety walks", "top_k": 2}).json()["results"]
        assert all(h["commitment"] is None for h in hits)

    def test_needs_a_read_key(self, env):
        assert_error(env.client.post("/v1/commitments", json={"query": "x"}), 401)


class TestFacets:
    def test_index_facets_under_filters(self, env):
        body = env.get("/v1/facets", params={"doc_type": "citizen_pledge"}).json()
        assert body["scope"] == "index" and body["counted"] == "documents"
        facets = {field: {v["value"]: v["count"] for v in values} for field, values in body["facets"].items()}
        assert facets["language"] == {"sv": 2}
        assert facets["country"] == {"SE": 2}
        assert facets["region"] == {"Gotland": 1, "Värnamo": 1, "Gotlands län": 1, "Jönköpings län": 1}
        assert facets["doc_type"] == {"citizen_pledge": 2}
        assert facets["year"] == {2020: 1, 2023: 1}

    def test_whole_index(self, env):
        body = env.get("/v1/facets").json()
        languages = {v["value"]: v["count"] for v in body["facets"]["language"]}
        assert languages.get("sv", 0) >= 2 and languages.get("fa", 0) >= 1 and languages.get("cnr", 0) >= 1
        listed = env.get("/v1/documents", params={"limit": 500}).json()
        assert sum(languages.values()) == listed["total"]

    def test_query_facets(self, env):
        body = env.get("/v1/facets", params={"query": "medborgarlöfte", "top_n": 3}).json()
        assert body["scope"] == "top_results" and body["query"] == "medborgarlöfte"
        assert sum(v["count"] for v in body["facets"]["language"]) == 3

    def test_errors(self, env):
        assert_error(env.get("/v1/facets", params={"top_n": 0}), 422)
        assert_error(env.get("/v1/facets", params={"date_to": "yesterday"}), 422, "invalid_filter")


# ---------------------------------------------------------------------------------------- error shape
class TestErrors:
    def test_unknown_route_and_method(self, env):
        error = assert_error(env.client.get("/v1/nothing-here"), 404, "not_found")
        assert "/v1/nothing-here" in error["message"]
        assert_error(env.client.delete("/v1/search", headers=env.headers()), 405, "method_not_allowed")

    def test_unexpected_error_is_a_generic_500(self, env, monkeypatch):
        def broken(*args, **kwargs):
            raise RuntimeError("secret internals")

        monkeypatch.setattr(env.ahadi.searcher, "search_vectors", broken)
        response = env.get("/v1/search", params={"query": "police"})
        error = assert_error(response, 500, "internal_error")
        assert "secret" not in response.text and error["details"]["request_id"] == response.headers["x-request-id"]
        text = env.client.get("/metrics").text
        assert 'route="/v1/search",status="500"' in text

    def test_validation_details(self, env):
        error = assert_error(env.get("/v1/search", params={"query": "x", "top_k": "many"}), 422)
        assert error["details"][0]["loc"] == ["query", "top_k"]


# ---------------------------------------------------------------------------------------- schemathesis
@pytest.mark.slow  # fuzzing every operation of the schema
class TestSchemathesis:
    """Every operation of the OpenAPI schema with generated input: no 5xx, responses match the schema.

    More examples: `python -m benchmarks.api_fuzz --examples 200`.
    """

    def test_no_server_errors_and_schema_conformance(self, env, settings_factory):
        from service.facade import Ahadi
        from benchmarks.api_fuzz import fuzz

        settings = settings_factory()
        key = create_key(settings.data_dir, "fuzz", ["read", "write"])
        ahadi = Ahadi(settings, encoder=env.ahadi.encoder)
        try:
            ahadi.ingest([CORPUS / f"{GOTLAND}.txt", CORPUS / f"{VARNAMO}.txt"])
            app = create_app(settings.replace(rate_limit=0), app=ahadi)
            failures = fuzz(app, {"X-API-Key": key}, max_examples=10)
        finally:
            ahadi.close()
        assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)


class TestSnapshots:
    @pytest.mark.slow  # ingests, snapshots and restores through the API: over 10 s
    def test_snapshot_then_restore_brings_a_deleted_document_back(self, settings_factory, encoder):
        from service.facade import Ahadi

        settings = settings_factory()
        key = create_key(settings.data_dir, "admin", ["read", "write", "admin"])
        headers = {"X-API-Key": key}
        app = create_app(settings.replace(rate_limit=0), app=Ahadi(settings, encoder=encoder))
        with TestClient(app) as client:
            document = {"id": "pledge-1", "text": "Polisen och kommunen ska genomföra trygghetsvandringar varje höst.", "language": "sv"}
            assert client.post("/v1/documents", json=document, headers=headers).status_code == 200
            taken = client.post("/v1/snapshots", headers=headers)
            assert taken.status_code == 200, taken.text
            name = taken.json()["name"]
            assert taken.json()["documents"] == 1
            assert client.delete("/v1/documents/pledge-1", headers=headers).status_code in (200, 204)
            assert client.get("/v1/documents/pledge-1", headers=headers).status_code == 404
            restored = client.post(f"/v1/snapshots/{name}/restore", headers=headers)
            assert restored.status_code == 200, restored.text
            assert client.get("/v1/documents/pledge-1", headers=headers).status_code == 200
            hits = client.get("/v1/search", params={"query": "safety walks in autumn"}, headers=headers).json()["results"]
            assert hits[0]["doc_id"] == "pledge-1"
            assert_error(client.post("/v1/snapshots/ahadi-20990101T000000Z.snapshot/restore", headers=headers), 404)
            assert_error(client.post("/v1/snapshots/..%2Fapi_keys.json/restore", headers=headers), 404)  # never reaches a file
            assert_error(client.post("/v1/snapshots/api_keys.json/restore", headers=headers), 422)  # not a snapshot name
            assert_error(client.post("/v1/snapshots", headers={"X-API-Key": create_key(settings.data_dir, "reader", ["read"])}), 403)
            assert_error(client.post("/v1/snapshots", headers={"X-API-Key": create_key(settings.data_dir, "editor", ["read", "write"])}), 403)
            app.state.ahadi_state.ahadi.close()


def test_a_filter_takes_one_value_or_several():
    from api.schemas import Filters

    assert Filters.model_validate({"year": 2023, "country": "SE"}).year == [2023]
    assert Filters.model_validate({"year": [2023, 2024]}).year == [2023, 2024]
    with pytest.raises(ValueError):
        Filters.model_validate({"year": True})  # a boolean is no year
