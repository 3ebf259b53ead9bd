"""API filters → the store's `SearchFilters`, with every value checked (bad ones are 422, never 500)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from typing import Annotated

from fastapi import Query

from api.errors import ApiError
from api.schemas import MAX_FILTER_VALUES, CountryCode, FilterText, Filters, LanguageCode
from index.store.base import SearchFilters
from core.languages import HBS_FAMILY, normalize_country, normalize_language

MAX_VALUES = MAX_FILTER_VALUES
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
FILTER_FIELDS = frozenset({"language", "country", "region", "doc_type", "organisation", "date_from", "date_to", "filters"})


def invalid_filter(message: str, field: str, value: object = None) -> ApiError:
    return ApiError(422, "invalid_filter", message, {"field": field, "value": value})


def language_code(value: str, field: str = "language") -> str:
    """A language filter value as stored (`sv`), from `sv`, `sv-SE`, `swe` or `Swedish`."""
    code = normalize_language(value)
    if not code or not _LANGUAGE_RE.match(code):
        raise invalid_filter(f"{field} {value!r} is not a language code (use e.g. sv, sw, cnr, fa, en)", field, value)
    return code


def languages_filter(values: list[str]) -> list[str]:
    codes: list[str] = []
    for value in values:
        code = language_code(value)
        # `hbs` (Serbo-Croatian) stands for its whole family: cnr, bs, hr, sr and hbs itself.
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


def text_filter(values: list[str], field: str) -> list[str]:
    """Spaces collapsed as the reader stores them; a blank value restricts nothing."""
    cleaned = []
    for value in values:
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise invalid_filter(f"{field} values may not contain control characters", field, value)
        text = " ".join(value.split())
        if text:
            cleaned.append(text)
    return list(dict.fromkeys(cleaned))


def _day(value: dt.date | None) -> int | None:
    return None if value is None else value.year * 10000 + value.month * 100 + value.day


def to_search_filters(filters: Filters, **extra) -> SearchFilters:
    for name in ("language", "country", "region", "doc_type", "organisation"):
        if len(getattr(filters, name)) > MAX_VALUES:
            raise invalid_filter(f"at most {MAX_VALUES} {name} values", name)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise invalid_filter(
            f"date_from {filters.date_from.isoformat()} is after date_to {filters.date_to.isoformat()}",
            "date_from", filters.date_from.isoformat(),
        )
    return SearchFilters(
        languages=languages_filter(filters.language),
        countries=countries_filter(filters.country),
        regions=text_filter(filters.region, "region"),
        doc_types=text_filter(filters.doc_type, "doc_type"),
        organisations=text_filter(filters.organisation, "organisation"),
        date_from=_day(filters.date_from),
        date_to=_day(filters.date_to),
        **extra,
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


# ------------------------------------------------------------------ the same filters as query parameters
LanguageParam = Annotated[
    list[LanguageCode],
    Query(max_length=MAX_VALUES, description="Only these languages (repeat the parameter for several): `sv`, `sw`, `cnr`, `fa`, `en`, ...; `hbs` means any Serbo-Croatian variant."),
]
CountryParam = Annotated[
    list[CountryCode],
    Query(max_length=MAX_VALUES, description="Only these countries, ISO 3166-1 alpha-2 codes (`SE`, `GB`, `ME`, `IR`); repeatable."),
]
RegionParam = Annotated[
    list[FilterText],
    Query(max_length=MAX_VALUES, description="Only these regions or municipalities, as stored (`Gotland`); repeatable."),
]
DocTypeParam = Annotated[
    list[FilterText],
    Query(max_length=MAX_VALUES, description="Only these document types (`citizen_pledge`, `news_release`, ...); repeatable."),
]

def filter_query_params(
    language: LanguageParam = [],  # noqa: B006
    country: CountryParam = [],  # noqa: B006
    region: RegionParam = [],  # noqa: B006
    doc_type: DocTypeParam = [],  # noqa: B006
    organisation: Annotated[list[FilterText], Query(max_length=MAX_VALUES, description="Only documents naming these organisations, as stored; repeatable.")] = [],  # noqa: B006
    date_from: Annotated[dt.date | None, Query(description="Only documents dated on or after this day, YYYY-MM-DD (undated documents are then left out).")] = None,
    date_to: Annotated[dt.date | None, Query(description="Only documents dated on or before this day, YYYY-MM-DD.")] = None,
) -> Filters:
    return Filters(
        language=language, country=country, region=region, doc_type=doc_type,
        organisation=organisation, date_from=date_from, date_to=date_to,
    )
