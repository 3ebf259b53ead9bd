"""What else was tried on the commitment probe (sessions 19 and 20), each measured as `commitments_probe`
measures the shipped one: leave one real-page pool pair out, train on the rest, pool the counts.

    python -m benchmarks.commitments_probe_variants --pages-dir /work/realpages [--variant NAME ...]

Dev data only (`commitments_genre_learned.DEV_SOURCES` and `commitments_probe.NEWER_POOLS`); every
variant gets two figures:

* `f1`: pooled over the ten left-out pairs of the twenty older pools (trained with the newer pools
  too, when the variant trains on them), so every variant is compared on the same pages;
* `newest`: pooled over the pools the latest writers judged (`commitments_probe.NEWEST`:
  `sealed21` … `sealed26`, read since their first runs, and `dev4` … `dev7`, written in session 20 as
  the next held-out pools were), each pair scored by a probe trained on everything else the variant
  trains on. The held-out pools are judged by such writers, so this is the figure that predicts
  them; the older pairs alone did not (session 19: 0.743 there, 0.58-0.71 on the next held-out pools).

Variants, each the shipped recipe (`commitments_probe`: trained on every dev pool, borderline
commitments as negatives) with one thing changed:

* `shipped`: the recipe itself (layers 6 and 8, 256 tokens, L2 logistic regression).
* `session19`: the recipe shipped until session 20 (the twenty older pools only, borderline
  commitments left out of training); `older-pools-only`, `borderline-left-out`: one of the two.
* `curve-K`: trained on the genre set and K of the other eighteen older pools only (two random
  draws): does more judged data still help?
* `layers-6`, `layers-4-6`, `tokens-32`: cheaper features (fewer layers run, shorter units), for
  ingestion speed. Each exports its own cut model once into the model cache (about 430 MB).
* `language`, `document-share`, `mean-max`, `mlp`, `pool-cv`: more features, another classifier,
  C and threshold chosen by pool-grouped instead of document-grouped cross-validation.
* `context-previous`, `context-document`: the unit before's layer means, or the document's mean.
* `newer-weight-2`, `newer-weight-4`: a unit of `commitments_probe.NEWER_POOLS` weighs 2 or 4 in
  training (`NEWER_WEIGHT`), so the decision leans towards the latest writers' pages.

Session 19's figures for the variants of its recipe are in BENCHMARKS.md ("Session 19").

Writes ``benchmarks/results/commitments_probe_variants.json``.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

from benchmarks import commitments_probe as probe_bench
from benchmarks.commitments_genre_learned import DEV_SOURCES, Doc, f1, load_part
from benchmarks.genre_commitments import prf
from ingest.commitments.probe import LAYERS, MAX_UNIT_TOKENS
from service.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "commitments_probe_variants.json"
LANGUAGES = ("sv", "sw", "hbs", "fa", "en")


class Data:
    """The dev documents, their shipped features, and the pools of each pair."""

    def __init__(self, pages_dir: Path, extra_pools: tuple[str, ...]) -> None:
        parts = {(s, p): load_part(s, p, pages_dir)[0] for s, p in DEV_SOURCES}
        self.genre = [d for (s, _), docs in parts.items() if s == "genre" for d in docs]
        self.pools = {p: docs for (s, p), docs in parts.items() if s == "realpages"}
        self.extra = {p: load_part("realpages", p, pages_dir)[0] for p in extra_pools}
        names = list(self.pools)
        self.pairs = list(zip(names[0::2], names[1::2]))
        self.docs = self.genre + [d for docs in self.pools.values() for d in docs]  # what the pairs are scored on
        self.all_docs = self.docs + [d for docs in self.extra.values() for d in docs]
        self.vectors = probe_bench.features(self.all_docs)


def score(data: Data, vectors: dict[str, np.ndarray], train_pools: Callable[[tuple[str, str]], list[str]],
          extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """Pooled [tp, fp, fn] over the ten pairs, each scored by a probe trained on the genre set, the
    pools `train_pools(pair)` and the `extra` pools."""
    pooled, per_pair = [0, 0, 0], {}
    for pair in data.pairs:
        train = data.genre + [d for p in train_pools(pair) for d in data.pools[p]] + [d for p in extra for d in data.extra[p]]
        test = [d for p in pair for d in data.pools[p]]
        counts = probe_bench.train_and_score(train, test, vectors)["probe"]
        per_pair["+".join(pair)] = round(f1(counts), 3)
        pooled = probe_bench.add(pooled, counts)
    return {**prf(*pooled), "pairs": per_pair}


def both(data: Data, vectors: dict[str, np.ndarray], extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """`score` over the ten older pairs, with `score_newest` beside it."""
    older = data.genre + [d for docs in data.pools.values() for d in docs]
    return {**score(data, vectors, others(data), extra=extra),
            "newest": probe_bench.score_newest(older, data.extra, vectors, trained_on=extra)}


def others(data: Data) -> Callable[[tuple[str, str]], list[str]]:
    return lambda pair: [p for p in data.pools if p not in pair]


def with_columns(data: Data, column: Callable[[Doc], np.ndarray]) -> dict[str, np.ndarray]:
    """The shipped features with more columns per unit (before the two rule flags)."""
    out = {}
    for doc in data.all_docs:
        v = data.vectors[doc.key]
        out[doc.key] = np.concatenate([v[:, :-2], column(doc).reshape(len(v), -1), v[:, -2:]], axis=1)
    return out


def unit_table(data: Data, name: str, layers: tuple[int, ...], max_tokens: int, pool: str = "mean") -> dict[str, np.ndarray]:
    """Per unit text: the token mean (or max) of `layers`, computed once per text and cached beside
    the benchmark's own cache."""
    from index.model import prepare_builtin_model
    from index.onnx import OnnxSentenceEncoder

    path = probe_bench.CACHE / f"variant-{name}.pkl"
    table: dict[str, np.ndarray] = pickle.loads(path.read_bytes()) if path.exists() else {}
    texts = sorted({u.text for d in data.all_docs for u in d.units} - table.keys())
    if not texts:
        return table
    settings = Settings.from_env()
    encoder = OnnxSentenceEncoder(prepare_builtin_model(settings.model_cache_dir, model=settings.model), "onnx", layers=layers)
    encoder.max_seq_length = max_tokens
    if pool == "mean":
        rows = list(encoder.encode(texts, prompt_name="passage"))
    else:  # the encoder pools by mean: run the session for the token states
        ids = encoder.tokenizer([encoder.prompts["passage"] + t for t in texts], truncation=True, max_length=max_tokens)["input_ids"]
        rows = [encoder.session.run(None, {"input_ids": np.asarray([i]), "attention_mask": np.ones((1, len(i)), np.int64)})[0][0].max(axis=0)
                for i in ids]
    table.update(zip(texts, rows))
    probe_bench.CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(table))
    return table


