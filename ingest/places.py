"""Country and region of a document from its text, when nothing declared gives them.

The gazetteer is `pycountry` (ISO 3166-1 country names in the five languages, ISO 3166-2 codes and names
of the subdivisions) plus the lists in ``ingest/data/places/*.tsv`` for what it lacks: Swedish
municipalities, the municipalities of Montenegro, Bosnia and Herzegovina and Serbia and Croatia's
counties and towns with their case forms, Swahili and Persian names, Iranian provincial capitals and
counties (shahrestan), Afghanistan's provinces and their capitals in Dari, Kenya's constituencies,
Tanzania's districts and councils (and Dar es Salaam's wards), the UK's police force areas with their
local authority districts (Scotland's council areas, Northern Ireland's districts) and their towns,
Finland's regions and municipalities by their Swedish names, and Åland's municipalities. Each
row is a place (id, level, name, parent, forms, flags); a row whose id is an ISO 3166-2 code adds to
pycountry's subdivision of that code, and a row of level ``country`` adds forms (names in other languages
and cases, national institutions such as ``فراجا``) to a country.

Evidence is weighed, not taken first-come:

* every mention of a form counts 1, 1.5 after a preposition (``i X``, ``u X``, ``در X``) and 2
  beside an institution's word (``X kommun``, ``Mkoa wa X``, ``opštini X``, ``استان X``,
  ``X Police``); a form flagged ``cue`` (a name that is also a common word: Mora, Vara, Bar, فارس)
  counts only with a cue (flag ``cue-name``: the name only, not the place's other forms, so Ashfield
  needs a cue but Sutton-in-Ashfield does not);
* a mention in the title counts three times, one in the first lines twice;
* a name several places share splits its weight between them;
* the country is the one with the most weight (places and country names together), doubled where
  the document is written in the country's language (a Swedish text naming "Lund" is Sweden);
* the region is the best-weighted region of that country (the places just below it: Swedish
  counties, Montenegrin municipalities, Tanzanian regions, Kenyan counties, Iranian and Afghan
  provinces, UK police force areas, Croatian counties), every place inside counting for it; then the place inside
  it that holds more than half its weight, if one does (Mashhad in Razavi Khorasan, Malmö in Skåne,
  Calderdale in West Yorkshire, Ashfield in Nottinghamshire, Mvita in Mombasa, Amol in Mazandaran,
  Osijek in Osječko-baranjska), and so on down (Ilala in Dar es Salaam, then Kariakoo in Ilala);
* a row flagged ``group`` is no region: the places inside it are the country's regions instead.
  Bosnia's entities and cantons and Serbia's districts (and Vojvodina) are groups, so there as in
  Montenegro the municipality (or city: Belgrade, Sarajevo, Brčko) is the region documents are
  compared by, whichever entity, canton or district holds it; a group's name still counts for its
  country;
* pycountry's subdivisions of the other countries name a region once the country is known
  (Limerick in Ireland), but do not decide the country.

A country needs a weight of at least `MIN_COUNTRY_WEIGHT` and a region `MIN_REGION_WEIGHT`, so a
place named once in passing decides nothing. Declared values always win: a declared country limits
the regions to that country, and a declared region is never replaced.
"""

from __future__ import annotations

import gettext
import hashlib
import importlib.metadata
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from haystack import Document, component, default_from_dict, default_to_dict, logging

from ingest.isolation import each_document

from core.languages import family_of, normalize_country, resolve_language

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data" / "places"

#: Languages (families) written in each country whose places the gazetteer lists.
COUNTRY_LANGUAGES: dict[str, frozenset[str]] = {
    "SE": frozenset({"sv"}), "ME": frozenset({"hbs"}), "BA": frozenset({"hbs"}), "RS": frozenset({"hbs"}),
    "HR": frozenset({"hbs"}), "TZ": frozenset({"sw"}), "KE": frozenset({"sw", "en"}), "IR": frozenset({"fa"}),
    "AF": frozenset({"fa"}), "GB": frozenset({"en"}), "FI": frozenset({"sv"}), "AX": frozenset({"sv"}),
}
#: pycountry translations of country names read besides English.
_NAME_LOCALES = ("sv", "sw", "fa", "sr@latin", "bs", "hr")

