"""What else was tried on the commitment probe (session 19), each measured as `commitments_probe`
measures the shipped one: leave one real-page pool pair out, train on the rest, pool the counts.

    python -m benchmarks.commitments_probe_variants --pages-dir /work/realpages [--variant NAME ...]

Dev data only (`commitments_genre_learned.DEV_SOURCES`, plus the pools named by a "more data"
variant); the pairs scored are always the ten pairs of the twenty read pools, so every variant is
compared on the same pages. Variants:

* `shipped`: the shipped probe's recipe (layers 6 and 8, 256 tokens, L2 logistic regression).
* `curve-K`: trained on the genre set and K of the other eighteen pools only (two random draws):
  does more judged data still help?
* `more-…`: trained with more dev pools (`sealed19`, `sealed20`, read since `sealed21`/`sealed22`
  were sealed and run, and `dev3`, Swedish pages).
* `layers-6`, `layers-4-6`, `tokens-32`: cheaper features (fewer layers run, shorter units), for
  ingestion speed. Each exports its own cut model once into the model cache (about 430 MB).
* `language`, `document-share`, `mean-max`, `mlp`, `pool-cv`: more features, another classifier,
  C and threshold chosen by pool-grouped instead of document-grouped cross-validation.

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
        self.vectors = probe_bench.features(self.docs + [d for docs in self.extra.values() for d in docs])


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


def others(data: Data) -> Callable[[tuple[str, str]], list[str]]:
    return lambda pair: [p for p in data.pools if p not in pair]


def with_columns(data: Data, column: Callable[[Doc], np.ndarray]) -> dict[str, np.ndarray]:
    """The shipped features with more columns per unit (before the two rule flags)."""
    out = {}
    for doc in data.docs:
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
    texts = sorted({u.text for d in data.docs for u in d.units} - table.keys())
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


def replaced_means(data: Data, table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The rule flags of the shipped features with other layer means."""
    return {d.key: np.concatenate([np.stack([table[u.text] for u in d.units]).reshape(len(d.units), -1),
                                   data.vectors[d.key][:, -2:]], axis=1) for d in data.docs}


def fit_mlp(X: np.ndarray, y: np.ndarray, C: float) -> Any:
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


DESIGN, FIT = probe_bench.design, probe_bench.fit


def run_variant(name: str, data: Data) -> dict[str, Any]:
    probe_bench.design, probe_bench.fit = DESIGN, FIT
    if name == "shipped":
        return score(data, data.vectors, others(data))
    if name.startswith("curve-"):
        k = int(name.split("-")[1])
        draws = [score(data, data.vectors, lambda pair, rng=random.Random(seed): rng.sample(others(data)(pair), k))
                 for seed in (0, 1)]
        return {"f1": round(float(np.mean([d["f1"] for d in draws])), 3), "draws": draws}
    if name.startswith("more-"):
        return score(data, data.vectors, others(data), extra=tuple(name.split("-")[1:]))
    if name == "layers-6":
        return score(data, replaced_means(data, unit_table(data, name, (6,), MAX_UNIT_TOKENS)), others(data))
    if name == "layers-4-6":
        return score(data, replaced_means(data, unit_table(data, name, (4, 6), MAX_UNIT_TOKENS)), others(data))
    if name == "tokens-32":
        return score(data, replaced_means(data, unit_table(data, name, LAYERS, 32)), others(data))
    if name == "mean-max":
        table = unit_table(data, name, LAYERS, MAX_UNIT_TOKENS, pool="max")
        return score(data, with_columns(data, lambda d: np.stack([table[u.text] for u in d.units])), others(data))
    if name == "language":
        def one_hot(doc: Doc) -> np.ndarray:
            return np.tile(np.array([doc.lang == lang for lang in LANGUAGES], np.float32), (len(doc.units), 1))
        return score(data, with_columns(data, one_hot), others(data))
    if name == "document-share":  # the share of the document's units the rules fire on
        return score(data, with_columns(data, lambda d: np.full(len(d.units), data.vectors[d.key][:, -2].mean() if d.units else 0.0)),
                     others(data))
    if name == "mlp":
        probe_bench.fit = fit_mlp
        return score(data, data.vectors, others(data))
    if name == "pool-cv":
        probe_bench.design = pool_groups
        return score(data, data.vectors, others(data))
    raise ValueError(f"unknown variant {name!r}")


VARIANTS = ("shipped", "curve-4", "curve-8", "curve-12", "more-sealed19-sealed20", "more-dev3", "more-sealed19-sealed20-dev3",
            "layers-6", "layers-4-6", "tokens-32", "language", "document-share", "mean-max", "mlp", "pool-cv")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages-dir", type=Path, required=True, help="folder with <pool>/<doc_id>.txt (real pages)")
    parser.add_argument("--variant", action="append", choices=VARIANTS, help="default: all")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = Data(args.pages_dir, ("sealed19", "sealed20", "dev3"))
    results: dict[str, Any] = {}
    for name in args.variant or VARIANTS:
        results[name] = run_variant(name, data)
        print(f"{name:30} F1 {results[name]['f1']:.3f}", flush=True)
    result = {"question": "does anything tried in session 19 carry over better than the shipped probe (pooled F1 over the ten left-out pairs)?",
              "variants": results, "seconds": round(time.perf_counter() - started, 1)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
