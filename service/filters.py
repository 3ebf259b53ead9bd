"""The filter vocabulary, normalised once for every interface: what a user may write (`Swedish`,
`sv-SE`, `swe`, `hbs`, `se`, `Montenegro`) → the store's `SearchFilters`, every value checked.

`hbs` (Serbo-Croatian) stands for its whole family: cnr, bs, hr, sr and hbs itself, so a filter on
the family finds documents labelled with any variant.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields

from core.languages import HBS_FAMILY, normalize_country, normalize_language
from index.store.base import SearchFilters
from ingest.places import load_gazetteer
from service.errors import InvalidRequest

#: At most this many values per filter field.
MAX_FILTER_VALUES = 50
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


@dataclass
class FilterValues:
    """Filters as a user gives them (any field may be empty: no restriction)."""

    language: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    doc_type: list[str] = field(default_factory=list)
    organisation: list[str] = field(default_factory=list)
    year: list[int] = field(default_factory=list)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    min_confidence: float | None = None


def invalid_filter(message: str, field_name: str, value: object = None) -> InvalidRequest:
    return InvalidRequest("invalid_filter", message, {"field": field_name, "value": value})


def language_code(value: str, field_name: str = "language") -> str:
    """A language as stored (`sv`), from `sv`, `sv-SE`, `swe` or `Swedish`."""
    code = normalize_language(value)
    if not code or not _LANGUAGE_RE.match(code):
        raise invalid_filter(f"{field_name} {value!r} is not a language code (use e.g. sv, sw, cnr, fa, en)", field_name, value)
    return code


def languages_filter(values: list[str]) -> list[str]:
    codes: list[str] = []
    for value in values:
        code = language_code(value)
        codes.extend(sorted(HBS_FAMILY) if code == "hbs" else [code])
    return list(dict.fromkeys(codes))


def countries_filter(values: list[str]) -> list[str]:
    codes = []
    for value in values:
        code = normalize_country(value)
        if not code or not _COUNTRY_RE.match(code):
            raise invalid_filter(f"country {value!r} is not an ISO 3166-1 alpha-2 code (use e.g. SE, GB, ME, IR)", "country", value)
        codes.append(code)
    return list(dict.fromkeys(codes))


def text_filter(values: list[str], field_name: str) -> list[str]:
    """Spaces collapsed as the reader stores them; a blank value restricts nothing."""
    cleaned = []
    for value in values:
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise invalid_filter(f"{field_name} values may not contain control characters", field_name, value)
        text = " ".join(value.split())
        if text:
            cleaned.append(text)
    return list(dict.fromkeys(cleaned))


def regions_filter(values: list[str]) -> list[str]:
    """Regions as given, with the gazetteer's name of each (Beograd for "Belgrade") and of every place
    inside it: place inference stores the most specific place a text is about (Ilala, a district of
    Dar es Salaam), so a filter on the region alone would miss it."""
    return list(dict.fromkeys(name for region in text_filter(values, "region") for name in _with_places_inside(region)))


def region_counts(documents: dict[str, int]) -> dict[str, int]:
    """Documents per region, counted as a region filter finds them (`regions_filter`): a region's
    own and those of the places inside it, so that the count beside a region is what choosing it
    gives (Dar es Salaam 5 where 3 are stored as Dar es Salaam and 2 as Ilala). The regions that
    hold a stored one are counted too (Skåne län beside Malmö), so a user can choose the wider one."""
    stored = [region for region in documents if region not in (None, "")]
    regions = dict.fromkeys([*stored, *(name for region in stored for name in load_gazetteer().enclosing(region))])
    return {region: sum(documents.get(name, 0) for name in _with_places_inside(region)) for region in regions}


def region_within(region: str) -> str | None:
    """The nearest region that holds `region` (Skåne län for Malmö), or None."""
    return next(iter(load_gazetteer().enclosing(region)), None)


def _with_places_inside(region: str) -> list[str]:
    return [region, *(name for name in load_gazetteer().within(region) if name != region)]


def years_filter(values: list[int]) -> list[int]:
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 2999:
            raise invalid_filter(f"year {value!r} is not a year between 1000 and 2999", "year", value)
    return list(dict.fromkeys(values))


def _day(value: dt.date | None) -> int | None:
    return None if value is None else value.year * 10000 + value.month * 100 + value.day


def confidence_bound(value: float | None, kind: str = "commitment") -> float | None:
    """A least confidence as given, checked: for commitments only, and between 0 and 1."""
    if value is not None:
        if kind != "commitment":
            raise invalid_filter("min_confidence is for commitment searches only", "min_confidence", value)
        if not 0.0 <= value <= 1.0:
            raise invalid_filter(f"min_confidence must be between 0 and 1, got {value}", "min_confidence", value)
    return value


def to_search_filters(values: FilterValues | None, kind: str = "chunk") -> SearchFilters:
    """The store's filters for a search of `kind` (a confidence bound is for commitments only)."""
    values = values or FilterValues()
    min_confidence = confidence_bound(values.min_confidence, kind)
    for name in ("language", "country", "region", "doc_type", "organisation", "year"):
        if len(getattr(values, name)) > MAX_FILTER_VALUES:
            raise invalid_filter(f"at most {MAX_FILTER_VALUES} {name} values", name)
    if values.date_from and values.date_to and values.date_from > values.date_to:
        raise invalid_filter(
            f"date_from {values.date_from.isoformat()} is after date_to {values.date_to.isoformat()}",
            "date_from", values.date_from.isoformat(),
        )
    return SearchFilters(
        languages=languages_filter(values.language),
        countries=countries_filter(values.country),
        regions=regions_filter(values.region),
        doc_types=text_filter(values.doc_type, "doc_type"),
        organisations=text_filter(values.organisation, "organisation"),
        years=years_filter(values.year),
        date_from=_day(values.date_from),
        date_to=_day(values.date_to),
        min_confidence=min_confidence,
    )


def copy_filters(filters: SearchFilters, cls: type[SearchFilters] = SearchFilters, **changes) -> SearchFilters:
    values = {f.name: getattr(filters, f.name) for f in fields(SearchFilters)}
    values.update(changes)
    return cls(**values)


@dataclass
class FirstPassageFilters(SearchFilters):
    """The same filters, matching only each document's first passage: facet counts become document counts."""

    def keyword_conditions(self) -> dict[str, list]:
        conditions = super().keyword_conditions()
        conditions["chunk_index"] = [0]
        return conditions
