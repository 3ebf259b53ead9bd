"""Tests for ingest.chunking: sentence splitting, chunk packing, offsets, and token lengths."""

from __future__ import annotations

import gzip
import json
import os
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

import pytest  # noqa: E402
from haystack import Document  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ingest.chunking import SentenceChunker, split_sentences  # noqa: E402
from ingest.cleaning import BoilerplateCleaner  # noqa: E402
from ingest.readers import DocumentReader  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS_FILES = sorted((ROOT / "corpus").glob("*.txt"))
NTREX = ROOT.parent / "shared" / "data" / "ntrex" / "ntrex_docs.jsonl.gz"
MAX_TOKENS = 510  # multilingual-e5-small: 512 positions minus <s> and </s>


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def corpus_docs(clean: bool) -> list[Document]:
    docs = DocumentReader().run(sources=CORPUS_FILES)["documents"]
    return BoilerplateCleaner().run(documents=docs)["documents"] if clean else docs


def check_chunks(doc: Document, chunks: list[Document], max_words: int) -> None:
    """The chunk contract: exact offsets, ids, meta, word limit, coverage, non-space ends."""
    covered = [False] * len(doc.content)
    previous_start = -1
    for index, chunk in enumerate(chunks):
        start, end = chunk.meta["start"], chunk.meta["end"]
        assert 0 <= start < end <= len(doc.content)
        assert doc.content[start:end] == chunk.content
        assert chunk.id == f"{doc.meta.get('doc_id') or doc.id}#{index}"
        assert chunk.meta["chunk_index"] == index
        assert {k: v for k, v in chunk.meta.items() if k not in ("chunk_index", "start", "end")} == doc.meta
        assert not chunk.content[0].isspace() and not chunk.content[-1].isspace()
        assert len(chunk.content.split()) <= max_words
        assert start > previous_start
        previous_start = start
        for i in range(start, end):
            covered[i] = True
    for i, ch in enumerate(doc.content):
        if not ch.isspace():
            assert covered[i], f"character {i} ({ch!r}) is in no chunk"


