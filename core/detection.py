"""Language detection for Ahadi documents and short texts (search queries).

The evidence rules are in `core.evidence`, langdetect itself in `core.langdetect_numpy`.

langdetect (1.0.9) is used with a private, seeded factory, so the same text gets the
same answer in every run and every process, without touching langdetect's global
``DetectorFactory`` that other code may use.

Serbo-Croatian is handled honestly. langdetect has profiles for ``hr``, ``sl`` and ``mk``
but none for Bosnian, Serbian or Montenegrin: every Latin-script Bosnian, Croatian,
Serbian and Montenegrin text comes back ``hr`` (short phrases often ``sl``), and
Cyrillic Serbian comes back ``mk`` (short phrases sometimes ``ru``/``bg``/``uk``).
Measured on NTREX (123 documents each of bos/hrv/srp-Latn, srp-Latn transliterated to
Cyrillic): whole documents 100 % ``hr`` (Cyrillic: 100 % ``mk``); single sentences
2-3 % ``sl``; headlines 5-11 % ``sl``; three-word snippets 20-28 % ``sl``.
So a detected ``hr`` means "the Serbo-Croatian family", never "Croatian", and a detected
``sl``/``mk`` (or ``ru``/``bg``/``uk`` on Cyrillic) is moved into the family only when
the text itself shows it: letters only Serbo-Croatian has (Latin ``ć đ``, Cyrillic
``ђ ћ``) and function words of Serbo-Croatian outnumbering those of Slovene
(resp. Macedonian). When the text shows more Slovene/Macedonian evidence, ``sl``/``mk``
stay; when it shows none either way (typical of two- or three-word phrases) the answer is
"unsure" (probability 0): ``detect_language`` returns None (or the hint, if it is in the
family), and a document gets no detected final language unless one is declared.

Which member of the family a document is written in comes from outside the text:

1. the declared language, if it is one of ``cnr bs hr sr hbs``;
2. else the country: ME → cnr, BA → bs, HR → hr, RS → sr;
3. else the family code ``hbs``.

A declared language always wins over detection, also when it lies outside the detected
language or family (the uploader knows better than a statistical guess on web text);
the raw guess is still recorded in ``meta["detected_language"]``, so disagreements can be
listed and checked (``language != family_of(detected_language)``).

Swedish: langdetect takes short Swedish for Norwegian or Danish ("Hur arbetar polisen med
trygghetsvandringar i kommunen?" → ``no`` 0.99). A ``no``/``da`` answer becomes ``sv`` when
Swedish letters (``ä ö`` vs ``æ ø``) and function words outweigh Norwegian/Danish ones, and
"unsure" on a tie.

Arabic script: langdetect confuses Persian with Arabic and Urdu on short texts
(3-word Persian snippets: 7 % ``ar``, 6 % ``ur``). Text in Arabic script is ``fa`` unless
it is clearly Arabic (langdetect says ``ar`` with high probability, and the text has no
Persian-only letters ``پ چ ژ گ`` but has Arabic-only forms such as ``ة``) or clearly Urdu
(Urdu-only letters ``ٹ ڈ ڑ ں ے``).
"""


from __future__ import annotations

import logging
import re
import unicodedata

from core.evidence import (
    _LANGDETECT_HBS,
    _LANGDETECT_HBS_NEIGHBOURS_CYRILLIC,
    _LANGDETECT_HBS_NEIGHBOURS_LATIN,
    _COIN_TOSSES,
    _arabic_script_language,
    _cyrillic_family,
    _hbs_evidence,
    _script_counts,
    _swedish_evidence,
    looks_serbo_croatian,
)
from core.langdetect_numpy import langdetect_probabilities
from core.languages import HBS_FAMILY, family_of, normalize_language

logger = logging.getLogger(__name__)

#: Changes with any rule of detection or of `core.languages`' variant resolution: part of the
#: ingest signature, so a changed rule re-labels (re-indexes) the documents.
LANGUAGE_RULES_VERSION = "language-v1"

_WORD_RE = re.compile(r"\w+", re.UNICODE)


