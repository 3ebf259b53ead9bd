"""Experiment: a linear probe on the encoder's middle layers decides commitments; does it carry over
to pools it never saw better than the rules do?

    OMP_NUM_THREADS=2 python -m benchmarks.commitments_probe --pages-dir /work/realpages [--held-out]

Why: five rule versions in a row lifted the pools they were written from and changed the next,
unseen pools by 0.00-0.02 (BENCHMARKS.md, sessions 13-17). Rules are written per phrasing; unseen
pages phrase their promises otherwise. A decision learned from every judged unit at once may
generalise where per-pool rules do not. The learned filters of sessions 8, 11 and 14 used the
final, centred sentence vector; tense, mood and person, which separate a pledge from a report or a
forecast, are read better from a transformer's middle layers than from its last one.

* Data (dev only): `commitments_genre_learned.DEV_SOURCES` through `load_part`: the judged genre
  parts and every real-page pool read so far, cut into sentence units and labelled by matching
  the judged commitments (borderline ones are not trained on). Pages missing from `--pages-dir`
  are left out with their judgements (`pages_missing` in the output).
* Features of a unit: the mean over its tokens of the hidden states of layers 6 and 8 of the
  configured model (torch, "passage: " + the unit alone, cached under /tmp), and two flags: a
  rule hits the unit, a rule hits the unit before it (a lead-in). The flags come from the rules
  **without those written from real pages** (`RULE_SETS["no-realpages"]`): those were written from
  these very pools, so a model trained on the shipped rules' flag would learn to trust rules that
  are in sample and carry over no better than they do.
* Decision: L2 logistic regression with balanced classes; C and the probability threshold by
  5-fold cross-validation over the training documents (pooled F1). A unit it accepts is a
  predicted commitment, scored as `benchmarks.genre_commitments` scores spans.
* Carry-over, the figure that matters: leave one pool pair out (pools were written and read in
  pairs), train on everything else, score the pair. Beside it on the same pages: the rules without
  real-page rules, the shipped rules (written from these pools: on a dev pair they are in sample and
  optimistic), and
  the rules' **first run** on the pair (`heldout_ledger.FIRST_RUNS`, the code before anyone read
  it; on all of the pool's pages).
* Held out (`--held-out`): only when the probe's pooled carry-over F1 beats both the first runs and
  the rules without real-page rules on the same pairs. It is then fit on all dev data and scores
  `HELD_OUT_POOLS` once, beside the shipped rules on the same pages.

Writes ``benchmarks/results/commitments_probe.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

import numpy as np  # noqa: E402

from benchmarks.commitments_genre_learned import DEV_SOURCES, HELD_OUT_POOLS, Doc, f1, load_part, predictions  # noqa: E402
from benchmarks.genre_commitments import Pred, prf, score_document  # noqa: E402
from benchmarks.heldout_ledger import FIRST_RUNS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "commitments_probe.json"
CACHE = Path("/tmp/ahadi-commitments-probe")
LAYERS = (6, 8)
C_GRID = (0.003, 0.03, 0.3)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.2, 0.91, 0.05))
BASELINES = {"rules without real-page rules": "no-realpages", "shipped rules": "all"}


def layer_means(texts: list[str]) -> np.ndarray:
    """Per text: the token means of `LAYERS`' hidden states, concatenated."""
    import torch

    from index.model import load_encoder
    from service.settings import Settings

    settings = Settings.from_env()
    model = load_encoder(settings.model, settings.model_cache_dir, backend="torch")
    tokenizer, bert = model.tokenizer, model[0].auto_model
    out = np.zeros((len(texts), len(LAYERS) * bert.config.hidden_size), np.float32)
    order = np.argsort([len(t) for t in texts])  # similar lengths batch with little padding
    with torch.inference_mode():
        for start in range(0, len(texts), 32):
            rows = order[start:start + 32]
            batch = tokenizer(["passage: " + texts[i] for i in rows], padding=True, truncation=True,
                              max_length=256, return_tensors="pt")
            states = bert(**batch, output_hidden_states=True).hidden_states
            mask = batch["attention_mask"].unsqueeze(-1).float()
            out[rows] = np.concatenate([((states[k] * mask).sum(1) / mask.sum(1)).numpy() for k in LAYERS], axis=1)
    return out


