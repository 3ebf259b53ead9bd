"""How fast can multilingual-e5-small embed passages on this CPU, and what does each speed-up cost?

Variants (all on the CPU; vectors normalised as Ahadi stores them):
- torch-fp32: sentence-transformers as Ahadi loads it (the reference), batch 8 (Ahadi's
  default), all cores; also other batch sizes and 1 thread;
- torch-int8: torch dynamic int8 quantisation of every nn.Linear (fbgemm);
- onnx-fp32: the same weights exported to ONNX, BERT kernels fused by onnxruntime, run by
  ONNX Runtime (`AHADI_ENCODER_BACKEND=onnx`), one text per run as Ahadi runs it;
- onnx-int8: that graph with dynamic int8 weights for the matrix products, the embedding table
  kept in fp32 (`AHADI_ENCODER_BACKEND=onnx-int8`, the default); also 1 thread and spinning pool threads;
- onnx-int8-embeddings: int8 for the embedding table too (smaller, not faster).

Speed: passages/s over real chunks (Riksdag Swedish + Maneno Yetu Swahili, cleaned and chunked
exactly as the pipeline does), wall clock and CPU seconds per passage (the latter is less
sensitive to other processes on a shared machine). Each variant is warmed up first.

Quality: nDCG@10 on NTREX **dev**, mixed pool (all five languages in one pool, a headline is
the query, the article's five language versions are relevant), whole documents (truncated at
512 tokens) and chunked documents (a document scores its best chunk), plain and with
Ahadi's per-language centering, computed with numpy on the vectors.

    python -m benchmarks.encoding [--passages 128] [--quick] [--part speed|quality|both]
writes benchmarks/results/encoding.json (speed) and encoding_quality.json (nDCG@10).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any, Callable


import numpy as np  # noqa: E402

from benchmarks.perf_common import (  # noqa: E402
    RESULTS,
    RIKSDAG,
    SWAHILI,
    cpu_seconds,
    load_average,
    machine,
    ntrex_records,
    sample_jsonl,
    swahili_id,
    wait_for_low_load,
    write_result,
)


def speed_texts(n: int, seed: int = 0) -> list[str]:
    """`n` real passages: half Riksdag, half Swahili documents, cleaned and chunked as the pipeline does."""
    from ingest.chunking import chunk_spans
    from ingest.cleaning import BoilerplateCleaner

    cleaner = BoilerplateCleaner()
    per_corpus: list[list[str]] = []
    for path, id_map in ((RIKSDAG, str), (SWAHILI, swahili_id)):
        texts: list[str] = []
        for record in sample_jsonl(path, max(8, n // 2), seed=seed, id_map=id_map):
            text = cleaner.clean_text(record["text"]).text
            texts += [text[s:e] for s, e in chunk_spans(text)]
            if len(texts) >= n - n // 2:
                break
        per_corpus.append(texts)
    return per_corpus[0][: n - n // 2] + per_corpus[1][: n // 2]


def measure(encode: Callable[[list[str]], np.ndarray], texts: list[str], repeats: int = 1) -> dict[str, Any]:
    encode(texts[:8])  # warm-up: first-call allocations, kernels chosen
    best = None
    for _ in range(repeats):
        load_before = load_average()[0]
        wall, cpu = time.perf_counter(), cpu_seconds()
        vectors = encode(texts)
        wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
        row = {
            "passages_per_s": round(len(texts) / wall, 2),
            "wall_s": round(wall, 2),
            "cpu_s_per_passage": round(cpu / len(texts), 4),
            "load_1m": round((load_before + load_average()[0]) / 2, 2),
        }
        if best is None or row["passages_per_s"] > best[0]["passages_per_s"]:
            best = (row, vectors)
    return {"row": best[0], "vectors": best[1]}


# ------------------------------------------------------------------------------------ quality
def ndcg_mixed_pool(doc_vectors: np.ndarray, doc_owner: np.ndarray, n_docs: int, doc_article: np.ndarray,
                    query_vectors: np.ndarray, query_article: np.ndarray) -> float:
    """Mean nDCG@10; a document's score is the best of its vectors (`doc_owner` maps vector → document)."""
    scores = query_vectors @ doc_vectors.T  # queries × vectors
    per_doc = np.full((len(query_vectors), n_docs), -np.inf, dtype=np.float32)
    for doc in range(n_docs):
        per_doc[:, doc] = scores[:, doc_owner == doc].max(axis=1)
    top = np.argsort(-per_doc, axis=1, kind="stable")[:, :10]
    gains = 1.0 / np.log2(np.arange(2, 12))
    ndcg = []
    for q in range(len(query_vectors)):
        relevant = doc_article == query_article[q]
        dcg = float((relevant[top[q]] * gains).sum())
        ideal = float(gains[: min(int(relevant.sum()), 10)].sum())
        ndcg.append(dcg / ideal)
    return float(np.mean(ndcg))


