"""Where a calibrated score cut-off lies once queries lose their question component.

`index.embedding.LanguageCentering` takes half of each query's component along the direction of
officers' questions off. That lowers every in-domain calibrated score, so a cut-off on the
calibrated scale (`index.compare.COMMITMENT_MIN_SCORE`) needs moving to mean what it meant. This
script ingests the genre set's dev parts (`dev`, `sealed`) with `corpus/`, scores every stored
commitment against every dev question, without and with the question direction, and prints the
cut-off that lets through the same share of *unrelated* commitments (those of other documents of
the question's part and of `corpus/`) as `--before` did without it.

    python -m benchmarks.score_scale [--before 2.0]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

import numpy as np  # noqa: E402

from benchmarks.genre_parts import DEV_PARTS, GENRE  # noqa: E402
from core.detection import detect_language  # noqa: E402
from index.embedding import LanguageCentering  # noqa: E402
from service.evaluation import load_queries  # noqa: E402
from service.facade import Ahadi  # noqa: E402
from service.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=float, default=2.0, help="the cut-off as it was without the question direction")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir, Ahadi(Settings.from_env(data_dir=Path(data_dir))) as app:
        app.ingest([GENRE / part / "docs" for part in DEV_PARTS] + [ROOT / "corpus"])
        commitments = [(p["doc_id"], p.get("language"), v["dense"]) for _, v, p in app.store.export_points() if p.get("kind") == "commitment" and p.get("state") == "live"]
        vectors = np.array([c[2] for c in commitments], dtype=np.float32)
        part_of = {path.stem: part for part in DEV_PARTS for path in (GENRE / part / "docs").glob("*.txt")}
        questions = [(q, part) for part in DEV_PARTS for q in load_queries(GENRE / part / "questions.jsonl")]
        bundled = app.encoder.centering
        without = LanguageCentering(bundled.name, bundled.means)
        raw = app.encoder.model.encode([q["query"] for q, _ in questions], prompt_name="query", normalize_embeddings=True, convert_to_numpy=True)
        languages = [detect_language(q["query"]) for q, _ in questions]
        scores = {}
        for name, centering in (("without", without), ("with", bundled)):
            queries = centering.apply(raw.copy(), "query", languages)
            related, unrelated = [], []
            for (question, part), query in zip(questions, queries):
                z = app.searcher.calibration.scores(query, list(vectors @ query), [c[1] for c in commitments])
                for (doc_id, _, _), score in zip(commitments, z):
                    if doc_id in question["relevant"]:
                        related.append(score)
                    elif part_of.get(doc_id, part) == part:  # the question's own part, or corpus/
                        unrelated.append(score)
            scores[name] = (np.array(related), np.array(unrelated))
    related, unrelated = scores["without"]
    share = float((unrelated >= args.before).mean())
    related_now, unrelated_now = scores["with"]
    after = float(np.quantile(unrelated_now, 1 - share))
    result = {
        "commitments": len(commitments), "questions": len(questions),
        "before": args.before, "unrelated_share_passing": round(share, 4), "related_share_passing_before": round(float((related >= args.before).mean()), 4),
        "equivalent_cut_off": round(after, 2), "related_share_passing_after": round(float((related_now >= after).mean()), 4),
        "related_share_passing_old_cut_off_after": round(float((related_now >= args.before).mean()), 4),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
