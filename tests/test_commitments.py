"""Commitment detection: cue rules, list-heading context, attributes, the extractor and the benchmark."""

from __future__ import annotations

import json
import os

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from haystack import Document, Pipeline  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ingest.commitments import (  # noqa: E402
    RULES,
    RULES_BY_ID,
    CommitmentClassifier,
    DEFAULT_CLASSIFIER,
    CommitmentExtractor,
    Unit,
    classify_commitment,
    classify_units,
    extract_quantities,
    extract_target,
    RULES_VERSION,
    clean_organisations,
    extract_years,
    find_actors,
    in_capitals,
    list_marker,
    party_aliases,
    rule_counts,
    rule_language,
    sentence_actors,
    sentence_units,
    soft_line_breaks,
    starts_with_infinitive,
    subject_actors,
    tasked_actors,
)
from ingest.commitments.languages import to_cyrillic  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
LABELS = ROOT / "benchmarks" / "commitments" / "labels.jsonl"
SURREY, BERANE, GOTLAND, PERSIAN, VARNAMO = (
    "000_281576f5e720134a", "001_a6815435d5072c96", "002_6654c4057f6be88f",
    "003_3629adb00e0c4f21", "004_66e64ba19e0754aa",
)
DOC_IDS = (SURREY, BERANE, GOTLAND, PERSIAN, VARNAMO)


def corpus_doc(doc_id: str) -> Document:
    meta = json.loads((CORPUS / f"{doc_id}.meta.json").read_text(encoding="utf-8"))
    return Document(id=doc_id, content=(CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8"),
                    meta={"doc_id": doc_id, "source": f"corpus/{doc_id}.txt", "metadata": {}, **meta})


@pytest.fixture(scope="module")
def extracted() -> dict[str, list[Document]]:
    out = CommitmentExtractor().run([corpus_doc(d) for d in DOC_IDS])["commitments"]
    by_doc: dict[str, list[Document]] = {d: [] for d in DOC_IDS}
    for c in out:
        by_doc[c.meta["doc_id"]].append(c)
    return by_doc


def labelled(doc_id: str) -> list[dict]:
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r["doc_id"] == doc_id]


class TestClassifyCommitment:
    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            # the corpus cues
            ("3. Under 2020 ska tre gemensamma informationsinsatser om mäns våld mot kvinnor genomföras.", "sv"),
            ("Värnamo kommun och polisen lovar att arbeta för att förebygga brott.", "sv"),
            ("Makubaliano yanabainisha jinsi washirika watafanya kazi pamoja ili kuboresha usalama wa jamii.", "sw"),
            ("svi oni koji primjete pojavu nasilja dužni da isto prijave Centru za socijalni rad", "cnr"),
            ("da je saradnja sa mjesnim zajednicama do sada bila dobra, te da se treba nastaviti na njenom unapređenju",
             "cnr"),
            ("این طرح در 3 هزار کلانتری از سال 1402 تا 1405 عملیاتی و اجرایی خواهد شد.", "fa"),
            # sentences that are not in the corpus: the cues generalise
            ("Surrey County Council will install new street lighting in Woking by 2025.", "en"),
            ("The partners commit to meeting every quarter.", "en"),
            ("Polisen kommer att genomföra fler trygghetsvandringar under hösten.", "sv"),
            ("Kommunen åtar sig att erbjuda sommarjobb till 200 ungdomar.", "sv"),
            ("Polisi watashirikiana na viongozi wa vijiji kupunguza uhalifu.", "sw"),
            ("Halmashauri itatoa mafunzo kwa vijana 50 mwaka 2024.", "sw"),
            ("Uprava policije će pojačati patrole u centru grada.", "cnr"),
            ("Centar se obavezuje da organizuje radionice za roditelje.", "bs"),
            ("Полиција ће повећати број патрола.", "sr"),
            ("Opština planira da otvori novi centar.", "hr"),
            ("پلیس گشت‌های محله‌ای را افزایش خواهد داد.", "fa"),
            ("شهرداری موظف است روشنایی معابر را بهبود دهد.", "fa"),
            ("The council will publish a plan.", None),
            ("Polisen ska öka närvaron i centrum.", None),
        ],
    )
    def test_commitments(self, sentence, language):
        assert classify_commitment(sentence, language) is True

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            # menu lines, captions, widgets, past events from the corpus
            ("SOS1.jpg", "cnr"), ("previous arrow", "cnr"), ("Slide 1", "cnr"), ("Kushiriki kwenye:", "sw"),
            ("Bild: Press", "sv"), ("Taggar", "sv"), ("Kommentarsfunktionen är stängd", "sv"),
            ("Fredrik Persson, lokalpolisområdeschef och Peter Lindvall, regiondirektör signerar medborgarlöfte 2020.", "sv"),
            ("Polisen på Gotland och Region Gotland har i dag undertecknat det gemensamma åtagandet Medborgarlöfte 2020.", "sv"),
            ("این مراسم با حضور محمد عباسی برگزار شد.", "fa"), ("پایان پیام /", "fa"),
            ("Medborgarlöftet 2023:", "sv"), ("Involvera invånare i det brottsförebyggande arbetet", "sv"),
            # possibility, ability, questions, opinions (not in the corpus)
            ("Residents can report crimes online.", "en"), ("Will the council fund the project?", "en"),
            ("The meeting was held at the town hall last Tuesday.", "en"),
            ("Invånarna kan hjälpa till genom att rapportera.", "sv"), ("Polisen ska kunna ingripa snabbare.", "sv"),
            ("Tunaweza kuboresha usalama pamoja.", "sw"), ("Kiongozi wa kitaifa alizungumza.", "sw"),
            ("Utawala bora ni muhimu.", "sw"), ("Građani mogu prijaviti nasilje na broj 122.", "cnr"),
            ("Kuće su stare.", "cnr"), ("مردم می خواهند امنیت بیشتری داشته باشند.", "fa"),
            ("It was a good day in Italia.", None),
            # look-alikes and agentless predictions (seen in NTREX news, not in the labelled corpus)
            ("Scattered showers will reach Arizona late Sunday.", "en"), ("Mvua itanyesha kesho asubuhi.", "sw"),
            ("Ushahidi ulionyeshwa mahakamani.", "sw"), ("Površina cvjetanja mora se prostire na oko 130 milja obale.", "bs"),
            ("باید گفت این کشور آماده نیست.", "fa"), ("ناو باید در سال 2014 تکمیل می شد.", "fa"),
        ],
    )
    def test_not_commitments(self, sentence, language):
        assert classify_commitment(sentence, language) is False

    @settings(max_examples=300, deadline=None)
    @given(sentence=st.text(max_size=400),
           language=st.one_of(st.none(), st.text(max_size=8),
                              st.sampled_from(["sv", "sw", "cnr", "fa", "en", "bs", "hr", "sr", "hbs", "SV", "fa-IR"])))
    def test_never_raises(self, sentence, language):
        assert classify_commitment(sentence, language) in (True, False)

    def test_odd_inputs(self):
        assert classify_commitment("", "sv") is False
        assert classify_commitment("   \n ", None) is False
        assert classify_commitment(None, "sv") is False  # type: ignore[arg-type]


class TestAgentsAndMasks:
    def test_future_tense_needs_an_agent(self):
        assert classify_commitment("The force will publish its results.", "en") is True
        assert classify_commitment("Prices will rise in spring.", "en") is False
        assert classify_commitment("Washirika watafanya kazi pamoja.", "sw") is True
        assert classify_commitment("Hali ya hewa itabadilika.", "sw") is False

    def test_stated_duties_need_no_agent(self):
        # a stated duty ("those who notice violence are obliged to report it") is a commitment per RULES.md
        assert classify_commitment("svi koji primijete nasilje dužni su da ga prijave", "cnr") is True
        assert classify_commitment("Trygghetsvandringar ska genomföras varje år.", "sv") is True

    @pytest.mark.parametrize(
        ("agentless", "with_agent", "language"),
        [
            ("You just have to pay them the right amount of respect.", "The council has to publish the plan.", "en"),
            ("De måste vara lugna och sansade.", "Kommunen måste förbättra belysningen.", "sv"),
            ("Ovakve razgovore svakako treba nastaviti.", "Policija treba nastaviti patrole.", "bs"),
            ("شما فقط باید به آنها احترام بگذارید.", "شهرداری باید روشنایی معابر را بهبود دهد.", "fa"),
        ],
    )
    def test_obligation_modals_need_an_agent(self, agentless, with_agent, language):
        # NTREX dev: in news, "must/should" without an organisation is advice, opinion or a demand on others
        assert classify_commitment(agentless, language) is False
        assert classify_commitment(with_agent, language) is True
        unbound = CommitmentClassifier(disabled=["any.obligation_needs_agent"])
        assert unbound.classify(agentless, language) is True

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("Rosa is expected to move north on Sunday.", "en"),  # a forecast, not a duty
            ("Saipov ska ha använt en hyrd lastbil vid attacken.", "sv"),  # 'ska ha' = allegedly
            ("Početak oktobra će biti topao u većini centralnih dijelova zemlje.", "bs"),  # centralni is no centar
        ],
    )
    def test_news_look_alikes_are_masked(self, sentence, language):
        assert classify_commitment(sentence, language) is False
        assert CommitmentClassifier(only_apriori=True).classify(sentence, language) is True

    @pytest.mark.parametrize(
        ("sentence", "language", "rule"),
        [
            ("North Korea pledged in a meeting with Moon this month to dismantle a missile site.", "en",
             "en.pledge_verb_far"),
            ("Kinas regering har sedan 2003 lovat universell tillgång till HIV-medicin.", "sv", "sv.promised"),
            ("Pompeo anakusudia kutembelea Pyongyang mwezi ujao.", "sw", "sw.intend"),
            ("Kineska vlada je obećala univerzalni pristup lijekovima.", "bs", "hbs.pledge_verb"),
            ("پومپو قصد دارد ماه آینده به پیونگ یانگ سفر کند.", "fa", "fa.pledge_verb"),
            ("The supermarket chain will open ten more stores next year.", "en", "en.will"),  # agent: 'chain'
        ],
    )
    def test_news_pledge_cues(self, sentence, language, rule):
        assert rule in CommitmentClassifier().cues(sentence, language)


class TestClassifyUnits:
    def test_items_under_a_pledge_heading(self):
        units = ["Medborgarlöftet 2024:", "Kommunen och polisen lovar att, genom att:",
                 "Genomföra trygghetsvandringar i centrum.", "Utefter lägesbilden genomför kommunen trygghetsrundor.",
                 "Taggar", "Involvera invånare i det brottsförebyggande arbetet."]
        got = [d.commitment for d in classify_units(units, "sv")]
        # the lead-in that promises is its list's context, not an item (issue 12)
        assert got == [False, False, True, True, False, False]

    def test_same_words_outside_a_list_are_a_subheading(self):
        assert classify_units(["Involvera invånare i det brottsförebyggande arbetet"], "sv")[0].commitment is False

    def test_numbered_list_ends_at_another_marker(self):
        units = ["Polisen lovar följande:", "1. Fler patruller i centrum.", "2. Öppet hus varje månad.",
                 "-Det här är en viktig dag för oss."]
        # the heading alone is a lead-in (no action content); its items are pledged
        assert [d.commitment for d in classify_units(units, "sv")] == [False, True, True, False]

    def test_heading_without_pledge_cue_opens_no_list(self):
        units = ["Kontakt:", "– Anna Andersson, kommunikatör.", "– Telefon 010-123 45."]
        assert not any(d.commitment for d in classify_units(units, "sv"))
        # directly after a pledge heading, a plain heading is no sub-list either
        assert not any(d.commitment for d in classify_units(["Medborgarlöftet 2024:", *units], "sv"))

    def test_dashed_focus_items_under_subheading(self):
        units = ["Vi lovar att, genom att:", "Genomföra fler trygghetsvandringar.", "Fyra fokusområden:",
                 "– Trygghet: Ökad närvaro.", "– Narkotika: Med fokus på ungdomar.", "Dela"]
        assert [d.commitment for d in classify_units(units, "sv")] == [False, True, False, True, True, False]
        assert classify_units(units, "sv")[4].heading == "Fyra fokusområden:"

    def test_english_and_hbs_lists(self):
        en = ["Our commitments for 2025:", "• Hold monthly surgeries.", "• Publish crime data.", "Read more"]
        assert [d.commitment for d in classify_units(en, "en")] == [False, True, True, False]
        hbs = ["Zaključci sastanka:", "1. Češće organizovati sastanke.", "2. Razmjenjivati podatke."]
        assert [d.commitment for d in classify_units(hbs, "cnr")] == [False, True, True]

    def test_quote_ends_a_plain_list(self):
        units = ["Vi lovar att, genom att:", "Genomföra trygghetsvandringar.",
                 "– Det är viktigt för oss, säger Anna Andersson."]
        assert [d.commitment for d in classify_units(units, "sv")] == [False, True, False]

    @settings(max_examples=150, deadline=None)
    @given(units=st.lists(st.text(max_size=120), max_size=12),
           language=st.one_of(st.none(), st.sampled_from(["sv", "sw", "cnr", "fa", "en"])))
    def test_never_raises(self, units, language):
        decisions = classify_units(units, language)
        assert len(decisions) == len(units)

    def test_rules_are_reported(self):
        d = classify_units([Unit("Polisen ska öka närvaron.")], "sv")[0]
        assert d.rules == ("sv.ska",)


class TestRules:
    def test_every_rule_is_described_and_has_an_origin(self):
        for rule in RULES:
            assert rule.description and rule.origin, rule.id
            assert rule.origin <= {"a-priori", "ntrex-dev", "genre-pages", "realpages-dev", "realpages-seen", *DOC_IDS}, rule.id
            assert rule.kind in {"cue", "mask", "agent", "bind", "heading", "report", "veto", "context", "decision", "lead_in", "examples"}
            if rule.kind in {"cue", "mask", "agent", "heading", "veto", "decision", "lead_in", "examples"}:
                assert rule.pattern is not None, rule.id
            if rule.kind == "bind":
                assert rule.binds and all(RULES_BY_ID[c].kind == "cue" for c in rule.binds), rule.id

    def test_ntrex_dev_rules_stay_on_in_lodo_and_off_a_priori(self):
        dev_rules = {r.id for r in RULES if "ntrex-dev" in r.origin}
        assert dev_rules
        assert not dev_rules & CommitmentClassifier(held_out=PERSIAN).disabled
        assert dev_rules <= CommitmentClassifier(only_apriori=True).disabled

    def test_rule_counts_cover_all_languages(self):
        counts = rule_counts()
        assert {"en", "sv", "sw", "hbs", "fa", "*"} <= set(counts)
        for lang in ("en", "sv", "sw", "hbs", "fa"):
            assert counts[lang]["cue"] >= 4
        assert sum(sum(c.values()) for c in counts.values()) == len(RULES)

    def test_held_out_disables_exactly_the_documents_own_rules(self):
        clf = CommitmentClassifier(held_out=PERSIAN)
        assert {"fa.plan_progressive", "fa.plan_passive", "fa.plan_partner"} <= clf.disabled
        assert "fa.future" not in clf.disabled and "sv.kommande_ar_present" not in clf.disabled
        assert all("a-priori" not in RULES_BY_ID[r].origin for r in clf.disabled)

    def test_unknown_rule_ids_list_the_valid_ones(self):
        with pytest.raises(ValueError, match="Valid"):
            CommitmentClassifier(disabled=["sv.nope"])
        with pytest.raises(ValueError, match="Valid rule ids"):
            CommitmentExtractor(disabled_rules=["sv.nope"])
        with pytest.raises(ValueError, match="Valid values"):
            CommitmentExtractor(default_language="klingon")

    def test_language_names_are_read_as_core_languages_reads_them(self):
        # a declared name picks the rule group itself; only an unknown one falls back on the text
        assert rule_language("srpski") == ("hbs",)
        assert rule_language("فارسی") == ("fa",)
        assert rule_language("sv-SE") == ("sv",)
        assert rule_language("klingon") == ("en", "sv", "sw", "hbs")
        assert CommitmentExtractor(default_language="sv-SE").default_language == "sv-SE"

    def test_disabling_a_rule_changes_the_decision(self):
        sentence = "Polisen ska öka närvaron."
        assert CommitmentClassifier(disabled=["sv.ska"]).classify(sentence, "sv") is False


