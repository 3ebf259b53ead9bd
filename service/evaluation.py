"""Retrieval quality over a judged query set: document recall, MRR, nDCG and passage hits.

A query set is JSONL, one `{"id", "query", "relevant": [doc ids], "phrase"?, "lang"?}` per line.
Every query runs through the real search path. Document metrics use one hit per document
(recall@k: the share of a query's relevant documents in the top k; success@k: at least one is);
passage hits use the ungrouped passage ranking: hit@k when one of the first k passages belongs
to a relevant document and contains the phrase (both normalised: NFKC, case folding, collapsed
whitespace, no zero-width non-joiners).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

from index.access import ALL_DOCUMENTS
from index.search import Searcher
from index.store.base import SearchFilters
from core.detection import detect_language

CUTOFFS = (1, 3, 10)
METRICS = ("recall@1", "recall@3", "recall@10", "success@1", "success@3", "success@10", "mrr", "ndcg@10",
           "passage_hit@1", "passage_hit@3", "passage_hit@10")


def normalize_phrase(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u200c", "").casefold()
    return re.sub(r"\s+", " ", text).strip()


def load_queries(path: Path) -> list[dict[str, Any]]:
    """Read and check a query set; errors name the line and what is wrong."""
    queries = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            query = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path} line {number}: not JSON ({error.msg})") from error
        missing = [key for key in ("id", "query", "relevant") if key not in query]
        if missing:
            raise ValueError(f"{path} line {number}: missing {', '.join(missing)}")
        if not isinstance(query["relevant"], list) or not query["relevant"]:
            raise ValueError(f"{path} line {number}: \"relevant\" must be a non-empty list of document ids")
        queries.append(query)
    if not queries:
        raise ValueError(f"{path}: no queries")
    return queries


def score_query(ranked_docs: list[str], passages: list[tuple[str, str]], relevant: Iterable[str], phrase: str | None) -> dict[str, float]:
    """Metrics of one query from its ranked document ids and ranked (doc id, passage text) pairs."""
    relevant = set(relevant)
    scores: dict[str, float] = {}
    for k in CUTOFFS:  # recall: the share of the relevant documents found; success: one of them found
        found = len(relevant & set(ranked_docs[:k]))
        scores[f"recall@{k}"] = found / len(relevant)
        scores[f"success@{k}"] = float(found > 0)
    first = next((rank for rank, doc in enumerate(ranked_docs, 1) if doc in relevant), None)
    scores["mrr"] = 1.0 / first if first else 0.0
    dcg = sum(1.0 / math.log2(rank + 1) for rank, doc in enumerate(ranked_docs[:10], 1) if doc in relevant)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(relevant), 10) + 1))
    scores["ndcg@10"] = dcg / ideal
    if phrase:
        wanted = normalize_phrase(phrase)
        hit_ranks = [rank for rank, (doc, text) in enumerate(passages, 1) if doc in relevant and wanted in normalize_phrase(text)]
        for k in CUTOFFS:
            scores[f"passage_hit@{k}"] = 1.0 if hit_ranks and hit_ranks[0] <= k else 0.0
    return scores


def evaluate(
    searcher: Searcher,
    queries: list[dict[str, Any]],
    filters: SearchFilters | None = None,
    mode: str | None = None,
    detect: bool = False,
) -> dict[str, Any]:
    """Run every query; return the mean of each metric overall and per query language, and each
    query's own metrics. The search is told each query's judged `lang`, unless `detect` (or the
    query has none): then it detects the language, as it does for a user's query."""
    per_query = []
    for query in queries:
        judged = query.get("lang")
        language = None if detect else judged
        judged = judged or detect_language(query["query"])
        docs = searcher.search(ALL_DOCUMENTS, query["query"], filters=filters, top_k=10, mode=mode, query_language=language)
        passages = []
        if query.get("phrase"):
            hits = searcher.search(ALL_DOCUMENTS, query["query"], filters=filters, top_k=10, group_by_document=False, mode=mode, query_language=language)
            passages = [(hit.doc_id, hit.text) for hit in hits]
        scores = score_query([hit.doc_id for hit in docs], passages, query["relevant"], query.get("phrase"))
        per_query.append((judged or "unknown", query["id"], scores))
    report = _mean([scores for _, _, scores in per_query])
    by_language: dict[str, list[dict[str, float]]] = defaultdict(list)
    for language, _, scores in per_query:
        by_language[language].append(scores)
    report["by_language"] = {language: _mean(rows) for language, rows in sorted(by_language.items())}
    report["misses"] = [query_id for _, query_id, scores in per_query if scores["recall@10"] == 0.0]
    report["per_query"] = [{"id": query_id, "lang": language, **scores} for language, query_id, scores in per_query]
    return report


def _mean(rows: list[dict[str, float]]) -> dict[str, Any]:
    summary: dict[str, Any] = {"n": len(rows)}
    for metric in METRICS:
        values = [row[metric] for row in rows if metric in row]
        if values:
            summary[metric] = round(sum(values) / len(values), 4)
    return summary
