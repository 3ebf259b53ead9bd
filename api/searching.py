"""Search, similar passages, region comparison and facets, on top of `Ahadi`.

Everything goes through `Ahadi.searcher`, the CLI's path. Search embeds the query with
`Searcher.embed_query` (which detects its language while the model runs, and reports it) and then
searches with the vectors made, as similar and compare do (`Searcher.search_vectors`: one topic for
many regions, or a stored passage's vector); compare is `index.compare`, which the CLI's
`ahadi commitments --compare` uses too.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from api.errors import ApiError
from api.filters import FirstPassageFilters, copy_filters, language_code, to_search_filters
from api.highlight import highlight
from api.schemas import (
    CompareRequest,
    SearchRequest,
    SimilarRequest,
)
from index.compare import compare as index_compare
from index.search import SearchResult
from ingest.language import detect_language, family_of

if TYPE_CHECKING:
    from ahadi.service import Ahadi

FACET_FIELDS = ("language", "country", "region", "doc_type", "year")
_MAX_SOURCE_PASSAGES = 32


def _given_language(given: str | None) -> str | None:
    """The caller's `query_language`, checked; None leaves detection to the search."""
    return language_code(given, "query_language") if given else None


def _check_query(query: str, field: str = "query") -> str:
    if not query.strip():
        raise ApiError(422, "invalid_request", f"the {field} is empty", {"field": field})
    return query


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


# ------------------------------------------------------------------ search
def search(ahadi: Ahadi, request: SearchRequest, kind: str = "chunk") -> dict[str, Any]:
    """Passages, or with kind="commitment", the commitments extracted at ingestion."""
    query = _check_query(request.query)
    filters = to_search_filters(request.filters)
    mode = request.mode or ahadi.searcher.default_mode
    # Without a given language, it is detected while the model embeds the query.
    embedded = ahadi.searcher.embed_query(query, _given_language(request.query_language), mode)
    results = ahadi.searcher.search_vectors(
        embedded.dense, embedded.sparse, filters, top_k=request.top_k, offset=request.offset,
        group_by_document=request.group_by_document, kind=kind,
    )
    language = embedded.language
    return {
        "query": query,
        "query_language": language,
        "mode": mode,
        "top_k": request.top_k,
        "offset": request.offset,
        "next_offset": request.offset + request.top_k if len(results) == request.top_k else None,
        "results": [hit_dict(r, query, language) for r in results],
    }


# ------------------------------------------------------------------ similar
def similar(ahadi: Ahadi, request: SimilarRequest) -> dict[str, Any]:
    base = to_search_filters(request.filters)
    if request.doc_id is not None:
        record = ahadi.store.document(request.doc_id)
        if record is None:
            raise ApiError(404, "document_not_found", f"no document with id {request.doc_id!r}", {"doc_id": request.doc_id})
        chunk_index = _chunk_index(request.doc_id, request.chunk_id)
        sources = ahadi.store.chunk_vectors(request.doc_id, chunk_index)
        if not sources:
            where = f"passage {request.doc_id}#{chunk_index}" if chunk_index is not None else "any passage"
            raise ApiError(404, "chunk_not_found", f"document {request.doc_id!r} has no {where}", {"doc_id": request.doc_id, "chunk_id": request.chunk_id})
        if len(sources) > _MAX_SOURCE_PASSAGES:  # evenly spread over long documents
            step = len(sources) / _MAX_SOURCE_PASSAGES
            sources = [sources[int(i * step)] for i in range(_MAX_SOURCE_PASSAGES)]
        source_language = record.get("language")
        source = {"doc_id": request.doc_id, "chunk_id": request.chunk_id and f"{request.doc_id}#{chunk_index}", "language": source_language}
        exclude = [request.doc_id]
    else:
        text = _check_query(request.text or "", "text")
        source_language = language_code(request.language, "language") if request.language else detect_language(text)
        vector = ahadi.encoder.passages([text], [source_language])[0].tolist()
        sources = [({}, vector)]
        source = {"text": text[:200] + ("…" if len(text) > 200 else ""), "language": source_language}
        exclude = []

    filters = copy_filters(base, exclude_doc_ids=list(dict.fromkeys(base.exclude_doc_ids + exclude)))
    if request.other_languages_only:
        if source_language is None:
            raise ApiError(422, "unknown_language", "the source's language is unknown: give `language`, or leave other_languages_only off")
        present = filters.languages or [str(v) for v in ahadi.store.facet("language", filters)]
        others = [lang for lang in present if family_of(lang) != family_of(source_language)]
        if not others:
            return {"source": source, "results": []}
        filters = copy_filters(filters, languages=others)

    best: dict[str, tuple[SearchResult, str | None]] = {}
    for payload, vector in sources:
        for result in ahadi.searcher.search_vectors(vector, filters=filters, top_k=request.top_k):
            if result.doc_id not in best or result.score > best[result.doc_id][0].score:
                source_chunk = f"{payload['doc_id']}#{payload['chunk_index']}" if payload else None
                best[result.doc_id] = (result, source_chunk)
    ordered = sorted(best.values(), key=lambda pair: pair[0].score, reverse=True)[: request.top_k]
    results = []
    for result, source_chunk in ordered:
        item = hit_dict(result, None, None)
        item["source_chunk_id"] = source_chunk
        results.append(item)
    return {"source": source, "results": results}