class TestAttributes:
    @pytest.mark.parametrize(
        ("sentence", "language", "expected"),
        [
            ("1. Under 2020 ska fem våldsutsatta kvinnor ha erbjudits möjlighet till SIP.", "sv", ["fem"]),
            ("3. Under 2020 ska tre gemensamma informationsinsatser genomföras.", "sv", ["tre"]),
            ("در 3فاز در 3 هزار کلانتری از سال 1402 تا 1405 اجرایی خواهد شد", "fa", ["3", "3 هزار"]),
            ("در ۳ هزار کلانتری", "fa", ["3 هزار"]),
            # a duration counts no actions or things (issue 12): nothing, and never the phone numbers
            ("prijave na broj 122, odnosno na broj 067 – 602-337, dvadeset četiri sata", "cnr", []),
            ("Polisen ska träffa 40 ungdomar i åldern 13–17 år den 3 maj.", "sv", ["40"]),
            ("We will fund 12 youth clubs for children aged 11 to 16 by 31 March.", "en", ["12"]),
            ("Halmashauri itatoa mafunzo kwa vijana 50 wenye umri wa miaka 18 kwa siku 5.", "sw", ["50"]),
            ("پلیس ۲۴ ساعت در ۱۲ محله گشت خواهد زد.", "fa", ["12"]),
            ("The council will fit 500 new lights.", "en", ["500"]),
            ("Halmashauri itatoa mafunzo kwa vijana 50.", "sw", ["50"]),
        ],
    )
    def test_quantities(self, sentence, language, expected):
        assert extract_quantities(sentence, language) == expected

    def test_years_gregorian(self):
        assert extract_years("Under 2020 ska fem …", "sv") == {"year": 2020, "deadline": "2020"}
        got = extract_years("from 2023 to 2026 the council will …", "en")
        assert got["year"] == 2026 and got["year_range"] == [2023, 2026]
        assert extract_years("no year here", "en") == {}

    @pytest.mark.parametrize(("text", "year"), [
        ("Hate Crime Pledge 2025–26", 2026), ("in 2019/20.", 2020),
        ("ref 2024/12", 2024), ("Publicerad 2025-12-01", 2025)])  # not a split year: a file number, a date
    def test_split_years(self, text, year):
        assert extract_years(text, "en")["year"] == year

    def test_years_solar_hijri(self):
        got = extract_years("در 3 هزار کلانتری از سال 1402 تا 1405 اجرایی خواهد شد", "fa")
        assert got["year"] == 2026
        assert got["years_sh"] == [1402, 1405]
        assert got["year_range"] == [2023, 2026]
        assert "1405" in got["deadline"] and "2026" in got["deadline"]
        assert got["period"] == {"from": "2023-03-21", "to": "2027-03-20"}
        # Persian digits; and 14xx is no Solar Hijri year in a Swedish sentence
        assert extract_years("از سال ۱۴۰۲ تا ۱۴۰۵", "fa")["years_sh"] == [1402, 1405]
        assert extract_years("Visborgsallén 1403", "sv") == {}

    def test_actors_tolerate_inflection(self):
        orgs = ["Centar za socijalni rad", "Uprava policije", "CB Berane", "Policijska stanica Berane"]
        text = "od strane stručnih radnika Centra za socijalni rad i Uprave policije pozvani"
        assert find_actors(text, orgs) == ["Centar za socijalni rad", "Uprava policije"]
        assert find_actors("Värnamo kommun och polisen lovar att …", ["Värnamo kommun", "Polisen"]) == \
            ["Värnamo kommun", "Polisen"]
        assert find_actors("lokalpolisområdet ska …", ["Polisen"]) == []

    @pytest.mark.parametrize(
        ("sentence", "language", "quantity", "expected"),
        [
            ("3. Under 2020 ska tre gemensamma informationsinsatser om mäns våld mot kvinnor genomföras.", "sv", "tre",
             "gemensamma informationsinsatser om mäns våld mot kvinnor"),
            ("– Narkotika: Med fokus på ungdomar.", "sv", None, "Narkotika"),
            ("Genomföra trygghetsvandringar i syfte att identifiera förbättringsinsatser.", "sv", None, "trygghetsvandringar"),
            ("Värnamo kommun och polisen lovar att arbeta för att förebygga brott, genom att:", "sv", None,
             "arbeta för att förebygga brott"),
            ("Polisen ska inom sina respektive verksamheter öka samordningen av stödet till kvinnor.", "sv", None,
             "öka samordningen av stödet till kvinnor"),
            ("Trygghetsvandringar ska genomföras utefter behov.", "sv", None, "Trygghetsvandringar"),
            ("svi oni koji primjete pojavu nasilja dužni da isto prijave Centru za socijalni rad", "cnr", None,
             "isto prijave Centru za socijalni rad"),
            ("فراجا … طرح جامع همیاران آرامش اجتماعی را اجرایی می کند.", "fa", None, "طرح جامع همیاران آرامش اجتماعی"),
            ("Surrey County Council will install new street lighting in Woking.", "en", None, "install new street lighting in Woking"),
        ],
    )
    def test_target(self, sentence, language, quantity, expected):
        assert extract_target(sentence, language, quantity) == expected

    def test_no_target_without_a_pattern(self):
        assert extract_target("Slide 1", "cnr") is None


