"""Sentence splitting and sentence-packing chunker for Ahadi (no downloaded models or data).

``split_sentences(text)`` returns ``(start, end)`` spans of sentence units: every non-empty
line is at least its own unit, and a line is split after ``. ! ? … ؟ ؛`` (optionally followed
by closing quotes/brackets) when whitespace follows, except

- inside numbers and dates (``03.03.2023``, ``3.5``, ``2020-02-24``: no whitespace follows);
- after a list number at the start of a line (``1. Under 2020 ska …``, ``a) …``, ``IV. …``);
- after an abbreviation (``t.ex. bl.a. m.fl. d.v.s. e.g. i.e. Mr. Dr. St. br. tj. itd.``
  and more, see ``ABBREVIATIONS``), a single-letter initial (``J. Smith``);
- when the next word starts with a lower-case letter (Serbo-Croatian ordinals
  ``2023. godine``, ``3. marta``; abbreviations not in the list);
- after the Persian "etcetera" ``و...``.

``SentenceChunker`` packs whole sentences into chunks of at most ``max_words`` words
(whitespace-separated), repeats the trailing whole sentences of the previous chunk (up to
``overlap_words`` words) at the start of the next, and splits a sentence longer than
``max_words`` at word boundaries. Chunk offsets are exact: ``doc.content[start:end] ==
chunk.content``, and chunks start and end on non-space characters.

Default ``max_words=40`` (``MAX_WORDS``), two or three sentences: the questions officers ask are
about one measure or promise, and in a longer passage that sentence is diluted by its neighbours,
so cross-lingual questions on the genre set found their document far more often with short
passages, at some cost to topical (headline) queries (BENCHMARKS.md, "Passage length"). Any
``max_words`` up to 160 keeps a chunk within the model's 512 tokens with the ``"passage: "``
prefix (see tests/test_chunking.py).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from haystack import Document, component, default_from_dict, default_to_dict, logging

logger = logging.getLogger(__name__)

#: Lower-cased abbreviations (without their final dot) after which a "." ends no sentence.
#: Only abbreviations that practically never end a sentence are listed ("etc.", "osv.",
#: "m.m." often do, so they are not).
ABBREVIATIONS: frozenset[str] = frozenset(
    """
    t.ex bl.a m.fl d.v.s dvs f.d fr.o.m t.o.m p.g.a o.d s.k jfr ca kl resp inkl exkl enl ang nr
    tel mfl bl ex kap st
    e.g i.e mr mrs ms dr prof vs approx dept fig jr gen gov sen rep hon rev
    br tj npr tzv itd sl ul str gđa gđica gosp dipl ing mr.sc
    bw bi dkt mhe mh ndg sh
    """.split()
)

MAX_WORDS = 40
OVERLAP_WORDS = 10
#: Sections: the same text cut again in longer pieces, embedded and stored beside the passages
#: (kind "section"), never shown. A document's rank blends its best passage with its best section:
#: the passage finds the one sentence that answers, the section what a whole stretch is about,
#: which topical questions need (BENCHMARKS.md, "Passages and sections").
SECTION_WORDS = 160
SECTION_OVERLAP_WORDS = 30

_BOUNDARY_RE = re.compile(r"([.!?…؟؛]+)([\"'”’»)\]}›]*)(?=\s)")
_LIST_MARKER_RE = re.compile(r"(?:\d{1,3}|[A-Za-z]|[IVXLCivxlc]{1,6})$")
_WORD_RE = re.compile(r"\S+")
_LINE_RE = re.compile(r"[^\n]+")


def _token_before(line: str, pos: int) -> str:
    """The whitespace-delimited token ending at ``pos`` (exclusive), opening brackets dropped."""
    start = pos
    while start > 0 and not line[start - 1].isspace():
        start -= 1
    return line[start:pos].lstrip("(\"'“‘«[")


def _is_boundary(line: str, match: re.Match[str], line_start_token: int) -> bool:
    punct = match.group(1)
    token = _token_before(line, match.start(1))
    after = line[match.end() :].lstrip()
    if not after:
        return True
    next_char = after[0]
    if punct.endswith(".") and not punct.endswith(".."):
        if not token:
            return True
        lowered = token.lower()
        if lowered in ABBREVIATIONS or lowered.rstrip(".") in ABBREVIATIONS:
            return False
        if len(token) == 1 and token.isalpha() and token.isupper():
            return False  # an initial: "J. Smith"
        if match.start(1) - len(token) == line_start_token and _LIST_MARKER_RE.match(token):
            return False  # a list number or letter at the start of the line: "1. Under 2020 ska"
        if next_char.islower():
            return False  # "2023. godine", "3. marta", unknown abbreviations
        return True
    if punct in ("...", "…") or punct.endswith(".."):
        if token == "و":
            return False  # Persian "و..." (and so on) continues the sentence
        if next_char.islower():
            return False  # "and so on… and then"
        return True
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split text into sentence spans ``(start, end)``; each span starts and ends on a non-space.

    Line breaks always end a unit; empty/whitespace-only lines give none. Spans are
    ordered, non-overlapping, and together cover every non-space character of ``text``.
    """
    spans: list[tuple[int, int]] = []
    for line_match in _LINE_RE.finditer(text):
        line = line_match.group(0)
        offset = line_match.start()
        stripped_start = len(line) - len(line.lstrip())
        if stripped_start == len(line):
            continue
        unit_start = stripped_start
        for match in _BOUNDARY_RE.finditer(line):
            if match.end() <= unit_start:
                continue
            if _is_boundary(line, match, stripped_start):
                spans.append((offset + unit_start, offset + match.end()))
                rest = line[match.end() :]
                unit_start = match.end() + (len(rest) - len(rest.lstrip()))
                if unit_start >= len(line):
                    break
        end = len(line.rstrip())
        if unit_start < end:
            spans.append((offset + unit_start, offset + end))
    return spans


