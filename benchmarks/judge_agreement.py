"""How far two judges agree on a real-page pool's commitments: the ceiling for any extractor.

A pool's `commitments.jsonl` was written by one judge (benchmarks/realpages/README.md). For some
pools a second judge, working from the same written rules without seeing the first judge's lines
or Ahadi's output, judged the same pages again: `<pool>/commitments-judge2.jsonl`, same format.
This script scores each judge's commitments as if they were an extractor's output, against the
other judge, with `benchmarks.genre_commitments`' matching (spans overlapping by half; the
reference judge's borderline units count neither way; a statement the reference judge did not list
as a commitment is a false positive). So its F1 is directly comparable with Ahadi's on the pool,
which the script scores against both judges too (Ahadi's rules were tuned on the first judge's
lines of every pool read so far, never on the second judge's).

    python -m benchmarks.judge_agreement --pages-dir /work/realpages [--pool sealed13 ...]

It writes `benchmarks/results/judge_agreement.json`.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from benchmarks.genre_commitments import (
    Gold, Pred, attribute_checks, language_group, load_docs_meta, load_gold, located_by_document, predict, prf,
    read_original, score_document,
)

ROOT = Path(__file__).resolve().parents[1]
REALPAGES = ROOT / "benchmarks" / "realpages"
SECOND_JUDGE_FILE = "commitments-judge2.jsonl"
DIRECTIONS = ("judge2_against_judge1", "judge1_against_judge2", "ahadi_against_judge1", "ahadi_against_judge2")


def as_predictions(rows: list[Gold]) -> list[Pred]:
    """A judge's commitments (borderline ones too: an extractor cannot abstain) as located predictions."""
    return [Pred(doc_id=g.doc_id, text=g.text, start=g.start, end=g.end, actors=g.actors, year=g.year, quantity=g.quantity)
            for g in rows if g.commitment and g.start >= 0]


def as_judged(rows: dict[str, list[Gold]]) -> dict[str, list[Pred]]:
    return {doc_id: as_predictions(units) for doc_id, units in rows.items()}


def agreement(reference: dict[str, list[Gold]], predicted: dict[str, list[Pred]], language_of: dict[str, str]) -> dict:
    """`predicted` commitments scored against `reference`'s judgements, overall and per language,
    and how often the matched pairs agree on actors, year and quantity (as the scorers check them)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    attributes = {"actors": 0, "year": 0, "quantity": 0}
    pairs = 0
    for doc_id, language in language_of.items():
        result = score_document(reference.get(doc_id, []), predicted.get(doc_id, []))
        for key in (language, "overall"):
            counts[key][0] += len(result.tp)
            counts[key][1] += len(result.fp)
            counts[key][2] += len(result.fn)
        for gold, pred in result.tp:
            pairs += 1
            for name, agrees in attribute_checks(gold, pred).items():
                attributes[name] += agrees
    return {"overall": prf(*counts.pop("overall")), "languages": {k: prf(*v) for k, v in sorted(counts.items())},
            "attributes_agree": {name: round(n / pairs, 3) if pairs else None for name, n in attributes.items()}}


def judged(path: Path, pages: dict[str, str]) -> tuple[dict[str, list[Gold]], list[dict]]:
    """A judge's units of the pages present, by document, located in the page text, and the units
    not found there."""
    by_doc, lost = located_by_document([g for g in load_gold(path) if g.doc_id in pages], pages, path)
    return by_doc, [{"doc_id": g.doc_id, "text": g.text} for g in lost]


def pool_agreement(pool: str, pages_dir: Path) -> dict:
    folder = REALPAGES / pool
    meta = load_docs_meta(folder / "docs.jsonl")
    # a page whose text could not be had again is left out with both judges' lines on it (named in the result)
    missing = sorted(doc_id for doc_id in meta if not (pages_dir / pool / f"{doc_id}.txt").is_file())
    pages = {doc_id: read_original(pages_dir / pool / f"{doc_id}.txt") for doc_id in meta if doc_id not in missing}
    language_of = {doc_id: language_group(page.get("lang")) for doc_id, page in meta.items() if doc_id in pages}
    first, first_lost = judged(folder / "commitments.jsonl", pages)
    second, second_lost = judged(folder / SECOND_JUDGE_FILE, pages)
    extracted, _, _ = predict([pages_dir / pool / f"{doc_id}.txt" for doc_id in sorted(pages)], pages)
    return {
        "pool": pool,
        "pages": len(pages),
        "pages_missing": missing,
        "commitments": {"judge1": sum(g.commitment for rows in first.values() for g in rows),
                        "judge2": sum(g.commitment for rows in second.values() for g in rows)},
        "judge2_against_judge1": agreement(first, as_judged(second), language_of),
        "judge1_against_judge2": agreement(second, as_judged(first), language_of),
        "ahadi_against_judge1": agreement(first, extracted, language_of),
        "ahadi_against_judge2": agreement(second, extracted, language_of),
        "not_found": {"judge1": first_lost, "judge2": second_lost},
    }


def pools_with_second_judge() -> list[str]:
    return sorted((p.parent.name for p in REALPAGES.glob(f"*/{SECOND_JUDGE_FILE}")), key=lambda n: (len(n), n))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages-dir", type=Path, required=True, help="folder with one sub-folder of page texts per pool")
    parser.add_argument("--pool", action="append", help="a pool with a second judge (default: every such pool)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "judge_agreement.json")
    args = parser.parse_args(argv)
    pools = args.pool or pools_with_second_judge()
    if not pools:
        parser.error(f"no pool has a {SECOND_JUDGE_FILE}")
    results = [pool_agreement(pool, args.pages_dir) for pool in pools]
    pooled: dict[str, list[int]] = {direction: [0, 0, 0] for direction in DIRECTIONS}
    for result in results:
        for direction, total in pooled.items():
            o = result[direction]["overall"]
            total[0] += o["tp"]; total[1] += o["fp"]; total[2] += o["fn"]
        print(f"{result['pool']}: commitments judge 1 {result['commitments']['judge1']}, judge 2 {result['commitments']['judge2']}")
        for direction in pooled:
            o = result[direction]["overall"]
            by_language = ", ".join(f"{k} {v['f1']:.2f}" for k, v in result[direction]["languages"].items())
            agree = ", ".join(f"{k} {v}" for k, v in result[direction]["attributes_agree"].items())
            print(f"  {direction.replace('_', ' ')}: F1 {o['f1']:.3f} (P {o['precision']:.2f} R {o['recall']:.2f}; {by_language}); "
                  f"matched pairs agree on {agree}")
    summary = {direction: prf(*total) for direction, total in pooled.items()}
    for direction, figures in summary.items():
        print(f"pooled {direction.replace('_', ' ')}: F1 {figures['f1']:.3f} (P {figures['precision']:.2f} R {figures['recall']:.2f})")
    args.out.write_text(json.dumps({"pools": results, "pooled": summary}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
