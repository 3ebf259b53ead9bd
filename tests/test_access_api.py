"""Who may see what, through the HTTP API and the facade, over a small real index (the model).

- The leak matrix: every read route × a caller with every group, with none (public only), with
  some, and a signed-in user: hidden documents never appear in results, counts, highlights,
  similar or compare, and their ids answer 404 exactly as a missing id does.
- A Hypothesis property test: random group assignments, readers and queries, no leak ever.
- Sign-on headers count only from a trusted proxy's address.
- Re-ingesting with new `access` takes effect on the next search.
- The audit log: one line per request, the query hashed (or kept), rotation, `ahadi audit`, and
  a request refused with 503 when its line cannot be written.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from api.app import create_app
from api.keys import create_key
from index.access import PUBLIC_GROUP
from service.access import ALL_DOCUMENTS, reader_for
from service.errors import NotFound
from service.filters import FilterValues

# Short documents in the five languages, each with its own region and a commitment, so that
# search, compare, facets and commitments all have something of each to show.
TEXTS = {
    "a-open": ("sv", "Gotland", "Polisen och kommunen ska genomföra trygghetsvandringar varje höst. Vi lovar att öka belysningen i parkerna."),
    "b-open": ("en", "Surrey", "The police will hold safety walks with residents every autumn. The council will improve street lighting by 2025."),
    "c-police": ("sw", "Mombasa", "Polisi na halmashauri watafanya doria za usalama kila mwezi. Tutaweka taa za barabarani ifikapo 2025."),
    "d-police": ("en", "Kent", "The police will run a programme for violent men from 2024. Officers will visit schools each term."),
    "e-social": ("cnr", "Podgorica", "Policija i opština će organizovati šetnje bezbjednosti svake jeseni. Treba nastaviti rad sa mladima."),
    "f-social": ("sv", "Uppsala", "Socialtjänsten ska erbjuda stöd till våldsutsatta kvinnor under 2025. Kommunen lovar fler fältassistenter."),
    "g-both": ("en", "Essex", "Police and social services will share a plan against domestic violence. They will meet every month."),
    "h-council": ("en", "Devon", "The council will fund youth centres and safety walks in every town by 2026."),
}
ACCESS = {
    "a-open": None, "b-open": [PUBLIC_GROUP], "c-police": ["police"], "d-police": ["police"],
    "e-social": ["social"], "f-social": ["social"], "g-both": ["police", "social"], "h-council": ["council"],
}
QUERIES = ["safety walks in autumn", "domestic violence support", "street lighting", "usalama", "programme for violent men"]
PROXY = "10.1.2.3"


def documents(access: dict[str, list[str] | None]) -> list[dict]:
    docs = []
    for doc_id, (language, region, text) in TEXTS.items():
        doc = {"id": doc_id, "text": text, "language": language, "region": region, "title": f"Title {doc_id}"}
        if access.get(doc_id) is not None:
            doc["access"] = access[doc_id]
        docs.append(doc)
    return docs


def visible(groups: set[str], access: dict[str, list[str] | None] = ACCESS) -> set[str]:
    held = groups | {PUBLIC_GROUP}
    if "*" in groups:
        return set(TEXTS)
    return {doc_id for doc_id, given in access.items() if held & set(given or [PUBLIC_GROUP])}


@pytest.fixture(scope="module")
def world(settings_factory, encoder):
    from service.facade import Ahadi

    settings = settings_factory(trusted_proxies=PROXY, rate_limit=0)
    keys = {
        "all": create_key(settings.data_dir, "all", ["read"], ["*"]),
        "none": create_key(settings.data_dir, "none", ["read"]),
        "police": create_key(settings.data_dir, "police", ["read"], ["police"]),
        "writer": create_key(settings.data_dir, "writer", ["read", "write"], ["*"]),
    }
    ahadi = Ahadi(settings, encoder=encoder)
    app = create_app(settings, app=ahadi)
    with TestClient(app, client=(PROXY, 4000)) as through_proxy, TestClient(app) as direct:
        response = direct.post("/v1/documents", json={"documents": documents(ACCESS)}, headers={"X-API-Key": keys["writer"]})
        assert response.status_code == 200 and len(response.json()["written"]) == len(TEXTS), response.text
        yield {"ahadi": ahadi, "settings": settings, "keys": keys, "direct": direct, "proxy": through_proxy, "app": app}
    ahadi.close()


# caller name → (how it authenticates, its groups)
CALLERS = {
    "all": ("key", {"*"}),
    "none": ("key", set()),
    "police": ("key", {"police"}),
    "sso-social": ("sso", {"social"}),
}


def call(world, caller: str, method: str, url: str, **kwargs):
    how, groups = CALLERS[caller]
    if how == "key":
        return world["direct"].request(method, url, headers={"X-API-Key": world["keys"][caller]}, **kwargs)
    headers = {"X-Forwarded-User": "maria@example.org", "X-Forwarded-Groups": ",".join(sorted(groups))}
    return world["proxy"].request(method, url, headers=headers, **kwargs)


def _no_hidden_id(response, hidden: set[str]) -> None:
    """Nothing of a hidden document in the answer: not its id, not its title, not its text."""
    for doc_id in hidden:
        assert doc_id not in response.text, (doc_id, response.request.url)
        assert TEXTS[doc_id][2][:30] not in response.text


@pytest.mark.parametrize("caller", list(CALLERS))
def test_leak_matrix(world, caller):
    seen_groups = CALLERS[caller][1]
    allowed = visible(seen_groups)
    hidden = set(TEXTS) - allowed
    assert allowed and (caller == "all" or hidden)
    requests = []
    for query in QUERIES:
        requests += [
            ("GET", "/v1/search", {"params": {"query": query, "top_k": 20}}),
            ("POST", "/v1/search", {"json": {"query": query, "top_k": 20, "group_by_document": False, "mode": "hybrid"}}),
            ("POST", "/v1/commitments", {"json": {"query": query, "top_k": 20, "group_by_document": False}}),
            ("GET", "/v1/compare", {"params": {"topic": query, "per_group": 5}}),
            ("POST", "/v1/commitments/compare", {"json": {"topic": query}}),
            ("POST", "/v1/similar", {"json": {"text": query, "top_k": 20}}),
            ("GET", "/v1/facets", {"params": {"query": query, "top_n": 20}}),
        ]
    for doc_id in sorted(allowed):
        requests.append(("POST", "/v1/similar", {"json": {"doc_id": doc_id, "top_k": 20}}))
    for method, url, kwargs in requests:
        response = call(world, caller, method, url, **kwargs)
        assert response.status_code == 200, (method, url, response.text)
        _no_hidden_id(response, hidden)
        body = response.json()
        found = {hit["doc_id"] for hit in body.get("results", [])}
        found |= {p["doc_id"] for group in body.get("groups", []) for p in group["passages"]}
        assert found <= allowed, (method, url, found - allowed)
    # every hit carries its highlight; only allowed documents are highlighted
    hits = call(world, caller, "GET", "/v1/search", params={"query": "safety walks", "top_k": 20}).json()["results"]
    assert hits and all("highlighted" in hit and hit["doc_id"] in allowed for hit in hits)

    # counts: facets over the index count only what the caller may read
    facets = call(world, caller, "GET", "/v1/facets").json()["facets"]
    assert sum(item["count"] for item in facets["language"]) == len(allowed)
    stored = {TEXTS[d][1] for d in allowed}
    regions = {item["value"]: item for item in facets["region"]}
    assert stored <= set(regions)
    # a wider region (Gotlands län for Gotland) is listed only as the one that holds a listed region:
    # a hidden document's region never brings its own in
    wider = set(regions) - stored
    assert wider <= {item["within"] for item in regions.values()}
    assert all(regions[name]["count"] <= len(allowed) for name in wider)
    listing = call(world, caller, "GET", "/v1/documents", params={"limit": 500}).json()
    assert {d["doc_id"] for d in listing["documents"]} == allowed and listing["total"] == len(allowed)
    compared = call(world, caller, "GET", "/v1/compare", params={"topic": "safety walks", "per_group": 5}).json()
    assert {group["key"] for group in compared["groups"]} <= {TEXTS[d][1] for d in allowed}
    assert all(group["documents"] <= 1 for group in compared["groups"])  # one document per region here

    # a hidden id answers exactly as a missing one
    for doc_id in sorted(hidden):
        for template, method, kwargs in (
            ("/v1/documents/{}", "GET", {}),
            ("/v1/documents/{}/commitments", "GET", {}),
            ("/v1/similar", "POST", {"json": {"doc_id": "{}"}}),
            ("/v1/similar", "POST", {"json": {"doc_id": "{}", "chunk_id": "{}#0"}}),
        ):
            answers = []
            for asked in (doc_id, "zz-missing"):
                filled = {"json": {k: v.format(asked) for k, v in kwargs["json"].items()}} if kwargs else {}
                answers.append(call(world, caller, method, template.format(asked), **filled))
            hidden_answer, missing_answer = answers
            assert hidden_answer.status_code == missing_answer.status_code == 404
            assert hidden_answer.json()["error"]["code"] == missing_answer.json()["error"]["code"]
            assert hidden_answer.text.replace(doc_id, "X") == missing_answer.text.replace("zz-missing", "X")
    for doc_id in sorted(allowed):
        assert call(world, caller, "GET", f"/v1/documents/{doc_id}").status_code == 200


@pytest.mark.parametrize("caller", ["none", "police", "sso-social"])
def test_the_web_pages_show_only_what_the_caller_may_read(world, caller):
    """The pages use the same identity: a key exchanged for a session, or the sign-on user."""
    import re

    how, groups = CALLERS[caller]
    allowed = visible(groups)
    hidden = set(TEXTS) - allowed
    if how == "key":
        pages = TestClient(world["app"])
        token = re.search(r'name="csrf" value="([^"]+)"', pages.get("/sign-in").text).group(1)
        assert pages.post("/sign-in", data={"csrf": token, "key": world["keys"][caller], "next": "/search"}, follow_redirects=False).status_code == 303
        headers = {}
    else:
        pages = world["proxy"]
        headers = {"X-Forwarded-User": "maria@example.org", "X-Forwarded-Groups": ",".join(sorted(groups))}
    urls = [f"/search?q={query}" for query in QUERIES] + [f"/commitments?q={query}" for query in QUERIES]
    urls += ["/search", "/commitments", "/compare?topic=safety+walks", "/compare.csv?topic=safety+walks", "/compare.xlsx?topic=safety+walks"]
    urls += [f"/documents/{doc_id}" for doc_id in sorted(allowed)] + [f"/precedents/{doc_id}" for doc_id in sorted(allowed)]
    for url in urls:
        response = pages.get(url, headers=headers)
        assert response.status_code == 200, (url, response.text[:300])
        if not url.endswith(".xlsx"):
            _no_hidden_id(response, hidden)
    shown = pages.get("/search?q=safety+walks", headers=headers).text
    assert any(f"/documents/{doc_id}" in shown for doc_id in allowed)
    for doc_id in sorted(hidden):
        for url in (f"/documents/{doc_id}", f"/precedents/{doc_id}"):
            assert pages.get(url, headers=headers).status_code == pages.get(url.replace(doc_id, "zz-missing"), headers=headers).status_code == 404


def test_a_writer_cannot_delete_what_it_cannot_read(world, settings_factory):
    keys = world["keys"]
    limited = create_key(world["settings"].data_dir, "limited-writer", ["write"], ["social"])
    response = world["direct"].delete("/v1/documents/c-police", headers={"X-API-Key": limited})
    assert response.status_code == 404
    assert world["direct"].get("/v1/documents/c-police", headers={"X-API-Key": keys["all"]}).status_code == 200


def test_sso_headers_count_only_from_a_trusted_proxy(world):
    spoofed = {"X-Forwarded-User": "mallory", "X-Forwarded-Groups": "police,social,*"}
    # From any other address the headers are not there: no key, so 401.
    assert world["direct"].get("/v1/search", params={"query": "safety walks"}, headers=spoofed).status_code == 401
    # With a key from elsewhere, the key decides (public only), not the headers.
    answer = world["direct"].get("/v1/documents", params={"limit": 500}, headers={**spoofed, "X-API-Key": world["keys"]["none"]})
    assert {d["doc_id"] for d in answer.json()["documents"]} == visible(set())
    # From the proxy: the user's groups, never `*`, and only the read scope.
    answer = world["proxy"].get("/v1/documents", params={"limit": 500}, headers=spoofed)
    assert {d["doc_id"] for d in answer.json()["documents"]} == visible({"police", "social"})
    assert world["proxy"].post("/v1/documents", json={"id": "x", "text": "Polisen lovar."}, headers=spoofed).status_code == 403
    assert world["proxy"].post("/v1/snapshots", headers=spoofed).status_code == 403
    # The proxy without a user header vouches for nobody.
    assert world["proxy"].get("/v1/search", params={"query": "x"}, headers={"X-Forwarded-Groups": "police"}).status_code == 401


def test_new_access_takes_effect_on_the_next_search(world):
    client, keys = world["direct"], world["keys"]
    doc = {"text": "Kommunen ska anordna nattvandringar med föräldrar varje fredag.", "language": "sv", "region": "Lund"}

    def found(caller: str) -> bool:
        hits = call(world, caller, "GET", "/v1/search", params={"query": "nattvandringar med föräldrar", "top_k": 20}).json()["results"]
        return "moved" in {hit["doc_id"] for hit in hits}

    assert client.put("/v1/documents/moved", json=doc, headers={"X-API-Key": keys["writer"]}).status_code == 200
    assert found("none") and found("police")  # no access given: public
    client.put("/v1/documents/moved", json={**doc, "access": ["police"]}, headers={"X-API-Key": keys["writer"]})
    assert not found("none") and found("police") and not found("sso-social")
    client.put("/v1/documents/moved", json={**doc, "access": ["social"]}, headers={"X-API-Key": keys["writer"]})
    assert not found("police") and found("sso-social")
    assert world["ahadi"].delete(ALL_DOCUMENTS, "moved")["access"] == ["social"]


@hypothesis_settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    assignment=st.lists(st.sampled_from([None, ["police"], ["social"], ["police", "social"], ["council"], [PUBLIC_GROUP]]), min_size=len(TEXTS), max_size=len(TEXTS)),
    readers=st.lists(st.sets(st.sampled_from(["police", "social", "council", "nobody"])), min_size=2, max_size=3),
    query=st.sampled_from(QUERIES),
)
def test_no_leak_for_random_groups_readers_and_queries(world, assignment, readers, query):
    """The facade, with the documents re-ingested under a random assignment of groups (only the
    changed ones are re-embedded), then searched by random readers."""
    ahadi = world["ahadi"]
    access = dict(zip(TEXTS, assignment))
    report = ahadi.ingest_documents(documents(access))
    assert not report.skipped
    for groups in readers:
        reader, allowed = reader_for(groups), visible(groups, access)
        found = ahadi.search(reader, query, top_k=20, group_by_document=False)
        assert {r.doc_id for r in found.results} <= allowed
        assert {r.doc_id for r in ahadi.search(reader, query, top_k=20, kind="commitment").results} <= allowed
        assert {r.doc_id for r, _ in ahadi.similar(reader, text=query, top_k=20).results} <= allowed
        compared = ahadi.compare(reader, query, per_group=5)
        assert {r.doc_id for group in compared.groups for r in group.results} <= allowed
        counts = ahadi.facets(reader)["facets"]["language"]
        assert sum(item["count"] for item in counts) == len(allowed)
        assert {r["doc_id"] for r in ahadi.documents(reader, limit=100)[0]} == allowed
        assert ahadi.count_documents(reader) == len(allowed)
        for doc_id in set(TEXTS) - allowed:
            with pytest.raises(NotFound):
                ahadi.document(reader, doc_id)
            with pytest.raises(NotFound):
                ahadi.similar(reader, doc_id=doc_id)
    ahadi.ingest_documents(documents(ACCESS))  # back to the module's assignment


def test_the_audit_log_records_who_did_what(world, capsys):
    from ahadi.cli import main

    settings = world["settings"]
    log = settings.layout.audit_file
    before = log.read_text().count("\n") if log.exists() else 0
    call(world, "police", "GET", "/v1/search", params={"query": "very particular question"})
    call(world, "sso-social", "GET", "/v1/documents/e-social")
    call(world, "none", "GET", "/v1/documents/c-police")  # hidden: 404, audited all the same
    lines = [json.loads(line) for line in log.read_text().splitlines()[before:]]
    search, read, refused = lines[-3:]
    police_id = world["keys"]["police"].split("_")[1]
    assert search["who"] == f"key:{police_id}" and search["route"] == "/v1/search" and search["status"] == 200
    assert search["results"] >= 1 and "query" not in search
    assert search["query_sha256"] == __import__("hashlib").sha256(b"very particular question").hexdigest()
    assert read["who"] == "sso:maria@example.org" and read["read"] == ["e-social"]
    assert refused["status"] == 404 and refused["read"] == ["c-police"]
    # never a key's secret (everything after the id: the secret itself may hold "_")
    assert world["keys"]["police"].split("_", 2)[2] not in log.read_text()
    assert log.stat().st_mode & 0o077 == 0

    assert main(["--data-dir", str(settings.data_dir), "audit", "--who", "maria@example.org", "--tail", "1"]) == 0
    shown = capsys.readouterr().out.strip().splitlines()
    assert len(shown) == 1 and "sso:maria@example.org" in shown[0] and "/v1/documents/{doc_id}" in shown[0]
    assert main(["--data-dir", str(settings.data_dir), "audit", "--since", "2999-01-01", "--json"]) == 0
    assert capsys.readouterr().out == ""


def test_a_request_whose_audit_line_cannot_be_written_is_refused(world, settings_factory):
    settings = settings_factory(rate_limit=0)
    settings.layout.audit_file.parent.parent.mkdir(parents=True, exist_ok=True)
    settings.layout.audit_file.parent.write_text("a file where the audit folder should be")
    key = create_key(settings.data_dir, "reader", ["read"])
    app = create_app(settings, app=world["ahadi"])
    with TestClient(app) as client:
        response = client.get("/v1/search", params={"query": "safety walks"}, headers={"X-API-Key": key})
        assert response.status_code == 503 and response.json()["error"]["code"] == "audit_unavailable"
        assert "Polisen" not in response.text and "police" not in response.text.lower()
        assert client.get("/v1/health").status_code == 200  # no caller, nothing to audit
        metrics = client.get("/metrics").text
        assert "ahadi_audit_failures_total 1.0" in metrics


def test_audit_rotation_and_full_queries(tmp_path):
    from service.audit import AuditLog, read_entries

    log = AuditLog(tmp_path / "audit.jsonl", max_bytes=400, keep=2, full_queries=True)
    for number in range(30):
        log.record({"who": "key:abc", "route": "/v1/search", **log.query_fields(f"question {number}")})
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["audit.jsonl", "audit.jsonl.1", "audit.jsonl.2"]
    entries = list(read_entries(tmp_path / "audit.jsonl"))
    numbers = [int(entry["query"].split()[1]) for entry in entries]
    assert numbers == sorted(numbers) and numbers[-1] == 29 and len(numbers) < 30  # the oldest rotated away
    assert all(path.stat().st_size <= 400 for path in tmp_path.iterdir())