MIN_COUNTRY_WEIGHT = 2.0
MIN_REGION_WEIGHT = 2.0
#: A place inside the chosen region is reported instead when it holds more than this share of its weight.
REFINE_SHARE = 0.5
TITLE_FACTOR = 3.0
HEAD_FACTOR = 2.0
HEAD_CHARS = 300
LANGUAGE_FACTOR = 2.0
MAX_FORM_TOKENS = 6

# Words beside a place name that mark it as the place where something is (or an institution of it),
# per language family. Lower case; a phrase is matched token by token.
_CUES_BEFORE: dict[str, tuple[str, ...]] = {
    "sv": ("i", "på", "från", "inom", "region", "regionen", "lokalpolisområde", "polisen i", "kommunen i", "staden"),
    "en": ("in", "across", "throughout", "for", "of", "county of", "city of", "borough of"),
    "sw": ("mkoa wa", "mkoani", "wilaya ya", "wilayani", "jiji la", "jijini", "kaunti ya", "katika", "huko", "mjini",
           "manispaa ya", "halmashauri ya", "kanda maalum ya", "polisi wa", "kamanda wa polisi mkoa wa", "mkoa wa kipolisi",
           "kaunti ndogo ya", "eneo bunge la", "jimbo la", "kata ya"),
    "hbs": ("u", "iz", "opština", "opštine", "opštini", "opštinu", "općina", "općine", "općini", "općinu", "grad",
            "grada", "gradu", "cb", "ob", "pj", "pu", "stanica", "stanice", "stanici", "prijestonica", "prijestonice",
            "glavni grad", "općinsko vijeće", "opštinsko vijeće", "opštinsko veće", "gradsko vijeće", "gradsko veće",
            "gradonačelnik", "načelnik", "policijska uprava", "policijske uprave", "policijskoj upravi",
            "policijska postaja", "policijske postaje", "policijskoj postaji"),
    "fa": ("استان", "شهر", "شهرستان", "استانداری", "فرمانداری", "شهرداری", "پلیس", "انتظامی", "در", "مرکز",
           "کلانشهر", "ولایت", "ولسوالی", "پولیس", "قوماندانی امنیه"),
}
_CUES_AFTER: dict[str, tuple[str, ...]] = {
    "sv": ("kommun", "kommuns", "stad", "stads", "län", "läns", "lokalpolisområde", "polisområde", "kommunen",
           "polisinrättning", "landskap"),
    "en": ("police", "constabulary", "council", "county", "city council", "police and crime commissioner",
           "borough council", "district council", "sub county", "constituency"),
    "sw": ("mjini", "vijijini"),
    "hbs": (),
    "fa": (),
}
#: Prepositions: a cue (they let a name that is also a word count) but weaker than an institution's.
_WEAK_CUES = frozenset({"i", "på", "från", "inom", "in", "across", "throughout", "for", "of", "katika", "huko", "mjini",
                        "u", "iz", "در"})
_ALL_FAMILIES = tuple(_CUES_BEFORE)

_TOKEN_RE = re.compile(r"\w+")
_CYRILLIC_LETTERS = dict(zip(
    "абвгдђежзијклљмнњопрстћуфхцчџш",
    "a b v g d đ e ž z i j k l lj m n nj o p r s t ć u f h c č dž š".split(),
))
_CYRILLIC = str.maketrans({**_CYRILLIC_LETTERS, **{k.upper(): v.capitalize() for k, v in _CYRILLIC_LETTERS.items()}})
_PERSIAN = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "\u200c": " ", "\u200d": "", "ـ": ""})


def _fold(token: str) -> str:
    """A token's matching key: lower case, without diacritics (Nikšić = Niksic), Persian letters unified."""
    decomposed = unicodedata.normalize("NFKD", token.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _prepare(text: str) -> str:
    """Text as the matcher reads it: NFC, Serbian Cyrillic in Latin letters, Persian letters unified."""
    return unicodedata.normalize("NFC", text or "").translate(_CYRILLIC).translate(_PERSIAN)


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN_RE.finditer(text))


@dataclass(frozen=True)
class Place:
    id: str
    country: str
    level: str
    name: str
    parent: str | None
    listed: bool = True
    """False for pycountry's subdivisions of countries without a committed list: they name a region
    once the country is known, but do not decide the country (thousands of names, many common)."""
    group: bool = False
    """A grouping of regions (Bosnian canton, Serbian district), never a region itself."""