class TestCommitmentExtractor:
    def test_gotland_numbered_items(self, extracted):
        items = [c for c in extracted[GOTLAND] if c.content[:2] in {"1.", "2.", "3."}]
        assert len(items) == 6
        assert [c.meta["quantity"] for c in items] == ["fem", "fem", "tre", "fyra", "två", None]
        assert all(c.meta["year"] == 2020 and c.meta["deadline"] == "2020" for c in items)
        assert items[0].meta["actors"] == ["Polisen", "Region Gotland"]  # from the paragraph before the list
        assert items[5].meta["actors"] == ["Polisen", "Region Gotland"]
        assert items[0].meta["heading"] == "I linje med detta utgår följande medborgarlöfte:"
        assert items[2].meta["target"] == "gemensamma informationsinsatser om mäns våld mot kvinnor"

    def test_listed_items_carry_their_own_lists_lead_in_as_context(self, extracted):
        # Both Gotland lists end their lead-in with the same line; each item gets its own list's.
        items = [c for c in extracted[GOTLAND] if c.content[:2] in {"1.", "2.", "3."}]
        assert all("våldsutsatta kvinnor" in c.meta["context"] for c in items[:3])
        assert all("droganvändande" in c.meta["context"] for c in items[3:])
        assert all(len(c.meta["context"]) <= 400 and c.meta["context"].startswith("Polisen på Gotland") for c in items)
        prose = [c for c in extracted[GOTLAND] if c.content.startswith("Polisen på Gotland")]
        assert prose and all(c.meta["context"] is None for c in prose)

    def test_berane_duty_to_report(self, extracted):
        hits = [c for c in extracted[BERANE] if "dužni da isto prijave" in c.content]
        assert len(hits) == 1
        meta = hits[0].meta
        # named before the duty ("dužni"): the two bodies that call on the residents; the police
        # station is where the residents report, an addressee
        assert meta["actors"] == ["Centar za socijalni rad", "Uprava policije"]
        assert meta["quantity"] is None  # not the phone numbers, nor the "twenty-four hours" of availability
        assert "hbs.obligation" in meta["rules"]

    def test_persian_plan_with_solar_hijri_years(self, extracted):
        hits = [c for c in extracted[PERSIAN] if "اجرایی خواهد شد" in c.content]
        assert len(hits) == 1
        meta = hits[0].meta
        assert meta["year"] == 2026 and meta["years_sh"] == [1402, 1405] and meta["year_range"] == [2023, 2026]
        assert meta["deadline"] == "1405 SH (2026/27)"
        assert meta["quantity"] == "3 هزار"
        assert meta["doc_year"] == 2024  # the document's own year is kept apart

    def test_swahili_agreement(self, extracted):
        hits = [c for c in extracted[SURREY] if "watafanya kazi pamoja" in c.content]
        assert len(hits) == 1
        assert hits[0].meta["actors"] == ["Polisi wa Surrey"]  # named in the paragraph
        assert hits[0].meta["year"] is None

    def test_menus_captions_and_widgets_are_not_emitted(self, extracted):
        contents = {c.content for cs in extracted.values() for c in cs}
        for text in ("SOS1.jpg", "previous arrow", "Bild: Press", "Taggar", "Dela", "Kushiriki kwenye:",
                     "Medborgarlöftet 2023:", "Fyra fokusområden:", "Kommentarsfunktionen är stängd", "پایان پیام /"):
            assert text not in contents
        assert not any(c.startswith("Fredrik Persson") for c in contents)

    def test_offsets_ids_and_passages(self, extracted):
        for doc_id, commitments in extracted.items():
            text = (CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8")
            assert [c.meta["commitment_index"] for c in commitments] == list(range(len(commitments)))
            for k, c in enumerate(commitments):
                assert c.id == f"{doc_id}!c{k}"
                assert text[c.meta["start"]:c.meta["end"]] == c.content
                assert c.content in c.meta["passage"] and c.meta["passage"] in text
                assert c.meta["kind"] == "commitment" and c.meta["doc_id"] == doc_id
                assert "evidence" not in c.meta

    def test_matches_the_judged_set(self, extracted):
        """The extractor's commitments are the judged commitments (its units come from
        ingest.chunking; this checks that the whole path agrees with the benchmark)."""
        for doc_id in DOC_IDS:
            gold = {r["text"] for r in labelled(doc_id) if r["commitment"]}
            got = {c.content for c in extracted[doc_id]}
            assert len(got ^ gold) <= 2, (doc_id, sorted(got - gold), sorted(gold - got))

    def test_document_meta_is_carried_without_large_fields(self):
        doc = corpus_doc(GOTLAND)
        doc.meta["evidence"] = {"x": "y"}
        doc.meta["html"] = "<p>" * 1000
        out = CommitmentExtractor().run([doc])["commitments"]
        assert out, "the Gotland pledge has commitments"
        for c in out:
            assert c.meta["region"] == "Gotland" and c.meta["country"] == "SE" and c.meta["language"] == "sv"
            assert "evidence" not in c.meta and "html" not in c.meta

    def test_long_paragraphs_give_a_window_around_the_sentence(self):
        filler = "Det var en vanlig dag i staden. " * 40
        text = filler + "Polisen ska öka närvaron i centrum. " + filler
        out = CommitmentExtractor(max_passage_chars=200).run(
            [Document(id="w", content=text, meta={"doc_id": "w", "language": "sv"})])["commitments"]
        assert len(out) == 1
        assert len(out[0].meta["passage"]) == 200 and out[0].content in out[0].meta["passage"]

    def test_pipeline_serialisation_and_empty_input(self):
        extractor = CommitmentExtractor(disabled_rules=["ctx.plain_items"], default_language="sv")
        clone = CommitmentExtractor.from_dict(extractor.to_dict())
        assert clone.disabled_rules == ["ctx.plain_items"] and clone.default_language == "sv"
        assert clone.run([])["commitments"] == []
        assert clone.run([Document(content="")])["commitments"] == []
        pipe = Pipeline()
        pipe.add_component("commitments", CommitmentExtractor())
        doc = Document(id="d1", content="Nyheter\n\nPolisen ska öka närvaron i centrum under 2024.",
                       meta={"doc_id": "d1", "language": "sv", "organisations": ["Polisen"]})
        out = pipe.run({"commitments": {"documents": [doc]}})["commitments"]["commitments"]
        assert [c.meta["year"] for c in out] == [2024] and out[0].meta["actors"] == ["Polisen"]


class TestCommitmentExtractorProperties:
    @settings(max_examples=120, deadline=None)
    @given(text=st.text(alphabet=st.sampled_from(list("abc ska will će خواهد\n\n:–1.2020 Polisen lovar att:")), max_size=300),
           language=st.one_of(st.none(), st.sampled_from(["sv", "sw", "cnr", "fa", "en"])))
    def test_offsets_are_exact_on_any_text(self, text, language):
        doc = Document(id="h", content=text, meta={"doc_id": "h", "language": language, "organisations": ["Polisen"]})
        for c in CommitmentExtractor().run([doc])["commitments"]:
            assert text[c.meta["start"]:c.meta["end"]] == c.content
            assert c.content.strip() == c.content and c.content


class TestCommitmentsEval:
    def test_targets_are_met(self):
        from benchmarks.commitments_eval import TARGET_LANGUAGE_F1, TARGET_OVERALL_F1, run

        report = run(LABELS, CORPUS)
        assert report["units"] == 124
        assert report["all"]["overall"]["f1"] >= TARGET_OVERALL_F1
        for lang, m in report["all"]["languages"].items():
            assert m["f1"] >= TARGET_LANGUAGE_F1, lang
        # the held-out estimate is computed and can only be lower or equal
        assert report["lodo"]["overall"]["f1"] <= report["all"]["overall"]["f1"]

    def test_without_corpus_text_units_still_score(self):
        from benchmarks.commitments_eval import TARGET_OVERALL_F1, run

        assert run(LABELS, None)["all"]["overall"]["f1"] >= TARGET_OVERALL_F1

    def test_cli_json(self, capsys):
        from benchmarks.commitments_eval import main

        assert main(["--json", "--labels", str(LABELS)]) == 0
        report = json.loads(capsys.readouterr().out)
        assert {"all", "lodo", "apriori", "rule_counts"} <= set(report)


NTREX_LABELS = ROOT / "benchmarks" / "commitments" / "ntrex_labels.jsonl"


def _has_ntrex() -> bool:
    from benchmarks import ntrex

    return ntrex.DEFAULT_PATH.exists()


class TestNtrexJudgedSet:
    def test_label_file_has_both_splits_complete_and_no_ntrex_text(self):
        rows = [json.loads(line) for line in NTREX_LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert all(set(r) == {"doc_id", "split", "n", "sha1", "commitment", "note"} for r in rows)  # no NTREX text
        by_split = {split: [r for r in rows if r["split"] == split] for split in ("test", "dev")}
        assert len(rows) == len(by_split["test"]) + len(by_split["dev"])
        assert len({r["doc_id"] for r in by_split["test"]}) == 62 and len({r["doc_id"] for r in by_split["dev"]}) == 61
        for split_rows in by_split.values():
            assert any(r["commitment"] for r in split_rows) and any(not r["commitment"] for r in split_rows)
        indices: dict[str, list[int]] = {}
        for r in rows:
            assert r["note"].strip() and len(r["sha1"]) == 16, (r["doc_id"], r["n"])
            indices.setdefault(r["doc_id"], []).append(r["n"])
        assert all(ns == list(range(len(ns))) for ns in indices.values())  # every line, in order

    @pytest.mark.skipif(not _has_ntrex(), reason="NTREX-128 is not on this machine (../shared/data/ntrex)")
    def test_every_label_is_the_english_line_at_its_index(self, tmp_path):
        from benchmarks import ntrex
        from benchmarks.commitments_eval import load_ntrex_labels, read_ntrex

        docs = read_ntrex(ntrex.DEFAULT_PATH, ["eng"])
        rows = load_ntrex_labels(NTREX_LABELS, docs)
        assert all(docs[r.doc_id].lines["en"][r.n] == r.text for r in rows)
        assert len(rows) == sum(len(d.lines["en"]) for d in docs.values())  # no English line left out
        shifted = [json.loads(line) for line in NTREX_LABELS.read_text(encoding="utf-8").splitlines()[:3]]
        shifted[0]["n"] = 1  # a label pointing at another line is refused, not scored
        (tmp_path / "bad.jsonl").write_text("\n".join(json.dumps(r) for r in shifted), encoding="utf-8")
        with pytest.raises(ValueError, match="does not match the English NTREX line"):
            load_ntrex_labels(tmp_path / "bad.jsonl", docs)

    @staticmethod
    def _sample():
        from benchmarks.commitments_eval import NtrexDoc, NtrexLabel, line_hash

        english = ["The council will publish the plan in May.",  # TP
                   "Rain will reach Arizona on Sunday.",  # TN: no agent
                   "We will see production stops, the manager said.",  # FP: a prediction
                   "Officers were working to identify the man."]  # FN: no cue
        croatian = ["Vijeće će objaviti plan u svibnju.", "Kiša će stići u Arizonu u nedjelju.",
                    "Vidjet ćemo zastoje u proizvodnji, rekao je direktor.", "Policajci su radili na identifikaciji."]
        docs = {"d1": NtrexDoc(split="test", lines={"en": english, "hr": croatian, "sv": ["Bara en rad."]})}
        labels = [NtrexLabel("d1", "test", n, line_hash(text), gold, "", text) for n, (text, gold) in
                  enumerate(zip(english, [True, False, False, True]))]
        return docs, labels

    def test_scoring_a_tiny_sample(self):
        from benchmarks.commitments_eval import score_ntrex

        docs, labels = self._sample()
        result = score_ntrex(labels, docs, "test")
        en = result["languages"]["en"]
        assert (en["tp"], en["fp"], en["fn"]) == (1, 1, 1)
        assert en["precision"] == en["recall"] == 0.5
        assert result["languages"]["hr"]["tp"] == 1
        # hr runs the bs rules and is left out of "overall"; sv is not aligned with English and skipped
        assert result["overall"] == en
        assert "sv" not in result["languages"] and result["unaligned"]["sv"] == 4
        assert {(e["type"], e["lang"], e["n"]) for e in result["errors"]} >= {("FP", "en", 2), ("FN", "en", 3)}
        assert score_ntrex(labels, docs, "dev")["overall"]["tp"] == 0  # other split: nothing scored

    def test_a_label_that_is_not_the_line_at_its_index_is_an_error(self, tmp_path):
        from benchmarks.commitments_eval import load_ntrex_labels

        docs, labels = self._sample()
        for row, where in (({"n": 1, "split": "test"}, "d1/1"), ({"n": 0, "split": "dev"}, "d1/0")):
            path = tmp_path / "labels.jsonl"  # the first line's hash, at another index or split
            path.write_text(json.dumps({"doc_id": "d1", "sha1": labels[0].sha1, "commitment": True, **row}), encoding="utf-8")
            with pytest.raises(ValueError, match=where):
                load_ntrex_labels(path, docs)

    def test_a_lone_line_is_decided_as_classify_units_would(self):
        docs, _ = self._sample()
        clf = CommitmentClassifier()
        for text in docs["d1"].lines["en"]:
            assert classify_units([Unit(text)], "en")[0].commitment == bool(clf.cues(text, "en"))

    def test_cli_scores_a_small_ntrex_file(self, tmp_path, capsys):
        import gzip

        from benchmarks.commitments_eval import main

        docs, labels = self._sample()
        texts = tmp_path / "ntrex_docs.jsonl.gz"
        with gzip.open(texts, "wt", encoding="utf-8") as fh:
            for lang, code in (("eng", "en"), ("hrv", "hr")):
                fh.write(json.dumps({"doc_id": "d1", "lang": lang, "title": "", "split": "test",
                                     "text": "\n".join(docs["d1"].lines[code])}) + "\n")
        label_file = tmp_path / "labels.jsonl"
        label_file.write_text("".join(json.dumps({"doc_id": r.doc_id, "split": r.split, "n": r.n, "sha1": r.sha1,
                                                  "commitment": r.gold, "note": "x"}) + "\n" for r in labels),
                              encoding="utf-8")
        assert main(["--json", "--labels", str(LABELS), "--ntrex", str(texts), "--ntrex-labels", str(label_file)]) == 0
        report = json.loads(capsys.readouterr().out)
        judged = report["ntrex_labels"]
        assert judged["split"] == "test" and judged["sentences"] == 4 and judged["commitments"] == 2
        assert judged["overall"]["tp"] == 1 and "without_ntrex_dev" in judged
        assert main(["--labels", str(LABELS), "--ntrex", str(texts), "--ntrex-labels", str(label_file)]) == 0
        text = capsys.readouterr().out
        assert "NTREX-128 judged set, split test: 4 English sentences" in text and "FN en: 1" in text



class TestGenreBehaviour:
    """Issue 12: behaviours learnt from real pages of the genre, on sentences written for the tests."""

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("I will therefore ensure that every ward has a named officer.", "en"),
            ("The partners have therefore agreed to meet every quarter.", "en"),
            ("Under hösten kommer polisen och kommunen att genomföra tre trygghetsvandringar.", "sv"),
            ("Kommunen kommer därför att anställa två fältassistenter.", "sv"),
            ("1. Da se pojača saradnja sa mjesnim zajednicama.", "cnr"),
            ("Zadužuje se Sekretarijat da pripremi plan rada.", "cnr"),
            ("Dogovoreno je da se sastanci održavaju svaka tri mjeseca.", "bs"),
            ("Zaključeno je da će policija pojačati patrole oko škola.", "cnr"),
            ("Tumeazimia kuimarisha ulinzi shirikishi katika kila kata.", "sw"),
            ("Viongozi wa vijiji wameahidi kushirikiana na polisi jamii.", "sw"),
            ("Tutahakikisha kila kata ina dawati la jinsia.", "sw"),
            ("Kituo kipya cha polisi kitajengwa mwaka ujao.", "sw"),
            ("Mafunzo zaidi zitatolewa kwa vikundi vya ulinzi shirikishi.", "sw"),
            ("طرح پلیس محله در همه محله‌های شهر اجرا می‌شود.", "fa"),
            ("سامانه گزارش مردمی با همکاری شهرداری راه‌اندازی می‌شود.", "fa"),
            ("قرار است گشت‌های مشترک در پارک‌ها برگزار شود.", "fa"),
            ("New cameras will be installed in the park by the summer.", "en"),  # a passive plan needs no agent
            ("Under 2025 kommer fler trygghetsvandringar att genomföras.", "sv"),
            ("Sastanak će se održati svakog mjeseca.", "cnr"),
        ],
    )
    def test_new_cues(self, sentence, language):
        assert classify_commitment(sentence, language), sentence

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("Mlemba alisema kwa ushirikiano wa polisi uhalifu utapungua.", "sw"),  # a prediction
            ("Kwa msaada wa polisi maendeleo yatapatikana.", "sw"),
            ("Brottsligheten kommer enligt prognosen att minska.", "sv"),
            ("با تلاش پلیس جرایم کاهش خواهد یافت.", "fa"),
            ("Vi kommer fram till att polisen behövs.", "sv"),
            ("Crime in the town centre will fall, the police say.", "en"),  # the agent is no subject
            ("Brottsligheten kommer att minska tack vare polisen.", "sv"),
            ("Kriminal će opasti zahvaljujući policiji.", "cnr"),
        ],
    )
    def test_predictions_are_not_commitments(self, sentence, language):
        assert not classify_commitment(sentence, language), sentence

    def test_a_lead_in_without_items_keeps_its_own_promise(self):
        units = ["Polisen lovar att öka närvaron i centrum, bland annat på följande sätt:", "Kontakt"]
        assert [d.commitment for d in classify_units(units, "sv")] == [True, False]

    def test_topic_titles_under_a_topic_heading_are_not_items(self):
        units = ["Våra fokusområden:", "– Trygghet i centrum", "– Droger bland unga",
                 "Kommunen lovar att:", "– Fler vuxna ute på kvällarna", "– Genomföra trygghetsvandringar."]
        assert [d.commitment for d in classify_units(units, "sv")] == [False, False, False, False, True, True]

    def test_lead_in_actor_and_heading_year_pass_down(self):
        text = ("Medborgarlöfte 2024–2025\n\nPubliceras 2024-01-15\n\nTierps kommun lovar att:\n\n"
                "- Genomföra trygghetsvandringar tillsammans med polisen.\n"
                "- Erbjuda föräldrar stöd.\n\nPolisen lovar att:\n\n- Öka närvaron vid skolorna.\n")
        doc = Document(id="t", content=text, meta={"language": "sv", "organisations": ["Polisen", "Tierps kommun"]})
        got = CommitmentExtractor().run([doc])["commitments"]
        assert [c.content for c in got] == ["- Genomföra trygghetsvandringar tillsammans med polisen.",
                                             "- Erbjuda föräldrar stöd.", "- Öka närvaron vid skolorna."]
        assert [c.meta["actors"] for c in got] == [["Tierps kommun"], ["Tierps kommun"], ["Polisen"]]
        assert [c.meta["year"] for c in got] == [2025, 2025, 2025]
        assert got[0].meta["year_source"] == "heading" and got[0].meta["year_range"] == [2024, 2025]
        assert got[0].meta["context"] == "Tierps kommun lovar att:"

    def test_a_file_number_in_a_page_header_names_no_period(self):
        text = ("Överenskommelse om trygghet\nPeriod: 2025–2028\n\nDnr KS 2024/00512       Sida 2 (3)\n\n"
                "Kommunen åtar sig att:\n\n- Anställa två fältassistenter.\n")
        doc = Document(id="t", content=text, meta={"language": "sv", "organisations": ["Kommunen"]})
        got = CommitmentExtractor().run([doc])["commitments"]
        assert [(c.content, c.meta["year"]) for c in got] == [("- Anställa två fältassistenter.", 2028)]

    def test_a_long_title_passes_its_period_down(self):
        # the title is too long to read as a heading, yet it names the plan's period
        text = ("Objavljeno: 27.03.2025.\n\nOPERATIVNI PLAN ZA SUZBIJANJE DJEČJEG PROSJAČENJA I ZAŠTITU DJECE "
                "U SITUACIJI ULICE NA TERITORIJI PRIJESTONICE CETINJE 2025–2026.\n\n"
                "Centar za socijalni rad će otvoriti dnevni centar za djecu.\n")
        doc = Document(id="t", content=text, meta={"language": "hbs", "year": 2025})
        (got,) = CommitmentExtractor().run([doc])["commitments"]
        assert (got.meta["year"], got.meta["year_source"], got.meta["doc_year"]) == (2026, "document period", 2025)

    def test_without_any_period_an_item_takes_the_documents_year(self):
        text = "Zapisnik sa sjednice\n\nUprava policije će pojačati noćne ophodnje u naselju.\n"
        doc = Document(id="t", content=text, meta={"language": "hbs", "year": 2024})
        (got,) = CommitmentExtractor().run([doc])["commitments"]
        assert (got.meta["year"], got.meta["year_source"]) == (2024, "document")

    def test_a_financial_year_counts_as_its_second_year(self):
        text = "MPANGO WA POLISI JAMII 2025/26\n\nJeshi la Polisi litafungua madawati mapya ya jinsia.\n"
        doc = Document(id="t", content=text, meta={"language": "sw", "year": 2025})
        (got,) = CommitmentExtractor().run([doc])["commitments"]
        assert (got.meta["year"], got.meta["year_range"]) == (2026, [2025, 2026])

    def test_an_items_own_subject_wins_over_its_lead_in(self):
        text = "Vi lovar att:\n\n1. Kommunen ska anställa två fältassistenter.\n2. Polisen ska öka närvaron.\n"
        doc = Document(id="t", content=text, meta={"language": "sv", "organisations": ["Polisen", "Ale kommun"]})
        got = CommitmentExtractor().run([doc])["commitments"]
        assert [c.meta["actors"] for c in got] == [["Ale kommun"], ["Polisen"]]

    def test_the_lead_in_that_names_its_actor_gives_it_to_its_items(self):
        text = ("Kent Police will:\n- visit every older victim of a scam within 48 hours\n\n"
                "Age UK Medway will:\n- offer a follow-up call to every older victim\n\n"
                "We will meet twice a year to review the plan.\n"
                "A joint report will be presented to the Board in May.\n")
        doc = Document(id="t", content=text, meta={"language": "en", "organisations": ["Kent Police", "Medway Council"]})
        got = CommitmentExtractor().run([doc])["commitments"]
        assert [(c.meta["actors"], c.meta["actors_source"]) for c in got] == [
            (["Kent Police"], "heading"), (["Age UK Medway"], "heading"),
            # "we", after the lead-ins of two actors, are those actors
            (["Kent Police", "Age UK Medway"], "parties"),
            # a unit that names nobody, under no lead-in, is the parties' too: the document's
            # organisations include any it merely mentions (Medway Council)
            (["Kent Police", "Age UK Medway"], "parties")]

    def test_a_montenegrin_lead_in_with_se_obavezuje_and_an_item_with_its_own_subject(self):
        text = ("Član 5\nTuristička organizacija se obavezuje da:\n"
                "a) pripremi i odštampa letke na pet jezika;\n"
                "b) Škole će do 1. marta uspostaviti sanduče povjerenja.\n")
        doc = Document(id="t", content=text, meta={"language": "cnr", "organisations": ["Opština Budva"]})
        got = CommitmentExtractor().run([doc])["commitments"]
        assert [c.meta["actors"] for c in got] == [["Turistička organizacija"], ["Škole"]]

    @pytest.mark.parametrize(("text", "language", "parties"), [
        ("Kommunen lovar att:\n- öppna ett fritidshus i Väster\n\nPolisen lovar att:\n- patrullera på fredagar\n\n"
         "Tillsammans lovar vi att:\n- bjuda in till två dialogmöten\n", "sv", ["Ale kommun", "Polisen"]),
        ("Opština se obavezuje da:\na) postavi deset klupa u parku;\n\nCentar bezbjednosti se obavezuje da:\n"
         "a) pojača patrole vikendom;\n\nPotpisnici će do kraja godine sačiniti zajednički izvještaj.\n", "cnr",
         ["Opština Ale", "Centar bezbjednosti"]),
        ("Halmashauri ya Mji itatekeleza yafuatayo:\n(a) Kujenga vibanda viwili vya walinzi.\n\n"
         "Jeshi la Polisi litatekeleza yafuatayo:\n(a) Kufanya doria kila usiku.\n\n"
         "Pande zote mbili zimekubaliana kuunda kamati ya pamoja itakayokutana kila mwezi.\n", "sw",
         ["Halmashauri ya Mji", "Jeshi la Polisi"]),
    ])
    def test_we_and_the_parties_are_the_actors_of_the_documents_lead_ins(self, text, language, parties):
        organisations = ["Ale kommun", "Polisen"] if language == "sv" else ["Opština Ale"]
        doc = Document(id="t", content=text, meta={"language": language, "organisations": organisations})
        last = CommitmentExtractor().run([doc])["commitments"][-1]
        assert (last.meta["actors"], last.meta["actors_source"]) == (parties, "parties")

    def test_a_persian_party_called_by_its_alias_is_named(self):
        text = ("ماده ۱- طرفین\nاین تفاهم‌نامه میان اداره کل بهزیستی استان یزد به نمایندگی آقای الف، که از این پس "
                "«طرف اول» نامیده می‌شود و شهرداری یزد به نمایندگی آقای ب، که از این پس «طرف دوم» نامیده می‌شود، "
                "منعقد می‌گردد.\n\nطرف اول متعهد می‌شود:\n۱. برای هر خانواده پرونده مددکاری تشکیل دهد.\n\n"
                "طرف دوم متعهد می‌شود:\n۱. ده دوربین در پارک‌ها نصب کند.\n\n"
                "طرفین توافق می‌کنند که:\n۱. کمیته مشترکی از نمایندگان دو طرف تشکیل شود.\n")
        assert party_aliases(text, "fa") == {"طرف اول": "اداره کل بهزیستی استان یزد", "طرف دوم": "شهرداری یزد"}
        doc = Document(id="t", content=text, meta={"language": "fa", "organisations": ["پلیس"]})
        got = CommitmentExtractor().run([doc])["commitments"]
        assert [c.meta["actors"] for c in got] == [
            ["اداره کل بهزیستی استان یزد"], ["شهرداری یزد"], ["اداره کل بهزیستی استان یزد", "شهرداری یزد"]]

    def test_a_listed_item_that_opens_with_its_verb_keeps_its_lead_ins_actor(self):
        text = ("Odjeljenje bezbjednosti Ale preuzima obavezu da:\n"
                "1. odredi dva policijska službenika koji će pregledati snimke;\n")
        doc = Document(id="t", content=text, meta={"language": "cnr", "organisations": ["Uprava policije"]})
        got = CommitmentExtractor().run([doc])["commitments"]
        assert [c.meta["actors"] for c in got] == [["Odjeljenje bezbjednosti Ale"]]

    def test_a_councils_impersonal_conclusions_are_the_councils_and_a_tasked_body_acts(self):
        text = ("Nakon rasprave, Savjet je jednoglasno usvojio sljedeće zaključke:\n"
                "1. Da se Predsjedniku Opštine predloži izmjena Odluke o radnom vremenu.\n"
                "2. Savjet je zadužio Službu zaštite i Sekretarijat za saobraćaj da do juna postave znakove.\n")
        doc = Document(id="t", content=text, meta={"language": "cnr", "organisations": ["Opština Ale"]})
        got = CommitmentExtractor().run([doc])["commitments"]
        assert [c.meta["actors"] for c in got] == [["Savjet"], ["Službu zaštite", "Sekretarijat za saobraćaj"]]

    @pytest.mark.parametrize(("text", "language", "actors"), [
        ("Under hösten ska fältgruppen och fritidsledarna besöka skolorna.", "sv", ["fältgruppen", "fritidsledarna"]),
        ("att kommunpolisen och fältgruppen före jul återrapporterar resultatet,", "sv", ["kommunpolisen", "fältgruppen"]),
        ("Mhe. Juma alisema wauguzi wa kata watatembelea kila kijiji mara mbili kwa mwezi.", "sw",
         ["wauguzi wa kata"]),  # the reported clause's own subject
        ("Kila BMU itaweka walinzi wawili usiku.", "sw", ["BMU"]),
        ("مقرر شد اداره کل راه و شهرسازی استان تا پایان سال ده تابلو نصب کند.", "fa",
         ["اداره کل راه و شهرسازی استان"]),  # the subject follows the decision
        ("مدیرعامل سازمان آتش‌نشانی شهر هم گفت: تا پایان سال ۳ ایستگاه جدید افتتاح خواهد شد.", "fa",
         ["سازمان آتش‌نشانی شهر"]),  # the speaker's organisation, not the speaker's post or verb
        ("مقرر شد پلیس راهور گزارش تصادفات را هر ماه ارائه کند.", "fa", ["پلیس راهور"]),
        ("The two councils will open four new reporting centres.", "en", ["Ale Council", "Bee Council"]),
    ])
    def test_subjects_after_the_verb_a_decision_or_a_speaker(self, text, language, actors):
        assert subject_actors(text, language, ["Ale Council", "Bee Council", "Kent Police"]) == actors

    @pytest.mark.parametrize(("text", "language"), [
        ("Mkutano wa wazazi utafanyika tarehe 3 Machi.", "sw"),  # a stative: the meeting is what happens
        ("Vibali vya zamani vitafutwa kuanzia Machi.", "sw"),  # a passive
        ("Kukamata mifugo itakayokutwa bila kibali.", "sw"),  # an item that opens with its verb
        ("Zaključeno je da se Predsjedniku Opštine predloži izmjena Odluke.", "cnr"),  # impersonal: an addressee
        ("Therefore I will make sure that every report is followed up.", "en"),  # an adverb and a pronoun
        ("۲۵ کانون مسجد در محلات را به برنامه‌های تابستانی اختصاص می‌دهد.", "fa"),  # a count, no section number
        # session 27, from the fragments taken for actors on the dev pages (sentences written for the test):
        ("To further strengthen the front line there will be a recruitment drive next year.", "en"),  # a purpose
        ("Kao privremeno rješenje planira se postavljanje ograde oko igrališta.", "hr"),  # "as a solution"
        ("Zatim je dogovorena i izrada plana rasvjete.", "hr"),  # an adverb
        ("En utvärdering av sommarens arbete kommer också att genomföras i höst.", "sv"),  # a passive cue
        ("Uppföljningen av löftet kommer göras i december.", "sv"),
        ("Till dess att Polismyndigheten får fler resurser ska kommunen bekosta väktare.", "sv"),  # a clause
    ])
    def test_no_subject_in_a_passive_an_impersonal_clause_or_a_verb_first_item(self, text, language):
        assert subject_actors(text, language, []) == []

    @pytest.mark.parametrize(("text", "actor"), [
        ("Trygghetsvärdarna kommer att arbeta två och två under kvällarna.", "Trygghetsvärdarna"),
        ("Ordningsvakterna ska i första hand arbeta kvällstid på helger.", "Ordningsvakterna"),
        ("Parterna ska kartlägga den lokala problembilden.", "Parterna"),
    ])
    def test_a_swedish_definite_plural_is_the_subject_not_an_infinitive(self, text, actor):
        # "-arna", "-orna", "-erna" end in -a like an infinitive item ("Öka närvaron"), but name who acts
        assert subject_actors(text, "sv", []) == [actor]
        assert starts_with_infinitive("Varna äldre för bedrägerier.", "sv")  # the verb that ends the same way

    @pytest.mark.parametrize(("text", "actor"), [
        # session 29, from the Swahili actor mismatches of the dev pages (sentences written for the test):
        # no cue bounds the subject, so it is read from the sentence's first conjugated verb
        ("Baraza la mji wa Mfano limeunda kamati ya watu tisa kusimamia ulinzi wa masoko.", "Baraza la mji wa Mfano"),
        ("MBUNGE wa jimbo la Mfano mkoani Pwani Juma Ali Mussa ameahidi kutoa mabati mia mbili kwa kituo cha polisi.",
         "MBUNGE wa jimbo la Mfano mkoani Pwani Juma Ali Mussa"),
        ("Akizungumza na waandishi wa habari, Kamishna wa kaunti ya Mfano amezindua kampeni ya usalama wa shule.",
         "Kamishna wa kaunti ya Mfano"),  # the lead-in clause before the comma is no part of it
        ("Naye Afisa Elimu wa Manispaa ya Mfano ameahidi kusimamia zoezi hilo.", "Afisa Elimu wa Manispaa ya Mfano"),
        # after a verb of saying, the reported clause's own subject, in lower case too ...
        ("Mwenyekiti wa baraza la wazee amesema kuwa wazee wa vijiji watakuwa wakikutana kila mwezi.",
         "wazee wa vijiji"),
        ("Kamanda Ali ameeleza kuwa baada ya sikukuu Jeshi la Polisi Mkoa wa Mfano limejipanga kufanya doria.",
         "Jeshi la Polisi Mkoa wa Mfano"),
        # ... else the speaker: the clause opens with its verb, or its subject is a thing, not a body
        ("Aidha, Mwenyekiti amesema kuwa, watafanya kikao na wadau wiki ijayo.", "Mwenyekiti"),
        ("Osumba alisema kwamba zoezi la kuwasajili walinzi litaendelea hadi mwezi ujao.", "Osumba"),
    ])
    def test_a_swahili_subject_from_the_first_verb(self, text, actor):
        assert subject_actors(text, "sw", []) == [actor]

    @pytest.mark.parametrize("text", [
        "Wakati huo huo, alionya kuwa wauzaji wa pombe haramu watakamatwa.",  # a phrase of time
        "Zikiwa zimepita siku chache tangu shule zifunguliwe, wazazi wamehimizwa kuwapeleka watoto.",  # a -ki- clause
        "Mambo yanayofanyika katika kata yataendelea kufuatiliwa.",  # a thing, no name
        "Kuwasilisha taarifa ya utekelezaji kwa Kamati ya Ulinzi na Usalama kila robo mwaka.",  # an item's infinitive
    ])
    def test_no_swahili_subject_in_a_phrase_of_time_a_circumstance_or_an_infinitive(self, text):
        assert subject_actors(text, "sw", []) == []

    @pytest.mark.parametrize(("text", "actor"), [
        # session 29: an office held by one person speaks for itself when the clause names no one
        ("فرماندار شهر نمونه یادآور شد: معتادان به کمپ های ترک اعتیاد منتقل خواهند شد.", "فرماندار شهر نمونه"),
        ("والی ولایت نمونه ضمن ستایش از پولیس گفت: برای امنیت شهر شبانه روز تلاش خواهیم کرد.", "والی ولایت نمونه"),
        ("فرماندار شهر نمونه گفت: شهرداری نمونه تا پایان سال دوربین نصب خواهد کرد.", "شهرداری نمونه"),  # the clause's own
    ])
    def test_a_persian_official_who_speaks_is_the_actor(self, text, actor):
        assert subject_actors(text, "fa", []) == [actor]

    @pytest.mark.parametrize(("text", "language", "vetoed"), [
        # session 29: an appeal to the public promises nothing (sentences written for the test)
        ("Pia aliwaasa wananchi wa eneo hilo kusherehekea sikukuu kwa amani.", "sw", True),
        ("Kamanda ametoa wito kwa wazazi kuwasimamia watoto wao wakati wa likizo.", "sw", True),
        ("Aidha, wananchi wanashauriwa kutoa taarifa za uhalifu mapema.", "sw", True),
        ("Mkuu wa Mkoa amelitaka Jeshi la Polisi kuhakikisha doria zinafanyika kila usiku.", "sw", False),  # a body
        ("Speaking at the meeting, the Mayor urged residents to report fly-tipping.", "en", True),
        ("The council will urge residents to report fly-tipping from June.", "en", False),  # the council's plan
        ("وی از مردم خواست تخلفات را به پلیس ۱۱۰ گزارش کنند.", "fa", True),
        ("فرماندار از شهرداری خواست تا پایان سال دوربین نصب کند.", "fa", False),  # a body tasked
    ])
    def test_an_appeal_to_the_public_is_vetoed(self, text, language, vetoed):
        assert DEFAULT_CLASSIFIER.vetoed(text, language) is vetoed

    def test_kako_opens_a_clause_with_its_own_subject(self):
        # "the mayor announces that the City will …": the City acts, not the speaker
        assert subject_actors("Načelnik najavljuje kako će Grad osigurati nove kamere do ljeta.", "hr", []) == ["Grad"]

    def test_a_role_noun_names_the_organisation_whose_name_it_opens(self):
        # "polisen" is not "lokalpolisområde Lidköping": the stem must open a word of the name
        assert sentence_actors("att polisen skickar brev", "sv", ["lokalpolisområde Lidköping"]) == ["Polisen"]
        assert sentence_actors("att polisen skickar brev", "sv", ["Polisen i Lidköping"]) == ["Polisen i Lidköping"]
        # the municipality as the text spells it: Općina (Croatian, Bosnian) and Opština (Montenegrin, Serbian)
        assert sentence_actors("Općina će postaviti kamere.", "bs", ["Općina Vogošća"]) == ["Općina Vogošća"]
        assert sentence_actors("Općina će postaviti kamere.", "bs", []) == ["Općina"]
        assert sentence_actors("Opština će postaviti kamere.", "cnr", ["Opština Budva"]) == ["Opština Budva"]

    def test_a_role_noun_in_a_cyrillic_text_is_named_in_cyrillic(self):
        # the judges (and a reader) name the police of "полиција ће бити присутна" as the text does
        assert sentence_actors("Првог дана школе полиција ће бити присутна у близини школа.", "sr", []) == ["Полиција"]
        assert sentence_actors("Центар за социјални рад ће организовати састанке.", "sr", []) == ["Центар за социјални рад"]
        assert sentence_actors("Prvog dana škole policija će biti prisutna.", "sr", []) == ["Policija"]
        assert to_cyrillic("Savjet za bezbjednost") == "Савјет за безбједност" and to_cyrillic("Njegoš") == "Његош"

    @pytest.mark.parametrize(("text", "language", "actors"), [
        ("Zadužuje se Centar bezbjednosti Nikšić da u drugom polugodištu organizuje predavanja.", "cnr",
         ["Centar bezbjednosti Nikšić"]),
        ("Dogovoreno je da Centar bezbjednosti Nikšić obezbijedi prisustvo policijskog službenika.", "cnr",
         ["Centar bezbjednosti Nikšić"]),
        ("Opština Bar i Centar bezbjednosti Bar zajednički će postaviti dva radara.", "cnr",
         ["Opština Bar", "Centar bezbjednosti Bar"]),
        ("The Assistant Chief Constable acknowledged the concern and undertook to provide the figures.", "en",
         ["Assistant Chief Constable"]),
        ("The Inspector stated that the team would hold drop-in sessions each month.", "en", ["team"]),
        ("Kwa upande wake, DCEA itatoa huduma ya ushauri nasaha kila wiki.", "sw", ["DCEA"]),
        ("Halmashauri ya Wilaya itajenga vibanda vitatu vya walinzi.", "sw", ["Halmashauri ya Wilaya"]),
        ("Chifu Owino alisema atakuwa akiitisha baraza kila Jumamosi.", "sw", ["Chifu Owino"]),  # the speaker
        ("Styrgruppen ska lämna en rapport till nämnden i maj.", "sv", ["Styrgruppen"]),
        ("Alkohol- och tobakshandläggaren och polisen ska genomföra tillsyn.", "sv",
         ["Alkohol- och tobakshandläggaren", "Polisen"]),
        ("اداره بهزیستی شهرستان برای هر کودک پرونده مددکاری تشکیل دهد.", "fa", ["اداره بهزیستی شهرستان"]),
        ("شهرداری شیراز موظف شد ده سرویس بهداشتی در پارک‌ها نصب کند.", "fa", ["شهرداری شیراز"]),
        ("وی گفت: افسران محله موظف‌اند هر هفته در دفتر شورایاری حاضر شوند.", "fa", ["افسران محله"]),
    ])
    def test_the_subject_of_the_units_own_clause(self, text, language, actors):
        assert subject_actors(text, language, []) == actors

    @pytest.mark.parametrize(("text", "language"), [
        ("Tillsammans lovar vi att genomföra trygghetsvandringar.", "sv"),  # an adverb and a pronoun
        ("EST ska införas i hela kommunen under 2024.", "sv"),  # a passive: the subject is what is pledged
        ("A joint report on progress will be presented to the Board in April.", "en"),
        ("He confirmed that a new project would open in September.", "en"),
        ("Makubaliano yanabainisha jinsi washirika watafanya kazi pamoja.", "sw"),  # a clause, no name
        ("formirati Viber grupu „Komšijska straža“ u kojoj će mještani razmjenjivati obavještenja", "cnr"),
        ("مأموران کلانتری را در دوره آموزشی ۱۶ ساعته شرکت دهد.", "fa"),  # the object, marked by را
        ("کمیته مشترکی متشکل از دو نماینده تشکیل شود.", "fa"),  # a passive
    ])
    def test_no_subject_when_the_clause_names_no_actor(self, text, language):
        assert subject_actors(text, language, []) == []

    def test_a_role_noun_subject_is_reported_by_the_documents_name_for_it(self):
        assert subject_actors("att polisen under hösten genomför fyra kontroller,", "sv", ["Polisen"]) == ["Polisen"]
        assert subject_actors("The Council will light the park.", "en", ["Medway Council"]) == ["Medway Council"]

    def test_role_nouns_and_malformed_names(self):
        assert sentence_actors("The council will light the park.", "en", []) == ["Council"]
        assert sentence_actors("I will fund two posts.", "en", ["Office of the Police and Crime Commissioner"]) == \
            ["Office of the Police and Crime Commissioner"]
        # a capitalised-name pattern took in an imperative or a preposition
        assert clean_organisations(["Contact Surrey Police", "With Surrey County Council", "Surrey Police"]) == \
            ["Surrey Police", "Surrey County Council"]

    def test_hard_line_breaks_inside_a_sentence(self):
        text = ("Kommunen lovar att:\n- Genomföra tre trygghetsvandringar i\ncentrum under hösten.\n"
                "Trygghet i centrum\nPolisen ska öka närvaron i centrum och samarbeta med föreningar och\n"
                "Skolverket.\n\nپلیس و شهرداری در سال آینده طرح امنیت محله محور را در همه محله های شهر\n"
                "اجرا خواهند کرد.")
        units = [u.text for u in sentence_units(text)]
        assert units == ["Kommunen lovar att:", "- Genomföra tre trygghetsvandringar i\ncentrum under hösten.",
                         "Trygghet i centrum",
                         "Polisen ska öka närvaron i centrum och samarbeta med föreningar och\nSkolverket.",
                         "پلیس و شهرداری در سال آینده طرح امنیت محله محور را در همه محله های شهر\nاجرا خواهند کرد."]
        assert soft_line_breaks("Rubrik\nText som börjar här.") == []  # a title above a sentence

    def test_a_short_line_that_ends_with_a_word_no_sentence_ends_with_goes_on(self):
        # a short line before a capitalised one is a title unless it ends mid-phrase ("… of", "… ya")
        text = "Kamati ya maendeleo ya\nKata ya Mfano imeazimia kuanzisha mfuko wa polisi jamii.\n"
        assert [u.text for u in sentence_units(text)] == [text.strip()]
        assert len(sentence_units("The installation of\nCCTV cameras will start in May.")) == 1
        assert len(sentence_units("Community safety\nCCTV cameras will start in May.")) == 2

    def test_rules_version_is_in_the_signature(self):
        assert CommitmentExtractor().to_dict()["init_parameters"]["rules_version"] == RULES_VERSION

    def test_lines_under_a_promising_lead_in_are_items_in_any_mood(self):
        units = [Unit("Opština se obavezuje da:"), Unit("a) postavi deset kamera na šetalištu;"),
                 Unit("b) zajedno sa policijom organizuje patrole;"),  # "sa" (with) is no Swedish "sa" (said)
                 Unit("Član 4"), Unit("Memorandum stupa na snagu danom potpisivanja.")]
        assert [d.commitment for d in classify_units(units, "cnr")] == [False, True, True, False, False]
        fa = ["طرف اول متعهد می‌شود:", "گزارش فصلی را به شورا ارسال کند.", "ماده ۴- تعهدات طرف دوم",
              "این متن دو صفحه دارد."]
        assert [d.commitment for d in classify_units(fa, "fa")] == [False, True, False, False]

    def test_a_list_number_cut_off_by_the_splitter_joins_its_item(self):
        text = "طرف اول متعهد می‌شود:\n۳-۱. گزارش فصلی را به شورا ارسال کند.\n"
        assert [u.text for u in sentence_units(text)] == ["طرف اول متعهد می‌شود:", "۳-۱. گزارش فصلی را به شورا ارسال کند."]

    def test_title_lines_are_not_commitments_even_with_a_cue_word(self):
        units = ["III. OBAVEZE OPŠTINE PLJEVLJA", "My pledges to women and girls, 2024–2028",
                 "Polisen ska öka närvaron i centrum under kvällarna varje helg."]
        assert [d.commitment for d in classify_units(units, None)] == [False, False, True]


