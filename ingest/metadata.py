"""Fill missing document metadata from the text: publication date, year, organisations, places.

`MetadataExtractor` never overwrites a value the sidecar or the uploader declared (a key that is
present with a non-empty value). Whatever it fills in is recorded, with the snippet of text it
came from, under ``meta["extracted"] = {field: evidence}``, so every extracted value can be
checked against its source.

Dates. The publication date is the first valid date in the head of the document (the first
``header_chars`` characters, 400 by default), else in the first `BODY_FACTOR` (3) heads, in any of
the formats these sites use (digits inside an image file name, ``IMG_26.09.2014.jpg``, are none):

* ISO ``2020-02-24`` (also inside ``Publicerad 2020-02-24 11:16``) and ``2020/02/24``;
* day-first numeric ``03.03.2023`` / ``03.03.2023.`` (never month-first: ``03/04/2023`` is skipped
  as ambiguous);
* a day and a month name: Swedish ``24 februari 2020``, English ``24 February 2020`` /
  ``February 24, 2020``, Swahili ``24 Mei 2023`` / ``Mei 24, 2023``, Bosnian/Croatian/Montenegrin/
  Serbian ``3. marta 2023`` / ``3. ožujka 2023``; Swahili spellings in use (``Disemba``, ``Febuari``)
  and the Persian names of the Gregorian months (``08 اکتبر 2024``);
* the Solar Hijri calendar, with Persian or ASCII digits: ``یکشنبه 4 آذر 1403`` or ``1403/09/04``,
  converted with jdatetime (``4 آذر 1403`` = 2024-11-24).

A candidate that is no real day (``31.02.2023``, ``1403/13/40``) is skipped, never repaired.
A month and year without a day (``Mei 2023``) gives the year only. When the declared ``year``
contradicts an extracted date, the date is not filled in (the conflict is recorded).

Organisations and places come from a small, per-language gazetteer of patterns (``Polisen``,
``Region X``, ``X kommun``, ``Centar za socijalni rad``, ``Uprava policije``, ``Polisi wa X``,
``فراجا``, ``X Council`` …) and of place constructions (``på Gotland``, ``huko Surrey``,
``Region X`` → X, ``Policijska stanica Berane`` → Berane, a capitalised dateline ``BERANE:``,
``مسجد جامع نارمک`` → نارمک). It is deliberately small: it finds the organisations and places
these document types name in their standard ways, not every named entity.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections import Counter
from dataclasses import replace
from typing import Any, Callable

from haystack import Document, component, default_from_dict, default_to_dict, logging

from ingest.isolation import each_document
from ingest.places import load_gazetteer

logger = logging.getLogger(__name__)

#: The fields this component can fill.
FIELDS: tuple[str, ...] = ("date", "year", "organisations", "places")

_DIGIT_TABLE = str.maketrans(
    {**{chr(0x06F0 + i): str(i) for i in range(10)}, **{chr(0x0660 + i): str(i) for i in range(10)},
     "ي": "ی", "ك": "ک"})

# ------------------------------------------------------------------------------------ months

#: Month names (lower case, with the inflected/abbreviated forms news sites use) → month number.
MONTHS: dict[str, int] = {}
_MONTH_FORMS = {
    # Swedish
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7, "augusti": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "apr": 4, "aug": 8, "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
    "mar": 3, "jun": 6, "jul": 7, "oct": 10,
    # Swahili, with the spellings in use beside the standard ones (Febuari, Disemba, Agost)
    "machi": 3, "aprili": 4, "mei": 5, "julai": 7, "agosti": 8, "septemba": 9, "oktoba": 10,
    "novemba": 11, "desemba": 12, "febuari": 2, "feburuari": 2, "mach": 3, "agost": 8, "sebtemba": 9,
    "octoba": 10, "disemba": 12,
    # Persian names of the Gregorian months (news sites date in both calendars)
    "ژانویه": 1, "ژانویهٔ": 1, "فوریه": 2, "مارس": 3, "آوریل": 4, "مه": 5, "می": 5, "ژوئن": 6, "ژوئیه": 7,
    "جولای": 7, "اوت": 8, "آگوست": 8, "سپتامبر": 9, "اکتبر": 10, "نوامبر": 11, "دسامبر": 12,
    # Bosnian / Montenegrin / Serbian (nominative and genitive)
    "januar": 1, "januara": 1, "februar": 2, "februara": 2, "mart": 3, "marta": 3, "aprila": 4, "maja": 5,
    "juna": 6, "jul": 7, "jula": 7, "avgust": 8, "avgusta": 8, "augusta": 8, "septembar": 9, "septembra": 9,
    "oktobar": 10, "oktobra": 10, "novembar": 11, "novembra": 11, "decembar": 12, "decembra": 12,
    # Croatian
    "siječanj": 1, "siječnja": 1, "veljača": 2, "veljače": 2, "ožujak": 3, "ožujka": 3, "travanj": 4,
    "travnja": 4, "svibanj": 5, "svibnja": 5, "lipanj": 6, "lipnja": 6, "srpanj": 7, "srpnja": 7,
    "kolovoz": 8, "kolovoza": 8, "rujan": 9, "rujna": 9, "listopad": 10, "listopada": 10, "studeni": 11,
    "studenoga": 11, "studenog": 11, "prosinac": 12, "prosinca": 12,
}
MONTHS.update(_MONTH_FORMS)

#: Solar Hijri months, فروردین … اسفند.
PERSIAN_MONTHS: dict[str, int] = {
    name: i + 1 for i, name in enumerate(
        ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"])
}
PERSIAN_MONTHS["امرداد"] = 5

_MONTH_ALT = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_FA_MONTH_ALT = "|".join(sorted(map(re.escape, PERSIAN_MONTHS), key=len, reverse=True))

_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<![\d/.-])(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?![\d/-])")),
    ("dmy", re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})(?!\d)")),
    # "5 maj 2025", "5th Sep , 2022", "12. januara 2025."
    ("d_month_y", re.compile(r"(?<![\w.])(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?(?P<mn>" + _MONTH_ALT
                             + r")\.?\s?,?\s+(?P<y>\d{4})(?!\d)",
                             re.IGNORECASE)),
    ("month_d_y", re.compile(r"(?<!\w)(?P<mn>" + _MONTH_ALT + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\s?,?\s+(?P<y>\d{4})(?!\d)",
                             re.IGNORECASE)),
    ("fa_d_month_y", re.compile(r"(?<!\d)(?P<d>\d{1,2})\s*(?P<fmn>" + _FA_MONTH_ALT + r")\s*(?:ماه\s*)?(?P<y>1[34]\d{2})(?!\d)")),
]
# An image file name ("G_Derrick_26.09.2014_LR.jpg"), glued to the text or not: its digits are
# no date of the document.
_IMAGE_NAME_RE = re.compile(r"[\w\-.()%~+]*\.(?:jpe?g|png|gif|webp|bmp|tiff?)", re.IGNORECASE)
_MONTH_YEAR_RE = re.compile(r"(?<!\w)(?P<mn>" + _MONTH_ALT + r")\s+(?P<y>(?:19|20)\d{2})(?!\d)", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<![\d.,:/-])((?:19|20)\d{2})(?![\d:/-]|\.\d)")
_SH_YEAR_RE = re.compile(r"(?<![\d.,:/-])(1[34]\d{2})(?![\d:/-])")


def _to_ascii(text: str) -> str:
    """Digits as ASCII, Persian letter variants unified, image file names blanked (same length)."""
    text = unicodedata.normalize("NFC", text).translate(_DIGIT_TABLE)
    return _IMAGE_NAME_RE.sub(lambda m: " " * len(m.group()), text)


def solar_hijri_to_gregorian(year: int, month: int, day: int) -> _dt.date | None:
    """The Gregorian day of a Solar Hijri date, or None when it is no real day."""
    if not (1200 <= year <= 1600 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    try:
        import jdatetime

        return jdatetime.date(year, month, day).togregorian()
    except (ValueError, OverflowError):
        return None


def _gregorian(year: int, month: int, day: int) -> _dt.date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _snippet(text: str, start: int, end: int, pad: int = 30) -> str:
    s = text[max(0, start - pad):min(len(text), end + pad)]
    return re.sub(r"\s+", " ", s).strip()


def find_date(text: str, header_chars: int = 400) -> tuple[str, str, str] | None:
    """(ISO date, evidence snippet, calendar) of the first valid date in the head; when the head has
    none, of the first in the first `BODY_FACTOR` heads (a page whose menus and lead push the
    dateline down, a news item that dates itself in its first paragraph: "leo Disemba 12, 2023");
    else None."""
    for limit in (header_chars, header_chars * BODY_FACTOR):
        found = _first_date(text, limit)
        if found:
            return found
    return None


#: How many heads deep a date is looked for when the head has none.
BODY_FACTOR = 3


def _first_date(text: str, header_chars: int) -> tuple[str, str, str] | None:
    head = _to_ascii((text or "")[:header_chars])
    candidates: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(head):
            candidates.append((m.start(), -m.end(), kind, m))
    for _, _, kind, m in sorted(candidates, key=lambda c: (c[0], c[1])):
        y, d = int(m.group("y")), int(m.group("d"))
        calendar = "gregorian"
        if kind == "fa_d_month_y":
            date = solar_hijri_to_gregorian(y, PERSIAN_MONTHS[m.group("fmn")], d)
            calendar = "solar_hijri"
        elif kind in ("d_month_y", "month_d_y"):
            date = _gregorian(y, MONTHS[m.group("mn").lower()], d)
        else:
            month = int(m.group("m"))
            if 1200 <= y <= 1600:  # numeric Solar Hijri: 1403/09/04
                date, calendar = solar_hijri_to_gregorian(y, month, d), "solar_hijri"
            else:
                date = _gregorian(y, month, d)
        if date is not None:
            return date.isoformat(), _snippet(text, m.start(), m.end()), calendar
    return None


def find_year(text: str, header_chars: int = 400) -> tuple[int, str] | None:
    """A prominent year when there is no full date: a month-year (``Mei 2023``) or a year in the
    head; else a year named at least twice in the document. Solar Hijri years (1300-1499, only in
    Arabic-script text) give the Gregorian year in which they begin."""
    text = text or ""
    ascii_text = _to_ascii(text)
    head = ascii_text[:header_chars]
    m = _MONTH_YEAR_RE.search(head)
    if m:
        return int(m.group("y")), _snippet(text, m.start(), m.end())
    m = _YEAR_RE.search(head)
    if m:
        return int(m.group(1)), _snippet(text, m.start(), m.end())
    arabic = sum(1 for ch in head if "\u0600" <= ch <= "\u06ff")
    if arabic > len(head) / 4:
        m = _SH_YEAR_RE.search(head)
        if m:
            start = solar_hijri_to_gregorian(int(m.group(1)), 1, 1)
            if start is not None:
                return start.year, f"{_snippet(text, m.start(), m.end())} (Solar Hijri {m.group(1)} begins {start.isoformat()})"
    counts = Counter(_YEAR_RE.findall(ascii_text))
    if counts:
        year, n = counts.most_common(1)[0]
        if n >= 2:
            i = ascii_text.find(year)
            return int(year), _snippet(text, i, i + 4)
    return None


# --------------------------------------------------------------------------- organisations

_UP = r"[A-ZÅÄÖÆØÉÜČĆŠŽĐ]"
_LOW = r"[a-zåäöæøéüčćšžđ\-]"
_NAME = _UP + _LOW + r"+"

#: (language group, pattern, canonical form or None = as matched). Case-sensitive on purpose.
ORGANISATION_PATTERNS: list[tuple[str, re.Pattern[str], Callable[[re.Match[str]], str] | None]] = []


def _org(lang: str, pattern: str, canon: Callable[[re.Match[str]], str] | str | None = None, flags: int = 0) -> None:
    fn = (lambda m, c=canon: c) if isinstance(canon, str) else canon
    ORGANISATION_PATTERNS.append((lang, re.compile(pattern, flags), fn))


# Swedish
_org("sv", r"\bPolisen\b|\bPolismyndigheten\b", "Polisen")
_org("sv", r"\bRegion (" + _NAME + r")\b", lambda m: f"Region {_sv_nominative(m.group(1))}")
#: "En kommun", "Varje kommun": a determiner, not a municipality's name.
_SV_DETERMINERS = r"(?!(?:En|Ett|Varje|Vår|Er|Din|Min|Sin|Den|Denna|Hela|Ingen|Annan|Samma|Vilken|Alla)\b)"
_org("sv", r"\b" + _SV_DETERMINERS + r"(" + _NAME + r") kommun\b", lambda m: f"{m.group(1)} kommun")
_org("sv", r"\blokalpolisområde (" + _NAME + r")\b", lambda m: f"lokalpolisområde {m.group(1)}")
_org("sv", r"\bLänsstyrelsen(?: i (" + _NAME + r"(?: län)?))?\b",
     lambda m: "Länsstyrelsen" + (f" i {m.group(1)}" if m.group(1) else ""))
_org("sv", r"\b(Socialtjänsten|Räddningstjänsten|Brottsförebyggande rådet|Trafikverket|Kriminalvården)\b")
# English. An area's name may join two ("Avon and Somerset Police", "Limerick City and County
# Council"); capitalised words that only open a sentence ("Today Kent Police …") are no part of it.
_EN_WORD = r"(?!(?:Police|Council|Constabulary)\b)" + _NAME + " "
_EN_AREA = r"(?:" + _EN_WORD + r")+(?:and (?:" + _EN_WORD + r")+)?"
_EN_FOR = r"(?: for (?:the )?" + _NAME + r"(?: " + _NAME + r")*(?: and " + _NAME + r"(?: " + _NAME + r")*)?)?"
_EN_OPENERS = frozenset("The This That These Our Their Your My His Her Its Today Yesterday Tomorrow A An And But Both "
                        "Each Every When If As Under With Meanwhile Now Also Last Next New "
                        # the imperative that opens a pledge list's item ("- Ensure Leicestershire Police …")
                        "Ensure Require Call Ask Work Support Help Hold Make Monitor Encourage Continue Deliver Provide "
                        "Promote Review Lobby Invest Launch Increase Reduce Tackle Develop Create Improve Establish "
                        "Introduce Maintain Protect Prioritise Prioritize Free Give Urge Expect Challenge".split())


def _en_name(m: re.Match[str]) -> str:
    words = m.group(1).split()
    while words and words[0] in _EN_OPENERS:
        words = words[1:]
    return " ".join(words) if len(words) > 1 else ""  # "Police" or "Council" alone names no body


_org("en", r"\b(" + _EN_AREA + r"(?:City |County |District |Borough |Town |Parish )?Council)\b", _en_name)
_org("en", r"\b(" + _EN_AREA + r"(?:Police(?: Service| Force)?|Constabulary)|Police Scotland)\b", _en_name)
_org("en", r"\b(" + _EN_AREA + r"(?:Community Safety Partnership|Police and Crime Panel|Fire and Rescue Service))\b",
     _en_name)
_org("en", r"\b((?:Office of the )?Police and Crime (?:Commissioner|Panel)" + _EN_FOR + r")")
_org("en", r"\bOffice of the PCC\b", "Office of the Police and Crime Commissioner")
_org("en", r"\b(?<!\()(?<!Office of the )PCC\b(?!\))", "Police and Crime Commissioner")
_org("en", r"\b((?:An )?Garda Síochána|NHS(?: " + _NAME + r")*)\b")
# Swahili
_org("sw", r"\b(Polisi wa " + _NAME + r")\b")
# a region's or district's force is named with its place ("Jeshi la Polisi Mkoa wa Singida"), not cut after "Mkoa"
_SW_AREA = r"(?:Mkoa|Wilaya|Kanda|Kaunti)"
_org("sw", r"\b(Jeshi la Polisi(?: " + _SW_AREA + r" (?:wa|ya|la) " + _NAME + r"| (?!" + _SW_AREA + r"\b)" + _NAME + r")?)\b")
_org("sw", r"\b(Halmashauri ya (?:Wilaya|Jiji|Manispaa|Mji|Kaunti)(?: ya)? " + _NAME + r")\b")
_org("sw", r"\b(Ofisi ya (?:" + _NAME + r" )(?:(?:na|ya|wa) )?(?:" + _NAME + r" )?(?:wa|ya) (?:" + _NAME + r" )?(?:wa )?" + _NAME + r")\b")
_org("sw", r"\b(Wizara ya " + _NAME + r"(?: (?:na|ya) " + _NAME + r")?)\b")
# Bosnian / Croatian / Montenegrin / Serbian (inflected forms → nominative)
_org("hbs", r"\bCent(?:ar|ra|ru|rom)\s+za\s+socijalni\s+rad\b", "Centar za socijalni rad", re.IGNORECASE)
_org("hbs", r"\bUprav(?:a|e|i|u|om)\s+policije\b", "Uprava policije", re.IGNORECASE)
_org("hbs", r"\bPolicijsk(?:a|e|oj|u|om)\s+stanic(?:a|e|i|u|om)\s+(" + _NAME + r")(?:\s+(" + _NAME + r"))?\b",
     lambda m: f"Policijska stanica {_hbs_place(m)}")
_org("hbs", r"\bCB\s+(" + _NAME + r")\b", lambda m: f"CB {m.group(1)}")
# the municipality as the text spells it (Općina in Croatian and Bosnian, Opština in Montenegrin and Serbian)
_org("hbs", r"\b(Opštin|Općin|Opstin)(?:a|e|i|u|om)\s+(" + _NAME + r")(?:\s+(" + _NAME + r"))?\b",
     lambda m: f"{m.group(1)}a {_hbs_place(m, 2)}")
_org("hbs", r"\b(Ministarstv(?:o|a|u)\s+unutrašnjih\s+poslova|MUP)\b", "Ministarstvo unutrašnjih poslova")
_org("hbs", r"\bPolicij(?:a|e|i|om)\b", "Policija")
# Persian
_org("fa", r"فراجا|ناجا|نیروی انتظامی", lambda m: m.group(0))
_org("fa", r"(?<!\w)پلیس(?!\w)", "پلیس")
_org("fa", r"خبرگزاری\s+(?!ها)\S+", lambda m: m.group(0).rstrip("،,.:؛"))
#: Words that follow "شهرداری" without naming it: function words ("شهرداری و پلیس", "شهرداری در …")
#: and verbs ("شهرداری می‌کند"). Then the organisation is the bare noun, "the municipality";
#: else its name is the next word, up to a comma ("شهرداری آمل،در").
_FA_NOT_A_NAME = re.compile(
    r"(?:" + "|".join("و که را در از به با تا برای نیز هم هر این آن است بر طی ضمن بین می نمی".split())
    + r")$|ن?می\u200c")
_org("fa", r"(?<!\w)(شهرداری|استانداری|فرمانداری)\s+(?!های|ها)([^\s،,.:؛]+)", lambda m: _fa_office(m.group(1), m.group(2)))
# a ministry is named by the next word, or two after "امور" ("وزارت کشور", "وزارت امور داخله")
_org("fa", r"(?<!\w)وزارت\s+(?!های|ها)((?:امور\s+)?[^\s،,.:؛]+)",
     lambda m: "وزارت" if _FA_NOT_A_NAME.match(m.group(1)) else f"وزارت {m.group(1)}")
_org("fa", r"مجلس شورای اسلامی|ستاد کل نیروهای مسلح|(?<!\w)بسیج(?!\w)|سازمان بهزیستی", lambda m: m.group(0))


def _fa_office(office: str, following: str) -> str:
    """"شهرداری تهران" where the next word is a place the gazetteer knows; else the office unnamed
    ("شهرداری همکاری …", "استانداری برگزار شد", "شهرداری و4000": the municipality, not a name)."""
    return f"{office} {following}" if load_gazetteer().lookup(following) else office


def _hbs_place(m: re.Match[str], group: int = 1) -> str:
    """The place after "Općina"/"Policijska stanica": two words where together they name a place
    the gazetteer knows (Novi Grad, Herceg Novi, Stari Grad), else the first."""
    first, second = m.group(group), m.group(group + 1)
    return f"{first} {second}" if second and load_gazetteer().lookup(f"{first} {second}") else first


def _sv_nominative(name: str) -> str:
    """"Region Hallands …" is Region Halland: a genitive s off a place the gazetteer knows."""
    gazetteer = load_gazetteer()
    return name[:-1] if name.endswith("s") and gazetteer.lookup(name[:-1]) and not any(
        p.name == name for p in gazetteer.lookup(name)) else name


# --------------------------------------------------------------------------------- places

_PLACE_STOP = frozenset(
    "Polisen Region Regionen Kommun Kommunen Medborgarlöfte Medborgarlöftet Nyheter Bild Press Under Det Den "
    "Vi Om The This Police Council Centar Uprava Polisi Ofisi Kamishna Mkutano Årets Dagens Nyheter "
    "محور ها های مردم".split())
PLACE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("sv", re.compile(r"(?<=\s)(?:i|på|från|inom)\s+(" + _NAME + r"(?:\s+län)?)\b")),
    ("sv", re.compile(r"\bRegion\s+(" + _NAME + r")\b")),
    ("sv", re.compile(r"\b(" + _NAME + r")\s+kommun\b")),
    ("sv", re.compile(r"\blokalpolisområde\s+(" + _NAME + r")\b")),
    ("en", re.compile(r"(?<=\s)(?:in|across|throughout)\s+(" + _NAME + r")\b")),
    ("sw", re.compile(r"\b(?:huko|kote|katika|mjini|wilayani)\s+(" + _NAME + r")\b")),
    ("sw", re.compile(r"\bPolisi wa\s+(" + _NAME + r")\b")),
    ("hbs", re.compile(r"\b(?:grad[au]?|opštin[aeiu]|općin[aeiu])\s+(" + _NAME + r")\b")),
    ("hbs", re.compile(r"\bPolicijsk\w+\s+stanic\w+\s+(" + _NAME + r")\b")),
    ("hbs", re.compile(r"\bCB\s+(" + _NAME + r")\b")),
    ("*", re.compile(r"(?m)^([A-ZČĆŠŽĐÅÄÖ]{3,}(?:[ -][A-ZČĆŠŽĐÅÄÖ]{3,})?):\s")),  # dateline "BERANE: …"
    ("fa", re.compile(r"(?:مسجد جامع|شهر|استان|محله|شهرستان)\s+(?!های|ها)([^\s،,.:؛()]+)")),
]

_GROUPS = {"en": "en", "sv": "sv", "sw": "sw", "fa": "fa", "cnr": "hbs", "bs": "hbs", "hr": "hbs", "sr": "hbs",
           "hbs": "hbs"}


def _groups(language: Any) -> set[str]:
    code = str(language).strip().lower() if isinstance(language, str) else ""
    group = _GROUPS.get(code)
    return {group, "*"} if group else {"en", "sv", "sw", "hbs", "fa", "*"}


def guess_language(text: str) -> str | None:
    """The language of an undeclared document, for picking gazetteer patterns.

    Uses `ingest.language.detect_language` when it is available; Arabic script → ``fa``."""
    sample = (text or "")[:3000]
    arabic = sum(1 for ch in sample if "\u0600" <= ch <= "\u06ff")
    letters = sum(1 for ch in sample if ch.isalpha()) or 1
    if arabic / letters > 0.5:
        return "fa"
    try:
        from core.detection import detect_language

        return detect_language(sample)
    except Exception:  # detection is a convenience here; without it every pattern is tried
        return None


def find_organisations(text: str, language: str | None = None) -> list[tuple[str, str]]:
    """(organisation, evidence) pairs in order of first mention, deduplicated."""
    text = unicodedata.normalize("NFC", text or "").replace("\u00a0", " ")
    groups = _groups(language)
    hits: list[tuple[int, str, str]] = []
    for lang, pattern, canon in ORGANISATION_PATTERNS:
        if lang not in groups:
            continue
        for m in pattern.finditer(text):
            name = canon(m) if canon else m.group(1) if m.groups() else m.group(0)
            hits.append((m.start(), name.strip(), _snippet(text, m.start(), m.end())))
    seen: dict[str, str] = {}
    for _, name, evidence in sorted(hits):
        if name and name.casefold() not in {k.casefold() for k in seen}:
            seen[name] = evidence
    return list(seen.items())


def find_places(text: str, language: str | None = None) -> list[tuple[str, str]]:
    """(place, evidence) pairs in order of first mention, deduplicated."""
    text = unicodedata.normalize("NFC", text or "").replace("\u00a0", " ")
    groups = _groups(language)
    hits: list[tuple[int, str, str]] = []
    for lang, pattern in PLACE_PATTERNS:
        if lang not in groups:
            continue
        for m in pattern.finditer(text):
            name = m.group(1).strip()
            if name.isupper() and len(name) > 3 and not any("\u0600" <= c <= "\u06ff" for c in name):
                name = name.title()
            if name in _PLACE_STOP or name.split()[0] in _PLACE_STOP:
                continue
            hits.append((m.start(), name, _snippet(text, m.start(), m.end())))
    seen: dict[str, str] = {}
    for _, name, evidence in sorted(hits):
        if name.casefold() not in {k.casefold() for k in seen}:
            seen[name] = evidence
    return list(seen.items())


# -------------------------------------------------------------------------------- component

def _given(meta: dict[str, Any], key: str) -> bool:
    value = meta.get(key)
    return value is not None and value != "" and value != [] and value != {}


@component
class MetadataExtractor:
    """Fills ``date``, ``year``, ``organisations`` and ``places`` from the text where the declared
    meta does not give them, recording the evidence under ``meta["extracted"]``.

    ### Usage example
    ```python
    from haystack import Document
    from ingest.metadata import MetadataExtractor

    doc = Document(content="Publicerad 2020-02-24 11:16\\nPolisen på Gotland …")
    MetadataExtractor().run([doc])["documents"][0].meta["date"]  # "2020-02-24"
    ```
    """

    def __init__(self, fields: list[str] | None = None, header_chars: int = 400) -> None:
        """
        :param fields: which fields to fill; default all of `FIELDS` ("date", "year", "organisations", "places").
        :param header_chars: how far from the top the publication date is looked for.
        :raises ValueError: on an unknown field or a non-positive `header_chars`.
        """
        fields = list(FIELDS) if fields is None else list(fields)
        unknown = [f for f in fields if f not in FIELDS]
        if unknown:
            raise ValueError(f"Unknown field(s) {unknown} in MetadataExtractor. Valid fields are: {list(FIELDS)}")
        if not isinstance(header_chars, int) or header_chars <= 0:
            raise ValueError("header_chars must be a positive integer.")
        self.fields = fields
        self.header_chars = header_chars

    def to_dict(self) -> dict[str, Any]:
        return default_to_dict(self, fields=self.fields, header_chars=self.header_chars)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "MetadataExtractor":
        return default_from_dict(cls, data)

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        """
        Fill missing metadata.

        :param documents: whole documents.
        :returns: ``{"documents": [...]}``: copies with the filled meta, in input order.
        """
        return {"documents": each_document(documents, self.extract, "metadata extraction", logger)}

    def extract(self, doc: Document) -> Document:
        text = doc.content or ""
        meta = dict(doc.meta or {})
        extracted: dict[str, Any] = dict(meta.get("extracted") or {})
        language = meta.get("language") or guess_language(text)
        if "date" in self.fields and not _given(meta, "date"):
            found = find_date(text, self.header_chars)
            if found:
                iso, evidence, calendar = found
                if _given(meta, "year") and str(meta["year"]) != iso[:4]:
                    extracted["conflicts"] = {**extracted.get("conflicts", {}),
                                              "date": f"{iso} from {evidence!r} contradicts declared year {meta['year']}"}
                else:
                    meta["date"] = iso
                    extracted["date"] = evidence if calendar == "gregorian" else f"{evidence} (Solar Hijri → {iso})"
        if "year" in self.fields and not _given(meta, "year"):
            if _given(meta, "date") and re.match(r"^\d{4}-\d{2}-\d{2}$", str(meta["date"])):
                meta["year"] = int(str(meta["date"])[:4])
                extracted["year"] = extracted.get("date") or f"declared date {meta['date']}"
            else:
                found_year = find_year(text, self.header_chars)
                if found_year:
                    meta["year"], extracted["year"] = found_year
        if "organisations" in self.fields and not _given(meta, "organisations"):
            orgs = find_organisations(text, language)
            if orgs:
                meta["organisations"] = [name for name, _ in orgs]
                extracted["organisations"] = {name: evidence for name, evidence in orgs}
        if "places" in self.fields and not _given(meta, "places"):
            places = find_places(text, language)
            if places:
                meta["places"] = [name for name, _ in places]
                extracted["places"] = {name: evidence for name, evidence in places}
        if extracted:
            meta["extracted"] = extracted
        return replace(doc, meta=meta)