class TestSplitSentences:
    def test_terminators_and_line_breaks(self):
        text = "First one. Second one! Third? Fourth… Fifth\nline two\n\n  indented line.  "
        assert sentences(text) == ["First one.", "Second one!", "Third?", "Fourth…", "Fifth", "line two", "indented line."]

    def test_no_split_inside_numbers_dates_and_phones(self):
        text = (
            "U Beranskom Centru dana 03.03.2023 godine održan je sastanak. Publicerad 2020-02-24 11:16 idag. "
            "Pozovite 067 – 602-337 ili 122. Andelen var 3.5 procent. Det kostar 1.200 kr."
        )
        assert sentences(text) == [
            "U Beranskom Centru dana 03.03.2023 godine održan je sastanak.",
            "Publicerad 2020-02-24 11:16 idag.",
            "Pozovite 067 – 602-337 ili 122.",
            "Andelen var 3.5 procent.",
            "Det kostar 1.200 kr.",
        ]

    def test_no_split_after_ordinals_list_numbers_and_abbreviations(self):
        assert sentences("Sastanak je održan 3. marta 2023. godine u Beranama. Sljedeći je u aprilu.") == [
            "Sastanak je održan 3. marta 2023. godine u Beranama.",
            "Sljedeći je u aprilu.",
        ]
        assert sentences("1. Under 2020 ska fem kvinnor erbjudas stöd. Det följs upp.") == [
            "1. Under 2020 ska fem kvinnor erbjudas stöd.",
            "Det följs upp.",
        ]
        text = (
            "Vi samarbetar t.ex. med skolor. Insatser bl.a. Trygghetsvandringar m.fl. Ökar. "
            "Det gäller d.v.s. Alla. Mr. Smith met Dr. Jones at St. Mary's. See e.g. The report, i.e. Part two. "
            "Ulica br. 5 je tj. Glavna itd. Kraj. Bw. Anthony Ngaiza na Bi. Ritha walikuja. J. Smith wrote."
        )
        assert sentences(text) == [
            "Vi samarbetar t.ex. med skolor.",
            "Insatser bl.a. Trygghetsvandringar m.fl. Ökar.",
            "Det gäller d.v.s. Alla.",
            "Mr. Smith met Dr. Jones at St. Mary's.",
            "See e.g. The report, i.e. Part two.",
            "Ulica br. 5 je tj. Glavna itd. Kraj.",
            "Bw. Anthony Ngaiza na Bi. Ritha walikuja.",
            "J. Smith wrote.",
        ]

    def test_closing_quotes_and_brackets_stay_with_their_sentence(self):
        text = 'Han sa: ”Vi gör skillnad.” Sedan gick han. (Se bilagan.) Klart!» Nästa.'
        assert sentences(text) == ['Han sa: ”Vi gör skillnad.”', "Sedan gick han.", "(Se bilagan.)", "Klart!»", "Nästa."]

    def test_persian(self):
        text = (
            "فراجا به دنبال ارائه خدمات است. آیا این طرح اجرا می شود؟ بله؛ در سه فاز اجرا خواهد شد. "
            "خیرین، معتمدین و... طرح را اجرا می کنند. سال 1402 تا 1405."
        )
        assert sentences(text) == [
            "فراجا به دنبال ارائه خدمات است.",
            "آیا این طرح اجرا می شود؟",
            "بله؛",
            "در سه فاز اجرا خواهد شد.",
            "خیرین، معتمدین و... طرح را اجرا می کنند.",
            "سال 1402 تا 1405.",
        ]

    def test_corpus_persian_document(self):
        text = (ROOT / "corpus" / "003_3629adb00e0c4f21.txt").read_text(encoding="utf-8")
        units = sentences(text)
        assert "یکشنبه 4 آذر 1403" in units
        assert any(u.endswith("و این بخش از مدیریت آسیبهای اجتماعی در حال اقدام و عمل است.") for u in units)
        assert any(u.startswith("در کشور ما نیز") for u in units)  # split after ؛
        assert any("خیرین، معتمدین، ریش سفیدان و شیوخ و... طرح جامع" in u for u in units)

    def test_gotland_numbered_items_are_whole_sentences(self):
        text = (ROOT / "corpus" / "002_6654c4057f6be88f.txt").read_text(encoding="utf-8")
        items = [u for u in sentences(text) if u[:3] in ("1. ", "2. ", "3. ")]
        assert len(items) == 6
        assert all(item.startswith(("1. Under 2020 ska", "2. Under 2020 ska", "3. Under 2020 ska")) for item in items)
        assert all(item.endswith(".") for item in items)
        assert "2. Under 2020 ska fem män med våldsproblematik i nära relationer ha påbörjat behandling enligt metoden Alternativ Till Våld." in items

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
    def test_spans_property(self, text):
        spans = split_sentences(text)
        last_end = 0
        covered = set()
        for start, end in spans:
            assert last_end <= start < end <= len(text)
            assert not text[start].isspace() and not text[end - 1].isspace()
            assert "\n" not in text[start:end]
            covered.update(range(start, end))
            last_end = end
        assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