class TestPersianPlans:
    """How Persian police and municipal plans state what will be done, beyond خواهد + past stem:
    the present tense for the near future, meeting decisions, undertakings and lettered clauses.
    The sentences are written for these tests."""

    @pytest.mark.parametrize(
        ("sentence", "rule"),
        [
            # present tense of a planned action, active (needs an agent) and passive, any ZWNJ spelling
            ("شهردار منطقه ۲ افزود: شهرداری روشنایی معابر کم‌نور محله را تا پایان آذرماه اصلاح می کند.",
             "fa.plan_present_active"),
            ("معاون اجتماعی پلیس گفت: ماموران کلانتری با همکاری شورایاران جلسات ماهانه با اهالی برگزار می‌کنند.",
             "fa.plan_present_active"),
            ("رئیس پلیس پیشگیری گفت: گشت‌های محسوس در پارک‌های شهر از هفته آینده تقویت میشود.",
             "fa.plan_present_passive"),
            ("برای هر محله یک افسر رابط با شماره تماس مشخص معرفی می‌شود.", "fa.plan_present_passive"),
            ("در صورت موفقیت، طرح از ابتدای سال ۱۴۰۵ به سایر مناطق تعمیم داده می‌شود.", "fa.plan_present_passive"),
            ("۱۰ سالن ورزشی در تابستان به‌صورت رایگان در اختیار نوجوانان قرار می‌گیرد.", "fa.plan_present_passive"),
            # meeting decisions and agreements
            ("مقرر شد شهرداری نسبت به نصب دوربین در ورودی بوستان‌ها اقدام کند.", "fa.decision"),
            ("مقرر گردید کلانتری ۱۲ گزارش ماهانه را به شورای تامین ارسال نماید.", "fa.decision"),
            ("فرماندهی انتظامی و شهرداری توافق کردند که پایگاه مشترک در محله راه‌اندازی شود.", "fa.decision"),
            ("طرح ساماندهی دستفروشان در جلسه شورا به تصویب رسید.", "fa.decision"),
            # undertakings, intentions, promises in the first person
            ("اداره کل بهزیستی مسئولیت اسکان موقت زنان آسیب‌دیده را بر عهده می‌گیرد.", "fa.undertake"),
            ("پلیس در نظر دارد طرح ارتقای امنیت اجتماعی را در ۱۲ محله اجرا کند.", "fa.intend"),
            ("به مردم قول می‌دهیم که امنیت ایام نوروز را برقرار کنیم.", "fa.intend"),
            # a news lead announcing what is still to come
            ("فرمانده انتظامی استان از آغاز طرح زمستانی پلیس در ۲۰ شهر از ابتدای دی‌ماه خبر داد.", "fa.announced_plan"),
            # hamza and harakat spellings are one word (تأمین = تامین)
            ("شهرداری هزینه تجهیز پایگاه‌ها را تأمین می‌کند.", "fa.plan_present_active"),
        ],
    )
    def test_plan_cues(self, sentence, rule):
        assert rule in CommitmentClassifier().cues(sentence, "fa"), sentence

    @pytest.mark.parametrize(
        "sentence",
        [
            "طرح امنیت محله محور سال گذشته در ۴۰ محله اجرا شد.",  # past
            "وی گفت: متأسفانه این طرح در سال ۱۴۰۲ اجرا نمی‌شد.",  # negated past habit
            "کارشناسان پیش‌بینی می‌کنند نرخ سرقت در سال آینده کاهش خواهد یافت.",  # prediction
            "این تفاهم‌نامه با توافق طرفین قابل تمدید خواهد بود.",  # a possibility, not a promise
            "مدارس مختلف زبان‌های گوناگونی آموزش می‌دهند.",  # a habit
            "مدیر مدرسه پس از آن سخنرانی تصمیم گرفت کلاس جدیدی راه بیندازد.",  # one person's past decision
            "رئیس پلیس آگاهی از دستگیری ۱۰ سارق و کشف اموال مسروقه خبر داد.",  # news of a past event
            "شهردار از آغاز ساخت پارک محله در سال گذشته خبر داد.",
        ],
    )
    def test_look_alikes(self, sentence):
        assert not classify_commitment(sentence, "fa"), sentence

    def test_an_agent_binds_the_active_present(self):
        # the same verb without anyone who could commit describes, it does not promise
        assert not classify_commitment("نور خورشید فضای پارک را روشن و هوا را گرم تامین می‌کند.", "fa")
        assert classify_commitment("شهرداری روشنایی پارک را تامین می‌کند.", "fa")

    def test_lettered_and_dashed_clauses_under_an_agreement_lead_in(self):
        text = ("ماده ۵- تعهدات مشترک\nطرفین توافق می‌کنند که:\n"
                "الف) کمیته مشترکی از نمایندگان دو طرف تشکیل شود و هر دو ماه یک بار\nجلسه بگذارد.\n"
                "ب) بروشورهای آموزشی در مدارس توزیع شود.\n"
                "۳- ارزیابی مشترک پس از یک سال انجام گیرد.\n"
                "ماده ۶- مدت تفاهم‌نامه\n")
        units = sentence_units(text)
        decisions = classify_units(units, "fa")
        items = [u.text for u, d in zip(units, decisions) if d.commitment]
        # the lead-in's verb (توافق می کنند) promises, so its clauses count in the subjunctive; a
        # lettered item keeps its hard-wrapped second line; the next article's title ends the list
        assert items == ["الف) کمیته مشترکی از نمایندگان دو طرف تشکیل شود و هر دو ماه یک بار\nجلسه بگذارد.",
                         "ب) بروشورهای آموزشی در مدارس توزیع شود.", "۳- ارزیابی مشترک پس از یک سال انجام گیرد."]
        assert [list_marker(t) for t in ("الف) کمیته", "هـ) نصب", "۳- ارزیابی", "ماده ۶- مدت", "2024-2025 plan")] == \
            ["number", "number", "number", None, None]


