"""Search latency over 100k real chunks: in-process (bare and full) and through the HTTP API.

The index: `--chunks` real chunks (Riksdag Swedish and Maneno Yetu Swahili documents alternately,
chunked with the pipeline's chunker, with the payload fields the pipeline writes and one document
record per document) in a fresh Qdrant Edge store. The first `--real` chunks are embedded for real
with the model; every other chunk gets a vector made from them,
normalize(real[i] + u·real[j] + 0.03·g), i cycling over the real vectors, j random,
u uniform in [0.2, 1], g Gaussian (cosine 0.75-0.95 to its anchor), so the vectors keep the real ones' distribution and clustering. No
sparse (BM25) vectors are written: the default search mode is dense. Then `EdgeStore.optimize()`
builds the HNSW and payload indexes; its time and the exact (pre-HNSW) search latency are recorded.

Queries: unique real queries (NTREX headlines in 7 languages, both splits, and the topics of
Riksdag interpellation titles), each used once in the whole run, so the Searcher's query-vector
cache never answers.

Measured in one run:
- bare: `Encoder.queries` + `store.search(limit=40)` (what the Searcher fetches for top 10 grouped
  by document), in-process, the query's language given;
- handler: `api.searching.search` in-process: language detection (while the model embeds the query), search, grouping, highlighting,
  the response dict, i.e. the API's work without HTTP;
- api: `GET /v1/search?query=…&top_k=10` against `ahadi serve` (uvicorn, 127.0.0.1, open-access
  mode, rate limit off) at 1, 4 and 16 concurrent clients (threads with one httpx client each, in
  this process, which shares the 2 cores with the server).

    python -m benchmarks.query_latency [--chunks 100000] [--real 2000] [--backend torch|onnx|onnx-int8]
writes benchmarks/results/query_latency[-BACKEND].json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from index.access import ALL_DOCUMENTS


from benchmarks.perf_common import (  # noqa: E402
    RIKSDAG,
    ROOT,
    cpu_seconds,
    dir_size_mb,
    embed_real,
    iter_jsonl,
    load_average,
    machine,
    ntrex_records,
    percentiles,
    real_chunks,
    rss_mb,
    synthetic_vectors,
    upsert_chunks,
    wait_for_low_load,
    write_result,
)


def query_pool(seed: int = 0) -> list[tuple[str, str]]:
    """(query, language): NTREX headlines (7 languages, dev + test) and Riksdag title topics, shuffled."""
    pool: list[tuple[str, str]] = []
    languages = ("eng", "swa", "swe", "bos", "hrv", "srp-Latn", "fas")
    for split in ("dev", "test"):
        pool += [(r["title"], r["lang"]) for r in ntrex_records(split, languages)]
    topic = re.compile(r"\bom (.{12,160})$")
    seen = set(q for q, _ in pool)
    for record in iter_jsonl(RIKSDAG):
        match = topic.search(record.get("title") or "")
        if match and match.group(1) not in seen:
            seen.add(match.group(1))
            pool.append((match.group(1), "sv"))
        if len(pool) >= 3000:
            break
    random.Random(seed).shuffle(pool)
    return pool


def build_index(data_dir: Path, encoder, n_chunks: int, n_real: int, seed: int) -> dict[str, Any]:
    from index.store.edge import EdgeStore

    import numpy as np

    started = time.perf_counter()
    chunks = real_chunks(n_chunks, seed)
    chunk_seconds = time.perf_counter() - started
    started = time.perf_counter()
    real = embed_real(encoder, chunks, min(n_real, len(chunks)), tag=f"ql{seed}")
    embed_seconds = time.perf_counter() - started
    vectors = np.concatenate([real, synthetic_vectors(real, len(chunks) - len(real), seed)]) if len(chunks) > len(real) else real
    store = EdgeStore(data_dir / "index", encoder.dimension)
    written = upsert_chunks(store, chunks, vectors)
    store._shard.flush()  # persist only: EdgeStore.flush() would also optimize, timed apart below
    info = {
        "chunks": len(chunks),
        "documents": written["documents"],
        "real_embedded": len(real),
        "chunking_seconds": round(chunk_seconds, 1),
        "real_embedding_seconds": round(embed_seconds, 1),
        "upsert_seconds": round(written["seconds"], 1),
        "upsert_points_per_s": round((len(chunks) + written["documents"]) / written["seconds"]),
    }
    return {"store": store, "chunks": chunks, "info": info}


def timed(function) -> tuple[Any, float]:
    started = time.perf_counter()
    value = function()
    return value, (time.perf_counter() - started) * 1000


def in_process(app, queries: list[tuple[str, str]], level: str) -> list[float]:
    from api.schemas import SearchRequest
    from api import searching
    from benchmarks.ntrex import LANGUAGES

    latencies = []
    for query, lang in queries:
        if level == "bare":
            language = LANGUAGES.get(lang, lang)
            _, ms = timed(lambda: app.store.search(ALL_DOCUMENTS, app.encoder.queries([query], [language])[0].tolist(), limit=40))
        else:
            _, ms = timed(lambda: searching.search(app, ALL_DOCUMENTS, SearchRequest(query=query, top_k=10)))
        latencies.append(ms)
    return latencies


def exact_latency(store, encoder, queries: list[tuple[str, str]]) -> dict[str, Any]:
    """Search latency before HNSW exists (the store scans every vector), query vectors precomputed."""
    from benchmarks.ntrex import LANGUAGES

    vectors = [encoder.queries([q], [LANGUAGES.get(l, l)])[0].tolist() for q, l in queries]
    return percentiles([timed(lambda v=v: store.search(ALL_DOCUMENTS, v, limit=40))[1] for v in vectors])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, port: int, backend: str | None = None) -> subprocess.Popen:
    """`ahadi serve` from this checkout (`python -m` from its root, not the installed script, which
    may point at another checkout), open access, rate limit off; `backend` overrides the encoder's."""
    env = {
        **os.environ,
        "AHADI_OPEN_ACCESS": "1",
        "AHADI_RATE_LIMIT": "0",
        "HAYSTACK_TELEMETRY_ENABLED": "False",
        **({"AHADI_ENCODER_BACKEND": backend} if backend else {}),
    }
    command = [sys.executable, "-m", "ahadi.cli", "--data-dir", str(data_dir), "serve", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, start_new_session=True)