def _split_long(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int, int]]:
    """Split the span into pieces of at most max_words words; returns (start, end, words)."""
    words = [(m.start(), m.end()) for m in _WORD_RE.finditer(text, start, end)]
    pieces = []
    for i in range(0, len(words), max_words):
        group = words[i : i + max_words]
        pieces.append((group[0][0], group[-1][1], len(group)))
    return pieces


def chunk_spans(text: str, max_words: int = MAX_WORDS, overlap_words: int = OVERLAP_WORDS) -> list[tuple[int, int]]:
    """Chunk spans ``(start, end)`` of ``text``: whole sentences packed up to ``max_words`` words."""
    units: list[tuple[int, int, int]] = []
    for start, end in split_sentences(text):
        n_words = len(_WORD_RE.findall(text, start, end))
        if n_words > max_words:
            units.extend(_split_long(text, start, end, max_words))
        else:
            units.append((start, end, n_words))
    chunks: list[tuple[int, int]] = []
    current: list[tuple[int, int, int]] = []
    current_words = 0
    for unit in units:
        if current and current_words + unit[2] > max_words:
            chunks.append((current[0][0], current[-1][1]))
            overlap: list[tuple[int, int, int]] = []
            overlap_total = 0
            for prev in reversed(current):
                if overlap_total + prev[2] > overlap_words:
                    break
                overlap.insert(0, prev)
                overlap_total += prev[2]
            while overlap and overlap_total + unit[2] > max_words:
                overlap_total -= overlap.pop(0)[2]
            current, current_words = overlap, overlap_total
        current.append(unit)
        current_words += unit[2]
    if current:
        chunks.append((current[0][0], current[-1][1]))
    return chunks


@component
class SentenceChunker:
    """
    Splits whole documents into overlapping chunks of whole sentences.

    Each chunk is ``Document(id=f"{doc_id}#{i}", content=text, meta={**doc.meta,
    "chunk_index": i, "start": s, "end": e})`` with ``doc.content[s:e] == text``.
    Documents without content give no chunks.

    ### Usage example

    ```python
    from haystack import Document
    from ingest.chunking import SentenceChunker

    doc = Document(id="a", content="First sentence. Second one.", meta={"doc_id": "a"})
    SentenceChunker(max_words=3, overlap_words=0).run([doc])["documents"]
    # -> chunks "First sentence." (a#0) and "Second one." (a#1)
    ```
    """

    def __init__(self, max_words: int = MAX_WORDS, overlap_words: int = OVERLAP_WORDS) -> None:
        """
        Create a SentenceChunker.

        :param max_words: Maximum number of whitespace-separated words in a chunk.
        :param overlap_words: Maximum number of words of trailing whole sentences of a chunk
            repeated at the start of the next one.
        :raises ValueError: unless ``max_words > overlap_words >= 0`` (integers).
        """
        if (
            not isinstance(max_words, int)
            or not isinstance(overlap_words, int)
            or isinstance(max_words, bool)
            or isinstance(overlap_words, bool)
            or not max_words > overlap_words >= 0
        ):
            raise ValueError(
                "SentenceChunker needs integers with max_words > overlap_words >= 0, "
                f"got max_words={max_words!r}, overlap_words={overlap_words!r}."
            )
        self.max_words = max_words
        self.overlap_words = overlap_words

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        """
        Chunk documents.

        :param documents: Whole documents; ``meta["doc_id"]`` (else ``id``) names the chunks.
        :returns: ``documents``: the chunks of all documents, in order.
        """
        chunks: list[Document] = []
        for doc in documents:
            if not doc.content:
                continue
            doc_id = doc.meta.get("doc_id") or doc.id
            for index, (start, end) in enumerate(chunk_spans(doc.content, self.max_words, self.overlap_words)):
                chunks.append(
                    Document(
                        id=f"{doc_id}#{index}",
                        content=doc.content[start:end],
                        meta={**doc.meta, "chunk_index": index, "start": start, "end": end},
                    )
                )
        return {"documents": chunks}

    def to_dict(self) -> dict[str, Any]:
        """Serializes the component to a dictionary."""
        return default_to_dict(self, max_words=self.max_words, overlap_words=self.overlap_words)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SentenceChunker":
        """Deserializes the component from a dictionary."""
        return default_from_dict(cls, data)