@dataclass(frozen=True)
class _Form:
    """One way a place (or country) is written: which, whether it needs a cue, and whether a capital."""

    target: str  # a place id, or a country code for level "country"
    is_country: bool
    cue_only: bool
    capitalised: bool


@dataclass
class Gazetteer:
    places: dict[str, Place] = field(default_factory=dict)
    forms: dict[tuple[str, ...], list[_Form]] = field(default_factory=lambda: defaultdict(list))

    def add_form(self, text: str, target: str, is_country: bool, cue_only: bool = False) -> None:
        text = _prepare(text)
        key = tuple(_fold(t.group()) for t in _tokens(text))
        if not key or len(key) > MAX_FORM_TOKENS:
            return
        first = next((ch for ch in text if ch.isalpha()), "")
        form = _Form(target, is_country, cue_only, capitalised=first.isupper())
        known = self.forms[key]
        if all((f.target, f.is_country) != (target, is_country) for f in known):
            known.append(form)
        elif cue_only is False:  # the same form listed without a cue elsewhere: the looser one wins
            self.forms[key] = [replace(f, cue_only=False) if (f.target, f.is_country) == (target, is_country) else f for f in known]

    def region_of(self, place_id: str) -> Place | None:
        """The region a place counts for: its highest ancestor (or itself) that is no group; None for a group."""
        regions = [place for place in self.ancestors(place_id) if not place.group]
        return regions[-1] if regions else None

    def ancestors(self, place_id: str) -> list[Place]:
        found = []
        place = self.places.get(place_id)
        while place is not None:
            found.append(place)
            place = self.places.get(place.parent or "")
        return found

    def lookup(self, name: str, country: str | None = None) -> list[Place]:
        """Places written `name` (any form, case and diacritics ignored), in `country` when given."""
        key = tuple(_fold(t.group()) for t in _tokens(_prepare(name)))
        found = [self.places[f.target] for f in self.forms.get(key, []) if not f.is_country]
        return [p for p in found if country is None or p.country == country]

    def within(self, name: str) -> list[str]:
        """The names, as place inference stores a region (`Place.name`), of the places written `name`
        and of every place inside them: Dar es Salaam, Ilala, Kariakoo … for "Dar es Salaam";
        Beograd, Rakovica … for "Belgrade". A name inside that a place outside also bears is left out
        (Belgrade's Stari Grad is also a Croatian town), so that a filter on the one never finds a
        document about the other."""
        named = {p.id for p in self.lookup(name)}
        todo, inside = list(named), set()
        while todo:
            for child in self._children.get(todo.pop(), ()):
                if child not in inside:
                    inside.add(child)
                    todo.append(child)
        kept = {self.places[pid].name for pid in inside if self._bearers[self.places[pid].name] <= inside | named}
        return sorted({self.places[pid].name for pid in named} | kept)

    def enclosing(self, name: str) -> list[str]:
        """The names of the regions that hold the place stored as `name`, nearest first: Skåne län
        for Malmö; Ilala, then Dar es Salaam for Kariakoo. Groups (a Bosnian canton, a Serbian
        district) are left out, and so is everything when the name is not one place's (Stari Grad)."""
        bearers = self._bearers.get(name) or {p.id for p in self.lookup(name)}
        if len(bearers) != 1:
            return []
        return [place.name for place in self.ancestors(next(iter(bearers)))[1:] if not place.group]

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        children: dict[str, list[str]] = defaultdict(list)
        for place in self.places.values():
            if place.parent:
                children[place.parent].append(place.id)
        return dict(children)

    @cached_property
    def _bearers(self) -> dict[str, set[str]]:
        """Place name → the ids of the places of that name."""
        bearers: dict[str, set[str]] = defaultdict(set)
        for place in self.places.values():
            bearers[place.name].add(place.id)
        return dict(bearers)


def _genitive(name: str) -> str | None:
    """Swedish genitive: Lunds, Gotlands, Upplands Väsbys; none after s, x, z."""
    return None if name[-1].lower() in "sxz" else name + "s"


