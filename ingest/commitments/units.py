"""Sentence units of a document (a sentence, cut at line breaks, with its offsets and line
position), their list markers and the paragraph around them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.chunking import split_sentences
from ingest.commitments.languages import normalize

#: List markers at the start of a line: "1." "1)" "a)" "(a)" "(iv)" "1 -" "4.1" and the Persian letters
#: "الف)" "ب-" → number; "–" "-" "—" → dash; "•" "*" → bullet.
_FA_LETTER_MARKER = r"(?:الف|[بجدهوزحطیک]ـ?)"
_MARKER_RE = re.compile(
    r"^\s*(?:(?P<number>(?:\d{1,3}(?:[.\-]\d{1,3}){0,3}|[a-zA-Z]|" + _FA_LETTER_MARKER + r")[.)](?=\s)"
    r"|\((?:\d{1,3}|[a-zA-Z]|[ivxIVX]{2,5}|" + _FA_LETTER_MARKER + r")\)(?=\s)"
    r"|(?:\d{1,3}|" + _FA_LETTER_MARKER + r")\s?[-–](?=\s)|\d{1,2}(?:\.\d{1,2}){1,3}(?=\s+\D))|(?P<dash>[-–—‒](?=\s|\w))|(?P<bullet>[•●▪◦*·](?=\s)))")


def in_capitals(text: str, min_letters: int = 1) -> bool:
    """Is the text written in capitals ("V. ZAJEDNIČKE ODREDBE")? Uncased scripts do not count:
    a Persian line with "QR" in it is not in capitals, though `str.isupper` says so."""
    if text.upper() != text:  # a lower-case letter: not in capitals (cheap, and most lines are not)
        return False
    cased = [ch for ch in text if ch.isupper() or ch.islower()]
    letters = sum(ch.isalpha() for ch in text)
    return len(cased) >= min_letters and 2 * len(cased) > letters and all(ch.isupper() for ch in cased)


def list_marker(text: str) -> str | None:
    """'number', 'dash', 'bullet' or None for the marker a unit starts with."""
    m = _MARKER_RE.match(text)
    if not m:
        return None
    return m.lastgroup


@dataclass(frozen=True)
class Unit:
    """A sentence unit. Offsets are into the document text (-1 when unknown).

    `line_start`/`line_end`: the unit begins/ends its line. When a caller only has unit texts
    (no layout), every unit is treated as a whole line.
    """

    text: str
    start: int = -1
    end: int = -1
    line_start: bool = True
    line_end: bool = True


_BLANK_LINE_RE = re.compile(r"\n[ \t\u00a0\u2000-\u200b\u3000]*\n")


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "\u200b\ufeff"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "\u200b\ufeff"):
        end -= 1
    return start, end


#: A bracketed tag at an item's end says who does it: "… varje dygn. (Polisen)" (`attributes.tagged_actors`).
_ACTOR_TAG = r"\(([^()]{2,60})\)\s*[.;]?\s*"
ACTOR_TAG_RE = re.compile(_ACTOR_TAG + "$")
ACTOR_TAG_MAX_WORDS = 6

#: Line ends after which a sentence is over (or a heading/lead-in ends), an actor tag aside: no soft break.
_HARD_END_RE = re.compile(r"[.!?؟؛…:：]\s*[\"”’»)\]]*\s*(" + _ACTOR_TAG + ")?$")


def _is_arabic_script(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff"


#: Swedish clause lists: a protocol's decisions are "att"-clauses, one a line, each ending in ","
#: ";" or "samt"/"och" ("att polisen genomför …,\natt kommunen tar fram … samt\natt …"), under a
#: lead-in without a colon ("Rådet beslutar", "Beslut", "Vi lovar att", "Polisens löften").
_CLAUSE_LINE_RE = re.compile(r"att\s", re.IGNORECASE)  # with .match: a line that opens an "att"-clause
_CLAUSE_END_RE = re.compile(r"(?:[,;]|\b(?:samt|och|eller))$")
_LEAD_IN_END_RE = re.compile(r"\b(?:beslut|beslutar|beslutade|beslöt|beslutas|beslutades|löften|åtaganden|att)$")
_LEAD_IN_MAX_WORDS = 6


#: Words no sentence ends with (a preposition, an article, a conjunction, a Swahili "of"): a line
#: that ends with one goes on in the next ("Kamati ya maendeleo ya\nKata ya …", "… the installation of\nCCTV …").
_DANGLING_END_RE = re.compile(r"(?<!\S)(?:ya|wa|la|cha|za|vya|kwa|of|the|and|to|for|an|with|by|och|att|för|av|med|"
                              r"till|i|u|na|sa|od|da|و|در|به|از|که|با|برای|را)$", re.IGNORECASE)


def soft_line_breaks(text: str, min_words: int = 8) -> list[int]:
    """Offsets of the line breaks that wrap a sentence (PDF-copied or hard-wrapped text), not
    end it. A break is soft when the line before it ends without closing punctuation or a
    colon, the next line (no blank line between) is no list item, and either the next line
    goes on in lower case ("… erbjuda\nstöd till …"), or the line before ends with a word no
    sentence ends with (`_DANGLING_END_RE`: "Kamati ya maendeleo ya\nKata ya …"), or it is a long
    line of prose (`min_words` words or more: titles and menu lines are short) and the next one goes
    on with a word or a number ("… utafanyika tarehe\n01/03/2025 …"), as in Persian, which has no
    case. A Swedish clause list is no wrapped sentence: a line that opens an "att"-clause after
    a clause that ends in "," or "samt", and any line after a short lead-in line that ends in
    "beslutar", "löften" or "att", starts an item (`_CLAUSE_LINE_RE`, `_LEAD_IN_END_RE`); so
    does a line that opens with the same capitalised word as the line before (`_parallel_lines`)."""
    lines, start = [], 0
    for line in text.split("\n"):
        lines.append((start, start + len(line)))
        start += len(line) + 1
    soft: list[int] = []
    for (start, end), (next_start, next_end) in zip(lines, lines[1:]):
        line, following = text[start:end].strip(), text[next_start:next_end].strip()
        if not line or not following or _HARD_END_RE.search(line) or list_marker(following) is not None:
            continue
        if _clause_list_break(line, following) or _parallel_lines(line, following):
            continue
        first = following[0]
        if (first.isalpha() and first.islower()) or (_DANGLING_END_RE.search(line) and first.isalnum()) or (
                len(line.split()) >= min_words and (first.isalnum() or _is_arabic_script(first))):
            soft.append(end)
    return soft


def _parallel_lines(line: str, following: str) -> bool:
    """Do two lines open alike in capitals ("The police and the PCC will be easier to contact" /
    "The police and the PCC will keep you informed")? Then they are items of an unmarked list,
    not one sentence wrapped: a wrapped sentence does not repeat its opening on the next line."""
    first, following_first = line.split()[0], following.split()[0]
    return first[:1].isupper() and first == following_first and len(following.split()) >= 3


def _clause_list_break(line: str, following: str) -> bool:
    """Does `following` start an item of a Swedish clause list or lead-in (see `soft_line_breaks`)?"""
    line, following = line.casefold(), following.casefold()
    if _CLAUSE_LINE_RE.match(following) and _CLAUSE_END_RE.search(line):
        return True
    return len(line.split()) <= _LEAD_IN_MAX_WORDS and bool(_LEAD_IN_END_RE.search(line))


def sentence_units(text: str) -> list[Unit]:
    """Sentence units of a document: `ingest.chunking.split_sentences` spans, cut at line breaks
    (except the soft ones that wrap a sentence, see `soft_line_breaks`) and stripped, with their
    line position. A unit's text keeps its soft line breaks verbatim."""
    soft = soft_line_breaks(text)
    joined = text
    if soft:  # split on a copy whose soft breaks are spaces: same length, so spans stay valid
        chars = list(text)
        for i in soft:
            chars[i] = " "
        joined = "".join(chars)
    units: list[Unit] = []
    for span_start, span_end in split_sentences(joined):
        pos = span_start
        while pos < span_end:
            nl = joined.find("\n", pos, span_end)
            piece_end = span_end if nl < 0 else nl
            s, e = _strip_span(text, pos, piece_end)
            if e > s:
                line_begin = joined.rfind("\n", 0, s) + 1
                line_stop = joined.find("\n", e)
                line_stop = len(joined) if line_stop < 0 else line_stop
                units.append(Unit(
                    text=text[s:e], start=s, end=e,
                    line_start=not joined[line_begin:s].strip(),
                    line_end=not joined[e:line_stop].strip(),
                ))
            pos = piece_end + 1 if nl >= 0 else span_end
    return _split_inline_lists(text, _merge_fragments(text, units))


