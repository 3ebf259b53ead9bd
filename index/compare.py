"""Side by side: for a topic, the best passages or commitments of each region (or country).

Documents whose region (or country) is unknown are one more group, key None ("region unknown"):
they are compared like the others, never dropped."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, Literal

from index.search import SearchMode, SearchResult, Searcher
from index.store.base import Reader, SearchFilters

GroupBy = Literal["region", "country"]
# A commitments comparison shows a region when one of its commitments scores at least this much on
# the calibrated scale (z-scores against a typical passage of its language, the same scale for every
# topic): regions with nothing on the topic drop out. It was 2.0 before queries lost part of their
# question component (`index.embedding.LanguageCentering`), which lowers in-domain scores; 1.1 lets
# through the same share of unrelated commitments on the genre set's dev questions as 2.0 did
# before (`python -m benchmarks.score_scale`: 1.08).
COMMITMENT_MIN_SCORE = 1.1
UNKNOWN_LABELS: dict[str, str] = {"region": "region unknown", "country": "country unknown"}


@dataclass
class Group:
    """What one region (or country) has on the topic, best first. `key` None: the documents whose
    region (or country) is unknown."""

    key: str | None
    country: str | None
    results: list[SearchResult]
    field: GroupBy = "region"

    @property
    def label(self) -> str:
        return self.key if self.key is not None else UNKNOWN_LABELS[self.field]

    @property
    def best_score(self) -> float:
        return self.results[0].score

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "country": self.country, "best_score": self.best_score,
                "results": [r.to_dict() for r in self.results]}


def compare(
    searcher: Searcher,
    reader: Reader,
    topic: str,
    filters: SearchFilters | None = None,
    group_by: GroupBy = "region",
    per_group: int = 3,
    group_by_document: bool = False,
    kind: str = "chunk",
    mode: SearchMode | None = None,
    query_language: str | None = None,
    min_score: float | None = None,
) -> list[Group]:
    """Regions (found with a facet under `filters`, among the documents `reader` may see) each
    searched for `topic`, and the documents of no known region as one group (key None); best
    groups first.

    The topic is embedded once (in `query_language`, or the one detected). With `min_score`, a
    result is kept only when its calibrated score reaches it, and groups left empty are dropped;
    scores without a fixed scale (no calibration, or hybrid mode's RRF) keep every result.
    """
    if group_by not in ("region", "country"):
        raise ValueError(f"unknown group_by {group_by!r}; valid: region, country")
    filters = filters or SearchFilters()
    embedded = searcher.embed_query(topic, query_language, mode)
    dense, sparse = embedded.dense, embedded.sparse
    floor = min_score if searcher.calibrates(mode) else None
    field = "regions" if group_by == "region" else "countries"
    keys: list[str | None] = [str(key) for key in searcher.store.facet(reader, group_by, filters, kind=kind) if key not in (None, "")]
    groups = []
    for key in keys + [None]:
        restricted = replace(filters, **{field: [key]}) if key is not None else replace(filters, missing=[*filters.missing, group_by])
        found = searcher.search_vectors(reader, dense, sparse, restricted, top_k=per_group, group_by_document=group_by_document, kind=kind)
        kept = [r for r in found if floor is None or r.score >= floor]
        if kept:
            countries = Counter(r.country for r in kept if r.country)
            country = key if group_by == "country" else (countries.most_common(1)[0][0] if countries else None)
            groups.append(Group(key=key, country=country, results=kept, field=group_by))
    return sorted(groups, key=lambda group: -group.best_score)
