"""Mark the query's words in a passage: `<mark>…</mark>` around matches, everything else HTML-escaped.

A simple, honest approach, with no claim to find translations. A passage word is marked when
- one of its index terms (casefolded, normalised, stopwords dropped, stemmed for en/sv/hbs/fa,
  as the BM25 analysis of `core.analysis` does) equals a term of the query, the query being
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

from core.analysis import analyze

_WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f\u064b-\u065f\u0670\u200c])*")
_MIN_PREFIX = 5


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold().replace("\u200c", "")


_WORD_CACHE_LIMIT = 65_536  # (word, language) entries, as the lru_cache this replaced


class _WordAnalysis:
    """Per language: a passage word's index terms and, for words long enough to prefix-match, its
    folded form. Passages share most of their words, so each is analysed once per language."""

    def __init__(self) -> None:
        # Tuples of strings, not sets: the garbage collector stops tracking them, so a full cache
        # does not lengthen its passes.
        self._cache: dict[tuple[str, str | None], tuple[tuple[str, ...], str | None]] = {}

    def __call__(self, word: str, language: str | None) -> tuple[tuple[str, ...], str | None]:
        key = (word, language)
        found = self._cache.get(key)
        if found is None:
            folded = _fold(word)
            found = (tuple(analyze(word, language)), folded if len(folded) >= _MIN_PREFIX else None)
            if len(self._cache) >= _WORD_CACHE_LIMIT:
                self._cache.clear()  # a racing duplicate computation is harmless
            self._cache[key] = found
        return found


_analysis = _WordAnalysis()


@dataclass(frozen=True)
class _QueryWords:
    """A query as highlighting matches it: its index terms under each language, and its long
    surface words, with the set of their prefixes, so that a prefix match in either direction
    is a set lookup and one `startswith`."""

    terms: frozenset[str]
    surface: tuple[str, ...]
    surface_prefixes: frozenset[str]

    def matches(self, word: str, language: str | None) -> bool:
        terms, folded = _analysis(word, language)
        if not terms:
            return False  # a stopword or no letters
        if not self.terms.isdisjoint(terms):
            return True
        if folded is None:
            return False
        # folded is a prefix of a query word, or a query word is a prefix of folded
        return folded in self.surface_prefixes or folded.startswith(self.surface)


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
    return _QueryWords(frozenset(terms), tuple(sorted(surface)), frozenset(prefixes))


def highlight(text: str, query: str, query_language: str | None, passage_language: str | None) -> str:
    """`text` HTML-escaped, with the words matching `query` wrapped in `<mark>` and `</mark>`."""
    words = query_words(query, (query_language, passage_language))
    if not words.terms and not words.surface:
        return html.escape(text)
    # A passage repeats many of its words, and most passages have no match: decide each distinct
    # word once, and walk the passage only when something is marked.
    marked = {word for word in set(_WORD.findall(text)) if words.matches(word, passage_language)}
    if not marked:
        return html.escape(text)
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if word in marked:
            out.append(html.escape(text[last:match.start()]))
            out.append(f"<mark>{html.escape(word)}</mark>")
            last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)