#: A list run into one line after its lead-in: "Na sastanku su donijeti sledeći zaključci: A; B; C".
_INLINE_LEAD_IN_RE = re.compile(r"[:：]\s")
_INLINE_SEPARATOR_RE = re.compile(r"[;؛]\s*")
_INLINE_MIN_ITEMS = 3


def _split_inline_lists(text: str, units: list[Unit]) -> list[Unit]:
    """A unit that holds a lead-in and `_INLINE_MIN_ITEMS` or more clauses separated by ";" after
    it is its lead-in ("… zaključci:") and one unit per clause, as if the list had been laid out
    one item a line (news reports of a meeting's conclusions write them so)."""
    out: list[Unit] = []
    for unit in units:
        colon = _INLINE_LEAD_IN_RE.search(unit.text)
        separators = list(_INLINE_SEPARATOR_RE.finditer(unit.text, colon.end())) if colon else []
        if len(separators) + 1 < _INLINE_MIN_ITEMS:
            out.append(unit)
            continue
        bounds = [(0, colon.start() + 1), (colon.end(), separators[0].start())]
        bounds += [(a.end(), b.start()) for a, b in zip(separators, separators[1:])]
        bounds.append((separators[-1].end(), len(unit.text)))
        for k, (a, b) in enumerate(bounds):
            s, e = _strip_span(text, unit.start + a, unit.start + b)
            if e > s:
                out.append(Unit(text=text[s:e], start=s, end=e, line_start=unit.line_start and k == 0,
                                line_end=unit.line_end and k == len(bounds) - 1))
    return out


