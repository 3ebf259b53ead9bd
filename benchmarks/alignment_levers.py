"""Two cross-lingual levers of issue 12, measured offline on NTREX **dev**: per-language linear maps
and hubness reduction (CSLS), each on top of what Ahadi ships (the adapted model, centred vectors).

- Vectors: Ahadi's encoder and centering. Documents are cut into passages as Ahadi ingests them and
  scored by their best passage; a headline is the query (`query:` side).
- Maps (orthogonal Procrustes, Conneau et al. 2018; and ridge least squares pulled towards the
  identity): one per language onto English, fitted on the sentence-aligned lines (`passage:`
  side) of the articles outside a fold, applied to passages and queries alike. Three folds over
  the 61 dev articles: each fold's headlines are scored against the whole pool (all 305
  documents), with maps fitted on the other two folds' lines. `lam` pulls a map towards the
  identity (Procrustes: `lam`/d · I added to the cross-covariance; ridge: `lam` · ||W − I||²).
- CSLS: a document's score less `beta` × its hubness, the mean of its `k` best scores over
  headlines of *other* articles (a document's own article's headlines would tell it apart from
  the right answer).

Not through the searcher (no sections, no calibration): figures compare the levers with each
other, not with `benchmarks.retrieval`.

    python -m benchmarks.alignment_levers        # writes benchmarks/results/alignment-levers-dev.json
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

import numpy as np  # noqa: E402

from benchmarks import ntrex  # noqa: E402
from index.embedding import LanguageCentering  # noqa: E402
from index.model import load_encoder  # noqa: E402
from ingest.chunking import chunk_spans  # noqa: E402
from service.settings import Settings  # noqa: E402

LANGUAGES = ("en", "sw", "sv", "bs", "fa")
FOLDS = 3
PROCRUSTES_LAMBDAS = (0.0, 1.0, 2.0, 5.0, 10.0, 20.0)
RIDGE_LAMBDAS = (10.0, 30.0, 100.0, 300.0)
CSLS_SETTINGS = tuple((k, beta) for k in (5, 10, 20) for beta in (0.25, 0.5, 1.0))


class DevVectors:
    """The centred vectors of NTREX dev: aligned lines per language, passages, headlines."""

    def __init__(self, settings: Settings, ntrex_path: Path):
        self.model = load_encoder(settings.model, settings.model_cache_dir, backend=settings.encoder_backend)
        self.centering = LanguageCentering.for_model(settings.model)
        records = {(r["doc_id"], r["lang"]): r for r in ntrex.load("dev", ntrex.BENCHMARK_LANGUAGES, ntrex_path)}
        self.articles = sorted({article for article, _ in records})
        self.line_articles, lines = self._aligned_lines(records)
        self.lines = {lang: self._encode(texts, "passage", [lang] * len(texts)) for lang, texts in lines.items()}
        self.documents = [(article, lang) for article in self.articles for lang in LANGUAGES]
        passages, self.passage_document = [], []
        for index, (article, lang) in enumerate(self.documents):
            text = records[(article, lang)]["text"]
            passages += [text[start:end] for start, end in chunk_spans(text)]
            self.passage_document += [index] * (len(passages) - len(self.passage_document))
        self.passage_document = np.asarray(self.passage_document)
        self.passage_language = np.asarray([self.documents[i][1] for i in self.passage_document])
        self.passages = self._encode(passages, "passage", list(self.passage_language))
        # one headline per document, in the document's language
        self.language = np.asarray([lang for _, lang in self.documents])
        self.headlines = self._encode([records[key]["title"] for key in self.documents], "query", list(self.language))

    def _aligned_lines(self, records: dict) -> tuple[np.ndarray, dict[str, list[str]]]:
        owners, lines = [], {lang: [] for lang in LANGUAGES}
        for article in self.articles:
            by_lang = {lang: records[(article, lang)]["text"].split("\n") for lang in LANGUAGES}
            if len({len(found) for found in by_lang.values()}) != 1:
                raise ValueError(f"NTREX dev {article}: the languages have different numbers of lines")
            for row in zip(*(by_lang[lang] for lang in LANGUAGES)):
                if all(line.strip() for line in row):
                    owners.append(article)
                    for lang, line in zip(LANGUAGES, row):
                        lines[lang].append(line)
        return np.asarray(owners), lines

    def _encode(self, texts: list[str], side: str, languages: list[str]) -> np.ndarray:
        vectors = self.model.encode(texts, prompt_name=side, normalize_embeddings=True, batch_size=8, convert_to_numpy=True)
        return self.centering.apply(vectors, side, languages)


def fit_maps(vectors: DevVectors, rows: np.ndarray, kind: str, lam: float) -> dict[str, np.ndarray]:
    """Per-language maps onto English from the aligned lines in `rows`."""
    english = vectors.lines["en"][rows]
    dimension = english.shape[1]
    maps = {"en": np.eye(dimension)}
    for lang in LANGUAGES[1:]:
        source = vectors.lines[lang][rows]
        if kind == "procrustes":
            u, _, vt = np.linalg.svd(english.T @ source / len(source) + lam * np.eye(dimension) / dimension)
            maps[lang] = u @ vt
        else:
            gram = source.T @ source + lam * np.eye(dimension)
            maps[lang] = np.linalg.solve(gram, source.T @ english + lam * np.eye(dimension)).T
    return maps


def _mapped(matrix: np.ndarray, languages: np.ndarray, maps: dict[str, np.ndarray]) -> np.ndarray:
    out = matrix.copy()
    for lang, linear in maps.items():
        rows = languages == lang
        out[rows] = matrix[rows] @ linear.T
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def document_scores(vectors: DevVectors, maps: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """headlines × documents: a document's best passage score."""
    passages, headlines = vectors.passages, vectors.headlines
    if maps is not None:
        passages = _mapped(passages, vectors.passage_language, maps)
        headlines = _mapped(headlines, vectors.language, maps)
    similarities = headlines @ passages.T
    scores = np.empty((len(headlines), len(vectors.documents)))
    for index in range(len(vectors.documents)):
        scores[:, index] = similarities[:, vectors.passage_document == index].max(axis=1)
    return scores