class TestListsAndLookAlikes:
    """Where a pledge list ends, and clauses that look like promises in sv/hbs/sw/any language."""

    def test_a_number_that_goes_back_starts_the_next_section(self):
        text = ("3. Ahadi za Polisi\n\nPolisi watatekeleza yafuatayo:\n1. Kuanzisha vituo vidogo vya polisi.\n"
                "2. Kuendesha doria za boti kila wiki.\n\n4. Ufuatiliaji na tathmini\n\n"
                "Taarifa ya robo mwaka itatolewa.\n")
        units = sentence_units(text)
        got = [u.text for u, d in zip(units, classify_units(units, "sw")) if d.list_item]
        assert got == ["1. Kuanzisha vituo vidogo vya polisi.", "2. Kuendesha doria za boti kila wiki."]

    def test_sub_numbers_and_letters_stay_in_one_list(self):
        units = ["Opština se obavezuje da:", "1. postavi kamere;", "1.1. na šetalištu;", "1.2. u Starom gradu;",
                 "2. popravi rasvjetu;", "a) na plaži;", "b) u parku."]
        assert all(d.list_item for d in classify_units(units, "cnr")[1:])

    def test_a_lead_in_that_announces_lead_ins_is_their_context(self):
        units = ["Nakon sastanka dogovoreno je sljedeće:", "Policija će:", "– pojačati patrole oko škola;",
                 "– dostavljati mjesečne izvještaje.", "Opština će:", "– popraviti rasvjetu u parku."]
        decisions = classify_units(units, "cnr")
        # the announcing lead-in is no decision of its own: its sub-lead-ins and their items are
        assert [d.commitment for d in decisions] == [False, False, True, True, False, True]
        # sibling lead-ins hang under the announcing one, not under each other
        assert [d.heading_index for d in decisions] == [None, 0, 1, 1, 0, 4]

    def test_items_under_a_lead_in_that_only_names_an_organisation(self):
        fa = ["شهرداری یزد:", "۱- ده پارک محله را تا پایان مهرماه روشن می‌کند.",
              "۲- دوربین‌های نظارتی در ورودی بوستان‌ها نصب می‌کند.", "اداره بهزیستی استان:",
              "- ۱۲۰ مددجو", "- ۴۵ خانوار"]
        # present-tense items complete the body named above them; bare figures under a name do not
        assert [d.commitment for d in classify_units(fa, "fa")] == [False, True, True, False, False, False]
        en = ["Kent Police:", "- increase patrols in the harbour area at weekends;", "- publish crime maps monthly.",
              "Maidstone Borough Council:", "- Town Hall, High Street, Maidstone", "- Tel 01622 602000"]
        assert [d.commitment for d in classify_units(en, "en")] == [False, True, True, False, False, False]
        # a lead-in with a verb is a sentence, not a name
        assert not CommitmentClassifier().actor_lead_in("The Council noted:", "en")

    def test_a_lead_in_ending_in_the_future_auxiliary_or_naming_duties(self):
        hbs = ["JU Dom zdravlja Tivat će:", "• do kraja godine uvesti savjetovalište za roditelje;",
               "• odrediti kontakt osobu za škole."]
        assert [d.commitment for d in classify_units(hbs, "cnr")] == [False, True, True]
        sw = ["UWAVIMO kitakuwa na wajibu wa:", "(a) kuteua walinzi wawili wa soko;",
              "(b) kukusanya ada ya ulinzi kila wiki."]
        assert [d.commitment for d in classify_units(sw, "sw")] == [False, True, True]
        assert [list_marker(t) for t in ("(a) kuteua", "(iv) Mr Smith", "(see below) x")] == ["number", "number", None]

    def test_past_tense_items_under_a_reporting_lead_in_are_facts(self):
        units = ["The following points were highlighted:", "- burglaries had fallen from 80 to 52;",
                 "- officers dealt with 14 reports of fly-tipping;", "- the council will install two cameras.",
                 "In response to questions, the following was noted:",
                 "(i) Councillor Hale asked about lighting on the towpath.",
                 "(ii) the Inspector would review patrol times in the village."]
        # an item's own cue still promises; a non-past item stays an item
        assert [d.commitment for d in classify_units(units, "en")] == [False, False, False, True, False, False, True]
        sv = ["Följande noterades:", "- antalet inbrott hade minskat;", "- polisen har genomfört tre kontroller."]
        assert [d.commitment for d in classify_units(sv, "sv")] == [False, False, False]

    def test_a_capitalised_marked_line_is_a_section_title(self):
        units = ["Policija se obavezuje da:", "1. pojača patrole;", "2. dostavlja izvještaje.", "V. ZAJEDNIČKE ODREDBE"]
        assert [d.commitment for d in classify_units(units, "cnr")] == [False, True, True, False]

    def test_party_clauses_of_an_agreement_are_not_items(self):
        units = ["Sporazum je zaključen između:", "1. Opštine Kotor, koju zastupa predsjednik (u daljem tekstu: Opština),",
                 "2. Uprave policije, koju zastupa direktor."]
        assert [d.commitment for d in classify_units(units, "cnr")] == [False, False, False]
        assert not classify_commitment("The Council, represented by its Chief Executive, shall sign.", "en")

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("Vi använder kakor för att webbplatsen ska fungera.", "sv"),  # purpose clause
            ("Personalen vet inte vilka tecken de ska vara uppmärksamma på.", "sv"),  # indirect question
            ("Målet är att väntetiden ska kortas.", "sv"),  # an aim
            ("Vi räknar med att fler föräldrar kommer att söka stöd.", "sv"),  # an expectation
            ("Načelnik očekuje da će se broj krađa smanjiti.", "cnr"),
            ("Ovaj memorandum ne stvara finansijske obaveze za potpisnike.", "cnr"),
            ("Sporazumom se uređuju međusobna prava i obaveze strana.", "cnr"),
            # offices and names that look like a duty or a fused future ("uradiću")
            ("Sastanku je prisustvovao vršilac dužnosti direktora Uprave policije.", "cnr"),
            ("Načelnik je lani razriješen dužnosti, a novi je stupio na dužnost u maju.", "cnr"),
            ("Savjet je juče boravio u Nikšiću i razgovarao sa načelnikom.", "cnr"),
            ("Wametia saini mkataba utakaotekelezwa hadi Desemba.", "sw"),  # a relative future qualifies a noun
            # cookie notices: site chrome ("kolačiće" even reads as a fused future)
            ("Opština Kotor | Njegoševa 1\nOva stranica koristi kolačiće kako bi vam omogućila bolje iskustvo.", "cnr"),
            ("Our council website uses cookies and we will remember your choices.", "en"),
        ],
    )
    def test_look_alikes(self, sentence, language):
        assert not classify_commitment(sentence, language), sentence

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("Kommunen ska anställa två fältassistenter för att fler vuxna ska finnas ute.", "sv"),
            ("Kommunen ansvarar för att lokalerna ska vara öppna på kvällarna.", "sv"),
            ("Opština ima obavezu da postavi rasvjetu.", "cnr"),
            ("Uradićemo sve da se rasvjeta postavi u Nikšiću do juna.", "cnr"),
            ("Vršilac dužnosti direktora policije će pojačati patrole.", "cnr"),
            ("Mkutano wa wazazi utafanyika mwezi ujao.", "sw"),
        ],
    )
    def test_the_main_clause_still_promises(self, sentence, language):
        assert classify_commitment(sentence, language), sentence

    def test_minutes_items_under_a_reported_lead_in(self):
        units = ["The Inspector stated that:", "- a named officer would visit each estate monthly;",
                 "- the drugs unit would prioritise threats against children.", "Any other business",
                 "The Inspector reported that:", "- 40 homes had been searched."]
        assert [d.commitment for d in classify_units(units, "en")] == [False, True, True, False, False, False]

    def test_a_date_on_the_next_line_does_not_cut_the_sentence(self):
        text = "(vii) Mkutano wa hadhara wa wazazi na walezi utafanyika tarehe\n01/03/2025 katika shule ya msingi.\n"
        assert [u.text for u in sentence_units(text)] == [text.strip()]

    def test_persian_actors_from_role_nouns_and_cleaned_names(self):
        assert sentence_actors("اداره کل آموزش و پرورش استان متعهد است:", "fa", []) == ["آموزش و پرورش"]
        assert sentence_actors("فرمانده انتظامی شهرستان گفت: گشت‌ها افزایش می‌یابد.", "fa", []) == ["فرماندهی انتظامی"]
        # a "شهرداری + next word" name that took in a function word
        assert clean_organisations(["شهرداری که", "شهرداری و", "شهرداری مشهد"]) == ["شهرداری", "شهرداری مشهد"]