_LONE_MARKER_RE = re.compile(r"^(?:\d{1,3}(?:[.\-]\d{1,3}){0,3}|[a-zA-Z]|[IVXivx]{1,5}|" + _FA_LETTER_MARKER + r")[.)]$")


def _merge_fragments(text: str, units: list[Unit]) -> list[Unit]:
    """Pieces the sentence splitter cut off join their sentence on the same line: a list number
    ("۳-۱." before its item) joins its item, a bracketed tag ("(Polisen)") the item before it."""
    out: list[Unit] = []
    for unit in units:
        prev = out[-1] if out else None
        same_line = prev is not None and "\n" not in text[prev.end:unit.start]
        lone_marker = same_line and _LONE_MARKER_RE.match(normalize(prev.text)) and not prev.line_end
        tag = same_line and ACTOR_TAG_RE.fullmatch(unit.text) and len(unit.text.split()) <= ACTOR_TAG_MAX_WORDS
        if lone_marker or tag:
            out[-1] = Unit(text=text[prev.start:unit.end], start=prev.start, end=unit.end,
                           line_start=prev.line_start, line_end=unit.line_end)
        else:
            out.append(unit)
    return out


def paragraph_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph (text between blank lines) around [start, end), stripped."""
    p_start = 0
    for m in _BLANK_LINE_RE.finditer(text, 0, start):
        p_start = m.end()
    m = _BLANK_LINE_RE.search(text, end)
    p_end = m.start() if m else len(text)
    return _strip_span(text, min(p_start, start), max(p_end, end))


