"""Remove web boilerplate (menus, sliders, share/tag/comment widgets) from scraped documents.

Rules work line by line on whole lines, so prose that merely mentions a widget word is kept
("Dela" in "Dela ut broschyrer" stays; only a line that is just "Dela" goes). Removed:

- image file names alone on a line (``SOS1.jpg``, ``IMG_2041.JPG 1024x768``);
- slider widgets: ``Slide 1``, ``previous arrow``, ``next arrow``, ``Föregående``/``Nästa``,
  lone arrows and bullets; lines without any letter or digit;
- share / tag / comment / print widgets in en, sv, sw, hbs (Bosnian/Croatian/Montenegrin/
  Serbian) and fa, e.g. ``Share``, ``Dela``, ``Taggar``, ``Kushiriki kwenye:``,
  ``Podijeli``, ``Kommentarsfunktionen är stängd``, ``1 reaktion på …``,
  ``N comments``, ``Pogledaj još novosti - …``, ``پایان پیام /``,
  ``شما می توانید این مطلب را ویرایش نمایید``, ``این مطلب را برای صفحه اول پیشنهاد کنید …``
  (with the tag list that follows it on the same line), ``… مشاهده در مرجع`` ("view at the
  source", a news aggregator's link);
- section labels alone on a line that only navigate (``Nyheter``, ``News``, ``Habari``,
  ``Vijesti``, ``Novosti``, ``اخبار``, ``Home``, ``Meny``, ...);
- photo credits alone on a line (``Bild: Press``, ``Foto: Polisen``);
- a trailing "give feedback" link label at the end of a line (``… Lämna dina synpunkter``);
- Office/HTML markup left in converted text, also inside lines (``<![if !supportLists]>``,
  ``<![endif]>``, ``<!-- … -->``; 221 of the 15,668 Riksdag interpellations have it);
- a line repeated verbatim later in the document (the first is kept) when it has at least
  two words (so a repeated one-word heading or a list marker survives) and does not end with a
  colon: a lead-in opens the list under it, and a pledge repeats its lead-in once per topic
  ("Polisen lovar att:", "I will:"), where a menu or page title does not end with one;
- runs of spaces (also no-break and other Unicode spaces) and of blank lines are collapsed;
  zero-width spaces, soft hyphens and control characters are dropped (the Persian
  zero-width non-joiner is kept: it is spelling). Paragraph structure (blank lines) is kept.

Kept on purpose: addresses, phone numbers, e-mail addresses, publication dates, bylines and
image captions written as sentences. For a police or municipality officer the contact block
of a page ("Region Gotland, Visborgsallén 19, 621 81 Visby, Telefon: 0498-26 90 00") answers
"who do I call about this", and it costs only a few tokens.

A document left with fewer than ``min_letters`` letters is returned in ``skipped``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from haystack import Document, component, default_from_dict, default_to_dict, logging

logger = logging.getLogger(__name__)

_IMAGE_EXT = r"(?:jpe?g|png|gif|webp|svg|bmp|tiff?|heic|avif)"
_IMAGE_TOKEN_RE = re.compile(rf"[\w\-.()%~+]*\w\.{_IMAGE_EXT}", re.IGNORECASE)
_DIMENSIONS_RE = re.compile(r"\d+\s*[x×]\s*\d+")
# Office/HTML markup left in converted text: "<![if !supportLists]>- <![endif]>", "<!-- x -->"
_MARKUP_RESIDUE_RE = re.compile(r"<!\[(?:if|endif)\b[^\]\n]{0,60}\]>|<!--[^\n]{0,200}?-->", re.IGNORECASE)
_NEWLINES_RE = re.compile(r"\r\n|[\r\x85\u2028\u2029]")
_SPACES_RE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_DROP_CHARS_RE = re.compile(r"[\u200b\u200e\u200f\u2060\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Whole-line patterns (matched against a normalised, stripped line; case-insensitive).
# Each is (name, regex); the name says why the line went.
_LINE_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "slider widget",
        r"(?:slide|slajd|slika|bild|picha|اسلاید)\s*\d+(?:\s*(?:/|of|av|od|kati ya|از)\s*\d+)?"
        r"|(?:previous|prev|next|föregående|nästa|prethodna|sljedeća|sledeća|iliyopita|inayofuata)"
        r"(?:\s+(?:arrow|slide|bild|pil|image))?",
    ),
    (
        "share widget",
        r"(?:share|share this(?: article| page| post)?|share on|share via|tweet|pin it|"
        r"dela|dela artikeln|dela sidan|dela på|dela via|tipsa|"
        r"shiriki|kushiriki|kushiriki kwenye|shiriki kwenye|shiriki makala hii|"
        r"podijeli|podeli|podijelite|podelite|podijeli na|podeli na|"
        r"اشتراک گذاری|اشتراک‌گذاری|به اشتراک بگذارید|لینک کوتاه|کپی شد)\s*:?"
        r"(?:\s+(?:facebook|twitter|x|linkedin|whatsapp|e-?mail|e-?post|telegram),?)*",
    ),
    (
        "tag widget",
        r"(?:tags?|taggar|etiketter|lebo|vitambulisho|tagovi|oznake|ključne riječi|ključne reči|"
        r"برچسب ها|برچسب‌ها|برچسبها|کلید واژه ها|کلیدواژه ها|کلیدواژه‌ها)\s*:?",
    ),
    (
        "comment widget",
        r"(?:comments? (?:are|is) closed\.?|leave a (?:comment|reply)|"
        r"\d+\s+(?:comments?|responses?|thoughts?|reactions?)(?:\s+(?:on|to)\s+.*)?|"
        r"(?:one|no) (?:comments?|responses?|thoughts?) (?:on|to) .*|"
        r"kommentarsfunktionen är (?:stängd|avstängd)\.?|kommentera|lämna en kommentar|"
        r"\d+\s+(?:reaktion(?:er)?|kommentar(?:er)?)(?:\s+på\s+.*)?|"
        r"(?:en|ingen) (?:reaktion|kommentar) på .*|"
        r"maoni(?: \d+)?|acha maoni|acha jibu|toa maoni|"
        r"komentari(?: \(\d+\))?|ostavite komentar|ostavi komentar|komentiraj|komentariši|"
        r"نظرات|ارسال نظر|نظر شما|دیدگاه(?:ها)?)\s*:?",
    ),
    (
        "print / read-more widget",
        r"(?:print|skriv ut|chapisha|štampaj|ispiši|printaj|چاپ|"
        r"read more|läs mer|läs också|soma zaidi|soma pia|pročitajte (?:još|više)|pročitaj (?:još|više)|"
        r"back to top|till toppen|skip to (?:main )?content|hoppa till (?:huvud)?innehåll(?:et)?)\s*:?",
    ),
    (
        "related-news link",
        r"(?:pogledaj(?:te)?|pročitaj(?:te)?) (?:još|više|ostale|sve) (?:novosti|vijesti|vesti|članke|tekstove)\b.{0,80}",
    ),
    (
        "navigation label",
        r"(?:home|start|startsida|hem|meny|menu|menyn|news|nyheter|aktuellt|habari|mwanzo|"
        r"vijesti|vesti|novosti|početna|naslovna|اخبار|خانه|صفحه اصلی|search|sök|tafuta|pretraga|جستجو)",
    ),
    ("photo credit", r"(?:bild|foto|photo|picha|slika|fotografija|عکس)\s*:\s*[^.!?:]{1,40}"),
    ("end-of-story marker", r"(?:پایان پیام|انتهای پیام|انتهای خبر)\s*/?|/\s*(?:پایان پیام|انتهای پیام)"),
    (
        "edit / suggest widget",
        r"شما می توانید این مطلب را ویرایش نمایید.*|"
        r"این مطلب را برای صفحه اول پیشنهاد کنید.*|"
        r".*این خبر توسط افراد زیر ویرایش شده است",
    ),
    ("view-at-source link", r"(?:\S+\s+){0,5}مشاهده در مرجع"),
)

# Suffixes removed from the end of a line that has other text before them.
_SUFFIX_PATTERNS: tuple[tuple[str, str], ...] = (
    ("photo credit", r"(?<=[.!?])\s+(?:bild|foto|photo|picha|slika|fotografija)\s*:\s*[^.!?:]{1,40}$"),
    ("feedback link", r"\s+(?:lämna (?:dina )?synpunkter|ge (?:oss )?feedback|give feedback|tyck till)\s*$"),
)


def _matchable(line: str) -> str:
    """Form used for matching only: Persian letter variants unified, ZWNJ as a space."""
    line = line.replace("\u200c", " ").replace("ي", "ی").replace("ك", "ک")
    return " ".join(line.split())


@dataclass
class CleanResult:
    """Cleaned text and the removed lines, each with the rule that removed it."""

    text: str
    removed: list[tuple[str, str]] = field(default_factory=list)


@component
class BoilerplateCleaner:
    """
    Removes web boilerplate lines from whole documents and normalises whitespace.

    See the module docstring for the exact rules and what is kept. Documents with no
    substantive text left (fewer than ``min_letters`` letters) come out in ``skipped``
    as ``{"source", "reason"}``.

    ### Usage example

    ```python
    from haystack import Document
    from ingest.cleaning import BoilerplateCleaner

    doc = Document(content="SOS1.jpg\\nSlide 1\\n\\nPolisen och kommunen samarbetar.\\n\\nDela",
                   meta={"source": "x.txt"})
    BoilerplateCleaner().run([doc])["documents"][0].content
    # "Polisen och kommunen samarbetar."
    ```
    """

    def __init__(
        self,
        min_letters: int = 20,
        remove_repeated_lines: bool = True,
        extra_line_patterns: list[str] | None = None,
    ) -> None:
        """
        Create a BoilerplateCleaner.

        :param min_letters: A document with fewer letters than this after cleaning is skipped (≥ 0).
        :param remove_repeated_lines: Remove a line (of two or more words, not a lead-in ending
            with a colon) repeated verbatim later in the document, keeping the first.
        :param extra_line_patterns: More regular expressions; a line fully matching one
            (case-insensitive) is removed.
        :raises ValueError: on a negative min_letters or a pattern that does not compile.
        """
        if isinstance(min_letters, bool) or not isinstance(min_letters, int) or min_letters < 0:
            raise ValueError(f"min_letters must be an integer ≥ 0, got {min_letters!r}.")
        self.min_letters = min_letters
        self.remove_repeated_lines = remove_repeated_lines
        self.extra_line_patterns = list(extra_line_patterns or [])
        compiled: list[tuple[str, re.Pattern[str]]] = []
        for name, pattern in _LINE_PATTERNS:
            compiled.append((name, re.compile(pattern, re.IGNORECASE)))
        for pattern in self.extra_line_patterns:
            try:
                compiled.append(("extra pattern", re.compile(pattern, re.IGNORECASE)))
            except re.error as error:
                raise ValueError(f"extra_line_patterns: {pattern!r} is not a valid regular expression: {error}") from None
        self._line_patterns = compiled
        self._suffix_patterns = [(name, re.compile(p, re.IGNORECASE)) for name, p in _SUFFIX_PATTERNS]

    def clean_text(self, text: str) -> CleanResult:
        """Clean one text; returns the text and the removed lines with their reasons."""
        text = unicodedata.normalize("NFC", _NEWLINES_RE.sub("\n", text))
        text = _DROP_CHARS_RE.sub("", text)
        removed: list[tuple[str, str]] = [(m.group(0), "markup residue") for m in _MARKUP_RESIDUE_RE.finditer(text)]
        text = _MARKUP_RESIDUE_RE.sub("", text)
        seen: set[str] = set()
        kept: list[str] = []
        for raw_line in text.split("\n"):
            line = _SPACES_RE.sub(" ", raw_line).strip()
            if not line:
                kept.append("")
                continue
            reason = self.line_reason(line)
            if reason is None and self.remove_repeated_lines and len(line.split()) >= 2 and not line.endswith(":"):
                if line in seen:
                    reason = "repeated line"
                seen.add(line)
            if reason is not None:
                removed.append((line, reason))
                continue
            for name, pattern in self._suffix_patterns:
                match = pattern.search(line)
                if match and match.start() > 0:
                    removed.append((line[match.start() :].strip(), name))
                    line = line[: match.start()].rstrip()
            kept.append(line)
        cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
        return CleanResult(cleaned, removed)

    def line_reason(self, line: str) -> str | None:
        """Why a whole (normalised, stripped) line is boilerplate, or None when it is not."""
        if not any(ch.isalnum() for ch in line):
            return "no letters or digits"
        tokens = [t for t in re.split(r"[\s,;|]+", line) if t]
        if any(_IMAGE_TOKEN_RE.fullmatch(t) for t in tokens) and all(
            _IMAGE_TOKEN_RE.fullmatch(t) or _DIMENSIONS_RE.fullmatch(t) for t in tokens
        ):
            return "image file name"
        candidate = _matchable(line)
        for name, pattern in self._line_patterns:
            if pattern.fullmatch(candidate):
                return name
        return None

    @component.output_types(documents=list[Document], skipped=list[dict[str, str]])
    def run(self, documents: list[Document]) -> dict[str, Any]:
        """
        Clean documents.

        :param documents: Whole documents.
        :returns: ``documents``: cleaned copies (same id and meta); ``skipped``:
            ``{"source", "reason"}`` for documents with no substantive text left.
        """
        cleaned_docs: list[Document] = []
        skipped: list[dict[str, str]] = []
        for doc in documents:
            source = str(doc.meta.get("source") or doc.id)
            if not doc.content or not doc.content.strip():
                skipped.append({"source": source, "reason": "document has no text"})
                continue
            result = self.clean_text(doc.content)
            letters = sum(ch.isalpha() for ch in result.text)
            if letters < self.min_letters:
                removed = len(result.removed)
                skipped.append(
                    {
                        "source": source,
                        "reason": f"no substantive text left after removing boilerplate ({letters} letters "
                        f"remain, at least {self.min_letters} needed; {removed} boilerplate lines removed)",
                    }
                )
                continue
            if result.removed:
                logger.debug("{source}: removed {n} boilerplate lines", source=source, n=len(result.removed))
            cleaned_docs.append(replace(doc, content=result.text))
        return {"documents": cleaned_docs, "skipped": skipped}

    def to_dict(self) -> dict[str, Any]:
        """Serializes the component to a dictionary."""
        return default_to_dict(
            self,
            min_letters=self.min_letters,
            remove_repeated_lines=self.remove_repeated_lines,
            extra_line_patterns=self.extra_line_patterns,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "BoilerplateCleaner":
        """Deserializes the component from a dictionary."""
        return default_from_dict(cls, data)