class TestSwedishProtocolsPledgesAndNews:
    """The three Swedish document kinds of issue sv-genres: a protocol's "att"-clause decisions, pledge
    lists under lead-ins without a colon, and news that states a plan in the present tense."""

    PROTOCOL = ("§ 4 Trygghet vid stationen\n"
                "Kommunpolisen redovisade att antalet anmälda rån har ökat med 20 procent.\n"
                "Rådet beslutar\n"
                "att polisen under våren genomför fyra kontroller vid stationen,\n"
                "att fritidsförvaltningen tar fram en plan för kvällsöppet samt\n"
                "att informationen läggs till handlingarna.\n")

    def test_att_clauses_under_a_bare_decision_lead_in_are_their_actors_commitments(self):
        units = sentence_units(self.PROTOCOL)
        texts = [u.text for u in units]
        # each clause is a unit of its own (the clauses end in "," and "samt", not ".")
        assert texts[2:] == ["Rådet beslutar", "att polisen under våren genomför fyra kontroller vid stationen,",
                             "att fritidsförvaltningen tar fram en plan för kvällsöppet samt",
                             "att informationen läggs till handlingarna."]
        got = [d.commitment for d in classify_units(units, "sv")]
        # the report of a statistic, the lead-in and the clause without an actor are no commitments
        assert got == [False, False, False, True, True, False]
        assert classify_units(units, "sv")[3].rules == ("ctx.decision_clauses",)

    def test_a_beslut_heading_and_an_inline_decision(self):
        units = [Unit("§ 7 Beslut"), Unit("att Vallby Bostäder röjer buskaget vid gångtunneln,"),
                 Unit("att lägga redovisningen till handlingarna.")]
        assert [d.commitment for d in classify_units(units, "sv")] == [False, True, False]
        inline = "Beslut: Nämnden beslutade att socialtjänsten bjuder in föräldrarna till ett möte i maj."
        assert CommitmentClassifier().cues(inline, "sv") == ("sv.decision",)
        # a decision to approve, with no actor of its own, promises nothing
        assert classify_commitment("Nämnden beslutade att godkänna redovisningen.", "sv") is False

    def test_pledge_lead_ins_without_a_colon_open_their_lists(self):
        units = ["Polisens löften", "• ha en träff per månad med föreningarna", "• genomföra kontroller",
                 "Kommunen åtar sig att", "– förbättra belysningen", "Dela"]
        assert [d.commitment for d in classify_units(units, "sv")] == [False, True, True, False, True, False]
        # the same words as a title over prose open nothing
        assert [d.commitment for d in classify_units(["Polisens löften", "Läs mer om arbetet här."], "sv")] \
            == [False, False]

    def test_a_lead_in_line_ends_its_line_before_lower_case_items(self):
        text = "Vi lovar att\ngenomföra fler trygghetsvandringar i centrum under året."
        assert soft_line_breaks(text) == []
        got = classify_units(sentence_units(text), "sv")
        assert [d.commitment for d in got] == [False, True]

    @pytest.mark.parametrize("plan, not_plan", [
        ("I sommar anställer kommunen 45 ungdomar som trygghetsvärdar.",
         "Kommunen brukar anställa ungdomar under sommaren."),  # a habit
        ("Under hösten inför polisen fler kontroller vid busstationen.",
         "Under hösten införde polisen fler kontroller vid busstationen."),  # past
        ("Från och med januari öppnar Ekby kommun en ny fritidsgård.",
         "Polisen patrullerar i centrum varje helg under sommaren."),  # a habit
        ("Socialförvaltningen startar nästa vecka en kampanj mot langning.",
         "Brotten förväntas minska under hösten."),  # a prediction
        ("Under hösten ökar polisen närvaron vid stationen.",
         "Under hösten ökar brotten mot kommunen."),  # a trend: the organisation is no subject
        ("I sommar anställer kommunen fler ungdomar.",
         "I sommar anställer kommunen fler ungdomar, sade kommunalrådet."),  # reported
        ("Kommunen fattar beslut om budgeten den 3 mars.",
         "Polisen uppger att mannen greps den 3 mars."),  # a report with a date
        ("Under hösten utökar polisen patrullerna i centrum.",
         "Under hösten är polisen på plats i centrum."),  # a state
    ])
    def test_present_tense_with_a_time_ahead_is_a_plan(self, plan, not_plan):
        assert CommitmentClassifier().cues(plan, "sv") == ("sv.plan_time_ahead",)
        assert classify_commitment(not_plan, "sv") is False

    def test_an_item_that_tells_what_we_will_report_is_no_quotation(self):
        units = ["Tillsammans lovar vi att:", "– bjuda in till ett möte i maj där vi berättar vad som har gjorts"]
        assert [d.commitment for d in classify_units(units, "sv")] == [False, True]

    def test_a_reminder_of_a_rule_is_no_commitment(self):
        assert classify_commitment("Polisen påminde om att klotter ska polisanmälas.", "sv") is False
        assert classify_commitment("Polisen ska polisanmäla klotter.", "sv") is True


class TestEnglishMinutesAndNews:

    @pytest.mark.parametrize("text", [
        "ACTION: Ms Hale to circulate the revised data-sharing protocol to members by 14 March.",
        "Action – Inspector Owusu to report the results of the test purchases to the next meeting.",
    ])
    def test_an_action_log_entry_is_a_commitment(self, text):
        assert CommitmentClassifier().cues(text, "en") == ("en.action_item",)

    def test_an_action_heading_without_a_task_is_none(self):
        assert classify_commitment("Actions from the previous meeting: all complete.", "en") is False

    @pytest.mark.parametrize("reported, prediction", [
        ("The borough council said it would fit doorbell cameras for every repeat victim.",
         "A resident said the new lights would make people feel safer."),  # no agent that can commit
        ("Police announced that officers would patrol the seafront every evening in August.",
         "The inspector said crime would probably fall next year."),
    ])
    def test_a_reported_plan_needs_an_agent(self, reported, prediction):
        assert classify_commitment(reported, "en") is True
        assert classify_commitment(prediction, "en") is False

    def test_plural_organisations_can_commit(self):
        text = "The three councils – Ashby, Burton and Coalville – will open a joint licensing hub in May."
        assert classify_commitment(text, "en") is True


class TestCapitals:

    @pytest.mark.parametrize("text, capitals", [
        ("V. ZAJEDNIČKE ODREDBE", True), ("3. ÅTGÄRDER", True), ("MAJUKUMU YA HALMASHAURI", True),
        ("Kommunen lovar", False),
        ("۵-۲. برای هر خودروی سرویس برچسب QR نصب کند.", False),  # Persian is uncased: an acronym is no title
    ])
    def test_only_cased_scripts_are_in_capitals(self, text, capitals):
        assert in_capitals(text, min_letters=4) is capitals

    def test_an_acronym_does_not_end_a_persian_list(self):
        units = ["طرف دوم متعهد می‌شود:", "۵-۱. پروانه رانندگان را تمدید کند.",
                 "۵-۲. برای هر خودرو برچسب دارای کد QR نصب کند.", "۵-۳. شکایات والدین را ظرف ۴۸ ساعت رسیدگی کند."]
        assert [d.commitment for d in classify_units(units, "fa")] == [False, True, True, True]


class TestClauseNumbers:

    def test_clause_numbers_without_a_full_stop_are_list_items(self):
        units = ["Halmashauri inakubali:", "4.1 Kuendesha zoezi la kupiga chapa kwa ng'ombe.",
                 "4.2 Kuchapisha vitabu vipya vya vibali."]
        assert [d.commitment for d in classify_units(units, "sw")] == [False, True, True]

    def test_a_clause_number_after_lettered_items_ends_their_list(self):
        units = ["4.3 Members of the pubwatch agree to:", "a) operate a shared banning scheme;",
                 "b) use plastic glasses on event nights.", "5. Monitoring and review",
                 "5.3 This agreement is a statement of intent between the partners."]
        assert [d.commitment for d in classify_units(units, "en")] == [False, True, True, False, False]

    def test_a_time_of_day_is_no_list_item(self):
        assert list_marker("10.30 Meeting opens") == "number"  # read as a marker; what follows decides
        assert classify_commitment("10.30 Coffee and registration", "en") is False

    def test_sub_clauses_of_a_numbered_lead_in_are_its_items(self):
        units = ["5. The union undertakes to:", "5.1 register every part it buys;", "5.2 report suspect sellers.",
                 "6. Expected results"]
        assert [d.commitment for d in classify_units(units, "en")] == [False, True, True, False]


class TestLeadInsWithoutAColon:

    @pytest.mark.parametrize("lead_in", [
        "If elected as your commissioner, I pledge to;",
        "My promises to the people of Riverton are as follows…",
        "My promises to the people of Riverton are as follows...",
    ])
    def test_an_ellipsis_or_a_semicolon_opens_a_list(self, lead_in):
        units = [lead_in, "- keep every rural police station open at weekends;",
                 "- answer every letter from a resident within ten days;", "- publish the force's response times monthly."]
        assert [d.commitment for d in classify_units(units, "en")] == [False, True, True, True]

    def test_an_item_ending_in_a_semicolon_is_no_lead_in(self):
        units = ["The council will:", "- light the underpass;", "- repair the footbridge;", "- fund two wardens."]
        assert [d.is_heading for d in classify_units(units, "en")] == [True, False, False, False]

    def test_a_sentence_ending_in_a_semicolon_without_a_list_is_no_lead_in(self):
        units = ["The police have made progress;", "Burglaries fell by a tenth last year."]
        assert [d.is_heading for d in classify_units(units, "en")] == [False, False]


class TestSwahiliPreparedTo:

    @pytest.mark.parametrize("sentence", [
        "Jeshi la Polisi wilayani limejipanga kuimarisha doria katika masoko yote wakati wa sikukuu.",
        "Halmashauri imejipanga vyema kujenga vibanda vipya vya walinzi mwaka huu.",
        "Tumejipanga kuwalinda wananchi wote wakati wa uchaguzi.",
    ])
    def test_jipanga_ku_is_a_commitment(self, sentence):
        assert classify_commitment(sentence, "sw") is True

    def test_jipanga_without_an_infinitive_is_none(self):
        assert classify_commitment("Wafanyabiashara walijipanga mstari mrefu sokoni jana.", "sw") is False


class TestRealPagesDevBehaviour:
    """Session 8: behaviours learnt from the real pages' dev pool (`benchmarks/realpages/dev`), on
    sentences written for the tests."""

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("Nästa steg är att ta fram en gemensam lägesbild för hela länet.", "sv"),
            ("The next step is to open a second drop-in centre.", "en"),
            ("Halmashauri imeamua kujenga kituo cha polisi jamii katika kila kata.", "sw"),
            ("Jeshi la Polisi laahidi kuongeza doria za usiku sokoni.", "sw"),
            ("Plan rada predviđa postavljanje rasvjete na svim školskim stazama.", "cnr"),
            ("Usvojeni su zaključci kojima se traži popuna upražnjenih radnih mjesta.", "bs"),
            ("Nadzor nad kamerama će se vršiti u lokalnoj policijskoj stanici.", "cnr"),
            ("شهردار از اجرای طرح روشنایی معابر در ده محله خبر داد.", "fa"),
            ("The funding will see new lighting installed on every footpath.", "en"),
            ("Ward officers have been instructed to visit every school once a term.", "en"),
            ("Nu går arbetet in i nästa fas, som blir att anlita en trygghetsvärd.", "sv"),
            ("Savjet je usvojio zaključak da policija pojača patrole oko škola.", "cnr"),
            ("Forum zahtijeva od komunalne policije da ukloni napuštena vozila.", "bs"),
            ("Formiran je tim koji će izraditi plan bezbjednosti za ljetnju sezonu.", "cnr"),
            ("Nitazungumza na viongozi wa kata kuhusu doria za usiku.", "sw"),
        ],
    )
    def test_new_cues(self, sentence, language):
        assert classify_commitment(sentence, language), sentence

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("Mzee huyo ameamua kuhamia mjini na familia yake.", "sw"),  # one person's decision
            ("Alisema endapo wananchi watashirikiana na polisi uhalifu utapungua.", "sw"),  # a condition
            ("Prognoza predviđa kišu u većem dijelu zemlje.", "cnr"),  # 'predicts', no action noun
            ("Alla ska vara och känna sig trygga i centrum.", "sv"),  # a vision, not a pledge
            ("The charity hopes that the scheme will continue next year.", "en"),
            ("Its impact on the force will be transformational.", "en"),
            ("Polisi inawatakia Watanzania wote sikukuu njema.", "sw"),
            ("Ona je navela smjernice koje treba slijediti.", "cnr"),
        ],
    )
    def test_not_commitments(self, sentence, language):
        assert not classify_commitment(sentence, language), sentence

    def test_a_list_item_of_several_sentences_is_one_commitment(self):
        text = ("I will:\n"
                "- Work with the council to light every underpass. I will also ask for monthly checks.\n"
                "- Require a named officer for each ward.\n")
        doc = Document(id="t", content=text, meta={"language": "en", "organisations": []})
        got = CommitmentExtractor().run([doc])["commitments"]
        assert [c.content for c in got] == [
            "- Work with the council to light every underpass. I will also ask for monthly checks.",
            "- Require a named officer for each ward."]
        assert text[got[0].meta["start"]:got[0].meta["end"]] == got[0].content

    def test_a_list_run_into_one_line_is_split_at_its_semicolons(self):
        text = ("Na sastanku su usvojeni zaključci: građani su zadovoljni saradnjom; policija će obići sve škole; "
                "opština će obezbijediti rasvjetu.\n")
        units = [u.text for u in sentence_units(text)]
        assert units == ["Na sastanku su usvojeni zaključci:", "građani su zadovoljni saradnjom",
                         "policija će obići sve škole", "opština će obezbijediti rasvjetu."]

    def test_an_english_subject_ends_at_its_verb(self):
        actors = subject_actors("Members of the Safer Riverton Partnership renewed their pledge to end violence.", "en", [])
        assert actors == ["Members of the Safer Riverton Partnership"]

    def test_a_news_agency_reports_and_does_not_commit(self):
        assert clean_organisations(["خبرگزاری مهر", "شهرداری کرج"]) == ["شهرداری کرج"]

    def test_a_plan_or_a_fund_as_subject_is_no_actor(self):
        assert subject_actors("The funding will see new lighting installed.", "en", []) == []
        assert subject_actors("Elaborat predviđa instaliranje kamera.", "cnr", []) == []

    def test_a_subject_ends_before_its_means(self):
        actors = subject_actors("Alisema kwamba Jeshi hilo kupitia kitengo hicho limeamua kuanzisha mpango.", "sw",
                                ["Jeshi la Polisi"])
        assert actors == ["Jeshi la Polisi"]

    def test_money_keeps_its_currency(self):
        assert extract_quantities("The council will invest £45,000 in new lighting.", "en") == ["£45,000"]


