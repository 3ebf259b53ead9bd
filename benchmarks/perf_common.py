"""Shared helpers of the performance benchmarks (ingest_speed, encoding, query_latency, scale).

The data is read in place from ../shared/data (never copied into the repo); samples are drawn
with a fixed seed so two runs measure the same texts. Results are JSON files under
benchmarks/results/, each with the machine and the load average it was measured under.
"""

from __future__ import annotations

import resource

import gzip
import json
import os
import platform
import random
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator


ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SHARED = ROOT.parent / "shared" / "data"
RIKSDAG = SHARED / "scale" / "riksdag_interpellations_sv.jsonl.gz"
SWAHILI = SHARED / "scale" / "maneno_yetu_sw_20k.jsonl.gz"
NTREX = SHARED / "ntrex" / "ntrex_docs.jsonl.gz"


def swahili_id(raw: str) -> str:
    """Maneno Yetu ids contain '#', which Ahadi reserves for chunk ids: '#' → '-'."""
    return raw.replace("#", "-")


def sample_jsonl(path: Path, n: int | None, seed: int = 0, id_map: Callable[[str], str] = str) -> list[dict[str, Any]]:
    """`n` records drawn at random (fixed seed) from a .jsonl.gz file, in file order; all when n is None."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        raw = lines.readlines()
    picked = range(len(raw)) if n is None or n >= len(raw) else sorted(random.Random(seed).sample(range(len(raw)), n))
    records = []
    for i in picked:
        record = json.loads(raw[i])
        record["id"] = id_map(str(record["id"]))
        records.append(record)
    return records


def iter_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def ntrex_records(split: str, languages: tuple[str, ...] = ("eng", "swa", "swe", "bos", "fas"), articles: int | None = None) -> list[dict[str, Any]]:
    """NTREX records of one split (Ahadi language codes), optionally only the first `articles` articles."""
    from benchmarks import ntrex

    records = list(ntrex.load(split, languages, NTREX))
    if articles is not None:
        keep = sorted({r["doc_id"] for r in records})[:articles]
        records = [r for r in records if r["doc_id"] in keep]
    return records


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()


def wait_for_low_load(threshold: float, max_wait_s: float) -> dict[str, Any]:
    """Wait (up to `max_wait_s`) until the 1-minute load average is below `threshold`; say what happened."""
    started = time.time()
    while True:
        one = os.getloadavg()[0]
        if one < threshold or time.time() - started >= max_wait_s:
            return {"threshold": threshold, "waited_s": round(time.time() - started, 1), "load_1m_at_start": round(one, 2)}
        time.sleep(10)


def machine() -> dict[str, Any]:
    """The machine, as far as it matters for these figures."""
    info: dict[str, Any] = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = next(line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name"))
        flags = next(line.split(":", 1)[1].split() for line in cpuinfo.splitlines() if line.startswith("flags"))
        info["cpu"] = model
        info["simd"] = sorted(f for f in flags if f in {"avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8", "avx512_bf16"})
    except (OSError, StopIteration):
        pass
    try:
        meminfo = Path("/proc/meminfo").read_text().split()
        info["memory_gb"] = round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 1e6, 1)
    except (OSError, ValueError):
        pass
    try:
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    except ImportError:
        pass
    for name in ("sentence_transformers", "onnxruntime", "qdrant_edge", "transformers"):
        try:
            module = __import__(name)
            info[name] = getattr(module, "__version__", "?")
        except ImportError:
            pass
    return info


def rss_mb(pid: int | str = "self", field: str = "VmRSS") -> float:
    """A process's resident memory now, MB (`field="VmHWM"`: its peak), from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def peak_rss_mb() -> float:
    return rss_mb(field="VmHWM")


def dir_size_mb(path: Path) -> float:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total / 1e6


def percentiles(values: list[float], points=(50, 95, 99)) -> dict[str, float]:
    import numpy as np

    if not values:
        return {f"p{p}": float("nan") for p in points}
    array = np.asarray(values, dtype=float)
    return {f"p{p}": round(float(np.percentile(array, p)), 3) for p in points} | {"mean": round(float(array.mean()), 3), "n": len(values)}


def write_result(name: str, result: dict[str, Any], out: Path | None = None) -> Path:
    path = out or RESULTS / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    result = {"benchmark": name, "finished_at": time.strftime("%Y-%m-%d %H:%M:%S"), **result}
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(f"wrote {path}")
    return path


# ------------------------------------------------------------------ large indexes from real text
def real_chunks(limit: int, seed: int = 0) -> list[dict[str, Any]]:
    """Up to `limit` real chunks: Riksdag and Swahili documents alternately, chunked with the
    pipeline's chunker (not cleaned: cleaning changes little on these two corpora and costs time).
    Each chunk carries its document's metadata, its offsets and its document's whole text
    (`document_text`, one shared string per document), from which `upsert_chunks` builds the
    records the pipeline would."""
    from ingest.chunking import chunk_spans

    sources = [
        (iter_jsonl(RIKSDAG), "sv", "SE", "interpellation", lambda r: r["id"]),
        (iter_jsonl(SWAHILI), "sw", "TZ", "news", lambda r: swahili_id(r["id"])),
    ]
    regions = {"SE": ["Stockholm", "Gotland", "Skåne", "Västra Götaland", None], "TZ": ["Dar es Salaam", "Arusha", "Dodoma", "Mwanza", None]}
    rng = random.Random(seed)
    chunks: list[dict[str, Any]] = []
    exhausted = [False, False]
    turn = 0
    while len(chunks) < limit and not all(exhausted):
        turn = (turn + 1) % 2
        if exhausted[turn]:
            continue
        iterator, language, country, doc_type, make_id = sources[turn]
        try:
            record = next(iterator)
        except StopIteration:
            exhausted[turn] = True
            continue
        text = record["text"]
        date = record.get("date")
        doc = {
            "doc_id": make_id(record),
            "title": record.get("title"),
            "language": language,
            "country": country,
            "region": rng.choice(regions[country]),
            "doc_type": doc_type,
            "organisations": ["Riksdagen"] if country == "SE" else [],
            "date": date,
            "year": int(date[:4]) if date else None,
            "document_text": text,
        }
        for index, (start, end) in enumerate(chunk_spans(text)):
            chunks.append({**doc, "chunk_index": index, "text": text[start:end], "start": start, "end": end})
    return chunks[:limit]


