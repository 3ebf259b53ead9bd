"""The question direction scored on questions it was not fitted on (how its weight was chosen).

`index.embedding.LanguageCentering` takes a share of each query's component along the direction
of officers' questions off; `benchmarks.fit_centering` fits that direction on the genre set's
`QUESTION_DIRECTION_PARTS`. Here each dev part is scored with the direction fitted on the OTHER parts'
questions only, at several weights (0: none), on the part's own questions and on the corpus
questions (`benchmarks/queries/corpus_queries.jsonl`), each part ingested with `corpus/` as
`benchmarks.genre_eval` does. Stored vectors do not depend on the direction, so one ingestion per
part serves every weight.

    python -m benchmarks.question_direction [--weights 0,0.5,1]
writes benchmarks/results/question-direction-leave-one-out.json
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from benchmarks.fit_centering import fit_question_direction  # noqa: E402
from benchmarks.genre_eval import HEADLINE, measure  # noqa: E402
from benchmarks.genre_parts import DEV_PARTS, GENRE, document_languages  # noqa: E402
from index.embedding import Encoder, LanguageCentering  # noqa: E402
from index.search import Searcher  # noqa: E402
from service.evaluation import evaluate, load_queries  # noqa: E402
from service.facade import Ahadi  # noqa: E402
from service.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# (scored part, parts the direction is fitted on): each dev part against all the others
FOLDS = tuple((part, tuple(other for other in DEV_PARTS if other != part)) for part in DEV_PARTS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", default="0,0.5,1", help="comma-separated shares of the component taken off")
    args = parser.parse_args()
    weights = [float(w) for w in args.weights.split(",")]
    corpus_questions = load_queries(ROOT / "benchmarks" / "queries" / "corpus_queries.jsonl")
    results: dict[str, dict] = {}
    for part, fitted_on in FOLDS:
        questions = load_queries(GENRE / part / "questions.jsonl")
        doc_language = document_languages(part)
        with tempfile.TemporaryDirectory() as data_dir, Ahadi(Settings.from_env(data_dir=Path(data_dir))) as app:
            app.ingest([GENRE / part / "docs", ROOT / "corpus"])
            bundled = app.encoder.centering
            direction = fit_question_direction(app.encoder.model, LanguageCentering(bundled.name, bundled.means), parts=fitted_on)
            for weight in weights:
                centering = LanguageCentering(bundled.name, bundled.means, direction if weight else None, weight)
                searcher = Searcher(app.store, Encoder(app.encoder.model, centering, batch_size=app.encoder.batch_size), app.sparse,
                                    calibration=app.searcher.calibration)
                genre = measure(searcher, questions, doc_language, given_language=False)
                corpus = evaluate(searcher, corpus_questions, detect=True)
                name = f"{part} (direction from {'+'.join(fitted_on)}), weight {weight}"
                results[name] = {"genre": {k: genre[k] for k in HEADLINE}, "corpus": {k: corpus[k] for k in ("recall@1", "recall@3", "recall@10", "mrr")}}
                print(name, json.dumps({"genre": {k: genre[k] for k in ("recall@1", "recall@3", "recall@10", "mrr")}, "corpus_recall@3": corpus["recall@3"]}), flush=True)
    out = ROOT / "benchmarks" / "results" / "question-direction-leave-one-out.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
