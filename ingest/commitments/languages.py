"""The rule groups of the commitment rules, which group a language code or a text belongs to, and
the normalised form of a text that the rules match against."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from core.languages import analysis_language

# ------------------------------------------------------------------------------------ languages

#: Rule groups: the analysed languages of `core.languages`. The Serbo-Croatian variants share one group.
RULE_LANGUAGES: tuple[str, ...] = ("en", "sv", "sw", "hbs", "fa")


def rule_language(language: str | None, text: str = "") -> tuple[str, ...]:
    """The rule group(s) for a language code (any spelling `core.languages` knows: ``sv-SE``,
    ``swe``, ``Persian``, ``srpski``); unknown/None falls back on the script of `text`.

    Arabic script → ``fa``; Cyrillic → ``hbs``; Latin script → the group(s) whose function words
    occur most in the text (every Latin-script group when none occurs).
    """
    if isinstance(language, str):
        group = analysis_language(language)
        if group is not None:
            return (group,)
    arabic = cyrillic = latin = 0
    for ch in text[:2000]:
        if not ch.isalpha():
            continue
        cp = ord(ch)
        if 0x600 <= cp <= 0x6FF or 0xFB50 <= cp <= 0xFEFF:
            arabic += 1
        elif 0x400 <= cp <= 0x52F:
            cyrillic += 1
        else:
            latin += 1
    if arabic > latin and arabic >= cyrillic:
        return ("fa",)
    if cyrillic > latin:
        return ("hbs",)
    return _guess_latin_groups(text)


_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to is was will for with that on are it a an this be by from our we".split()),
    "sv": frozenset("och att det som på är för med av till har inte ska vi den de om under kommer".split()),
    "sw": frozenset("na wa ya kwa ni katika za la kwamba hii kama pia cha vya hilo huo".split()),
    "hbs": frozenset("je da se za su od sa kao će ili koji koja koje što sam nije bi kroz".split()),
}


def _guess_latin_groups(text: str) -> tuple[str, ...]:
    """Undeclared Latin-script text: the group(s) whose function words occur most; all if none do."""
    words = re.findall(r"\w+", text[:2000].casefold())
    scores = {g: sum(w in fw for w in words) for g, fw in _FUNCTION_WORDS.items()}
    best = max(scores.values(), default=0)
    if best == 0:
        return ("en", "sv", "sw", "hbs")
    return tuple(g for g in ("en", "sv", "sw", "hbs") if scores[g] == best)


# -------------------------------------------------------------------------------- normalising

_CYR2LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z", "и": "i",
    "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
}
_LAT2CYR = {lat: cyr for cyr, lat in _CYR2LAT.items()}
_LATIN_LETTERS_RE = re.compile(r"lj|nj|dž|.", re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=64)
def to_cyrillic(latin: str) -> str:
    """Serbian Latin spelled in Cyrillic ("Centar za socijalni rad" → "Центар за социјални рад"),
    for a name Ahadi gives in the script of a Cyrillic document."""
    out = []
    for m in _LATIN_LETTERS_RE.finditer(latin):
        part = m.group()
        cyr = _LAT2CYR.get(part.casefold(), part)
        out.append(cyr.upper() if part[:1].isupper() else cyr)
    return "".join(out)


def _cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def mostly_cyrillic(text: str) -> bool:
    """Are most of the letters of `text` Cyrillic?"""
    letters = [ch for ch in text if ch.isalpha()]
    return 2 * sum(map(_cyrillic, letters)) > len(letters)


_FA_TABLE = str.maketrans(
    {
        "ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "\u200c": " ", "\u200f": "", "\u200e": "", "ـ": "",
        # the same word with or without hamza or harakat (تأمین/تامین, مؤسسه/موسسه, فوراً/فورا)
        "ۀ": "ه", "أ": "ا", "إ": "ا", "ٱ": "ا", "ؤ": "و",
        **{chr(cp): "" for cp in range(0x064B, 0x0653)}, "\u0670": "",
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    }
)
_SPACE_RE = re.compile(r"\s+")


def normalize(text: str, group: str | None = None) -> str:
    """Lower-cased, NFC, single-spaced text; Cyrillic → Latin for ``hbs``; Persian letters unified
    (Arabic yeh/kaf, hamza forms, harakat dropped; a ZWNJ becomes a space).

    Persian and Arabic-Indic digits become ASCII in every group, so numbers and years are found
    the same way everywhere. Only used for matching: offsets always refer to the original text.
    """
    text = unicodedata.normalize("NFC", text or "").translate(_FA_TABLE).casefold()
    if group == "hbs" or (group is None and any(map(_cyrillic, text))):
        text = "".join(_CYR2LAT.get(ch, ch) for ch in text)
    return _SPACE_RE.sub(" ", text).strip()