def prepare_sample(text: str, max_chars: int | None) -> str:
    """NFC, cut to max_chars at a word boundary, and lower-case all-caps words.

    langdetect has no case folding: the all-caps Montenegrin headline
    "BERANE: DOBRA SARADNJA MJESNIH ZAJEDNICA, ..." came back ``de`` (0.71), lower-cased ``hr``.
    """
    text = unicodedata.normalize("NFC", text)
    if max_chars is not None and len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        text = text[: cut if cut > max_chars // 2 else max_chars]
    return _WORD_RE.sub(lambda m: m.group(0).lower() if m.group(0).isupper() else m.group(0), text)



def letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def classify(sample: str, probs: list[tuple[str, float]]) -> tuple[str | None, float]:
    """Our code for the top langdetect answer (family/script rules applied), with its probability.

    Returns codes from SUPPORTED_LANGUAGES for our languages (the family as ``hbs``) and
    langdetect codes for everything else.
    """
    latin, cyrillic, arabic, rest = _script_counts(sample)
    total = latin + cyrillic + arabic + rest
    if total == 0:
        return None, 0.0
    prob_of = dict(probs)
    if arabic > total / 2:
        arabic_prob = sum(p for lang, p in probs if lang in ("fa", "ar", "ur"))
        return _arabic_script_language(sample, prob_of.get("ar", 0.0)), arabic_prob
    if cyrillic > total / 2:
        verdict = _cyrillic_family(sample)
        if verdict is True:
            return "hbs", 1.0
        if verdict is False:
            return probs[0] if probs else (None, 0.0)
    if not probs:
        return None, 0.0
    top, top_prob = probs[0]
    if top in _LANGDETECT_HBS:
        return "hbs", sum(p for lang, p in probs if lang in _LANGDETECT_HBS)
    if top in ("no", "da"):
        # langdetect takes short Swedish for Norwegian/Danish ("Hur arbetar polisen med
        # trygghetsvandringar i kommunen?" → no 0.99); letters and function words decide
        swedish, nordic = _swedish_evidence(sample)
        if swedish > nordic:
            return "sv", sum(p for lang, p in probs if lang in ("sv", "no", "da"))
        if swedish == nordic:
            return top, 0.0
    if top == "sv":
        # The other way round too: "sv 0.71, no 0.29" is Swedish unless the text shows Norwegian
        # or Danish, and langdetect's doubt between the three is no doubt about Swedish
        swedish, nordic = _swedish_evidence(sample)
        if swedish >= nordic:
            return "sv", sum(p for lang, p in probs if lang in ("sv", "no", "da"))
    neighbours = (
        _LANGDETECT_HBS_NEIGHBOURS_CYRILLIC if cyrillic > latin else _LANGDETECT_HBS_NEIGHBOURS_LATIN
    )
    if top in neighbours:
        hbs, neighbour = _hbs_evidence(sample)
        if hbs > neighbour:
            family_prob = sum(p for lang, p in probs if lang in _LANGDETECT_HBS or lang in neighbours)
            return "hbs", family_prob
        if hbs == neighbour:
            # Nothing in the text tells Serbo-Croatian from Slovene (or, in Cyrillic, from
            # Macedonian, Bulgarian, Russian, Ukrainian): on short phrases langdetect's answer
            # is a coin toss between these (see the module docstring), so: unsure.
            return top, 0.0
    return top, top_prob


def detect_language(text: str, hint: str | None = None, threshold: float = 0.8) -> str | None:
    """Detect the language of a short text such as a search query.

    :param text: Any text; at most the first 2000 characters are looked at.
    :param hint: A language the caller expects (e.g. the user's interface language or a
        language filter), in any form :func:`normalize_language` understands. It decides
        close calls: the hint is returned when langdetect gives its language (for a
        Serbo-Croatian hint: the family) a probability of at least 0.2. For a
        Serbo-Croatian hint, a family answer becomes the hinted variant (``cnr``, ...).
    :param threshold: Minimum probability of the top answer; below it the answer is None.
    :returns: ``en``, ``sv``, ``sw``, ``fa``, ``hbs`` (or, with a hint, ``cnr``/``bs``/``hr``/
        ``sr``), another langdetect code (``de``, ``sl``, ``ar``, ...), or None when the text
        has fewer than 2 letters or the detection is unsure. Never raises.

    Measured on NTREX headlines (123 per language; right / None / wrong, threshold 0.8):
    en 88/10/1 %, sw 91/5/2 %, sv 90/7/2 %, bs 93/5/0 %, hr 91/6/1 %, sr (Latin) 91/8/0 %,
    sr (Cyrillic) 95/3/0 %, fa 98/0/0 %. On the first three words of the headlines it is
    much weaker (en 50/25/24 %, sw 66/13/19 %, sv 64/24/11 %, bs 50/34/15 %, fa 89/4/6 %):
    for one- to three-word queries pass the user's interface language as ``hint``
    (with the right hint, three-word queries come out right en 65 %, sw 76 %, sv 81 %,
    bs 76 %, hr 78 %, sr 81 % (Cyrillic 100 %), fa 91 %; a wrong hint wins on 1-3 % of them).
    """
    try:
        return _detect_language(text, hint, threshold)
    except Exception as error:  # noqa: BLE001 - a detector must never break a search
        logger.warning("Language detection failed: %s", error)
        return None


def _detect_language(text: str, hint: str | None, threshold: float) -> str | None:
    if not isinstance(text, str):
        return None
    sample = prepare_sample(text, 2000)
    if letters(sample) < 2:
        return None
    probs = langdetect_probabilities(sample)
    code, prob = classify(sample, probs)
    hint_code = normalize_language(hint)
    if hint_code is not None:
        if family_of(code) == family_of(hint_code) and code is not None:
            return hint_code
        if prob == 0.0 and code in _COIN_TOSSES.get(family_of(hint_code) or "", ()):
            # a coin toss between the hinted language and its neighbours (see _classify)
            return hint_code
        if _hint_probability(sample, probs, hint_code) >= 0.2:
            return hint_code
    if code is None or prob < threshold:
        return None
    return code


def _hint_probability(sample: str, probs: list[tuple[str, float]], hint_code: str) -> float:
    if hint_code in HBS_FAMILY:
        members = set(_LANGDETECT_HBS)
        if looks_serbo_croatian(sample):
            members |= _LANGDETECT_HBS_NEIGHBOURS_LATIN | _LANGDETECT_HBS_NEIGHBOURS_CYRILLIC
        return sum(p for lang, p in probs if lang in members)
    if hint_code == "fa":
        return sum(p for lang, p in probs if lang in ("fa", "ar", "ur"))
    return sum(p for lang, p in probs if lang == hint_code)

