"""Does the commitment probe still gain from more judged pages? Its training data stop at `sealed26`
(`commitments_probe.NEWER_POOLS`); twelve more pools, `sealed27` … `sealed38`, have been judged and
read since (dev data since session 25).

    python -m benchmarks.commitments_probe_curve --pages-dir /work/realpages

Dev data only. Two figures on the same pages, each pooled over pairs of pools as the writers wrote them:

* the twelve newer pools (`MORE_POOLS`), scored (a) by one probe trained on the shipped probe's data,
  and (b) each pair by a probe trained on that data and the ten other newer pools;
* the shipped probe's newest pairs (`commitments_probe.NEWEST`), scored (c) each by a probe trained
  on everything else of the shipped probe's data (`commitments_probe`'s own "newest" figure), and (d)
  with the twelve newer pools added to its training.

If (b) beats (a) and (d) beats (c), more judged pages still help and the probe is worth retraining.
C is fixed at 0.003, the value every cross-validation has chosen since session 20 (the threshold is
still chosen by cross-validation), so that the run takes minutes.

Writes ``benchmarks/results/commitments_probe_curve.json``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from benchmarks import commitments_probe as probe_bench
from benchmarks.commitments_genre_learned import DEV_SOURCES, load_part
from benchmarks.genre_commitments import prf
from benchmarks.perf_common import write_result

MORE_POOLS = ("sealed27", "sealed28", "sealed29", "sealed30", "sealed31", "sealed32",
              "sealed33", "sealed34", "sealed35", "sealed36", "sealed37", "sealed38")
FIXED_C = 0.003


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages-dir", type=Path, required=True, help="folder with <pool>/<doc_id>.txt (real pages)")
    parser.add_argument("--out", type=Path, help="default: benchmarks/results/commitments_probe_curve.json")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    probe_bench.C_GRID = (FIXED_C,)

    shipped_pools = probe_bench.NEWER_POOLS
    every_pool = shipped_pools + MORE_POOLS
    parts = {(s, p): load_part(s, p, args.pages_dir) for s, p in [*DEV_SOURCES, *(("realpages", p) for p in every_pool)]}
    base = [d for (s, p), (docs, _) in parts.items() if (s, p) in DEV_SOURCES for d in docs]
    pools = {p: parts["realpages", p][0] for p in every_pool}
    vectors = probe_bench.features([d for docs, _ in parts.values() for d in docs])
    more_pairs = tuple(zip(MORE_POOLS[0::2], MORE_POOLS[1::2]))

    print("(a) the newer pools, by the shipped probe's data", flush=True)
    shipped = base + [d for p in shipped_pools for d in pools[p]]
    counts = probe_bench.train_and_score(shipped, [d for p in MORE_POOLS for d in pools[p]], vectors)
    result = {"a: newer pools, shipped data": {**prf(*counts["probe"]), "threshold": counts["threshold"]}}
    print("(b) the newer pools, each pair by the shipped data and the other newer pools", flush=True)
    result["b: newer pools, with the other newer pools"] = probe_bench.score_newest(base, pools, vectors, every_pool, more_pairs)
    print("(c) the shipped probe's newest pairs, by its data", flush=True)
    result["c: newest pairs, shipped data"] = probe_bench.score_newest(base, pools, vectors, shipped_pools)
    print("(d) the shipped probe's newest pairs, with the newer pools", flush=True)
    result["d: newest pairs, with the newer pools"] = probe_bench.score_newest(base, pools, vectors, every_pool)
    for name, figures in result.items():
        print(f"{name:50} F1 {figures['f1']:.3f} (P {figures['precision']:.3f}, R {figures['recall']:.3f})"
              + "".join(f"  {pair} {value:.3f}" for pair, value in figures.get("pairs", {}).items()))

    output = {"question": "does the probe still gain from more judged pools?", "C": FIXED_C, "more_pools": list(MORE_POOLS),
              "data": {f"{s}/{p}": info for (s, p), (_, info) in parts.items()}, **result,
              "seconds": round(time.perf_counter() - started, 1)}
    write_result("commitments_probe_curve", output, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
