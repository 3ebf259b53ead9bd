"""BM25 sparse vectors: per-language text analysis and document-side term weighting.

The collection's sparse vector (``bm25``) is configured with ``modifier=IDF``: Qdrant keeps the
document frequencies and multiplies each matched term by its IDF at query time. So documents
carry the BM25 *term-frequency* part only,

    w(t, d) = tf · (k1 + 1) / (tf + k1 · (1 − b + b · |d| / avgdl))       (k1 = 1.2, b = 0.75)

with a fixed ``avgdl`` of 100 analysed terms (a 160-word window of each corpus document gives
94–105 terms after stopword removal; Qdrant cannot renormalise lengths later, so it is a
constant of the analysis and part of the signature), and a query
carries 1.0 for each distinct term. Terms map to indices by a stable 31-bit hash (the first four
bytes, big-endian, of the UTF-8 term's 64-byte BLAKE2b digest, masked to ``0x7FFFFFFF``), the
same in every process and on every machine;
Python's ``hash()`` is salted per process and must never be used for this. Terms are not
prefixed with their language: names, numbers and acronyms ("Surrey", "2023", "SIP") match across
languages, which is the only lexical cross-lingual match there is. Everything else in a query in
one language does not match a document in another, and that is expected: the dense vectors do
the cross-lingual work.

The terms come from `core.analysis.analyze` (per-language normalisation, stopwords, stems).
Changing anything above changes the terms of stored vectors: bump `core.analysis.ANALYSIS_VERSION` (it is part
of `SparseEncoder.signature`, which the ingestion pipeline folds into each document's
fingerprint, so changed analysis re-indexes documents).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter

from core.analysis import ANALYSIS_VERSION, PYSTEMMER_VERSION, analyze
from index.store.base import SparseVector

_HASH_MASK = 0x7FFFFFFF
_CACHE_LIMIT = 500_000


# ---------------------------------------------------------------- term indices
_INDEX_CACHE: dict[str, int] = {}


def term_index(term: str) -> int:
    """A term's sparse-vector index: stable across processes, machines and Python versions."""
    index = _INDEX_CACHE.get(term)
    if index is None:
        digest = hashlib.blake2b(term.encode("utf-8", "surrogatepass")).digest()  # 64-byte BLAKE2b
        index = int.from_bytes(digest[:4], "big") & _HASH_MASK
        if len(_INDEX_CACHE) >= _CACHE_LIMIT:
            _INDEX_CACHE.clear()
        _INDEX_CACHE[term] = index
    return index


# ---------------------------------------------------------------- encoder
class SparseEncoder:
    """Text → BM25 sparse vectors for the ``bm25`` sparse vector (Qdrant applies the IDF)."""

    def __init__(self, k1: float = 1.2, b: float = 0.75, avg_len: float = 100.0):
        if k1 < 0 or not 0 <= b <= 1 or avg_len <= 0:
            raise ValueError(f"invalid BM25 parameters k1={k1}, b={b}, avg_len={avg_len}")
        self.k1 = float(k1)
        self.b = float(b)
        self.avg_len = float(avg_len)

    @property
    def signature(self) -> str:
        """Names the analysis and weighting; stored vectors are stale when it changes."""
        return f"{ANALYSIS_VERSION}(k1={self.k1:g},b={self.b:g},avgdl={self.avg_len:g},pystemmer={PYSTEMMER_VERSION})"

    def document(self, text: str, language: str | None) -> SparseVector:
        """One passage's vector: BM25 term-frequency weights."""
        terms = analyze(text, language)
        if not terms:
            return SparseVector(indices=[], values=[])
        k1, b = self.k1, self.b
        norm = k1 * (1.0 - b + b * len(terms) / self.avg_len)
        weights: dict[int, float] = {}
        for t, tf in Counter(terms).items():
            index = term_index(t)
            weights[index] = weights.get(index, 0.0) + tf  # a hash collision adds the counts
        indices = sorted(weights)
        return SparseVector(indices=indices, values=[weights[i] * (k1 + 1.0) / (weights[i] + norm) for i in indices])

    def documents(self, texts: list[str], languages: list[str | None]) -> list[SparseVector]:
        """Vectors for passages, each analysed in its own language."""
        if len(texts) != len(languages):
            raise ValueError(f"{len(texts)} texts but {len(languages)} languages")
        return [self.document(text, language) for text, language in zip(texts, languages)]

    def query(self, text: str, language: str | None) -> SparseVector:
        """A query's vector: 1.0 per distinct term, analysed in the query's language."""
        indices = sorted({term_index(t) for t in analyze(text, language)})
        return SparseVector(indices=indices, values=[1.0] * len(indices))

    def __repr__(self) -> str:
        return f"SparseEncoder({self.signature})"


def idf(document_frequency: int, document_count: int) -> float:
    """Qdrant's IDF modifier, for offline checks: ln(1 + (N − n + 0.5) / (n + 0.5))."""
    return math.log(1.0 + (document_count - document_frequency + 0.5) / (document_frequency + 0.5))
