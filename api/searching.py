"""Responses of search, similar, compare and facets: the facade's results as the API's JSON,
each hit with its passage highlighted for the query."""

from __future__ import annotations

import html
from typing import Any

from api.auditing import note
from api.filters import filter_values
from api.highlight import highlight
from api.schemas import CompareRequest, Filters, SearchRequest, SimilarRequest
from index.search import SearchResult
from service.access import Reader
from service.facade import Ahadi, Kind


def hit_dict(result: SearchResult, query: str | None, query_language: str | None) -> dict[str, Any]:
    return {
        "doc_id": result.doc_id,
        "chunk_id": result.chunk_id,
        "chunk_index": result.chunk_index,
        "title": result.title,
        "language": result.language,
        "country": result.country,
        "region": result.region,
        "date": result.date,
        "year": result.year,
        "doc_type": result.doc_type,
        "organisations": list(result.organisations or []),
        "text": result.text,
        "highlighted": highlight(result.text, query, query_language, result.language) if query else html.escape(result.text),
        "score": result.score,
        "start": result.start,
        "end": result.end,
        "commitment": result.commitment,
    }


def search(ahadi: Ahadi, reader: Reader, request: SearchRequest, kind: Kind = "chunk") -> dict[str, Any]:
    """Passages, or with kind="commitment", the commitments extracted at ingestion."""
    found = ahadi.search(
        reader, request.query, filter_values(request.filters), top_k=request.top_k, offset=request.offset,
        group_by_document=request.group_by_document, mode=request.mode, query_language=request.query_language, kind=kind,
    )
    note(query=request.query, results=len(found.results))
    return {
        "query": found.query,
        "query_language": found.query_language,
        "mode": found.mode,
        "top_k": request.top_k,
        "offset": request.offset,
        "next_offset": request.offset + request.top_k if len(found.results) == request.top_k else None,
        "results": [hit_dict(r, found.query, found.query_language) for r in found.results],
    }


def similar(ahadi: Ahadi, reader: Reader, request: SimilarRequest) -> dict[str, Any]:
    found = ahadi.similar(
        reader, doc_id=request.doc_id, chunk_id=request.chunk_id, text=request.text, language=request.language,
        filters=filter_values(request.filters), top_k=request.top_k, other_languages_only=request.other_languages_only,
    )
    note(query=request.text, read=[request.doc_id] if request.doc_id else None, results=len(found.results))
    results = []
    for result, source_chunk in found.results:
        item = hit_dict(result, None, None)
        item["source_chunk_id"] = source_chunk
        results.append(item)
    return {"source": found.source, "results": results}


def compare(ahadi: Ahadi, reader: Reader, request: CompareRequest, kind: Kind = "chunk", min_score: float | None = None) -> dict[str, Any]:
    """Regions (or countries) side by side on a topic: passages, or with kind="commitment", commitments."""
    found = ahadi.compare(
        reader, request.topic, filter_values(request.filters), group_by=request.group_by, per_group=request.per_group,
        group_by_document=request.group_by_document, mode=request.mode, query_language=request.query_language,
        kind=kind, min_score=min_score,
    )
    note(query=request.topic, results=sum(len(group.results) for group in found.groups[: request.max_groups]))
    return {
        "topic": found.topic,
        "query_language": found.query_language,
        "group_by": request.group_by,
        "groups": [
            {
                "key": group.key,
                "label": group.label,
                "country": group.country,
                "documents": found.documents.get(group.key, 0),
                "best_score": group.best_score,
                "passages": [hit_dict(result, found.topic, found.query_language) for result in group.results],
            }
            for group in found.groups[: request.max_groups]
        ],
        "groups_total": len(found.groups),
    }


def facets(ahadi: Ahadi, reader: Reader, query: str | None, filters: Filters, top_n: int, query_language: str | None, mode: str | None) -> dict[str, Any]:
    note(query=query)
    return ahadi.facets(reader, query, filter_values(filters), top_n=top_n, query_language=query_language, mode=mode)