def features(docs: list[Doc]) -> dict[str, np.ndarray]:
    """unit text → its layer means, from the /tmp cache or the model."""
    from service.settings import Settings

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{Settings.from_env().model.replace('/', '__')}-layers{'-'.join(map(str, LAYERS))}.pkl"
    cached: dict[str, np.ndarray] = pickle.loads(path.read_bytes()) if path.exists() else {}
    todo = sorted({u.text for d in docs for u in d.units} - cached.keys())
    if todo:
        cached.update(zip(todo, layer_means(todo)))
        path.write_bytes(pickle.dumps(cached))
    return cached


def design(docs: list[Doc], vectors: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X (layer means, rule flag of the unit and of the one before), y (-1: borderline), document index."""
    rows, labels, groups = [], [], []
    for k, doc in enumerate(docs):
        hit = doc.rules["no-realpages"].hit.astype(np.float32)
        before = np.r_[0.0, hit[:-1]] if len(hit) else hit
        for i, unit in enumerate(doc.units):
            rows.append(np.r_[vectors[unit.text], hit[i], before[i]])
            labels.append(-1 if unit.label is None else unit.label)
            groups.append(k)
    return np.array(rows, np.float32), np.array(labels), np.array(groups)


def per_doc(docs: list[Doc], flat: np.ndarray) -> list[np.ndarray]:
    return np.split(flat, np.cumsum([len(d.units) for d in docs])[:-1])


def counts(docs: list[Doc], accepted: list[np.ndarray] | None = None, rule_set: str | None = None) -> list[int]:
    """[tp, fp, fn] of the probe's accepted units, or of a rule set's spans."""
    total = [0, 0, 0]
    for k, doc in enumerate(docs):
        if rule_set is not None:
            preds = predictions(doc, "a", np.zeros(0, bool), rule_set)
        else:
            preds = [Pred(doc.key, u.text, u.start, u.end) for u, ok in zip(doc.units, accepted[k]) if ok]
        r = score_document(doc.gold, preds)
        total = [total[0] + len(r.tp), total[1] + len(r.fp), total[2] + len(r.fn)]
    return total


def fit(X: np.ndarray, y: np.ndarray, C: float) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    keep = y >= 0
    return make_pipeline(StandardScaler(), LogisticRegression(C=C, class_weight="balanced", max_iter=1000)).fit(X[keep], y[keep])


def choose(docs: list[Doc], X: np.ndarray, y: np.ndarray, groups: np.ndarray) -> dict[str, float]:
    """C and threshold with the best pooled F1 in 5-fold CV over `docs`."""
    from sklearn.model_selection import GroupKFold

    proba = {C: np.zeros(len(y)) for C in C_GRID}
    for train, test in GroupKFold(n_splits=5).split(X, y, groups):
        for C in C_GRID:
            proba[C][test] = fit(X[train], y[train], C).predict_proba(X[test])[:, 1]
    scored = [(f1(counts(docs, per_doc(docs, proba[C] >= t))), C, t) for C in C_GRID for t in THRESHOLDS]
    best = max(scored)
    return {"cv_f1": round(best[0], 3), "C": best[1], "threshold": best[2]}


def train_and_score(train: list[Doc], test: list[Doc], vectors: dict[str, np.ndarray]) -> dict[str, Any]:
    X, y, groups = design(train, vectors)
    chosen = choose(train, X, y, groups)
    model = fit(X, y, chosen["C"])
    X_test, _, _ = design(test, vectors)
    accepted = per_doc(test, model.predict_proba(X_test)[:, 1] >= chosen["threshold"]) if len(X_test) else [np.zeros(0, bool)] * len(test)
    return {"probe": counts(test, accepted), **{name: counts(test, rule_set=rs) for name, rs in BASELINES.items()}, **chosen}


def first_run(pool: str) -> list[int] | None:
    if pool not in FIRST_RUNS:
        return None
    path = ROOT / "benchmarks" / "results" / f"realpages-commitments-{pool}{FIRST_RUNS[pool]}.json"
    overall = json.loads(path.read_text(encoding="utf-8"))["overall"]
    return [overall["tp"], overall["fp"], overall["fn"]]


def add(a: list[int], b: list[int]) -> list[int]:
    return [x + y for x, y in zip(a, b)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages-dir", type=Path, required=True, help="folder with <pool>/<doc_id>.txt (real pages)")
    parser.add_argument("--held-out", action="store_true", help=f"score {' and '.join(HELD_OUT_POOLS)} once, if carry-over says so")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    started = time.perf_counter()

    parts = {(source, part): load_part(source, part, args.pages_dir) for source, part in DEV_SOURCES}
    data = {f"{s}/{p}": info for (s, p), (_, info) in parts.items()}
    genre = [d for (s, _), (docs, _) in parts.items() if s == "genre" for d in docs]
    pools = [p for s, p in DEV_SOURCES if s == "realpages"]
    vectors = features([d for docs, _ in parts.values() for d in docs])

    pairs: dict[str, Any] = {}
    pooled: dict[str, list[int]] = {}
    with_first_run: dict[str, list[int]] = {}
    for pair in zip(pools[0::2], pools[1::2]):
        train = genre + [d for p in pools if p not in pair for d in parts["realpages", p][0]]
        test = [d for p in pair for d in parts["realpages", p][0]]
        row = train_and_score(train, test, vectors)
        runs = [first_run(p) for p in pair]
        row["first run"] = add(*runs) if all(runs) else None
        pairs["+".join(pair)] = row
        for name in ("probe", *BASELINES, "first run"):
            if row[name] is not None:
                pooled[name] = add(pooled.get(name, [0, 0, 0]), row[name])
                if row["first run"] is not None:
                    with_first_run[name] = add(with_first_run.get(name, [0, 0, 0]), row[name])
        print(f"{'+'.join(pair):18} " + "  ".join(f"{n} {f1(row[n]):.3f}" for n in ("probe", *BASELINES, "first run")
                                                   if row[n] is not None), flush=True)
    carry_over = {"all pairs": {n: prf(*c) for n, c in pooled.items()},
                  "pairs with a first run": {n: prf(*c) for n, c in with_first_run.items()}}
    for scope, table in carry_over.items():
        print(f"pooled, {scope}: " + "  ".join(f"{n} {m['f1']:.3f}" for n, m in table.items()))
    beats = (with_first_run["probe"] and f1(with_first_run["probe"]) > f1(with_first_run["first run"])
             and f1(pooled["probe"]) > f1(pooled["rules without real-page rules"]))
    print(f"the probe beats the first runs and the rules without real-page rules: {bool(beats)}")

    held_out: dict[str, Any] | None = None
    if args.held_out and beats:
        dev = genre + [d for p in pools for d in parts["realpages", p][0]]
        held = {pool: load_part("realpages", pool, args.pages_dir) for pool in HELD_OUT_POOLS}
        vectors = features(dev + [d for docs, _ in held.values() for d in docs])
        held_out = {}
        for pool, (docs, info) in held.items():
            row = train_and_score(dev, docs, vectors)
            held_out[pool] = {**info, **{n: prf(*row[n]) for n in ("probe", *BASELINES)},
                              "C": row["C"], "threshold": row["threshold"]}
            print(f"held out {pool}: " + "  ".join(f"{n} F1 {held_out[pool][n]['f1']:.3f}" for n in ("probe", *BASELINES)))

    import sklearn
    result = {"question": "does a linear probe on the encoder's middle layers decide commitments better than the rules on pools it never saw?",
              "layers": list(LAYERS), "C_grid": list(C_GRID), "sklearn": sklearn.__version__, "data": data,
              "pairs": pairs, "carry_over": carry_over, "probe_beats_rules": bool(beats), "held_out": held_out,
              "seconds": round(time.perf_counter() - started, 1)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
