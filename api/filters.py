"""Filters as query parameters, and the request's filters handed to the facade (which checks every
value: a bad one is 422 `invalid_filter`, never 500)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query
from pydantic import Field

from api.schemas import MAX_FILTER_VALUES, CountryCode, FilterText, Filters, LanguageCode
from service.filters import FilterValues

MAX_VALUES = MAX_FILTER_VALUES


def filter_values(filters: Filters) -> FilterValues:
    """The request's filters for the facade, which checks and normalises them (`service.filters`)."""
    return FilterValues(
        language=list(filters.language), country=list(filters.country), region=list(filters.region),
        doc_type=list(filters.doc_type), organisation=list(filters.organisation), year=list(filters.year),
        date_from=filters.date_from, date_to=filters.date_to, min_confidence=filters.min_confidence,
    )


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
    Query(max_length=MAX_VALUES, description="Only these regions or municipalities, as stored (`Gotland`) or as the place lists spell them (`Belgrade`), and the places inside them (`Gotlands län` finds Gotland); repeatable."),
]
DocTypeParam = Annotated[
    list[FilterText],
    Query(max_length=MAX_VALUES, description="Only these document types (`citizen_pledge`, `news_release`, ...); repeatable."),
]

# A coroutine, as the dependencies of api.deps: it only builds the model, and a plain function
# would be run in a worker thread.
async def filter_query_params(
    language: LanguageParam = [],  # noqa: B006
    country: CountryParam = [],  # noqa: B006
    region: RegionParam = [],  # noqa: B006
    doc_type: DocTypeParam = [],  # noqa: B006
    organisation: Annotated[list[FilterText], Query(max_length=MAX_VALUES, description="Only documents naming these organisations, as stored; repeatable.")] = [],  # noqa: B006
    year: Annotated[list[Annotated[int, Field(ge=1000, le=2999)]], Query(max_length=MAX_VALUES, description="Only documents of these years (given, or that of their date; undated documents with a year match); repeatable.")] = [],  # noqa: B006
    date_from: Annotated[dt.date | None, Query(description="Only documents dated on or after this day, YYYY-MM-DD (undated documents are then left out).")] = None,
    date_to: Annotated[dt.date | None, Query(description="Only documents dated on or before this day, YYYY-MM-DD.")] = None,
) -> Filters:
    return Filters(
        language=language, country=country, region=region, doc_type=doc_type,
        organisation=organisation, year=year, date_from=date_from, date_to=date_to,
    )