class Quality:
    """NTREX dev texts, encoded once per variant, scored four ways."""

    def __init__(self) -> None:
        from index.embedding import LanguageCentering
        from ingest.chunking import chunk_spans

        records = ntrex_records("dev")
        self.centering = LanguageCentering.for_model("multilingual-e5-small")
        self.doc_texts = [r["text"] for r in records]
        self.doc_langs = [r["lang"] for r in records]
        articles = sorted({r["doc_id"] for r in records})
        self.doc_article = np.array([articles.index(r["doc_id"]) for r in records])
        self.chunk_texts, owner = [], []
        for i, record in enumerate(records):
            for s, e in chunk_spans(record["text"]):
                self.chunk_texts.append(record["text"][s:e])
                owner.append(i)
        self.chunk_owner = np.array(owner)
        self.chunk_langs = [self.doc_langs[i] for i in owner]
        self.query_texts = [r["title"] for r in records]
        self.query_langs = self.doc_langs
        self.query_article = self.doc_article

    def describe(self) -> dict[str, Any]:
        return {"documents": len(self.doc_texts), "chunks": len(self.chunk_texts), "queries": len(self.query_texts),
                "languages": sorted(set(self.doc_langs)), "split": "dev"}

    def score(self, passages: Callable[[list[str]], np.ndarray], queries: Callable[[list[str]], np.ndarray]) -> dict[str, Any]:
        started = time.perf_counter()
        whole, chunks, query = passages(self.doc_texts), passages(self.chunk_texts), queries(self.query_texts)
        result: dict[str, Any] = {}
        n = len(self.doc_texts)
        for centered in (False, True):
            q = self.centering.apply(query, "query", self.query_langs) if centered else query
            w = self.centering.apply(whole, "passage", self.doc_langs) if centered else whole
            c = self.centering.apply(chunks, "passage", self.chunk_langs) if centered else chunks
            tag = "centered" if centered else "plain"
            result[f"whole_{tag}"] = round(ndcg_mixed_pool(w, np.arange(n), n, self.doc_article, q, self.query_article), 4)
            result[f"chunked_{tag}"] = round(ndcg_mixed_pool(c, self.chunk_owner, n, self.doc_article, q, self.query_article), 4)
        result["seconds"] = round(time.perf_counter() - started, 1)
        return result


