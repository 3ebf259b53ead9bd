"""Mark the query's words in a passage: `<mark>…</mark>` around matches, everything else HTML-escaped.

A simple, honest approach, with no claim to find translations. A passage word is marked when
- one of its index terms (casefolded, normalised, stopwords dropped, stemmed for en/sv/hbs/fa,
  as the BM25 analysis of `index.sparse` does) equals a term of the query, the query being
  analysed both in its own language and in the passage's (so a Swedish name in an English
  question still meets its Swedish inflections); or
- it and a query word (both 5+ letters, not stopwords) are one a prefix of the other
  (Gotland / Gotlands, medborgarlöfte / medborgarlöftet).
A cross-lingual hit usually shares only names and numbers with its query, so it may have no marks.
"""

from __future__ import annotations

import html
import re
import unicodedata

from index.sparse import analyze

_WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f\u064b-\u065f\u0670\u200c])*")
_MIN_PREFIX = 5


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold().replace("\u200c", "")


def query_terms(query: str, languages: list[str | None]) -> tuple[set[str], set[str]]:
    """The query's index terms under each language, and its long surface words for prefix matches."""
    terms: set[str] = set()
    for language in dict.fromkeys(languages):
        terms.update(analyze(query, language))
    surface = set()
    for match in _WORD.finditer(query):
        word = _fold(match.group())
        if len(word) >= _MIN_PREFIX and not word.isdigit() and any(analyze(match.group(), lang) for lang in dict.fromkeys(languages)):
            surface.add(word)
    return terms, surface


def highlight(text: str, query: str, query_language: str | None, passage_language: str | None) -> str:
    """`text` HTML-escaped, with the words matching `query` wrapped in `<mark>` and `</mark>`."""
    terms, surface = query_terms(query, [query_language, passage_language])
    if not terms and not surface:
        return html.escape(text)
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if _matches(word, passage_language, terms, surface):
            out.append(html.escape(text[last:match.start()]))
            out.append(f"<mark>{html.escape(word)}</mark>")
            last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _matches(word: str, language: str | None, terms: set[str], surface: set[str]) -> bool:
    word_terms = analyze(word, language)
    if not word_terms:
        return False  # a stopword or no letters
    if any(term in terms for term in word_terms):
        return True
    folded = _fold(word)
    if len(folded) < _MIN_PREFIX:
        return False
    return any(folded.startswith(q) or q.startswith(folded) for q in surface)
