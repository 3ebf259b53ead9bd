"""What a commitment states besides itself: quantities, years and deadlines (Solar Hijri
converted), actors and the target of the pledge."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ingest.commitments.classifier import _SV_NOT_INFINITIVE, starts_with_infinitive
from ingest.commitments.languages import _CYR2LAT, _FA_TABLE, _SPACE_RE, mostly_cyrillic, normalize, rule_language, to_cyrillic
from ingest.commitments.rules import HBS_PASSIVE, RULES
from ingest.commitments.units import _MARKER_RE, ACTOR_TAG_MAX_WORDS, ACTOR_TAG_RE

_NUMBER_WORDS: dict[str, dict[str, int]] = {
    "sv": {"två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9, "tio": 10,
           "elva": 11, "tolv": 12, "femton": 15, "tjugo": 20, "trettio": 30, "femtio": 50, "hundra": 100,
           "tusen": 1000},
    "en": {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100,
           "thousand": 1000},
    "sw": {"mbili": 2, "tatu": 3, "nne": 4, "tano": 5, "sita": 6, "saba": 7, "nane": 8, "tisa": 9, "kumi": 10,
           "ishirini": 20, "thelathini": 30, "hamsini": 50, "mia": 100, "elfu": 1000},
    "hbs": {"dva": 2, "dvije": 2, "dvoje": 2, "tri": 3, "troje": 3, "četiri": 4, "pet": 5, "šest": 6,
            "sedam": 7, "osam": 8, "devet": 9, "deset": 10, "dvadeset": 20, "trideset": 30, "pedeset": 50,
            "sto": 100, "stotinu": 100, "hiljadu": 1000, "tisuću": 1000},
    "fa": {"دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7, "هشت": 8, "ده": 10, "بیست": 20,
           "صد": 100, "هزار": 1000},
}
_SCALE_RE = (r"(?:هزار|میلیون|میلیارد|درصد|tusen|miljoner?|procent|thousand|million|percent|per\s+cent|%"
             r"|elfu|milioni|asilimia|hiljad[aue]|tisuć[aeu]|miliona?|posto|odsto)")
_DIGITS_RE = re.compile(r"(?<![\d.,:/-])(\d{1,3}(?:[ \u00a0]\d{3})+|\d+(?:[.,]\d+)?)(?![\d:/-]|\.\d)(\s*" + _SCALE_RE + r"(?!\w))?")
_PHONE_CONTEXT_RE = re.compile(r"(broj|tel|telefon|nummer|namba|simu|phone|شماره|tfn)\W*$", re.IGNORECASE)


def _is_year(value: str, group: str) -> bool:
    if not value.isdigit() or len(value) != 4:
        return False
    n = int(value)
    return 1900 <= n <= 2100 or (group == "fa" and 1300 <= n <= 1499)


#: What a number next to these words measures is an age, a date, a time or a duration, not a
#: count of actions or things: "barn 6–12 år", "aged 16", "3 maj", "dvadeset četiri sata",
#: "umri wa miaka 18", "۸ آبان", "۲۴ ساعت".
_NOT_A_COUNT_AFTER = re.compile(
    r"^[\s\-–]*(år|åring\w*|års\w*|månad\w*|veck\w*|dag(ar|en)?|timm\w*|minut\w*|"
    r"years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|o'?clock|am|pm|"
    r"miaka|mwaka|mwezi|miezi|wiki|siku|saa|dakika|"
    r"godin\w*|mjesec\w*|mesec\w*|sedmic\w*|nedjelj\w*|nedelj\w*|dan(a|i)?|sat(a|i)?|minut\w*|"
    r"سال|ساله|ماه|هفته|روز|ساعت|دقیقه|"
    r"jan\w*|feb\w*|mar\w*|apr\w*|maj|may|jun\w*|jul\w*|aug\w*|avg\w*|sep\w*|okt\w*|oct\w*|nov\w*|dec\w*|"
    r"januar\w*|siječ\w*|velj\w*|ožuj\w*|trav\w*|svib\w*|lip\w*|srp\w*|kolov\w*|ruj\w*|listop\w*|stud\w*|prosin\w*|"
    r"januari|februari|machi|aprili|mei|juni|julai|agosti|septemba|oktoba|novemba|desemba|"
    r"فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند)(?!\w)",
    re.IGNORECASE)
_NOT_A_COUNT_BEFORE = re.compile(
    r"(\b(aged?|ages|age\s+of|under|over|upp\s+till|från|ålder(n)?|umri\s+wa(\s+miaka)?|miaka|starosti\s+od|uzrasta\s+(od)?|"
    r"kl\.?|klockan|den|saa|tarehe|januari|februari|machi|aprili|mei|juni|julai|agosti|septemba|oktoba|novemba|desemba|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"siku|miezi|mwezi|wiki|dakika)|سن|سنین)\s*(\d+\s*(to|and|till|och|hadi|na|do|i|[-–])\s*)?$",
    re.IGNORECASE)


def _counts_things(text: str, start: int, end: int) -> bool:
    """Is the number at text[start:end] a count (of actions or things), not an age, date or duration?"""
    after = text[end:end + 24]
    if re.match(r"^\s*[-–]\s*\d", after):  # a range "6–12 år": judged by what follows the range
        after = re.sub(r"^\s*[-–]\s*\d+", "", after)
    return not (_NOT_A_COUNT_AFTER.match(after) or _NOT_A_COUNT_BEFORE.search(text[max(0, start - 20):start]))


def extract_quantities(sentence: str, language: str | None) -> list[str]:
    """Numbers stated in the sentence that count actions or things, as written (number words,
    digits, digits + scale word).

    Years, list numbers, phone numbers, dates, ages, times and durations are left out. Persian
    digits are returned as ASCII digits ("۳ هزار" → "3 هزار")."""
    group = rule_language(language, sentence)[0]
    text = unicodedata.normalize("NFC", sentence).translate(_FA_TABLE)
    marker = _MARKER_RE.match(text)
    offset = marker.end() if marker and marker.lastgroup == "number" else 0
    found: list[tuple[int, str]] = []
    for m in _DIGITS_RE.finditer(text, offset):
        value = m.group(1)
        if _is_year(value, group) and not m.group(2):
            continue
        if _PHONE_CONTEXT_RE.search(text[max(0, m.start() - 12):m.start()]):
            continue
        around = text[max(0, m.start() - 2):m.end() + 2]
        if re.search(r"\d\s*[–-]\s*\d|\d[.]\d", around) and not m.group(2):
            continue  # phone/date fragments like "067 – 602-337", "03.03"
        if not m.group(2) and not _counts_things(text, m.start(), m.end()):
            continue
        currency = text[m.start() - 1] if m.start() > 0 and text[m.start() - 1] in "£$€" else ""
        found.append((m.start(), currency + _SPACE_RE.sub(" ", m.group(0)).strip()))
    words = _NUMBER_WORDS.get(group, {})
    if words:
        lowered = text.casefold()
        pattern = r"(?<!\w)(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")(?:\s+(" + \
            "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r"))*(?!\w)"
        taken = [(start, start + len(q)) for start, q in found]
        for m in re.finditer(pattern, lowered):
            if m.start() >= offset and not any(s < m.end() and m.start() < e for s, e in taken) \
                    and _counts_things(text, m.start(), m.end()):
                found.append((m.start(), text[m.start():m.end()]))
    found.sort()
    return [q for _, q in found]


def pick_quantity(quantities: Sequence[str]) -> str | None:
    """The quantity to report: one with a scale word ("3 هزار") first, else the first one."""
    for q in quantities:
        if re.search(_SCALE_RE + r"\s*$", q):
            return q
    return quantities[0] if quantities else None


def sh_year_to_gregorian(year: int) -> tuple[str, str]:
    """First and last Gregorian day (ISO) of Solar Hijri year `year`, via jdatetime."""
    import jdatetime

    first = jdatetime.date(year, 1, 1).togregorian()
    last = (jdatetime.date(year + 1, 1, 1) - jdatetime.timedelta(days=1)).togregorian()
    return first.isoformat(), last.isoformat()


_YEAR_RE = re.compile(r"(?<!\d)(1[34]\d{2}|19\d{2}|20\d{2}|2100)(?!\d)")
#: A financial or school year written with the next year's last two digits: "2025/26", "2025–26".
_SPLIT_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s?[/–-]\s?(\d{2})(?!\d|[/.-]\d)")


def extract_years(sentence: str, language: str | None) -> dict[str, Any]:
    """Years/deadline stated in the sentence.

    Gregorian years 1900-2100 anywhere; in Persian text (or Arabic script) 1300-1499 is read as
    Solar Hijri and converted with jdatetime. Returns ``{}`` when there is none, else ``year``
    (the last/latest year, Gregorian; for Solar Hijri the Gregorian year in which it begins),
    ``deadline`` (human-readable, e.g. "2020" or "1405 SH (2026/27)"), ``year_range`` [first,
    last] when several years are named, and for Solar Hijri ``years_sh`` and ``period``
    (first/last Gregorian day covered)."""
    group = rule_language(language, sentence)[0]
    text = unicodedata.normalize("NFC", sentence).translate(_FA_TABLE)
    gregorian: list[int] = []
    solar: list[int] = []
    for m in _YEAR_RE.finditer(text):
        n = int(m.group(1))
        before = text[max(0, m.start() - 12):m.start()]
        if _PHONE_CONTEXT_RE.search(before):
            continue
        if 1300 <= n <= 1499:
            if group == "fa":
                solar.append(n)
        elif 1900 <= n <= 2100:
            gregorian.append(n)
    for m in _SPLIT_YEAR_RE.finditer(text):
        first = int(m.group(1))
        if int(m.group(2)) == (first + 1) % 100:
            gregorian.append(first + 1)
    out: dict[str, Any] = {}
    if solar:
        first_sh, last_sh = min(solar), max(solar)
        start_g = int(sh_year_to_gregorian(first_sh)[0][:4])
        end_g = int(sh_year_to_gregorian(last_sh)[0][:4])
        out.update(
            year=end_g,
            deadline=f"{last_sh} SH ({end_g}/{str(end_g + 1)[-2:]})",
            years_sh=sorted(set(solar)),
            calendar="solar_hijri",
            period={"from": sh_year_to_gregorian(first_sh)[0], "to": sh_year_to_gregorian(last_sh)[1]},
        )
        if first_sh != last_sh:
            out["year_range"] = [start_g, end_g]
    elif gregorian:
        out.update(year=max(gregorian), deadline=str(max(gregorian)))
        if len(set(gregorian)) > 1:
            out["year_range"] = [min(gregorian), max(gregorian)]
    return out


def _org_pattern(name: str) -> re.Pattern[str] | None:
    """A tolerant pattern for an organisation name: each word may inflect (Uprava → Uprave)."""
    words = re.findall(r"\w+", unicodedata.normalize("NFC", name).translate(_FA_TABLE).casefold())
    if not words:
        return None
    parts = []
    for w in words:
        keep = len(w) if len(w) <= 4 else max(4, len(w) - 2)
        parts.append(re.escape(w[:keep]) + r"\w*")
    return re.compile(r"(?<!\w)" + r"[\s\u00a0]+".join(parts) + r"(?!\w)")


def find_actors(text: str, organisations: Sequence[str]) -> list[str]:
    """The organisations of `organisations` named in `text` (inflection-tolerant), in list order."""
    hay = unicodedata.normalize("NFC", text).translate(_FA_TABLE).casefold()
    hay = "".join(_CYR2LAT.get(ch, ch) for ch in hay)
    found = []
    for org in organisations:
        if not isinstance(org, str):
            continue
        pat = _org_pattern("".join(_CYR2LAT.get(ch, ch) for ch in org.casefold()))
        if pat is not None and pat.search(hay):
            found.append(org)
    return found


#: Words that an organisation name never starts with: an imperative or a preposition that a
#: capitalised-name pattern took in at the start of a sentence ("Contact Surrey Police",
#: "Med Polisen", "Kontaktirajte Upravu policije").
_NAME_LEAD_STOP = frozenset(
    "with for by from to contact call join visit ask report support and at in of on please via between "
    "med hos av för till kontakta ring besök och i på mellan samt via enligt tillsammans "
    "na kwa wa ya katika pamoja kupitia "
    "sa i u od za kod prema kontaktirajte kontaktiraj pozovite pozovi".split())


#: Persian function words that a "شهرداری + next word" pattern took in after a name ("شهرداری که").
_NAME_TAIL_STOP = frozenset("و که را در از به با تا برای نیز هم هر این آن است".split())


#: A news agency reports what others promise ("به گزارش خبرگزاری تسنیم، …"): never an actor.
_NEWS_AGENCY_RE = re.compile(r"^(خبرگزاری|news\s+agency)\b", re.IGNORECASE)


def clean_organisations(organisations: Sequence[str]) -> list[str]:
    """The organisation names that can act, without a leading imperative or preposition or a
    trailing Persian function word, deduplicated."""
    out: list[str] = []
    for name in organisations:
        if not isinstance(name, str) or _NEWS_AGENCY_RE.match(name.strip()):
            continue
        words = name.split()
        while len(words) > 1 and words[0].casefold().strip(".,:;") in _NAME_LEAD_STOP:
            words = words[1:]
        while len(words) > 1 and words[-1].strip("،,.:؛") in _NAME_TAIL_STOP:
            words = words[:-1]
        cleaned = " ".join(words).strip()
        if cleaned and cleaned.casefold() not in {o.casefold() for o in out}:
            out.append(cleaned)
    return out


#: Role nouns that name an actor without its proper name ("kommunen", "the council"), per rule
#: group: (pattern over normalised text, the stem a named organisation of the document must
#: contain to stand for it, the name reported when none does).
_ROLES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "sv": ((r"\bkommun(en|erna)?\b", "kommun", "Kommunen"), (r"\bpolis(en)?\b", "polis", "Polisen"),
           (r"\bregion(en)?\b", "region", "Regionen"), (r"\bsocialtjänst(en)?\b", "socialtjänst", "Socialtjänsten"),
           (r"\bräddningstjänst(en)?\b", "räddningstjänst", "Räddningstjänsten"),
           (r"\blänsstyrelse(n)?\b", "länsstyrelse", "Länsstyrelsen")),
    "en": ((r"\b(the\s+)?(city\s+|county\s+|borough\s+|district\s+)?council\b", "council", "Council"),
           (r"\b(the\s+)?chief\s+constable\b", "chief constable", "The Chief Constable"),
           (r"\b(the\s+)?police\b(?!\s+and\s+crime\b)", "police", "Police"),
           (r"\b(the\s+)?(police\s+and\s+crime\s+)?commissioner\b|\bpcc\b|\bi\b", "commissioner",
            "Police and Crime Commissioner")),
    "sw": ((r"\bjeshi\s+la\s+polisi\b|\bjeshi\s+(hilo|hili|letu)\b|\bpolisi\b", "polisi", "Polisi"), (r"\bhalmashauri\b", "halmashauri", "Halmashauri"),
           (r"\bserikali\b", "serikali", "Serikali")),
    "hbs": ((r"\bpolicij\w*|\buprav\w*\s+policij\w*", "polic", "Policija"),
            (r"\b(opštin|opstin)\w*", "opštin", "Opština"), (r"\bopćin\w*", "općin", "Općina"),
            (r"\bcent(a)?r\w*\s+za\s+socijaln\w+\s+rad\w*", "centar za socijalni rad", "Centar za socijalni rad"),
            (r"\bsavjet\w*\s+za\s+(bezbjednost|bezbednost|sigurnost)\w*", "savjet", "Savjet za bezbjednost")),
    "fa": ((r"فرمانده(ی)?\s+انتظامی", "فرماندهی انتظامی", "فرماندهی انتظامی"),
           (r"پلیس|فراجا|ناجا|نیروی\s+انتظامی", "پلیس", "پلیس"), (r"شهرداری", "شهرداری", "شهرداری"),
           (r"بهزیستی", "بهزیستی", "اداره کل بهزیستی"), (r"آموزش\s+و\s+پرورش", "آموزش و پرورش", "آموزش و پرورش"),
           (r"شورای\s+(اسلامی\s+)?شهر", "شورا", "شورای شهر")),
}


#: Who "we" and "the parties" are is no name: the clause's subject stands for all the parties of
#: an agreement ("Tillsammans lovar vi att:", "Gemensamt åtar sig parterna att:", "Potpisnici će
#: …", "Predstavnici strana potpisnica …", "Pande zote tatu zimekubaliana …", "طرفین توافق
#: می‌کنند", "نمایندگان طرفین …"). "Partners" is not among them: it is a group's own name ("the
#: partners have agreed to:") and reads as that.
_COLLECTIVE = {
    "sv": re.compile(r"\b(vi|parterna|(båda|samtliga|alla)\s+parter(na)?)\b"),
    "en": re.compile(r"\b(we|(the|both|all)\s+parties|the\s+signatories)\b"),
    "hbs": re.compile(r"\b(mi|potpisni\w*|(ugovorne|obje|sve)\s+strane)\b"),
    "sw": re.compile(r"\b(sisi|pande\s+(zote|mbili|tatu|nne)|wahusika\s+wote)\b|^tu(ta|me|na)[a-z]{3,}\b"),
    "fa": re.compile(r"(?<!\w)(ما|طرفین|هر\s+(دو|سه|چهار)\s+طرف)(?!\w)"),
}


def collective_subject(text: str, language: str | None) -> bool:
    """Is the clause's subject "we" or "the parties" (`_COLLECTIVE`)? Read up to the word after
    the first commitment cue (the subject of "Tillsammans lovar vi att" follows its verb), or
    the first six words when no cue fires."""
    if not isinstance(text, str) or not text.strip():
        return False
    group = rule_language(language, text)[0]
    pattern = _COLLECTIVE.get(group)
    if pattern is None:
        return False
    norm = normalize(_MARKER_RE.sub("", text, count=1), group)
    spans = _cue_spans(norm, group)
    if spans:
        end = spans[0][1]
        following = re.match(r"\s*\S+", norm[end:])
        region = norm[:end + (following.end() if following else 0)]
    else:
        region = " ".join(norm.split()[:6])
    return pattern.search(region) is not None


#: A Persian agreement names each party once, "X به نمایندگی … که از این پس «طرف اول» نامیده
#: می‌شود", and then calls it by that alias ("طرف اول متعهد می‌شود:").
_FA_ALIAS_RE = re.compile(r"«([^»]{2,30})»\s+نامیده(?:\s+می\s?شود|\s+شده)?")
_FA_REPRESENTED = "به نمایندگی"


def party_aliases(text: str, language: str | None) -> dict[str, str]:
    """The aliases an agreement gives its parties, normalised alias → the party's name as
    stated (normalised); {} when it gives none."""
    if not isinstance(text, str) or rule_language(language, text)[0] != "fa":
        return {}
    norm = normalize(text, "fa")
    out: dict[str, str] = {}
    start = 0
    for m in _FA_ALIAS_RE.finditer(norm):
        chunk, start = norm[start:m.start()], m.end()
        if _FA_REPRESENTED not in chunk:
            continue
        head = chunk.split(_FA_REPRESENTED)[0]
        name = re.split(r"(?<!\w)(?:میان|بین)(?!\w)|؛", head)[-1].strip(" ،,")
        name = re.sub(r"^و\s+", "", name)
        if 0 < len(name.split()) <= 10:
            out[m.group(1).strip()] = name
    return out


def alias_actors(text: str, language: str | None, aliases: dict[str, str]) -> list[str]:
    """The party a unit opens with when it calls it by its alias ("طرف دوم متعهد می‌شود:")."""
    if not aliases or not isinstance(text, str):
        return []
    group = rule_language(language, text)[0]
    norm = normalize(_MARKER_RE.sub("", text, count=1), group)
    return [name for alias, name in aliases.items() if re.match(re.escape(alias) + r"(?!\w)", norm)][:1]


def _first_cue_position(norm: str, group: str) -> int | None:
    starts = [m.start() for r in RULES if r.kind == "cue" and r.lang in (group, "*") and r.pattern is not None
              for m in [r.pattern.search(norm)] if m]
    return min(starts) if starts else None


def sentence_actors(text: str, language: str | None, organisations: Sequence[str],
                    subject_only: bool = False, opening: bool = False) -> list[str]:
    """The actors named in `text`, in order: the document's organisations (inflection-tolerant,
    cleaned of a leading verb or preposition) and role nouns ("kommunen" → the document's
    municipality when it names one, else "Kommunen"). With `subject_only`, only those named
    before the unit's first commitment cue -- the subject of "Kommunen ska …"; with `opening`,
    only when the first of them opens the text (its list marker and an article aside): a listed
    item that starts with its verb ("odredi … policijska službenika koji će …") names no actor
    of its own."""
    if not isinstance(text, str) or not text.strip():
        return []
    group = rule_language(language, text)[0]
    norm = normalize(text, group)
    orgs = clean_organisations(organisations)
    hits: list[tuple[int, int, str]] = []
    for org in orgs:
        pattern = _org_pattern("".join(_CYR2LAT.get(ch, ch) for ch in org.casefold()))
        m = pattern.search(norm) if pattern is not None else None
        if m:
            hits.append((m.start(), m.end(), org))
    cyrillic = group == "hbs" and mostly_cyrillic(text)  # a role is named in the document's script
    for pattern, stem, shown in _ROLES.get(group, ()):
        shown = to_cyrillic(shown) if cyrillic else shown
        for m in re.finditer(pattern, norm):
            if any(s < m.end() and m.start() < e for s, e, _ in hits):
                continue
            # the stem opens a word of the name: "polis" is not the "lokalpolisområde Lidköping"
            # nor the first of two nouns joined in a title: "police" is not the "Police and Crime Commissioner"
            named = next((o for o in orgs if re.search(r"(?<!\w)" + re.escape(stem) + r"\w*+(?!\s+(and|och|و)\s)",
                                                       normalize(o, group))), shown)
            hits.append((m.start(), m.end(), named))
            break
    if subject_only:
        cue = _first_cue_position(norm, group)
        hits = [h for h in hits if cue is not None and h[0] < cue]
    if opening and hits:
        marker = _MARKER_RE.match(text)
        lead = norm[len(normalize(marker.group(0), group)) if marker else 0:min(h[0] for h in hits)].strip()
        if lead not in ("", "the"):
            return []
    return list(dict.fromkeys(name for _, _, name in sorted(hits)))


def tagged_actors(text: str, language: str | None, organisations: Sequence[str]) -> list[str]:
    """The actors named in a bracketed tag that ends `text` ("… varje dygn. (Polisen)",
    `units.ACTOR_TAG_RE`), else none."""
    tag = ACTOR_TAG_RE.search(text.strip()) if isinstance(text, str) else None
    if tag is None or len(tag.group(1).split()) > ACTOR_TAG_MAX_WORDS:
        return []
    return sentence_actors(tag.group(1), language, organisations)


# target patterns, run over the original sentence (case kept) -----------------------------
_TARGET_STOP = {
    "sv": r"(ha|har|hade|är|ska|skall|som|där|samt|alternativt|inom|enligt|riktade|kopplat|utefter|\w{5,}as)",
    "en": r"(will|shall|are|is|be|by|which|that|through|so)",
    "sw": r"(ili|kwa|katika|ambayo|ambao|kama)",
    "hbs": r"(koji|koja|koje|kako|jer|kroz|radi|odnosno)",
    "fa": r"(از|در|به|تا|با|برای|که|را)",
}
#: Multi-word phrases where a target phrase ends (purpose, means, condition).
_TARGET_BREAK = re.compile(
    r"\s(?:i syfte|genom att|så att|för att kunna|till exempel|t\.ex\.|exempelvis|in order to|so that|for example|such as|"
    r"ili kuhakikisha|kwa mfano|kako bi|na koji|na primjer|na primer|در جهت|به منظور|از جمله)(?!\w)",
    re.IGNORECASE)
_TARGET_AFTER = {
    "en": r"\b(?:commits?|committed|pledges?|pledged|promises?|promised|agrees?|agreed|undertakes?)\s+to\s+(.+)"
          r"|\b(?:will|shall|must)\s+(?:(?:also|further|continue\s+to|jointly)\s+)?(.+)",
    "sw": r"\b(?:ili|kwa)\s+(ku\w+.*)|\b(?:dhamira|ahadi)\b.*?\b(?:ya|za)\s+(ku\w+.*)|\b\w*jitolea\s+(ku\w+.*)",
    "hbs": r"\b(?:dužn[aio]?|mora(?:ju)?|treba(?:ju)?|obavezuju\s+se|planira(?:ju)?)\s+(?:da\s+)?(?:se\s+)?(.+)",
    "fa": r"((?:طرح|برنامه|پروژه)[^،,.؛:]{0,60}?)\s+را(?!\w)|((?:این\s+)?(?:طرح|برنامه|پروژه)(?:\s+\S+){0,2}?)\s+(?:ابتدا|در|از)\s",
}


def _trim_target(phrase: str, group: str, max_words: int = 10) -> str | None:
    phrase = _TARGET_BREAK.split(" " + phrase, maxsplit=1)[0]
    phrase = re.split(r"[,;:،؛.!?()\"”“»«]", phrase, maxsplit=1)[0]
    words = phrase.split()
    stop = re.compile(r"^" + _TARGET_STOP.get(group, r"$^") + r"$", re.IGNORECASE)
    out: list[str] = []
    for w in words[:max_words]:
        if out and stop.match(w):
            break
        out.append(w)
    text = " ".join(out).strip(" -–")
    return text or None


def _sv_verb(word: str) -> bool:
    w = word.casefold().strip(".,:;")
    return len(w) > 2 and w.endswith("a") and w not in _SV_NOT_INFINITIVE


def _sv_target(body: str) -> tuple[int, str | None] | None:
    """(position, phrase) of the pledged action in a Swedish unit, or None."""
    m = re.search(r"\b(?:lovar|lovat|lovade|åtar\s+sig|åtagit\s+sig|kommer|planerar|avser)\s+att\s+(.+)", body, re.IGNORECASE)
    if m:
        return m.start(1), _trim_target(m.group(1), "sv")
    m = re.search(r"\b(ska|skall|måste)\s+(.+)", body, re.IGNORECASE)
    if m:
        pos = m.start(2)
        for w in m.group(2).split()[:12]:
            bare = w.casefold().strip(".,:;")
            if bare.endswith("as") and len(bare) > 4:  # passive: the subject is what is pledged
                subject = [x for x in body[:m.start()].split()
                           if not re.fullmatch(r"\d+\.?|under|i|år|\d{4}", x, re.IGNORECASE)]
                return (0, " ".join(subject)) if 0 < len(subject) <= 4 else None
            if _sv_verb(w):
                return pos, _trim_target(body[pos:], "sv")
            pos = body.find(w, pos) + len(w)
            pos += len(body[pos:]) - len(body[pos:].lstrip())
        return None
    words = body.split()
    if words and words[0][:1].isupper() and _sv_verb(words[0]):  # infinitive item: "Genomföra trygghetsvandringar …"
        m = re.match(r"\S+\s+(?:med\s+)?", body)
        return (m.end() if m else 0), _trim_target(body[m.end():] if m else "", "sv")
    return None


def extract_target(sentence: str, language: str | None, quantity: str | None = None) -> str | None:
    """The object of the pledge when a simple pattern finds it, else None.

    Candidates: the focus label of a marked ``Label: …`` list item (taken first); the noun
    phrase after a stated quantity ("tre gemensamma informationsinsatser …"); the phrase after a
    pledge verb/modal ("lovar att arbeta för …", "dužni da isto prijave …", "will install …"),
    the object of an infinitive list item ("Genomföra trygghetsvandringar …"), the Persian plan
    noun phrase (``طرح … را``, ``این طرح``). Of the last ones the earliest in the sentence wins,
    so a quantity mentioned in passing later ("dvadeset četiri sata") does not displace the
    pledged action. Phrases stop at punctuation, purpose/means/example connectives and after
    ten words."""
    if not isinstance(sentence, str) or not sentence.strip():
        return None
    group = rule_language(language, sentence)[0]
    text = _SPACE_RE.sub(" ", unicodedata.normalize("NFC", sentence).translate(_FA_TABLE)).strip()
    marker = _MARKER_RE.match(text)
    body = text[marker.end():].strip() if marker else text
    label = re.match(r"^([^\W\d][\w\s]{0,40}?):\s+\S", body)
    if label and marker:
        return label.group(1).strip()
    candidates: list[tuple[int, str]] = []
    if quantity:
        i = body.find(quantity)
        if i >= 0:
            found = _trim_target(body[i + len(quantity):], group, 8)
            if found:
                candidates.append((i, found))
    if group == "sv":
        found_sv = _sv_target(body)
        if found_sv and found_sv[1]:
            candidates.append((found_sv[0], found_sv[1]))
    elif _TARGET_AFTER.get(group):
        m = re.search(_TARGET_AFTER[group], body, re.IGNORECASE)
        if m:
            spans = [(m.start(k), m.group(k)) for k in range(1, (m.lastindex or 0) + 1) if m.group(k)]
            if spans:
                found = _trim_target(spans[0][1], group)
                if found:
                    candidates.append((spans[0][0], found))
    return min(candidates)[1] if candidates else None


# subject of the unit's own clause --------------------------------------------------------
#: Words that open no subject: pronouns (the actor they stand for is named elsewhere),
#: prepositions and adverbs that stand first in a clause ("Tillsammans lovar vi", "Inför årets
#: skolavslutning ska", "Kwa upande wake"), per rule group; compared casefolded.
_NOT_SUBJECT = {
    "en": frozenset("i we you he she it they my our your his her its their this that these those there here "
                    "together also therefore thus hence so then now furthermore moreover in on at by from "
                    "during after before following under with as for over within throughout each every all "
                    "some any what which who about around approximately more over up least through via across among "
                    "between into against without since until upon alongside besides despite but and or however meanwhile "
                    "additionally next later soon today tomorrow tonight once while when if unless because although to".split()),
    "sv": frozenset("jag vi du ni han hon den det de min mitt mina vår vårt våra deras detta dessa man här där tillsammans gemensamt dessutom även "
                    "också inför enligt under i på efter från med för till vid om sedan nu därför då alla varje "
                    "genom inom mellan senast före minst högst cirka ungefär drygt över utifrån bland mot kring "
                    "men förutom utöver därefter samtidigt dock två tre fyra fem sex sju åtta nio tio".split()),
    "hbs": frozenset("ja mi ti vi on ona ono oni one naš naša naše njihov njihova to ovo ta taj zajednički takođe također u na od do za sa s "
                     "po prema tokom nakon prije pored kroz dogovoreno zadužuje zadužuju obavezuje svi svaki "
                     "sve kako koji koja koje najmanje najviše oko više preko tog ovog onog istog iz stoga zato dakle "
                     "međutim ipak tako osim zbog radi kod nadalje zatim potom kao dva dvije tri četiri pet".split()),
    "sw": frozenset("mimi sisi wewe ninyi yeye wao hii hiyo huyo hao kwa katika pia aidha naye nao vilevile kadhalika "
                    "baada kabla hivyo kupitia hadi mnamo kuanzia tangu kila wote angalau zaidi takriban".split()),
}
#: Words after which a clause with its own subject starts ("agreed that the Committee would",
#: "Dogovoreno je da Centar … obezbijedi", "kwamba Halmashauri itajenga").
_COMPLEMENTIZERS = frozenset("that att da kako kwamba kuwa".split())
#: English verbs of saying: the clause after them has its own subject ("The Section Manager said the
#: City Council would …"), unless that subject is a pronoun ("the officials said they will …"): then
#: the speaker acts.
_EN_SAID = frozenset("said says stated explained added confirmed announced reported noted indicated revealed".split())
#: Pronouns stand for an actor named elsewhere (the speaker, a lead-in, the document). As the subject
#: of the unit's first commitment they make a later clause's subject no actor of it ("I will ensure
#: …, while the current Commissioner is spending …").
_PRONOUN_SUBJECTS = {"en": frozenset("i we you he she they it".split()),
                     "sv": frozenset("jag vi du ni han hon den det de man".split()),
                     "hbs": frozenset("ja mi ti vi on ona ono oni one".split()),
                     "sw": frozenset("mimi sisi wewe ninyi yeye wao".split())}
#: A BCMS future in the first or second person ("Poseban akcenat stavit ćemo …"): the speaker acts,
#: the words before it are the object and the verb.
_HBS_SPEAKER_FUTURE = re.compile(r"^(ću|ćemo|ćeš|ćete|neću|nećemo|nećete)$")
#: A BCMS infinitive before "će" ("provoditi će se", "organizirat će"): the verb, not the subject's
#: last word ("-sti" is mostly a noun: "vlasti", "opštine bezbjednosti").
_HBS_INFINITIVE_WORD = re.compile(r"^\w{2,}(?<!s)(ti|ći)$|^\w{3,}(irat|ivat|ovat)$")
#: BCMS verbal nouns ("Snimanje …", "Postavljanje kamera …") name an action, never who acts; a few
#: bodies' names end the same way.
_HBS_VERBAL_NOUN = re.compile(r"^\w+(anje|enje)$")
_HBS_BODIES_LIKE_VERBAL_NOUNS = frozenset("udruženje udruzenje odjeljenje odeljenje".split())
#: Adverbs and auxiliaries that may stand between a subject and its cue ("… Herceg Novi
#: zajednički će", "The PCC's office has agreed", "Savjet je jednoglasno usvojio"), and the verb
#: of an obligation noun ("Opština Pljevlja preuzima obavezu da").
_TRAILING_ADVERBS = frozenset("se je su zajednički jednoglasno takođe također preuzima preuzimaju "
                              "also jointly together has have had is are was were further furthermore additionally "
                              "however meanwhile today yesterday recently "
                              "gemensamt också även dessutom redan nu har hade pia".split())
#: An auxiliary or copula left inside the words before a cue once the trailing ones are dropped
#: makes them a clause ("Six people are so far", "Så snart det är möjligt"), not a name.
_CLAUSE_VERBS = {"en": frozenset("is are was were has have had been being".split()),
                 "sv": frozenset("är var har hade blir blev får fick kan kunde vill ville måste".split())}
#: A relative clause before the cue: its subject is not the unit's ("… grupu u kojoj će mještani").
_RELATIVE_RE = re.compile(r"^(koj\w*|gdje|gde|which|who|whom|whose|where|som|där|amba\w*)$")
#: A conjugated Swahili verb ("zimekubaliana", "yanabainisha"): the words before the cue that
#: hold one past the first are a clause, no name.
_SW_VERB_RE = re.compile(r"^(zi|wa|ki|vi|li|ya|tu|ni|i|u|a|m)(me|na|li|ta|nge)\w{3,}$|^(yu|wa|ki|vi|li|ya|i|u|zi|pa|ku|m)(po|ko|mo)$")
#: Nouns of people that look like such verbs (wa-li-nzi, wa-na-chama): a subject may open with them.
_SW_VERB_LOOKALIKES = frozenset("walinzi wanawake wanaume wanafunzi wanajamii wanachama wanakikundi wanakijiji "
                                "wataalamu wananchi wanahabari wanajeshi wanasiasa wanasheria wanakamati wanaharakati "
                                "watanzania mlinzi ulinzi".split())
#: Swahili verbs of saying, announcing, warning or promising ("Chifu Owino alisema atakuwa …"): the
#: speaker is the subject, unless the reported clause after them (and "kuwa"/"kwamba") names its own
#: ("Mhe. Masanja alisema serikali ya mkoa itahakikisha …", "amesema kuwa wazee … watakuwa …").
_SW_SAID_RE = re.compile(r"^(a|wa|li|i)(li|me|na)(sema|eleza|ongeza|bainisha|fafanua|taja|fahamisha|"
                         r"sisitiza|tangaza|onya|dai|ahidi|hakikishia)$")
#: A Swahili future in the passive or the stative ("vitafutwa", "yatapitiwa", "itafanyika"): its
#: subject is what is done, not who does it ("watakuwa", "will be", is no passive).
_SW_PASSIVE_RE = re.compile(r"(?:[^aeiou\s]wa|[ie]wa|fanyika)$")
#: Swedish verbs in -s that are no passives (they meet, they manage).
_SV_NOT_PASSIVE = "träffas|ses|möts|finnas|lyckas"
#: A Swedish cue that ends in its passive verb ("kommer också att genomföras", "kommer göras"): its
#: subject is what is done.
_SV_PASSIVE_CUE_RE = re.compile(r"\s(?!" + _SV_NOT_PASSIVE + r")\w{3,}as$")
_SW_DEMONSTRATIVES = frozenset("hilo hiyo huo hizo hao huyo hicho hivyo hayo hii huu hawa".split())
#: A counted role ("the three councils", "both forces"): the document's organisations of that role.
_COUNTED_ROLE = re.compile(r"^(?:the\s+)?(?:two|three|four|five|six|both|all(?:\s+the)?)\s+(\w+?)s$", re.IGNORECASE)
#: Quantifiers before a name ("Kila BMU itaweka …"): the name is the subject.
_QUANTIFIERS = frozenset("each every varje kila svaki svaka svako".split())
#: Modals that bound a subject without being a cue on their own ("the Council would include").
#: A council's decision verbs bound its subject the same way in a lead-in ("Nakon rasprave,
#: Savjet je jednoglasno usvojio sljedeće zaključke:"): the body that decided.
_SUBJECT_MODALS = {"en": re.compile(r"\bwould\b"), "sv": re.compile(r"\bskulle\b"),
                   "hbs": re.compile(r"\b(usvoji|doni|zaključi|odluči)(o|la|li|jela|jeli)\b")}
#: A BCMS verb that tasks a body ("Savjet je zadužio Službu … da …", "Zadužuje se Centar … da",
#: "Koordinaciono telo zadužilo je direktore škola da …"): the body between it and "da" acts,
#: capitalised or not.
_HBS_TASKING = re.compile(r"^(zadužuje|zadužuju|zaduži(o|la|lo|li)|zadužen[aoi]?|obavezuje|obavezuju|nalaže|naloži(o|la|lo|li))$")
_LEADING_ARTICLES = frozenset("the a an".split())
#: Swedish definite nouns ("Styrgruppen", "fältassistenterna"): a lone sentence-initial word is a
#: subject only in this form.
_SV_DEFINITE = re.compile(r"\w{3,}(en|na|et|n)$")
#: A passive right after the cue makes its subject the thing pledged, not the actor ("EST ska
#: införas", "A joint report will be presented"; an English participle's ending tells it from
#: "will be there", "will be easier"). Unlike `rules._PASSIVE_AFTER`, which looks
#: around a modal for the classifier, it reads the words after any cue and lets deponents pass.
_PASSIVE_AFTER_CUE = {"en": re.compile(r"^\s*(?:\w+\s+)?(be|been)\s+(?!able\b)\w+(d|de|ne|n|t|ng)\b(?<!ing)"),
                  "sv": re.compile(r"^\s*(?:\w+\s+)?(?!" + _SV_NOT_PASSIVE + r")(\w{3,}as|ske)\b"),
                  "hbs": re.compile(r"^\s*" + HBS_PASSIVE)}

#: Persian heads of an organisation's or office's name: a clause that opens with one names its
#: actor ("اداره بهزیستی شهرستان … تشکیل دهد", "شهرداری شیراز موظف شد"); normalised forms.
_FA_ORG_HEADS = ("اداره", "سازمان", "کمیته", "دبیرخانه", "شورا", "ستاد", "مرکز", "دانشگاه", "بانک", "پلیس",
                 "فرمانده", "فرمانداری", "استانداری", "شهرداری", "بهزیستی", "کلانتری", "نیروی", "هیئت", "هییت",
                 "صداوسیما", "انجمن", "کانون", "دادستانی", "دادگستری", "مدیرکل", "معاونت", "ماموران", "افسران",
                 "سپاه", "بسیج", "هلال", "اورژانس", "صدا", "وزارت", "قرارگاه", "کارگروه", "موسسه", "اتحادیه", "دهیاری",
                 "بخشداری", "فراجا", "ناجا",
                 # an office that is one person: the speaker who pledges ("فرماندار کرمانشاه یادآور شد: …")
                 "فرماندار", "استاندار", "شهردار", "بخشدار", "دهیار", "والی", "وزیر", "قوماندان")
#: Where a Persian subject ends: particles and prepositions, number words, the obligation words.
_FA_SUBJECT_END = frozenset("در با از به برای تا را که نیز هم هر این آن است یک دو سه چهار پنج ده موظف متعهد قرار ضمن بر "
                            "مکلف باید می خواهد گفت افزود ادامه اظهار اعلام تاکید خاطرنشان تصریح بیان یاداور یادآور "
                            "عنوان بهعنوان اضافه ابراز میگوید گوید".split())
#: Words before a name that are not the actor: a clause's title ("تعهدات …", "وظایف …") and an
#: official's post ("مدیرعامل سازمان …", "رئیس پلیس …", "مسئول ستاد …").
_FA_BEFORE_NAME = frozenset("تعهدات وظایف مدیرعامل رئیس رییس مسئول سخنگوی دبیر معاون سرپرست".split())
#: What a plan makes or holds ("پلیس فتا گزارش … را … ارائه کند"): past a name's first two
#: words, the object has begun.
_FA_THINGS = frozenset("گزارش دوره کارگاه بروشور پیامک دوربین جلسه جلسات اطلاعیه تابلو کلاس همایش گشت".split())
#: A decision that opens the clause ("مقرر شد شورای … ایجاد کند", "قرار است شهرداری …"): its
#: subject follows.
_FA_DECIDED = ("مقرر شد", "مقرر گردید", "قرار است", "قرار شد")
#: A Persian name ends with its area ("… استان", "… شهرستان"); the place name that may follow
#: is not told apart from the next word, so the name is cut there.
_FA_AREA = frozenset("استان شهرستان کشور".split())
#: Verbal nouns that, right after a bare head, start the pledged action ("شهرداری تامین فضای …").
_FA_ACTION_RE = re.compile(r"(اجرا|انجام|برگزار|تامین|تشکیل|ارائه|ایجاد|نصب|اصلاح|راه)$")


@lru_cache(maxsize=None)
def _cue_patterns(group: str) -> tuple[re.Pattern[str], ...]:
    return tuple(r.pattern for r in RULES if r.kind == "cue" and r.lang in (group, "*") and r.pattern is not None)


def _cue_spans(norm: str, group: str) -> list[tuple[int, int]]:
    spans = {m.span() for pattern in _cue_patterns(group) for m in pattern.finditer(norm)}
    if group in _SUBJECT_MODALS:
        spans |= {m.span() for m in _SUBJECT_MODALS[group].finditer(norm)}
    return sorted(spans)


def _tokens(text: str, group: str) -> tuple[list[str], list[str], list[int]]:
    """The unit's words as written (list marker dropped), their normalised forms, and where each
    normalised word starts in their space-joined string (which is `normalize` of the text)."""
    text = unicodedata.normalize("NFC", text)
    marker = _MARKER_RE.match(text)
    words = text[marker.end():].split() if marker else text.split()
    while words and (re.fullmatch(r"[\d.\-–()]*[.\-–()][\d.\-–()]*", words[0])  # a section number "4.3", not a count
                     or words[0] == "Ø"):  # a word processor's arrow bullet, as text extraction shows it
        words = words[1:]
    pairs = [(w, normalize(w, group)) for w in words]
    pairs = [(w, n) for w, n in pairs if n]
    starts, pos = [], 0
    for _, n in pairs:
        starts.append(pos)
        pos += len(n) + 1
    return [w for w, _ in pairs], [n for _, n in pairs], starts


def _bare(word: str) -> str:
    return word.strip(".,:;!?\"'“”„«»()").casefold()


def _latin_subject(words: list[str], first: bool, group: str) -> str | None:
    """`words` as the subject of a clause when they read as a name or a role: at most eight
    words, no pronoun, preposition or number first; a capitalised word past the sentence start,
    an acronym, an article, or (alone at the sentence start) a capitalised noun."""
    reported = False
    said = next((k for k, w in enumerate(words) if group == "sw" and _SW_SAID_RE.match(_bare(w))), None)
    if said is not None:
        reported = said + 1 < len(words)
        words, first = (words[said + 1:], False) if reported else (words[:said], first)
    if group == "sw":  # "Jeshi hilo kupitia kitengo hicho limeamua …": the means is no part of the subject
        words = list(itertools.takewhile(lambda w: _bare(w) not in ("kupitia", "kwa"), words))
    if group == "en":  # "members of the Partnership renewed their pledge to …": the verb ends the subject
        words = words[:1] + list(itertools.takewhile(lambda w: not (w.islower() and len(w) > 5 and w.endswith("ed")),
                                                     words[1:]))
    if len(words) > 1 and _bare(words[0]) in _QUANTIFIERS and words[1][:1].isupper():
        words, first = words[1:], False
    while words and (_bare(words[-1]) in _TRAILING_ADVERBS or group == "en" and len(words) > 1 and words[-1].islower()
                     and _bare(words[-1]).endswith("ly") and _bare(words[-1]) not in ("family", "assembly", "supply")):
        words = words[:-1]  # "The CC equally ordered …"
    article = bool(words) and _bare(words[0]) in _LEADING_ARTICLES
    if article:  # "the team" names an actor, "a new project" does not
        article, words, first = _bare(words[0]) == "the", words[1:], False
    if not words or len(words) > 8 or any(re.search(r"\d", w) for w in words):
        return None
    # compared in the rules' spelling: Cyrillic BCMS words as Latin ("Тог дана" is "tog dana")
    if normalize(_bare(words[0]), group) in _NOT_SUBJECT.get(group, frozenset()) or not words[0][:1].isalpha():
        return None
    if any(normalize(_bare(w), group) in _CLAUSE_VERBS.get(group, frozenset()) for w in words):
        return None
    if group == "hbs":
        head = normalize(_bare(words[0]), group)
        if (_HBS_VERBAL_NOUN.match(head) and head not in _HBS_BODIES_LIKE_VERBAL_NOUNS) or \
                (len(words) == 1 and re.search(r"(om|em)$", head)):
            return None  # an action ("Snimanje …") or a means ("Saradnjom je predviđeno …")
    # a Swahili verb anywhere ("wameandaa maandamano", "DC yupo") makes the words a clause, no name
    if any(_RELATIVE_RE.match(_bare(w)) for w in words) or (group == "sw" and any(map(_sw_conjugated, words))):
        return None
    name = " ".join(words).strip(".,:;\"'“”„«»")
    capital_inside = any(w[:1].isupper() for w in words[1 if first else 0:])
    acronym = any(len(_bare(w)) >= 2 and w.strip(".,:;").isupper() for w in words)
    if reported and not any(_bare(w) in _SW_DEMONSTRATIVES for w in words):
        return name  # a reported clause's subject needs no capital; "jeshi hilo" points back to a name
    if article or capital_inside or acronym:
        return name
    if group == "sv" and len(words) == 1 and _SV_DEFINITE.match(_bare(words[0])):
        return name
    if first and words[0][:1].isupper() and (len(words) > 1 or group != "sv"):
        return name
    return None


def _sv_nouns(words: list[str]) -> str | None:
    """The Swedish subject the words open with when it is one or more definite nouns or names
    joined by "och"/"samt" ("kommunpolisen och fältgruppen", "Polisen"), up to the verb or a
    preposition; else None."""
    out: list[str] = []
    for word in words:
        bare = _bare(word)
        noun = bare not in _NOT_SUBJECT["sv"] and (word[:1].isupper() or _SV_DEFINITE.match(bare))
        if not (noun or (out and bare in ("och", "samt"))):
            break
        out.append(word.strip(".,:;"))
        if word.endswith((",", ";", ":")):
            break
    while out and _bare(out[-1]) in ("och", "samt"):
        out.pop()
    return " ".join(out) or None


def _fa_subject(words: list[str], norms: list[str]) -> str | None:
    """The Persian name the words open with (`_FA_ORG_HEADS`), up to a particle, a number, an
    obligation word, a verb of saying, the area word that ends it, or eight words. A title
    ("تعهدات …") or an official's post before a name ("مدیرعامل سازمان …") is dropped: the
    organisation commits."""
    if len(norms) > 1 and norms[0] in _FA_BEFORE_NAME and norms[1].startswith(_FA_ORG_HEADS):
        words, norms = words[1:], norms[1:]
    if not norms or not norms[0].startswith(_FA_ORG_HEADS):
        return None
    out: list[str] = []
    for k, (word, norm) in enumerate(zip(words, norms)):
        head = norm.split()[0].strip("،,.:؛")
        if k > 0 and (head in _FA_SUBJECT_END or re.match(r"[\d«]", head) or len(out) >= 8
                      or (k == 1 and _FA_ACTION_RE.match(head)) or (k > 1 and head in _FA_THINGS)):
            break
        out.append(word.strip("،,.:؛"))
        if head in _FA_AREA or re.search(r"[،,:؛]$", norm):
            break
    rest = norms[len(out):]
    if rest and rest[0] == "را":  # the object ("مأموران کلانتری را … شرکت دهد")
        return None
    clause = re.split(r"\s(?:تا|که)\s", " " + " ".join(rest) + " ", maxsplit=1)[0]
    if re.search(_FA_ACTION_RE.pattern[:-1] + r"\s+(?:می\s+)?(شود|شوند|خواهد\s+شد|خواهند\s+شد)(?!\w)", clause):
        return None  # a passive ("کمیته … تشکیل شود"): the name is what is made
    return " ".join(out) or None


#: A relative or temporal verb ("vilivyopo", "inayojulikana", "watakaotenda", "walipokuwa") belongs
#: to a clause inside the subject, not to the sentence: the remainder after its tense marker starts
#: with the relative marker ("o" before a consonant pair that opens no stem: not "ongeza", "omba").
_SW_RELATIVE_REST_RE = re.compile(r"^(?:ka)?(?:ye|lo|vyo|zo|cho|yo|po|ko|mo|o(?!ng|mb|ny|nd)\w)")
#: The head nouns of Swahili subjects that act: bodies, offices, officials and groups of people. A
#: lower-case subject of a reported clause must open with one ("shule itafanya …"); a thing
#: ("zoezi hilo litaendelea", "kikao hicho kitasaidia") leaves the speaker as the one who acts.
_SW_AGENT_HEADS = frozenset(
    "polisi jeshi serikali halmashauri manispaa kamati baraza bunge wizara idara ofisi kitengo kikosi vikosi shule "
    "wazee viongozi kiongozi wananchi wakazi wenyeviti mwenyekiti watendaji mtendaji maafisa afisa askari wakuu mkuu "
    "kamanda makamanda waziri mkurugenzi diwani madiwani kaunti mkoa wilaya kata vijiji kijiji mitaa mtaa taasisi "
    "shirika mashirika chama vyama umoja tume mahakama wadau walimu wazazi vikundi kikundi wajumbe kamishna chifu "
    "machifu mbunge wabunge meya mamlaka kampuni".split()) | _SW_VERB_LOOKALIKES
#: Words that open a Swahili clause before its subject ("Naye Afisa …", "Kwa upande wake …").
_SW_OPENERS = frozenset("naye nao aidha pia vilevile kadhalika hata hivyo kwaupande wake upande leo jana juzi "
                        "sasa".split())
#: Words of time: "wiki hii wakuu wa idara …" and "Wakati huo huo, …" open with when, not who.
_SW_TIME_WORDS = frozenset("wakati tarehe mwaka mwezi siku wiki kipindi saa".split())
#: What a lead-in clause before the subject opens with, and what no subject opens with.
_SW_LEAD_OPENERS = _NOT_SUBJECT["sw"] | _SW_OPENERS | _SW_TIME_WORDS
_SW_NOT_HEAD = _NOT_SUBJECT["sw"] | _SW_TIME_WORDS
#: "ana", "wana" (has, have): a verb, though too short for `_SW_VERB_RE` ("ameongeza kuwa ana mpango …").
_SW_HAS_RE = re.compile(r"^(a|wa|tu|ni|u|i|li|ki|vi|zi|ya)na$")
#: A "-ki-" form ("Akizungumza …", "Zikiwa zimepita …", "Ikiwa …"): a clause of circumstance, no subject.
_SW_KI_FORM_RE = re.compile(r"^(a|wa|i|li|zi|ki|vi|ya|u|tu|ni)ki\w{2,}$")
#: Noun classes of things ("Mambo", "Ulinzi", "Vitendo"): a lone capitalised word in one is no name.
_SW_THING_PREFIXES = ("ma", "ki", "vi", "mi", "u")


def _sw_conjugated(word: str) -> bool:
    """A conjugated Swahili verb, relative ones included (`_SW_VERB_RE`), not a noun that looks like one."""
    bare = _bare(word)
    return bool(_SW_VERB_RE.match(bare)) and bare not in _SW_VERB_LOOKALIKES


def _sw_finite_verb(word: str) -> bool:
    """A conjugated Swahili verb of the sentence itself, not a relative one."""
    bare = _bare(word)
    if _SW_HAS_RE.match(bare):
        return True
    m = _SW_VERB_RE.match(bare)
    if m is None or bare in _SW_VERB_LOOKALIKES:  # not `_sw_conjugated`: the match is read below
        return False
    return not (m.group(2) in ("li", "na", "ta") and _SW_RELATIVE_REST_RE.match(bare[m.end(2):]))


def _sw_noun_phrase(words: list[str], reported: bool) -> str | None:
    """`words` (what stands before a verb) as a Swahili subject: a lead-in clause before a comma
    ("Akizungumza na wanahabari, …", "Katika kikao hicho, …") and opening adverbs dropped, a
    relative clause inside cut off ("Vijiji vyote 33 vilivyopo …"); None for a pronoun, a
    quantity, a plan or a thing. The subject of a reported clause may be written in lower case,
    but then it must open with a word for a body, an office or people (`_SW_AGENT_HEADS`)."""
    commas = [k for k, w in enumerate(words[:-1]) if w.endswith(",")]
    if commas:
        lead = words[:commas[-1] + 1]
        opener = _bare(lead[0])
        if reported or opener in _SW_LEAD_OPENERS or _SW_KI_FORM_RE.match(opener):
            words = words[commas[-1] + 1:]
    while words and (_bare(words[0]) in _SW_OPENERS or _bare(words[0]) == "kwa"):
        words = words[1:]
    words = list(itertools.takewhile(lambda w: not (_RELATIVE_RE.match(_bare(w)) or _sw_conjugated(w)), words))
    if words and _bare(words[0]) in _SW_NOT_HEAD:
        # "baada ya sikukuu ya Krismasi Jeshi la Polisi …", "wiki hii wakuu wa idara …": who acts
        # follows the phrase of time or place; after a preposition only a name ("kwenye kata hizo" is a place)
        timed = _bare(words[0]) in _SW_TIME_WORDS
        words = words[next((k for k, w in enumerate(words)
                            if k and _bare(w) in _SW_AGENT_HEADS and (timed or w[:1].isupper())), len(words)):]
    if not words or len(words) > 14 or not words[0][:1].isalpha():
        return None
    head = _bare(words[0])
    if head in _PRONOUN_SUBJECTS["sw"] or _DOCUMENT_SUBJECT["sw"].match(head) or _SW_KI_FORM_RE.match(head) \
            or re.match(r"^ku\w{3,}$", head):  # an infinitive: an item's action, not who acts
        return None
    agent = head in _SW_AGENT_HEADS
    named = any(w[:1].isupper() for w in words[1:]) or \
        any(len(_bare(w)) >= 2 and w.strip(".,:;()").isupper() for w in words)
    lone_name = len(words) == 1 and words[0][:1].isupper() and not head.startswith(_SW_THING_PREFIXES)
    if not (agent or named or (not reported and lone_name)):
        return None
    return " ".join(words).strip(".,:;\"'“”„«»")


def _sw_clause_subject(words: list[str]) -> str | None:
    """Who acts in a Swahili sentence, read from its first conjugated verb when no commitment cue
    bounds the subject: the words before it ("Bunge la kaunti ya Nyamira limeunda …", "MBUNGE wa
    jimbo la Buhigwe … Felix Kavejuru ameahidi …"); after a verb of saying, the reported clause's
    own subject, else the speaker ("Mwenyekiti amesema kuwa, watafanya …")."""
    verb = next((k for k, w in enumerate(words) if _sw_finite_verb(w)), None)
    if verb is None:
        return None
    speaker = _sw_noun_phrase(words[:verb], reported=False) if verb else None
    if not _SW_SAID_RE.match(_bare(words[verb])):
        return None if _SW_PASSIVE_RE.search(_bare(words[verb])) else speaker
    rest = list(itertools.dropwhile(lambda w: _bare(w) in ("kuwa", "kwamba", ""), words[verb + 1:]))
    inner = next((k for k, w in enumerate(rest) if _sw_finite_verb(w)), None)
    if inner:
        reported = _sw_noun_phrase(rest[:inner], reported=True)
        if reported is not None and not _SW_PASSIVE_RE.search(_bare(rest[inner])):
            return reported
    return speaker


def _split_conjuncts(name: str, group: str) -> list[str]:
    """Coordinated subjects ("Alkohol- och tobakshandläggaren och polisen", "Opština … i Centar …")
    as separate actors; a conjunction inside a name ("Sekretarijat za komunalne poslove i
    saobraćaj") stays, as does every Persian and Swahili one and an English one unless "the" follows
    it ("Avon and Somerset Police" is one name, "the police and the PCC" two)."""
    if group == "sv":
        parts = re.split(r"(?<![-–])\s+(?:och|samt)\s+", name)
    elif group == "hbs":
        parts = re.split(r"\s+i\s+(?=[A-ZČĆŽŠĐА-Я])", name)
    elif group == "en":  # "police and the PCC": a second article starts a second actor
        parts = re.split(r"\s+and\s+(?=the\s)", name)
    else:
        parts = [name]
    return [p for p in (p.strip() for p in parts) if p]


#: A plan, agreement or fund as the subject ("Elaborat … predviđa instaliranje …", "The funding will
#: see … invested") is what is pledged, not who pledges: the actor is found elsewhere.
_DOCUMENT_SUBJECT = {
    # an operation, a campaign or an event is run by someone the sentence or the document names
    "en": re.compile(r"^(the\s+|this\s+|our\s+)?(new\s+)?(funding|fund|grant|plan|agreement|strategy|programme|program|scheme|"
                     r"project|pledge|bid|report|document|memorandum|operations?|campaign|crackdown|enforcement|event|"
                     r"people|residents|the\s+public|cameras?|cctv|advice|money|resources|leaflets?)\b"
                     # a named plan ("The new Police and Crime Plan for Warwickshire will include …")
                     r"|^(the\s+|this\s+|our\s+)?(new\s+)?(\S+\s+){1,4}(plan|strategy|programme|scheme)(\s+(for|of)\s|$)"),
    "sv": re.compile(r"^(planen|avtalet|överenskommelsen|löftet|medborgarlöftet|projektet|programmet|strategin|satsningen|"
                     r"\w*verksamheten|insatsen|insatserna|arbetet|kampanjen|tillsynen|kamerorna|kameraövervakningen)\b"),
    "hbs": re.compile(r"^(elaborat|sporazum|plan|program|projek|odluk|zaključ|dokument|strategij|memorandum)\w*\b"),
    "sw": re.compile(r"^(mpango|makubaliano|programu|mradi|mkakati|azimio|mkataba)\b"),
}


#: A cleft sentence ("Det är X som …", "It is X who …"): group 1 ends before the focus X, group 2
#: is the relative word after it.
_CLEFT = {"sv": re.compile(r"^(det\s+är\s+)[^.;:]{2,80}?\s(som)\s"),
          "en": re.compile(r"^(it\s+is\s+)[^.;:]{2,80}?\s(who|that)\s")}


def subject_actors(text: str, language: str | None, organisations: Sequence[str]) -> list[str]:
    """The actor that is the subject of the unit's own clause, as the unit names it ("Škole će …"
    → Škole, "The Assistant Chief Constable undertook to …", "Zadužuje se Centar bezbjednosti
    Nikšić da …", "اداره بهزیستی شهرستان … تشکیل دهد"), or [] when the clause names none.

    The subject stands before a commitment cue (after a reporting frame "… said:", a comma or a
    "that"/"att"/"da"); a subject after a complementizer wins over the speaker before it ("The
    Inspector stated that the team would …"). A bare role noun or organisation of the document
    ("kommunen", "the Council") is reported by the document's name for it (`sentence_actors`)."""
    if not isinstance(text, str) or not text.strip() or starts_with_infinitive(text, language):
        return []  # an item that opens with its verb ("Kukamata mifugo …") has no subject
    group = rule_language(language, text)[0]
    words, norms, starts = _tokens(text, group)
    if not words:
        return []
    found: str | None = None
    if group == "fa":
        # after a decision that opens the unit ("مقرر شد …"), in what a speaker says ("وی گفت: …"
        # and its leading phrase, "در این طرح، …"), else the unit's start (the speaker), else
        # after a leading phrase of the unit's own
        decided = [2] if " ".join(norms[:2]) in _FA_DECIDED else []
        colon = next((k + 1 for k, n in enumerate(norms[:-1]) if n.endswith(":")), len(norms))
        cuts = [k + 1 for k, n in enumerate(norms[:-1]) if re.search(r"[:،]$", n)]
        for cut in decided + [c for c in cuts if c >= colon] + [0] + [c for c in cuts if c < colon]:
            found = _fa_subject(words[cut:], norms[cut:])
            if found is not None:
                break
    else:
        norm = " ".join(norms)
        candidates: list[tuple[bool, str]] = []
        task = next((k for k, n in enumerate(norms) if group == "hbs" and _HBS_TASKING.match(n)), None)
        if task is not None:
            tail = itertools.dropwhile(lambda w: _bare(w) in ("se", "je", "su"), words[task + 1:task + 11])
            body = list(itertools.takewhile(lambda w: _bare(w) != "da", tail))
            name = _latin_subject(body, False, group) or (" ".join(body).strip(".,:;") if 0 < len(body) < 9 else None)
            if name is not None:
                candidates.append((True, name))
        cleft = _CLEFT.get(group)
        focus = cleft.match(norm) if cleft is not None else None
        if focus is not None:  # "Det är kommunstyrelseförvaltningen som kommer att …": the focus acts
            first = next(k for k, s in enumerate(starts) if s >= focus.end(1))
            last = next((k for k, s in enumerate(starts) if s >= focus.start(2)), len(words))
            name = _latin_subject(words[first:last], False, group) or (_sv_nouns(words[first:last]) if group == "sv" else None)
            if name is not None:
                candidates.append((True, name))
        for c_start, c_end in _cue_spans(norm, group):
            idx = next((k for k, s in enumerate(starts) if s + len(norms[k]) > c_start), len(words))
            if group == "hbs" and _HBS_SPEAKER_FUTURE.match(norm[c_start:c_end]):
                if candidates:
                    continue
                break  # "Poseban akcenat stavit ćemo …": the speaker's own future names no subject
            if group == "hbs" and norm[c_start:c_end].endswith(" da"):
                # "usvojio je zaključak da policija nastavi", "zahtijeva od službi da …": the body the
                # conclusion tasks, named right after "da", acts
                after = next((k for k, s in enumerate(starts) if s >= c_end), len(words))
                tasked = sentence_actors(" ".join(words[after:after + 4]), language, organisations, opening=True)
                if tasked:
                    candidates.append((True, tasked[0]))
                    continue
            cut, after_that, speaker = 0, False, None
            for k in range(idx):
                if re.search(r"[:;]$", words[k]):
                    cut, after_that, speaker = k + 1, False, None
                elif norms[k] in _COMPLEMENTIZERS:
                    cut, after_that = k + 1, True
                elif group == "en" and norms[k] in _EN_SAID and k + 1 < idx:
                    speaker, cut, after_that = (cut, k), k + 1, True
            passive = _PASSIVE_AFTER_CUE.get(group)
            if passive is not None and passive.match(norm[c_end:]) or \
                    group == "sw" and _SW_PASSIVE_RE.search(norm[c_start:c_end]) or \
                    group == "sv" and _SV_PASSIVE_CUE_RE.search(norm[c_start:c_end]):
                continue
            commas = [k for k in range(cut, idx) if words[k].endswith(",")]
            start = commas[-1] + 1 if commas else cut
            segment = words[start:idx]
            if group == "hbs" and segment and segment[-1].islower() and _HBS_INFINITIVE_WORD.match(_bare(segment[-1])):
                if re.match(r"\s*se\b", norm[c_end:]):
                    continue  # "Snimanje … provoditi će se": a passive, its subject is what is done
                segment = segment[:-1]  # "… organizirat će": the verb
            # a pronoun alone, or after a conjunction ("Men vi kommer …"); not a possessive ("manaibu wao")
            pronoun = bool(segment) and normalize(_bare(segment[-1]), group) in _PRONOUN_SUBJECTS.get(group, frozenset()) \
                and all(normalize(_bare(w), group) in _NOT_SUBJECT.get(group, frozenset()) for w in segment[:-1])
            if pronoun and speaker is not None:  # "the three county officials said they will …": the speaker acts
                said_commas = [k for k in range(*speaker) if words[k].endswith(",")]
                name = _latin_subject(words[said_commas[-1] + 1 if said_commas else speaker[0]:speaker[1]],
                                      not said_commas and speaker[0] == 0, group)
                if name is not None:
                    candidates.append((True, name))
                    continue
            if pronoun or group == "sv" and any(w in _PRONOUN_SUBJECTS["sv"] for w in norm[c_start:c_end].split()[1:]):
                if candidates:  # "Under jul kommer vi att utöka …", "Varje år kommer det att genomföras tillsyn"
                    continue
                break
            if group == "en" and len(segment) > 2 and norms[idx - 1] == "and":  # "X acknowledged … and undertook to"
                run = list(itertools.takewhile(lambda w: w[:1].isupper() or _bare(w) in ("the", "of", "for", "and"),
                                               segment))
                segment = run if run and len(run) < len(segment) else segment
            name = _latin_subject(segment, start == 0, group)
            if name is None and group == "sv" and segment and _bare(segment[0]) in _NOT_SUBJECT["sv"]:
                # an adverbial first puts the subject after the verb: "Inför skolavslutningen ska
                # fältassistenterna och föräldravandrarna samarbeta …"
                after = next((k for k, s in enumerate(starts) if s >= c_end), len(words))
                name = _sv_nouns(words[after:after + 6])
            if name is None and commas and not segment:  # "Afisa wa …, kwa kushirikiana na polisi, ataendesha"
                name = _latin_subject(words[cut:commas[0] + 1], cut == 0, group)
            if name is None and not segment and group == "hbs":  # "Dogovoreno je da Centar … obezbijedi"
                after = next((k for k, s in enumerate(starts) if s >= c_end), len(words))
                lead = list(itertools.takewhile(lambda w: _bare(w) in ("se", "je", "su", "da"), words[after:after + 4]))
                tail = words[after + len(lead):after + 10]
                caps = [k for k, w in enumerate(tail[:5]) if w[:1].isupper()]
                # "da se Predsjedniku Opštine predloži …" is impersonal: the name is an addressee
                impersonal = "se" in map(_bare, lead) or re.search(r"\bse\b", norm[c_start:c_end])
                tail = tail[:caps[-1] + 1] if caps and caps[0] == 0 and not impersonal else []
                name = _latin_subject(tail, False, group)
                after_that = True
            if name is not None:
                candidates.append((after_that, name))
        if candidates:
            found = next((n for that, n in candidates if that), candidates[0][1])
        elif group == "sv" and norms[0] == "att":  # a decision's clause: "att polisen under hösten genomför …"
            subject = list(itertools.takewhile(
                lambda w: _bare(w) not in _NOT_SUBJECT["sv"] and not (w[:1].islower() and _bare(w).endswith("r")),
                words[1:5]))
            found = _latin_subject(subject, False, group) or _sv_nouns(words[1:6])
        elif group == "sw":
            found = _sw_clause_subject(words)
    return _named_actors(found, group, language, organisations) if found is not None else []


def _named_actors(found: str, group: str, language: str | None, organisations: Sequence[str]) -> list[str]:
    """A clause's subject or object as actors: split into its conjuncts, each reported by the
    document's name for it when it is a bare role noun or one of the document's names."""
    out: list[str] = []
    for part in _split_conjuncts(found, group):
        if _DOCUMENT_SUBJECT.get(group) is not None and _DOCUMENT_SUBJECT[group].match(normalize(part, group)):
            continue
        counted = _COUNTED_ROLE.match(part) if group == "en" else None
        members = [o for o in clean_organisations(organisations)
                   if counted and re.search(r"(?<!\w)" + counted.group(1) + r"(?!\w)", o.casefold())]
        if len(members) > 1:  # "The three councils will:" are the document's councils
            out += members
            continue
        known = sentence_actors(part, language, organisations)
        # a bare role noun ("kommunen") or a name of the document stands for the document's name
        # and so does one that points back ("Jeshi hilo", that Force)
        whole = len(known) == 1 and (len(part.split()) == 1 or (known[0] in clean_organisations(organisations)
                                                                and len(known[0].split()) == len(part.split()))
                                     or (group == "sw" and _bare(part.split()[-1]) in _SW_DEMONSTRATIVES))
        out.append(known[0] if whole else part)
    return list(dict.fromkeys(out))


#: A speaker who tasks someone ("has instructed the sub-county security committees to hold …",
#: "amelitaka Jeshi la Polisi kuhakikisha …", "از بخشداران … خواست") does not act: the tasked do.
#: The verb, then the tasked up to the infinitive. (BCMS tasking is read as the clause's subject,
#: `_HBS_TASKING`, because a council's lead-in tasks the same way.)
_TASKING = {
    "en": re.compile(r"^(instructed|directed|ordered|urged|asked|tasked|requested|mandated|charged)$"),
    # the object prefix is what makes "-taka" tasking ("a-me-li-taka Jeshi"): "a-li-taka" is "wanted"
    # also as an infinitive: "ametumia fursa hiyo kulielekeza Jeshi la polisi kuruhusu …"
    "sw": re.compile(r"^((a|wa)(li|me|na|ta)|ku)"
                     r"((m|mw|wa|li|ki|i|zi|vi|ya|u)taka|(m|mw|wa|li|ki|i|zi|vi|ya|u)?(agiza|elekeza))$"),
}
#: Where the tasked end: the infinitive marker, or a Swahili infinitive or subjunctive
#: ("amewataka wazazi wasaidie …").
_TASKED_END = {"en": lambda n: n == "to",
               "sw": lambda n: bool(re.match(r"^ku\w{3,}$|^(wa|a|m|tu|i|zi|ki|vi|li|ya|u)\w{3,}e$", n))}
#: Words that name no one tasked: pronouns ("asked them to", "از انها خواست") stand for someone named elsewhere.
_TASKED_NOT = frozenset("been them him her us you me everyone all انها آنها ایشان او وی شما ما".split())
_FA_TASKING_RE = re.compile(r"(?<!\w)از\s+((?:\S+\s+){0,6}?\S+)\s+(?:خواست|درخواست\s+کرد)(?!\w)")


def tasked_actors(text: str, language: str | None, organisations: Sequence[str]) -> list[str]:
    """Who the unit's speaker tasks (`_TASKING`), as the unit names them, or [] when it tasks no one."""
    if not isinstance(text, str) or not text.strip():
        return []
    group = rule_language(language, text)[0]
    if group == "fa":
        m = _FA_TASKING_RE.search(normalize(text, group))
        if m is None or m.group(1) in _TASKED_NOT:
            return []
        return _named_actors(m.group(1), group, language, organisations)
    verb, ends_tasked = _TASKING.get(group), _TASKED_END.get(group)
    if verb is None or ends_tasked is None:
        return []
    words, norms, starts = _tokens(text, group)
    for k, n in enumerate(norms):
        if not verb.match(_bare(n)) or k == 0 and n.startswith("ku"):
            continue  # an item that opens with "kuwaagiza …" is its lead-in's actor's tasking
        # the speaker's own pledge comes first: "… watahakikisha …, pia amewataka wazazi …"
        if any(cue_end <= starts[k] for _, cue_end in _cue_spans(" ".join(norms), group)):
            return []
        last = next((j for j in range(k + 1, min(k + 10, len(norms))) if ends_tasked(_bare(norms[j]))), None)
        tasked = words[k + 1:last] if last is not None else []
        if tasked and tasked[0].casefold() in _LEADING_ARTICLES:
            tasked = tasked[1:]
        if not tasked or _bare(tasked[0]) in _TASKED_NOT or any(re.search(r"\d", w) for w in tasked):
            continue
        return _named_actors(" ".join(tasked).strip(".,:;\"'“”„«»"), group, language, organisations)
    return []
