"""The embedded store at scale: build time, disk, memory, search latency and HNSW recall.

The index: `--chunks` chunk points with realistic payloads, as the pipeline writes them (document
metadata copied onto each chunk, the chunk text, offsets, kind/state/version, one document
record per document). Texts: real Riksdag (Swedish) and Maneno Yetu (Swahili) chunks, chunked with
the pipeline's chunker; the ~117k real chunks are reused with new document ids (`<id>-c<k>`)
beyond that. Vectors: the first `--real` chunks embedded for real (cached between runs in
$TMPDIR/ahadi-bench-cache), every other one normalize(real[i] + u·real[j] + 0.03·g) (i cycling,
j random, u uniform in [0.2, 1], g Gaussian; cosine 0.75-0.95 to its anchor), a fresh draw for every copy.

Measured: upsert time (each document through the pipeline's writer, `store.write_document`), `optimize()` time (HNSW +
payload indexes), disk, RSS of this process (the model is loaded only to embed the real chunks and
the queries, before the store is built, and its share is reported apart), then for real queries
(NTREX headlines and Riksdag title topics, embedded beforehand: the latencies exclude query
embedding) top-10 search latency with HNSW and recall@10 against exact search
(`SearchParams(exact=True)`), unfiltered and with a language, a country and a region filter.

`--ef` lists the candidate lists measured: numbers, `store` (the store's own: `auto_hnsw_ef` of
its passages unless AHADI_HNSW_EF is set; the value is recorded as `store_ef`) and `qdrant`
(Qdrant's default); `+acorn` after one (`store+acorn`) also turns on Qdrant's ACORN traversal
for the filtered searches. `--data-dir D --reuse` measures an index built before in D.

    python -m benchmarks.scale [--chunks 1000000] [--queries 200] [--exact-queries 100] [--ef store,1024]
writes benchmarks/results/scale-<chunks>.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from index.access import ALL_DOCUMENTS
from benchmarks.perf_common import (  # noqa: E402
    dir_size_mb,
    embed_real,
    load_average,
    machine,
    peak_rss_mb,
    percentiles,
    real_chunks,
    rss_mb,
    synthetic_vectors,
    upsert_chunks,
    wait_for_low_load,
    write_result,
)

FILTERS = {
    "none": {},
    "language=sw": {"languages": ["sw"]},
    "country=SE": {"countries": ["SE"]},
    "region=Gotland": {"regions": ["Gotland"]},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, default=1_000_000)
    parser.add_argument("--real", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=200, help="queries timed per filter")
    parser.add_argument("--exact-queries", type=int, default=100, help="queries checked against exact search (recall)")
    parser.add_argument("--ef", default="qdrant,128,store,512",
                        help="search-time HNSW ef values to measure ('store': EdgeStore's default, 256; 'qdrant': Qdrant's own)")
    parser.add_argument("--backend", choices=("torch", "onnx", "onnx-int8"), default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", type=Path, help="build here and keep it; default a temp folder, removed")
    parser.add_argument("--reuse", action="store_true", help="measure the index already built in --data-dir (same --chunks) instead of building")
    parser.add_argument("--wait-load", type=float, default=1.5)
    parser.add_argument("--max-wait", type=float, default=600)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from service.settings import Settings
    from benchmarks.ntrex import LANGUAGES
    from benchmarks.query_latency import query_pool
    from index.embedding import Encoder, LanguageCentering
    from index.model import load_encoder
    from index.store.edge import EdgeStore

    result: dict[str, Any] = {"machine": machine(), "rss_mb_at_start": round(rss_mb())}
    settings = Settings.from_env()
    backend = args.backend or settings.encoder_backend
    base_chunks = real_chunks(min(args.chunks, 200_000), args.seed)
    encoder = Encoder(load_encoder(settings.model, settings.model_cache_dir, backend=backend),
                      LanguageCentering.for_model(settings.model), batch_size=settings.batch_size)
    real = embed_real(encoder, base_chunks, min(args.real, len(base_chunks)), tag=f"ql{args.seed}")
    pool = query_pool(args.seed)[: args.queries]
    query_vectors = [encoder.queries([q], [LANGUAGES.get(l, l)])[0].tolist() for q, l in pool]
    del encoder
    gc.collect()
    rss_before_store = rss_mb()
    result["rss_mb_with_model_before_store"] = round(rss_before_store)

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="ahadi-scale-"))
    try:
        if args.reuse and (data_dir / "index").exists():
            store = EdgeStore(data_dir / "index", len(real[0]))
            saved = data_dir / "bench-index.json"
            result["index"] = {**(json.loads(saved.read_text()) if saved.exists() else {}), "reused": str(data_dir)}
        else:
            store = build(store_dir=data_dir, real=real, base_chunks=base_chunks, args=args, result=result, rss_before_store=rss_before_store)
        print(json.dumps(result["index"]), flush=True)
        result["search"] = search(store, query_vectors, args)
        result["load_wait"] = result["search"].pop("load_wait")
        result["search_load_1m"] = result["search"].pop("load_1m")
        result["store_ef"] = result["search"].pop("store_ef")
        result["rss_mb_after_search"] = round(rss_mb())
        result["peak_rss_mb"] = round(peak_rss_mb())
        started = time.perf_counter()
        store.close()
        reopened = EdgeStore(data_dir / "index", len(real[0]))
        result["reopen_seconds"] = round(time.perf_counter() - started, 1)
        reopened.close()
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    result["load_1m_at_end"] = round(load_average()[0], 2)
    write_result(f"scale-{args.chunks}", result, args.out)


def build(store_dir: Path, real, base_chunks, args, result: dict[str, Any], rss_before_store: float, access_of=None):
    """Upsert `args.chunks` chunks (real texts reused, vectors real or perturbed), then optimize.
    `access_of(doc_id)`: each document's groups (`upsert_chunks`)."""
    from index.store.edge import EdgeStore

    store = EdgeStore(store_dir / "index", len(real[0]))
    started = time.perf_counter()
    written, documents, copy = 0, 0, 0
    while written < args.chunks:
        part = base_chunks[: args.chunks - written]
        vectors = synthetic_vectors(real, len(part), seed=args.seed + 1 + copy)
        if copy == 0:
            vectors[: len(real)] = real[: len(part)]
        documents += upsert_chunks(store, part, vectors, copy=copy, access_of=access_of)["documents"]
        written += len(part)
        copy += 1
        print(f"upserted {written} chunks, {time.perf_counter() - started:.0f} s, RSS {rss_mb():.0f} MB", flush=True)
    store._shard.flush()  # persist only: EdgeStore.flush() would also optimize, timed apart below
    upsert_seconds = time.perf_counter() - started
    rss_after_upsert = rss_mb()
    started = time.perf_counter()
    store.optimize()
    store._shard.flush()
    optimize_seconds = time.perf_counter() - started
    info = store._shard.info()
    result["index"] = {
        "chunks": written,
        "documents": documents,
        "points": info.points_count,
        "segments": info.segments_count,
        "indexed_vectors": info.indexed_vectors_count,
        "texts": f"{len(base_chunks)} real chunks, reused {copy} time(s) with new document ids",
        "vectors": f"{len(real)} real; the rest normalize(real[i] + u*real[j] + 0.03*gaussian), u ~ U(0.2, 1)",
        "upsert_seconds": round(upsert_seconds, 1),
        "upsert_points_per_s": round((written + documents) / upsert_seconds),
        "optimize_seconds": round(optimize_seconds, 1),
        "build_seconds": round(upsert_seconds + optimize_seconds, 1),
        "disk_mb": round(dir_size_mb(store_dir / "index")),
        "rss_mb_after_upsert": round(rss_after_upsert),
        "rss_mb_after_optimize": round(rss_mb()),
        "store_rss_mb_estimate": round(rss_mb() - rss_before_store),
        "peak_rss_mb": round(peak_rss_mb()),
    }
    (store_dir / "bench-index.json").write_text(json.dumps(result["index"]))
    return store


