"""What holds on real pages nobody had tuned on: every held-out pool's first run, pooled.

Each pool of `benchmarks/realpages/` from `sealed3` on was scored once by code that had not seen
it, before anyone read its errors (benchmarks/realpages/README.md). Those first runs are kept as
result files (`FIRST_RUNS`). A single pool has about 35 judged commitments and 40 questions, so
one pool's figure moves by 0.05–0.1 with a few items; this script adds the counts of all first
runs up (commitments: true and false positives and misses; titles: pages right; retrieval:
questions), and splits commitments by the kind of page the writer judged it to be (`docs.jsonl`).
It reads result files only: run `benchmarks.realpages_eval` on a new pool first.

    python -m benchmarks.heldout_ledger          # prints the table, writes results/heldout-ledger.json
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from benchmarks.genre_commitments import load_docs_meta, load_gold, prf

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
REALPAGES = ROOT / "benchmarks" / "realpages"

#: pool → the suffix of its first run's result files (`realpages[-commitments|-metadata]-<pool><suffix>.json`):
#: the code of the session before the one that read the pool (sealed19/20: session 16's rules, v24,
#: with session 17's actor changes, commit 385681e, which change no commitment; sealed21/22: session 18's
#: code with the commitment probe, 306b2b2, run in session 19 before any change; sealed23 to sealed26:
#: session 19's code, de7ac64, run in session 20 before any change to what they measure; sealed27 to
#: sealed30: session 20's code, b241939, run in session 21 before any change to what they measure; sealed31
#: to sealed34: session 21's code, 6c68842, run in session 22 from a worktree; sealed35 to sealed38:
#: session 22's code, 10bf315, run in session 23 from a worktree at 66b76f3, which adds only the pools;
#: sealed39 to sealed42: session 23's code, 55b376b, run in session 24 from a worktree at 06cfd65 (the
#: pools) with 59e9a0e's line naming them among realpages_eval's pools).
FIRST_RUNS = {
    "sealed3": "-session8-code", "sealed4": "-session8-code",
    "sealed5": "-session9-code", "sealed6": "-session9-code",
    "sealed7": "-round1-code", "sealed8": "-round1-code",
    "sealed9": "-session10-code", "sealed10": "-session10-code",
    "sealed11": "-session11-code", "sealed12": "-session11-code",
    "sealed13": "-session12-code", "sealed14": "-session12-code",
    "sealed15": "-session14-code", "sealed16": "-session14-code",
    "sealed17": "-session15-code", "sealed18": "-session15-code",
    "sealed19": "-v24-385681e", "sealed20": "-v24-385681e",
    "sealed21": "-session18-code", "sealed22": "-session18-code",
    "sealed23": "-session19-code", "sealed24": "-session19-code",
    "sealed25": "-session19-code", "sealed26": "-session19-code",
    "sealed27": "-session20-code", "sealed28": "-session20-code",
    "sealed29": "-session20-code", "sealed30": "-session20-code",
    "sealed31": "-session21-code", "sealed32": "-session21-code",
    "sealed33": "-session21-code", "sealed34": "-session21-code",
    "sealed35": "-session22-code", "sealed36": "-session22-code",
    "sealed37": "-session22-code", "sealed38": "-session22-code",
    "sealed39": "-session23-code", "sealed40": "-session23-code",
    "sealed41": "-session23-code", "sealed42": "-session23-code",
    "sealed43": "-session24-code", "sealed44": "-session24-code",
    "sealed45": "-session24-code", "sealed46": "-session24-code",
    "sealed47": "-session25-code", "sealed48": "-session25-code",
    "sealed49": "-session25-code", "sealed50": "-session25-code",
    "sealed51": "-session26-code", "sealed52": "-session26-code",
    "sealed53": "-session26-code", "sealed54": "-session26-code",
    "sealed55": "-session27-code", "sealed56": "-session27-code",
    "sealed57": "-session27-code", "sealed58": "-session27-code",
    "sealed59": "-session28-code", "sealed60": "-session28-code",
    "sealed61": "-session28-code", "sealed62": "-session28-code",
    "sealed63": "-session29-code", "sealed64": "-session29-code",
    "sealed65": "-session29-code", "sealed66": "-session29-code",
}


def _load(kind: str, pool: str) -> dict | None:
    path = RESULTS / f"realpages{kind}-{pool}{FIRST_RUNS[pool]}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def commitments_by_page_kind(pool: str, report: dict) -> dict[str, list[int]]:
    """[tp, fp, fn] per page kind, from the first run's misses and false positives and the gold
    commitments the scorer counts (not borderline, found in the page's text)."""
    kind_of = {doc_id: page.get("kind", "unknown") for doc_id, page in load_docs_meta(REALPAGES / pool / "docs.jsonl").items()}
    not_found = Counter((row["doc_id"], row["text"]) for row in report.get("gold_not_found", []))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for gold in load_gold(REALPAGES / pool / "commitments.jsonl"):
        if gold.commitment and not gold.borderline:
            if not_found[(gold.doc_id, gold.text)]:
                not_found[(gold.doc_id, gold.text)] -= 1
                continue
            counts[kind_of[gold.doc_id]][0] += 1
    for row in report["false_negatives"]:
        counts[kind_of[row["doc_id"]]][0] -= 1
        counts[kind_of[row["doc_id"]]][2] += 1
    for row in report["false_positives"]:
        counts[kind_of[row["doc_id"]]][1] += 1
    return counts


def ledger() -> dict:
    pools: dict[str, dict] = {}
    total: Counter = Counter()
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_language: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for pool in FIRST_RUNS:
        commitments, metadata, retrieval = _load("-commitments", pool), _load("-metadata", pool), _load("", pool)
        if commitments is None:
            continue
        overall = commitments["overall"]
        row: dict = {"commitments_f1": overall["f1"], "tp_fp_fn": [overall["tp"], overall["fp"], overall["fn"]]}
        total.update({"tp": overall["tp"], "fp": overall["fp"], "fn": overall["fn"]})
        for kind, counts in commitments_by_page_kind(pool, commitments).items():
            by_kind[kind] = [a + b for a, b in zip(by_kind[kind], counts)]
        for language, scores in commitments["languages"].items():
            by_language[language] = [a + b for a, b in zip(by_language[language], (scores["tp"], scores["fp"], scores["fn"]))]
        if metadata is not None:
            row["titles_right"] = [metadata["titles"]["right"], metadata["titles"]["n"]]
            total.update({"titles_right": metadata["titles"]["right"], "titles": metadata["titles"]["n"]})
        if retrieval is not None:
            measured, n = retrieval["measured"], retrieval["measured"]["n"]
            row["success@3"] = measured["success@3"]
            total.update({"questions": n, "success@3_hits": round(measured["success@3"] * n),
                          "success@1_hits": round(measured["success@1"] * n)})
        pools[pool] = row
    result = {
        "pools": pools,
        "commitments": prf(total["tp"], total["fp"], total["fn"]),
        "commitments_by_page_kind": {kind: prf(*counts) for kind, counts in sorted(by_kind.items())},
        "commitments_by_language": {language: prf(*counts) for language, counts in sorted(by_language.items())},
        "titles_right": [total["titles_right"], total["titles"]],
        "retrieval": {"questions": total["questions"],
                      "success@1": round(total["success@1_hits"] / total["questions"], 3) if total["questions"] else None,
                      "success@3": round(total["success@3_hits"] / total["questions"], 3) if total["questions"] else None},
    }
    return result


def render(result: dict) -> str:
    lines = ["pool        commitments F1 (tp fp fn)   titles   success@3"]
    for pool, row in result["pools"].items():
        titles = "{}/{}".format(*row["titles_right"]) if "titles_right" in row else "-"
        lines.append(f"{pool:<11} {row['commitments_f1']:.3f} ({' '.join(map(str, row['tp_fp_fn']))})"
                     f"{'':<8}{titles:<8} {row.get('success@3', '-')}")
    c = result["commitments"]
    lines.append(f"pooled      P {c['precision']:.3f} R {c['recall']:.3f} F1 {c['f1']:.3f}   "
                 "titles {}/{}   ".format(*result["titles_right"])
                 + f"success@1 {result['retrieval']['success@1']} success@3 {result['retrieval']['success@3']} "
                 f"({result['retrieval']['questions']} questions)")
    for name in ("commitments_by_page_kind", "commitments_by_language"):
        lines.append(name.replace("_", " ") + ": " + "; ".join(
            f"{key} F1 {s['f1']:.2f} (P {s['precision']:.2f} R {s['recall']:.2f}, {s['tp'] + s['fn']} gold)"
            for key, s in result[name].items()))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=RESULTS / "heldout-ledger.json")
    args = parser.parse_args()
    result = ledger()
    print(render(result))
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
