"""Retrieval on the judged genre set (`benchmarks/genre/`), ingested as users have it.

A part's documents (`benchmarks/genre/<part>/docs/*.txt`: plain text, no sidecars, page clutter
and all) go into a fresh embedded index together with `corpus/`, and the part's questions run
through Ahadi's own search, their language detected as a user's would be (`--given-language` uses
the judged one). Reports recall@1/3/10, MRR and passage hits overall, per query language and per
language of the relevant document, and two things the raw figures hide:
- `score_auc`: how well the top hit's score tells a right top hit from a wrong one (the
  probability that a random right one scores above a random wrong one; 0.5 = no signal);
- `hubs`: documents that were the wrong top hit of several questions.

    python -m benchmarks.genre_eval --part dev            # tune here
    python -m benchmarks.genre_eval --part sealed3        # report; run once the set is sealed
    python -m benchmarks.genre_eval --part dev --ntrex    # NTREX test documents as distractors too
    python -m benchmarks.genre_eval --part dev --chunk-words 160,30   # another passage length
`--chunk-words MAX,OVERLAP` cuts passages of another length and first fits the centering and the
calibration for that length on NTREX dev, as `benchmarks.fit_centering` does for the default.
Writes benchmarks/results/genre-<part>[-ntrex].json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
from collections import Counter
from pathlib import Path

from index.access import ALL_DOCUMENTS
from service.settings import Settings
from service.evaluation import evaluate, load_queries
from service.facade import Ahadi
from benchmarks import ntrex
from benchmarks.fit_centering import fit
from benchmarks.genre_parts import GENRE, PARTS, document_languages
from benchmarks.retrieval import SEARCH_VARIANTS, searcher_for
from index.embedding import Encoder
from index.model import load_encoder
from ingest.chunking import SentenceChunker

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=PARTS, default="dev")
    parser.add_argument("--ntrex", action="store_true", help="add the NTREX test documents (5 languages) as distractors")
    parser.add_argument("--given-language", action="store_true", help="search with the judged query language instead of detecting it")
    parser.add_argument("--variants", default="default", help=f"comma-separated: default (the service's searcher) or from {', '.join(SEARCH_VARIANTS)}")
    parser.add_argument("--chunk-words", help="MAX,OVERLAP words per passage instead of the default (fits centering and calibration for it)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    part = GENRE / args.part
    queries = load_queries(part / "questions.jsonl")
    doc_language = document_languages(args.part)
    with tempfile.TemporaryDirectory() as data_dir:
        sources = [part / "docs", ROOT / "corpus"]
        if args.ntrex:
            sources.append(ntrex.write_bulk(ntrex.load("test"), Path(data_dir) / "ntrex.jsonl"))
        settings = Settings.from_env(data_dir=Path(data_dir) / "index")
        chunker = SentenceChunker(*map(int, args.chunk_words.split(","))) if args.chunk_words else None
        encoder = calibration = None
        if chunker:
            model = load_encoder(settings.model, settings.model_cache_dir, backend=settings.encoder_backend)
            centering, calibration = fit(model, settings.model, chunker)
            encoder = Encoder(model, centering, batch_size=settings.batch_size)
        with Ahadi(settings, encoder=encoder, chunker=chunker, calibration=calibration) as app:
            report = app.ingest(sources)
            results = {}
            for variant in args.variants.split(","):
                searcher = app.searcher if variant == "default" else searcher_for(app, variant)
                results[variant] = measure(searcher, queries, doc_language, args.given_language)
                print(variant, json.dumps({k: results[variant][k] for k in HEADLINE}, ensure_ascii=False), flush=True)
    result = {
        "part": args.part,
        "distractors": "corpus + NTREX test" if args.ntrex else "corpus",
        "query_language": "given" if args.given_language else "detected",
        "chunk_words": args.chunk_words or "default",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "encoder_backend": Settings.from_env().encoder_backend,
        "documents": len(report.written),
        "chunks": report.chunks,
        "questions": len(queries),
        "cross_lingual_share": round(sum(q["lang"] != doc_language.get(q["relevant"][0]) for q in queries) / len(queries), 3),
        "variants": results,
    }
    out = args.out or ROOT / "benchmarks" / "results" / f"genre-{args.part}{'-ntrex' if args.ntrex else ''}{'-words' + args.chunk_words.replace(',', '-') if args.chunk_words else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {out}")


HEADLINE = ("recall@1", "recall@3", "recall@10", "mrr", "passage_hit@10", "score_auc", "hubs", "recall@3_by_document_language")


def measure(searcher, queries: list[dict], doc_language: dict[str, str], given_language: bool) -> dict:
    measured = evaluate(searcher, queries, detect=not given_language)
    tops = [searcher.search(ALL_DOCUMENTS, q["query"], top_k=1, query_language=q["lang"] if given_language else None) for q in queries]
    right = [bool(top) and top[0].doc_id in q["relevant"] for q, top in zip(queries, tops)]
    scores = [top[0].score if top else 0.0 for top in tops]
    by_doc_language: dict[str, list[float]] = {}
    per_query = measured.pop("per_query")
    for query, scores_of_query in zip(queries, per_query):
        by_doc_language.setdefault(doc_language.get(query["relevant"][0], "corpus"), []).append(scores_of_query["recall@3"])
    wrong_tops = Counter(top[0].doc_id for top, ok in zip(tops, right) if top and not ok)
    return {
        **measured,
        "recall@3_by_document_language": {lang: round(sum(v) / len(v), 4) for lang, v in sorted(by_doc_language.items())},
        "score_auc": _auc([s for s, ok in zip(scores, right) if ok], [s for s, ok in zip(scores, right) if not ok]),
        "hubs": {doc: n for doc, n in wrong_tops.most_common() if n > 1},
    }


def _auc(right: list[float], wrong: list[float]) -> float | None:
    if not right or not wrong:
        return None
    wins = sum((r > w) + 0.5 * (r == w) for r in right for w in wrong)
    return round(wins / (len(right) * len(wrong)), 4)


if __name__ == "__main__":
    main()
