"""`/v1/search`, `/v1/similar`, `/v1/compare`, `/v1/facets`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query

from api import searching
from api.deps import PROTECTED, Service, error_responses
from api.filters import filter_query_params
from api.schemas import (
    MAX_OFFSET,
    MAX_QUERY_CHARS,
    MAX_TOP_K,
    NOT_BLANK,
    CompareRequest,
    LanguageCode,
    CompareResponse,
    FacetsResponse,
    Filters,
    Mode,
    SearchRequest,
    SearchResponse,
    SimilarRequest,
    SimilarResponse,
)
from api.security import ReadCaller

router = APIRouter(prefix="/v1", tags=["search"])

QueryFilters = Annotated[Filters, Depends(filter_query_params)]
QueryLanguage = Annotated[
    LanguageCode | None,
    Query(description="The query's language (`en`, `sv`, `sw`, `cnr`, `fa`, ...); detected when absent."),
]
ModeParam = Annotated[
    Mode | None,
    Query(description="`dense`: multilingual vectors, finds answers in every language. `hybrid`: dense fused with BM25 keywords, which helps names and exact terms within one language. Default: dense."),
]


@router.get("/search", response_model=SearchResponse, summary="Search (query parameters)", responses=error_responses(*PROTECTED))
def search_get(
    caller: ReadCaller,
    ahadi: Service,
    filters: QueryFilters,
    query: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, pattern=NOT_BLANK, description=f"The question, in any language (at most {MAX_QUERY_CHARS} characters).")],
    top_k: Annotated[int, Query(ge=1, le=MAX_TOP_K, description=f"How many results (1-{MAX_TOP_K}).")] = 10,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Results to skip, for paging: pass the previous `next_offset`.")] = 0,
    group_by_document: Annotated[bool, Query(description="At most one passage, the best, per document.")] = True,
    mode: ModeParam = None,
    query_language: QueryLanguage = None,
) -> dict[str, Any]:
    """The passages that best answer `query`, in every language unless filtered. Each hit has its
    passage, the passage with the query's words marked, its document's metadata and its offsets."""
    request = SearchRequest(
        query=query, filters=filters, top_k=top_k, offset=offset,
        group_by_document=group_by_document, mode=mode, query_language=query_language,
    )
    return searching.search(ahadi, caller.reader, request)


@router.post("/search", response_model=SearchResponse, summary="Search (JSON body)", responses=error_responses(*PROTECTED))
def search_post(caller: ReadCaller, ahadi: Service, body: Annotated[SearchRequest, Body()]) -> dict[str, Any]:
    """The same as `GET /v1/search`, with the parameters in a JSON body."""
    return searching.search(ahadi, caller.reader, body)


@router.post("/similar", response_model=SimilarResponse, summary="Passages similar to a document or a text", responses=error_responses(*PROTECTED, 404))
def similar(caller: ReadCaller, ahadi: Service, body: Annotated[SimilarRequest, Body()]) -> dict[str, Any]:
    """The passages of OTHER documents most like a stored document (each of its passages is
    compared; a hit says which one it is closest to in `source_chunk_id`), one of its passages
    (`chunk_id`), or a given `text`. One passage per document, best first.
    `other_languages_only` keeps only documents in another language (Serbo-Croatian variants
    count as one language)."""
    return searching.similar(ahadi, caller.reader, body)


@router.get("/compare", response_model=CompareResponse, summary="Compare regions on a topic (query parameters)", responses=error_responses(*PROTECTED))
def compare_get(
    caller: ReadCaller,
    ahadi: Service,
    filters: QueryFilters,
    topic: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, pattern=NOT_BLANK, description="What to compare, in any language: a question or a few words.")],
    group_by: Annotated[Literal["region", "country"], Query(description="Compare regions (default) or countries.")] = "region",
    per_group: Annotated[int, Query(ge=1, le=10, description="Passages per region or country (1-10).")] = 3,
    max_groups: Annotated[int, Query(ge=1, le=100, description="Regions or countries shown at most, best matches first.")] = 20,
    group_by_document: Annotated[bool, Query(description="At most one passage per document within a group.")] = False,
    mode: ModeParam = None,
    query_language: QueryLanguage = None,
) -> dict[str, Any]:
    """For each region (or country) present under the filters, its passages that best match the
    topic, side by side, so what each region promised can be compared. Regions are found with a
    facet over the filtered index, then searched one by one; documents without a region are not
    in any group. Groups are ordered by their best passage."""
    request = CompareRequest(
        topic=topic, group_by=group_by, per_group=per_group, max_groups=max_groups,
        group_by_document=group_by_document, filters=filters, mode=mode, query_language=query_language,
    )
    return searching.compare(ahadi, caller.reader, request)


@router.post("/compare", response_model=CompareResponse, summary="Compare regions on a topic (JSON body)", responses=error_responses(*PROTECTED))
def compare_post(caller: ReadCaller, ahadi: Service, body: Annotated[CompareRequest, Body()]) -> dict[str, Any]:
    """The same as `GET /v1/compare`, with the parameters in a JSON body."""
    return searching.compare(ahadi, caller.reader, body)


@router.get("/facets", response_model=FacetsResponse, summary="Counts per language, country, region, type, organisation and year", responses=error_responses(*PROTECTED))
def facets(
    caller: ReadCaller,
    ahadi: Service,
    filters: QueryFilters,
    query: Annotated[str | None, Query(max_length=MAX_QUERY_CHARS, description="Optional. With a query: count the documents among its top `top_n` results. Without: count every document under the filters.")] = None,
    top_n: Annotated[int, Query(ge=1, le=MAX_TOP_K, description="With a query: how many top documents are counted (1-100).")] = 50,
    mode: ModeParam = None,
    query_language: QueryLanguage = None,
) -> dict[str, Any]:
    """Document counts per language, country, region, doc_type, organisations and year. Without `query`
    (`scope: index`): every document in the index under the filters. With `query`
    (`scope: top_results`): the documents in the query's top `top_n` results (one per document),
    i.e. where the answers to this question come from."""
    return searching.facets(ahadi, caller.reader, query, filters, top_n, query_language, mode)
