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
from dataclasses import dataclass
from functools import lru_cache

from index.sparse import analyze

_WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f\u064b-\u065f\u0670\u200c])*")
_MIN_PREFIX = 5


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold().replace("\u200c", "")


@lru_cache(maxsize=65536)
def _word_terms(word: str, language: str | None) -> tuple[str, ...]:
    # Passages share most of their words: each word is analysed once per language, not once per hit.
    return tuple(analyze(word, language))


@dataclass(frozen=True)
class _QueryWords:
    """A query as highlighting matches it: its index terms under each language, and its long
    surface words, kept as the set of their prefixes and their lengths so that a prefix match
    in either direction is a few set lookups."""

    terms: frozenset[str]
    surface: frozenset[str]
    surface_prefixes: frozenset[str]
    surface_lengths: tuple[int, ...]

    def matches(self, word: str, language: str | None) -> bool:
        word_terms = _word_terms(word, language)
        if not word_terms:
            return False  # a stopword or no letters
        if any(term in self.terms for term in word_terms):
            return True
        folded = _fold(word)
        if len(folded) < _MIN_PREFIX:
            return False
        # folded is a prefix of a query word, or a query word is a prefix of folded
        return folded in self.surface_prefixes or any(folded[:n] in self.surface for n in self.surface_lengths)


@lru_cache(maxsize=1024)
def query_words(query: str, languages: tuple[str | None, ...]) -> _QueryWords:
    """The query's index terms under each language, and its long surface words for prefix matches."""
    terms: set[str] = set()
    for language in dict.fromkeys(languages):
        terms.update(analyze(query, language))
    surface = set()
    for match in _WORD.finditer(query):
        word = _fold(match.group())
        if len(word) >= _MIN_PREFIX and not word.isdigit() and any(analyze(match.group(), lang) for lang in dict.fromkeys(languages)):
            surface.add(word)
    prefixes = {word[:n] for word in surface for n in range(_MIN_PREFIX, len(word) + 1)}
    return _QueryWords(frozenset(terms), frozenset(surface), frozenset(prefixes), tuple(sorted({len(w) for w in surface})))


def highlight(text: str, query: str, query_language: str | None, passage_language: str | None) -> str:
    """`text` HTML-escaped, with the words matching `query` wrapped in `<mark>` and `</mark>`."""
    words = query_words(query, (query_language, passage_language))
    if not words.terms and not words.surface:
        return html.escape(text)
    out: list[str] = []
    last = 0
    decided: dict[str, bool] = {}  # a passage repeats many of its words
    for match in _WORD.finditer(text):
        word = match.group()
        hit = decided.get(word)
        if hit is None:
            hit = decided[word] = words.matches(word, passage_language)
        if hit:
            out.append(html.escape(text[last:match.start()]))
            out.append(f"<mark>{html.escape(word)}</mark>")
            last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)