class TestSentenceChunker:
    def test_validation_lists_the_rule(self):
        for max_words, overlap in ((10, 10), (10, 20), (0, 0), (10, -1), (10.5, 2)):
            with pytest.raises(ValueError, match=r"max_words > overlap_words >= 0"):
                SentenceChunker(max_words=max_words, overlap_words=overlap)

    def test_serialization(self):
        chunker = SentenceChunker(max_words=120, overlap_words=20)
        data = chunker.to_dict()
        assert data["init_parameters"] == {"max_words": 120, "overlap_words": 20}
        restored = SentenceChunker.from_dict(data)
        assert (restored.max_words, restored.overlap_words) == (120, 20)

    @pytest.mark.parametrize("clean", [False, True])
    @pytest.mark.parametrize(("max_words", "overlap"), [(160, 30), (40, 10), (12, 0), (5, 4)])
    def test_offsets_exact_on_corpus(self, clean, max_words, overlap):
        chunker = SentenceChunker(max_words=max_words, overlap_words=overlap)
        for doc in corpus_docs(clean):
            chunks = chunker.run(documents=[doc])["documents"]
            assert chunks
            check_chunks(doc, chunks, max_words)

    def test_gotland_items_stay_whole_in_chunks(self):
        doc = next(d for d in corpus_docs(clean=True) if d.id.startswith("002"))
        items = [(s, e) for s, e in split_sentences(doc.content) if doc.content[s : s + 3] in ("1. ", "2. ", "3. ")]
        for max_words in (160, 60, 40):
            chunks = SentenceChunker(max_words=max_words, overlap_words=10).run(documents=[doc])["documents"]
            for s, e in items:
                assert any(c.meta["start"] <= s and e <= c.meta["end"] for c in chunks), doc.content[s:e]
                # no chunk boundary falls inside an item
                assert not any(s < c.meta["start"] < e or s < c.meta["end"] < e for c in chunks)

    def test_overlap_is_trailing_whole_sentences(self):
        text = " ".join(f"Sentence number {i} has five words." for i in range(1, 21))  # 6 words each
        doc = Document(id="o", content=text, meta={"doc_id": "o"})
        chunks = SentenceChunker(max_words=30, overlap_words=12).run(documents=[doc])["documents"]
        check_chunks(doc, chunks, 30)
        for first, second in zip(chunks, chunks[1:]):
            overlap = first.meta["end"] - second.meta["start"]
            assert overlap > 0
            shared = text[second.meta["start"] : first.meta["end"]]
            assert len(shared.split()) == 12  # two whole sentences
            assert shared.startswith("Sentence") and shared.endswith(".")
        no_overlap = SentenceChunker(max_words=30, overlap_words=0).run(documents=[doc])["documents"]
        assert all(a.meta["end"] < b.meta["start"] for a, b in zip(no_overlap, no_overlap[1:]))

    def test_long_sentence_is_split_at_word_boundaries(self):
        text = "Intro. " + " ".join(f"w{i}" for i in range(250)) + " end. Outro."
        doc = Document(id="l", content=text, meta={})
        chunks = SentenceChunker(max_words=100, overlap_words=10).run(documents=[doc])["documents"]
        check_chunks(doc, chunks, 100)
        assert chunks[0].id == "l#0"
        assert all(len(c.content.split()) <= 100 for c in chunks)

    def test_empty_documents_give_no_chunks(self):
        docs = [Document(id="e", content="", meta={}), Document(id="n", content=None, meta={})]
        assert SentenceChunker().run(documents=docs)["documents"] == []

    @settings(max_examples=200, deadline=None)
    @given(
        st.text(
            alphabet=st.one_of(
                st.characters(blacklist_categories=("Cs",)),
                st.sampled_from(list(" \n\n.!?…؟؛ \t1.2")),
            ),
            max_size=600,
        ),
        st.integers(min_value=1, max_value=40),
        st.integers(min_value=0, max_value=39),
    )
    def test_chunk_property(self, text, max_words, overlap):
        overlap = min(overlap, max_words - 1)
        doc = Document(id="p", content=text, meta={"doc_id": "p", "source": "x"})
        chunks = SentenceChunker(max_words=max_words, overlap_words=overlap).run(documents=[doc])["documents"]
        check_chunks(doc, chunks, max_words)

    def test_token_length_with_the_real_tokenizer(self):
        """Every chunk fits multilingual-e5-small with the "passage: " prefix (≤ 510 tokens)."""
        import semantra_multilingual as semantra
        from tokenizers import Tokenizer

        tokenizer_path = Path(semantra.__file__).parent / "assets" / "multilingual-e5-small" / "tokenizer.json"
        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        chunker = SentenceChunker()
        worst: dict[str, int] = defaultdict(int)

        def measure(label: str, doc: Document) -> None:
            for chunk in chunker.run(documents=[doc])["documents"]:
                n = len(tokenizer.encode("passage: " + chunk.content, add_special_tokens=False).ids)
                worst[label] = max(worst[label], n)

        for doc in corpus_docs(clean=False) + corpus_docs(clean=True):
            measure("corpus", doc)
        if NTREX.exists():
            with gzip.open(NTREX, "rt", encoding="utf-8") as handle:
                for line in handle:
                    record = json.loads(line)
                    if record["lang"] in ("eng", "swa", "swe", "bos", "fas"):
                        measure(record["lang"], Document(id=record["doc_id"], content=record["text"], meta={}))
        print("max tokens per chunk:", dict(worst))
        assert worst and max(worst.values()) <= MAX_TOKENS, dict(worst)
        if NTREX.exists():
            assert set(worst) == {"corpus", "eng", "swa", "swe", "bos", "fas"}
