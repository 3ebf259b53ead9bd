"""Language codes, their aliases, the Serbo-Croatian family and its variants: the one table of names.

Every part of Ahadi that reads a language or country given by a person or a file (declared
languages, filters, BM25 analysis, commitment rules) maps it here, so `Swedish`, `swe`, `sv-SE`
and `sv` mean the same everywhere.
"""

from __future__ import annotations

from typing import Any

#: Languages the service knows, code → English name.
SUPPORTED_LANGUAGES: dict[str, str] = {
    "en": "English",
    "sv": "Swedish",
    "sw": "Swahili",
    "fa": "Persian",
    "cnr": "Montenegrin",
    "bs": "Bosnian",
    "hr": "Croatian",
    "sr": "Serbian",
    "hbs": "Serbo-Croatian (Bosnian, Croatian, Montenegrin or Serbian)",
}

#: Each language's name in itself, as the web pages label documents and offer the interface.
LANGUAGE_ENDONYMS: dict[str, str] = {
    "en": "English",
    "sv": "svenska",
    "sw": "Kiswahili",
    "fa": "فارسی",
    "cnr": "crnogorski",
    "bs": "bosanski",
    "hr": "hrvatski",
    "sr": "srpski",
    "hbs": "srpskohrvatski",
}

#: Languages written right to left.
RTL_LANGUAGES: frozenset[str] = frozenset({"fa"})

#: The Serbo-Croatian family: the variants and the family code itself.
HBS_FAMILY: frozenset[str] = frozenset({"cnr", "bs", "hr", "sr", "hbs"})

#: Country (ISO 3166-1 alpha-2) → Serbo-Croatian variant.
COUNTRY_VARIANTS: dict[str, str] = {"ME": "cnr", "BA": "bs", "HR": "hr", "RS": "sr"}

LANGUAGE_ALIASES: dict[str, str] = {
    "eng": "en", "english": "en",
    "swe": "sv", "swedish": "sv", "svenska": "sv",
    "swa": "sw", "swh": "sw", "swahili": "sw", "kiswahili": "sw",
    "fas": "fa", "per": "fa", "pes": "fa", "prs": "fa", "persian": "fa", "farsi": "fa", "فارسی": "fa",
    "montenegrin": "cnr", "crnogorski": "cnr", "црногорски": "cnr",
    "bos": "bs", "bosnian": "bs", "bosanski": "bs", "босански": "bs",
    "hrv": "hr", "croatian": "hr", "hrvatski": "hr",
    "srp": "sr", "serbian": "sr", "srpski": "sr", "српски": "sr",
    "sh": "hbs", "bcms": "hbs", "bcs": "hbs", "serbo-croatian": "hbs", "srpskohrvatski": "hbs",
}

_COUNTRY_ALIASES: dict[str, str] = {
    "MNE": "ME", "MONTENEGRO": "ME", "CRNA GORA": "ME", "ЦРНА ГОРА": "ME",
    "BIH": "BA", "BOSNIA": "BA", "BOSNIA AND HERZEGOVINA": "BA", "BOSNIA-HERZEGOVINA": "BA",
    "BOSNA I HERCEGOVINA": "BA",
    "HRV": "HR", "CROATIA": "HR", "HRVATSKA": "HR",
    "SRB": "RS", "SERBIA": "RS", "SRBIJA": "RS", "СРБИЈА": "RS",
}

#: Languages with their own text analysis (stopwords, stems); every Serbo-Croatian code shares ``hbs``.
ANALYSED_LANGUAGES: frozenset[str] = frozenset({"en", "sv", "sw", "fa", "hbs"})


def normalize_language(code: Any) -> str | None:
    """Map a declared language (``"sv-SE"``, ``"swe"``, ``"Swedish"``, ``"CNR"``) to our code.

    Unknown values are returned lower-cased and stripped (never dropped); ``None``/empty → None.
    """
    if code is None:
        return None
    value = str(code).strip().lower().replace("_", "-")
    if not value:
        return None
    if value in LANGUAGE_ALIASES:
        return LANGUAGE_ALIASES[value]
    if value in SUPPORTED_LANGUAGES:
        return value
    if value in ("sr-latn", "sr-cyrl", "srp-latn", "srp-cyrl"):
        return "sr"
    base = value.split("-", 1)[0]
    if base in SUPPORTED_LANGUAGES or base in LANGUAGE_ALIASES:
        return LANGUAGE_ALIASES.get(base, base)
    return value


def normalize_country(country: Any) -> str | None:
    """Map ``"me"``, ``"MNE"``, ``"Montenegro"``, ``"Crna Gora"`` to ISO alpha-2 (``"ME"``)."""
    if country is None:
        return None
    value = " ".join(str(country).split()).upper()
    if not value:
        return None
    return _COUNTRY_ALIASES.get(value, value)


def family_of(code: str | None) -> str | None:
    """``hbs`` for any Serbo-Croatian code (also langdetect's ``hr``), else the code."""
    if code is None:
        return None
    return "hbs" if code in HBS_FAMILY else code



def analysis_language(language: Any) -> str | None:
    """The analysis a language gets: ``en sv sw fa hbs``, or None (language-neutral).

    Accepts every spelling `normalize_language` does (``sv-SE``, ``swe``, ``sr-Latn``, ``Persian``);
    every Serbo-Croatian code (``cnr bs hr sr hbs``) gives ``hbs``.
    """
    family = family_of(normalize_language(language))
    return family if family in ANALYSED_LANGUAGES else None


def resolve_language(
    declared: str | None, detected: str | None, country: str | None = None
) -> str | None:
    """Final language from a declared language, a detected code (ours) and the country.

    - declared, in the family, detected anything: the declared variant (``hbs`` declared is
      refined by the country when it names one);
    - declared outside the family: the declared language (also when detection disagrees);
    - nothing declared, detection in the family: the country's variant, else ``hbs``;
    - nothing declared: the detected code (None when detection had no answer).
    """
    declared_code = normalize_language(declared)
    variant = COUNTRY_VARIANTS.get(normalize_country(country) or "")
    if declared_code is not None:
        if declared_code == "hbs" and variant is not None:
            return variant
        return declared_code
    if detected is not None and family_of(detected) == "hbs":
        return variant or "hbs"
    return detected

