"""Property tests (Hypothesis): arbitrary input never crashes ingestion or search.

What tests/test_chunking.py and tests/test_language.py already check is not repeated here
(sentence spans and the chunk contract on arbitrary text; `detect_language` and
`LanguageDetector` never raising with a few sampled hints). This file adds:

- reading → cleaning → chunking together: the chunk contract holds on the *cleaned* text,
  for text full of the characters that move offsets (CR, NEL, U+2028, ZWNJ, combining marks, RTL);
- language detection with arbitrary hints, declared languages and countries, long mixed-script text;
- the readers: arbitrary bytes as .txt/.md/.html/.pdf/.docx/.jsonl (and zips built to look like
  a DOCX, and arbitrary JSON values as JSONL lines) give a Document or a skip reason, never an
  exception, and every Document keeps the reader's promises;
- the search parameters through the API: arbitrary strings and integers get 2xx or 4xx, never 5xx.

Schemathesis fuzzes every API operation from the OpenAPI schema: benchmarks/api_fuzz.py
(run by tests/test_api.py with few examples); the API property here aims at the search
parameters and the values the schema does not describe (NUL bytes, huge integers, odd scripts).
"""

from __future__ import annotations

import io
import json
import tempfile
import unicodedata
import warnings
import zipfile
from pathlib import Path

import pytest
from haystack import Document
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ingest.chunking import SentenceChunker
from ingest.cleaning import BoilerplateCleaner
from core.detection import detect_language
from core.languages import normalize_country, normalize_language
from ingest.language import LanguageDetector
from ingest.readers import ID_PATTERN, DocumentReader
from tests.test_chunking import check_chunks

pytestmark = pytest.mark.slow  # fuzzing: hundreds of generated inputs per test

def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples, deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )

# Characters that move offsets or split lines in surprising ways, and the five scripts.
TRICKY = list("\r\n\x85\u2028\u2029\x0b\x0c\t \u00a0\u200b\u200c\u200d\u200e\u200f\u202b\u202c\ufeff\u0301\u0308")
SCRIPTS = list("aäöåčćđšžABЂЉђљжقپچژگکی۰۱٫،؟؛ \u064b") + list(".!?…1.2")
text_with_tricks = st.text(
    alphabet=st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(TRICKY), st.sampled_from(SCRIPTS)),
    max_size=400,
)


# ---------------------------------------------------------------------------------------- chunking
class TestCleanedChunking:
    @fuzz(150)
    @given(text_with_tricks, st.integers(min_value=1, max_value=30), st.integers(min_value=0, max_value=29))
    def test_chunks_point_into_the_cleaned_text(self, text, max_words, overlap):
        """What is stored: the cleaner's output, chunked; every offset must index that text."""
        overlap = min(overlap, max_words - 1)
        cleaned = BoilerplateCleaner(min_letters=0).run(documents=[Document(id="f", content=text, meta={"doc_id": "f", "source": "x"})])
        for doc in cleaned["documents"]:
            chunks = SentenceChunker(max_words=max_words, overlap_words=overlap).run(documents=[doc])["documents"]
            check_chunks(doc, chunks, max_words)


# ---------------------------------------------------------------------------------------- language
class TestLanguageNeverRaises:
    @fuzz(150)
    @given(text_with_tricks, st.one_of(st.none(), st.text(max_size=40)))
    def test_detect_with_any_hint(self, text, hint):
        result = detect_language(text, hint=hint)
        assert result is None or (isinstance(result, str) and result)

    @fuzz(60)
    @given(
        st.lists(st.sampled_from([
            "Polisen och kommunen lovar fler trygghetsvandringar.", "The council promises more patrols.",
            "Polisi wanaahidi doria zaidi.", "پلیس قول می‌دهد گشت‌ها بیشتر شود.", "Policija obećava više patrola.",
            "警察は約束した。", "\x00", "1234", "😀",
        ]), max_size=60).map(" ".join),
        st.one_of(st.none(), st.text(max_size=20)),
        st.one_of(st.none(), st.text(max_size=20)),
    )
    def test_detector_with_any_declared_language_and_country(self, text, declared, country):
        doc = Document(id="h", content=text, meta={"language": declared, "country": country})
        out = LanguageDetector().run(documents=[doc])["documents"][0]
        assert out.meta["language"] is None or isinstance(out.meta["language"], str)
        for value in (declared, country):
            normalize_language(value)
            normalize_country(value)


# ---------------------------------------------------------------------------------------- readers
EXTENSIONS = [".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".jsonl"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=12,
)
jsonl_records = st.fixed_dictionaries(
    {"id": st.one_of(st.from_regex(ID_PATTERN, fullmatch=True), st.text(max_size=20), st.integers(), st.none())},
    optional={
        "text": st.one_of(text_with_tricks, json_values),
        "title": json_values, "language": json_values, "date": st.one_of(st.text(max_size=12), json_values),
        "year": json_values, "country": json_values, "organisations": json_values, "metadata": json_values,
    },
)


def read_one(name: str, data: bytes, max_file_bytes: int = 50_000) -> list:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        items = list(DocumentReader(max_file_bytes=max_file_bytes).iter_documents([path]))
    assert items, "the reader said nothing about a file"
    for item in items:
        if isinstance(item, Document):
            assert isinstance(item.content, str) and item.content
            assert item.content == item.content.strip() and "\r" not in item.content
            assert unicodedata.is_normalized("NFC", item.content)
            assert ID_PATTERN.fullmatch(item.id)
            assert {"doc_id", "source", "title", "language", "metadata"} <= set(item.meta)
        else:
            assert set(item) == {"source", "reason"}, item
            assert isinstance(item["reason"], str) and item["reason"]
    return items