def measure(vectors: DevVectors, scores: np.ndarray, queries: np.ndarray) -> dict:
    """Mixed-pool nDCG@10, cross-lingual and monolingual top-1 of the headlines in `queries`."""
    article_of = np.asarray([article for article, _ in vectors.documents])
    ideal = sum(1 / math.log2(rank + 2) for rank in range(len(LANGUAGES)))
    ndcg, cross, mono = [], [], {lang: [] for lang in LANGUAGES}
    for query in np.flatnonzero(queries):
        article, query_lang = vectors.documents[query]
        ranked = np.argsort(-scores[query], kind="stable")[:10]
        ndcg.append(sum(1 / math.log2(rank + 2) for rank, doc in enumerate(ranked) if article_of[doc] == article) / ideal)
        for target in LANGUAGES:
            candidates = np.flatnonzero(vectors.language == target)
            hit = float(article_of[candidates[np.argmax(scores[query, candidates])]] == article)
            (mono[query_lang] if target == query_lang else cross).append(hit)
    return {"ndcg@10": ndcg, "xling_top1": cross, "mono_top1": mono}


def as_shipped(vectors: DevVectors) -> dict:
    return _summary([measure(vectors, document_scores(vectors), np.ones(len(vectors.documents), bool))])


def cross_validated(vectors: DevVectors, kind: str, lam: float) -> dict:
    """Maps of `kind` ("procrustes" or "ridge") fitted without each fold's lines, scored on its headlines."""
    parts = []
    for fold in range(FOLDS):
        held = set(vectors.articles[fold::FOLDS])
        maps = fit_maps(vectors, np.asarray([a not in held for a in vectors.line_articles]), kind, lam)
        parts.append(measure(vectors, document_scores(vectors, maps), np.asarray([a in held for a, _ in vectors.documents])))
    return _summary(parts)


def csls(vectors: DevVectors, k: int, beta: float) -> dict:
    scores = document_scores(vectors)
    article_of = np.asarray([article for article, _ in vectors.documents])
    hubness = np.asarray([np.sort(scores[article_of != article_of[doc], doc])[-k:].mean() for doc in range(len(vectors.documents))])
    return _summary([measure(vectors, scores - beta * hubness[None, :], np.ones(len(vectors.documents), bool))])


def _summary(parts: list[dict]) -> dict:
    mean = lambda values: round(float(np.mean(values)), 4)  # noqa: E731
    return {
        "ndcg@10": mean([v for part in parts for v in part["ndcg@10"]]),
        "xling_top1": mean([v for part in parts for v in part["xling_top1"]]),
        "mono_top1": {lang: mean([v for part in parts for v in part["mono_top1"][lang]]) for lang in LANGUAGES},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ntrex", type=Path, default=ntrex.DEFAULT_PATH)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "alignment-levers-dev.json")
    args = parser.parse_args()
    settings = Settings.from_env()
    vectors = DevVectors(settings, args.ntrex)
    variants = {"identity": as_shipped(vectors)}
    variants |= {f"procrustes lam={lam:g}": cross_validated(vectors, "procrustes", lam) for lam in PROCRUSTES_LAMBDAS}
    variants |= {f"ridge lam={lam:g}": cross_validated(vectors, "ridge", lam) for lam in RIDGE_LAMBDAS}
    variants |= {f"csls k={k} beta={beta:g}": csls(vectors, k, beta) for k, beta in CSLS_SETTINGS}
    for name, figures in variants.items():
        print(f"{name:24} {json.dumps(figures)}", flush=True)
    args.out.write_text(json.dumps({
        "split": "dev", "model": settings.model, "encoder_backend": settings.encoder_backend,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "aligned_lines": len(vectors.line_articles), "passages": len(vectors.passages), "variants": variants,
    }, indent=2), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
