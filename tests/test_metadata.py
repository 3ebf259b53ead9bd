"""MetadataExtractor: dates in the corpus formats, Solar Hijri, never overwriting, no invented dates."""

from __future__ import annotations

import json
import os

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from haystack import Document, Pipeline  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ingest.metadata import (  # noqa: E402
    FIELDS,
    MetadataExtractor,
    find_date,
    find_organisations,
    find_places,
    find_year,
    solar_hijri_to_gregorian,
)

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
GOTLAND, BERANE, PERSIAN, SURREY, VARNAMO = (
    "002_6654c4057f6be88f", "001_a6815435d5072c96", "003_3629adb00e0c4f21",
    "000_281576f5e720134a", "004_66e64ba19e0754aa",
)


def bare(doc_id: str) -> Document:
    """A corpus document without its sidecar."""
    return Document(id=doc_id, content=(CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8"), meta={"doc_id": doc_id})


def with_sidecar(doc_id: str) -> Document:
    meta = json.loads((CORPUS / f"{doc_id}.meta.json").read_text(encoding="utf-8"))
    meta.pop("evidence", None)
    return Document(id=doc_id, content=(CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8"),
                    meta={"doc_id": doc_id, **meta})


def run_one(doc: Document, **kwargs) -> dict:
    return MetadataExtractor(**kwargs).run([doc])["documents"][0].meta


class TestFindDate:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Publicerad 2020-02-24 11:16\nPolisen …", "2020-02-24"),
            ("dana 03.03.2023 godine održan je sastanak", "2023-03-03"),
            ("Objavljeno: 03.03.2023.", "2023-03-03"),
            ("Publicerad 24 februari 2020", "2020-02-24"),
            ("Published 24 February 2020", "2020-02-24"),
            ("February 24, 2020", "2020-02-24"),
            ("Ilichapishwa tarehe 24 Mei 2023", "2023-05-24"),
            ("Berane, 3. marta 2023.", "2023-03-03"),
            ("یکشنبه 4 آذر 1403", "2024-11-24"),
            ("یکشنبه ۴ آذر ۱۴۰۳", "2024-11-24"),
            ("۱۴۰۳/۰۹/۰۴", "2024-11-24"),
            ("1 فروردین 1402", "2023-03-21"),
            ("Monday , 5th Sep , 2022", "2022-09-05"),  # an ordinal, spaces before the commas
            ("Published 21st March 2024", "2024-03-21"),
        ],
    )
    def test_formats(self, text, expected):
        found = find_date(text)
        assert found is not None and found[0] == expected

    @pytest.mark.parametrize("text", ["31.02.2023", "2023-02-30", "1403/13/40", "40 آذر 1403", "32 januari 2020",
                                      "Telefon: 0498-26 90 00", "067 – 602-337", ""])
    def test_malformed_dates_are_not_invented(self, text):
        assert find_date(text) is None

    def test_the_head_first_then_three_heads(self):
        assert find_date("1 mars 2021 " + "x" * 500 + " 2020-02-24")[0] == "2021-03-01"
        assert find_date("x" * 500 + " 2020-02-24")[0] == "2020-02-24"
        assert find_date("x" * 1300 + " 2020-02-24") is None
        assert find_date("x" * 1300 + " 2020-02-24", header_chars=1000)[0] == "2020-02-24"

    def test_month_and_year_give_a_year_not_a_date(self):
        assert find_date("Mkutano ulifanyika Mei 2023.") is None
        assert find_year("Mkutano ulifanyika Mei 2023.")[0] == 2023

    def test_solar_hijri_conversion(self):
        assert solar_hijri_to_gregorian(1403, 9, 4).isoformat() == "2024-11-24"
        assert solar_hijri_to_gregorian(1403, 13, 40) is None


class TestGazetteer:
    def test_organisations_are_canonicalised(self):
        text = "predstavnici Uprave policije CB Berane i Centru za socijalni rad ili Policijskoj stanici Berane"
        names = [name for name, _ in find_organisations(text, "cnr")]
        assert names == ["Uprava policije", "CB Berane", "Centar za socijalni rad", "Policijska stanica Berane"]

    @pytest.mark.parametrize(
        ("text", "language", "org"),
        [
            ("Polisen på Gotland och Region Gotland har", "sv", "Region Gotland"),
            ("undertecknade Värnamo kommun och polisen", "sv", "Värnamo kommun"),
            ("washirika wanaojumuisha Polisi wa Surrey, mamlaka", "sw", "Polisi wa Surrey"),
            ("فراجا طی یک سال گذشته", "fa", "فراجا"),
            ("Surrey County Council will publish", "en", "Surrey County Council"),
        ],
    )
    def test_organisation_patterns(self, text, language, org):
        assert org in [name for name, _ in find_organisations(text, language)]

    def test_a_persian_function_word_or_verb_is_no_part_of_an_organisation_name(self):
        # "the municipality and the police", "… in this meeting", "does …": the municipality, unnamed
        text = "همکاری شهرداری و پلیس؛ شهرداری در این جلسه؛ شهرداری می‌کند؛ استانداری از مردم؛ شهرداری رشت،در"
        assert [name for name, _ in find_organisations(text, "fa")] == ["شهرداری", "پلیس", "استانداری", "شهرداری رشت"]

    @pytest.mark.parametrize(
        ("text", "language", "expected"),
        [
            # the word after the office is a place the gazetteer knows, else the office is unnamed
            ("شهرداری و4000 معتاد؛ استانداری برگزارشد؛ شهرداری همکاری کرد؛ شهرداری قزوین", "fa",
             ["شهرداری", "استانداری", "شهرداری قزوین"]),
            ("وزارت امور داخله و وزارت کشور", "fa", ["وزارت امور داخله", "وزارت کشور"]),
            # a two-word municipality whole; the text's own spelling of "municipality"
            ("u Općini Novi Grad i Opštini Herceg Novi, Opštine Budva", "bs",
             ["Općina Novi Grad", "Opština Herceg Novi", "Opština Budva"]),
            ("Policijska stanica Stari Grad Sarajevo", "bs", ["Policijska stanica Stari Grad"]),
            ("Jeshi la Polisi Mkoa wa Singida na Jeshi la Polisi Tanzania", "sw",
             ["Jeshi la Polisi Mkoa wa Singida", "Jeshi la Polisi Tanzania"]),
            # a determiner is no municipality's name; a genitive is no region's
            ("En kommun som Lunds kommun; Region Hallands nämnd", "sv", ["Lunds kommun", "Region Halland"]),
        ],
    )
    def test_organisation_names_are_whole_and_nothing_else(self, text, language, expected):
        assert [name for name, _ in find_organisations(text, language)] == expected

    @pytest.mark.parametrize(
        ("text", "language", "place"),
        [
            ("Polisen på Gotland och Region Gotland", "sv", "Gotland"),
            ("Mkutano wa Usalama wa Jamii huko Surrey", "sw", "Surrey"),
            ("BERANE: DOBRA SARADNJA", "cnr", "Berane"),
            ("با حضور در مسجد جامع نارمک (سمنگان)", "fa", "نارمک"),
        ],
    )
    def test_place_patterns(self, text, language, place):
        assert place in [name for name, _ in find_places(text, language)]


class TestMetadataExtractor:
    @pytest.mark.parametrize(("doc_id", "date", "year"),
                             [(GOTLAND, "2020-02-24", 2020), (BERANE, "2023-03-03", 2023), (PERSIAN, "2024-11-24", 2024)])
    def test_corpus_without_sidecars(self, doc_id, date, year):
        meta = run_one(bare(doc_id))
        assert meta["date"] == date
        assert meta["year"] == year
        assert meta["extracted"]["date"]  # evidence recorded
        assert meta["extracted"]["year"]

    def test_corpus_without_sidecars_organisations_and_places(self):
        gotland = run_one(bare(GOTLAND))
        assert {"Polisen", "Region Gotland"} <= set(gotland["organisations"])
        assert "Gotland" in gotland["places"]
        berane = run_one(bare(BERANE))
        assert {"Centar za socijalni rad", "Uprava policije"} <= set(berane["organisations"])
        assert "Berane" in berane["places"]
        assert "فراجا" in run_one(bare(PERSIAN))["organisations"]
        assert "Polisi wa Surrey" in run_one(bare(SURREY))["organisations"]

    def test_no_date_without_one_in_the_text(self):
        surrey = run_one(bare(SURREY))  # "ulifanyika Mei hii": May, no year, no day
        assert surrey.get("date") is None and surrey.get("year") is None
        varnamo = run_one(bare(VARNAMO))  # no date at all; "2023 års medborgarlöfte" in the head
        assert varnamo.get("date") is None
        assert varnamo["year"] == 2023

    def test_given_values_are_never_overwritten(self):
        doc = Document(id="x", content="Publicerad 2021-05-06 10:00\nRegion Gotland och Polisen på Gotland …",
                       meta={"date": "2020-02-24", "year": 2020, "organisations": ["Polisen"], "places": ["Visby"]})
        meta = run_one(doc)
        assert meta["date"] == "2020-02-24"
        assert meta["year"] == 2020
        assert meta["organisations"] == ["Polisen"]
        assert meta["places"] == ["Visby"]
        assert "extracted" not in meta

    def test_sidecar_values_are_kept_on_the_corpus(self):
        for doc_id in (GOTLAND, BERANE, PERSIAN, SURREY, VARNAMO):
            declared = with_sidecar(doc_id)
            meta = run_one(declared)
            for key in ("date", "year", "organisations"):
                if declared.meta.get(key) not in (None, [], ""):
                    assert meta[key] == declared.meta[key], (doc_id, key)

    def test_declared_year_contradicting_a_date_blocks_the_date(self):
        meta = run_one(Document(content="Publicerad 2021-05-06", meta={"year": 2020}))
        assert meta.get("date") is None
        assert "date" in meta["extracted"]["conflicts"]

    def test_malformed_dates_in_documents(self):
        for text in ("Objavljeno 31.02.2023\nSastanak …", "تاریخ 1403/13/40\nخبر", "Publicerad 2023-02-30"):
            meta = run_one(Document(content=text))
            assert meta.get("date") is None

    def test_null_date_is_filled_but_input_is_not_mutated(self):
        doc = Document(id="g", content="Publicerad 2020-02-24 11:16", meta={"date": None})
        meta = run_one(doc)
        assert meta["date"] == "2020-02-24"
        assert doc.meta == {"date": None}

    def test_fields_restrict_what_is_filled(self):
        meta = run_one(bare(GOTLAND), fields=["date"])
        assert meta["date"] == "2020-02-24"
        assert "organisations" not in meta and "year" not in meta

    def test_config_validation_lists_valid_values(self):
        with pytest.raises(ValueError, match="Valid fields are"):
            MetadataExtractor(fields=["date", "author"])
        with pytest.raises(ValueError):
            MetadataExtractor(header_chars=0)

    def test_serialisation_and_pipeline(self):
        extractor = MetadataExtractor(fields=["date", "year"], header_chars=300)
        clone = MetadataExtractor.from_dict(extractor.to_dict())
        assert clone.fields == ["date", "year"] and clone.header_chars == 300
        pipe = Pipeline()
        pipe.add_component("meta", clone)
        out = pipe.run({"meta": {"documents": [bare(PERSIAN)]}})
        assert out["meta"]["documents"][0].meta["date"] == "2024-11-24"

    def test_empty_and_missing_content(self):
        docs = MetadataExtractor().run([Document(content=""), Document(content=None, meta={"a": 1})])["documents"]
        assert len(docs) == 2 and docs[1].meta["a"] == 1

    @settings(max_examples=150, deadline=None)
    @given(text=st.text(max_size=600), language=st.one_of(st.none(), st.sampled_from(["sv", "fa", "cnr", "sw", "en", "xx"])))
    def test_never_raises(self, text, language):
        meta = MetadataExtractor().extract(Document(content=text, meta={"language": language}))
        if meta.meta.get("date") is not None:
            assert len(meta.meta["date"]) == 10
        assert set(meta.meta.get("extracted", {})) <= set(FIELDS) | {"conflicts"}


class TestDatesAndOrganisationsOnRealPages:
    """Date spellings, dates below a long head, image file names; English bodies by their usual names."""

    @pytest.mark.parametrize("text, iso", [
        ("Mkuu wa Polisi amesema hayo leo Disemba 4, 2024 katika kikao na viongozi wa mitaa.", "2024-12-04"),
        ("Kikao kilifanyika tarehe 9 Febuari 2025 katika ukumbi wa halmashauri.", "2025-02-09"),
        ("- نویسنده : سایت خبری\n- 14 اکتبر 2024\n- کد خبر 5521", "2024-10-14"),
    ])
    def test_month_spellings(self, text, iso):
        assert find_date(text)[0] == iso

    def test_a_date_below_the_head_when_the_head_has_none(self):
        head = "Menyn och länkarna på sidan upprepas här. " * 12  # about 500 characters without a date
        assert find_date(head + "Publicerad 2024-05-03 av kommunen.")[0] == "2024-05-03"
        assert find_date(head + "x" * 1200 + " Publicerad 2024-05-03.") is None  # too deep: no dateline

    def test_an_image_file_name_gives_no_date(self):
        text = "Campaign news\nRiverton_visit_14.06.2021_small.jpgToday I am announcing my priorities for policing."
        assert find_date(text) is None
        assert find_year(text) is None

    @pytest.mark.parametrize("text, names", [
        ("I will make sure Hampshire Constabulary answers every call.", ["Hampshire Constabulary"]),
        ("Today Avon and Somerset Police and North Somerset Council signed the agreement.",
         ["Avon and Somerset Police", "North Somerset Council"]),
        ("The Police and Crime Commissioner for Devon and Cornwall met the Police and Crime Panel.",
         ["Police and Crime Commissioner for Devon and Cornwall", "Police and Crime Panel"]),
        ("The Office of the PCC and the Riverton Community Safety Partnership will report in June.",
         ["Office of the Police and Crime Commissioner", "Riverton Community Safety Partnership"]),
        ("Limerick City and County Council works with An Garda Síochána.",
         ["Limerick City and County Council", "An Garda Síochána"]),
    ])
    def test_english_organisations(self, text, names):
        assert [name for name, _ in find_organisations(text, "en")] == names

    def test_a_bare_police_or_council_is_no_name(self):
        assert find_organisations("The Council and the Police will meet.", "en") == []
