"""Tests for ingest.cleaning.BoilerplateCleaner on the real corpus and on generic widget lines."""

from __future__ import annotations

import os
import time
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

import pytest  # noqa: E402
from haystack import Document  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ingest.cleaning import BoilerplateCleaner  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

# What the cleaner removes from each corpus file: (line, rule), in order.
EXPECTED_REMOVED = {
    "000_281576f5e720134a": [("Kushiriki kwenye:", "share widget")],
    "001_a6815435d5072c96": [
        ("SOS1.jpg", "image file name"),
        ("SOS1.jpg", "image file name"),
        ("Slide 1", "slider widget"),
        ("Slide 1", "slider widget"),
        ("previous arrow", "slider widget"),
        ("next arrow", "slider widget"),
        ("Pogledaj još novosti - Berane, Andrijevica i Petnjica", "related-news link"),
    ],
    "002_6654c4057f6be88f": [("Lämna dina synpunkter", "feedback link")],
    "003_3629adb00e0c4f21": [
        ("خبرگزاری فارس مشاهده در مرجع", "view-at-source link"),
        ("ضرورت مشارکتهای مردم در بخش آسیبهای اجتماعی", "repeated line"),
        ("پایان پیام /", "end-of-story marker"),
        ("شما می توانید این مطلب را ویرایش نمایید", "edit / suggest widget"),
        (
            "این مطلب را برای صفحه اول پیشنهاد کنید سردار سعید منتظرالمهدی سخنگوی پلیس آسیب های اجتماعی "
            "این خبر توسط افراد زیر ویرایش شده است",
            "edit / suggest widget",
        ),
    ],
    "004_66e64ba19e0754aa": [
        ("Nyheter", "navigation label"),
        ("Bild: Press", "photo credit"),
        ("Taggar", "tag widget"),
        ("Dela", "share widget"),
        ("1 reaktion på Årets medborgarlöfte undertecknat: ”Tillsammans gör vi skillnad”", "comment widget"),
        ("Kommentarsfunktionen är stängd", "comment widget"),
    ],
}

# Substantive text that must survive, per file.
MUST_SURVIVE = {
    "000_281576f5e720134a": [
        "Makubaliano yanabainisha jinsi washirika watafanya kazi pamoja ili kuboresha usalama wa jamii",
        "Unaweza kuona ukurasa wetu maalum kwa sasisho zifuatazo Mkutano wa Usalama wa Jamii hapa.",
    ],
    "001_a6815435d5072c96": [
        "BERANE: DOBRA SARADNJA MJESNIH ZAJEDNICA",
        "dana 03.03.2023 godine održan je sastanak",
        "pozvani da upoznaju građane, komšije, prijatelje da su svi oni koji primjete pojavu nasilja dužni da isto prijave",
        "067 – 602-337",
    ],
    "002_6654c4057f6be88f": [
        "Visborgsallén 19\n621 81 Visby\nTelefon: 0498-26 90 00\nE-post: regiongotland@gotland.se\n",
        "Publicerad 2020-02-24 11:16",
        "enligt metoden Alternativ Till Våld.",
        "1. Under 2020 ska fyra dialogmöten genomföras",
    ],
    "003_3629adb00e0c4f21": [
        "یکشنبه 4 آذر 1403",
        "ضرورت مشارکتهای مردم در بخش آسیبهای اجتماعی",
        "پلیس عملیاتی و اجرایی خواهد شد.",
        "این مراسم با حضور محمد عباسی",
    ],
    "004_66e64ba19e0754aa": [
        "Årets medborgarlöfte undertecknat",
        "undertecknar medborgarlöftet.",
        "Detta kan göras genom till exempel Trygghetscenter, medborgardialoger, trygghetsvandringar",
        "– Narkotika: Med fokus på ungdomar.",
    ],
}