@lru_cache(maxsize=1)
def load_gazetteer(directory: Path = DATA_DIR) -> Gazetteer:
    """pycountry's countries and subdivisions, with the committed lists merged in."""
    import pycountry

    gazetteer = Gazetteer()
    countries = {c.alpha_2 for c in pycountry.countries}
    translations = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[loc], fallback=True) for loc in _NAME_LOCALES]
    for country in pycountry.countries:
        names = {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}
        for name in list(filter(None, names)):
            names |= {t.gettext(name) for t in translations}
        for name in filter(None, names):
            gazetteer.add_form(name.split(",")[0].split("،")[0], country.alpha_2, is_country=True)
    rows: list[list[str]] = []
    for path in sorted(directory.glob("*.tsv")):
        raw = path.read_text(encoding="utf-8")
        lines = [line for line in raw.splitlines() if line.strip() and not line.startswith("#")]
        for number, line in enumerate(lines[1:], 2):
            cells = (line.split("\t") + [""] * 6)[:6]
            if not all(cells[:3]):
                raise ValueError(f"{path.name}: row {number} needs an id, a level and a name: {line!r}")
            rows.append(cells)
    for place_id, level, name, parent, forms, flags in rows:
        if level == "country":
            if place_id not in countries:
                raise ValueError(f"places data: {place_id!r} is no ISO 3166-1 country")
            for form in [name] + [f for f in forms.split("|") if f]:
                gazetteer.add_form(form.lstrip("~"), place_id, is_country=True, cue_only=form.startswith("~"))
            continue
        country = place_id.split(":")[0].split("-")[0]
        if "-" in place_id and ":" not in place_id:
            subdivision = pycountry.subdivisions.get(code=place_id)
            if subdivision is None:
                raise ValueError(f"places data: {place_id!r} is no ISO 3166-2 subdivision")
            forms = "|".join(filter(None, [forms, re.sub(r"\s*\[.*\]$", "", subdivision.name)]))
        row_flags = flags.split(",")
        gazetteer.places[place_id] = Place(place_id, country, level, name, parent or None, group="group" in row_flags)
        cue_row = "cue" in row_flags
        cue_name = "cue-name" in row_flags  # only the name needs a cue, not the other forms (a district's towns)
        all_forms = [name] + [f for f in forms.split("|") if f]
        if "sv" in COUNTRY_LANGUAGES.get(country, ()):
            all_forms += [g for g in (_genitive(f) for f in all_forms if not f.startswith("~")) if g]
        for form in all_forms:
            cue_only = cue_row or form.startswith("~") or (cue_name and form == name)
            gazetteer.add_form(form.lstrip("~"), place_id, is_country=False, cue_only=cue_only)
    listed_countries = {p.country for p in gazetteer.places.values()}
    for subdivision in pycountry.subdivisions:
        code, country = subdivision.code, subdivision.country_code
        if country in listed_countries:
            continue
        parent = subdivision.parent_code if subdivision.parent_code else country
        gazetteer.places[code] = Place(code, country, str(subdivision.type).lower(), subdivision.name, parent, listed=False)
        gazetteer.add_form(subdivision.name, code, is_country=False)
    return gazetteer


