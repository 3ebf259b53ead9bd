"""Highlighting: which passage words are marked for a query, and that the rest is escaped, untouched."""

from __future__ import annotations

import html

from api.highlight import highlight


def marked(result: str) -> list[str]:
    return [part.split("</mark>")[0] for part in result.split("<mark>")[1:]]


def test_inflected_forms_and_prefixes_are_marked_and_stopwords_are_not():
    text = "Gotlands kommun och polisen lovar trygghetsvandringar i Visby."
    result = highlight(text, "Gotland police and the municipality", "en", "sv")
    assert marked(result) == ["Gotlands"]
    result = highlight(text, "Vad lovar kommunen om trygghetsvandring?", "sv", "sv")
    assert marked(result) == ["kommun", "lovar", "trygghetsvandringar"]  # stems; "om", "vad" are stopwords


def test_a_query_word_that_is_a_prefix_of_a_passage_word_and_the_reverse():
    text = "Medborgarlöftet gäller Gotland."
    assert marked(highlight(text, "medborgarlöfte", None, None)) == ["Medborgarlöftet"]
    assert marked(highlight("Gotland", "Gotlandsmodellen", None, None)) == ["Gotland"]
    assert marked(highlight("Got it", "Gotlandsmodellen", None, None)) == []  # shorter than 5 letters


def test_every_occurrence_is_marked_and_everything_else_is_escaped():
    text = '<b>Berane</b> & "Berane" – Berane\'s'
    result = highlight(text, "Berane", "cnr", "cnr")
    assert marked(result) == ["Berane", "Berane", "Berane"]
    assert result.replace("<mark>", "").replace("</mark>", "") == html.escape(text)


def test_a_passage_without_matches_comes_back_escaped():
    text = "Polisi na jamii <watafanya> kazi pamoja."
    assert highlight(text, "domestic violence", "en", "sw") == html.escape(text)
    assert highlight(text, "the and of", "en", "sw") == html.escape(text)  # a query of stopwords only