def search(store, query_vectors: list[list[float]], args) -> dict[str, Any]:
    """Per filter: exact search (the truth), then HNSW at each `--ef`: latency and recall@10."""
    import numpy as np

    from index.store.base import SearchFilters

    found: dict[str, Any] = {"load_wait": wait_for_low_load(args.wait_load, args.max_wait), "store_ef": store.search_ef()}
    load_before = load_average()[0]
    for name, spec in FILTERS.items():
        filters = SearchFilters(**spec)
        store._query(query_vectors[0], filters, 10, "chunk")  # warm-up
        exact_ms, truths = [], []
        for vector in query_vectors[: args.exact_queries]:
            t = time.perf_counter()
            truths.append([h.point_id for h in store._query(vector, filters, 10, "chunk", exact=True)])
            exact_ms.append((time.perf_counter() - t) * 1000)
        row: dict[str, Any] = {"matching_chunks": store.count_chunks(ALL_DOCUMENTS, filters), "exact_ms": percentiles(exact_ms)}
        for ef in [e.strip() for e in args.ef.split(",")]:
            candidates, acorn = ef.removesuffix("+acorn"), ef.endswith("+acorn")
            hnsw_ef = {"store": None, "qdrant": 0}.get(candidates) if candidates in ("store", "qdrant") else int(candidates)
            latencies, recalls = [], []
            for i, vector in enumerate(query_vectors):
                t = time.perf_counter()
                hits = store._query(vector, filters, 10, "chunk", hnsw_ef=hnsw_ef, acorn=acorn)
                latencies.append((time.perf_counter() - t) * 1000)
                if i < len(truths) and truths[i]:
                    recalls.append(len(set(truths[i]) & {h.point_id for h in hits}) / len(truths[i]))
            row[f"ef={ef}"] = {
                "hnsw_ms": percentiles(latencies),
                "recall@10": round(float(np.mean(recalls)), 4) if recalls else None,
                "recall@10_min": round(float(np.min(recalls)), 2) if recalls else None,
            }
        found[name] = row
        print(name, json.dumps(row), flush=True)
    found["load_1m"] = round((load_before + load_average()[0]) / 2, 2)
    return found


if __name__ == "__main__":
    main()
