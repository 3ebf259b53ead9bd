"""Everything the pages read from or write to the facade, in one place, through the same helpers
as the API (`api.searching`, `api.ingestion`), so a page shows what the API answers.

The pages' own parameters arrive as `PageQuery` (GET parameters: the whole state of a page is in
its URL) and become the API's `Filters`, which check every value as the API does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from api import searching
from api.filters import filter_values
from api.schemas import CompareRequest, Filters, SearchRequest, SimilarRequest
from api.state import AppState
from index.compare import COMMITMENT_MIN_SCORE
from service.access import Reader
from service.facade import Ahadi
from service.filters import to_search_filters

#: Filter parameter → the facet field that counts its values.
FILTERS = {"language": "language", "country": "country", "region": "region", "doc_type": "doc_type",
           "organisation": "organisations", "year": "year"}
PAGE_SIZE = 10
MODES = ("dense", "hybrid")
#: The confidence bounds the commitment pages offer: those README's "Commitments" table measures.
CONFIDENCE_LEVELS = ("0.75", "0.85", "0.95")


@dataclass
class PageQuery:
    """A page's state as its URL carries it: the question, the filters, the mode, the offset, and
    for commitments the least confidence (as written: the API's `Filters` check it)."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    mode: str | None = None
    offset: int = 0
    min_confidence: str | None = None

    @classmethod
    def from_params(cls, params, text_param: str = "q") -> "PageQuery":
        filters = {name: [v for v in params.getlist(name) if v.strip()] for name in FILTERS}
        mode = params.get("mode")
        try:
            offset = max(0, min(int(params.get("offset", 0)), 1000))
        except ValueError:
            offset = 0
        return cls(
            q=(params.get(text_param) or "").strip(),
            filters={k: v for k, v in filters.items() if v},
            mode=mode if mode in MODES else None,
            offset=offset,
            min_confidence=(params.get("min_confidence") or "").strip() or None,
        )

    def api_filters(self) -> Filters:
        """The filters as the API takes them for passages and facets; a bad value raises pydantic's
        ValidationError."""
        return Filters(**self.filters)

    def commitment_filters(self) -> Filters:
        """The filters as the API takes them for commitments: with the least confidence."""
        return Filters(**self.filters, min_confidence=self.min_confidence)

    def params(self, text_param: str = "q", **changes: Any) -> list[tuple[str, str]]:
        values = {"q": self.q, "mode": self.mode, "offset": self.offset, **changes}
        pairs = [(text_param, values["q"])] if values["q"] else []
        filters = values.get("filters", self.filters)
        pairs += [(name, value) for name in FILTERS for value in filters.get(name, [])]
        if values["mode"]:
            pairs.append(("mode", values["mode"]))
        if self.min_confidence:
            pairs.append(("min_confidence", self.min_confidence))
        if values["offset"]:
            pairs.append(("offset", str(values["offset"])))
        return pairs

    def url(self, path: str, text_param: str = "q", **changes: Any) -> str:
        pairs = self.params(text_param, **changes)
        return path + ("?" + urlencode(pairs) if pairs else "")

    def with_filter(self, name: str, value: str) -> dict[str, list[str]]:
        filters = {k: list(v) for k, v in self.filters.items()}
        if value not in filters.setdefault(name, []):
            filters[name].append(value)
        return filters

    def without_filter(self, name: str, value: str) -> dict[str, list[str]]:
        filters = {k: [x for x in v if not (k == name and x == value)] for k, v in self.filters.items()}
        return {k: v for k, v in filters.items() if v}


def search(ahadi: Ahadi, reader: Reader, query: PageQuery, kind: str = "chunk") -> dict[str, Any]:
    filters = query.commitment_filters() if kind == "commitment" else query.api_filters()
    request = SearchRequest(query=query.q, filters=filters, top_k=PAGE_SIZE, offset=query.offset,
                            group_by_document=kind == "chunk", mode=query.mode)
    return searching.search(ahadi, reader, request, kind=kind)


def facets(ahadi: Ahadi, reader: Reader, query: PageQuery) -> dict[str, list[dict[str, Any]]]:
    """Documents per value of each filter field, among every document under the page's filters
    that `reader` may see."""
    return ahadi.facets(reader, None, filter_values(query.api_filters()))["facets"]


def document(ahadi: Ahadi, reader: Reader, doc_id: str) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """A document's record, its passages and its commitments (`NotFound` when there is none, or
    `reader` may not see it)."""
    record = ahadi.document(reader, doc_id)
    return record, ahadi.chunks(reader, doc_id), ahadi.document_commitments(reader, doc_id).commitments


def precedents(ahadi: Ahadi, reader: Reader, doc_id: str, chunk: int | None, top_k: int = PAGE_SIZE) -> dict[str, Any]:
    """Documents in other languages most like a document, or one of its passages."""
    request = SimilarRequest(doc_id=doc_id, chunk_id=None if chunk is None else str(chunk), other_languages_only=True, top_k=top_k)
    return searching.similar(ahadi, reader, request)


def precedents_of(ahadi: Ahadi, reader: Reader, doc_id: str, chunk: int | None) -> tuple[dict[str, Any], dict[str, Any] | None, list[dict[str, Any]]]:
    """The precedents page: the document, the passage asked about (None: the whole document), the hits."""
    record = ahadi.document(reader, doc_id)
    passage = next((c for c in ahadi.chunks(reader, doc_id) if c["chunk_index"] == chunk), None) if chunk is not None else None
    return record, passage, precedents(ahadi, reader, doc_id, chunk)["results"]


def compare(ahadi: Ahadi, reader: Reader, query: PageQuery) -> dict[str, Any]:
    """Regions side by side: their commitments on the topic, as `POST /v1/commitments/compare`."""
    request = CompareRequest(topic=query.q, filters=query.commitment_filters(), per_group=5, max_groups=100, mode=query.mode)
    return searching.compare(ahadi, reader, request, kind="commitment", min_score=COMMITMENT_MIN_SCORE)


def browse_commitments(
    ahadi: Ahadi, reader: Reader, query: PageQuery, after: str | None, limit: int = PAGE_SIZE,
) -> tuple[list[dict[str, Any]], str | None]:
    """Without a question: a page of the documents under the filters, each with its commitments in
    order (those at or above the least confidence, when one is given, as a search keeps them), and
    where the next page starts (None: last page)."""
    least = query.commitment_filters().min_confidence
    where = to_search_filters(filter_values(query.api_filters())).keyword_conditions()
    records, next_after = ahadi.documents(reader, limit=limit, offset=after, where=where)
    return [ahadi.document_commitments(reader, record["doc_id"], least).to_dict() for record in records], next_after


def upload(state: AppState, files: list[tuple[str, Any]]) -> dict[str, Any]:
    """Files into the index as `POST /v1/documents/upload` takes them; the report, even when nothing was indexed."""
    report = state.uploads.ingest(files)
    if state.metrics is not None:
        state.metrics.count_ingestion(report)
    return report
