"""End-to-end ingestion speed against the bare encoder, on the same real chunks, in one run.

1. Samples N Riksdag interpellations (Swedish), N Maneno Yetu documents (Swahili; '#' in their
   ids becomes '-') and the first A NTREX dev articles in en/sw/sv/bs/fa, writes them as JSONL
   into a temporary folder (never into the repo) and ingests them with `Ahadi.ingest` into a
   fresh embedded store: read → clean → change filter → language → metadata → chunk +
   commitments and sections → embed passages, commitments and sections → sparse + write, then the
   store's flush.
2. Reads back the exact chunk texts (and commitment sentences, with the list lead-in they were
   embedded with, and the sections' texts from their offsets) the pipeline stored and embeds them
   with `Encoder.passages` alone, one call each: the bare encoder. With the commitment probe on
   (`AHADI_COMMITMENT_PROBE`), it also runs the probe's own model pass (the layer means of every
   sentence unit of each stored document, one call per document as the extractor makes it) alone.
   Both models are loaded before the end-to-end clock starts (the probe's load is reported as
   `bare_probe.load_seconds`; the facade starts it in the background when it builds the ingestor).

Ratios (e2e = end-to-end seconds, bare_p = bare seconds for the passages, bare_c = for the
commitment sentences, bare_s = for the sections):
- `ratio_passages_only` = bare_p / e2e: end-to-end chunks/s over bare passages/s. The commitment
  embedding counts as pipeline overhead here, although it is model work the pipeline must do.
- `ratio_all_model_work` = (bare_p + bare_c + bare_s + bare_probe) / e2e: the pipeline against the
  bare models doing all the model work it does (passages, commitments, sections and, with the probe
  on, the probe's pass; bare_probe is 0 without it).
Both are reported; the target is ≥ 0.9. The first also shows what the probe costs in wall time.

Where the time goes: each pipeline component, the sparse encoder and the store writes are timed
(wall seconds inside each; with --overlap the preparing components run in a background thread at
the same time as the embedding, so their times overlap the embedders'). `--profile FILE` also
writes a cProfile dump of the end-to-end run.

    python -m benchmarks.ingest_speed [--n 40] [--ntrex-articles 10] [--backend torch|onnx|onnx-int8] [--overlap on|off|both]
writes benchmarks/results/ingest_speed[-BACKEND].json.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from index.access import ALL_DOCUMENTS


from benchmarks.perf_common import (  # noqa: E402
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


def write_inputs(folder: Path, n: int, ntrex_articles: int, seed: int) -> dict[str, Any]:
    """The sample as three JSONL files in `folder`; returns what is in them."""
    described: dict[str, Any] = {}
    riksdag = [{"id": r["id"], "title": r["title"], "date": r["date"], "text": r["text"]} for r in sample_jsonl(RIKSDAG, n, seed)]
    swahili = [{"id": r["id"], "text": r["text"]} for r in sample_jsonl(SWAHILI, n, seed, id_map=swahili_id)]
    ntrex = [
        {"id": f"ntrex-{r['doc_id']}-{r['lang']}", "title": r["title"], "text": r["text"]}
        for r in ntrex_records("dev", articles=ntrex_articles)
    ] if ntrex_articles else []
    for name, rows in (("riksdag_sv", riksdag), ("maneno_yetu_sw", swahili), ("ntrex_dev", ntrex)):
        if not rows:
            continue
        (folder / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        described[name] = {"documents": len(rows), "characters": sum(len(r["text"]) for r in rows)}
    return described


class StageTimer:
    """Wall seconds spent inside instrumented callables, by name (thread-safe enough: += on floats)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, name: str, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started
                self.calls[name] += 1

        return timed

    def report(self, total: float) -> dict[str, Any]:
        return {
            name: {"seconds": round(sec, 2), "share_of_e2e": round(sec / total, 3), "calls": self.calls[name]}
            for name, sec in sorted(self.seconds.items(), key=lambda kv: -kv[1])
        }


def instrument(app, timer: StageTimer) -> None:
    ingestor = app.ingestor
    for pipeline in (ingestor.prepare, ingestor.index):
        for name, component in pipeline.walk():
            component.run = timer.wrap(f"component:{name}", component.run)
    if app.sparse is not None:
        app.sparse.documents = timer.wrap("writer:sparse_vectors", app.sparse.documents)
    app.store.write_document = timer.wrap("writer:store.write_document", app.store.write_document)
    app.store.flush = timer.wrap("store.flush", app.store.flush)
    ingestor.reader.iter_documents = _timed_iterator(timer, "reader", ingestor.reader.iter_documents)


