"""Commitments as first-class search results: find them across languages, compare them by region."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from index.search import SearchResult, Searcher
from index.store.base import SearchFilters


@dataclass
class RegionCommitments:
    """What one region (or country, where no region is known) promised on a topic."""

    country: str | None
    region: str | None
    commitments: list[SearchResult]

    def to_dict(self) -> dict[str, Any]:
        return {"country": self.country, "region": self.region, "commitments": [c.to_dict() for c in self.commitments]}


class CommitmentSearcher:
    """Searches the commitment records that ingestion extracted (kind="commitment")."""

    def __init__(self, searcher: Searcher):
        self.searcher = searcher

    def search(self, topic: str, filters: SearchFilters | None = None, top_k: int = 10, query_language: str | None = None) -> list[SearchResult]:
        return self.searcher.search(
            topic, filters=filters, top_k=top_k, group_by_document=False, query_language=query_language, kind="commitment"
        )

    def compare(
        self,
        topic: str,
        filters: SearchFilters | None = None,
        per_region: int = 3,
        relative_score: float = 0.85,
        query_language: str | None = None,
    ) -> list[RegionCommitments]:
        """For each region holding commitments under `filters`, its best matches for `topic`.

        Scores are only comparable within one query, so a commitment is kept when it scores at least
        `relative_score` × the best commitment found for the topic anywhere; regions left with none
        are dropped. Regions come ordered by their best match.
        """
        if not 0 < relative_score <= 1:
            raise ValueError(f"relative_score must be in (0, 1], got {relative_score}")
        filters = filters or SearchFilters()
        best = self.search(topic, filters, top_k=1, query_language=query_language)
        if not best:
            return []
        floor = best[0].score * relative_score if best[0].score > 0 else best[0].score
        regions = self.searcher.store.facet("region", filters, kind="commitment")
        compared = []
        for region in regions:
            found = self.search(topic, replace(filters, regions=[region]), top_k=per_region, query_language=query_language)
            kept = [c for c in found if c.score >= floor]
            if kept:
                compared.append(RegionCommitments(country=kept[0].country, region=region, commitments=kept))
        return sorted(compared, key=lambda group: -group.commitments[0].score)
