"""Cross-lingual retrieval on NTREX through Ahadi's own ingestion and search, plus the corpus query set.

For each configuration (centering on/off) it ingests the split's documents in English, Swahili,
Swedish, Bosnian (standing in for Montenegrin) and Persian, together with `corpus/`, into a fresh
embedded index, then measures, for each search mode:
- mixed-pool nDCG@10: all five languages in one index; a headline is the query, the five
  language versions of its article are relevant;
- cross-lingual top-1: the index restricted to language Y (a filter), headline in X ≠ Y;
- monolingual top-1: X = Y;
- the same three counting an article that reports the same event as right (judged groups in
  `benchmarks/queries/ntrex_same_story.json`; the strict figures stay the headline ones);
- the judged corpus query set (`benchmarks/queries/corpus_queries.jsonl`) with the NTREX
  documents as distractors.

    python -m benchmarks.retrieval --split dev       # tune here
    python -m benchmarks.retrieval --split test      # report this
    python -m benchmarks.retrieval --split dev --chunk-words 160,30   # another passage length
`--chunk-words MAX,OVERLAP` cuts passages of another length and first fits the centering and the
calibration for that length on NTREX dev (`benchmarks.fit_centering.fit`).
Writes benchmarks/results/retrieval-<split>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from contextlib import contextmanager
from itertools import product
from pathlib import Path
from typing import Iterator

from index.access import ALL_DOCUMENTS
from service.settings import Settings
from service.evaluation import evaluate, load_queries, score_query
from service.facade import Ahadi
from benchmarks import ntrex
from benchmarks.fit_centering import fit
from index.calibration import ScoreCalibration
from index.embedding import Encoder, LanguageCentering
from index.model import load_encoder
from index.search import Searcher
from ingest.chunking import SentenceChunker
from index.store.base import SearchFilters

ROOT = Path(__file__).resolve().parents[1]
QUERY_SET = ROOT / "benchmarks" / "queries" / "corpus_queries.jsonl"
SAME_STORY = ROOT / "benchmarks" / "queries" / "ntrex_same_story.json"
# name → (mode, RRF weight of the sparse list (the dense one has 1), RRF constant k, balance languages, calibrate)
SEARCH_VARIANTS = {
    "dense": ("dense", 1.0, 60, False, False),
    "dense+calibrated": ("dense", 1.0, 60, False, True),
    "dense+balanced": ("dense", 1.0, 60, True, False),
    "hybrid-w1-k60": ("hybrid", 1.0, 60, False, False),
    "hybrid-w0.25-k60": ("hybrid", 0.25, 60, False, False),
    "hybrid-w0.25-k10": ("hybrid", 0.25, 10, False, False),
    "hybrid-w0.1-k10": ("hybrid", 0.1, 10, False, False),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test"), required=True)
    parser.add_argument("--ntrex", type=Path, default=ntrex.DEFAULT_PATH)
    parser.add_argument("--centering", choices=("on", "off", "both"), default="both")
    parser.add_argument("--variants", default=",".join(SEARCH_VARIANTS), help=f"comma-separated, from: {', '.join(SEARCH_VARIANTS)}")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--chunk-words", help="MAX,OVERLAP words per passage instead of the default")
    parser.add_argument("--data-dir", type=Path, help="keep the indexes here and reuse them on the next run (default: a temporary folder)")
    args = parser.parse_args()
    variants = args.variants.split(",")
    unknown = [v for v in variants if v not in SEARCH_VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s) {', '.join(unknown)}; valid: {', '.join(SEARCH_VARIANTS)}")

    settings = Settings.from_env()
    model = load_encoder(settings.model, settings.model_cache_dir, backend=settings.encoder_backend)
    records = list(ntrex.load(args.split, ntrex.BENCHMARK_LANGUAGES, args.ntrex))
    languages = sorted({r["lang"] for r in records})
    results = {
        "split": args.split,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "encoder_backend": settings.encoder_backend,
        "documents": len(records),
        "languages": languages,
        "configurations": {},
    }
    words = tuple(map(int, args.chunk_words.split(","))) if args.chunk_words else ()
    chunker = SentenceChunker(*words)
    fitted_centering, calibration = fit(model, settings.model, chunker, args.ntrex) if args.chunk_words else (
        LanguageCentering.for_model(settings.model), ScoreCalibration.for_model(settings.model))
    results["chunk_words"] = f"{chunker.max_words},{chunker.overlap_words}"
    centerings = {"on": [True], "off": [False], "both": [False, True]}[args.centering]
    for centered in centerings:
        encoder = Encoder(model, fitted_centering if centered else None, batch_size=settings.batch_size)
        with _data_dir(args.data_dir, "centered" if centered else "plain") as data_dir:
            bulk = ntrex.write_bulk(records, Path(data_dir) / "ntrex.jsonl")
            # A Haystack component belongs to one pipeline: each configuration gets its own chunker.
            app = Ahadi(Settings.from_env(data_dir=Path(data_dir)), encoder=encoder, chunker=SentenceChunker(*words))
            started = time.perf_counter()
            report = app.ingest([bulk, ROOT / "corpus"])
            ingest_seconds = time.perf_counter() - started
            for variant in variants:
                searcher = searcher_for(app, variant, calibration)
                name = f"{'centered' if centered else 'plain'}/{variant}"
                started = time.perf_counter()
                measured = measure(searcher, records, languages)
                measured["corpus_queries"] = evaluate(searcher, load_queries(QUERY_SET))
                measured["search_seconds"] = round(time.perf_counter() - started, 1)
                measured["ingest"] = {"chunks": report.chunks, "seconds": round(ingest_seconds, 1)}
                results["configurations"][name] = measured
                print(name, json.dumps(_headline(measured)), flush=True)
            app.close()
    out = args.out or ROOT / "benchmarks" / "results" / f"retrieval-{args.split}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {out}")


def searcher_for(app: Ahadi, variant: str, calibration: ScoreCalibration | None = None) -> Searcher:
    """A searcher over `app`'s store and encoder with one of `SEARCH_VARIANTS`' settings; a
    calibrated variant uses `calibration`, by default the one bundled for the model."""
    mode, weight, rrf_k, balanced, calibrated = SEARCH_VARIANTS[variant]
    return Searcher(
        app.store, app.encoder, app.sparse, default_mode=mode, sparse_weight=weight, rrf_k=rrf_k, balance_languages=balanced,
        calibration=(calibration or ScoreCalibration.for_model(app.settings.model)) if calibrated else None,
    )


@contextmanager
def _data_dir(keep: Path | None, name: str) -> Iterator[str]:
    if keep is None:
        with tempfile.TemporaryDirectory() as temporary:
            yield temporary
    else:
        (keep / name).mkdir(parents=True, exist_ok=True)
        yield str(keep / name)


def same_story_groups(path: Path = SAME_STORY) -> dict[str, set[str]]:
    """Each NTREX article → the articles that report the same event (itself included)."""
    groups = json.loads(path.read_text(encoding="utf-8"))["groups"]
    return {article: set(group) for group in groups for article in group}


def measure(searcher: Searcher, records: list[dict], languages: list[str]) -> dict:
    """The strict figures (only the headline's own article is right) and, as `…_same_story`, the
    same counting an article about the same event as right (`SAME_STORY`): NTREX has several
    reports of one event (four of the Indonesian tsunami in dev), which no headline tells apart."""
    articles = sorted({r["doc_id"] for r in records})
    headline = {(r["doc_id"], r["lang"]): r["title"] for r in records}
    same_story = same_story_groups()
    ndcg, ndcg_same_story = [], []
    top1: dict[tuple[str, str], list[float]] = {pair: [] for pair in product(languages, languages)}
    top1_same_story: dict[tuple[str, str], list[float]] = {pair: [] for pair in product(languages, languages)}
    for article, query_lang in product(articles, languages):
        query = headline[(article, query_lang)]
        stories = same_story.get(article, {article})
        relevant = [ntrex.doc_id({"doc_id": article, "lang": lang}) for lang in languages]
        ranked = [hit.doc_id for hit in searcher.search(ALL_DOCUMENTS, query, top_k=10, query_language=query_lang)]
        ndcg.append(score_query(ranked, [], relevant, None)["ndcg@10"])
        ndcg_same_story.append(score_query(ranked, [], [ntrex.doc_id({"doc_id": a, "lang": lang}) for a in sorted(stories) for lang in languages], None)["ndcg@10"])
        for index_lang in languages:
            hits = searcher.search(ALL_DOCUMENTS, query, SearchFilters(languages=[index_lang]), top_k=1, query_language=query_lang)
            top1[(query_lang, index_lang)].append(1.0 if hits and hits[0].doc_id == ntrex.doc_id({"doc_id": article, "lang": index_lang}) else 0.0)
            top1_same_story[(query_lang, index_lang)].append(
                1.0 if hits and hits[0].doc_id in {ntrex.doc_id({"doc_id": a, "lang": index_lang}) for a in stories} else 0.0)
    mean = lambda values: round(sum(values) / len(values), 4)  # noqa: E731
    cross = [v for (x, y), values in top1.items() if x != y for v in values]
    return {
        "mixed_pool_ndcg@10": mean(ndcg),
        "cross_lingual_top1": mean(cross),
        "monolingual_top1": {lang: mean(top1[(lang, lang)]) for lang in languages},
        "monolingual_top1_mean": mean([mean(top1[(lang, lang)]) for lang in languages]),
        "top1_matrix": {f"{x}->{y}": mean(values) for (x, y), values in top1.items()},
        "mixed_pool_ndcg@10_same_story": mean(ndcg_same_story),
        "cross_lingual_top1_same_story": mean([v for (x, y), values in top1_same_story.items() if x != y for v in values]),
        "monolingual_top1_same_story": {lang: mean(top1_same_story[(lang, lang)]) for lang in languages},
    }


def _headline(measured: dict) -> dict:
    corpus = measured["corpus_queries"]
    return {
        "ndcg@10": measured["mixed_pool_ndcg@10"],
        "xling_top1": measured["cross_lingual_top1"],
        "mono_top1": measured["monolingual_top1_mean"],
        "same_story_ndcg@10": measured["mixed_pool_ndcg@10_same_story"],
        "same_story_xling_top1": measured["cross_lingual_top1_same_story"],
        "corpus_recall@3": corpus["recall@3"],
        "corpus_passage_hit@10": corpus.get("passage_hit@10"),
    }


if __name__ == "__main__":
    main()