def _timed_iterator(timer: StageTimer, name: str, function):
    def run(*args, **kwargs):
        iterator = iter(function(*args, **kwargs))
        while True:
            started = time.perf_counter()
            try:
                item = next(iterator)
            except StopIteration:
                timer.seconds[name] += time.perf_counter() - started
                return
            timer.seconds[name] += time.perf_counter() - started
            timer.calls[name] += 1
            yield item

    return run


def run_once(encoder, inputs: list[Path], overlap: bool, profile: Path | None) -> dict[str, Any]:
    from service.settings import Settings
    from service.facade import Ahadi
    from index.embedding import text_with_context
    from ingest.commitments.units import sentence_units

    with tempfile.TemporaryDirectory(prefix="ahadi-ingest-speed-") as data_dir:
        app = Ahadi(Settings.from_env(data_dir=Path(data_dir)), encoder=encoder)
        app.ingestor.overlap = overlap
        # The probe's model is loaded before the clock starts, as the encoder is (`ahadi ingest`
        # loads the two at once); its load is reported on its own.
        probe = app.ingestor.prepare.get_component("commitments").probe
        wall = time.perf_counter()
        if probe is not None:
            probe.features.load()
        probe_load = time.perf_counter() - wall
        timer = StageTimer()
        instrument(app, timer)
        load_before = load_average()[0]
        profiler = cProfile.Profile() if profile else None
        wall, cpu = time.perf_counter(), cpu_seconds()
        if profiler:
            profiler.enable()
        report = app.ingest(inputs)
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(profile))
        e2e, e2e_cpu = time.perf_counter() - wall, cpu_seconds() - cpu
        load_e2e = (load_before + load_average()[0]) / 2

        # The exact texts the pipeline embedded, read back from the store, in document order.
        chunk_texts, chunk_langs, commit_texts, commit_langs, section_texts, section_langs = [], [], [], [], [], []
        unit_texts: list[list[str]] = []  # per document, the sentence units the probe reads
        for doc_id in report.written:
            text = app.store.document(ALL_DOCUMENTS, doc_id)["text"]
            if probe is not None:
                unit_texts.append([u.text for u in sentence_units(text)])
            for payload in app.store.chunks(ALL_DOCUMENTS, doc_id, kind="section"):
                section_texts.append(text[payload["start"] : payload["end"]])
                section_langs.append(payload.get("language"))
            for payload in app.store.chunks(ALL_DOCUMENTS, doc_id):
                chunk_texts.append(payload["text"])
                chunk_langs.append(payload.get("language"))
            for payload in app.store.chunks(ALL_DOCUMENTS, doc_id, kind="commitment"):
                commit_texts.append(text_with_context(payload["text"], (payload.get("commitment") or {}).get("context")))
                commit_langs.append(payload.get("language"))
        wall, cpu = time.perf_counter(), cpu_seconds()
        for texts in unit_texts:
            probe.features.layer_means(texts)
        bare_probe, bare_probe_cpu = time.perf_counter() - wall, cpu_seconds() - cpu
        app.close()

    assert len(chunk_texts) == report.chunks, (len(chunk_texts), report.chunks)
    load_before = load_average()[0]
    wall, cpu = time.perf_counter(), cpu_seconds()
    encoder.passages(chunk_texts, chunk_langs)
    bare_p, bare_p_cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    wall, cpu = time.perf_counter(), cpu_seconds()
    encoder.passages(commit_texts, commit_langs)
    bare_c, bare_c_cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    wall, cpu = time.perf_counter(), cpu_seconds()
    encoder.passages(section_texts, section_langs, sides=["section"] * len(section_texts))
    bare_s, bare_s_cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    load_bare = (load_before + load_average()[0]) / 2

    documents = len(report.written)
    return {
        "overlap": overlap,
        "documents_written": documents,
        "skipped": len(report.skipped),
        "languages": dict(report.languages),
        "chunks": report.chunks,
        "commitments": report.commitments,
        "sections": len(section_texts),
        "end_to_end": {
            "seconds": round(e2e, 2),
            "cpu_seconds": round(e2e_cpu, 2),
            "documents_per_s": round(documents / e2e, 3),
            "chunks_per_s": round(report.chunks / e2e, 3),
            "load_1m": round(load_e2e, 2),
        },
        "bare_encoder": {
            "passages_seconds": round(bare_p, 2),
            "passages_cpu_seconds": round(bare_p_cpu, 2),
            "passages_per_s": round(len(chunk_texts) / bare_p, 3),
            "commitments_seconds": round(bare_c, 2),
            "commitments_cpu_seconds": round(bare_c_cpu, 2),
            "sections_seconds": round(bare_s, 2),
            "sections_cpu_seconds": round(bare_s_cpu, 2),
            "load_1m": round(load_bare, 2),
        },
        "bare_probe": {"units": sum(map(len, unit_texts)), "seconds": round(bare_probe, 2),
                       "cpu_seconds": round(bare_probe_cpu, 2), "load_seconds": round(probe_load, 2)} if probe is not None else None,
        "ratio_passages_only": round(bare_p / e2e, 3),
        "ratio_all_model_work": round((bare_p + bare_c + bare_s + bare_probe) / e2e, 3),
        "ratio_all_model_work_cpu": round((bare_p_cpu + bare_c_cpu + bare_s_cpu + bare_probe_cpu) / e2e_cpu, 3),
        "stages": timer.report(e2e),
        "non_model_seconds_estimate": round(e2e - bare_p - bare_c - bare_s - bare_probe, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=40, help="Riksdag documents and Swahili documents (each)")
    parser.add_argument("--ntrex-articles", type=int, default=10, help="NTREX dev articles (each in 5 languages)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--backend", choices=("torch", "onnx", "onnx-int8"), default=None,
                        help="encoder backend (default: AHADI_ENCODER_BACKEND, else torch)")
    parser.add_argument("--overlap", choices=("on", "off", "both"), default="off",
                        help="prepare the next batch in a background thread (off: the default in Ingestor); both: off, on, off, on")
    parser.add_argument("--profile", type=Path, help="write a cProfile dump of the (first) end-to-end run here")
    parser.add_argument("--wait-load", type=float, default=1.5)
    parser.add_argument("--max-wait", type=float, default=600)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from service.settings import Settings
    from index.embedding import Encoder, LanguageCentering
    from index.model import load_encoder
    from core.detection import detect_language

    settings = Settings.from_env()
    backend = args.backend or settings.encoder_backend
    started = time.perf_counter()
    encoder = Encoder(load_encoder(settings.model, settings.model_cache_dir, backend=backend),
                      LanguageCentering.for_model(settings.model), batch_size=settings.batch_size)
    load_seconds = time.perf_counter() - started
    detect_language("warm up the language detector")  # loads langdetect's profiles once

    result: dict[str, Any] = {"machine": machine(), "backend": backend, "batch_size": settings.batch_size,
                              "model_load_seconds": round(load_seconds, 1)}
    with tempfile.TemporaryDirectory(prefix="ahadi-ingest-input-") as folder:
        result["corpus"] = write_inputs(Path(folder), args.n, args.ntrex_articles, args.seed)
        result["corpus"]["sampling"] = f"seed {args.seed}: N={args.n} random Riksdag and Swahili documents, first {args.ntrex_articles} NTREX dev articles x 5 languages"
        inputs = sorted(Path(folder).glob("*.jsonl"))
        # Warm-up on real passages of other documents than the measured ones (the first model calls on
        # long inputs are slower: allocations, kernel choices); without it the first run measured
        # paid for it, whichever it was.
        from ingest.chunking import chunk_spans

        warm = [r["text"] for r in sample_jsonl(RIKSDAG, 12, args.seed + 1)] + [r["text"] for r in sample_jsonl(SWAHILI, 12, args.seed + 1)]
        warm_chunks = [text[s:e] for text in warm for s, e in chunk_spans(text)][:64]
        encoder.passages(warm_chunks, [None] * len(warm_chunks))
        result["load_wait"] = wait_for_low_load(args.wait_load, args.max_wait)
        runs = {"on": [True], "off": [False], "both": [False, True, False, True]}[args.overlap]
        result["runs"] = []
        for i, overlap in enumerate(runs):
            run = run_once(encoder, inputs, overlap, args.profile if i == 0 else None)
            print(json.dumps({k: v for k, v in run.items() if k != "stages"}, indent=1), flush=True)
            result["runs"].append(run)
    result["load_1m_at_end"] = round(load_average()[0], 2)
    name = "ingest_speed" if backend == "torch" else f"ingest_speed-{backend}"
    write_result(name, result, args.out)


if __name__ == "__main__":
    main()
