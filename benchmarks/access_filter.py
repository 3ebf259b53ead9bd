"""What document-level access costs a search: top-10 latency at `--chunks` passages with a group
filter that covers 10 % of the documents, against no filter, in one run; and recall@10 of the
filtered HNSW search against exact search under the same filter.

The index is the one `benchmarks.scale` builds (real Riksdag and Maneno Yetu texts, real vectors
for the first `--real` chunks and perturbed copies of them beyond; payloads as ingestion writes
them), with every document given one of ten groups, `group-0` … `group-9`, by a hash of its id:
a reader of `group-0` may see about a tenth of the documents. The searches go through
`ChunkStore.search` with a `Reader` (the path every API read takes: the reader becomes one
condition on the indexed `access` field), unfiltered (`ALL_DOCUMENTS`) and filtered, query by
query alternately so that both see the same load; query embedding is excluded (vectors made
beforehand, as in `benchmarks.scale`). The truth for recall is the same filter with
`SearchParams(exact=True)`.

    python -m benchmarks.access_filter [--chunks 100000] [--queries 200] [--exact-queries 100]
writes benchmarks/results/access_filter-<chunks>.json.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.perf_common import (
    embed_real, load_average, machine, percentiles, real_chunks, rss_mb, wait_for_low_load, write_result,
)
from benchmarks.scale import build

GROUPS = 10


def group_of(doc_id: str) -> list[str]:
    """A document's one group: `group-<n>`, n from a hash of its id, so about 1 in 10 has each."""
    return [f"group-{int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % GROUPS}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--real", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=200, help="queries timed, each unfiltered and filtered")
    parser.add_argument("--exact-queries", type=int, default=100, help="queries checked against exact search (recall)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--wait-load", type=float, default=1.5)
    parser.add_argument("--max-wait", type=float, default=600)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from benchmarks.ntrex import LANGUAGES
    from benchmarks.query_latency import query_pool
    from index.embedding import Encoder, LanguageCentering
    from index.model import load_encoder
    from service.settings import Settings

    result: dict[str, Any] = {"machine": machine()}
    settings = Settings.from_env()
    base_chunks = real_chunks(min(args.chunks, 200_000), args.seed)
    encoder = Encoder(load_encoder(settings.model, settings.model_cache_dir, backend=settings.encoder_backend),
                      LanguageCentering.for_model(settings.model), batch_size=settings.batch_size)
    real = embed_real(encoder, base_chunks, min(args.real, len(base_chunks)), tag=f"ql{args.seed}")
    pool = query_pool(args.seed)[: args.queries]
    vectors = [encoder.queries([q], [LANGUAGES.get(l, l)])[0].tolist() for q, l in pool]
    del encoder
    gc.collect()

    data_dir = Path(tempfile.mkdtemp(prefix="ahadi-access-"))
    try:
        store = build(store_dir=data_dir, real=real, base_chunks=base_chunks, args=args, result=result,
                      rss_before_store=rss_mb(), access_of=group_of)
        print(json.dumps(result["index"]), flush=True)
        result["search"] = measure(store, vectors, args)
        store.close()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    write_result(f"access_filter-{args.chunks}", result, args.out)


def measure(store, vectors: list[list[float]], args) -> dict[str, Any]:
    import numpy as np

    from index.access import ALL_DOCUMENTS, Reader
    from index.store.base import SearchFilters

    reader = Reader(frozenset({"group-0"}))
    found: dict[str, Any] = {"load_wait": wait_for_low_load(args.wait_load, args.max_wait), "store_ef": store.search_ef()}
    load_before = load_average()[0]
    documents = store.count_documents(ALL_DOCUMENTS)
    found["filter"] = {
        "group": "group-0",
        "documents": store.count_documents(reader), "share_of_documents": round(store.count_documents(reader) / documents, 4),
        "chunks": store.count_chunks(reader), "share_of_chunks": round(store.count_chunks(reader) / store.count_chunks(ALL_DOCUMENTS), 4),
    }
    for who in (ALL_DOCUMENTS, reader):
        store.search(who, vectors[0], limit=10)  # warm-up
    timings: dict[str, list[float]] = {"unfiltered": [], "filtered": []}
    results: dict[str, list[list[str]]] = {"unfiltered": [], "filtered": []}
    for vector in vectors:
        for name, who in (("unfiltered", ALL_DOCUMENTS), ("filtered", reader)):
            started = time.perf_counter()
            hits = store.search(who, vector, limit=10)
            timings[name].append((time.perf_counter() - started) * 1000)
            results[name].append([h.point_id for h in hits])
            if name == "filtered":
                assert all(h.payload["access"] == ["group-0"] for h in hits)
    for name, who in (("unfiltered", ALL_DOCUMENTS), ("filtered", reader)):
        recalls, exact_ms = [], []
        for vector, got in list(zip(vectors, results[name]))[: args.exact_queries]:
            started = time.perf_counter()
            truth = [h.point_id for h in store._query(vector, who.restrict(SearchFilters()), 10, "chunk", exact=True)]
            exact_ms.append((time.perf_counter() - started) * 1000)
            if truth:
                recalls.append(len(set(truth) & set(got)) / len(truth))
        found[name] = {
            "hnsw_ms": percentiles(timings[name]),
            "exact_ms": percentiles(exact_ms),
            "recall@10": round(float(np.mean(recalls)), 4),
            "recall@10_min": round(float(np.min(recalls)), 2),
        }
        print(name, json.dumps(found[name]), flush=True)
    found["load_1m"] = round((load_before + load_average()[0]) / 2, 2)
    return found


if __name__ == "__main__":
    main()
