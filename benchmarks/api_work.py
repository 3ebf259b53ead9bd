"""The API's own per-search work, apart from the model and the store: query language detection and
highlighting.

- detection: `detect_language` on the first 400 NTREX headlines (all languages, both splits), one
  at a time, after one warm-up call;
- highlighting: for each of the 65 judged corpus questions, `highlight` of 10 passages (1,200
  characters) drawn from the corpus documents (seed 0), as a search response highlights its hits.
  Each question is highlighted once, so the per-query caches start cold, as for a new query.

    python -m benchmarks.api_work
writes benchmarks/results/api_work.json.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from benchmarks import ntrex
from benchmarks.perf_common import load_average, machine, percentiles, write_result

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "benchmarks" / "queries" / "corpus_queries.jsonl"


def main() -> None:
    from api.highlight import highlight
    from core.detection import detect_language

    result = {"machine": machine(), "load_1m_at_start": round(load_average()[0], 2)}
    headlines = [record["title"] for split in ("dev", "test") for record in ntrex.load(split, ntrex.BENCHMARK_LANGUAGES)][:400]
    detect_language("warm up")
    timings = []
    for headline in headlines:
        started = time.perf_counter()
        detect_language(headline)
        timings.append((time.perf_counter() - started) * 1000)
    result["detect_language_ms"] = percentiles(timings)

    passages = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        passages += [text[i : i + 1200] for i in range(0, max(len(text) - 1200, 1), 600)]
    queries = [json.loads(line)["query"] for line in QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(0)
    timings = []
    for query in queries:
        hits = rng.sample(passages, 10)
        started = time.perf_counter()
        for passage in hits:
            highlight(passage, query, "en", "sv")
        timings.append((time.perf_counter() - started) * 1000)
    result["highlight_10_passages_ms"] = percentiles(timings)
    result["load_1m_at_end"] = round(load_average()[0], 2)
    print(json.dumps({k: v for k, v in result.items() if k != "machine"}, indent=1))
    write_result("api_work", result, None)


if __name__ == "__main__":
    main()