class TestRealPagesSeenBehaviour:
    """Session 9: behaviours learnt from all four real-page pools (read by then), on sentences
    written for the tests."""

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("Koordinator projekta biće angažovan u radu savjetovališta.", "cnr"),
            ("On je rekao da će policijski službenici pojačati kontrole kod škola.", "cnr"),
            ("Djeci će kroz ovaj program biti dostupna besplatna savjetovanja.", "cnr"),
            ("Načelnik je najavio održavanje akcije bezbjednosti u saobraćaju.", "cnr"),
            ("Zadatak savjeta do kraja godine je izraditi plan prevencije.", "cnr"),
            ("Därför har kommunstyrelsen tagit beslutet att anställa två trygghetsvärdar.", "sv"),
            ("Vid sammanträdet beslutades om en förlängning av medborgarlöftet.", "sv"),
            ("Polisen och kommunen lovar utöver detta att arbeta för fler trygghetsvandringar.", "sv"),
            ("För att minska brotten kommer polisen i samverkan med kommunen under 2025 att:", "sv"),
            ("Fifty extra officers have been promised by the new commissioner.", "en"),
            ("I pledge 200 more officers on the streets of the county.", "en"),
            ("New cameras are set to be installed at the bus station.", "en"),
            ("Vijiji vyote vimetakiwa kuanzisha vikundi vya ulinzi shirikishi.", "sw"),
            ("برای کاهش سرقت، طرح گشت شبانه را در دستور کار داریم.", "fa"),
            ("برای مسافران نوروزی ۱۲ پایگاه امداد پیش بینی شده است.", "fa"),
            ("Idrottsföreningarna har tillfrågats om att nattvandra varje helg i sommar.", "sv"),
        ],
    )
    def test_new_cues(self, sentence, language):
        assert classify_commitment(sentence, language), sentence

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("Mještani su izrazili nadu da će dogovor biti ispoštovan.", "cnr"),  # a hope
            ("Udruženje je najavilo da će razmotriti mogućnost novog kodeksa.", "cnr"),  # to consider
            ("Kriminal će pasti, kaže policija.", "cnr"),  # the agent is far from the clitic
            ("Insatserna som kommunen valt ska bidra till en tryggare stad.", "sv"),  # a purpose
            ("Det ska vara tryggt att gå hem på kvällen.", "sv"),  # a vision
            ("Polisen lovar inte att det blir lugnt.", "sv"),  # no promise
            ("Crime rates are set to rise next year.", "en"),  # a forecast without an agent
            ("Wananchi wametakiwa kutoa taarifa za uhalifu.", "sw"),  # citizens urged
            ("پیش بینی شده است که بارش ها بیشتر شود.", "fa"),  # predicted that
        ],
    )
    def test_not_commitments(self, sentence, language):
        assert not classify_commitment(sentence, language), sentence

    def test_lines_that_open_alike_are_items_not_one_wrapped_sentence(self):
        text = ("Policing in your area will be:\n"
                "The police and the council will answer every letter within ten days\n"
                "The police and the council will publish their results every quarter\n")
        units = [u.text for u in sentence_units(text)]
        assert units[1:] == ["The police and the council will answer every letter within ten days",
                             "The police and the council will publish their results every quarter"]

    def test_a_wrapped_sentence_is_still_one_unit(self):
        text = ("The council will fund new lighting in the underpasses and the parks of the\n"
                "Riverside ward before the end of the year.\n")
        assert len(sentence_units(text)) == 1

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("Watu wanapaswa kushiriki katika ulinzi wa mitaa yao.", "sw"),
            ("خانواده ها باید زودتر از منزل خارج شوند.", "fa"),
            ("Građani treba da prijave svaki sumnjiv događaj policiji.", "cnr"),
            ("Cilj savjeta je stvoriti okvir koji će osigurati bolju saradnju.", "cnr"),
            ("Joint activities will include, but will not be limited to, press releases.", "en"),
        ],
    )
    def test_appeals_aims_and_boilerplate_are_not_commitments(self, sentence, language):
        assert not classify_commitment(sentence, language), sentence

    @pytest.mark.parametrize(
        ("sentence", "language", "organisations", "expected"),
        [
            ("Det är socialförvaltningen som kommer att samordna nattvandringarna.", "sv", ["Ekby kommun"],
             ["socialförvaltningen"]),
            ("The police and the council will answer every letter.", "en", [], ["Police", "the council"]),
            # "police" is not the first noun of the commissioner's title
            ("The police will be there when needed.", "en", ["Police and Crime Commissioner for Riverton"], ["Police"]),
            ("Minst tio vuxna ska vara ute varje fredag.", "sv", [], []),
            ("Alisema wameandaa mikutano ya hadhara wiki ijayo.", "sw", [], []),
            ("Savjet je usvojio zaključak da policija pojača patrole.", "cnr", ["Policijska stanica Ravno"],
             ["Policijska stanica Ravno"]),
        ],
    )
    def test_actors(self, sentence, language, organisations, expected):
        assert subject_actors(sentence, language, organisations) == expected

    def test_a_bids_interventions_are_listed_commitments_and_priorities_are_not(self):
        bid = ("Riverton identified three interventions in its bid:\n"
               "- Upgrade of CCTV in the town centre\n- Improved lighting in the station car park\n")
        plan = "In 2023 the partnership identified two priorities:\n• Tackle anti-social behaviour;\n• Reduce re-offending.\n"
        docs = [Document(id=i, content=text, meta={"language": "en", "organisations": []}) for i, text in (("b", bid), ("p", plan))]
        got = [c.content for c in CommitmentExtractor().run(docs)["commitments"]]
        assert got == ["- Upgrade of CCTV in the town centre", "- Improved lighting in the station car park"]


class TestSealed7And8Behaviour:
    """Session 11: behaviours learnt from the real-page pools sealed7 and sealed8 (held out in
    session 10, read since), on sentences written for the tests."""

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("Eftersom förvaltningen fått uppdraget att upphandla ordningsvakter blir det dyrare.", "sv"),
            ("Vid fullmäktiges möte bestämdes att kommunen skulle införa ett trygghetspaket.", "sv"),
            ("Police bosses in the district have banned motorbike taxis from working after midnight.", "en"),
            ("Mkuu wa wilaya amelitaka Jeshi la Polisi kuhakikisha linafanyia kazi taarifa zote za ukatili.", "sw"),
            ("Na sjednici je prihvaćen prijedlog policijske uprave da se ponovo tiska letak sa savjetima.", "cnr"),
            ("Zaključak sastanka je da zajedničke sastanke treba nastaviti i naredne godine.", "cnr"),
            ("У школама ће се у наредних мјесец дана предузети мјере за безбједност ученика.", "cnr"),
            ("На састанцима родитељи ће бити упознати са безбједносним догађајима.", "cnr"),
            ("The Commissioner has instructed the sub-county security committees to hold weekly meetings.", "en"),
            ("At its July meeting the Committee resolved to make a recommendation to the council.", "en"),
            ("The county officials said they will involve elders in the peace committees.", "en"),
        ],
    )
    def test_new_cues(self, sentence, language):
        assert classify_commitment(sentence, language), sentence

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("We do not want to see a situation where residents have to close their shops early.", "en"),
            ("Officers said the council would welcome any information about sellers.", "en"),
            ("Police in the town have drawn up an action plan to combat anti-social behaviour.", "en"),
            ("Informationsinsatser ska ge förutsättningar att arbeta förebyggande.", "sv"),
            ("Polisens bedömning är att antalet bedrägerier inte kommer att minska.", "sv"),
            ("Löftet innehåller åtgärder som polisen och kommunen lovar att genomföra.", "sv"),
            ("Fokus i årets medborgarlöften kommer att ligga på unga vuxna.", "sv"),
            ("Mhadhiri amewataka viongozi wa vijiji kwenda kushauri masuala ya ulinzi.", "sw"),  # advice, no body tasked
        ],
    )
    def test_not_commitments(self, sentence, language):
        assert not classify_commitment(sentence, language), sentence

    def test_a_lead_in_with_a_long_subject_opens_its_list(self):
        text = ("Det här ska polisen och kommunen genomföra tillsammans\n"
                "• Samverka med socialtjänsten för att tidigt sätta in stöd\n"
                "• Informationskampanjer till vårdnadshavare\n")
        doc = Document(id="t", content=text, meta={"language": "sv", "organisations": []})
        got = [c.content for c in CommitmentExtractor().run([doc])["commitments"]]
        assert got == ["• Samverka med socialtjänsten för att tidigt sätta in stöd", "• Informationskampanjer till vårdnadshavare"]


class TestSealed9To12Behaviour:
    """Session 13: general behaviours learnt from the real-page pools sealed9 … sealed12 (held out
    in sessions 11 and 12, read since), on sentences written for the tests."""

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            # a future without a named agent, with a time ahead (`TIME_BOUND_FUTURES`)
            ("Installation of the new street cameras will begin in early March.", "en"),
            ("They will be walking the town centre from next Friday.", "en"),
            ("Utbildningen av trygghetsvärdarna kommer att starta i början av februari.", "sv"),
            ("Deset kontakt-policajaca bit će odabrano 12. svibnja.", "cnr"),
            ("Watafanya doria za usiku kuanzia wiki ijayo katika mitaa yote ya kata.", "sw"),
            # the present progressive with a time ahead is an arrangement
            ("A night shelter for young people is being opened in the old library next month.", "en"),
            # an order in the simple past
            ("The county commissioner directed the chiefs to close all illegal brewing dens.", "en"),
        ],
    )
    def test_new_cues(self, sentence, language):
        assert classify_commitment(sentence, language), sentence

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("Crime will fall, the report predicts.", "en"),  # no agent, no time ahead
            ("There will be people out to cause trouble this summer.", "en"),  # existential
            ("Inom kort kommer äldre webbläsare inte att fungera på sidan.", "sv"),  # negated
            ("Officers are investigating a break-in at the sports hall.", "en"),  # progressive, nothing ahead
            ("Du ska alltid ringa 112 när ett brott pågår.", "sv"),  # advice to the reader
            ("Var försiktig om du ska skriva under ett avtal på telefon.", "sv"),
        ],
    )
    def test_not_commitments(self, sentence, language):
        assert not classify_commitment(sentence, language), sentence

    def test_the_agent_rule_still_decides_without_a_time(self):
        assert classify_commitment("The council will install new street lights.", "en")
        assert not classify_commitment("The new street lights will make residents feel safer.", "en")

    @pytest.mark.parametrize(
        ("text", "language"),
        [
            ("Eight wardens are so far trained to go out in the town and they will be patrolling from Friday night.", "en"),
            ("Så snart det är möjligt ska fyra vakter anställas.", "sv"),
            ("Тог дана биће појачано присуство полиције.", "cnr"),
        ],
    )
    def test_a_clause_or_a_time_is_no_actor(self, text, language):
        assert subject_actors(text, language, []) == []

    def test_an_adverb_after_the_subject_is_not_part_of_it(self):
        assert subject_actors("The Mayor today will open the new youth centre.", "en", []) == ["Mayor"]


class TestSealed3And4Behaviour:
    """Session 10: behaviours learnt from the real-page pools sealed3 and sealed4 (held out in
    session 9, read since), on sentences written for the tests."""

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("Inför sommaren kommer extra ordningsvakter sättas in vid stationen.", "sv"),
            ("Ordningsvakter kommer att ha utökad rondering i centrum under helgerna.", "sv"),
            ("Mot bakgrund av enkäten lovar Ekby lokalpolisområde och Ekby kommun att arbeta mot langning.", "sv"),
            ("The operation will bring together officers from across the county.", "en"),
            ("Residents can expect to see more foot patrols in the town centre this summer.", "en"),
            ("Jeshi la Polisi limepiga marufuku disko toto katika kumbi zote za starehe.", "sw"),
            ("Polisi mkoani humo imetangaza operesheni ya kuwakamata madereva wanaovunja sheria.", "sw"),
            ("Školama je naloženo da u roku od 15 dana izrade plan bezbjednosti.", "cnr"),
            ("Na terenu će biti prisutni pripadnici saobraćajne policije.", "cnr"),
            ("Tokom vikenda će se provoditi pojačan nadzor prometa.", "cnr"),
            ("تا پایان سال جاری یک مرکز مشاوره خانواده راه اندازی خواهد شد.", "fa"),
            ("Polisen fortsätter arbetet mot langning till unga under hösten.", "sv"),
            ("In March there will be a Force-wide education phase for parents.", "en"),
            ("Det kommer att finnas poliser på plats hela natten.", "sv"),
            ("Pubs and bars will each pay £1,000 a year to fund taxi marshals.", "en"),
            ("Varje år kommer minst en tillsyn av alla som säljer tobak att göras.", "sv"),
            ("Vid föräldramöten kommer information (alkohol, narkotika, tobak) att ges.", "sv"),
            ("Polisen och kommunen har valt att skapa ett medborgarlöfte om narkotika.", "sv"),
            ("The County Commissioner has instructed the security committees to meet every fortnight.", "en"),
            ("Booklets will be made available at every library in the county.", "en"),
            ("Mkuu wa wilaya ameagiza kuundwa kwa kamati za wazee katika kila kijiji.", "sw"),
            ("U narednom periodu radit će se na unaprjeđenju sistema video nadzora.", "cnr"),
            ("Danas počinje realizacija projekta zajedničkih patrola.", "cnr"),
        ],
    )
    def test_new_cues(self, sentence, language):
        assert classify_commitment(sentence, language), sentence

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("The request will then be subject to an assessment.", "en"),  # no passive: nobody acts
            ("Många kommer tillbaka till stan efter sommaren.", "sv"),  # 'kommer tillbaka' is no future
            ("Det kommer snart ett nytt beslut från regeringen.", "sv"),
            ("People will see the results of the survey in spring.", "en"),  # no patrol is promised
            ("Bedrägerierna mot äldre fortsätter öka i landet.", "sv"),  # a trend goes on, no actor
            ("There will be people intent on crime this summer.", "en"),  # no agent after 'there will be'
            ("Crime will be lower next year, police say.", "en"),  # the agent only reports
            ("Orkanen kommer först att färdas över halvön.", "sv"),  # 'färdas' is no passive
            ("Överenskommelsen beskriver vilka problem parterna har valt att samverka kring.", "sv"),
            ("The comments directed at me tend to be political.", "en"),
            ("Jaka kiša proširit će se u utorak na cijelu regiju.", "cnr"),  # reflexive, a forecast
            ("Mkuu wa wilaya amewaagiza wananchi kutoa taarifa za wahalifu.", "sw"),  # citizens are urged
            ("Vi vill att alla ska känna sig trygga på krogen.", "sv"),  # a wish
            ("Enligt alkohollagen ska kommunen återkalla tillståndet.", "sv"),  # what the law requires
            ("Utredningen ska ge svar på om kamerabevakning är möjlig.", "sv"),  # what a study is to find out
            ("För tillstånd måste det finnas dokumenterade brott.", "sv"),  # 'finnas' is no passive
            ("Projekt se zove Policija poručuje: zaštitimo naše noniće.", "cnr"),  # a noun, not a fused future
        ],
    )
    def test_not_commitments(self, sentence, language):
        assert not classify_commitment(sentence, language), sentence

    def test_a_bracketed_tag_names_the_items_actor(self):
        text = ("Medborgarlöfte 2025\nPolisen och kommunen lovar att:\n"
                "Minst en trafikkontroll varje vecka i kommunen. (Polisen)\n"
                "Kontroll av gångtunnlar fyra gånger per år. (Kommunen)\n")
        doc = Document(id="t", content=text, meta={"language": "sv", "organisations": ["Ekby kommun"]})
        got = [(c.content, c.meta["actors"], c.meta["actors_source"]) for c in CommitmentExtractor().run([doc])["commitments"]]
        assert got == [("Minst en trafikkontroll varje vecka i kommunen. (Polisen)", ["Polisen"], "tag"),
                       ("Kontroll av gångtunnlar fyra gånger per år. (Kommunen)", ["Ekby kommun"], "tag")]

    @pytest.mark.parametrize(
        ("text", "language", "expected"),
        [
            ("Inför årets sommar har Ekby kommun identifierat flera insatser för en tryggare kommun.\n"
             "Som exempel kan nämnas:\n• Lovskola för ungdomar\n• Fler ordningsvakter i centrum\n", "sv",
             ["• Lovskola för ungdomar", "• Fler ordningsvakter i centrum"]),
            ("This winter the partnership plans new measures for the town centre.\n"
             "These include:\n- Taxi marshals on Saturday nights\n- Better lighting in the underpass\n", "en",
             ["- Taxi marshals on Saturday nights", "- Better lighting in the underpass"]),
            # measures already carried out are examples of the past, not a plan
            ("Under året genomförde polisen flera insatser i centrum.\n"
             "Som exempel kan nämnas:\n• Trygghetsvandringar i parken\n• Kontroller av mopeder\n", "sv", []),
        ],
    )
    def test_an_examples_lead_in_after_measures_ahead_opens_their_list(self, text, language, expected):
        doc = Document(id="t", content=text, meta={"language": language, "organisations": []})
        assert [c.content for c in CommitmentExtractor().run([doc])["commitments"]] == expected

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("Utifrån lägesbilden lovar Ekby kommun att arbeta mot langning.", "sv"),  # an adverbial, not the subject
            ("The operation will gather teams from across the force.", "en"),  # run by someone else
            ("Residents will see more patrols in the town centre.", "en"),
        ],
    )
    def test_adverbials_and_operations_are_no_subject(self, sentence, language):
        assert subject_actors(sentence, language, []) == []


