"""Fit the per-language mean vectors used for centering, on NTREX **dev** (never test).

Passage side: the mean `passage:` vector of each language's dev documents, chunked exactly as
Ahadi ingests them. Query side: the mean `query:` vector of the dev headlines. The Serbo-Croatian
family (Bosnian, Croatian, Serbian) is pooled as `hbs` and serves Montenegrin too.

Sections (`ingest.chunking.SECTION_WORDS`) get their own means. Then the score calibration
(`index/calibration.py`): mean and covariance of each language's passages and sections once centred.
Last the question direction (`index.embedding.LanguageCentering`): the direction of the mean of the
judged genre set's questions in `benchmarks.genre_parts.QUESTION_DIRECTION_PARTS` (`dev` and `sealed`), each less
its detected language's query mean; queries lose `QUESTION_WEIGHT` of their component along it.

    python -m benchmarks.fit_centering [--ntrex PATH]
    python -m benchmarks.fit_centering --question-direction-only    # keep the means and calibration
writes index/data/centering-<model>.json and calibration-<model>.npz for the configured model
(`AHADI_MODEL`: the default `multilingual-e5-small`, or `multilingual-e5-small-adapted`). Their names
carry the model's adapter hash (`index.model.model_identity`): re-fit after a new adapter.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

import numpy as np  # noqa: E402
from haystack import Document  # noqa: E402

from service.settings import Settings  # noqa: E402
from benchmarks import ntrex  # noqa: E402
from benchmarks.genre_parts import GENRE, QUESTION_DIRECTION_PARTS  # noqa: E402
from core.detection import detect_language  # noqa: E402
from index.calibration import CALIBRATION_DIR, ScoreCalibration  # noqa: E402
from index.embedding import CENTERING_DIR, Encoder, LanguageCentering  # noqa: E402
from index.model import load_encoder, model_identity  # noqa: E402
from ingest.chunking import SECTION_OVERLAP_WORDS, SECTION_WORDS, SentenceChunker  # noqa: E402

FAMILY = {"bs": "hbs", "hr": "hbs", "sr": "hbs"}
# Half: chosen on the genre set's dev and sealed parts, each fitting the direction for the other
# (BENCHMARKS.md, session 6); taking all of it off also took what questions rightly share.
QUESTION_WEIGHT = 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ntrex", type=Path, default=ntrex.DEFAULT_PATH)
    parser.add_argument("--question-direction-only", action="store_true", help="re-fit only the question direction; keep the bundled means and calibration")
    args = parser.parse_args()
    settings = Settings.from_env()
    model = load_encoder(settings.model, settings.model_cache_dir)
    name = settings.model.replace("/", "__")
    out = CENTERING_DIR / f"centering-{name}.json"
    if args.question_direction_only:
        centering = LanguageCentering.load(out)
        centering = LanguageCentering(centering.name, centering.means, fit_question_direction(model, centering), QUESTION_WEIGHT)
    else:
        centering, calibration = fit(model, settings.model, SentenceChunker(), args.ntrex)
        calibration_out = CALIBRATION_DIR / f"calibration-{name}.npz"
        calibration.save(calibration_out)
        print(f"wrote {calibration_out}")
    out.write_text(
        json.dumps(
            {
                "name": centering.name,
                "fitted_on": "NTREX-128 dev split (CC BY-SA 4.0), chunked passages and headlines",
                "means": {side: {lang: np.round(v, 6).tolist() for lang, v in by_lang.items()} for side, by_lang in centering.means.items()},
                "question_direction_fitted_on": f"the mean of the genre set's questions in {', '.join(QUESTION_DIRECTION_PARTS)}, less their language's query mean",
                "question_direction": np.round(centering.question_direction, 6).tolist(),
                "question_weight": centering.question_weight,
            }
        ),
        encoding="utf-8",
    )
    print(f"wrote {out}")


def fit_question_direction(model, centering: LanguageCentering, parts: tuple[str, ...] = QUESTION_DIRECTION_PARTS) -> np.ndarray:
    """The unit direction of the mean residual of the genre set's questions in `parts` (its dev
    direction's parts by default) after their detected language's query mean (`index.embedding.LanguageCentering`)."""
    questions = [
        json.loads(line)["query"]
        for part in parts
        for line in (GENRE / part / "questions.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    raw = Encoder(model, centering=None).queries(questions, [None] * len(questions))
    residuals = raw - np.stack([centering.mean("query", detect_language(question)) for question in questions])
    print(f"question direction from {len(questions)} questions in {', '.join(parts)}")
    mean = residuals.mean(axis=0)
    return (mean / np.linalg.norm(mean)).astype(np.float32)


def fit(
    model, model_name: str, chunker: SentenceChunker, ntrex_path: Path = ntrex.DEFAULT_PATH, sectioner: SentenceChunker | None = None
) -> tuple[LanguageCentering, ScoreCalibration]:
    """Centering means and score calibration of `model` for passages cut by `chunker` and sections
    cut by `sectioner` (the ingestion's by default), from NTREX dev, and the question direction."""
    sectioner = sectioner or SentenceChunker(SECTION_WORDS, SECTION_OVERLAP_WORDS)
    encoder = Encoder(model, centering=None)
    texts: dict[str, dict[str, list[str]]] = {"passage": defaultdict(list), "section": defaultdict(list)}
    queries = defaultdict(list)
    for record in ntrex.load("dev", tuple(ntrex.LANGUAGES), ntrex_path):
        lang = FAMILY.get(record["lang"], record["lang"])
        document = Document(id=record["doc_id"], content=record["text"], meta={"doc_id": record["doc_id"]})
        for side, cutter in (("passage", chunker), ("section", sectioner)):
            texts[side][lang].extend(part.content for part in cutter.run([document])["documents"])
        queries[lang].append(record["title"])
    means: dict[str, dict[str, np.ndarray]] = {"passage": {}, "section": {}, "query": {}}
    raw: dict[str, dict[str, np.ndarray]] = {"passage": {}, "section": {}}
    for lang in sorted(queries):
        for side in raw:
            raw[side][lang] = encoder.passages(texts[side][lang], [None] * len(texts[side][lang]))
            means[side][lang] = np.round(raw[side][lang].mean(axis=0), 6).astype(np.float32)
        means["query"][lang] = np.round(encoder.queries(queries[lang], [None] * len(queries[lang])).mean(axis=0), 6).astype(np.float32)
        print(f"{lang}: {len(texts['passage'][lang])} passages, {len(texts['section'][lang])} sections, {len(queries[lang])} headlines")
    identity = model_identity(model_name)  # means and statistics of one adapter are not another's
    centering = LanguageCentering(f"ntrex-dev-means-v2:{identity}", means)
    centering = LanguageCentering(centering.name, means, fit_question_direction(model, centering), QUESTION_WEIGHT)
    centred = {side: {lang: centering.apply(vectors, side, [lang] * len(vectors)) for lang, vectors in raw[side].items()} for side in raw}
    return centering, ScoreCalibration.fit(f"ntrex-dev-calibration-v2:{identity}", centred["passage"], sections_by_language=centred["section"])


if __name__ == "__main__":
    main()
