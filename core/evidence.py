"""Evidence in the text itself for the calls langdetect gets wrong (`core.detection` uses it).

- Serbo-Croatian against its neighbours: letters only it has (Latin ``ć đ``, Cyrillic ``ђ ћ``)
  and its function words against Slovene's (Latin) or Macedonian's (Cyrillic);
- Swedish against Norwegian and Danish: ``ä ö`` against ``æ ø``, and function words;
- Persian against Arabic and Urdu in Arabic script: letters only one of them uses.
"""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"\w+", re.UNICODE)
# Function words frequent in Serbo-Croatian but not Slovene (and vice versa). Words the two
# share (je, se, da, na, za, od, do, iz, po, pa, samo, tako, biti, ...) are left out.
_HBS_LATIN_WORDS = frozenset(
    "i u su sa što šta koji koja koje kojima kojeg kojem kojoj će ćemo ćete ću nije nisu jer kao "
    "ili već ovaj ova ovo ove ovih ovog ovoj gdje gde kada kad takođe također prema među između "
    "tokom tijekom godine dana treba mogu može bio bila bilo bili zbog kod sve svi vrlo veoma "
    "mnogo sada sad juče jučer ih nešto neko niko ništa kroz nakon odnosno".split()
)
_SL_LATIN_WORDS = frozenset(
    "in v so ki tudi kot ter lahko zelo še že vse bo bodo bomo sem ste ni kar niso sta z ob le "
    "vendar saj torej jih kjer kdaj danes včeraj kateri katera katere če naj zaradi med nič "
    "bil".split()
)
_HBS_CYRILLIC_WORDS = frozenset(
    "у су који која које ће са или није нису као јер већ међу због према током године дана код "
    "треба може био била било били ово овај".split()
)
_MK_CYRILLIC_WORDS = frozenset(
    "во е со дека ќе ги го овој кој беше нема има кога сите биле бил".split()
)
_HBS_LATIN_LETTERS = frozenset("ćđĆĐ")
_HBS_CYRILLIC_LETTERS = frozenset("ђћЂЋ")
_MK_CYRILLIC_LETTERS = frozenset("ѓќѕЃЌЅ")
_LANGDETECT_HBS = frozenset({"hr", "sr", "bs"})
_LANGDETECT_HBS_NEIGHBOURS_LATIN = frozenset({"sl"})
_LANGDETECT_HBS_NEIGHBOURS_CYRILLIC = frozenset({"mk", "bg", "ru", "uk"})
_HBS_NEIGHBOURS = _LANGDETECT_HBS_NEIGHBOURS_LATIN | _LANGDETECT_HBS_NEIGHBOURS_CYRILLIC
# langdetect answers that, with a probability of 0 from _classify, mean "could as well be X"
_COIN_TOSSES: dict[str, frozenset[str]] = {"hbs": _HBS_NEIGHBOURS, "sv": frozenset({"no", "da"})}

# ---------------------------------------------------------------- Arabic script
_PERSIAN_ONLY = frozenset("پچژگ")
_URDU_ONLY = frozenset("ٹڈڑںےۓھ")
_ARABIC_ONLY = frozenset("ةىً")  # taa marbuta, alef maksura, tanwin: rare in Persian prose


def _script_counts(text: str) -> tuple[int, int, int, int]:
    """Count letters by script: (latin, cyrillic, arabic, other)."""
    latin = cyrillic = arabic = other = 0
    for ch in text:
        if not ch.isalpha():
            continue
        cp = ord(ch)
        if cp < 0x250 or 0x1E00 <= cp <= 0x1EFF:
            latin += 1
        elif 0x400 <= cp <= 0x52F:
            cyrillic += 1
        elif 0x600 <= cp <= 0x6FF or 0x750 <= cp <= 0x77F or 0xFB50 <= cp <= 0xFEFF:
            arabic += 1
        else:
            other += 1
    return latin, cyrillic, arabic, other


def _hbs_evidence(text: str) -> tuple[int, int]:
    """(Serbo-Croatian score, neighbour score) from letters and function words."""
    latin, cyrillic, _, _ = _script_counts(text)
    words = [w.lower() for w in _WORD_RE.findall(text)]
    if cyrillic > latin:
        hbs = 2 * sum(ch in _HBS_CYRILLIC_LETTERS for ch in text)
        hbs += sum(w in _HBS_CYRILLIC_WORDS for w in words)
        other = 2 * sum(ch in _MK_CYRILLIC_LETTERS for ch in text)
        other += sum(w in _MK_CYRILLIC_WORDS for w in words)
        return hbs, other
    hbs = 2 * sum(ch in _HBS_LATIN_LETTERS for ch in text)
    hbs += sum(w in _HBS_LATIN_WORDS for w in words)
    other = sum(w in _SL_LATIN_WORDS for w in words)
    return hbs, other


def _cyrillic_family(text: str) -> bool | None:
    """Serbo-Croatian Cyrillic by its alphabet: True / False, or None when letters don't tell.

    ``ђ ћ`` exist only in Serbo-Croatian; ``й ь ъ ы э ю я щ ё є і ї ґ`` (Russian, Bulgarian,
    Ukrainian) and ``ѓ ќ ѕ`` (Macedonian) never occur in it; ``ј љ њ џ`` occur in
    Serbo-Croatian and Macedonian only (then function words decide, ties going to
    Serbo-Croatian: a short Macedonian phrase without ``ѓ ќ ѕ`` is taken for Serbian).
    """
    chars = set(text.lower())
    if chars & {"ђ", "ћ"}:
        return True
    if chars & set("йьъыэюящёєіїґѓќѕ"):
        return False
    if chars & set("јљњџ"):
        hbs, other = _hbs_evidence(text)
        return hbs >= other
    return None


# Function words of Swedish vs Norwegian/Danish; words the languages share are left out.
_SV_WORDS = frozenset(
    "och hur inte till att är jag vad när inom eller från kommun arbetar arbeta ska skall "
    "också utan bland genom vilka vilken sina nu här även samt".split()
)
_NO_DA_WORDS = frozenset(
    "og ikke til å er jeg hva hvordan hvad fra også kommune arbeider arbejder skal "
    "mod uten uden etter blant gjennom gennem hvilke nå selv af".split()
)


def _swedish_evidence(text: str) -> tuple[int, int]:
    """(Swedish score, Norwegian/Danish score) from letters (ä ö vs æ ø) and function words."""
    lowered = text.lower()
    words = _WORD_RE.findall(lowered)
    swedish = 2 * (lowered.count("ä") + lowered.count("ö"))
    swedish += sum(w in _SV_WORDS for w in words)
    other = 2 * (lowered.count("æ") + lowered.count("ø"))
    other += sum(w in _NO_DA_WORDS for w in words)
    return swedish, other


def looks_serbo_croatian(text: str) -> bool:
    """True when the text shows more Serbo-Croatian than Slovene/Macedonian evidence.

    Used only to move a langdetect ``sl``/``mk`` (``ru``/``bg``/``uk`` for Cyrillic)
    answer into the Serbo-Croatian family; it is no detector on its own.
    """
    hbs, other = _hbs_evidence(text)
    return hbs > other


def _arabic_script_language(text: str, ar_probability: float) -> str:
    """Decide fa / ar / ur for text written mostly in Arabic script."""
    chars = set(text)
    if chars & _PERSIAN_ONLY:
        return "fa"
    if chars & _URDU_ONLY:
        return "ur"
    if ar_probability >= 0.9 and chars & _ARABIC_ONLY:
        return "ar"
    return "fa"

