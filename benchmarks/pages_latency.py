"""The search page against `GET /v1/search` for the same kind of query, on the benchmark index.

The index is `query_latency`'s (`--chunks` chunks of real Riksdag and Maneno Yetu text, 2000 of
them embedded for real, the rest near them; see that module), built once into `--data-dir` and
reused with `--reuse`. `ahadi serve` runs it (open access, rate limit off) and `--clients` threads
send requests, each thread alternating a page (`GET /search?q=…`: the search, the filter counts,
the rendered HTML) and an API search (`GET /v1/search?query=…&top_k=10`), so both kinds meet the
same load. Every query is a different real query (NTREX headlines, Riksdag topics), so the query
vector cache never answers; pages and API draw alternately from one shuffled pool.

The time reported is each request's latency as the client sees it, over a kept-alive connection
on 127.0.0.1: the server's time plus a loopback round trip, the same for both kinds except that a
page is a larger body (about 15 KB of HTML against 8 KB of JSON).

    python -m benchmarks.pages_latency --data-dir /tmp/ahadi-bench-100k [--reuse] [--clients 1:200,4:400]
writes benchmarks/results/pages_latency.json.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.perf_common import load_average, machine, percentiles, wait_for_low_load, write_result
from benchmarks.query_latency import build_index, free_port, query_pool, start_server, wait_ready


def run(base: str, queries: list[str], clients: int) -> dict[str, Any]:
    """`clients` threads, each alternating page and API requests: the latencies of each kind."""
    import httpx

    lock = threading.Lock()
    pending = iter(enumerate(queries))
    latency_ms: dict[str, list[float]] = {"page": [], "api": []}
    errors: list[str] = []

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while True:
                with lock:
                    item = next(pending, None)
                if item is None:
                    return
                number, query = item
                kind = "page" if number % 2 == 0 else "api"
                url, params = ("/search", {"q": query}) if kind == "page" else ("/v1/search", {"query": query, "top_k": 10})
                started = time.perf_counter()
                response = client.get(url, params=params)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    errors.append(f"{kind} {response.status_code}")
                    continue
                latency_ms[kind].append(elapsed)

    load_before = load_average()[0]
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for _ in range(clients):
            pool.submit(worker)
    return {"latency_ms": latency_ms, "errors": errors, "wall_s": round(time.perf_counter() - started, 1),
            "load_1m": round((load_before + load_average()[0]) / 2, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True, help="where the benchmark index is built (and kept)")
    parser.add_argument("--reuse", action="store_true", help="reuse the index already in --data-dir")
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--real", type=int, default=2000)
    parser.add_argument("--clients", default="1:200,4:400", help="clients:requests pairs (half pages, half API)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--wait-load", type=float, default=1.5)
    parser.add_argument("--max-wait", type=float, default=300)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from service.settings import Settings

    result: dict[str, Any] = {"machine": machine(), "backend": Settings.from_env().encoder_backend}
    if not (args.reuse and (args.data_dir / "index").exists()):
        from index.embedding import Encoder, LanguageCentering
        from index.model import load_encoder

        settings = Settings.from_env()
        encoder = Encoder(load_encoder(settings.model, settings.model_cache_dir, backend=settings.encoder_backend),
                          LanguageCentering.for_model(settings.model), batch_size=settings.batch_size)
        built = build_index(args.data_dir, encoder, args.chunks, args.real, seed=0)  # query_latency's index (and its cached embeddings)
        built["store"].optimize()
        built["store"].close()
        (args.data_dir / "bench-index.json").write_text(json.dumps(built["info"]))
    result["index"] = json.loads((args.data_dir / "bench-index.json").read_text())

    plan = [tuple(int(x) for x in pair.split(":")) for pair in args.clients.split(",")]
    pool = iter(query for query, _ in query_pool(args.seed))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(args.data_dir, port)
    try:
        result["server_ready_seconds"] = round(wait_ready(base, server), 1)
        run(base, [next(pool) for _ in range(40)], 2)  # warm-up: connections, templates, first requests
        result["load_wait"] = wait_for_low_load(args.wait_load, args.max_wait)
        rows = [(clients, run(base, [next(pool) for _ in range(n)], clients)) for clients, n in plan]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    result["runs"] = []
    for clients, row in rows:
        entry: dict[str, Any] = {"clients": clients, "wall_s": row["wall_s"], "load_1m": row["load_1m"], "errors": row["errors"]}
        for kind in ("page", "api"):
            if not row["latency_ms"][kind]:
                raise SystemExit(f"no {kind} request succeeded: {row['errors'][:5]}")
            entry[f"{kind}_ms"] = percentiles(row["latency_ms"][kind])
        entry["page_over_api"] = {stat: round(entry["page_ms"][stat] / entry["api_ms"][stat] - 1, 3) for stat in ("p50", "p95", "mean")}
        result["runs"].append(entry)
        print(json.dumps(entry), flush=True)
    write_result("pages_latency", result, args.out)


if __name__ == "__main__":
    main()
