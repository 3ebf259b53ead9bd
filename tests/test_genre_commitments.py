"""The genre-set commitment scorer: span location, matching, counting and attribute checks."""

from __future__ import annotations

import json
import os

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

import pytest  # noqa: E402

from benchmarks import genre_commitments as gc  # noqa: E402
from benchmarks.genre_commitments import Gold, Locator, Pred  # noqa: E402
from ingest.commitments import CommitmentExtractor  # noqa: E402


def _gold(start, end, commitment=True, borderline=False, **kw):
    return Gold(doc_id="d", text="", commitment=commitment, borderline=borderline, start=start, end=end, **kw)


def _pred(start, end, **kw):
    return Pred(doc_id="d", text="", start=start, end=end, **kw)


class TestSpans:
    def test_half_of_the_shorter_span_is_enough(self):
        assert gc.spans_match((0, 100), (90, 110))  # 10 of the shorter 20
        assert not gc.spans_match((0, 100), (91, 111))  # 9 of 20
        assert gc.spans_match((0, 10), (0, 1000))  # a short gold inside a long prediction

    def test_no_overlap_or_empty_never_matches(self):
        assert not gc.spans_match((0, 10), (10, 20))
        assert not gc.spans_match((5, 5), (0, 10))

    def test_each_gold_and_each_prediction_once_by_largest_overlap(self):
        # one prediction covering two gold items matches the one it overlaps most
        assert gc.match_spans([(0, 10), (10, 30)], [(0, 30)]) == {1: 0}
        # two predictions over one gold: only one is matched
        assert gc.match_spans([(0, 20)], [(0, 12), (12, 20)]) == {0: 0}

    def test_a_weaker_pair_is_still_taken_when_its_partners_are_free(self):
        assert gc.match_spans([(0, 10), (10, 20)], [(0, 10), (8, 20)]) == {0: 0, 1: 1}


class TestCounting:
    def test_tp_fp_fn(self):
        gold = [_gold(0, 10), _gold(20, 30)]
        pred = [_pred(1, 10), _pred(40, 50)]
        s = gc.score_document(gold, pred)
        assert len(s.tp) == 1 and s.tp[0][0] is gold[0]
        assert s.fn == [gold[1]]
        assert [p for p, _ in s.fp] == [pred[1]]

    def test_borderline_counts_neither_way(self):
        gold = [_gold(0, 10, borderline=True), _gold(20, 30, borderline=True)]
        s = gc.score_document(gold, [_pred(0, 10)])
        assert (s.tp, s.fn, s.fp, s.borderline_matched) == ([], [], [], 1)

    def test_a_prediction_on_a_documented_non_commitment_is_a_named_false_positive(self):
        negative = _gold(0, 10, commitment=False)
        s = gc.score_document([negative], [_pred(0, 10), _pred(50, 60)])
        assert [(p.start, g) for p, g in s.fp] == [(0, negative), (50, None)]
        assert s.tp == [] and s.fn == []

    def test_gold_commitments_are_matched_before_non_commitments(self):
        positive, negative = _gold(0, 10), _gold(0, 9, commitment=False)
        s = gc.score_document([negative, positive], [_pred(0, 10)])
        assert len(s.tp) == 1 and s.fp == []

    def test_unlocated_gold_is_ignored(self):
        s = gc.score_document([_gold(-1, -1)], [])
        assert s.fn == []