def synthetic_vectors(real: "np.ndarray", count: int, seed: int = 0, noise: float = 0.03) -> "np.ndarray":
    """`count` vectors made from real ones: normalize(real[i] + u·real[j] + noise·g), i cycling
    over the real vectors, j random, u uniform in [0.2, 1], g standard normal per dimension
    (cosine to real[i] 0.75-0.95): each one new, spread between real vectors rather than piled
    on top of them (copies of a few real vectors would make near-ties that no index can order)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n, dim = real.shape
    out = np.empty((count, dim), dtype=np.float32)
    step = 65536
    for start in range(0, count, step):
        stop = min(count, start + step)
        i = np.arange(start, stop) % n
        j = rng.integers(0, n, size=stop - start)
        u = rng.uniform(0.2, 1.0, size=(stop - start, 1)).astype(np.float32)
        block = real[i] + u * real[j] + noise * rng.standard_normal((stop - start, dim), dtype=np.float32)
        out[start:stop] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def embed_real(encoder, chunks: list[dict[str, Any]], count: int, cache_dir: Path | None = None, tag: str = "") -> "np.ndarray":
    """Embed the first `count` chunk texts for real (cached in a temp folder between runs)."""
    import numpy as np

    cache_dir = cache_dir or Path(tempfile.gettempdir()) / "ahadi-bench-cache"
    cache_dir.mkdir(parents=True, exist_ok=True)
    key = f"real-{count}-{tag}-{encoder.signature}".replace("/", "_").replace("|", "_").replace(":", "_")
    path = cache_dir / f"{key}.npy"
    if path.exists():
        vectors = np.load(path)
        if len(vectors) == count:
            return vectors
    texts = [c["text"] for c in chunks[:count]]
    vectors = encoder.passages(texts, [c["language"] for c in chunks[:count]]).astype(np.float32)
    np.save(path, vectors)
    return vectors


def upsert_chunks(store, chunks: list[dict[str, Any]], vectors: "np.ndarray", copy: int = 0) -> dict[str, float]:
    """Write chunks (from `real_chunks`, in its order) through the pipeline's own writer
    (`ChunkWriter`, i.e. `store.write_document`): each document whole, with the records and
    payloads ingestion stores, one commit per document. No sparse vectors (the benchmarks search
    in the default dense mode).

    Each document also gets its sections (`ingest.chunking.SECTION_WORDS`), as ingestion stores
    them, so that searches pay for the section query on an index of the right size. Their vectors
    are not embedded (that would cost as much again as the passages): each is the normalized mean
    of the vectors of the passages that start inside it.

    `copy` > 0 gives the documents new ids (`<id>-c<copy>`), to reuse texts beyond the corpus."""
    import numpy as np
    from haystack import Document

    from index.writer import ChunkWriter
    from ingest.chunking import SECTION_OVERLAP_WORDS, SECTION_WORDS, chunk_spans

    writer = ChunkWriter(store)
    started = time.perf_counter()
    documents = 0
    position = 0
    while position < len(chunks):
        first = chunks[position]
        end = position
        while end < len(chunks) and chunks[end]["doc_id"] == first["doc_id"]:
            end += 1
        doc_id = first["doc_id"] if not copy else f"{first['doc_id']}-c{copy}"
        meta = {key: first[key] for key in ("title", "language", "country", "region", "doc_type", "organisations", "date", "year")}
        document = Document(id=doc_id, content=first["document_text"], meta={**meta, "version": "bench", "source": f"benchmark:{first['doc_id']}"})
        parts = [
            Document(
                content=chunk["text"],
                embedding=vector.tolist(),
                meta={"doc_id": doc_id, "chunk_index": chunk["chunk_index"], "start": chunk["start"], "end": chunk["end"], "language": chunk["language"]},
            )
            for chunk, vector in zip(chunks[position:end], vectors[position:end])
        ]
        sections = []
        for index, (start, end_) in enumerate(chunk_spans(first["document_text"], SECTION_WORDS, SECTION_OVERLAP_WORDS)):
            inside = [vector for chunk, vector in zip(chunks[position:end], vectors[position:end]) if start <= chunk["start"] < end_]
            mean = np.mean(inside, axis=0) if inside else vectors[position]
            sections.append(
                Document(
                    content=first["document_text"][start:end_],
                    embedding=(mean / np.linalg.norm(mean)).tolist(),
                    meta={"doc_id": doc_id, "chunk_index": index, "start": start, "end": end_, "language": first["language"]},
                )
            )
        writer.run(documents=[document], chunks=parts, sections=sections)
        documents += 1
        position = end
    return {"seconds": time.perf_counter() - started, "documents": documents}


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user + system) this process, or process `pid` (from /proc), has used so far."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