@lru_cache(maxsize=1)
def gazetteer_fingerprint(directory: Path = DATA_DIR) -> str:
    """What the gazetteer is made of (pycountry's version, the lists' bytes), without loading it."""
    digest = hashlib.sha256(importlib.metadata.version("pycountry").encode())
    for path in sorted(directory.glob("*.tsv")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


# ------------------------------------------------------------------------------- inference

@dataclass
class Mention:
    """A name found in the text, its weight, and the places (or countries) it may be."""

    candidates: list[_Form]
    weight: float
    start: int  # negative for a mention in the title: -1 - its offset there
    end: int


@dataclass
class PlaceGuess:
    """What the text says about where a document is from, with the evidence."""

    country: str | None
    region: str | None
    region_id: str | None = None
    country_evidence: str | None = None
    region_evidence: str | None = None
    country_weights: dict[str, float] = field(default_factory=dict)
    region_weights: dict[str, float] = field(default_factory=dict)
    """Every place of the country named, with the weight of its mentions and of those inside it."""


def _families(language: str | None) -> tuple[str, ...]:
    family = family_of(language) if language else None
    if family in ("cnr", "bs", "hr", "sr"):
        family = "hbs"
    return (family,) if family in _CUES_BEFORE else _ALL_FAMILIES


def _cue_sets(families: tuple[str, ...]) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    before = {tuple(_fold(w) for w in cue.split()) for f in families for cue in _CUES_BEFORE[f]}
    after = {tuple(_fold(w) for w in cue.split()) for f in families for cue in _CUES_AFTER[f]}
    return before, after


def _cue_weight(keys: list[str], start: int, end: int, before: set, after: set) -> float:
    """2 for an institution's word beside the name ("X kommun", "Mkoa wa X"), 1.5 for a preposition, else 1."""
    found = 1.0
    for n in range(1, 6):
        for cue in (tuple(keys[start - n:start]) if start - n >= 0 else None, tuple(keys[end:end + n]) if end + n <= len(keys) else None):
            if cue is not None and (cue in before or cue in after):
                if len(cue) > 1 or cue[0] not in _WEAK_CUES:
                    return 2.0
                found = 1.5
    return found


def find_mentions(text: str, language: str | None = None, title: str | None = None, gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Every place and country name in the title and text, weighed (see the module's docstring)."""
    gazetteer = gazetteer or load_gazetteer()
    before, after = _cue_sets(_families(language))
    mentions: list[Mention] = []
    for part, in_title in ((title or "", True), (text or "", False)):
        tokens = _tokens(_prepare(part))
        keys = [_fold(t.group()) for t in tokens]
        i = 0
        while i < len(tokens):
            matched = 0
            for n in range(min(MAX_FORM_TOKENS, len(tokens) - i), 0, -1):
                forms = gazetteer.forms.get(tuple(keys[i:i + n]))
                if not forms:
                    continue
                cue_weight = _cue_weight(keys, i, i + n, before, after)
                # A capitalised form ("Plav", "Lund") matches only a capitalised word: "plav" is "blue".
                lower = tokens[i].group()[0].islower()
                usable = [f for f in forms if (cue_weight > 1 or not f.cue_only) and not (f.capitalised and lower)]
                if not usable:
                    continue
                start, end = tokens[i].start(), tokens[i + n - 1].end()
                weight = cue_weight * (TITLE_FACTOR if in_title else HEAD_FACTOR if start < HEAD_CHARS else 1.0)
                mentions.append(Mention(usable, weight, -1 - start if in_title else start, -1 - end if in_title else end))
                matched = n
                break
            i += matched or 1
    return mentions


def _evidence(text: str, title: str | None, found: list[Mention]) -> str:
    first = min(found, key=lambda m: (m.start >= 0, abs(m.start)))
    if first.start < 0:
        snippet = f"title: {title}"
    else:
        prepared = _prepare(text)
        lo, hi = max(0, first.start - 40), min(len(prepared), first.end + 40)
        snippet = " ".join(prepared[lo:hi].split())
    more = len(found) - 1
    return snippet + (f" (and {more} more mention{'s' if more > 1 else ''})" if more else "")


def _position(mention: Mention) -> int:
    """Title first, then the text in order."""
    return mention.start if mention.start >= 0 else -1_000_000 - mention.start


def infer_place(
    text: str,
    language: str | None = None,
    title: str | None = None,
    country: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> PlaceGuess:
    """The country (ISO alpha-2) and region the text is about; `country` when given limits the region."""
    gazetteer = gazetteer or load_gazetteer()
    mentions = find_mentions(text, language, title, gazetteer)
    family = _families(language)

    def country_of(form: _Form) -> str:
        return form.target if form.is_country else gazetteer.places[form.target].country

    # The country: each mention's weight split between the countries it may name (listed places only).
    weights: dict[str, float] = defaultdict(float)
    supporting: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        deciding = {country_of(f) for f in m.candidates if f.is_country or gazetteer.places[f.target].listed}
        for code in deciding:
            weights[code] += m.weight / len(deciding)
            supporting[code].append(m)
    for code in weights:
        if len(family) == 1 and family[0] in COUNTRY_LANGUAGES.get(code, ()):
            weights[code] *= LANGUAGE_FACTOR
    guess = PlaceGuess(None, None, country_weights={k: round(v, 2) for k, v in sorted(weights.items(), key=lambda kv: -kv[1])})
    chosen = normalize_country(country) if country else None
    if chosen is None and weights:
        best = max(weights, key=lambda code: (weights[code], -min(map(_position, supporting[code]))))
        if weights[best] >= MIN_COUNTRY_WEIGHT:
            chosen = guess.country = best
            guess.country_evidence = _evidence(text, title, supporting[best])
    if chosen is None:
        return guess

    # The region: the country's places each mention may be, weight split between them, summed per
    # region (the place just below the country, or below its groups), then narrowed to a place inside
    # it that holds most of its weight (Mashhad within Razavi Khorasan, Calderdale within West Yorkshire).
    by_place: dict[str, list[tuple[Mention, float]]] = defaultdict(list)
    for m in mentions:
        places = [f.target for f in m.candidates if not f.is_country and gazetteer.places[f.target].country == chosen]
        for place_id in places:
            by_place[place_id].append((m, m.weight / len(places)))
    within: dict[str, list[tuple[Mention, float]]] = defaultdict(list)  # place → mentions of it or inside it
    for place_id, found in by_place.items():
        for ancestor in gazetteer.ancestors(place_id):
            within[ancestor.id].extend(found)
    total = {pid: sum(w for _, w in found) for pid, found in within.items()}
    tops = list(dict.fromkeys(r.id for r in map(gazetteer.region_of, total) if r is not None))
    guess.region_weights = {gazetteer.places[pid].name: round(total[pid], 2) for pid in sorted(total, key=lambda pid: -total[pid])}
    if not tops:
        return guess
    first = {pid: min(_position(m) for m, _ in found) for pid, found in within.items()}
    region = max(tops, key=lambda pid: (total[pid], -first[pid]))
    if total[region] < MIN_REGION_WEIGHT:
        return guess
    while True:
        children = [pid for pid in total if gazetteer.places[pid].parent == region]
        child = max(children, key=lambda pid: (total[pid], -first[pid]), default=None)
        if child is None or total[child] <= REFINE_SHARE * total[region]:
            break
        region = child
    guess.region, guess.region_id = gazetteer.places[region].name, region
    guess.region_evidence = _evidence(text, title, [m for m, _ in within[region]])
    return guess


# -------------------------------------------------------------------------------- component

def _given(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


@component
class PlaceInferrer:
    """Fills ``country`` and ``region`` from the text where nothing declared them.

    Sets ``country_source`` and ``region_source`` ("sidecar": declared with the document, in a
    ``.meta.json`` sidecar, a JSONL field or the API's field; "text": inferred here; None: unknown)
    and, for what it inferred, the evidence under ``meta["extracted"]`` as `MetadataExtractor` does.

    ### Usage example
    ```python
    from haystack import Document
    from ingest.places import PlaceInferrer

    doc = Document(content="Polisen i Ludvika och Ludvika kommun lovar ...", meta={"language": "sv"})
    PlaceInferrer().run([doc])["documents"][0].meta["region"]  # "Ludvika"
    ```
    """

    def to_dict(self) -> dict[str, Any]:
        # The gazetteer's fingerprint: a change of the place lists re-indexes what they decide.
        return default_to_dict(self, gazetteer=gazetteer_fingerprint())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PlaceInferrer":
        data.get("init_parameters", {}).pop("gazetteer", None)
        return default_from_dict(cls, data)

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        """
        :param documents: whole documents, with their language detected.
        :returns: ``{"documents": [...]}``: copies with country, region and their sources, in input order.
        """
        return {"documents": each_document(documents, self.infer, "place inference", logger)}

    def infer(self, doc: Document) -> Document:
        meta = dict(doc.meta or {})
        has_country, has_region = _given(meta.get("country")), _given(meta.get("region"))
        meta["country_source"] = "sidecar" if has_country else None
        meta["region_source"] = "sidecar" if has_region else None
        if has_country and has_region:
            return replace(doc, meta=meta)
        extracted = dict(meta.get("extracted") or {})
        guess = infer_place(doc.content or "", meta.get("language"), meta.get("title"), meta.get("country") if has_country else None)
        if not has_country:
            declared_region = load_gazetteer().lookup(str(meta["region"])) if has_region else []
            countries = {p.country for p in declared_region}
            if len(countries) == 1:
                meta["country"], meta["country_source"] = countries.pop(), "text"
                extracted["country"] = f"the declared region {meta['region']!r}"
            elif guess.country:
                meta["country"], meta["country_source"] = guess.country, "text"
                extracted["country"] = guess.country_evidence
        if not has_region and guess.region and (not has_country or guess.country in (None, normalize_country(meta["country"]))):
            meta["region"], meta["region_source"] = guess.region, "text"
            extracted["region"] = guess.region_evidence
        if extracted:
            meta["extracted"] = extracted
        if meta.get("language") == "hbs" and meta.get("country_source") == "text":
            # Detection only knows the Serbo-Croatian family; the country found in the text names the
            # variant, as a declared country does (`resolve_language`).
            meta["language"] = resolve_language(None, "hbs", meta["country"])
        return replace(doc, meta=meta)