class TestLocating:
    def test_whitespace_insensitive_with_original_offsets(self):
        text = "Rubrik\n\nKommunen  ska genomföra\ntrygghetsvandringar.\n"
        start, end = Locator(text).find("Kommunen ska genomföra trygghetsvandringar.")
        assert text[start:end] == "Kommunen  ska genomföra\ntrygghetsvandringar."

    def test_search_starts_at_the_given_offset(self):
        text = "Vi ska ses. Vi ska ses."
        assert Locator(text).find("Vi ska ses.", 5) == (12, 23)
        assert Locator(text).find("Vi ska ses.", 20) == (0, 11)  # none after: any occurrence
        assert Locator(text).find("saknas") is None

    def test_format_characters_are_ignored_on_both_sides(self):
        text = "po\u00adlisen ska"  # a soft hyphen, which the cleaner drops
        assert Locator(text).find("polisen ska") == (0, len(text))

    def test_gold_with_line_breaks_and_repeats_in_order(self):
        text = "1. Vi ska\nsamverka.\n2. Vi ska\nsamverka.\n"
        rows = [Gold("d", "Vi ska\nsamverka.", True), Gold("d", "Vi ska samverka.", True), Gold("d", "saknas", True)]
        lost = gc.locate_gold(rows, text)
        assert [(r.start, r.end) for r in rows[:2]] == [(3, 19), (23, 39)]
        assert lost == [rows[2]]


class TestAttributes:
    def test_quantities(self):
        assert gc.quantities_agree("tre", "3")
        assert gc.quantities_agree("5 trygghetsvandringar", "fem")
        assert gc.quantities_agree("۳ هزار", "3 هزار")
        assert gc.quantities_agree("1 000", "1000")
        assert gc.quantities_agree(None, None)
        assert not gc.quantities_agree("3", None)
        assert not gc.quantities_agree("18", "4")

    def test_actors_are_matched_tolerantly_and_as_sets(self):
        assert gc.actors_agree(["Uprava policije"], ["Uprave policije"])
        assert gc.actors_agree(["Kommunen"], ["Värnamo kommun"])
        assert not gc.actors_agree(["Kommunen"], ["Polisen"])
        assert not gc.actors_agree(["Kommunen", "Polisen"], ["Polisen"])
        assert not gc.actors_agree(["Polisen"], ["Polisen", "Region Gotland"])  # an extra actor is wrong
        assert gc.actors_agree([], [])


