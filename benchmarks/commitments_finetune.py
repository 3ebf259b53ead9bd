"""An experiment, not shipped: does fine-tuning the probe's cut model carry over better than the
linear probe (`commitments_probe`)? Session 21; dev data only.

    python -m benchmarks.commitments_finetune --pages-dir /work/realpages [--epochs 4]

One split, fixed so the figure can be run again: train on the genre set, the twenty older pools and
`TRAIN_EXTRA`; score `TEST` (the six pools the latest writers had judged at the time). Beside it,
the shipped recipe (`commitments_probe.train_and_score`) on the same split. The fine-tuned model is
the bundled model's first eight layers (embeddings frozen) and a linear head on the token means of
layers 6 and 8 plus the two rule flags, as the probe reads them; class-balanced loss, AdamW, linear
warm-up and decay. Its threshold is chosen on 15 % of the training documents (random, seed 0) held
out of its training; the other 85 % train it. One run, one seed: about 140 clear commitments in
`TEST`, so a difference of 0.03 is about one standard error.

Writes ``benchmarks/results/commitments_finetune.json`` (every epoch's figures).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402

from benchmarks.commitments_genre_learned import DEV_SOURCES, Doc, f1, load_part  # noqa: E402
from benchmarks.commitments_probe import BORDERLINE_LABEL, counts, features, train_and_score  # noqa: E402
from benchmarks.genre_commitments import prf  # noqa: E402
from benchmarks.perf_common import write_result  # noqa: E402

#: Trained on besides the genre set and the twenty older pools.
TRAIN_EXTRA = ("sealed19", "sealed20", "dev3")
#: Scored: the pools the latest writers had judged when this was run (session 21).
TEST = ("dev4", "dev5", "dev6", "dev7", "sealed21", "sealed22")
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.1, 0.96, 0.05))


class FineTuned:
    """The bundled model's first eight layers and a linear head on the token means of layers 6 and 8
    and the two rule flags."""

    def __init__(self, max_tokens: int) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        from index.model import prepare_builtin_model
        from service.settings import Settings

        settings = Settings.from_env()
        folder = prepare_builtin_model(settings.model_cache_dir, model=settings.model)
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder))
        self.bert = AutoModel.from_pretrained(str(folder), add_pooling_layer=False)
        self.bert.encoder.layer = self.bert.encoder.layer[:8]
        for parameter in self.bert.embeddings.parameters():
            parameter.requires_grad = False
        self.head = torch.nn.Linear(2 * self.bert.config.hidden_size + 2, 1)
        self.max_tokens = max_tokens

    def logits(self, texts: list[str], flags: list[np.ndarray]) -> Any:
        import torch

        encoded = self.tokenizer(texts, padding=True, truncation=True, max_length=self.max_tokens, return_tensors="pt")
        states = self.bert(**encoded, output_hidden_states=True).hidden_states
        mask = encoded["attention_mask"].unsqueeze(-1).float()
        pooled = [(states[k] * mask).sum(1) / mask.sum(1) for k in (6, 8)]
        return self.head(torch.cat([*pooled, torch.tensor(np.array(flags), dtype=torch.float32)], dim=-1)).squeeze(-1)

    def scores(self, docs: list[Doc], vectors: dict[str, np.ndarray]) -> list[np.ndarray]:
        import torch

        self.bert.eval()
        out = []
        with torch.no_grad():
            for doc in docs:
                rows = items([doc], vectors)
                parts = [torch.sigmoid(self.logits([t for t, _, _ in rows[i:i + 64]], [f for _, f, _ in rows[i:i + 64]])).numpy()
                         for i in range(0, len(rows), 64)]
                out.append(np.concatenate(parts) if parts else np.zeros(0))
        self.bert.train()
        return out


def items(docs: list[Doc], vectors: dict[str, np.ndarray]) -> list[tuple[str, np.ndarray, int]]:
    """(model input, rule flags, label) of every unit; a borderline commitment is `BORDERLINE_LABEL`."""
    return [("passage: " + u.text, vectors[d.key][k, -2:], BORDERLINE_LABEL if u.label is None else u.label)
            for d in docs for k, u in enumerate(d.units)]


def main(argv: list[str] | None = None) -> int:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages-dir", type=Path, required=True, help="folder with <pool>/<doc_id>.txt (real pages)")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--out", type=Path, help="default: benchmarks/results/commitments_finetune.json")
    args = parser.parse_args(argv)
    torch.manual_seed(0)
    rng = random.Random(0)
    started = time.perf_counter()

    parts = {(s, part): load_part(s, part, args.pages_dir)[0]
             for s, part in [*DEV_SOURCES, *(("realpages", pool) for pool in TRAIN_EXTRA + TEST)]}
    train = [d for (s, part), docs in parts.items() if not (s == "realpages" and part in TEST) for d in docs]
    test = {pool: parts["realpages", pool] for pool in TEST}
    test_docs = [d for docs in test.values() for d in docs]
    vectors = features(train + test_docs)
    probe = train_and_score(train, test_docs, vectors)["probe"]
    print(f"the shipped recipe on {', '.join(TEST)}: F1 {f1(probe):.3f}", flush=True)

    model = FineTuned(args.max_tokens)
    docs = train[:]
    rng.shuffle(docs)
    val, fit_docs = docs[:len(docs) * 15 // 100], docs[len(docs) * 15 // 100:]
    data = items(fit_docs, vectors)
    positives = sum(y for _, _, y in data)
    groups = [{"params": [q for q in model.bert.parameters() if q.requires_grad], "lr": args.lr},
              {"params": list(model.head.parameters()), "lr": 1e-3}]
    optimiser = torch.optim.AdamW(groups, weight_decay=0.01)
    steps = args.epochs * ((len(data) + args.batch - 1) // args.batch)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, s / (0.06 * steps)) * max(0.0, (steps - s) / steps))
    loss_of = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor((len(data) - positives) / positives))
    epochs = []
    for epoch in range(args.epochs):
        order = sorted(range(len(data)), key=lambda i: len(data[i][0]) + rng.random() * 40)  # similar lengths batched
        batches = [order[i:i + args.batch] for i in range(0, len(order), args.batch)]
        rng.shuffle(batches)
        epoch_started = time.perf_counter()
        for batch in batches:
            loss = loss_of(model.logits([data[i][0] for i in batch], [data[i][1] for i in batch]),
                           torch.tensor([float(data[i][2]) for i in batch]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_([q for g in groups for q in g["params"]], 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
        val_scores = model.scores(val, vectors)
        val_f1, threshold = max((f1(counts(val, [s >= t for s in val_scores])), t) for t in THRESHOLDS)
        scores = {pool: model.scores(docs, vectors) for pool, docs in test.items()}
        pooled = [0, 0, 0]
        per_pool = {}
        for pool, docs in test.items():
            c = counts(docs, [s >= threshold for s in scores[pool]])
            per_pool[pool] = round(f1(c), 3)
            pooled = [a + b for a, b in zip(pooled, c)]
        row = {"epoch": epoch + 1, "val_f1": round(val_f1, 3), "threshold": threshold, "test": prf(*pooled),
               "test_per_pool": per_pool, "seconds": round(time.perf_counter() - epoch_started)}
        epochs.append(row)
        print(json.dumps(row), flush=True)
    result = {"question": "does a fine-tuned cut model decide commitments better than the linear probe on the newest pools?",
              "train_extra": list(TRAIN_EXTRA), "test": list(TEST), "probe": prf(*probe), "fit_units": len(data),
              "args": {k: str(v) for k, v in vars(args).items()}, "epochs": epochs,
              "seconds": round(time.perf_counter() - started, 1)}
    write_result("commitments_finetune", result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