def _chunk_index(doc_id: str, chunk_id: str | None) -> int | None:
    if chunk_id is None:
        return None
    raw = chunk_id
    if "#" in chunk_id:
        owner, raw = chunk_id.rsplit("#", 1)
        if owner != doc_id:
            raise ApiError(404, "chunk_not_found", f"chunk_id {chunk_id!r} is not a passage of document {doc_id!r}", {"doc_id": doc_id, "chunk_id": chunk_id})
    if not raw.isdigit():
        raise ApiError(422, "invalid_request", f"chunk_id {chunk_id!r} is not `<doc_id>#<number>` or a number", {"field": "chunk_id"})
    return int(raw)


# ------------------------------------------------------------------ compare
def compare(ahadi: Ahadi, request: CompareRequest, kind: str = "chunk", min_relative_score: float | None = None) -> dict[str, Any]:
    """Regions (or countries) side by side on a topic: passages, or with kind="commitment", commitments."""
    topic = _check_query(request.topic, "topic")
    filters = to_search_filters(request.filters)
    language = _given_language(request.query_language) or detect_language(topic)
    documents_per_key = ahadi.store.facet(request.group_by, FirstPassageFilters(**vars(filters)))
    unknown = FirstPassageFilters(**{**vars(filters), "missing": [*filters.missing, request.group_by]})
    groups = index_compare(
        ahadi.searcher, topic, filters, group_by=request.group_by, per_group=request.per_group,
        group_by_document=request.group_by_document, kind=kind, mode=request.mode, query_language=language,
        min_relative_score=min_relative_score,
    )
    return {
        "topic": topic,
        "query_language": language,
        "group_by": request.group_by,
        "groups": [
            {
                "key": group.key,
                "label": group.label,
                "country": group.country,
                "documents": (
                    ahadi.store.count_chunks(unknown) if group.key is None
                    else int(documents_per_key.get(group.key, 0) or documents_per_key.get(_maybe_int(group.key), 0))
                ),
                "best_score": group.best_score,
                "passages": [hit_dict(result, topic, language) for result in group.results],
            }
            for group in groups[: request.max_groups]
        ],
        "groups_total": len(groups),
    }


def _maybe_int(value: str):
    return int(value) if value.isdigit() else value


# ------------------------------------------------------------------ facets
def facets(ahadi: Ahadi, query: str | None, filters_in, top_n: int, query_language: str | None, mode: str | None) -> dict[str, Any]:
    filters = to_search_filters(filters_in)
    if query is None or not query.strip():
        counts = {}
        first = FirstPassageFilters(**vars(filters))
        for field in FACET_FIELDS:
            raw = ahadi.store.facet(field, first)
            counts[field] = _sorted_counts(raw)
        return {"scope": "index", "query": None, "counted": "documents", "facets": counts}
    results = ahadi.searcher.search(  # detects the language while the model runs, unless given
        query, filters=filters, top_k=top_n, group_by_document=True, mode=mode or ahadi.searcher.default_mode,
        query_language=_given_language(query_language),
    )
    tallies: dict[str, Counter] = defaultdict(Counter)
    for result in results:
        for field in FACET_FIELDS:
            value = getattr(result, field)
            if value not in (None, ""):
                tallies[field][value] += 1
    return {
        "scope": "top_results",
        "query": query,
        "counted": "documents",
        "facets": {field: _sorted_counts(tallies[field]) for field in FACET_FIELDS},
    }


def _sorted_counts(raw: dict) -> list[dict[str, Any]]:
    items = [(value, int(count)) for value, count in raw.items() if value not in (None, "") and count]
    items.sort(key=lambda vc: (-vc[1], str(vc[0])))
    return [{"value": value, "count": count} for value, count in items]