# ------------------------------------------------------------------------------------ variants
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=128, help="real passages timed per variant")
    parser.add_argument("--repeats", type=int, default=1, help="timed runs per variant (the best is kept)")
    parser.add_argument("--quick", action="store_true", help="only the main variants, no batch-size/thread sweep")
    parser.add_argument("--part", choices=("speed", "quality", "both"), default="both",
                        help="speed → results/encoding.json; quality → results/encoding_quality.json (quality does not depend on load)")
    parser.add_argument("--quality-variants", default="torch-fp32,torch-int8,onnx-fp32,onnx-int8,onnx-int8-embeddings")
    parser.add_argument("--wait-load", type=float, default=1.5, help="wait until the 1-min load is below this")
    parser.add_argument("--max-wait", type=float, default=600)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    import torch

    from service.settings import Settings
    from index.onnx import OnnxSentenceEncoder
    from index.model import load_encoder, prepare_builtin_model

    settings = Settings.from_env()
    folder = prepare_builtin_model(settings.model_cache_dir)
    cores = len(os.sched_getaffinity(0))
    st = load_encoder(settings.model, settings.model_cache_dir, backend="torch")
    onnx = OnnxSentenceEncoder(folder, "onnx")
    onnx_int8 = OnnxSentenceEncoder(folder, "onnx-int8")
    onnx_all = _all_int8(folder, onnx.model_path)
    torch_int8 = torch.ao.quantization.quantize_dynamic(st, {torch.nn.Linear}, dtype=torch.qint8)
    texts = speed_texts(args.passages)
    tokens = [len(ids) for ids in st.tokenizer(["passage: " + t for t in texts], truncation=True, max_length=512)["input_ids"]]

    def st_encode(model, batch=1, prompt="passage"):
        return lambda xs: model.encode(xs, prompt_name=prompt, normalize_embeddings=True, batch_size=batch, convert_to_numpy=True)

    def with_threads(n, encode):
        def run(xs):
            previous = torch.get_num_threads()
            torch.set_num_threads(n)
            try:
                return encode(xs)
            finally:
                torch.set_num_threads(previous)
        return run

    # ONNX Runtime runs one text at a time (`OnnxSentenceEncoder.encode`): it has no batch size;
    # by default `cores` single-threaded runs go at once ("parallel runs").
    variants: list[tuple[str, dict[str, Any], Callable, Any]] = [
        ("torch-fp32", {"backend": "torch", "batch": 8, "threads": cores}, st_encode(st, 8), st),
        ("torch-int8", {"backend": "torch dynamic int8 (nn.Linear)", "batch": 8, "threads": cores}, st_encode(torch_int8, 8), torch_int8),
        ("onnx-fp32", {"backend": "onnxruntime, fused BERT", "batch": 1, "parallel_runs": cores, "threads": 1}, st_encode(onnx), onnx),
        ("onnx-int8", {"backend": "onnxruntime, dynamic int8 matmuls, fp32 embeddings", "batch": 1, "parallel_runs": cores, "threads": 1}, st_encode(onnx_int8), onnx_int8),
        ("onnx-int8-embeddings", {"backend": "onnxruntime, dynamic int8 incl. the embedding table", "batch": 1, "parallel_runs": cores, "threads": 1}, st_encode(onnx_all), onnx_all),
    ]
    if not args.quick:
        for batch in (1, 16, 32, 64):
            variants.append((f"torch-fp32-b{batch}", {"backend": "torch", "batch": batch, "threads": cores}, st_encode(st, batch), None))
        variants.append(("torch-fp32-1thread", {"backend": "torch", "batch": 8, "threads": 1}, with_threads(1, st_encode(st, 8)), None))
        onnx_one = OnnxSentenceEncoder(folder, "onnx-int8", runs=1, threads_per_run=cores)
        variants.append(("onnx-int8-one-run", {"backend": "onnx-int8, one run at a time on all cores (session 2)", "batch": 1, "parallel_runs": 1, "threads": cores}, st_encode(onnx_one), None))
        onnx_spin = OnnxSentenceEncoder(folder, "onnx-int8", runs=1, threads_per_run=cores, spinning=True)
        variants.append(("onnx-int8-one-run-spinning", {"backend": "onnx-int8, one run at a time, pool threads spin", "batch": 1, "parallel_runs": 1, "threads": cores}, st_encode(onnx_spin), None))
        onnx_1 = OnnxSentenceEncoder(folder, "onnx-int8", runs=1, threads_per_run=1)
        variants.append(("onnx-int8-1thread", {"backend": "onnx-int8, one run at a time on 1 thread", "batch": 1, "parallel_runs": 1, "threads": 1}, st_encode(onnx_1), None))

    if args.part in ("speed", "both"):
        load_wait = wait_for_low_load(args.wait_load, args.max_wait)
        result: dict[str, Any] = {
            "machine": machine(),
            "load_wait": load_wait,
            "speed_set": {"passages": len(texts), "mean_tokens": round(float(np.mean(tokens)), 1), "max_tokens": max(tokens),
                          "source": "Riksdag sv + Maneno Yetu sw, cleaned and chunked as ingested"},
            "variants": {},
        }
        reference = None
        for name, config, encode, _ in variants:
            measured = measure(encode, texts, args.repeats)
            row = {**config, **measured["row"]}
            if reference is None:
                reference = measured["vectors"]
            cosine = (measured["vectors"] * reference).sum(axis=1)
            row["cosine_to_torch_fp32"] = {"min": round(float(cosine.min()), 5), "mean": round(float(cosine.mean()), 5)}
            base = result["variants"].get("torch-fp32")
            row["speedup_vs_torch_fp32"] = round(row["passages_per_s"] / base["passages_per_s"], 2) if base else 1.0
            result["variants"][name] = row
            print(name, row, flush=True)
        result["load_1m_at_end"] = round(load_average()[0], 2)
        write_result("encoding", result, args.out)

    if args.part in ("quality", "both"):
        wanted = [name.strip() for name in args.quality_variants.split(",") if name.strip()]
        quality = Quality()
        scores: dict[str, Any] = {}
        for name, config, _, model in variants:
            if model is None or name not in wanted:
                continue
            scores[name] = {**config, **quality.score(st_encode(model), st_encode(model, prompt="query"))}
            print(name, scores[name], flush=True)
        out = args.out.with_name(args.out.stem + "_quality.json") if args.out else RESULTS / "encoding_quality.json"
        # Variants measured by earlier runs are kept (quality does not depend on load or on the run).
        previous = json.loads(out.read_text()).get("ndcg@10", {}) if out.exists() else {}
        stamp = time.strftime("%Y-%m-%d %H:%M")
        scores = {**previous, **{name: {**row, "measured_at": stamp} for name, row in scores.items()}}
        if "torch-fp32" in scores:
            base = scores["torch-fp32"]
            for row in scores.values():
                row["delta_vs_torch_fp32"] = {k: round(row[k] - base[k], 4) for k in ("whole_plain", "chunked_plain", "whole_centered", "chunked_centered")}
        write_result("encoding_quality", {"machine": machine(), "quality_set": quality.describe(), "ndcg@10": scores}, out)


def _all_int8(folder: Path, fp32_path: Path):
    """An onnx-int8 variant that quantises the embedding table too (benchmark only)."""
    import onnx
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from index.onnx import OnnxSentenceEncoder

    path = fp32_path.with_name("model-int8-embeddings.onnx")
    if not path.exists():
        quantize_dynamic(str(fp32_path), str(path), weight_type=QuantType.QInt8, per_channel=True,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    encoder = OnnxSentenceEncoder(folder, "onnx")  # its settings, this file's weights
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    encoder.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return encoder


if __name__ == "__main__":
    main()