def previous_means(vectors: np.ndarray) -> np.ndarray:
    means = vectors[:, :-2]
    return np.concatenate([np.zeros_like(means[:1]), means[:-1]])


def document_means(vectors: np.ndarray) -> np.ndarray:
    means = vectors[:, :-2]
    return np.tile(means.mean(axis=0), (len(means), 1)) if len(means) else means


#: What a unit's features may add of its surroundings: the unit before's layer means (zeros for a
#: document's first unit), or the mean of the document's units' layer means (its genre and register).
CONTEXTS: dict[str, Callable[[np.ndarray], np.ndarray]] = {"context-previous": previous_means, "context-document": document_means}


def replaced_means(data: Data, table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The rule flags of the shipped features with other layer means."""
    return {d.key: np.concatenate([np.stack([table[u.text] for u in d.units]).reshape(len(d.units), -1),
                                   data.vectors[d.key][:, -2:]], axis=1) for d in data.all_docs}


def fit_mlp(X: np.ndarray, y: np.ndarray, C: float, weights: np.ndarray | None = None) -> Any:
    """An MLP in place of the logistic regression (it takes no unit weights)."""
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    keep = y >= 0
    return make_pipeline(StandardScaler(), MLPClassifier((64,), alpha=0.01 / C, early_stopping=True, random_state=0,
                                                         max_iter=200)).fit(X[keep], y[keep])


def pool_groups(docs: list[Doc], table: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`commitments_probe.design`, with the documents grouped by pool for the cross-validation."""
    X, y, _ = DESIGN(docs, table)
    names = sorted({d.key.rsplit("/", 1)[0] for d in docs})
    groups = np.concatenate([[names.index(d.key.rsplit("/", 1)[0])] * len(d.units) for d in docs]).astype(int)
    return X, y, groups


DESIGN, FIT, WEIGHT = probe_bench.design, probe_bench.fit, probe_bench.NEWER_WEIGHT


def borderline_left_out(docs: list[Doc], table: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`commitments_probe.design` as until session 19: a borderline commitment's unit is not trained on."""
    return DESIGN(docs, table, borderline_label=-1)


def run_variant(name: str, data: Data) -> dict[str, Any]:
    """The shipped recipe (`commitments_probe`: every dev pool, borderline commitments as negatives)
    with one thing changed, scored by `both`."""
    probe_bench.design, probe_bench.fit, probe_bench.NEWER_WEIGHT = DESIGN, FIT, WEIGHT
    every = tuple(data.extra)
    if name == "shipped":
        return both(data, data.vectors, every)
    if name == "session19":  # the recipe shipped until session 20: older pools only, borderline left out
        probe_bench.design = borderline_left_out
        return both(data, data.vectors)
    if name == "older-pools-only":
        return both(data, data.vectors)
    if name == "borderline-left-out":
        probe_bench.design = borderline_left_out
        return both(data, data.vectors, every)
    if name.startswith("curve-"):  # no newer pools either
        k = int(name.split("-")[1])
        draws = [score(data, data.vectors, lambda pair, rng=random.Random(seed): rng.sample(others(data)(pair), k))
                 for seed in (0, 1)]
        return {"f1": round(float(np.mean([d["f1"] for d in draws])), 3), "draws": draws}
    if name == "layers-6":
        return both(data, replaced_means(data, unit_table(data, name, (6,), MAX_UNIT_TOKENS)), every)
    if name == "layers-4-6":
        return both(data, replaced_means(data, unit_table(data, name, (4, 6), MAX_UNIT_TOKENS)), every)
    if name == "tokens-32":
        return both(data, replaced_means(data, unit_table(data, name, LAYERS, 32)), every)
    if name == "mean-max":
        table = unit_table(data, name, LAYERS, MAX_UNIT_TOKENS, pool="max")
        return both(data, with_columns(data, lambda d: np.stack([table[u.text] for u in d.units])), every)
    if name == "language":
        def one_hot(doc: Doc) -> np.ndarray:
            return np.tile(np.array([doc.lang == lang for lang in LANGUAGES], np.float32), (len(doc.units), 1))
        return both(data, with_columns(data, one_hot), every)
    if name == "document-share":  # the share of the document's units the rules fire on
        return both(data, with_columns(data, lambda d: np.full(len(d.units), data.vectors[d.key][:, -2].mean() if d.units else 0.0)),
                    every)
    if name in CONTEXTS:
        return both(data, with_columns(data, lambda d: CONTEXTS[name](data.vectors[d.key])), every)
    if name == "mlp":
        probe_bench.fit = fit_mlp
        return both(data, data.vectors, every)
    if name.startswith("newer-weight-"):
        probe_bench.NEWER_WEIGHT = float(name.rsplit("-", 1)[1])
        return both(data, data.vectors, every)
    if name == "pool-cv":
        probe_bench.design = pool_groups
        return both(data, data.vectors, every)
    raise ValueError(f"unknown variant {name!r}")


VARIANTS = ("shipped", "session19", "older-pools-only", "borderline-left-out", "curve-4", "curve-8", "curve-12",
            "layers-6", "layers-4-6", "tokens-32", "language", "document-share", "mean-max", "context-previous",
            "context-document", "mlp", "pool-cv", "newer-weight-2", "newer-weight-4")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages-dir", type=Path, required=True, help="folder with <pool>/<doc_id>.txt (real pages)")
    parser.add_argument("--variant", action="append", choices=VARIANTS, help="default: all")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = Data(args.pages_dir, probe_bench.NEWER_POOLS)
    results: dict[str, Any] = {}
    for name in args.variant or VARIANTS:
        results[name] = run_variant(name, data)
        newest = results[name].get("newest")
        print(f"{name:30} F1 {results[name]['f1']:.3f}" + (f"   newest pools F1 {newest['f1']:.3f}" if newest else ""), flush=True)
    result = {"question": "does anything carry over better than the shipped probe (pooled F1 over the ten older left-out pairs, and over the newest pools)?",
              "variants": results, "seconds": round(time.perf_counter() - started, 1)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