class TestSealed13And14Behaviour:
    """Session 15: general behaviours learnt from the real-page pools sealed13 and sealed14 (held out
    in sessions 13 and 14, read since), on sentences written for the tests."""

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            # orders with a long or a nominal object, and in the passive
            ("The district commissioner has ordered closure of all bars near primary schools.", "en"),
            ("The county commissioner ordered all the hawkers trading outside the two market gates to leave by Monday.", "en"),
            ("Village elders are being ordered to keep a register of newcomers.", "en"),
            ("Mkuu wa wilaya ametoa onyo kwa wezi na kuagiza kuwa kila kijiji kiweke walinzi.", "sw"),
            ("Madiwani wameadhimia kufanya msako kila wiki.", "sw"),  # the spelling of -azimia in the press
            # the progressive with the holidays ahead
            ("Neighbourhood officers are extending their evening patrols over the summer holidays.", "en"),
            # Persian plans: employing, putting into effect, placed on the agenda, assigned, covered
            ("امسال نیمی از ظرفیت گشت‌های پلیس برای امنیت مدارس به‌کارگیری می‌شود.", "fa"),
            ("پلیس از روز اول مهر طرح ترافیکی مدارس را به اجرا می‌گذارد.", "fa"),
            ("ساماندهی پارک‌های شهر در دستور کار شهرداری قرار گرفت.", "fa"),
            ("جمع‌آوری معتادان تا پایان سال بر عهده سازمان بهزیستی گذاشته شده است.", "fa"),
            ("این طرح سپس در کل استان پوشش داده می‌شود.", "fa"),
        ],
    )
    def test_new_cues(self, sentence, language):
        assert classify_commitment(sentence, language), sentence

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("If no extra funding arrives, we will have fewer officers next year.", "en"),  # a condition
            ("We will do everything in our power to keep residents safe.", "en"),  # resolve, no action
            ("شهرداری از هیچ تلاشی برای امنیت پارک‌ها دریغ نخواهد کرد.", "fa"),
            ("The mayor said the council was committed to working with residents.", "en"),  # a stance
            ("The new cameras will help to reduce crime in the square.", "en"),  # a benefit claimed
            ("The minister was confident the assembly will approve the budget.", "en"),
            ("Ni lazima kuimarisha ulinzi nyakati zote.", "sw"),  # a need, nobody named to act
            ("Officers patrolled the park during the summer holidays.", "en"),  # the holidays are past
            ("روشنایی پارک‌ها در دستور کار قرار گرفت و در سال گذشته اجرایی شد.", "fa"),  # placed there and done
        ],
    )
    def test_not_commitments(self, sentence, language):
        assert not classify_commitment(sentence, language), sentence

    def test_we_will_help_is_still_a_promise(self):
        assert classify_commitment("We will help victims of fraud to report what happened.", "en")

    def test_a_lead_in_that_only_announces_its_list_is_no_commitment_without_one(self):
        units = ["Kommunen och polisen har kommit fram till att följande prioriteringar ska göras:",
                 "Polisen lovar att genomföra trafikkontroller vid skolorna."]
        assert [d.commitment for d in classify_units(units, "sv")] == [False, True]


class TestSealed15And16Behaviour:
    """Session 16: general behaviours learnt from the real-page pools sealed15 and sealed16 (held out
    in session 15, read since) and from counting each rule's hits over every read pool, on sentences
    written for the tests."""

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            # opinions and needs, not promises: 'must', '-paswa', 'wajibu wa', 'treba' without 'nastaviti'
            ("This is a problem which must be addressed by the government.", "en"),
            ("Vikundi vya ulinzi vinapaswa kushirikiana na polisi.", "sw"),
            ("Jeshi la polisi lina wajibu wa kutoa mafunzo kwa vikundi.", "sw"),
            ("Saradnja policije i opštine je važna, na čemu se posebno treba raditi.", "sr"),
            # predictions and conditions
            ("شهردار گفت: نصب دوربین‌ها باعث کاهش سرقت در شهر خواهد شد.", "fa"),
            ("رانندگان متخلف در صورت تکرار به دادگاه معرفی خواهند شد.", "fa"),
            ("I druge općine su to napravile pa ćemo vjerojatno morati i mi.", "hr"),
            # a surname in the dative is no fused future
            ("Gradonačelnik se zahvalio direktoru policije Marku Petroviću na posjeti.", "sr"),
            # what residents are asked, and what a pledge describes
            ("Vi vill veta vad du tycker att polisen och kommunen ska arbeta med nästa år.", "sv"),
            ("Medborgarlöftet beskriver de åtaganden som polisen och kommunen ska fokusera på.", "sv"),
            # a priority placed on the agenda; an appeal; a child urged
            ("این موضوع به عنوان یکی از اولویت‌های شهرستان در دستور کار قرار گرفته است.", "fa"),
            ("With the campaign week beginning on Monday, councils are urging residents to check callers.", "en"),
            ("Mtoto wako anatakiwa kuwa shuleni kila siku.", "sw"),
        ],
    )
    def test_not_commitments(self, sentence, language):
        assert not classify_commitment(sentence, language), sentence

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("هزار پلیس افتخاری در مراسم به کار گرفته می‌شود.", "fa"),  # is employed
            ("طرح امنیت مدارس تا پایان سال تحصیلی ادامه دارد.", "fa"),  # goes on until the end of the year
            ("Mkuu wa kituo aliwataka viongozi wa mitaa kufuatilia watoto wote wasiofika shuleni.", "sw"),
            ("På fredag kväll genomför kommunen och polisen en trygghetsvandring i centrum.", "sv"),
            ("Na sastanku je ocijenjeno da policija i opština trebaju nastaviti zajedničke patrole.", "sr"),  # should continue
        ],
    )
    def test_new_cues(self, sentence, language):
        assert classify_commitment(sentence, language), sentence

    def test_items_under_a_past_lead_in_announcing_the_following_state_what_was_done(self):
        units = ["Discussion and questions from Members included the following:",
                 "- The joint approach with the voluntary sector was welcomed.",
                 "- Road safety remained a concern.",
                 "- The council will publish a new plan in May."]
        assert [d.commitment for d in classify_units(units, "en")] == [False, False, False, True]

    def test_items_under_a_present_lead_in_of_activities_are_pledged(self):
        units = ["Kommunen genomför följande aktiviteter under 2027:",
                 "• utbildningsinsatser för trygghetsvandrare",
                 "• slyröjning kring gång- och cykelvägar"]
        assert [d.commitment for d in classify_units(units, "sv")] == [False, True, True]

    def test_a_lone_dash_opens_a_quotation_whose_sentences_stand_alone(self):
        quotation = ("Vijeće je raspravljalo o kamerama.\n\n- Općina će prvo postaviti rasvjetu, rekao je načelnik. "
                     "Kako doznajemo, prvo mjesto na kojem će se postaviti kamere je vrtić.\n\nSjednica je završena.")
        listed = ("Općina će:\n\n- Postaviti rasvjetu. Kamere dolaze poslije.\n- Održati sastanak s roditeljima.\n")
        got = CommitmentExtractor().run([Document(id="q", content=quotation, meta={"language": "hr"}),
                                          Document(id="l", content=listed, meta={"language": "hr"})])["commitments"]
        by_doc = {doc: [c.content for c in got if c.meta["doc_id"] == doc] for doc in ("q", "l")}
        assert any(c.startswith("Kako doznajemo") for c in by_doc["q"]), by_doc
        assert "- Postaviti rasvjetu. Kamere dolaze poslije." in by_doc["l"], by_doc


class TestActorsTaskedAndJointPledges:
    """Session 17: who acts, from the actor mismatches of every read real-page pool, on sentences
    written for the tests: the tasked act, not the speaker who tasks them; a medborgarlöfte is the
    municipality's and the police's."""

    @staticmethod
    def actors(text: str, language: str, organisations: list[str] | None = None) -> list[list[str]]:
        doc = Document(id="a", content=text, meta={"language": language, "organisations": organisations or []})
        return [c.meta["actors"] for c in CommitmentExtractor().run([doc])["commitments"]]

    @pytest.mark.parametrize(
        ("sentence", "language", "tasked"),
        [
            ("The county commissioner has instructed the ward security committees to meet every two weeks.",
             "en", "ward security committees"),
            ("Mkuu wa Mkoa amelitaka Jeshi la Polisi kuhakikisha doria zinafanyika kila usiku.", "sw", "Jeshi la Polisi"),
            ("فرماندار از شهرداری خواست تا پایان سال دوربین‌های جدید نصب کند.", "fa", "شهرداری"),
        ],
    )
    def test_the_tasked_act(self, sentence, language, tasked):
        assert tasked_actors(sentence, language, []) == [tasked]

    def test_a_bcms_body_tasks_as_a_council_does(self):
        text = "Koordinaciono telo zadužuje direktore osnovnih škola da do kraja mjeseca dostave planove.\n"
        assert self.actors(text, "sr") == [["direktore osnovnih škola"]]

    def test_a_speakers_own_pledge_before_the_tasking_is_the_speakers(self):
        sentence = "Alisema watahakikisha askari wanakuwepo kila shule, pia amewataka wazazi wasaidie."
        assert tasked_actors(sentence, "sw", []) == []

    def test_a_swahili_tasking_by_an_infinitive(self):
        # "… and used the occasion to direct the police to …"; an item that opens with the infinitive
        # is its lead-in's tasking, its actor the lead-in's
        sentence = "Mkuu wa wilaya ametumia fursa hiyo kulielekeza Jeshi la Polisi kuruhusu vituo kufanya kazi saa 24."
        assert tasked_actors(sentence, "sw", []) == ["Jeshi la Polisi"]
        assert tasked_actors("Kuwaagiza maafisa wa ustawi kuwatembelea wazee kila mwezi.", "sw", []) == []

    def test_wanting_is_no_tasking(self):
        assert tasked_actors("Polisi walitaka kukamilisha doria mapema.", "sw", []) == []

    def test_a_medborgarlofte_is_the_municipalitys_and_the_polices(self):
        text = ("Medborgarlöfte för Exempelby 2027\n\n"
                "• Varje år kommer minst två trygghetsvandringar att genomföras.\n"
                "• Vi lovar att vi ska följa upp arbetet varje kvartal.\n")
        assert self.actors(text, "sv", ["Exempelby kommun"]) == [["Exempelby kommun", "Polisen"]] * 2

    def test_a_municipal_plan_that_is_no_medborgarlofte_keeps_its_organisations(self):
        text = "Trygghetsplan för Exempelby 2027\n\n• Varje år kommer minst två trygghetsvandringar att genomföras.\n"
        assert self.actors(text, "sv", ["Exempelby kommun"]) == [["Exempelby kommun"]]


class TestSealed17And18Behaviour:
    """Session 17: general behaviours learnt from the real-page pools sealed17 and sealed18 (held out
    in session 16, read once sealed19 and sealed20 were sealed and run), on sentences written for
    the tests."""

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            # futures of verbs that do not end in -a
            ("Askari wa doria watawakabili wahalifu wote wa mifugo mwezi ujao.", "sw"),
            ("Halmashauri itakarabati taa zote za barabarani kabla ya sikukuu.", "sw"),
            # news and minutes
            ("New youth diversion schemes are to be rolled out in three estates.", "en"),
            ("Meetings of the new sub-groups are to take place before the summer.", "en"),
            ("In the town centre a number of patrols are planned, including late-night foot patrols.", "en"),
            ("Councillor Byrne proposed and Councillor Doyle seconded that a letter be sent to the Minister.", "en"),
            ("Officers are increasing patrols in the weeks leading up to Christmas.", "en"),
            # a present tense that sets out to act, or is dated ahead
            ("Kommunen satsar på att ha fler vuxna ute under höstlovet.", "sv"),
            ("Under skolavslutningen sker nattvandringar den 12 och 13 juni.", "sv"),
            # the subject between "će" and its verb may be up to five words long
            ("Ministar je najavio da će u toku ove godine MUP zaposliti nove policajce.", "sr"),
        ],
    )
    def test_new_cues(self, sentence, language):
        assert classify_commitment(sentence, language), sentence

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            ("Wazazi wanatakiwa kuenzi maadili ya Kitanzania kila siku.", "sw"),  # not a -ta- future
            ("Shughuli hizo watakavyoshiriki wananchi bado hazijaelezwa.", "sw"),  # a relative, not a future
            ("Our focus will be on doing it better.", "en"),
            ("Offenders should stop now or the law will deal with them.", "en"),
            ("It was proposed and agreed that Standing Orders be suspended.", "en"),
            ("Članovi vijeća složili su se kako postoji problem s parkiranjem.", "hr"),
            ("Jeshi la Polisi linawatahadharisha wale wote ambao watakuwa wakisafiri kuwa makini.", "sw"),
            ("Vi tror inte att det kommer att vara stökigt i helgen.", "sv"),
            ("Kommunen satsar mycket på trygghet.", "sv"),  # no "att": no pledge of an action
            ("Nästa möte hålls den 17 september.", "sv"),  # the date of the next meeting
        ],
    )
    def test_not_commitments(self, sentence, language):
        assert not classify_commitment(sentence, language), sentence


class TestActorNamesThatAreNoActors:
    """Session 21: actors that came out as a verb, an adverb, a preposition or a thing on the read
    pools, on sentences written for the tests."""

    @pytest.mark.parametrize(
        ("sentence", "language"),
        [
            # a pronoun subject: the actor is named elsewhere, not by a later clause
            ("I will keep every station open, while the current Commissioner is closing them.", "en"),
            ("Under sommaren kommer vi att utöka fritidsgården och stödet till föreningarna.", "sv"),
            ("Varje höst kommer det att genomföras kontroller hos de som säljer alkohol.", "sv"),
            ("Men vi kommer även att finnas vid skolorna.", "sv"),
            ("Två av dem ska arbeta i centrum på kvällarna.", "sv"),
            # BCMS: the speaker's own future, a passive with the verb before "će", an action, a means
            ("Poseban naglasak stavit ćemo na sigurnost učenika.", "hr"),
            ("Nadzor na javnom mjestu provoditi će se svakodnevno.", "hr"),
            ("Postavljanje kamera biće završeno do ljeta.", "bs"),
            ("Sporazumom je predviđeno da se otvore dvije nove stanice.", "sr"),
            ("Stoga će građani moći prijaviti probleme anonimno.", "hr"),
            ("Iz Ministarstva su najavili da će se kontrole nastaviti.", "sr"),
            # things and plans
            ("The cameras will record around the clock.", "en"),
            ("Advice will also be available at the library.", "en"),
            ("The new Community Safety Plan for Ashford will include three priorities.", "en"),
            ("Ø The report would go to Cabinet in March.", "en"),
            ("Kampanjen kommer att synas i sociala medier.", "sv"),
        ],
    )
    def test_no_subject_is_named(self, sentence, language):
        assert subject_actors(sentence, language, []) == []

    @pytest.mark.parametrize(
        ("sentence", "language", "actors"),
        [
            # a verb of saying: the reported clause's subject acts, unless it is a pronoun (then the speaker)
            ("The Community Safety Manager said the City Council would install new lighting.", "en", ["City Council"]),
            ("At the meeting on Friday, the county commissioners said they will recruit more reservists.", "en",
             ["county commissioners"]),
            ("The Chief Inspector equally ordered all the kiosks near the school to close at nine.", "en", ["Chief Inspector"]),
            ("Članovi gradskog vijeća organizirat će tribinu za roditelje.", "hr", ["Članovi gradskog vijeća"]),
            ("Udruženje Roditelji će organizovati predavanja u školama.", "bs", ["Udruženje Roditelji"]),
            # a possessive after a noun is no pronoun subject
            ("Wazee wa vijiji na wasaidizi wao watafanya doria kila usiku.", "sw", ["Wazee wa vijiji na wasaidizi wao"]),
        ],
    )
    def test_the_subject_is_named_without_the_verb(self, sentence, language, actors):
        assert subject_actors(sentence, language, []) == actors

    def test_a_tasked_persian_pronoun_is_no_actor(self):
        assert tasked_actors("استاندار از آنها خواست تا پایان ماه گزارش بدهند.", "fa", []) == []

    def test_a_persian_name_ends_before_its_verb(self):
        actors = subject_actors("اداره کل امنیتی استانداری قرار است ده دوربین نصب کند.", "fa", [])
        assert actors and not any("قرار" in actor for actor in actors)