def docx_like(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # duplicate member names are part of the fuzzing
        for name, body in members:
            archive.writestr(name, body)
    return out.getvalue()


xmlish = st.lists(
    st.sampled_from([b"<w:document>", b"<w:body>", b"<w:p>", b"<w:t>", b"Polisen lovar", b"</w:t>", b"</w:p>", b"&amp;", b"<", b">", b"\x00", b"\xff"]),
    max_size=20,
).map(b"".join)


class TestReadersNeverRaise:
    @fuzz(300)
    @given(st.sampled_from(EXTENSIONS), st.binary(max_size=3000))
    def test_arbitrary_bytes(self, extension, data):
        read_one("fuzz" + extension, data)

    @fuzz(60)
    @given(st.sampled_from([".txt", ".html", ".md"]), text_with_tricks, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    def test_arbitrary_text_in_any_encoding(self, extension, text, encoding):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            data = text.encode("utf-8", "surrogatepass")
        read_one("text" + extension, data)

    @fuzz(100)
    @given(
        st.lists(
            st.tuples(st.sampled_from(["word/document.xml", "[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "docProps/core.xml", "../evil.xml"]), xmlish),
            max_size=5,
        )
    )
    def test_zips_that_look_like_docx(self, members):
        read_one("zipped.docx", docx_like(members))

    @fuzz(150)
    @given(st.lists(st.one_of(jsonl_records.map(lambda r: json.dumps(r).encode()), json_values.map(lambda v: json.dumps(v).encode()), st.binary(max_size=80)), max_size=6))
    def test_arbitrary_jsonl_lines(self, lines):
        read_one("bulk.jsonl", b"\n".join(lines))

    @fuzz(80)
    @given(st.binary(max_size=200), st.integers(min_value=0, max_value=400))
    def test_pdf_with_damage(self, noise, cut):
        from tests.test_readers import make_pdf

        with tempfile.TemporaryDirectory() as folder:
            data = make_pdf(Path(folder) / "x.pdf", ["Polisen och kommunen", "samarbetar."]).read_bytes()
        damaged = data[:cut] + noise + data[cut + len(noise):] if cut < len(data) else data + noise
        read_one("damaged.pdf", damaged)


# ---------------------------------------------------------------------------------------- the API
@pytest.fixture(scope="module")
def api_client(corpus_app, settings_factory):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.keys import create_key

    settings = settings_factory()  # its own keys file; the corpus index is only searched
    key = create_key(settings.data_dir, "fuzz", ["read"])
    with TestClient(create_app(settings.replace(rate_limit=0), app=corpus_app)) as client:
        client.headers["X-API-Key"] = key
        yield client


anything = st.one_of(st.text(max_size=40), st.integers(min_value=-(10**30), max_value=10**30).map(str), st.sampled_from(["", "0", "-1", "1e9", "NaN", "true", "\x00", "2023-13-45", "2023-02-29", "9999-12-31"]))
small_query = st.one_of(text_with_tricks.filter(lambda t: len(t) <= 200), st.sampled_from(["police", "پلیس", "Polisen lovar", "\x00", " ", "x" * 2001]))


def assert_handled(response) -> None:
    assert response.status_code < 500, response.text[:500]
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    if response.status_code == 200:
        assert isinstance(body["results"], list) and len(body["results"]) <= 100
    else:
        assert set(body) == {"error"} and body["error"]["message"]


class TestApiSearchParameters:
    @fuzz(60)
    @given(
        small_query,
        st.fixed_dictionaries({}, optional={
            "top_k": st.one_of(st.integers(1, 100).map(str), anything), "offset": st.one_of(st.integers(0, 1000).map(str), anything),
            "mode": st.one_of(st.sampled_from(["dense", "hybrid"]), anything),
            "group_by_document": st.one_of(st.sampled_from(["true", "false"]), anything),
            "query_language": st.one_of(st.sampled_from(["sv", "fa", "sw", "cnr", "en"]), anything),
            "language": st.one_of(st.sampled_from(["sv", "hbs", "fa-IR"]), anything), "country": st.one_of(st.sampled_from(["SE", "me"]), anything),
            "region": anything, "date_from": st.one_of(st.dates().map(str), anything), "date_to": st.one_of(st.dates().map(str), anything),
        }),
    )
    def test_get_search(self, api_client, query, params):
        response = api_client.get("/v1/search", params={"query": query, **params})
        event(f"status {response.status_code}")
        assert_handled(response)

    @fuzz(60)
    @given(
        st.fixed_dictionaries({"query": st.one_of(small_query, json_values)}, optional={
            "top_k": st.one_of(st.integers(1, 100), st.integers(min_value=-(10**20), max_value=10**20), json_values),
            "offset": st.one_of(st.integers(0, 1000), st.integers(min_value=-(10**20), max_value=10**20), json_values),
            "mode": st.one_of(st.sampled_from(["dense", "hybrid"]), json_values), "group_by_document": json_values,
            "query_language": st.one_of(st.sampled_from(["sv", "fa"]), json_values),
            "filters": st.one_of(json_values, st.fixed_dictionaries({}, optional={k: json_values for k in ("language", "country", "region", "doc_type", "organisation", "date_from", "date_to")})),
        })
    )
    def test_post_search(self, api_client, body):
        response = api_client.post("/v1/search", json=body)
        event(f"status {response.status_code}")
        assert_handled(response)
