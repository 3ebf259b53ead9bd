"""Ranking levers measured on every dev set at once: the real pages' read pools, NTREX dev and the
genre set's dev part (session 23). A lever that lifts real pages but lowers NTREX or the genre set
trades one kind of document for another; only one that holds on all three is worth a held-out run.

    python -m benchmarks.retrieval_levers --pages-dir /work/realpages [--data-dir DIR] [--lever NAME ...] [--sets realpages,ntrex,genre]

Dev data only: the real-page pools read so far (`READ_POOLS`, those whose pages are all in
`--pages-dir` as judged), NTREX dev, genre dev, each indexed with `corpus/` through Ahadi's own
ingestion (kept in `--data-dir` and reused when given). Levers, each the shipped search with one
thing changed:

* `shipped`: `index.search.Searcher` as the service builds it.
* `passage-weight-W`: a document ranks by W × its best passage + (1 − W) × its best section
  (shipped: `index.search.PASSAGE_WEIGHT`).
* `length-prior-B`, `length-prior-sqrt-B`: a document's score less B × ln(n) or B × √(2 ln n), n its
  number of passages. The best of n passages scores higher by chance the larger n is (the expected
  maximum of n normal scores grows as √(2 ln n)), so long documents come up as answers to questions
  they do not answer: in the read pools, the five long `corpus/` documents were the wrong top hit of
  69 of 1,080 questions.
* `hubness-K-B`: CSLS hubness reduction (Conneau et al. 2018) at the document level: a document's
  score less B × its hubness, the mean of its K best scores (its best passage's, calibrated) over a
  bank of reference questions: the read pools' questions (for a real-page pool, those of the pools in
  the other half, as `pages-calibration` splits them). A document near every question (a long
  `corpus/` document, a hub page) loses more than one near a few.
* `pages-calibration` (real pages only): the per-language score statistics
  (`index.calibration`) fitted on NTREX dev's passages together with the read pools' own, in
  domain; cross-fitted, so each pool is scored with statistics from the other half of the pools.

Reports real pages' success@1/@3/@10 and MRR pooled over the questions, NTREX dev's mixed-pool
nDCG@10, cross-lingual top-1 and Swahili monolingual top-1, genre dev's recall@1/@3 and MRR.
Writes ``benchmarks/results/retrieval_levers.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

import numpy as np  # noqa: E402
from haystack import Document  # noqa: E402

from benchmarks import genre_eval, ntrex, retrieval  # noqa: E402
from benchmarks.genre_parts import GENRE, document_languages  # noqa: E402
from benchmarks.realpages_eval import POOLS, REALPAGES, load_pages  # noqa: E402
from core.languages import family_of  # noqa: E402
from index.access import ALL_DOCUMENTS  # noqa: E402
from index.calibration import ScoreCalibration  # noqa: E402
from index.search import Searcher  # noqa: E402
from index.store.base import Hit  # noqa: E402
from ingest.chunking import SECTION_OVERLAP_WORDS, SECTION_WORDS, SentenceChunker  # noqa: E402
from service.evaluation import evaluate, load_queries  # noqa: E402
from service.facade import Ahadi  # noqa: E402
from service.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "retrieval_levers.json"
#: Held out, only their aggregates ever read: `sealed39` … `sealed42` (first runs in session 24),
#: `sealed43` … `sealed46` (session 25), `sealed47` … `sealed50` (session 26), `sealed51` … `sealed54`
#: (session 27), `sealed55` … `sealed58` (session 28), `sealed59` … `sealed62` (session 29),
#: `sealed63` … `sealed66` (session 30). Never scored here.
#: (`sealed31` … `sealed38` are dev data since session 25.)
HELD_OUT = ("sealed39", "sealed40", "sealed41", "sealed42", "sealed43", "sealed44", "sealed45", "sealed46",
            "sealed47", "sealed48", "sealed49", "sealed50", "sealed51", "sealed52", "sealed53", "sealed54",
            "sealed55", "sealed56", "sealed57", "sealed58", "sealed59", "sealed60", "sealed61", "sealed62",
            "sealed63", "sealed64", "sealed65", "sealed66")
READ_POOLS = tuple(pool for pool in POOLS if pool not in HELD_OUT)
LEVERS = ("shipped", "passage-weight-0.6", "passage-weight-0.8", "passage-weight-1.0",
          "length-prior-0.1", "length-prior-0.2", "length-prior-sqrt-0.4", "pages-calibration",
          "hubness-10-0.1", "hubness-10-0.25", "hubness-10-0.5", "hubness-3-0.25")
SETS = ("realpages", "ntrex", "genre")


class PenalisedSearcher(Searcher):
    """The shipped ranking, each document's score less `penalty`(its doc_id)."""

    def __init__(self, *args: Any, penalty: Callable[[str], float], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.penalty = penalty

    def _with_sections(self, reader, dense, filters, best_passages):  # noqa: ANN001 - Searcher's signature
        ranked = super()._with_sections(reader, dense, filters, best_passages)
        penalised = [Hit(h.point_id, h.score - self.penalty(h.payload["doc_id"]), h.payload) for h in ranked]
        return sorted(penalised, key=lambda hit: -hit.score)


def length_prior(app: Ahadi, weight: float, of_count: Callable[[int], float]) -> Callable[[str], float]:
    """doc_id → `weight` × `of_count`(its number of passages), counted once per document."""
    counts: dict[str, int] = {}

    def penalty(doc_id: str) -> float:
        if doc_id not in counts:
            counts[doc_id] = max(1, len(app.store.chunks(ALL_DOCUMENTS, doc_id, kind="chunk")))
        return weight * of_count(counts[doc_id])

    return penalty


def bank_scores(app: Ahadi, bank: list[dict]) -> dict[str, np.ndarray]:
    """doc_id → its best passage's calibrated score for each question in `bank` (a hubness lever's input)."""
    queries = app.encoder.queries([q["query"] for q in bank], [q["lang"] for q in bank])
    calibration = app.searcher.calibration
    out = {}
    for record in app.store.iter_documents(ALL_DOCUMENTS):
        vectors = app.store.chunk_vectors(ALL_DOCUMENTS, record["doc_id"])
        if not vectors:
            continue
        best = (queries @ np.asarray([v for _, v in vectors], dtype=np.float32).T).max(axis=1)
        stats = calibration.stats.get(record.get("language")) or calibration.stats.get(family_of(record.get("language")))
        if stats is not None:
            mean, deviation = stats.moments(queries)
            best = (best - mean) / deviation
        out[record["doc_id"]] = best
    return out


def bank_scores_if_needed(app: Ahadi, levers: list[str], bank: list[dict]) -> dict[str, np.ndarray]:
    return bank_scores(app, bank) if any(lever.startswith("hubness-") for lever in levers) else {}


def searcher(app: Ahadi, lever: str, calibration: ScoreCalibration | None = None,
             scores: dict[str, np.ndarray] | None = None) -> Searcher:
    """`app`'s searcher with `lever` (`calibration` replaces the bundled one; `scores`: a `hubness-`
    lever's `bank_scores`)."""
    shipped = app.searcher
    parts = dict(store=shipped.store, encoder=shipped.encoder, sparse=shipped.sparse, calibration=calibration or shipped.calibration)
    if lever.startswith("hubness-"):
        _, k, weight = lever.split("-")
        hubness = {doc_id: float(weight) * float(np.sort(found)[-int(k):].mean()) for doc_id, found in (scores or {}).items()}
        return PenalisedSearcher(**parts, penalty=lambda doc_id: hubness.get(doc_id, 0.0))
    if lever.startswith("passage-weight-"):
        return Searcher(**parts, passage_weight=float(lever.rsplit("-", 1)[1]))
    if lever.startswith("length-prior-"):
        of_count = (lambda n: math.sqrt(2 * math.log(n))) if "-sqrt-" in lever else math.log
        return PenalisedSearcher(**parts, penalty=length_prior(app, float(lever.rsplit("-", 1)[1]), of_count))
    return Searcher(**parts)  # shipped, or pages-calibration's statistics


def indexed(data_dir: Path, name: str, sources: list[Path]) -> Ahadi:
    """An app over the index `data_dir/name`, ingesting `sources` (and `corpus/`) the first time."""
    app = Ahadi(Settings.from_env(data_dir=data_dir / name))
    done = data_dir / name / "INGESTED"
    if not done.exists():
        app.ingest([*sources, ROOT / "corpus"])
        done.write_text("ok", encoding="utf-8")
    return app


def complete_pools(pages_dir: Path) -> list[str]:
    """The read pools with questions whose pages are all in `pages_dir` as judged."""
    usable = []
    for pool in READ_POOLS:
        if not (REALPAGES / pool / "questions.jsonl").is_file():
            continue
        try:
            load_pages(pool, pages_dir)
        except SystemExit:
            print(f"{pool}: left out, its pages are not all in {pages_dir}")
            continue
        usable.append(pool)
    return usable


def halves(pools: list[str]) -> dict[str, int]:
    """pool → 0 or 1, alternating: what a pool is scored with comes from the other half."""
    return {pool: k % 2 for k, pool in enumerate(pools)}


def in_domain_calibrations(app: Ahadi, pools: list[str], pages_dir: Path) -> dict[str, ScoreCalibration]:
    """pool → statistics fitted on NTREX dev's passages and sections and those of the pools in the
    other half (pools alternate between two halves)."""
    cutters = {"passage": SentenceChunker(), "section": SentenceChunker(SECTION_WORDS, SECTION_OVERLAP_WORDS)}

    def vectors(text: str, language: str) -> dict[str, np.ndarray]:
        document = Document(id="d", content=text, meta={"doc_id": "d"})
        out = {}
        for side, cutter in cutters.items():
            parts = [part.content for part in cutter.run([document])["documents"]]
            out[side] = app.encoder.passages(parts, [language] * len(parts), sides=[side] * len(parts))
        return out

    def add(table: dict, source: str, text: str, language: str) -> None:
        for side, found in vectors(text, language).items():
            table[(source, side, family_of(language) or language)].append(found)

    table: dict[tuple[str, str, str], list[np.ndarray]] = defaultdict(list)
    for record in ntrex.load("dev", tuple(ntrex.LANGUAGES)):
        add(table, "ntrex", record["text"], record["lang"])
    for pool in pools:
        pages, _ = load_pages(pool, pages_dir)
        for page in pages:
            add(table, pool, (pages_dir / pool / f"{page['doc_id']}.txt").read_text(encoding="utf-8"), page["lang"])
    half = halves(pools)

    def fitted(scored_half: int) -> ScoreCalibration:
        by_side: dict[str, dict[str, list[np.ndarray]]] = {"passage": defaultdict(list), "section": defaultdict(list)}
        for (source, side, language), found in table.items():
            if source == "ntrex" or half[source] != scored_half:
                by_side[side][language].extend(found)
        stacked = {side: {language: np.concatenate(found) for language, found in d.items()} for side, d in by_side.items()}
        return ScoreCalibration.fit("ntrex-dev-and-read-pages", stacked["passage"], sections_by_language=stacked["section"])

    calibrations = {h: fitted(h) for h in (0, 1)}
    return {pool: calibrations[half[pool]] for pool in pools}


def realpages(levers: list[str], data_dir: Path, pages_dir: Path) -> dict[str, Any]:
    pools = complete_pools(pages_dir)
    per_lever: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    calibrations: dict[str, ScoreCalibration] = {}
    half = halves(pools)
    for pool in pools:
        queries = load_queries(REALPAGES / pool / "questions.jsonl")
        bank = [q for other in pools if half[other] != half[pool] for q in load_queries(REALPAGES / other / "questions.jsonl")]
        with indexed(data_dir, f"realpages-{pool}", [pages_dir / pool]) as app:
            if "pages-calibration" in levers and not calibrations:
                calibrations = in_domain_calibrations(app, pools, pages_dir)
            scores = bank_scores_if_needed(app, levers, bank)
            for lever in levers:
                calibration = calibrations.get(pool) if lever == "pages-calibration" else None
                per_lever[lever].append((len(queries), evaluate(searcher(app, lever, calibration, scores), queries, detect=True)))
        print(f"realpages {pool}: done", flush=True)
    n = sum(k for k, _ in per_lever[levers[0]])
    return {"pools": pools, "questions": n, **{
        lever: {key: round(sum(k * m[key] for k, m in rows) / n, 4) for key in ("success@1", "success@3", "mrr", "success@10")}
        for lever, rows in per_lever.items()}}


def ntrex_dev(levers: list[str], data_dir: Path, bank: list[dict]) -> dict[str, Any]:
    records = list(ntrex.load("dev", ntrex.BENCHMARK_LANGUAGES))
    languages = sorted({r["lang"] for r in records})
    (data_dir / "ntrex-dev").mkdir(parents=True, exist_ok=True)
    bulk = ntrex.write_bulk(records, data_dir / "ntrex-dev" / "ntrex.jsonl")
    out = {}
    with indexed(data_dir, "ntrex-dev", [bulk]) as app:
        scores = bank_scores_if_needed(app, levers, bank)
        for lever in levers:
            if lever != "pages-calibration":
                measured = retrieval.measure(searcher(app, lever, scores=scores), records, languages)
                out[lever] = {"ndcg@10": measured["mixed_pool_ndcg@10"], "cross_lingual_top1": measured["cross_lingual_top1"],
                              "swahili_monolingual_top1": measured["monolingual_top1"].get("sw")}
                print(f"ntrex dev {lever}: {out[lever]}", flush=True)
    return out


def genre_dev(levers: list[str], data_dir: Path, bank: list[dict]) -> dict[str, Any]:
    queries = load_queries(GENRE / "dev" / "questions.jsonl")
    out = {}
    with indexed(data_dir, "genre-dev", [GENRE / "dev" / "docs"]) as app:
        scores = bank_scores_if_needed(app, levers, bank)
        for lever in levers:
            if lever != "pages-calibration":
                measured = genre_eval.measure(searcher(app, lever, scores=scores), queries, document_languages("dev"), given_language=False)
                out[lever] = {key: measured[key] for key in ("recall@1", "recall@3", "mrr")}
                print(f"genre dev {lever}: {out[lever]}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages-dir", type=Path, required=True, help="folder with <pool>/<doc_id>.txt, the pages' text")
    parser.add_argument("--data-dir", type=Path, help="keep the indexes here and reuse them (default: a temporary folder)")
    parser.add_argument("--lever", action="append", choices=LEVERS, help="default: all")
    parser.add_argument("--sets", default=",".join(SETS), help=f"comma-separated, from {', '.join(SETS)}")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    levers = args.lever or list(LEVERS)
    sets = args.sets.split(",")
    if unknown := set(sets) - set(SETS):
        parser.error(f"unknown set(s) {', '.join(sorted(unknown))}; valid: {', '.join(SETS)}")
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = args.data_dir or Path(scratch)
        result: dict[str, Any] = {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
            "encoder_backend": Settings.from_env().encoder_backend,
        }
        # NTREX and the genre set: every read pool's questions as the hubness bank (none of theirs)
        bank = [q for pool in READ_POOLS if (REALPAGES / pool / "questions.jsonl").is_file() for q in load_queries(REALPAGES / pool / "questions.jsonl")]
        if "realpages" in sets:
            result["realpages"] = realpages(levers, data_dir, args.pages_dir)
        if "ntrex" in sets:
            result["ntrex_dev"] = ntrex_dev(levers, data_dir, bank)
        if "genre" in sets:
            result["genre_dev"] = genre_dev(levers, data_dir, bank)
    print(json.dumps({k: v for k, v in result.items() if k != "machine"}, indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
