"""The ONNX Runtime backend of the model: a sentence-transformers folder exported to ONNX once (and,
for `onnx-int8`, quantised), cached beside it, and run one text per run, one run per core at once.
Why this backend is the default, and what it costs in quality, is in BENCHMARKS.md section 1."""

from __future__ import annotations

import json
import logging
import sys
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

_ONNX_VERSION = 2


def prepare_onnx_model(st_folder: Path, backend: str, layers: tuple[int, ...] | None = None) -> Path:
    """Export a sentence-transformers BERT folder to ONNX once (beside it, in the same cache) and
    return the .onnx file for `backend` ("onnx" or "onnx-int8"). With `layers` (fp32 "onnx" only),
    the model is cut after the last of them and outputs those layers' hidden states side by side
    (`ingest.commitments.probe` reads them).

    Export (torch's TorchScript exporter, eager attention so ONNX Runtime fuses it), then
    onnxruntime's BERT fusions (needs the `onnx` package; skipped without it), then, for
    "onnx-int8", dynamic int8 quantisation of the weights (needs `onnx`). Work is done in a
    temporary folder and renamed into place under a lock, as `index.model` does for the model.
    """
    import fcntl
    import shutil
    import tempfile

    if backend not in ("onnx", "onnx-int8"):
        raise ValueError(f"unknown ONNX backend {backend!r}")
    if layers is not None and (backend != "onnx" or not layers or min(layers) < 1):
        raise ValueError(f"layers are exported in fp32 ('onnx') and counted from 1, got {backend!r}, {layers!r}")
    st_folder = Path(st_folder)
    target = st_folder.parent / f"{st_folder.name}-onnx"
    name = "model-int8.onnx" if backend == "onnx-int8" else "model.onnx"
    if layers is not None:
        name = "layers-" + "-".join(map(str, layers)) + ".onnx"
    marker = _onnx_marker(st_folder)
    if _onnx_ready(target, name, marker):
        return target / name
    with open(st_folder.parent / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _onnx_ready(target, name, marker):
            return target / name
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=st_folder.parent))
        try:
            if target.exists() and _read_json(target / ".complete") == marker:
                for existing in target.glob("*.onnx"):
                    shutil.copy2(existing, work / existing.name)
            print(f"ahadi: preparing the {backend} model once (about a minute), cached in {target}", file=sys.stderr)
            with _quiet_tools():
                if layers is not None and not (work / name).exists():
                    _export_onnx(st_folder, work / name, layers)
                if layers is None and not (work / "model.onnx").exists():
                    _export_onnx(st_folder, work / "model.onnx")
                if backend == "onnx-int8" and not (work / name).exists():
                    _quantize_onnx(work / "model.onnx", work / name)
            (work / ".complete").write_text(json.dumps(marker))
            for path in [work, *work.iterdir()]:
                path.chmod(0o755 if path.is_dir() else 0o644)
            if target.exists():
                shutil.rmtree(target)
            work.rename(target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return target / name


@contextmanager
def _quiet_tools():
    """The exporter's tracer warnings and the quantiser's advice are for model authors, not for a
    user ingesting documents; the export is checked against torch's vectors by the tests."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.setLevel(level)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _onnx_marker(st_folder: Path) -> dict[str, Any]:
    import onnxruntime

    return {
        "source": _read_json(st_folder / ".complete") or str(st_folder),
        "onnx_version": _ONNX_VERSION,
        "onnxruntime": onnxruntime.__version__,
    }


def _onnx_ready(target: Path, name: str, marker: dict[str, Any]) -> bool:
    return (target / name).is_file() and _read_json(target / ".complete") == marker


def _export_onnx(st_folder: Path, out: Path, layers: tuple[int, ...] | None = None) -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(str(st_folder), add_pooling_layer=False, attn_implementation="eager").eval()
    if layers is not None:  # the layers above the last one asked for are never run
        model.encoder.layer = model.encoder.layer[:max(layers)]
    tokenizer = AutoTokenizer.from_pretrained(str(st_folder))
    sample = tokenizer(["passage: a", "passage: a longer sample text"], padding=True, return_tensors="pt")

    class _Hidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            if layers is None:
                return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            states = self.inner(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True).hidden_states
            return torch.cat([states[k] for k in layers], dim=-1)

    raw = out.with_name("raw.onnx")
    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad():
        torch.onnx.export(
            _Hidden(model), (sample["input_ids"], sample["attention_mask"]), str(raw),
            input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
            opset_version=17, dynamo=False,
        )
    try:
        from onnxruntime.transformers.optimizer import optimize_model
    except ImportError:  # no `onnx` package: ONNX Runtime's own graph optimisations still apply at load
        raw.rename(out)
        return
    config = model.config
    optimized = optimize_model(
        str(raw), model_type="bert", num_heads=config.num_attention_heads, hidden_size=config.hidden_size, opt_level=1
    )
    optimized.save_model_to_file(str(out))
    raw.unlink()


def _quantize_onnx(source: Path, out: Path) -> None:
    try:
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as error:
        raise RuntimeError("the onnx-int8 encoder backend needs the `onnx` package (pip install onnx)") from error
    # Matrix products only: the embedding table stays fp32. Quantising it too saves memory but costs
    # retrieval quality and buys no speed: the table is looked up, not multiplied (BENCHMARKS.md).
    quantize_dynamic(
        str(source), str(out), weight_type=QuantType.QInt8, per_channel=True,
        op_types_to_quantize=["MatMul", "Attention"],
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


class OnnxSentenceEncoder:
    """A sentence-transformers folder's BERT + mean pooling run by ONNX Runtime.

    With `layers`, the vector is instead the token means of those hidden layers side by side (fp32;
    `prepare_onnx_model`), the features of `ingest.commitments.probe`.

    It offers the part of `SentenceTransformer`'s interface that `Encoder` uses (`encode` with
    prompts and normalisation; `get_embedding_dimension`; `tokenizer`; `prompts`), with the same
    tokenizer, prompts and 512-token truncation, one text per run.

    Runs are single-threaded and up to `runs` (default: one per core) go at once, from a pool for
    the texts of one call and from concurrent callers (an ORT session may be run from several
    threads): single-threaded runs side by side keep every core busy on the small matrices of one
    text, where one run spread over all cores waits on its threads (BENCHMARKS.md section 1); the
    vectors are bit-identical either way.
    """

    # Concurrent `encode` calls run in parallel and gain nothing from being batched together.
    encodes_concurrently = True

    def __init__(self, st_folder: Path, backend: str = "onnx", runs: int | None = None, threads_per_run: int = 1, spinning: bool = False,
                 layers: tuple[int, ...] | None = None):
        import os

        import onnxruntime as ort
        from transformers import AutoTokenizer

        st_folder = Path(st_folder)
        pooling = _read_json(st_folder / "1_Pooling" / "config.json") or {}
        if pooling.get("pooling_mode", "mean") != "mean" or not pooling.get("include_prompt", True):
            raise ValueError(f"{st_folder}: the ONNX backend supports mean pooling over all tokens only")
        self.backend = backend
        self.model_path = prepare_onnx_model(st_folder, backend, layers)
        self.tokenizer = AutoTokenizer.from_pretrained(str(st_folder))
        # A fast tokenizer sets its truncation on every call: two threads at once fail ("Already borrowed").
        self._tokenizer_lock = threading.Lock()
        self.prompts: dict[str, str] = (_read_json(st_folder / "config_sentence_transformers.json") or {}).get("prompts", {})
        self.max_seq_length = int((_read_json(st_folder / "sentence_bert_config.json") or {}).get("max_seq_length", 512))
        self._dimension = int(pooling.get("embedding_dimension") or (_read_json(st_folder / "config.json") or {})["hidden_size"])
        self._dimension *= len(layers) if layers else 1
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads_per_run
        options.inter_op_num_threads = 1
        # Idle pool threads sleep rather than spin, as OMP_WAIT_POLICY=PASSIVE does for torch (see index.model).
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
        self.session = ort.InferenceSession(str(self.model_path), options, providers=["CPUExecutionProvider"])
        self.runs = runs or len(os.sched_getaffinity(0))
        self._pool = ThreadPoolExecutor(self.runs, thread_name_prefix="ahadi-onnx") if self.runs > 1 else None
        # fp32 ONNX gives the torch model's vectors (cosine ≥ 0.99999), so it keeps its signature;
        # int8 vectors differ slightly and get their own.
        self.ahadi_model_name = "SentenceTransformer" if backend == "onnx" else f"SentenceTransformer+{backend}"

    def get_embedding_dimension(self) -> int:
        return self._dimension

    def encode(
        self,
        sentences: str | list[str],
        prompt_name: str | None = None,
        prompt: str | None = None,
        show_progress_bar: bool = False,
        convert_to_numpy: bool = True,
        normalize_embeddings: bool = False,
        **_: Any,
    ) -> np.ndarray:
        """Mean-pooled vectors, one text per model run (`batch_size` and the rest are accepted and ignored).

        Dynamic int8 quantisation scales activations per tensor, i.e. over the whole batch: in a
        batch, a text's vector depended on its neighbours (cosine 0.998 to its vector alone, and
        concurrent queries changed each other's results). Run alone, a text always gets the same
        vector, and no time goes into padding to the batch's longest text (BENCHMARKS.md section 1).
        """
        single = isinstance(sentences, str)
        texts = [sentences] if single else list(sentences)
        prefix = prompt if prompt is not None else (self.prompts[prompt_name] if prompt_name else "")
        with self._tokenizer_lock:
            token_ids = self.tokenizer([prefix + text for text in texts], truncation=True, max_length=self.max_seq_length)["input_ids"]
        vectors = np.zeros((len(texts), self._dimension), dtype=np.float32)
        if self._pool is not None and len(texts) > 1:
            # Longest first: the runs left when the pool drains are the short ones, so the cores
            # stay busy to the end of the call (the pipeline makes one call per batch of documents).
            order = sorted(range(len(texts)), key=lambda i: -len(token_ids[i]))
            for i, row in zip(order, self._pool.map(self._run, [token_ids[i] for i in order])):
                vectors[i] = row
        else:
            for i, ids in enumerate(token_ids):
                vectors[i] = self._run(ids)
        if normalize_embeddings:
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors[0] if single else vectors

    def _run(self, token_ids: list[int]) -> np.ndarray:
        """One text's mean-pooled vector (no padding, so every token counts)."""
        ids = np.asarray([token_ids], dtype=np.int64)
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0]
        return hidden[0].mean(axis=0, dtype=np.float32)