def wait_ready(base: str, server: subprocess.Popen, timeout: float = 300) -> float:
    import httpx

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited: {server.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{base}/v1/ready", timeout=2).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError("the server did not become ready")


def load_test(base: str, queries: list[tuple[str, str]], clients: int, server_pid: int | None = None) -> dict[str, Any]:
    """`clients` threads, each with its own connection, sending the queries one at a time.
    With `server_pid`, also the CPU the server and this client used per request, and how many
    cores were busy on average."""
    import httpx

    lock = threading.Lock()
    pending = iter(queries)
    latencies: list[float] = []
    errors: dict[str, int] = {}

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while True:
                with lock:
                    item = next(pending, None)
                if item is None:
                    return
                started = time.perf_counter()
                try:
                    response = client.get("/v1/search", params={"query": item[0], "top_k": 10})
                    ms = (time.perf_counter() - started) * 1000
                    if response.status_code == 200:
                        latencies.append(ms)
                    else:
                        errors[str(response.status_code)] = errors.get(str(response.status_code), 0) + 1
                except httpx.HTTPError as error:
                    errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1

    load_before = load_average()[0]
    cpu_before = (cpu_seconds(server_pid), cpu_seconds()) if server_pid else None
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for _ in range(clients):
            pool.submit(worker)
    wall = time.perf_counter() - started
    cpu = {}
    if cpu_before:
        server_cpu, client_cpu = cpu_seconds(server_pid) - cpu_before[0], cpu_seconds() - cpu_before[1]
        cpu = {
            "server_cpu_ms_per_request": round(server_cpu / max(len(latencies), 1) * 1000, 1),
            "client_cpu_ms_per_request": round(client_cpu / max(len(latencies), 1) * 1000, 1),
            "cores_busy": round((server_cpu + client_cpu) / wall, 2),
        }
    return {
        "clients": clients,
        "requests": len(queries),
        "latency_ms": percentiles(latencies),
        "throughput_rps": round(len(latencies) / wall, 2),
        "errors": errors,
        "wall_s": round(wall, 1),
        "load_1m": round((load_before + load_average()[0]) / 2, 2),
        **cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--real", type=int, default=2000, help="chunks embedded for real (cached in $TMPDIR/ahadi-bench-cache)")
    parser.add_argument("--backend", choices=("torch", "onnx", "onnx-int8"), default=None)
    parser.add_argument("--bare", type=int, default=200, help="in-process queries (bare and handler, each)")
    parser.add_argument("--requests", default="1:200,4:300,16:480", help="clients:requests pairs for the API")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", type=Path, help="build the index here (kept); default a temp folder (removed)")
    parser.add_argument("--reuse", action="store_true", help="reuse the index already built in --data-dir (with the same --chunks)")
    parser.add_argument("--wait-load", type=float, default=1.5)
    parser.add_argument("--max-wait", type=float, default=600)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from service.settings import Settings
    from service.facade import Ahadi
    from index.embedding import Encoder, LanguageCentering
    from index.model import load_encoder

    settings = Settings.from_env()
    backend = args.backend or settings.encoder_backend
    encoder = Encoder(load_encoder(settings.model, settings.model_cache_dir, backend=backend),
                      LanguageCentering.for_model(settings.model), batch_size=settings.batch_size)
    plan = [tuple(int(x) for x in pair.split(":")) for pair in args.requests.split(",")]
    queries = query_pool(args.seed)
    needed = 2 * args.bare + 40 + 30 + sum(n for _, n in plan)
    if len(queries) < needed:
        raise SystemExit(f"only {len(queries)} unique queries for {needed} requests")
    take = iter(queries)

    def next_queries(n: int) -> list[tuple[str, str]]:
        return [next(take) for _ in range(n)]

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="ahadi-query-latency-"))
    result: dict[str, Any] = {"machine": machine(), "backend": backend}
    try:
        if args.reuse and (data_dir / "index").exists():
            from index.store.edge import EdgeStore

            store = EdgeStore(data_dir / "index", encoder.dimension)
            previous = json.loads((data_dir / "bench-index.json").read_text()) if (data_dir / "bench-index.json").exists() else {}
            result["index"] = {**previous, "reused": str(data_dir)}
            next_queries(30)
            optimize_ms = 0.0
        else:
            built = build_index(data_dir, encoder, args.chunks, args.real, args.seed)
            store = built["store"]
            result["index"] = built["info"]
            result["index"]["vectors"] = f"first {built['info']['real_embedded']} chunks embedded for real; the rest normalize(real[i] + u*real[j] + 0.03*gaussian), u ~ U(0.2, 1)"
            result["exact_search_before_optimize_ms"] = exact_latency(store, encoder, next_queries(30))
            _, optimize_ms = timed(store.optimize)
        store._shard.flush()
        shard_info = store._shard.info()
        result["index"].update({
            "optimize_seconds": round(optimize_ms / 1000, 1) if optimize_ms else result["index"].get("optimize_seconds"),
            "segments": shard_info.segments_count,
            "points": shard_info.points_count,
            "indexed_vectors": shard_info.indexed_vectors_count,
            "disk_mb": round(dir_size_mb(data_dir / "index")),
            "builder_rss_mb": round(rss_mb()),
        })
        (data_dir / "bench-index.json").write_text(json.dumps(result["index"]))
        print(json.dumps(result["index"]), flush=True)

        result["load_wait"] = wait_for_low_load(args.wait_load, args.max_wait)
        app = Ahadi(Settings.from_env(data_dir=data_dir), encoder=encoder, store=store)
        in_process(app, next_queries(10), "bare")
        in_process(app, next_queries(10), "handler")
        load_before = load_average()[0]
        bare = in_process(app, next_queries(args.bare), "bare")
        handler = in_process(app, next_queries(args.bare), "handler")
        result["in_process"] = {
            "bare_ms": percentiles(bare),
            "handler_ms": percentiles(handler),
            "load_1m": round((load_before + load_average()[0]) / 2, 2),
        }
        print(json.dumps(result["in_process"]), flush=True)
        app.close()

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(data_dir, port, backend)
        try:
            result["server_ready_seconds"] = round(wait_ready(base, server), 1)
            load_test(base, next_queries(20), 2)  # warm-up: connections, first requests
            result["api"] = []
            for clients, n in plan:
                row = load_test(base, next_queries(n), clients, server.pid)
                result["api"].append(row)
                print(json.dumps(row), flush=True)
            result["server_rss_mb"] = round(rss_mb(server.pid))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        one = next((row for row in result["api"] if row["clients"] == 1), None)
        if one:
            bare_p50 = result["in_process"]["bare_ms"]["p50"]
            result["api_overhead_vs_bare"] = {
                "p50_ratio": round(one["latency_ms"]["p50"] / bare_p50 - 1, 3),
                "mean_ratio": round(one["latency_ms"]["mean"] / result["in_process"]["bare_ms"]["mean"] - 1, 3),
                "handler_p50_ratio": round(result["in_process"]["handler_ms"]["p50"] / bare_p50 - 1, 3),
            }
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    result["load_1m_at_end"] = round(load_average()[0], 2)
    write_result("query_latency" if backend == "torch" else f"query_latency-{backend}", result, args.out)


if __name__ == "__main__":
    main()
