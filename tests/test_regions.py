"""Documents as users have them: plain .txt without sidecars, compared and listed by region.

A real small index (the session's model, an embedded store): the five corpus texts without their
sidecars, so country and region come from the text, and one pledge that names no place at all.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.test_api import assert_error
from tests.test_pipeline import _Borrowed

from index.access import ALL_DOCUMENTS

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
GOTLAND = "002_6654c4057f6be88f"
NOWHERE = "pledge-nowhere"
NOWHERE_TEXT = (
    "Kommunen och polisen ska under 2024 genomföra tre gemensamma informationsinsatser om mäns våld mot kvinnor "
    "och våld i nära relationer.\n\nKommunen och polisen ska erbjuda fem män som utövar våld i nära relationer behandling."
)


@pytest.fixture(scope="module")
def plain_app(settings_factory, encoder, tmp_path_factory):
    from service.facade import Ahadi

    folder = tmp_path_factory.mktemp("plain")
    for path in CORPUS.glob("*.txt"):
        shutil.copy(path, folder / path.name)  # the texts only: no sidecar
    (folder / f"{NOWHERE}.txt").write_text(NOWHERE_TEXT, encoding="utf-8")
    app = Ahadi(settings_factory(), encoder=encoder)
    report = app.ingest([folder])
    assert len(report.written) == 6, report.to_dict()
    app.store.flush()
    yield app
    app.close()


def test_regions_come_from_the_text_with_their_evidence(plain_app):
    regions = {r["doc_id"]: (r["country"], r["region"], r["region_source"]) for r in plain_app.store.iter_documents(ALL_DOCUMENTS)}
    assert regions[GOTLAND] == ("SE", "Gotland", "text")
    assert regions["001_a6815435d5072c96"] == ("ME", "Berane", "text")
    assert regions["000_281576f5e720134a"] == ("GB", "Surrey", "text")  # a Swahili text about Surrey
    assert regions[NOWHERE] == (None, None, None)
    assert "Gotland" in plain_app.store.document(ALL_DOCUMENTS, GOTLAND)["extracted"]["region"]


def test_missing_filter_finds_the_documents_of_no_region(plain_app):
    from index.store import SearchFilters

    vector = plain_app.encoder.queries(["violence"], ["en"])[0].tolist()
    hits = plain_app.store.search(ALL_DOCUMENTS, vector, SearchFilters(missing=["region"]), limit=50)
    assert hits and {h.payload["doc_id"] for h in hits} == {NOWHERE}


def test_compare_keeps_the_documents_of_no_region(plain_app):
    from index.compare import COMMITMENT_MIN_SCORE, compare

    topic = "pledges about men's violence against women"
    groups = compare(plain_app.searcher, ALL_DOCUMENTS, topic, per_group=3, kind="commitment", min_score=COMMITMENT_MIN_SCORE)
    unknown = [g for g in groups if g.key is None]
    assert len(unknown) == 1 and unknown[0].label == "region unknown"
    assert {r.doc_id for r in unknown[0].results} == {NOWHERE}
    # one floor on the calibrated scale for every group, the region-less one included
    assert all(r.score >= COMMITMENT_MIN_SCORE for g in groups for r in g.results)
    assert {g.key for g in groups} >= {None, "Gotland"}


def test_cli_table_names_each_rows_document(plain_app, capsys, monkeypatch):
    from ahadi import cli

    monkeypatch.setattr("service.facade.Ahadi", lambda settings: _Borrowed(plain_app))
    assert cli.main(["commitments", "pledges about men's violence against women", "--compare"]) == 0
    table = capsys.readouterr().out
    assert "region unknown" in table and f"↳ {NOWHERE}" in table and f"↳ {GOTLAND}" in table
    assert cli.main(["commitments", "pledges about men's violence against women", "--compare", "--json"]) == 0
    groups = json.loads(capsys.readouterr().out)["groups"]
    assert any(g["key"] is None and g["label"] == "region unknown" for g in groups)
    assert all(r["doc_id"] and "title" in r for g in groups for r in g["results"])
    confidences = sorted(r["commitment"]["confidence"] for g in groups for r in g["results"])
    bound = confidences[len(confidences) // 2]
    assert cli.main(["commitments", "pledges about men's violence against women", "--min-confidence", str(bound), "--json"]) == 0
    sure = [r for g in json.loads(capsys.readouterr().out)["groups"] for r in g["results"]]
    assert sure and all(r["commitment"]["confidence"] >= bound for r in sure)
    assert cli.main(["commitments", "violence", "--min-confidence", "2"]) == 2
    assert "min_confidence must be between 0 and 1" in capsys.readouterr().err


def test_cli_lists_one_documents_commitments_in_order(plain_app, capsys, monkeypatch):
    from ahadi import cli

    monkeypatch.setattr("service.facade.Ahadi", lambda settings: _Borrowed(plain_app))
    assert cli.main(["commitments", "--doc", GOTLAND, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["doc_id"] == GOTLAND and listed["region"] == "Gotland"
    starts = [c["start"] for c in listed["commitments"]]
    assert len(starts) >= 5 and starts == sorted(starts)
    assert any("Alternativ Till Våld" in c["text"] for c in listed["commitments"])
    assert cli.main(["commitments", "--doc", GOTLAND]) == 0
    table = capsys.readouterr().out
    assert table.startswith(GOTLAND) and "Under 2020 ska fem män med våldsproblematik" in table
    sure = next(c["commitment"]["confidence"] for c in listed["commitments"] if "Under 2020 ska fem män" in c["text"])
    assert f" {sure:.2f} " in next(line for line in table.splitlines() if "Under 2020 ska fem män" in line)
    # an item shows the lead-in it was listed under; the lead-in, a sentence of its own, shows none
    treatment = next(line for line in table.splitlines() if "Under 2020 ska fem män" in line)
    assert "· listed under “Polisen på Gotland och Region Gotland ska" in treatment
    assert all("listed under" not in line for line in table.splitlines() if "ska inom sina respektive verksamheter" in line.split("·")[0])
    # a bound keeps the surer ones, in the same order
    bound = sorted(c["commitment"]["confidence"] for c in listed["commitments"])[len(starts) // 2]
    assert cli.main(["commitments", "--doc", GOTLAND, "--min-confidence", str(bound), "--json"]) == 0
    surer = json.loads(capsys.readouterr().out)["commitments"]
    assert surer == [c for c in listed["commitments"] if c["commitment"]["confidence"] >= bound] and len(surer) < len(starts)
    assert cli.main(["commitments", "--doc", GOTLAND, "--min-confidence", "2"]) == 2
    assert "min_confidence must be between 0 and 1" in capsys.readouterr().err
    assert cli.main(["commitments", "--doc", "no-such-doc"]) == 1
    assert cli.main(["commitments", "violence", "--doc", GOTLAND]) == 2
    assert cli.main(["commitments"]) == 2


class TestApi:
    @pytest.fixture(scope="class")
    def client(self, plain_app, settings_factory):
        from api.app import create_app

        settings = settings_factory(rate_limit=0, open_access=True)
        with TestClient(create_app(settings, app=plain_app)) as client:
            yield client

    def test_compare_has_a_region_unknown_group_and_names_documents(self, client):
        response = client.post("/v1/commitments/compare", json={"topic": "pledges about men's violence against women"})
        assert response.status_code == 200, response.text
        groups = response.json()["groups"]
        unknown = next(g for g in groups if g["key"] is None)
        assert (unknown["label"], unknown["documents"]) == ("region unknown", 1)
        assert {p["doc_id"] for p in unknown["passages"]} == {NOWHERE}
        assert all(p["doc_id"] and "title" in p for g in groups for p in g["passages"])

    def test_document_commitments(self, client):
        response = client.get(f"/v1/documents/{GOTLAND}/commitments")
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["doc_id"], body["country"], body["region"]) == (GOTLAND, "SE", "Gotland")
        starts = [c["start"] for c in body["commitments"]]
        assert len(starts) >= 5 and starts == sorted(starts)
        assert all(c["chunk_id"] == f"{GOTLAND}!c{c['chunk_index']}" for c in body["commitments"])
        # the learned decision's probability is stored with each commitment and returned
        assert all(0.5 < c["commitment"]["confidence"] <= 1 for c in body["commitments"])
        # and bounds the list, as it bounds a commitment search
        bound = sorted(c["commitment"]["confidence"] for c in body["commitments"])[len(starts) // 2]
        surer = client.get(f"/v1/documents/{GOTLAND}/commitments", params={"min_confidence": bound}).json()["commitments"]
        assert surer == [c for c in body["commitments"] if c["commitment"]["confidence"] >= bound] and len(surer) < len(starts)
        assert_error(client.get(f"/v1/documents/{GOTLAND}/commitments", params={"min_confidence": 1.5}), 422)

    def test_a_confidence_bound_keeps_the_surer_commitments_and_is_for_commitments_only(self, client):
        topic = {"query": "pledges about men's violence against women", "top_k": 20, "group_by_document": False}
        everything = client.post("/v1/commitments", json=topic).json()["results"]
        bound = sorted(hit["commitment"]["confidence"] for hit in everything)[len(everything) // 2]
        surer = client.post("/v1/commitments", json={**topic, "filters": {"min_confidence": bound}}).json()["results"]
        assert surer and all(h["commitment"]["confidence"] >= bound for h in surer)
        # the store filters before ranking: the surer ones of the first page are there, and more below them
        assert {h["chunk_id"] for h in everything if h["commitment"]["confidence"] >= bound} <= {h["chunk_id"] for h in surer}
        compared = client.post("/v1/commitments/compare", json={"topic": topic["query"], "filters": {"min_confidence": bound}}).json()
        assert all(p["commitment"]["confidence"] >= bound for g in compared["groups"] for p in g["passages"])
        assert all(g["documents"] >= 1 for g in compared["groups"])  # documents are still counted by their passages
        assert_error(client.post("/v1/search", json={"query": "violence", "filters": {"min_confidence": 0.5}}), 422, "invalid_filter")
        assert_error(client.post("/v1/commitments", json={**topic, "filters": {"min_confidence": 1.5}}), 422)

    def test_document_commitments_of_an_unknown_document(self, client):
        assert_error(client.get("/v1/documents/no-such-doc/commitments"), 404, "document_not_found")

    def test_a_region_filter_finds_the_documents_about_places_inside_it(self, client):
        """Place inference stores the most specific place it knows (the municipality Gotland, inside
        the county Gotlands län): a filter on the county finds it, as on the municipality, and the
        county's facet count is what choosing it gives."""
        def found(region: str) -> set[str]:
            body = client.post("/v1/search", json={"query": "violence", "top_k": 10, "filters": {"region": [region]}})
            assert body.status_code == 200, body.text
            return {hit["doc_id"] for hit in body.json()["results"]}

        def region_counts() -> dict[str, int]:
            body = client.get("/v1/facets")
            assert body.status_code == 200, body.text
            return {v["value"]: v["count"] for v in body.json()["facets"]["region"]}

        assert found("Gotlands län") == found("Gotland") == found("gotland") == {GOTLAND}
        assert found("Skåne län") == set()
        # the county is listed beside the municipality stored, so a user can choose it
        regions = {v["value"]: v for v in client.get("/v1/facets").json()["facets"]["region"]}
        assert (regions["Gotland"]["within"], regions["Gotlands län"]["within"]) == ("Gotlands län", None)
        assert regions["Gotlands län"]["count"] == regions["Gotland"]["count"] == 1
        county = {"id": "pledge-gotlands-lan", "country": "SE", "region": "Gotlands län",
                  "text": "Polisen och länsstyrelsen ska under 2025 arbeta mot våld i nära relationer i hela länet."}
        assert client.post("/v1/documents", json=county).status_code == 200
        try:
            assert found("Gotlands län") == {GOTLAND, county["id"]} and found("Gotland") == {GOTLAND}
            counts = region_counts()
            assert (counts["Gotlands län"], counts["Gotland"]) == (2, 1)
        finally:
            assert client.delete(f"/v1/documents/{county['id']}").status_code == 200
        assert region_counts()["Gotlands län"] == 1

    def test_documents_say_where_their_region_comes_from(self, client):
        body = client.get(f"/v1/documents/{GOTLAND}").json()
        assert (body["region"], body["region_source"], body["country_source"]) == ("Gotland", "text", "text")
        assert "Gotland" in body["extracted"]["region"]