class TestEndToEnd:
    @pytest.fixture()
    def part(self, tmp_path):
        part = tmp_path / "dev"
        (part / "docs").mkdir(parents=True)
        (part / "docs" / "sv1.txt").write_text(
            "Medborgarlöfte 2024\n\nKommunen lovar att:\n\n"
            "- Genomföra tre trygghetsvandringar i centrum.\n"
            "- Erbjuda föräldrar stöd.\n\n"
            "Förra året hölls ett möte i Folkets hus.\n", encoding="utf-8")
        gold = [
            {"doc_id": "sv1", "text": "Genomföra tre trygghetsvandringar i centrum.", "actors": ["Kommunen"],
             "year": 2024, "quantity": "tre", "borderline": False, "commitment": True},
            {"doc_id": "sv1", "text": "Erbjuda föräldrar stöd.", "actors": ["Kommunen"], "year": 2024,
             "quantity": None, "borderline": True, "commitment": True},
            {"doc_id": "sv1", "text": "Förra året hölls ett möte i Folkets hus.", "actors": [], "year": None,
             "quantity": None, "borderline": False, "commitment": False},
        ]
        (part / "commitments.jsonl").write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold) + "\n",
                                                encoding="utf-8")
        (part / "docs.jsonl").write_text(json.dumps({"doc_id": "sv1", "language": "sv"}) + "\n", encoding="utf-8")
        return part

    def test_scores_a_tiny_set_through_the_ingestion_steps(self, part):
        # The rules alone decide here: this checks the scorer, on decisions known for this text
        # (the probe puts the short second item just under its threshold; its own tests are in
        # test_commitment_probe.py).
        report = gc.evaluate(part, extractor=CommitmentExtractor())
        assert report["overall"]["tp"] == 1 and report["overall"]["fn"] == 0
        assert report["overall"]["fp"] == 0  # the lead-in is context, the borderline item counts neither way
        assert report["borderline_matched"] == 1
        assert set(report["languages"]) == {"sv"}
        assert report["gold_not_found"] == [] and report["predictions_not_located"] == []
        assert report["attributes"]["quantity"]["pairs"] == 1

    def test_cli_json_and_bad_folder(self, part, capsys):
        assert gc.main(["--root", str(part.parent), "--part", "dev", "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["part"] == "dev" and "false_negatives" in out
        with pytest.raises(SystemExit):
            gc.main(["--root", str(part.parent), "--part", "sealed"])

    def test_gold_naming_an_unknown_document_is_an_error(self, part):
        with open(part / "commitments.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"doc_id": "nope", "text": "x", "commitment": True}) + "\n")
        with pytest.raises(ValueError, match="nope"):
            gc.evaluate(part)


def test_precision_by_basis_tells_listed_items_from_sentences(tmp_path):
    """A listed item (it has a lead-in as context) and a sentence on its own are counted apart."""
    part = tmp_path / "dev"
    (part / "docs").mkdir(parents=True)
    (part / "docs" / "sv1.txt").write_text(
        "Kommunen lovar att:\n\n- Genomföra tre trygghetsvandringar i centrum.\n\n"
        "Polisen ska öka patrulleringen vid skolorna under hösten.\n", encoding="utf-8")
    gold = [{"doc_id": "sv1", "text": "Genomföra tre trygghetsvandringar i centrum.", "commitment": True},
            {"doc_id": "sv1", "text": "Polisen ska öka patrulleringen vid skolorna under hösten.", "commitment": False}]
    (part / "commitments.jsonl").write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold) + "\n", encoding="utf-8")
    (part / "docs.jsonl").write_text(json.dumps({"doc_id": "sv1", "language": "sv"}) + "\n", encoding="utf-8")
    report = gc.evaluate(part)
    assert report["by_basis"]["listed"] == {"predicted": 1, "right": 1, "precision": 1.0}
    assert report["by_basis"]["sentence"] == {"predicted": 1, "right": 0, "precision": 0.0}
    assert "Precision by basis: listed 1.000 (1/1), sentence 0.000 (0/1)" in gc.render(report)


class TestJudgeAgreement:
    """`benchmarks.judge_agreement` scores one judge's commitments as an extractor's output against the other's."""

    def test_identical_judgements_agree_fully_and_borderline_counts_neither_way(self):
        from benchmarks.judge_agreement import agreement, as_judged

        judged = {"d": [_gold(0, 10), _gold(20, 30, borderline=True), _gold(40, 50, commitment=False)]}
        result = agreement(judged, as_judged(judged), {"d": "sv"})
        assert result["overall"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 1, "fp": 0, "fn": 0}
        assert result["languages"]["sv"]["tp"] == 1

    def test_a_missed_commitment_and_a_non_commitment_taken_for_one_are_counted(self):
        from benchmarks.judge_agreement import agreement, as_judged

        reference = {"d": [_gold(0, 10), _gold(20, 30), _gold(40, 50, commitment=False)]}
        other = {"d": [_gold(0, 10), _gold(40, 50), _gold(60, 70, commitment=False)]}
        overall = agreement(reference, as_judged(other), {"d": "en"})["overall"]
        assert (overall["tp"], overall["fp"], overall["fn"]) == (1, 1, 1)
        assert overall["f1"] == 0.5

    def test_the_lines_on_a_page_whose_text_is_missing_are_left_out_not_lost(self, tmp_path):
        from benchmarks.judge_agreement import judged

        lines = [{"doc_id": "present", "text": "Polisen ska patrullera.", "actors": [], "year": None, "quantity": None,
                  "borderline": False, "commitment": True},
                 {"doc_id": "missing", "text": "Kommunen ska tända lamporna.", "actors": [], "year": None,
                  "quantity": None, "borderline": False, "commitment": True}]
        path = tmp_path / "commitments-judge2.jsonl"
        path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
        by_doc, lost = judged(path, {"present": "Polisen ska patrullera. Mer text."})
        assert list(by_doc) == ["present"] and by_doc["present"][0].start == 0
        assert lost == []
