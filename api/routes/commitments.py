"""`/v1/commitments`: the statements in which organisations promise something, searched and compared."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from api import searching
from index.compare import COMMITMENT_MIN_SCORE
from api.deps import PROTECTED, Service, error_responses
from api.schemas import CompareRequest, CompareResponse, SearchRequest, SearchResponse
from api.security import ReadCaller

router = APIRouter(prefix="/v1/commitments", tags=["commitments"])



@router.post("", response_model=SearchResponse, summary="Search commitments", responses=error_responses(*PROTECTED))
def search_commitments(caller: ReadCaller, ahadi: Service, body: Annotated[SearchRequest, Body()]) -> dict[str, Any]:
    """Commitments (pledge items, future obligations) extracted from the documents at ingestion,
    best matches for `query` first, in every language unless filtered. Each hit carries the
    statement and, under `commitment`, its actors, quantity, target, year or deadline, the
    enclosing paragraph and the extractor's confidence. Same parameters as `POST /v1/search`
    (`group_by_document` false lists every matching commitment), and the filter `min_confidence`."""
    return searching.search(ahadi, caller.reader, body, kind="commitment")


@router.post("/compare", response_model=CompareResponse, summary="Compare what regions promised", responses=error_responses(*PROTECTED))
def compare_commitments(caller: ReadCaller, ahadi: Service, body: Annotated[CompareRequest, Body()]) -> dict[str, Any]:
    """Per region (or country), its commitments on the topic with their targets and years, side by
    side; a region appears only when one of its commitments scores at least 2 on the calibrated
    scale (two standard deviations above a typical passage of its language). Same parameters as
    `POST /v1/compare`."""
    return searching.compare(ahadi, caller.reader, body, kind="commitment", min_score=COMMITMENT_MIN_SCORE)