def corpus_text(stem: str) -> str:
    return (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")


class TestBoilerplateCleaner:
    @pytest.mark.parametrize("stem", sorted(EXPECTED_REMOVED))
    def test_corpus_removals_and_survivors(self, stem):
        result = BoilerplateCleaner().clean_text(corpus_text(stem))
        assert result.removed == EXPECTED_REMOVED[stem]
        for passage in MUST_SURVIVE[stem]:
            assert passage in result.text, passage
        # the first occurrence of the repeated Persian title is kept, exactly once
        if stem.startswith("003"):
            assert result.text.count("ضرورت مشارکتهای مردم در بخش آسیبهای اجتماعی") == 1

    def test_corpus_paragraphs_and_whitespace(self):
        for stem in EXPECTED_REMOVED:
            original = corpus_text(stem)
            text = BoilerplateCleaner().clean_text(original).text
            assert "  " not in text and "\n\n\n" not in text and "\xa0" not in text
            assert text == text.strip()
            # paragraph structure is kept: every blank-line-separated paragraph of prose remains one
            assert text.count("\n\n") >= 3
            # nothing but removed lines and whitespace went missing
            assert len(text.split()) >= len(original.split()) - 80

    def test_run_keeps_id_and_meta(self):
        docs = [
            Document(id=stem, content=corpus_text(stem), meta={"doc_id": stem, "source": f"corpus/{stem}.txt", "language": "sv"})
            for stem in sorted(EXPECTED_REMOVED)
        ]
        result = BoilerplateCleaner().run(documents=docs)
        assert result["skipped"] == []
        assert [d.id for d in result["documents"]] == [d.id for d in docs]
        assert all(out.meta == inp.meta for out, inp in zip(result["documents"], docs))
        assert "SOS1.jpg" not in result["documents"][1].content
        assert "Kushiriki kwenye:" in docs[0].content  # inputs are not modified

    def test_generic_widgets_in_all_languages(self):
        lines = [
            "IMG_2041.JPG", "banner-2023.png 1024x768", "foto1.jpg, foto2.jpeg",
            "Slide 3 of 5", "Bild 2 av 4", "Nästa", "Föregående bild", "‹ ›", "•",
            "Share", "Share this article", "Dela:", "Dela på Facebook", "Shiriki", "Podijeli:", "اشتراک گذاری",
            "Tags:", "Tagovi", "Oznake:", "برچسب ها:",
            "Comments are closed.", "3 comments", "12 responses to “Safer streets”", "2 kommentarer",
            "Lämna en kommentar", "Acha maoni", "Ostavite komentar", "ارسال نظر",
            "Print", "Skriv ut", "Läs mer", "Soma zaidi", "Pročitajte još", "Read more",
            "Pogledajte još vijesti iz Podgorice",
            "انتهای پیام /", "Home", "Vijesti", "Habari", "اخبار",
            "Foto: Polisen",
        ]
        keep = [
            "Polisen och kommunen samarbetar mot våld i nära relationer.",
            "Dela ut broschyrer till alla hushåll i området.",
            "Share of households reporting burglary fell to 3%.",
            "Tags and labels on evidence bags must be checked.",
            "Print media reported the meeting on 3 March.",
            "Polisi watafanya kazi pamoja na jamii.",
            "Lämna dina synpunkter på förslaget senast den 1 mars.",
            "Habari za usalama zilijadiliwa kwenye mkutano wa hadhara.",
            "Bild 2 visar antalet anmälda brott per år.",
        ]
        text = "\n".join(lines + keep)
        result = BoilerplateCleaner().clean_text(text)
        assert result.text.split("\n") == keep
        assert [line for line, _ in result.removed] == lines

    def test_office_markup_residue_is_removed_inside_lines(self):
        text = "Med 30 dagars beredskap: <![if !supportLists]>- <![endif]>Specialförband <!-- x --> (ny anmälan)"
        result = BoilerplateCleaner().clean_text(text)
        assert result.text == "Med 30 dagars beredskap: - Specialförband (ny anmälan)"
        assert [why for _, why in result.removed] == ["markup residue"] * 3

    def test_repeated_lines_and_short_repeats(self):
        text = "Trygghet i centrum\nFörsta stycket.\n\nBakgrund\nText.\n\nBakgrund\nTrygghet i centrum\nMer text."
        result = BoilerplateCleaner().clean_text(text)
        assert result.text == "Trygghet i centrum\nFörsta stycket.\n\nBakgrund\nText.\n\nBakgrund\nMer text."
        assert result.removed == [("Trygghet i centrum", "repeated line")]
        kept = BoilerplateCleaner(remove_repeated_lines=False).clean_text(text).text
        assert kept.count("Trygghet i centrum") == 2

    def test_a_repeated_lead_in_is_kept(self):
        # A pledge repeats its lead-in once per topic; dropping the second would orphan its list.
        text = ("Trygga parker\nKommunen lovar att:\n- tända belysningen\n\n"
                "Trygga skolvägar\nKommunen lovar att:\n- måla övergångsställen")
        result = BoilerplateCleaner().clean_text(text)
        assert result.text.count("Kommunen lovar att:") == 2
        assert result.removed == []

    def test_whitespace_and_invisible_characters(self):
        text = "A\u00a0 b\t\tc\u200b d\u00ad e\n\n\n\n  Next\u2003paragraph  \r\nمی\u200cتوانید"
        result = BoilerplateCleaner().clean_text(text)
        assert result.text == "A b c d e\n\nNext paragraph\nمی\u200cتوانید"  # ZWNJ kept

    def test_empty_and_boilerplate_only_documents_are_skipped(self):
        docs = [
            Document(id="e", content="", meta={"source": "e.txt"}),
            Document(id="b", content="SOS1.jpg\nSlide 1\nDela\nTaggar\n\nKushiriki kwenye:", meta={"source": "b.txt"}),
            Document(id="s", content="Kort.", meta={"source": "s.txt"}),
            Document(id="g", content="Polisen och kommunen samarbetar mot brott.", meta={"source": "g.txt"}),
        ]
        result = BoilerplateCleaner().run(documents=docs)
        assert [d.id for d in result["documents"]] == ["g"]
        reasons = {item["source"]: item["reason"] for item in result["skipped"]}
        assert reasons["e.txt"] == "document has no text"
        assert reasons["b.txt"].startswith("no substantive text left after removing boilerplate (0 letters remain")
        assert reasons["s.txt"].startswith("no substantive text left after removing boilerplate (4 letters remain")

    def test_config_validation_and_serialization(self):
        with pytest.raises(ValueError, match="min_letters must be an integer"):
            BoilerplateCleaner(min_letters=-1)
        with pytest.raises(ValueError, match=r"'\(unclosed' is not a valid regular expression"):
            BoilerplateCleaner(extra_line_patterns=["(unclosed"])
        cleaner = BoilerplateCleaner(min_letters=5, extra_line_patterns=[r"annons(er)?"])
        assert cleaner.clean_text("Annons\nRiktig text här.").text == "Riktig text här."
        data = cleaner.to_dict()
        restored = BoilerplateCleaner.from_dict(data)
        assert restored.to_dict() == data

    def test_pathological_lines_are_fast(self):
        text = "x" + ".jpg" * 20_000 + "!\n" + "Share " * 5_000 + "\n" + "a " * 50_000
        start = time.perf_counter()
        BoilerplateCleaner().clean_text(text)
        assert time.perf_counter() - start < 2.0

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
    def test_never_raises_and_normalises_whitespace(self, text):
        result = BoilerplateCleaner().clean_text(text)
        assert "\n\n\n" not in result.text
        assert result.text == result.text.strip()
        for line in result.text.split("\n"):
            assert "  " not in line and line == line.strip()
